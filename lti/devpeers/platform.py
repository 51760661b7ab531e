"""The development platform: an LMS stand-in that launches an LTI 1.3 tool (the hub's tool side,
or the dev tool) the standard way, so the tool can be tested end to end over real HTTP.

Flow (LTI 1.3 §5.1.1; OIDC Core §3.2 implicit flow, form_post): :meth:`DevPlatform.launch_url`
(or ``GET /start``) gives the tool's third-party initiated login URL; the tool redirects the
browser to ``/authorize``; the platform answers with an auto-posting form carrying the signed
``id_token`` and ``state`` to the tool's redirect URI. Deep Linking responses come back to
``/deep-link/return``; Dynamic Registration uses ``/.well-known/openid-configuration`` and
``/register``. The services (token, AGS, NRPS) are in :mod:`lti.devpeers.platform_services`.
"""

from __future__ import annotations

import secrets
import time
import uuid
from typing import Any
from urllib.parse import urlencode

from flask import Response, jsonify, redirect, request
from werkzeug.wrappers import Response as WerkzeugResponse

from lti.devpeers.ledger import Pending
from lti.devpeers.platform_services import PlatformServices
from lti.devpeers.signing import Refused, verify_token
from lti.devpeers.wire import form_post_page

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
RESOURCE_LINK = "LtiResourceLinkRequest"
DEEP_LINKING = "LtiDeepLinkingRequest"


class DevPlatform(PlatformServices):
    """An LTI 1.3 platform for development and tests (see the module docstring).

    Configure it through :attr:`settings` (:class:`~lti.devpeers.settings.PlatformSettings`),
    even while it runs; bad tokens for security tests through ``jwt_hook`` and
    ``sign_with_rogue_key`` (kind ``"id_token"``)."""

    name = "dev platform"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hints = Pending()  # lti_message_hint -> the launch it stands for
        self.registration_tokens = Pending()
        rule = self.app.add_url_rule
        rule("/.well-known/openid-configuration", "openid_configuration", self._configuration)
        rule("/start", "start", self._start)
        rule("/authorize", "authorize", self._authorize, methods=["GET", "POST"])
        rule("/deep-link/return", "deep_link_return", self._deep_link_return, methods=["POST"])
        rule("/register", "register", self._register, methods=["POST"])
        rule("/register-tool", "register_tool", self._register_tool)

    # -- starting a launch ----------------------------------------------------------------------
    def launch_url(self, message_type: str = RESOURCE_LINK, target_link_uri: str | None = None,
                   *, user: dict[str, Any] | None = None, resource_link_id: str | None = None,
                   custom: dict[str, str] | None = None, with_lineitem: bool = True) -> str:
        """The tool's OIDC initiation URL for a new launch (LTI 1.3 §5.1.1.1): the first hop a
        browser follows. ``target_link_uri`` defaults to the settings' one."""
        settings = self.settings
        target = target_link_uri or settings.target_link_uri
        if not settings.tool_login_url or not target:
            raise Refused("set tool_login_url and target_link_uri first")
        launch_user = user or settings.user
        hint = secrets.token_urlsafe(16)
        self.hints.put(hint, {"message_type": message_type, "target_link_uri": target,
                              "user": launch_user, "custom": custom or {},
                              "resource_link_id": resource_link_id or "dev-link-1",
                              "with_lineitem": with_lineitem})
        query = {"iss": self.issuer, "login_hint": launch_user["sub"], "target_link_uri": target,
                 "lti_message_hint": hint, "client_id": settings.client_id,
                 "lti_deployment_id": settings.deployment_id}
        return f"{settings.tool_login_url}?{urlencode(query)}"

    def _start(self) -> WerkzeugResponse:
        url = self.launch_url(request.args.get("message_type", RESOURCE_LINK),
                              request.args.get("target_link_uri"))
        return redirect(url, 302)

    # -- OIDC authorization endpoint (LTI 1.3 §5.1.1.2-3) ---------------------------------------
    def _authorize(self) -> Response:
        params = request.values
        settings = self.settings
        for name, want in (("scope", "openid"), ("response_type", "id_token"),
                           ("response_mode", "form_post"), ("prompt", "none")):
            if want not in params.get(name, "").split():
                raise Refused(f"{name} must be {want!r}")
        if params.get("client_id") != settings.client_id:
            raise Refused(f"unknown client_id {params.get('client_id')!r}", 400,
                          "unauthorized_client")
        redirect_uri = params.get("redirect_uri", "")
        if redirect_uri not in settings.tool_redirect_uris:
            raise Refused(f"redirect_uri {redirect_uri!r} is not registered")
        if not params.get("nonce"):
            raise Refused("nonce is required")
        launch = self.hints.take(params.get("lti_message_hint", ""))
        if launch is None:
            raise Refused("lti_message_hint unknown, expired or used")
        if params.get("login_hint") != launch["user"]["sub"]:
            raise Refused("login_hint does not match the launch's user")
        claims = self._id_token_claims(launch, params["nonce"])
        id_token = self.sign("id_token", claims)
        self.received.record("authorize", params=dict(params), claims=claims)
        fields = {"id_token": id_token}
        if "state" in params:
            fields["state"] = params["state"]
        return Response(form_post_page(redirect_uri, fields, "Launching"), mimetype="text/html")

    def _id_token_claims(self, launch: dict[str, Any], nonce: str) -> dict[str, Any]:
        """The id_token of a launch (LTI 1.3 §5.3 resource link, Deep Linking §4.4 request)."""
        settings, user, now = self.settings, launch["user"], int(time.time())
        context_id = settings.context["id"]
        claims: dict[str, Any] = {
            "iss": self.issuer, "aud": settings.client_id, "azp": settings.client_id,
            "sub": user["sub"], "iat": now, "exp": now + settings.id_token_lifetime,
            "nonce": nonce,
            **{k: user[k] for k in ("name", "given_name", "family_name", "email") if k in user},
            f"{LTI}message_type": launch["message_type"], f"{LTI}version": "1.3.0",
            f"{LTI}deployment_id": settings.deployment_id,
            f"{LTI}target_link_uri": launch["target_link_uri"],
            f"{LTI}roles": list(user.get("roles", [])), f"{LTI}context": settings.context,
            f"{LTI}tool_platform": {"guid": "dev-platform", "name": "Dev LTI platform",
                                    "product_family_code": "devpeers", "version": "1"},
            f"{LTI}launch_presentation": {"document_target": "window",
                                          "return_url": f"{self.base_url}/return"},
            f"{LTI}custom": launch["custom"],
            "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice":
                self.nrps_claim(context_id),
        }
        lineitem = None
        if launch["message_type"] == DEEP_LINKING:
            data = secrets.token_urlsafe(12)
            self.hints.put(f"dl:{data}", launch)
            claims[f"{DL}deep_linking_settings"] = {
                "deep_link_return_url": f"{self.base_url}/deep-link/return",
                "accept_types": ["ltiResourceLink", "link"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "accept_multiple": True, "auto_create": True, "data": data}
        else:
            link_id = launch["resource_link_id"]
            claims[f"{LTI}resource_link"] = {"id": link_id, "title": "Dev resource link"}
            if launch["with_lineitem"]:
                lineitem = self.ensure_lineitem(context_id, link_id, "Dev resource link")
        claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"] = self.ags_claim(
            context_id, lineitem)
        return claims

    # -- Deep Linking 2.0 §4.5: the tool's response ---------------------------------------------
    def _deep_link_return(self) -> Response:
        token = request.form.get("JWT", "")
        claims = verify_token(token, self.tool_keys(), issuer=self.settings.client_id,
                              audience=self.issuer, once=self.once.consume)
        if claims.get(f"{LTI}message_type") != "LtiDeepLinkingResponse":
            raise Refused("message_type must be LtiDeepLinkingResponse")
        if claims.get(f"{LTI}version") != "1.3.0":
            raise Refused("version must be 1.3.0")
        if claims.get(f"{LTI}deployment_id") != self.settings.deployment_id:
            raise Refused("deployment_id is not the tool's deployment")
        data = claims.get(f"{DL}data")
        if not isinstance(data, str) or self.hints.take(f"dl:{data}") is None:
            raise Refused("data does not echo a pending deep linking request")
        items = claims.get(f"{DL}content_items", [])
        if not isinstance(items, list):
            raise Refused("content_items must be a list")
        self.received.record("deep_link", items=items, claims=claims)
        return Response("<!doctype html><p>Deep linking received "
                        f"{len(items)} item(s).</p>", mimetype="text/html")

    # -- Dynamic Registration (LTI Dynamic Registration §3.3-3.6) -------------------------------
    def registration_start_url(self, tool_registration_url: str) -> str:
        """The URL that opens a tool's registration initiation with this platform's
        configuration and a one-time registration token (Dynamic Registration §3.3)."""
        token = secrets.token_urlsafe(16)
        self.registration_tokens.put(token, True)
        config = f"{self.base_url}/.well-known/openid-configuration"
        sep = "&" if "?" in tool_registration_url else "?"
        return (f"{tool_registration_url}{sep}"
                f"{urlencode({'openid_configuration': config, 'registration_token': token})}")

    def _register_tool(self) -> WerkzeugResponse:
        return redirect(self.registration_start_url(request.args.get("url", "")), 302)

    def _configuration(self) -> Response:
        return jsonify({
            "issuer": self.issuer, "authorization_endpoint": self.authorize_url,
            "token_endpoint": self.token_url, "jwks_uri": self.jwks_url,
            "registration_endpoint": f"{self.base_url}/register",
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", *self.settings.scopes],
            "response_types_supported": ["id_token"], "subject_types_supported": ["public"],
            "claims_supported": ["iss", "sub", "aud", "name", "given_name", "family_name",
                                 "email"],
            "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                "product_family_code": "devpeers", "version": "1",
                "messages_supported": [{"type": RESOURCE_LINK}, {"type": DEEP_LINKING}]},
        })

    def _register(self) -> Response:
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or self.registration_tokens.take(auth[7:]) is None:
            raise Refused("registration token missing, unknown or used", 401, "invalid_token")
        body = request.get_json(force=True, silent=True)
        if not isinstance(body, dict):
            raise Refused("the registration is a JSON object", 400, "invalid_client_metadata")
        tool = body.get("https://purl.imsglobal.org/spec/lti-tool-configuration")
        missing = [k for k in ("initiate_login_uri", "redirect_uris", "jwks_uri", "client_name")
                   if not body.get(k)]
        if missing or not isinstance(tool, dict) or not tool.get("target_link_uri"):
            raise Refused(f"registration lacks {missing or ['lti-tool-configuration']}", 400,
                          "invalid_client_metadata")
        settings = self.settings
        settings.client_id = uuid.uuid4().hex
        settings.deployment_id = f"dev-deployment-{secrets.token_hex(3)}"
        settings.tool_login_url = body["initiate_login_uri"]
        settings.tool_redirect_uris = list(body["redirect_uris"])
        settings.tool_jwks_url = body["jwks_uri"]
        settings.tool_public_jwk = None
        settings.target_link_uri = tool["target_link_uri"]
        self.received.record("registration", body=body, client_id=settings.client_id)
        return jsonify({**body, "client_id": settings.client_id,
                        "https://purl.imsglobal.org/spec/lti-tool-configuration": {
                            **tool, "deployment_id": settings.deployment_id}})
