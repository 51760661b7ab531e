"""Schemas of the competency passbook API (``/learners/{id}/passbook``) and of completion
integrity's review list (``/completions``): what the API loads and what it answers."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from catalogue_schemas.fields import LanguageMap, LanguageTag

#: Evidence a department records itself (the LRS cannot see it).
RECORDED_KINDS = ("certificate", "external", "self-declared")
#: Every evidence kind, strongest first (storage.ports.passbook.EVIDENCE_KINDS).
EVIDENCE_KINDS = ("pass", "completion", "certificate", "external", "self-declared")
_TEXT = validate.Length(min=1, max=300)
_URL = {"schemes": {"http", "https"}, "validate": validate.Length(max=2000)}


class PassbookArgs(Schema):
    """``?org=``: another organisation (platform administrators only); ``?lang=``."""

    org = fields.String(load_default=None, validate=validate.Length(min=1, max=100),
                        metadata={"description": "the learner's organisation (platform "
                                                 "administrators only; default: the caller's)"})
    lang = LanguageTag(load_default=None)


class EvidenceInSchema(Schema):
    """The body of ``POST /learners/{learner_id}/passbook/evidence``: a certificate (issuer
    and id, optionally its URL), an external training (title and provider, optionally its URL)
    or the learner's own declaration of a level; competency and level are checked against the
    published FRAC frameworks."""

    kind = fields.String(required=True, validate=validate.OneOf(RECORDED_KINDS))
    competency = fields.String(required=True, validate=validate.Length(min=1, max=100),
                               metadata={"description": "competency id or reference code"})
    level = fields.Integer(required=True, strict=True, validate=validate.Range(1, 5))
    issuer = fields.String(load_default=None, validate=_TEXT,
                           metadata={"description": "certificate: who issued it"})
    id = fields.String(load_default=None, validate=_TEXT,
                       metadata={"description": "certificate: its number at the issuer"})
    url = fields.Url(load_default=None, **_URL)  # type: ignore[arg-type]
    title = LanguageMap(max_length=300, load_default=None,
                        metadata={"description": "external training: its title"})
    provider = fields.String(load_default=None, validate=_TEXT,
                             metadata={"description": "external training: who gave it"})

    @validates_schema
    def _needs(self, data: dict[str, Any], **_: Any) -> None:
        """What each kind must name (and a self-declaration names nothing else)."""
        needed = {"certificate": ("issuer", "id"), "external": ("title", "provider"),
                  "self-declared": ()}[data["kind"]]
        for name in needed:
            if not data.get(name):
                raise ValidationError(f"required for a {data['kind']}", name)
        if data["kind"] == "self-declared":
            for name in ("issuer", "id", "url", "title", "provider"):
                if data.get(name) is not None:
                    raise ValidationError("a self-declared level names no source", name)


class EvidenceRowSchema(Schema):
    """One piece of evidence: a source proving (or declaring) a competency level."""

    kind = fields.String(required=True, validate=validate.OneOf(EVIDENCE_KINDS))
    competency = fields.String(metadata={"description": "the FRAC competency id"})
    level = fields.Integer(required=True)
    source = fields.String(required=True, metadata={
        "description": "what it is de-duplicated by: item:<id>, certificate:<issuer>|<id>, "
                       "external:<url or title>, self"})
    item_id = fields.String(allow_none=True, metadata={"description": "the catalogue item"})
    statement_id = fields.String(allow_none=True, metadata={
        "description": "the statement in the organisation's LRS it is derived from"})
    at = fields.String(allow_none=True)
    withheld = fields.Boolean(required=True, metadata={
        "description": "its completion is flagged as too fast and not yet accepted"})
    details = fields.Dict(allow_none=True, metadata={
        "description": "issuer, id, url, title, provider as recorded"})


class CompetencyEntrySchema(Schema):
    """One competency of a passbook."""

    competency = fields.String(required=True)
    code = fields.String(allow_none=True)
    name = fields.String(allow_none=True, metadata={"description": "in the request language"})
    level = fields.Integer(allow_none=True, metadata={
        "description": "best level proven by evidence that counts (not self-declared, not "
                       "withheld); null when none"})
    level_name = fields.String(allow_none=True)
    self_declared = fields.Integer(allow_none=True, metadata={
        "description": "the level the learner declared, shown apart"})
    evidence = fields.List(fields.Nested(EvidenceRowSchema), required=True)


class PassbookSchema(Schema):
    """``GET /learners/{learner_id}/passbook``."""

    org_id = fields.String(required=True)
    learner_id = fields.String(required=True)
    competencies = fields.List(fields.Nested(CompetencyEntrySchema), required=True)


class EvidenceCreatedSchema(Schema):
    """The statement written and the evidence derived from it."""

    statement_id = fields.String(required=True)
    evidence = fields.Nested(EvidenceRowSchema, allow_none=True)


class AcceptedSchema(Schema):
    """Who accepted a flagged completion, and by which statement."""

    by = fields.String(allow_none=True)
    at = fields.String(allow_none=True)
    statement_id = fields.String(allow_none=True)


class FlaggedCompletionSchema(Schema):
    """A completion (or pass) of a catalogue item with the learning time recorded."""

    statement_id = fields.String(required=True)
    org_id = fields.String(required=True)
    learner_id = fields.String(required=True)
    item_id = fields.String(required=True)
    kind = fields.String(required=True)
    at = fields.String(allow_none=True)
    registration = fields.String(allow_none=True)
    seconds = fields.Float(allow_none=True, metadata={"description": "learning time recorded"})
    expected_seconds = fields.Float(allow_none=True, metadata={
        "description": "the item's duration"})
    flagged = fields.Boolean(required=True)
    accepted = fields.Nested(AcceptedSchema, allow_none=True)


class FlaggedArgs(PassbookArgs):
    """``GET /completions/flagged``."""

    after = fields.String(load_default=None, validate=validate.Length(min=1, max=200),
                          metadata={"description": "the last statement id of the previous "
                                                   "page"})
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 500))
    accepted = fields.Boolean(load_default=False, metadata={
        "description": "also list those a reviewer accepted"})


class FlaggedSchema(Schema):
    """``GET /completions/flagged`` as JSON."""

    org_id = fields.String(required=True)
    completions = fields.List(fields.Nested(FlaggedCompletionSchema), required=True)
    next = fields.String(allow_none=True, metadata={"description": "``after`` of the next "
                                                                   "page; null on the last"})
