"""Schemas of the CASE 1.1 service (``/ims/case/v1p1``) and of ``POST /frac/imports``.

They document the 1EdTech CASE 1.1 JSON binding (§A) as far as clients need it: records keep
members the schema does not list (``unknown = INCLUDE``: CASE 1.1 records carry optional members,
kept verbatim from imported packages, and an ``extensions`` object).
"""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields, validate


class _CaseRecord(Schema):
    class Meta:
        unknown = INCLUDE


class LinkURISchema(_CaseRecord):
    """CASE 1.1 ``LinkURI``: a reference to another record."""

    title = fields.String(required=True)
    identifier = fields.String(required=True)
    uri = fields.String(required=True)


class CFDocumentSchema(_CaseRecord):
    """CASE 1.1 ``CFDocument``: one published version of a FRAC framework."""

    identifier = fields.String(required=True, metadata={"description": "the framework id"})
    uri = fields.String(required=True)
    creator = fields.String(required=True)
    title = fields.String(required=True, metadata={"description": "in the default language; "
                                                   "every language in extensions.x-karmayogi"})
    lastChangeDateTime = fields.String(required=True, metadata={"format": "date-time"})
    version = fields.String(metadata={"description": "the version number"})
    language = fields.String()
    description = fields.String()
    adoptionStatus = fields.String()
    extensions = fields.Dict()
    CFPackageURI = fields.Nested(LinkURISchema)


class CFItemSchema(_CaseRecord):
    """CASE 1.1 ``CFItem``: one node (area, theme, sub-theme, position, role, activity)."""

    identifier = fields.String(required=True, metadata={"description": "the node id"})
    uri = fields.String(required=True)
    fullStatement = fields.String(required=True, metadata={"description": "the node's name"})
    humanCodingScheme = fields.String(metadata={"description": "the code, e.g. COMSUBTHEME-12"})
    CFItemType = fields.String(metadata={"description": "Competency Area, Competency Theme, "
                                         "Competency Sub-theme, Position, Role, Activity, or "
                                         "the type an imported item had"})
    CFItemTypeURI = fields.Nested(LinkURISchema)
    notes = fields.String(metadata={"description": "the node's description"})
    conceptKeywords = fields.List(fields.String())
    language = fields.String()
    lastChangeDateTime = fields.String(required=True, metadata={"format": "date-time"})
    extensions = fields.Dict()
    CFDocumentURI = fields.Nested(LinkURISchema)


class CFAssociationSchema(_CaseRecord):
    """CASE 1.1 ``CFAssociation``: isChildOf (hierarchy), isRelatedTo (role -> competency, the
    level in extensions.x-karmayogi.level) and those kept from imported packages."""

    identifier = fields.String(required=True)
    uri = fields.String(required=True)
    associationType = fields.String(required=True)
    originNodeURI = fields.Nested(LinkURISchema, required=True)
    destinationNodeURI = fields.Nested(LinkURISchema, required=True)
    sequenceNumber = fields.Integer()
    lastChangeDateTime = fields.String(required=True, metadata={"format": "date-time"})
    extensions = fields.Dict()


class CFDefinitionsSchema(_CaseRecord):
    """CASE 1.1 ``CFDefinitions``."""

    CFItemTypes = fields.List(fields.Dict())
    CFConcepts = fields.List(fields.Dict())
    CFSubjects = fields.List(fields.Dict())
    CFLicenses = fields.List(fields.Dict())
    CFAssociationGroupings = fields.List(fields.Dict())


class CFPackageSchema(_CaseRecord):
    """CASE 1.1 ``CFPackage``: a framework version whole; the proficiency levels 1 Basic …
    5 Ustad are a CFRubric with a criterion per competency."""

    CFDocument = fields.Nested(CFDocumentSchema, required=True)
    CFItems = fields.List(fields.Nested(CFItemSchema))
    CFAssociations = fields.List(fields.Nested(CFAssociationSchema))
    CFDefinitions = fields.Nested(CFDefinitionsSchema)
    CFRubrics = fields.List(fields.Dict())


class CFDocumentSetSchema(Schema):
    """CASE 1.1 ``CFDocumentSet``: the latest version of every framework."""

    CFDocuments = fields.List(fields.Nested(CFDocumentSchema), required=True)


class CaseVersionArgs(Schema):
    """``?version=N``: a published version (default: the latest)."""

    version = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))


class CaseListArgs(Schema):
    """Paging of ``getAllCFDocuments`` (CASE 1.1 §5.4.1)."""

    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2**31 - 1))


class FracImportReportSchema(Schema):
    """What ``POST /frac/imports`` did."""

    framework = fields.String(required=True, metadata={"description": "the framework id"})
    version = fields.Integer(required=True, metadata={"description": "the version published "
                                                      "(the latest one when unchanged)"})
    status = fields.String(required=True, metadata={"description": "created, updated or "
                                                    "unchanged"})
    nodes = fields.Integer(required=True)
    associations_kept = fields.Integer(required=True, metadata={
        "description": "associations the hub does not model, kept for export"})
