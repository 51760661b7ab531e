"""NRPS 2.0 on the platform side: a provider's tool reads the members of a context it was
launched in (NRPS §2.2), i.e. the learners the hub launched there, with the roles of their
latest launch. Names and emails appear only when the learner's platform sent them.
"""

from __future__ import annotations

from typing import Any

from lti import links
from lti.platform_ags import tool_context
from lti.platform_services import SCOPE_MEMBERSHIPS
from lti.platform_tokens import Grant
from storage.ports import Store

#: NRPS §2.3.1 / LTI 1.3 §A.2.3: a short role name means the context role of that name.
CONTEXT_ROLE_BASE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


def role_uri(role: str) -> str:
    """The full role URI of a ``role`` filter (``Learner`` -> the membership#Learner URI)."""
    return role if ":" in role else CONTEXT_ROLE_BASE + role


def memberships(store: Store, public_url: str, grant: Grant, context_id: str,
                args: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """A page of the context's membership container (NRPS §2.2) and the next page's cursor
    (the last member's id: members are ordered by it)."""
    grant.require(SCOPE_MEMBERSHIPS)
    context = tool_context(store, grant, context_id)
    limit = args["limit"]
    role = args.get("role")
    rows = store.lti_contexts.members(grant.tool["id"], context_id,
                                      role=role_uri(role) if role else None,
                                      after=args.get("after"), limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    members = []
    for row in rows:
        member = {"user_id": row["user_id"], "status": row.get("status", "Active"),
                  "roles": list(row.get("roles") or ())}
        member.update({k: row[k] for k in ("name", "email") if row.get(k)})
        members.append(member)
    body = {"id": links.platform_memberships_url(public_url, context_id),
            "context": {"id": context_id, "title": context.get("title") or context_id},
            "members": members}
    return body, (rows[-1]["user_id"] if more else None)
