"""The development tool: a provider's LTI 1.3 tool stand-in that a platform (the hub's platform
side, or the dev platform) launches the standard way, validating every id_token like a strict
tool, answering Deep Linking requests, and using AGS and NRPS (:mod:`lti.devpeers.tool_services`).

Endpoints: ``/login`` (OIDC third-party initiated login, LTI 1.3 §5.1.1.1), ``/launch`` (the
redirect URI, §5.1.1.3), ``/resource`` (the default ``target_link_uri``), ``/jwks``,
``/register`` (Dynamic Registration initiation, §3.3), ``/_received``.
"""

from __future__ import annotations

import html
import json
import secrets
import time
import uuid
from typing import Any
from urllib.parse import urlencode

from flask import Response, redirect, request
from werkzeug.wrappers import Response as WerkzeugResponse

from lti.devpeers.ledger import Pending
from lti.devpeers.settings import AGS_SCOPES, NRPS_SCOPE
from lti.devpeers.signing import Refused, verify_token
from lti.devpeers.tool_services import ToolServices
from lti.devpeers.wire import form_post_page, get_json, send_json

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
MESSAGE_TYPES = ("LtiResourceLinkRequest", "LtiDeepLinkingRequest")


class DevTool(ToolServices):
    """An LTI 1.3 tool for development and tests (see the module docstring).

    Point it at a platform through :attr:`settings` (:class:`~lti.devpeers.settings.
    ToolSettings`: issuer, client id, deployment id, authorize/JWKS/token URLs), or let Dynamic
    Registration fill them in. Bad JWTs for security tests: ``jwt_hook`` and
    ``sign_with_rogue_key`` (kinds ``"deep_link_response"`` and ``"client_assertion"``)."""

    name = "dev tool"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.states = Pending()  # OIDC state -> nonce and target link (each used once)
        rule = self.app.add_url_rule
        rule("/login", "login", self._login, methods=["GET", "POST"])
        rule("/launch", "launch", self._launch, methods=["POST"])
        rule("/resource", "resource", lambda: "Dev tool resource")
        rule("/register", "register", self._register)

    @property
    def login_url(self) -> str:
        """OIDC initiation URL to register with a platform."""
        return f"{self.base_url}/login"

    @property
    def launch_url(self) -> str:
        """The redirect URI to register with a platform."""
        return f"{self.base_url}/launch"

    @property
    def target_link_uri(self) -> str:
        """The tool's default resource (its target link)."""
        return f"{self.base_url}/resource"

    @property
    def jwks_url(self) -> str:
        """The tool's public keys."""
        return f"{self.base_url}/jwks"

    @property
    def registration_url(self) -> str:
        """Dynamic Registration initiation URL."""
        return f"{self.base_url}/register"

    # -- OIDC login initiation (LTI 1.3 §5.1.1.1-2) ---------------------------------------------
    def _login(self) -> WerkzeugResponse:
        params, settings = request.values, self.settings
        if not settings.issuer or not settings.authorize_url:
            raise Refused("the tool is not configured (issuer, authorize_url)", 409)
        if params.get("iss") != settings.issuer:
            raise Refused(f"unknown issuer {params.get('iss')!r}")
        for name in ("login_hint", "target_link_uri"):
            if not params.get(name):
                raise Refused(f"{name} is required")
        client_id = params.get("client_id") or settings.client_id
        if not client_id or (settings.client_id and client_id != settings.client_id):
            raise Refused(f"unknown client_id {client_id!r}")
        deployment = params.get("lti_deployment_id")
        if deployment and settings.deployment_id and deployment != settings.deployment_id:
            raise Refused(f"unknown deployment {deployment!r}")
        state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        self.states.put(state, {"nonce": nonce, "target_link_uri": params["target_link_uri"]})
        query = {"scope": "openid", "response_type": "id_token", "response_mode": "form_post",
                 "prompt": "none", "client_id": client_id, "redirect_uri": self.launch_url,
                 "login_hint": params["login_hint"], "state": state, "nonce": nonce}
        if params.get("lti_message_hint"):
            query["lti_message_hint"] = params["lti_message_hint"]
        self.received.record("login", params=dict(params))
        return redirect(f"{settings.authorize_url}?{urlencode(query)}", 302)

    # -- the launch (LTI 1.3 §5.1.3: the tool's checks of the id_token) -------------------------
    def _launch(self) -> Response:
        login = self.states.take(request.form.get("state", ""))
        if login is None:
            raise Refused("state unknown, expired or used")
        claims = self._validate(request.form.get("id_token", ""), login)
        launch_id = uuid.uuid4().hex
        with self._lock:
            self.launches[launch_id] = claims
        message_type = claims[f"{LTI}message_type"]
        self.received.record("launch", launch_id=launch_id, message_type=message_type,
                             claims=claims)
        if message_type == "LtiDeepLinkingRequest":
            return self._deep_link_response(claims)
        return Response(f'<!doctype html><main id="launch" data-launch-id="{launch_id}">'
                        f"<h1>Dev tool launched</h1><pre>"
                        f"{html.escape(json.dumps(claims, indent=2))}</pre></main>",
                        mimetype="text/html")

    def _validate(self, token: str, login: dict[str, Any]) -> dict[str, Any]:
        settings = self.settings
        keys = get_json(str(settings.jwks_url))
        nonce = login["nonce"]
        claims = verify_token(token, keys, issuer=str(settings.issuer),
                              audience=str(settings.client_id),
                              once=lambda value: value == nonce and self.once.consume(value))
        if claims.get(f"{LTI}version") != "1.3.0":
            raise Refused("version must be 1.3.0")
        message_type = claims.get(f"{LTI}message_type")
        if message_type not in MESSAGE_TYPES:
            raise Refused(f"message_type {message_type!r} is not supported")
        deployment = claims.get(f"{LTI}deployment_id")
        if not deployment or (settings.deployment_id and deployment != settings.deployment_id):
            raise Refused(f"deployment_id {deployment!r} is not accepted")
        if not claims.get("sub") or not isinstance(claims.get(f"{LTI}roles"), list):
            raise Refused("sub and roles are required")
        if claims.get(f"{LTI}target_link_uri") != login["target_link_uri"]:
            raise Refused("target_link_uri differs from the one of the login")
        if message_type == "LtiResourceLinkRequest" and not (
                claims.get(f"{LTI}resource_link") or {}).get("id"):
            raise Refused("resource_link.id is required")
        if message_type == "LtiDeepLinkingRequest" and not (
                claims.get(f"{DL}deep_linking_settings") or {}).get("deep_link_return_url"):
            raise Refused("deep_linking_settings.deep_link_return_url is required")
        return claims

    # -- Deep Linking 2.0 §4.4-4.5: answer with the configured items ----------------------------
    def _deep_link_response(self, claims: dict[str, Any]) -> Response:
        dl_settings = claims[f"{DL}deep_linking_settings"]
        items = self.settings.deep_link_items
        if items is None:
            items = [{"type": "ltiResourceLink", "title": "Dev tool activity",
                      "url": self.target_link_uri, "custom": {"activity": "dev-1"},
                      "lineItem": {"scoreMaximum": 100, "label": "Dev tool activity"}}]
        now = int(time.time())
        response_claims: dict[str, Any] = {
            "iss": self.settings.client_id, "aud": claims["iss"], "iat": now, "exp": now + 300,
            "nonce": uuid.uuid4().hex, f"{LTI}message_type": "LtiDeepLinkingResponse",
            f"{LTI}version": "1.3.0", f"{LTI}deployment_id": claims[f"{LTI}deployment_id"],
            f"{DL}content_items": items}
        if "data" in dl_settings:
            response_claims[f"{DL}data"] = dl_settings["data"]
        token = self.sign("deep_link_response", response_claims)
        self.received.record("deep_link_response", claims=response_claims)
        return Response(form_post_page(dl_settings["deep_link_return_url"], {"JWT": token},
                                       "Returning your selection"), mimetype="text/html")

    # -- Dynamic Registration (LTI Dynamic Registration §3.3-3.6) -------------------------------
    def _register(self) -> Response:
        config_url = request.args.get("openid_configuration", "")
        config = get_json(config_url)
        if not isinstance(config, dict) or not config_url.startswith(str(config.get("issuer"))):
            raise Refused("the configuration's issuer does not match its URL (§3.5.1)")
        registration = {
            "application_type": "web", "response_types": ["id_token"],
            "grant_types": ["implicit", "client_credentials"],
            "initiate_login_uri": self.login_url, "redirect_uris": [self.launch_url],
            "client_name": self.settings.client_name, "jwks_uri": self.jwks_url,
            "token_endpoint_auth_method": "private_key_jwt",
            "scope": " ".join([*AGS_SCOPES, NRPS_SCOPE]),
            "https://purl.imsglobal.org/spec/lti-tool-configuration": {
                "domain": self.base_url.split("://", 1)[-1],
                "target_link_uri": self.target_link_uri,
                "messages": [{"type": "LtiResourceLinkRequest"},
                             {"type": "LtiDeepLinkingRequest",
                              "target_link_uri": self.target_link_uri}],
                "claims": ["iss", "sub", "name", "email"]}}
        token = request.args.get("registration_token")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        resp = send_json("POST", str(config.get("registration_endpoint")), registration,
                         headers=headers)
        answer = json.loads(resp.data) if resp.status == 200 else None
        if not isinstance(answer, dict) or not answer.get("client_id"):
            raise Refused(f"registration answered {resp.status}", 502, "registration_failed")
        tool_config = answer.get("https://purl.imsglobal.org/spec/lti-tool-configuration", {})
        settings = self.settings
        settings.issuer, settings.client_id = config["issuer"], answer["client_id"]
        settings.deployment_id = tool_config.get("deployment_id")
        settings.authorize_url = config.get("authorization_endpoint")
        settings.jwks_url, settings.token_url = config.get("jwks_uri"), config.get(
            "token_endpoint")
        self.received.record("registered", configuration=config, answer=answer)
        # Dynamic Registration §3.6: tell the platform's window the tool is done.
        return Response("<!doctype html><script>(window.opener || window.parent).postMessage("
                        "{subject: 'org.imsglobal.lti.close'}, '*');</script>"
                        "<p>Registered.</p>", mimetype="text/html")

    def trust(self, platform_issuer: str, client_id: str, *, authorize_url: str, jwks_url: str,
              token_url: str, deployment_id: str | None = None) -> None:
        """Point the tool at a platform in one call (what a manual registration sets)."""
        self.settings.issuer, self.settings.client_id = platform_issuer, client_id
        self.settings.deployment_id = deployment_id
        self.settings.authorize_url, self.settings.jwks_url = authorize_url, jwks_url
        self.settings.token_url = token_url
