"""Shared by the platform-services tests: a provider's tool with its own RSA key, whose JWKS a
real HTTP server on 127.0.0.1 serves, the client assertions it signs (RFC 7523), its
registration in the hub's store, and a launch that enrols a learner.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from lti.model import PlatformLaunch
from lti.platform_services import SERVICE_SCOPES
from lti.platform_tokens import ASSERTION_TYPE

HUB = "http://hub.test"
TOKEN_URL = f"{HUB}/lti/platform/token"
LEARNER_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


class ToolKeys:
    """A tool's RSA key pair and the JWKS of its public half."""

    def __init__(self, kid: str | None = None) -> None:
        self.kid = kid or "k-" + uuid.uuid4().hex[:8]
        self.key = RSAKey.generate_key(2048)

    def public_jwk(self) -> dict[str, Any]:
        """The public key as a JWK with its kid and alg."""
        return {**self.key.as_dict(private=False), "kid": self.kid, "alg": "RS256",
                "use": "sig"}

    def jwks(self) -> dict[str, Any]:
        """The tool's key set."""
        return {"keys": [self.public_jwk()]}


@contextmanager
def jwks_server(keys: ToolKeys) -> Iterator[str]:
    """Serve ``keys``' JWKS over real HTTP on 127.0.0.1; yields its URL."""

    @Request.application  # type: ignore[arg-type]
    def app(request: Request) -> Response:
        return Response(json.dumps(keys.jwks()), mimetype="application/json")

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/jwks"
    finally:
        server.shutdown()
        thread.join(5)


def assertion(keys: ToolKeys, client_id: str, *, header: dict[str, Any] | None = None,
              **claims: Any) -> str:
    """A client assertion (RFC 7523 §3) signed by ``keys``: iss = sub = client id, aud = the
    hub's token URL, a fresh jti, valid for five minutes; ``claims`` override (None drops)."""
    now = int(time.time())
    body: dict[str, Any] = {"iss": client_id, "sub": client_id, "aud": TOKEN_URL,
                            "iat": now, "exp": now + 300, "jti": uuid.uuid4().hex}
    body.update(claims)
    body = {k: v for k, v in body.items() if v is not None}
    head = {"alg": "RS256", "kid": keys.kid, "typ": "JWT", **(header or {})}
    return jwt.encode(head, body, keys.key)


def token_form(signed: str, scope: str | None = " ".join(SERVICE_SCOPES),
               **extra: str) -> dict[str, str]:
    """The form of a token request."""
    form = {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": signed, **extra}
    if scope is not None:
        form["scope"] = scope
    return form


def register_tool(store: Any, org_id: str, keys: ToolKeys | None, *,
                  key_set_url: str | None = None,
                  scopes: tuple[str, ...] = SERVICE_SCOPES) -> dict[str, Any]:
    """A provider's tool registration in the store (by JWKS URL, else by its public JWK)."""
    tool_id = "tool_" + uuid.uuid4().hex[:12]
    tool = {"id": tool_id, "org_id": org_id, "name": "Quiz tool",
            "client_id": "client-" + tool_id,
            "initiate_login_url": "https://tool.example.org/login",
            "redirect_uris": ["https://tool.example.org/launch"],
            "key_set_url": key_set_url,
            "public_jwk": keys.public_jwk() if keys and not key_set_url else None,
            "deployment_id": "dep-1", "scopes": list(scopes), "target_link_uri": None,
            "deep_linking_url": None, "created_at": "2026-06-01T00:00:00.000000Z",
            "created_by": "k_test", "updated_at": None}
    store.lti_tools.add(tool)
    return tool


def launch(tool: dict[str, Any], org_id: str, learner_id: str, *, course_id: str = "course_1",
           context_id: str = "ctx_1", roles: tuple[str, ...] = (LEARNER_ROLE,),
           name: str | None = None, email: str | None = None) -> PlatformLaunch:
    """A launch of ``tool`` for a learner, as the platform side builds it."""
    return PlatformLaunch(
        org_id=org_id, tool_id=tool["id"], course_id=course_id,
        target_link_uri="https://tool.example.org/launch", learner_id=learner_id,
        agent={"account": {"homePage": HUB, "name": learner_id}}, roles=roles,
        context_id=context_id, resource_link_id=f"rl-{course_id}",
        registration=str(uuid.uuid4()), name=name, email=email)


def tokens_stored(store: Any) -> int:
    """How many access tokens the store holds (purging far in the future counts them all;
    the tests call it last)."""
    return int(store.lti_contexts.purge_tokens("9999-12-31T00:00:00.000000Z"))


def service_caller(app: Any, provider_org_id: str, lms_org_id: str,
                   course_id: str) -> tuple[dict[str, Any], dict[str, str]]:
    """A tool holding every service scope, launched once into a context, and a bearer token
    of it (stored as the token endpoint stores one): ``({"headers": ...}, real path ids)``,
    for tests that call the AGS and NRPS endpoints as that tool."""
    import hashlib
    import secrets

    from lti.platform_services import enrol

    store = app.extensions["hub.store"]
    tool = register_tool(store, provider_org_id, ToolKeys())
    with app.app_context():
        claims = enrol(store, launch(tool, lms_org_id, "learner-1", course_id=course_id), HUB)
    token = secrets.token_urlsafe(32)
    store.lti_contexts.add_token({
        "token_hash": hashlib.sha256(token.encode()).hexdigest(), "tool_id": tool["id"],
        "client_id": tool["client_id"], "scopes": list(SERVICE_SCOPES),
        "created_at": "2026-06-01T00:00:00.000000Z", "expires_at": "9999-01-01T00:00:00.000000Z"})
    item_id = claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"]["lineitem"]
    return ({"headers": {"Authorization": f"Bearer {token}"}},
            {"context_id": "ctx_1", "item_id": item_id.rsplit("/", 1)[1]})
