"""Learner records (issue 13, "Learners"): who a learner is, in which organisation, in which
position, speaking which languages — and who may see and change that.

A learner record is keyed ``(org_id, learner_id)`` (``store.department_learners``):
``org_id`` is the learner's department, or the launching LMS's organisation for a learner an
LMS launched; ``learner_id`` names the learner's xAPI agent
``{"account": {"homePage": home_page, "name": learner_id}}`` in that organisation's LRS.

Access (DESIGN.md "Tenancy"): a record is read by credentials of its own organisation holding
curator, reviewer, department-approver, lrs-reader or admin, and by platform administrators for
any organisation; it is written by its organisation's curator (or admin). Any other caller gets
404 for another organisation's learner, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from catalogue_schemas.fields import is_language_tag
from hub.errors import NotFound, PermissionDenied, ValidationError
from hub.principal import OrgKind, Principal, Role
from hub.tokens import TokenCodec
from marketplace import frac_catalog
from storage.ports import Document, Store
from storage.timestamps import utcnow

#: The roles that read their own organisation's learner records (``admin`` implies them all).
READER_ROLES: tuple[str, ...] = (Role.CURATOR, Role.REVIEWER, Role.DEPARTMENT_APPROVER,
                                 Role.LRS_READER)
#: The organisations that have learners: departments employ them; an LMS's launched learners
#: are its own organisation's (issue 11 treats them so for approvals too).
LEARNER_ORG_KINDS: tuple[str, ...] = (OrgKind.DEPARTMENT, OrgKind.LMS)


def check_reads_learners(principal: Principal, org_id: str) -> None:
    """Raise unless ``principal`` may read the learner records of organisation ``org_id``.

    Another organisation's records answer 404 (``NotFound``) unless the caller reads across
    organisations (a platform-admin organisation or an ``admin`` credential); a caller of the
    organisation itself without a reading role gets 403 (``PermissionDenied``)."""
    if org_id != principal.org_id:
        if principal.reads_across_organisations() and principal.has(*READER_ROLES):
            return
        raise NotFound(f"no organisation {org_id} whose learners this credential may read")
    if not principal.has(*READER_ROLES):
        raise PermissionDenied("reading learner records needs the curator, reviewer, "
                               "department-approver, lrs-reader or admin role")


def check_manages_learners(principal: Principal) -> None:
    """Raise ``PermissionDenied`` unless ``principal`` writes its own organisation's learner
    directory: a curator (or admin) of a department or LMS organisation."""
    if not principal.is_kind(*LEARNER_ORG_KINDS):
        raise PermissionDenied("learner records belong to a department or LMS organisation")
    if not principal.holds_in(principal.org_id, Role.CURATOR):
        raise PermissionDenied("managing learners needs the curator role of the organisation")


def learner_org(principal: Principal, org_id: str | None) -> str:
    """The organisation a read names: the caller's own by default; only a platform
    administrator may name another one (``?org=``), others get 404 for it."""
    org = org_id or principal.org_id
    check_reads_learners(principal, org)
    return org


def visible_learner(store: Store, principal: Principal, learner_id: str,
                    org_id: str | None = None) -> Document:
    """The learner record ``learner_id`` of ``org_id`` (default: the caller's organisation)
    when ``principal`` may read it; ``NotFound`` when it is absent or another organisation's
    the caller may not read (DESIGN.md "Tenancy": 404, not 403)."""
    org = learner_org(principal, org_id)
    learner = store.department_learners.get(org, learner_id)
    if learner is None:
        raise NotFound(f"no learner {learner_id} in this organisation")
    return with_defaults(learner)


def with_defaults(learner: Document) -> Document:
    """A stored record with the fields issue 13 added: documents written before it read as
    position None, languages [] and source "api"."""
    return {"position": None, "languages": [], "source": "api", **learner}


# -- the record ----------------------------------------------------------------------------

#: The fields a client writes (PUT replaces them all, PATCH some).
EDITABLE = ("name", "designation", "position", "languages", "home_page")


def check_learner_id(learner_id: str) -> None:
    """The id becomes part of an xAPI agent key (``account|<homePage>|<name>``) and of a URL
    path: 1-200 characters, no ``|``, no outer spaces."""
    if not isinstance(learner_id, str) or not learner_id or len(learner_id) > 200 \
            or "|" in learner_id or learner_id != learner_id.strip():
        raise ValidationError.for_field("learner_id", "1-200 characters, no '|', no outer "
                                                      "spaces")


def resolve_position(store: Store, value: str | None) -> str | None:
    """The node id of a position of a published FRAC framework named by id or reference code
    (``POS-3``); None for None. ``ValidationError`` on ``position`` otherwise."""
    if value is None:
        return None
    found = frac_catalog.published(store).resolve(value)
    if found is None or found[1]["type"] != "position":
        raise ValidationError.for_field("position", f"{value!r} is not a position of a "
                                                    "published FRAC framework")
    return str(found[1]["id"])


def check_languages(languages: Any) -> list[str]:
    """A list of valid BCP 47 tags (RFC 5646 §2.2.9), duplicates dropped in order."""
    if not isinstance(languages, list):
        raise ValidationError.for_field("languages", "must be a list of BCP 47 tags")
    for index, tag in enumerate(languages):
        if not is_language_tag(tag):
            raise ValidationError.for_field(f"languages.{index}", "not a valid BCP 47 tag")
    return list(dict.fromkeys(languages))


def build_record(store: Store, org_id: str, learner_id: str, fields: Document,
                 existing: Document | None, source: str, public_url: str) -> Document:
    """The record ``fields`` (the :data:`EDITABLE` ones, loaded by the schema) make, checked
    against the published frameworks; ``created_at`` and ``source`` stay those of the
    ``existing`` record (``source`` says how the record came to be)."""
    check_learner_id(learner_id)
    now = utcnow()
    return {"org_id": org_id, "learner_id": learner_id, "name": fields.get("name"),
            "designation": fields.get("designation"),
            "position": resolve_position(store, fields.get("position")),
            "languages": check_languages(fields.get("languages") or []),
            "home_page": fields.get("home_page") or public_url,
            "source": existing.get("source", "api") if existing else source,
            "created_at": existing["created_at"] if existing else now,
            "updated_at": now if existing else None}


def put_learner(store: Store, principal: Principal, learner_id: str, fields: Document,
                public_url: str) -> tuple[Document, bool]:
    """Create or replace a learner of the caller's organisation (its curator);
    ``(record, created)``."""
    check_manages_learners(principal)
    existing = store.department_learners.get(principal.org_id, learner_id)
    record = build_record(store, principal.org_id, learner_id, fields, existing, "api",
                          public_url)
    created = store.department_learners.put(record)
    return record, created


def patch_learner(store: Store, principal: Principal, learner_id: str, changes: Document,
                  public_url: str) -> Document:
    """Change some fields of a learner of the caller's organisation (its curator)."""
    check_manages_learners(principal)
    existing = store.department_learners.get(principal.org_id, learner_id)
    if existing is None:
        raise NotFound(f"no learner {learner_id} in this organisation")
    current = with_defaults(existing)
    merged = {**{k: current.get(k) for k in EDITABLE}, **changes}
    record = build_record(store, principal.org_id, learner_id, merged, existing, "api",
                          public_url)
    store.department_learners.put(record)
    return record


def delete_learner(store: Store, principal: Principal, learner_id: str) -> None:
    """Remove a learner of the caller's organisation (plans naming it keep the name; it then
    matches no one)."""
    check_manages_learners(principal)
    if not store.department_learners.delete(principal.org_id, learner_id):
        raise NotFound(f"no learner {learner_id} in this organisation")


def list_learners(store: Store, principal: Principal, codec: TokenCodec, *, limit: int,
                  cursor: str | None = None, org_id: str | None = None,
                  designation: str | None = None, position: str | None = None) -> Document:
    """A page of an organisation's learners by learner id, of one designation and/or
    position (id or reference code) when given; ``{"learners", "next"}``.

    The cursor is signed (:meth:`TokenCodec.dumps`) and names its organisation and filters,
    so a cursor of another query is a 400, not a page of something else."""
    org = learner_org(principal, org_id)
    if position is not None:
        found = frac_catalog.published(store).resolve(position)
        position = str(found[1]["id"]) if found else position  # an old id still filters
    query = [org, designation, position]
    after = None
    if cursor is not None:
        payload = codec.loads(cursor)
        if not (isinstance(payload, list) and len(payload) == 2 and payload[0] == query
                and isinstance(payload[1], str)):
            raise ValidationError.for_field("cursor", "belongs to another query")
        after = payload[1]
    rows = store.department_learners.page(org, limit + 1, after, designation=designation,
                                          position=position)
    page = [with_defaults(r) for r in rows[:limit]]
    return {"learners": page,
            "next": codec.dumps([query, page[-1]["learner_id"]]) if len(rows) > limit
            else None}
