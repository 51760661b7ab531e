"""Validation of an LMS's launch (LTI 1.3 §5.1.3, §5.3, §5.4; Deep Linking 2.0 §4.4): the
``id_token`` and ``state`` the browser posts to ``/lti/launch``.

pylti1p3's :class:`~pylti1p3.message_launch.MessageLaunch` is subclassed and its steps kept in
their order, with the library's gaps closed step by step:

- ``validate_state``: the sealed state of :mod:`lti.tool_login` (not a session or a cookie
  alone), bound to the browser when its cookie comes back; it names the registration chosen at
  login, so the token's ``aud`` is never used to pick it;
- ``validate_nonce``: the nonce must be the one sealed in the state (checked with the
  signature); it and the state are consumed once only after EVERY check passed
  (:meth:`HubMessageLaunch.consume`), so a bad token burns nothing and a replay is refused;
- ``validate_jwt_signature``: :func:`lti.jwt_checks.verify_jwt` instead of the library's
  unchecked-audience decode: RS256/RS384/RS512/ES256 only, ``kid`` required, the key from the
  registration's JWKS URL through the guarded client and its cache (an unknown ``kid`` causes
  one rate-limited re-fetch), ``aud`` containing the client id and ``azp`` with several
  audiences, ``iss``, ``exp``, ``iat`` required and not in the future;
- ``validate_message``: the claims the hub relies on are required and typed (message type,
  version 1.3.0, deployment id, ``sub``, roles, resource link id, ``target_link_uri`` equal to
  the one of the login), then the library's own message validators run too.

Only ``LtiResourceLinkRequest`` and ``LtiDeepLinkingRequest`` are accepted.
"""

from __future__ import annotations

from typing import Any

import requests
from pylti1p3.contrib.flask import FlaskMessageLaunch, FlaskRequest
from pylti1p3.exception import LtiException

from lti.errors import LtiReplay, LtiTokenError
from lti.jwt_checks import verify_jwt
from lti.sealed import expiry_timestamp, unseal
from lti.tool_conf import StoreToolConf, as_registration
from lti.tool_login import COOKIE, STATE_PURPOSE, launch_error
from storage.ports import Document, Store

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE = LTI + "message_type"
VERSION = LTI + "version"
DEPLOYMENT_ID = LTI + "deployment_id"
TARGET_LINK_URI = LTI + "target_link_uri"
RESOURCE_LINK = LTI + "resource_link"
ROLES = LTI + "roles"
DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
#: Message types the hub's tool side handles.
MESSAGE_TYPES = (RESOURCE_LINK_REQUEST, DEEP_LINKING_REQUEST)
#: ``store.once`` scopes of the consumed values.
STATE_SCOPE = "lti.tool.state"
NONCE_SCOPE = "lti.tool.nonce"
#: The longest id the hub keeps from a claim (LTI 1.3 §5.3.5: resource link ids ≤ 255).
MAX_ID = 255


def _bad(claim: str, message: str) -> LtiTokenError:
    return LtiTokenError(claim, message)


def _text(claims: dict[str, Any], name: str, limit: int = MAX_ID) -> str:
    value = claims.get(name)
    if not isinstance(value, str) or not value:
        raise _bad(name, "required (a non-empty string)")
    if len(value) > limit:
        raise _bad(name, f"longer than {limit} characters")
    return value


def check_claims(claims: dict[str, Any], target_link_uri: str) -> None:
    """The LTI claims the hub relies on (LTI 1.3 §5.3, §5.4): present, typed, and for a
    resource link the ``target_link_uri`` the login was for (§5.1.1.1, §5.3.4)."""
    message_type = _text(claims, MESSAGE_TYPE)
    if message_type not in MESSAGE_TYPES:
        raise _bad(MESSAGE_TYPE, f"not one of {', '.join(MESSAGE_TYPES)}")
    if claims.get(VERSION) != "1.3.0":
        raise _bad(VERSION, "must be 1.3.0")
    _text(claims, DEPLOYMENT_ID)
    _text(claims, "sub")
    roles = claims.get(ROLES)
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise _bad(ROLES, "required (a list of role URIs)")
    link = claims.get(RESOURCE_LINK)
    if message_type == RESOURCE_LINK_REQUEST:
        link_id = link.get("id") if isinstance(link, dict) else None
        if not isinstance(link_id, str) or not link_id or len(link_id) > MAX_ID:
            raise _bad(RESOURCE_LINK, f"required, with an id of 1 to {MAX_ID} characters")
    elif link is not None and not isinstance(link, dict):
        raise _bad(RESOURCE_LINK, "must be an object")
    needs_target = message_type == RESOURCE_LINK_REQUEST or TARGET_LINK_URI in claims
    if needs_target and _text(claims, TARGET_LINK_URI, 2048) != target_link_uri:
        raise _bad(TARGET_LINK_URI, "not the target_link_uri of the login")
    if message_type == DEEP_LINKING_REQUEST:
        settings = claims.get(DEEP_LINKING_SETTINGS)
        if not isinstance(settings, dict) or not isinstance(
                settings.get("deep_link_return_url"), str):
            raise _bad(DEEP_LINKING_SETTINGS, "required, with deep_link_return_url")


class _NoFetching(requests.Session):
    """The HTTP session handed to the library: it refuses every request. The hub fetches key
    sets and services itself, through the guarded outbound client; and one shared instance
    spares every launch the library's own ``requests.Session()`` (connection pools and
    adapters made and thrown away, 0.07 ms)."""

    def request(self, method: Any, url: Any, *args: Any, **kwargs: Any) -> Any:
        """Never: see the class docstring."""
        raise RuntimeError(f"pylti1p3 tried {method} {url}: the hub fetches through its "
                           "guarded outbound client only")


_NO_FETCHING = _NoFetching()


class HubMessageLaunch(FlaskMessageLaunch):
    """One launch request, validated by :meth:`validate` (see the module docstring)."""

    def __init__(self, store: Store, key_sets: Any = None) -> None:
        super().__init__(FlaskRequest(session={}), StoreToolConf(store),
                         requests_session=_NO_FETCHING)
        self.store = store
        self.key_sets = key_sets
        self.state: dict[str, Any] = {}
        self.stored: Document | None = None
        self.claims: dict[str, Any] = {}

    def get_client_id(self) -> str:
        """The client id of the registration the login chose (not ``aud[0]``: with several
        audiences the first need not be the hub)."""
        if self.stored is not None:
            return str(self.stored["client_id"])
        return super().get_client_id()

    def validate_state(self) -> HubMessageLaunch:
        """Open the sealed state; the browser's cookie, when sent, must be the login's."""
        self.state = unseal(STATE_PURPOSE, self._get_request_param("state"), "state")
        cookie = self._cookie_service.get_cookie(COOKIE)
        if cookie and cookie != self.state.get("bid"):
            raise launch_error("state", "issued to another browser")
        return self

    def validate_jwt_format(self) -> HubMessageLaunch:
        """The library's decoding of the (not yet verified) header and body."""
        try:
            super().validate_jwt_format()
        except LtiException as exc:
            raise _bad("id_token", str(exc)) from None
        if not isinstance(self._jwt.get("body"), dict):
            raise _bad("id_token", "the payload is not a JSON object")
        return self

    def validate_nonce(self) -> HubMessageLaunch:
        """Deferred: the nonce is compared with the state's by :meth:`validate_jwt_signature`
        and consumed by :meth:`consume` once everything passed."""
        return self

    def validate_registration(self) -> HubMessageLaunch:
        """The registration named by the state; the token must come from its issuer."""
        stored = self.store.lti_platforms.get(str(self.state.get("reg")))
        if stored is None:
            raise launch_error("state", "its platform registration no longer exists")
        if self._jwt["body"].get("iss") != stored["issuer"]:
            raise _bad("iss", "not the issuer of the platform registration")
        self.stored = stored
        self._tool_config.remember(stored)  # the deployment check reads this same document
        self._registration = as_registration(stored)
        return self

    def validate_jwt_signature(self) -> HubMessageLaunch:
        """Every token check of :func:`lti.jwt_checks.verify_jwt`; the verified claims
        replace the decoded ones."""
        assert self.stored is not None
        self.claims = verify_jwt(
            self._get_id_token(), key_source=self.stored["key_set_url"],
            issuer=self.stored["issuer"], audience=self.stored["client_id"],
            nonce=str(self.state.get("nonce")), required=("nonce",), key_sets=self.key_sets)
        self._jwt["body"] = self.claims  # type: ignore[typeddict-item]
        return self

    def validate_deployment(self) -> HubMessageLaunch:
        """LTI 1.3 §5.3.3: the deployment must be one of the registration's."""
        _text(self.claims, DEPLOYMENT_ID)
        try:
            super().validate_deployment()
        except LtiException as exc:
            raise _bad(DEPLOYMENT_ID, str(exc)) from None
        return self

    def validate_message(self) -> HubMessageLaunch:
        """The hub's claim checks, then the library's message validators."""
        check_claims(self.claims, str(self.state.get("tlu")))
        try:
            super().validate_message()
        except LtiException as exc:
            raise _bad(MESSAGE_TYPE, str(exc)) from None
        return self

    def save_launch_data(self) -> HubMessageLaunch:
        """Nothing kept in a session: the caller builds a :class:`~lti.model.ToolLaunch`."""
        return self

    def consume(self) -> None:
        """Use the state and the nonce once (LTI 1.3 §5.1.3 item 9), in one atomic write:
        a second post of the same state or of the same nonce is a replay."""
        expires = expiry_timestamp(int(self.state["exp"]))
        once = self.store.once

        def both() -> None:
            if not once.consume(STATE_SCOPE, str(self.state["sid"]), expires):
                raise LtiReplay("state", "already used")
            if not once.consume(NONCE_SCOPE, str(self.state["nonce"]), expires):
                raise LtiReplay("nonce", "already used")

        self.store.write(both)
