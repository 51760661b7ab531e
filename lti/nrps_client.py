"""The hub's NRPS 2.0 client: read an LMS context's roster (Names and Role Provisioning Services
2.0 §2.2 "Membership container media type", §2.3 paging with ``Link: rel="next"``).

The roster of a context is read with the context's ``context_memberships_url`` (remembered from
a launch, :func:`lti.tool_services.remember_launch`) and an access token for the
``contextmembership.readonly`` scope (:class:`lti.ags_client.AccessTokens`).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from lti.ags_client import SCOPE_NRPS, AccessTokens
from lti.lms_http import LmsHttp, LmsServiceError, check

MEMBERSHIP_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
#: Pages followed at most: a roster is read on a person's request, which must end.
MAX_PAGES = 50
#: Members shown at most (the API answers these; an LMS context is a class, not a directory).
MAX_MEMBERS = 10_000
#: The member fields the hub passes on (NRPS 2.0 §2.2; ``message`` and extensions stay out).
MEMBER_FIELDS = ("user_id", "status", "roles", "name", "given_name", "family_name",
                 "middle_name", "email", "picture", "lis_person_sourcedid")

_LINK = re.compile(r'<([^>]*)>\s*((?:;\s*[^;,]*)*)')
_REL = re.compile(r';\s*rel\s*=\s*"?([^";,]*)"?', re.IGNORECASE)


def next_link(header: str | None, base: str) -> str | None:
    """The ``rel="next"`` target of a ``Link`` header (RFC 8288 §3), resolved against
    ``base``, or None."""
    for match in _LINK.finditer(header or ""):
        for rel in _REL.findall(match.group(2)):
            if "next" in rel.lower().split():
                return urljoin(base, match.group(1).strip())
    return None


def read_roster(http: LmsHttp, tokens: AccessTokens, registration: dict[str, Any],
                memberships_url: str) -> dict[str, Any]:
    """``{"context": {...}, "members": [...]}`` of a context, every page followed (at most
    :data:`MAX_PAGES`, :data:`MAX_MEMBERS`)."""
    token = tokens.token(registration, [SCOPE_NRPS])
    headers = {"Authorization": f"Bearer {token}", "Accept": MEMBERSHIP_TYPE}
    url: str | None = memberships_url
    context: dict[str, Any] = {}
    members: list[dict[str, Any]] = []
    seen: set[str] = set()
    for _ in range(MAX_PAGES):
        if url is None or url in seen or len(members) >= MAX_MEMBERS:
            break
        seen.add(url)  # a page linking back to itself must not loop
        response = check(http.get_json(url, headers), "roster")
        page = response.json
        if not isinstance(page, dict) or not isinstance(page.get("members"), list):
            raise LmsServiceError("roster: the LMS's answer is not a membership container")
        if isinstance(page.get("context"), dict) and not context:
            context = {k: page["context"][k] for k in ("id", "label", "title")
                       if isinstance(page["context"].get(k), str)}
        for member in page["members"]:
            if isinstance(member, dict) and isinstance(member.get("user_id"), str):
                members.append({k: member[k] for k in MEMBER_FIELDS if k in member})
        url = next_link(response.headers.get("Link"), url)
    return {"context": context, "members": members[:MAX_MEMBERS]}
