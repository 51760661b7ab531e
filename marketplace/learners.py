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

from hub.errors import NotFound, PermissionDenied
from hub.principal import OrgKind, Principal, Role
from storage.ports import Document, Store

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
