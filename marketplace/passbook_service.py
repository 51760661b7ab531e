"""What the passbook API does (:mod:`marketplace.passbook_routes`): a learner's passbook as
shown, evidence recorded through the statement sink, the review list of flagged completions
and their acceptance.

Writes never touch ``store.passbook`` directly: the hub writes a statement
(:mod:`marketplace.passbook_statements`) through the statement sink, and the ingest listener
derives the rows from it, so a rebuild from the LRS replays every recorded piece of evidence
and every acceptance.
"""

from __future__ import annotations

import csv
import io

from hub.context import get_config, get_statement_sink
from hub.errors import Conflict, NotFound, PermissionDenied, ValidationError
from hub.principal import OrgKind, Principal, Role
from marketplace import passbook
from marketplace import passbook_statements as vocab
from marketplace.csv_cells import csv_cell
from marketplace.frac_catalog import published
from marketplace.frac_model import LEVEL_NAMES
from marketplace.frac_tags import validate_tags
from storage.ports import Document, Store
from storage.ports.passbook import PROVEN_KINDS

#: Columns of the flagged completions as CSV (RFC 4180).
CSV_COLUMNS = ("statement_id", "learner_id", "item_id", "kind", "at", "registration",
               "seconds", "expected_seconds", "accepted_by", "accepted_at")


def show(store: Store, org_id: str, learner_id: str, lang: str | None) -> Document:
    """Per competency the best proven level, the self-declared one apart, and the evidence
    rows, with FRAC names in ``lang``."""
    frameworks = published(store)
    entries: dict[str, Document] = {}
    for row in store.passbook.evidence(org_id, learner_id):
        entry = entries.get(row["competency"])
        if entry is None:
            found = frameworks.resolve(row["competency"])
            version, node = found if found else (None, None)
            entry = entries[row["competency"]] = {
                "competency": row["competency"], "code": node.get("code") if node else None,
                "name": version.text(node["id"], lang) if version and node else None,
                "level": None, "level_name": None, "self_declared": None, "evidence": []}
        if row["kind"] == "self-declared":
            entry["self_declared"] = max(entry["self_declared"] or 0, row["level"])
        elif row["kind"] in PROVEN_KINDS and not row.get("withheld"):
            entry["level"] = max(entry["level"] or 0, row["level"])
            entry["level_name"] = LEVEL_NAMES.get(entry["level"])
        entry["evidence"].append({k: row.get(k) for k in (
            "kind", "level", "source", "item_id", "statement_id", "at", "withheld", "details")})
    return {"org_id": org_id, "learner_id": learner_id,
            "competencies": sorted(entries.values(),
                                   key=lambda e: (e["code"] or "", e["competency"]))}


def _evidence_learner(store: Store, principal: Principal, learner_id: str, kind: str
                      ) -> Document:
    """The caller's own learner it may record ``kind`` evidence for: the organisation's
    curator, or for a self-declared level the learner's LMS organisation (an LMS speaks for
    the learners it launches). Another organisation's learner is never reachable (404)."""
    learner = store.department_learners.get(principal.org_id, learner_id)
    if learner is None:
        raise NotFound(f"no learner {learner_id} in this organisation")
    if principal.holds_in(principal.org_id, Role.CURATOR):
        return learner
    if kind == "self-declared" and principal.is_kind(OrgKind.LMS) and principal.has(
            Role.LRS_WRITER):
        return learner
    raise PermissionDenied("recording evidence needs the curator role of the learner's "
                           "organisation (a self-declared level: also its LMS's lrs-writer)")


def record_evidence(store: Store, principal: Principal, learner_id: str, body: Document
                    ) -> Document:
    """Write the evidence statement (the competency checked against the published FRAC
    frameworks, a code resolved to its id) and answer the evidence derived from it."""
    learner = _evidence_learner(store, principal, learner_id, body["kind"])
    try:
        tag = validate_tags(store, [{"id": body["competency"], "level": body["level"]}],
                            field="evidence")[0]
    except ValidationError as exc:
        # name the body's own fields, not the tag list validate_tags checks
        errors = {("level" if key.endswith(".level") else "competency"): value
                  for key, value in (exc.errors or {}).items()} or {"competency": [str(exc)]}
        raise ValidationError(f"{', '.join(errors)}: {next(iter(errors.values()))[0]}",
                              errors=errors) from exc
    evidence = {**body, "competency": tag["id"]}
    config = get_config()
    statement = vocab.evidence_statement(learner, evidence, principal.key, config.public_url)
    get_statement_sink()(store, principal.org_id, [statement])
    rows = [r for r in store.passbook.evidence(principal.org_id, learner_id)
            if r.get("statement_id") == statement["id"]]
    return {"statement_id": statement["id"], "evidence": rows[0] if rows else None}


def reviewer_org(principal: Principal, org_id: str | None) -> str:
    """The organisation whose completions the caller reviews: its own with the reviewer role;
    another only for a platform administrator reading across (404 for others)."""
    org = org_id or principal.org_id
    if org != principal.org_id:
        if principal.reads_across_organisations() and principal.has(Role.REVIEWER):
            return org
        raise NotFound(f"no organisation {org} whose completions this credential reviews")
    if not principal.has(Role.REVIEWER):
        raise PermissionDenied("reviewing completions needs the reviewer role")
    return org


def accept(store: Store, principal: Principal, statement_id: str) -> Document:
    """Accept a flagged completion of the caller's organisation: the acceptance statement
    goes through the statement sink and the listener releases the evidence."""
    completion = store.passbook.completion(principal.org_id, statement_id)
    if completion is None:
        raise NotFound(f"no completion {statement_id} in this organisation")
    if not principal.holds_in(principal.org_id, Role.REVIEWER):
        raise PermissionDenied("accepting a completion needs the reviewer role of the "
                               "learner's organisation")
    if not completion["flagged"]:
        raise Conflict(f"completion {statement_id} is not flagged")
    if completion.get("accepted") is not None:
        raise Conflict(f"completion {statement_id} is already accepted")
    config = get_config()
    statement = vocab.acceptance_statement(completion, principal.key, config.public_url)
    get_statement_sink()(store, principal.org_id, [statement])
    done = store.passbook.completion(principal.org_id, statement_id)
    if done is not None and done.get("accepted") is None:  # HUB_PASSBOOK_LIVE=off
        stored = store.statements.get(statement["id"], principal.org_id)
        if stored is not None:
            passbook.apply(store, principal.org_id, passbook.derive(
                store, principal.org_id, [stored["statement"]], config.public_url,
                config.integrity_min_ratio, passbook.Items(store)))
        done = store.passbook.completion(principal.org_id, statement_id)
    assert done is not None
    return done


def as_csv(rows: list[Document]) -> str:
    """Flagged completions as CSV (RFC 4180: CRLF, a header row). A cell a spreadsheet would
    run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR) is prefixed with ``'``: learner ids
    come from LRS clients."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        accepted = row.get("accepted") or {}
        flat = {**row, "accepted_by": accepted.get("by"), "accepted_at": accepted.get("at")}
        writer.writerow([csv_cell(flat.get(column)) for column in CSV_COLUMNS])
    return out.getvalue()
