"""The development tool's LTI Advantage client: a client-credentials access token from the
platform (RFC 7523 §2.2 ``private_key_jwt``, LTI Security Framework §4.1), AGS 2.0 scores on the
launch's line item (found or created), and the NRPS 2.0 roster (following ``Link: rel=next``).
Callable from Python or over HTTP (``POST /_launches/<id>/score``, ``GET
/_launches/<id>/members``), so a test or the CLI can make the tool act after a launch."""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from flask import Response, jsonify, request

from lti.devpeers.peer import DevPeer
from lti.devpeers.settings import NRPS_SCOPE, ToolSettings
from lti.devpeers.signing import Refused
from lti.devpeers.wire import post_form, send_json
from lti.devpeers.wire import request as http_request

AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
CONTAINER_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
MEMBERS_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
_AGS = "https://purl.imsglobal.org/spec/lti-ags/scope/"
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class ToolServices(DevPeer):
    """Token, AGS and NRPS client of :class:`~lti.devpeers.tool.DevTool`."""

    def __init__(self, settings: ToolSettings | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings = settings or ToolSettings()
        self.launches: dict[str, dict[str, Any]] = {}  # launch id -> validated claims
        self._lock = threading.Lock()
        self.app.add_url_rule("/_launches/<launch_id>/score", "send_score", self._send_score,
                              methods=["POST"])
        self.app.add_url_rule("/_launches/<launch_id>/members", "members", self._members)

    def launch(self, launch_id: str) -> dict[str, Any]:
        """The claims of a launch the tool accepted; Refused (404) when unknown."""
        with self._lock:
            claims = self.launches.get(launch_id)
        if claims is None:
            raise Refused(f"no launch {launch_id!r}", 404, "not_found")
        return claims

    # -- RFC 7523 client assertion -> access token -----------------------------------------------
    def access_token(self, scopes: list[str]) -> str:
        """A bearer token for ``scopes`` from the platform's token endpoint."""
        settings = self.settings
        if not (settings.token_url and settings.client_id):
            raise Refused("set token_url and client_id first", 409)
        now = int(time.time())
        assertion = self.sign("client_assertion", {
            "iss": settings.client_id, "sub": settings.client_id,
            "aud": settings.token_audience or settings.token_url,
            "iat": now, "exp": now + 300, "jti": uuid.uuid4().hex})
        resp = post_form(settings.token_url, {
            "grant_type": "client_credentials", "client_assertion_type": JWT_BEARER,
            "client_assertion": assertion, "scope": " ".join(scopes)})
        body = _json(resp.data)
        if resp.status != 200 or not isinstance(body, dict) or "access_token" not in body:
            raise Refused(f"token endpoint answered {resp.status}: {body}", 502, "token_failed")
        self.received.record("token_received", scopes=scopes, status=resp.status)
        return str(body["access_token"])

    # -- AGS 2.0 ---------------------------------------------------------------------------------
    def post_score(self, launch_id: str, score_given: float | None, score_maximum: float = 100,
                   *, activity_progress: str = "Completed",
                   grading_progress: str = "FullyGraded", user_id: str | None = None,
                   comment: str | None = None) -> dict[str, Any]:
        """Post a score for the launch's user on the launch's line item (AGS 2.0 §3.4), finding
        or creating the item for the resource link when the launch named none."""
        claims = self.launch(launch_id)
        ags = claims.get(AGS_CLAIM)
        if not isinstance(ags, dict):
            raise Refused("the launch offers no AGS endpoint", 409, "no_ags")
        granted = list(ags.get("scope", []))
        token = self.access_token([s for s in granted if s.startswith(_AGS)])
        auth = {"Authorization": f"Bearer {token}"}
        lineitem = ags.get("lineitem") or self._find_or_create_lineitem(claims, ags, auth)
        score: dict[str, Any] = {
            "userId": user_id or claims["sub"], "activityProgress": activity_progress,
            "gradingProgress": grading_progress,
            "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds")}
        if score_given is not None:
            score.update(scoreGiven=score_given, scoreMaximum=score_maximum)
        if comment:
            score["comment"] = comment
        resp = send_json("POST", _service_url(lineitem, "/scores"), score, SCORE_TYPE, auth)
        if resp.status not in (200, 201, 202, 204):
            raise Refused(f"score answered {resp.status}: {resp.data[:300]!r}", 502,
                          "score_failed")
        self.received.record("score_sent", launch_id=launch_id, lineitem=lineitem, score=score,
                             status=resp.status)
        return {"lineitem": lineitem, "status": resp.status, "score": score}

    def _find_or_create_lineitem(self, claims: dict[str, Any], ags: dict[str, Any],
                                 auth: dict[str, str]) -> str:
        link = claims.get("https://purl.imsglobal.org/spec/lti/claim/resource_link", {})
        link_id = link.get("id") if isinstance(link, dict) else None
        container = str(ags.get("lineitems", ""))
        found = http_request("GET", _service_url(container, "", {"resource_link_id": link_id}),
                             headers={"Accept": CONTAINER_TYPE, **auth})
        items = _json(found.data)
        if found.status == 200 and isinstance(items, list) and items:
            return str(items[0]["id"])
        made = send_json("POST", container, {"scoreMaximum": 100, "label": "Dev tool activity",
                                             "resourceLinkId": link_id}, LINEITEM_TYPE, auth)
        item = _json(made.data)
        if made.status not in (200, 201) or not isinstance(item, dict):
            raise Refused(f"line item creation answered {made.status}", 502, "lineitem_failed")
        return str(item["id"])

    # -- NRPS 2.0 ------------------------------------------------------------------------------
    def fetch_members(self, launch_id: str) -> list[dict[str, Any]]:
        """Every member of the launch's context, following the ``next`` links (NRPS 2.0 §2.4)."""
        nrps = self.launch(launch_id).get(NRPS_CLAIM)
        if not isinstance(nrps, dict):
            raise Refused("the launch offers no NRPS endpoint", 409, "no_nrps")
        auth = {"Authorization": f"Bearer {self.access_token([NRPS_SCOPE])}",
                "Accept": MEMBERS_TYPE}
        url: str | None = str(nrps["context_memberships_url"])
        members: list[dict[str, Any]] = []
        for _ in range(100):  # a bound: a platform's next links must not loop the tool forever
            if url is None:
                break
            resp = http_request("GET", url, headers=auth)
            page = _json(resp.data)
            if resp.status != 200 or not isinstance(page, dict):
                raise Refused(f"memberships answered {resp.status}", 502, "nrps_failed")
            members.extend(page.get("members", []))
            found = _NEXT.search(resp.headers.get("Link", ""))
            url = found.group(1) if found else None
        self.received.record("members_fetched", launch_id=launch_id, count=len(members))
        return members

    # -- HTTP faces of the two actions -----------------------------------------------------------
    def _send_score(self, launch_id: str) -> Response:
        body = request.get_json(force=True, silent=True) or {}
        return jsonify(self.post_score(
            launch_id, body.get("scoreGiven"), body.get("scoreMaximum", 100),
            activity_progress=body.get("activityProgress", "Completed"),
            grading_progress=body.get("gradingProgress", "FullyGraded"),
            user_id=body.get("userId"), comment=body.get("comment")))

    def _members(self, launch_id: str) -> Response:
        return jsonify(self.fetch_members(launch_id))


def _service_url(base: str, suffix: str, query: dict[str, Any] | None = None) -> str:
    """``base`` with ``suffix`` appended to its path, keeping its query (AGS 2.0 §3.2: a line
    item URL may carry a query; its scores URL is the path plus ``/scores``)."""
    parts = urlsplit(base)
    extra = urlencode({k: v for k, v in (query or {}).items() if v is not None})
    joined = "&".join(q for q in (parts.query, extra) if q)
    return urlunsplit(parts._replace(path=parts.path + suffix, query=joined))


def _json(data: bytes) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return None
