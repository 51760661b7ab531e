"""The development platform's LTI Advantage services: the OAuth 2.0 token endpoint (client
credentials with a ``private_key_jwt`` assertion, RFC 7523 §2.2, LTI Security Framework §4.1),
AGS 2.0 line items, scores and results, and NRPS 2.0 memberships with paging. Each records what
it received, so a test of a tool (the hub's platform-side clients) can check it."""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from typing import Any
from urllib.parse import urlencode

from flask import Response, jsonify, request

from lti.devpeers.peer import DevPeer
from lti.devpeers.settings import NRPS_SCOPE, PlatformSettings
from lti.devpeers.signing import Refused, verify_token
from lti.devpeers.wire import get_json

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
CONTAINER_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
RESULTS_TYPE = "application/vnd.ims.lis.v2.resultcontainer+json"
MEMBERS_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
SCORE_FIELDS = ("userId", "activityProgress", "gradingProgress", "timestamp")


class PlatformServices(DevPeer):
    """Token endpoint, AGS and NRPS of :class:`~lti.devpeers.platform.DevPlatform`."""

    def __init__(self, settings: PlatformSettings | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings = settings or PlatformSettings()
        self._lock = threading.Lock()
        self.access_tokens: dict[str, dict[str, Any]] = {}
        self.lineitems: dict[str, dict[str, dict[str, Any]]] = {}  # context -> id -> item
        self.scores: dict[str, list[dict[str, Any]]] = {}  # lineitem id -> scores
        rule = self.app.add_url_rule
        rule("/token", "token", self._token, methods=["POST"])
        rule("/ags/<context_id>/lineitems", "lineitems", self._lineitems, methods=["GET", "POST"])
        rule("/ags/<context_id>/lineitems/<item_id>", "lineitem", self._lineitem,
             methods=["GET", "PUT", "DELETE"])
        rule("/ags/<context_id>/lineitems/<item_id>/scores", "scores", self._score,
             methods=["POST"])
        rule("/ags/<context_id>/lineitems/<item_id>/results", "results", self._results)
        rule("/nrps/<context_id>/memberships", "memberships", self._memberships)

    # -- the platform's URLs (settable; default: under the base URL) ----------------------------
    @property
    def issuer(self) -> str:
        """The platform's ``iss`` (default: its base URL)."""
        return self.settings.issuer or self.base_url

    @property
    def authorize_url(self) -> str:
        """Its OIDC authorization endpoint."""
        return self.settings.authorize_url or f"{self.base_url}/authorize"

    @property
    def token_url(self) -> str:
        """Its OAuth 2.0 token endpoint (the ``aud`` a client assertion must carry)."""
        return self.settings.token_url or f"{self.base_url}/token"

    @property
    def jwks_url(self) -> str:
        """Its JWKS URL."""
        return self.settings.jwks_url or f"{self.base_url}/jwks"

    def tool_keys(self) -> dict[str, Any]:
        """The registered tool's JWKS: its static public JWK, or fetched from its JWKS URL."""
        if self.settings.tool_public_jwk is not None:
            return {"keys": [self.settings.tool_public_jwk]}
        if not self.settings.tool_jwks_url:
            raise Refused("the platform knows no key of the tool (tool_jwks_url)", 401,
                          "invalid_client")
        keys = get_json(self.settings.tool_jwks_url)
        if not isinstance(keys, dict) or not isinstance(keys.get("keys"), list):
            raise Refused("the tool's JWKS is not a key set", 401, "invalid_client")
        return keys

    # -- claims the launch carries (AGS 2.0 §3.1, NRPS 2.0 §3.6.1) ------------------------------
    def ensure_lineitem(self, context_id: str, resource_link_id: str, label: str) -> str:
        """The URL of the resource link's line item in the context, created on first use."""
        with self._lock:
            items = self.lineitems.setdefault(context_id, {})
            for item_id, item in items.items():
                if item.get("resourceLinkId") == resource_link_id:
                    return self._item_url(context_id, item_id)
            item_id = uuid.uuid4().hex[:12]
            items[item_id] = {"scoreMaximum": 100, "label": label,
                              "resourceLinkId": resource_link_id}
            return self._item_url(context_id, item_id)

    def ags_claim(self, context_id: str, lineitem_url: str | None) -> dict[str, Any]:
        """The AGS endpoint claim for a launch in ``context_id``."""
        claim: dict[str, Any] = {
            "scope": [s for s in self.settings.scopes if "/lti-ags/" in s],
            "lineitems": f"{self.base_url}/ags/{context_id}/lineitems"}
        if lineitem_url:
            claim["lineitem"] = lineitem_url
        return claim

    def nrps_claim(self, context_id: str) -> dict[str, Any]:
        """The NRPS claim for a launch in ``context_id``."""
        return {"context_memberships_url": f"{self.base_url}/nrps/{context_id}/memberships",
                "service_versions": ["2.0"]}

    def _item_url(self, context_id: str, item_id: str) -> str:
        return f"{self.base_url}/ags/{context_id}/lineitems/{item_id}"

    # -- token endpoint -------------------------------------------------------------------------
    def _token(self) -> Response:
        form = request.form
        if form.get("grant_type") != "client_credentials":
            raise Refused("grant_type must be client_credentials", 400, "unsupported_grant_type")
        if form.get("client_assertion_type") != JWT_BEARER:
            raise Refused("client_assertion_type must be jwt-bearer", 401, "invalid_client")
        client_id = self.settings.client_id
        try:  # RFC 7523 §3: iss = sub = client id, aud = the token endpoint, jti once
            claims = verify_token(form.get("client_assertion", ""), self.tool_keys(),
                                  issuer=client_id, audience=self.token_url,
                                  once=self.once.consume, once_claim="jti")
        except Refused as exc:
            raise Refused(f"client assertion: {exc.reason}", 401, "invalid_client") from None
        if claims.get("sub") != client_id:
            raise Refused("client assertion: sub is not the client id", 401, "invalid_client")
        asked = form.get("scope", "").split()
        if not asked or not set(asked) <= set(self.settings.scopes):
            raise Refused(f"scope {form.get('scope')!r} not granted", 400, "invalid_scope")
        token = secrets.token_urlsafe(24)
        with self._lock:
            self.access_tokens[token] = {
                "scopes": asked, "exp": time.time() + self.settings.access_token_lifetime}
        self.received.record("token", client_id=client_id, scopes=asked, assertion=claims)
        return jsonify({"access_token": token, "token_type": "Bearer",
                        "expires_in": self.settings.access_token_lifetime,
                        "scope": " ".join(asked)})

    def _require(self, *any_of: str) -> None:
        """The request's bearer token must be live and grant one of ``any_of``."""
        auth = request.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else ""
        with self._lock:
            granted = self.access_tokens.get(token)
        if granted is None or granted["exp"] < time.time():
            raise Refused("missing, unknown or expired bearer token", 401, "invalid_token")
        if not set(any_of) & set(granted["scopes"]):
            raise Refused(f"the token lacks scope {any_of[0]}", 403, "insufficient_scope")

    # -- AGS 2.0 §3.2 line items, §3.4 scores, §3.3 results -------------------------------------
    def _lineitems(self, context_id: str) -> Response:
        if request.method == "POST":
            self._require(f"{_AGS}lineitem")
            body = request.get_json(force=True, silent=True)
            if not isinstance(body, dict) or not isinstance(body.get("scoreMaximum"), int | float) \
                    or not body.get("label"):
                raise Refused("a line item needs label and scoreMaximum")
            item_id = uuid.uuid4().hex[:12]
            item = {k: v for k, v in body.items() if k != "id"}
            with self._lock:
                self.lineitems.setdefault(context_id, {})[item_id] = item
            self.received.record("lineitem_created", context_id=context_id, item=item)
            return _typed({"id": self._item_url(context_id, item_id), **item}, LINEITEM_TYPE, 201)
        self._require(f"{_AGS}lineitem", f"{_AGS}lineitem.readonly")
        wanted = {k: request.args[a] for a, k in (("resource_link_id", "resourceLinkId"),
                                                  ("resource_id", "resourceId"), ("tag", "tag"))
                  if a in request.args}
        with self._lock:
            items = list(self.lineitems.get(context_id, {}).items())
        found = [{"id": self._item_url(context_id, i), **item} for i, item in items
                 if all(item.get(k) == v for k, v in wanted.items())]
        return _typed(found, CONTAINER_TYPE)

    def _lineitem(self, context_id: str, item_id: str) -> Response:
        with self._lock:
            item = self.lineitems.get(context_id, {}).get(item_id)
        if item is None:
            raise Refused("no such line item", 404, "not_found")
        if request.method == "GET":
            self._require(f"{_AGS}lineitem", f"{_AGS}lineitem.readonly")
            return _typed({"id": self._item_url(context_id, item_id), **item}, LINEITEM_TYPE)
        self._require(f"{_AGS}lineitem")
        with self._lock:
            if request.method == "DELETE":
                del self.lineitems[context_id][item_id]
                return Response(status=204)
            body = request.get_json(force=True, silent=True)
            if not isinstance(body, dict):
                raise Refused("a line item is a JSON object")
            item.update({k: v for k, v in body.items() if k != "id"})
        return _typed({"id": self._item_url(context_id, item_id), **item}, LINEITEM_TYPE)

    def _score(self, context_id: str, item_id: str) -> Response:
        self._require(f"{_AGS}score")
        if request.mimetype != SCORE_TYPE:  # AGS 2.0 §3.4: the score media type is required
            raise Refused(f"Content-Type must be {SCORE_TYPE}", 415)
        with self._lock:
            known = item_id in self.lineitems.get(context_id, {})
        if not known:
            raise Refused("no such line item", 404, "not_found")
        body = request.get_json(force=True, silent=True)
        if not isinstance(body, dict) or any(not body.get(f) for f in SCORE_FIELDS):
            raise Refused(f"a score needs {', '.join(SCORE_FIELDS)}")
        with self._lock:
            self.scores.setdefault(item_id, []).append(body)
        self.received.record("score", context_id=context_id,
                             lineitem=self._item_url(context_id, item_id), score=body)
        return Response(status=204)

    def _results(self, context_id: str, item_id: str) -> Response:
        self._require(f"{_AGS}result.readonly")
        with self._lock:
            scores = list(self.scores.get(item_id, []))
        latest: dict[str, dict[str, Any]] = {s["userId"]: s for s in scores}
        url = self._item_url(context_id, item_id)
        return _typed([{"id": f"{url}/results/{u}", "scoreOf": url, "userId": u,
                        "resultScore": s.get("scoreGiven"),
                        "resultMaximum": s.get("scoreMaximum")} for u, s in latest.items()],
                      RESULTS_TYPE)

    # -- NRPS 2.0 §2: memberships, paged with Link rel="next" -----------------------------------
    def _memberships(self, context_id: str) -> Response:
        self._require(NRPS_SCOPE)
        members = self.settings.members
        try:
            limit = max(1, int(request.args.get("limit", self.settings.members_page_size)))
            start = max(0, int(request.args.get("page", 0)))
        except ValueError:
            raise Refused("limit and page are integers") from None
        page = members[start * limit:(start + 1) * limit]
        self.received.record("memberships", context_id=context_id, limit=limit, page=start)
        resp = _typed({"id": request.base_url,
                       "context": {"id": context_id, **{k: v for k, v in
                                   self.settings.context.items() if k in ("label", "title")}},
                       "members": page}, MEMBERS_TYPE)
        if (start + 1) * limit < len(members):
            query = urlencode({"limit": limit, "page": start + 1})
            resp.headers["Link"] = f'<{request.base_url}?{query}>; rel="next"'
        return resp


_AGS = "https://purl.imsglobal.org/spec/lti-ags/scope/"


def _typed(value: Any, media_type: str, status: int = 200) -> Response:
    resp = jsonify(value)
    resp.status_code = status
    resp.mimetype = media_type
    return resp
