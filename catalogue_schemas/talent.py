"""Schemas of talent search and competency coverage (``GET /talent/search``,
``GET /talent/coverage``, issue 13 "Talent search")."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from catalogue_schemas.fields import LanguageTag
from catalogue_schemas.frac import NodeRefSchema


class TalentArgs(Schema):
    """``?lang`` and, for platform administrators, ``?org``."""

    lang = LanguageTag(load_default=None, metadata={
        "description": "the language of names (else Accept-Language)"})
    org = fields.String(load_default=None, validate=validate.Length(min=1, max=200), metadata={
        "description": "the department (platform administrators only; default: the caller's "
                       "own, or every department for talent search by a platform "
                       "administrator)"})


class TalentSearchArgs(TalentArgs):
    """``GET /talent/search``."""

    competency = fields.String(required=True, validate=validate.Length(min=1, max=200),
                               metadata={"description": "a published competency's id or "
                                                        "reference code (COMSUBTHEME-12)"})
    min_level = fields.Integer(load_default=1, validate=validate.Range(min=1, max=5))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200), metadata={
        "description": "learners per page (JSON; CSV lists every page from the cursor on)"})
    cursor = fields.String(load_default=None, validate=validate.Length(max=2000), metadata={
        "description": "``next`` of the previous page"})


class TalentEvidenceSchema(Schema):
    """A piece of proven evidence of the level (passbook)."""

    kind = fields.String(required=True)
    level = fields.Integer(required=True)
    source = fields.String(required=True)
    item_id = fields.String(allow_none=True)
    statement_id = fields.String(allow_none=True)
    at = fields.String(allow_none=True)


class TalentHolderSchema(Schema):
    """A learner holding the competency at the level asked or above."""

    org_id = fields.String(required=True)
    learner_id = fields.String(required=True)
    name = fields.String(allow_none=True)
    designation = fields.String(allow_none=True)
    position = fields.Nested(NodeRefSchema, allow_none=True)
    level = fields.Integer(required=True, metadata={"description": "the best proven level"})
    level_name = fields.String(required=True)
    evidence = fields.List(fields.Nested(TalentEvidenceSchema), required=True)


class TalentSearchSchema(Schema):
    """One page of talent search."""

    org_id = fields.String(allow_none=True, metadata={"description": "None: every department"})
    competency = fields.Nested(NodeRefSchema, required=True)
    min_level = fields.Integer(required=True)
    items = fields.List(fields.Nested(TalentHolderSchema), required=True)
    next = fields.String(allow_none=True, required=True)


class CoverageRequirementSchema(Schema):
    """How many officials in a role meet one level it requires."""

    competency = fields.Nested(NodeRefSchema, required=True)
    level = fields.Integer(required=True)
    level_name = fields.String(required=True)
    meeting = fields.Integer(required=True)
    share = fields.Float(required=True, metadata={"description": "meeting / officials"})


class CoverageRoleSchema(Schema):
    """A role the department's learners hold (through their positions)."""

    role = fields.Nested(NodeRefSchema, required=True)
    position = fields.Nested(NodeRefSchema, allow_none=True)
    officials = fields.Integer(required=True)
    requirements = fields.List(fields.Nested(CoverageRequirementSchema), required=True)


class CoverageSchema(Schema):
    """A department's competency coverage per role."""

    org_id = fields.String(required=True)
    learners = fields.Integer(required=True)
    with_role = fields.Integer(required=True)
    roles = fields.List(fields.Nested(CoverageRoleSchema), required=True)
