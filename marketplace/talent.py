"""Talent search and competency coverage (issue 13 "Talent search"): who in a department holds
a competency at a level, with the evidence behind it, and how many officials in each role meet
each level the role requires. Both read only the passbook's proven, not withheld evidence
(``store.passbook``: a flagged completion counts once a reviewer accepted it).

Who asks: a curator, reviewer or department-approver (or admin) of the department, for its
own learners; a platform administrator for any department (``org`` None: every department,
for talent search). Another organisation named by anyone else answers 404 (DESIGN.md
"Tenancy").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from hub.errors import NotFound, PermissionDenied, ValidationError
from hub.principal import OrgKind, Principal, Role
from hub.tokens import TokenCodec
from marketplace.csv_cells import csv_cell
from marketplace.frac_catalog import PublishedFrameworks, published
from marketplace.frac_model import COMPETENCY, LEVEL_NAMES, FrameworkVersion
from marketplace.frac_search import ref
from marketplace.learner_roles import role_requirements, roles_of_position
from marketplace.learners import with_defaults
from storage.ports import Document, Store
from storage.ports.passbook import PROVEN_KINDS

#: The roles that search their department's talent (``admin`` implies them all).
TALENT_ROLES: tuple[str, ...] = (Role.CURATOR, Role.REVIEWER, Role.DEPARTMENT_APPROVER)

#: Columns of the talent search CSV.
SEARCH_COLUMNS = ("org_id", "learner_id", "name", "designation", "position_code",
                  "position_name", "competency_code", "level", "level_name", "evidence")
#: Columns of the coverage CSV.
COVERAGE_COLUMNS = ("role_id", "role_code", "role_name", "position_code", "competency_id",
                    "competency_code", "competency_name", "level", "officials", "meeting",
                    "share")


def talent_org(principal: Principal, org_id: str | None, across: bool = False) -> str | None:
    """The organisation a talent read covers: the caller's own; for a platform administrator
    the one named, or every organisation (None) when ``across`` allows it. 403 without a
    talent role, 404 for another organisation the caller may not read."""
    if org_id not in (None, principal.org_id) and not principal.reads_across_organisations():
        raise NotFound(f"no organisation {org_id} whose learners this credential may read")
    if not principal.has(*TALENT_ROLES):
        raise PermissionDenied("talent search and coverage need the curator, reviewer, "
                               "department-approver or admin role")
    # Every department by default only for the platform's own administrators: an admin
    # credential of a department reads its own unless it names another (``?org=``).
    if org_id is None and across and principal.is_kind(OrgKind.PLATFORM_ADMIN):
        return None
    return org_id or principal.org_id


def competency_of(catalog: PublishedFrameworks, competency: str
                  ) -> tuple[FrameworkVersion, Document]:
    """A published competency by id or reference code; 400 naming ``competency`` else."""
    found = catalog.resolve(competency.strip())
    if found is None or found[1]["type"] != COMPETENCY:
        raise ValidationError.for_field(
            "competency", "is not the id or code of a published competency")
    return found


def _cursor(codec: TokenCodec, cursor: str | None, query: list[Any]
            ) -> tuple[str, str] | None:
    """The ``(org_id, learner_id)`` a page starts after; 400 for another query's cursor."""
    if not cursor:
        return None
    data = codec.loads(cursor)
    if not isinstance(data, dict) or data.get("q") != query or not isinstance(
            data.get("a"), list) or len(data["a"]) != 2:
        raise ValidationError.for_field(
            "cursor", "this cursor belongs to a different query; start again without it")
    return str(data["a"][0]), str(data["a"][1])


def _holder(store: Store, catalog: PublishedFrameworks, row: Document, competency: str,
            min_level: int, lang: str | None) -> Document:
    record = store.department_learners.get(row["org_id"], row["learner_id"])
    learner = with_defaults(record) if record is not None else {}
    position = catalog.resolve(learner["position"]) if learner.get("position") else None
    evidence = [
        {k: e.get(k) for k in ("kind", "level", "source", "item_id", "statement_id", "at")}
        for e in store.passbook.evidence(row["org_id"], row["learner_id"])
        if e["competency"] == competency and e["kind"] in PROVEN_KINDS
        and not e.get("withheld") and int(e["level"]) >= min_level]
    return {"org_id": row["org_id"], "learner_id": row["learner_id"],
            "name": learner.get("name"), "designation": learner.get("designation"),
            "position": ref(position[0], position[1], lang) if position else None,
            "level": int(row["level"]), "level_name": LEVEL_NAMES.get(int(row["level"]), ""),
            "evidence": evidence}


def search(store: Store, principal: Principal, args: Document, codec: TokenCodec,
           lang: str | None) -> Document:
    """``GET /talent/search``: one page of the holders of ``competency`` at ``min_level``
    or above, by organisation then learner id, with a cursor to the next page."""
    org = talent_org(principal, args.get("org"), across=True)
    catalog = published(store)
    version, node = competency_of(catalog, args["competency"])
    min_level, limit = int(args.get("min_level") or 1), int(args.get("limit") or 50)
    query = [org, node["id"], min_level]
    rows = store.passbook.holders(org, node["id"], min_level,
                                  after=_cursor(codec, args.get("cursor"), query),
                                  limit=limit + 1)
    page = rows[:limit]
    nxt = None
    if len(rows) > limit:
        nxt = codec.dumps({"q": query, "a": [page[-1]["org_id"], page[-1]["learner_id"]]})
    return {"org_id": org, "competency": ref(version, node, lang), "min_level": min_level,
            "items": [_holder(store, catalog, r, node["id"], min_level, lang) for r in page],
            "next": nxt}


def search_as_csv(store: Store, principal: Principal, args: Document, codec: TokenCodec,
                  lang: str | None) -> str:
    """Every holder from ``args["cursor"]`` on as CSV (RFC 4180, header first), read a page
    at a time; cells a spreadsheet would run as formulas are defused
    (:func:`marketplace.csv_cells.csv_cell`)."""
    args = {**args, "limit": 500}
    lines = [_line(SEARCH_COLUMNS)]
    while True:
        page = search(store, principal, args, codec, lang)
        code = page["competency"]["code"]
        for row in page["items"]:
            position = row["position"] or {}
            evidence = "; ".join(f"{e['kind']} {e['source']} level {e['level']}"
                                 for e in row["evidence"])
            lines.append(_line((row["org_id"], row["learner_id"], row["name"],
                                row["designation"], position.get("code"),
                                position.get("name"), code, row["level"], row["level_name"],
                                evidence)))
        if page["next"] is None:
            return "".join(lines)
        args["cursor"] = page["next"]


def coverage(store: Store, principal: Principal, org_id: str | None,
             lang: str | None) -> Document:
    """``GET /talent/coverage``: per published role held by the department's learners (via
    their positions), per competency it requires, the officials in the role, how many meet
    the level and the share."""
    org = talent_org(principal, org_id)
    assert org is not None
    catalog = published(store)
    learners = store.department_learners.list(org)
    held = store.passbook.held_levels(org, [lr["learner_id"] for lr in learners])
    officials: dict[str, list[str]] = {}
    found: dict[str, tuple[FrameworkVersion, Document, Document | None]] = {}
    positions: dict[str, Any] = {}
    for learner in learners:
        position = learner.get("position")
        if not position:
            continue
        if position not in positions:
            positions[position] = roles_of_position(catalog, position)
        roles = positions[position]
        for role in roles.roles:
            assert roles.version is not None
            found.setdefault(role["id"], (roles.version, role, roles.position))
            officials.setdefault(role["id"], []).append(learner["learner_id"])
    shown = []
    for role_id in sorted(found, key=lambda r: (found[r][1].get("code") or "", r)):
        version, role, position = found[role_id]
        members = officials[role_id]
        requirements = []
        for comp_id, level in role_requirements(version, role).items():
            meeting = sum(1 for m in members if held.get(m, {}).get(comp_id, 0) >= level)
            requirements.append({
                "competency": ref(version, version.node(comp_id), lang), "level": level,
                "level_name": LEVEL_NAMES.get(level, str(level)), "meeting": meeting,
                "share": round(meeting / len(members), 4)})
        shown.append({"role": ref(version, role, lang), "position": ref(version, position, lang),
                      "officials": len(members), "requirements": requirements})
    in_a_role = {m for members in officials.values() for m in members}
    return {"org_id": org, "learners": len(learners), "with_role": len(in_a_role),
            "roles": shown}


def coverage_csv(report: Document) -> str:
    """The coverage report as CSV, one row per role and required competency."""
    lines = [_line(COVERAGE_COLUMNS)]
    for role in report["roles"]:
        for req in role["requirements"]:
            lines.append(_line((
                role["role"]["id"], role["role"]["code"], role["role"]["name"],
                (role["position"] or {}).get("code"), req["competency"]["id"],
                req["competency"]["code"], req["competency"]["name"], req["level"],
                role["officials"], req["meeting"], req["share"])))
    return "".join(lines)


def _line(values: Iterable[object]) -> str:
    """One CSV record (RFC 4180 quoting, CRLF), spreadsheet formulas defused."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([csv_cell(v) for v in values])
    return out.getvalue()
