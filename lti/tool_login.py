"""OIDC third-party initiated login (LTI 1.3 §5.1.1; OpenID Connect Core §4): the LMS sends
the browser to ``/lti/login``; the hub answers with a redirect to the LMS's authorization
endpoint carrying a ``state`` and a ``nonce``.

pylti1p3's :class:`~pylti1p3.oidc_login.OIDCLogin` keeps the nonce in a server-side session
and the state only in a cookie, and does not look at ``target_link_uri``. The hub subclasses it:

- ``state`` is a sealed, expiring value (:mod:`lti.sealed`) naming the registration, the
  nonce and the ``target_link_uri`` of this login; the launch opens it and consumes its id
  once through ``store.once``, so a replayed launch is refused with or without cookies (third
  party cookies are often blocked in the LMS's iframe);
- the state also names the browser (a random id in a cookie, set when absent): when the browser
  sends that cookie back at the launch it must be the same one (LTI 1.3 §5.1.1.5: bind the
  state to the user agent where it is possible), so a state obtained in one browser cannot be
  posted from another that has the hub's cookie;
- ``target_link_uri`` must be on the hub's own public URL (LTI 1.3 §5.1.1.1: the tool checks
  it, so that the login cannot be turned into an open redirect or a launch of something else);
- a given ``lti_deployment_id`` must be one of the registration's.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Response
from pylti1p3.contrib.flask import FlaskOIDCLogin, FlaskRequest
from pylti1p3.registration import Registration

from lti.errors import LtiLaunchError
from lti.sealed import seal
from lti.tool_conf import StoreToolConf, as_registration
from storage.ports import Document, Store

#: Purpose of the sealed ``state`` (no other sealed value opens as one).
STATE_PURPOSE = b"lti.tool.state"
#: Seconds between login and launch: the browser goes straight from one to the other.
STATE_TTL = 600
#: Name of the browser cookie (pylti1p3 prefixes ``lti1p3-``), and its lifetime.
COOKIE = "browser"
COOKIE_MAX_AGE = 365 * 24 * 3600


def launch_error(field: str, message: str) -> LtiLaunchError:
    """A refused login or launch naming the request parameter at fault."""
    return LtiLaunchError(f"{field}: {message}", errors={field: [message]})


def on_own_host(url: str, public_url: str) -> bool:
    """Whether ``url`` is under the hub's public URL (same scheme, host and port, path below
    its path): a target the hub itself serves."""
    own, got = urlsplit(public_url), urlsplit(url)
    base = own.path.rstrip("/") + "/"
    return ((got.scheme, got.netloc.lower()) == (own.scheme, own.netloc.lower())
            and (got.path + "/").startswith(base) and not got.fragment)


class HubOIDCLogin(FlaskOIDCLogin):
    """The login step over the store (see the module docstring)."""

    def __init__(self, store: Store, public_url: str) -> None:
        # No server-side session: the state carries what the launch needs.
        super().__init__(FlaskRequest(session={}), StoreToolConf(store))
        self.public_url = public_url
        self.stored: Document | None = None

    def _param(self, key: str) -> str | None:
        value = self._get_request_param(key)
        return value if isinstance(value, str) and value else None

    def validate_oidc_login(self) -> Registration:
        """The registration the login names, after the checks of the module docstring."""
        iss, login_hint = self._param("iss"), self._param("login_hint")
        if iss is None:
            raise launch_error("iss", "missing")
        if login_hint is None:
            raise launch_error("login_hint", "missing")
        target = self._param("target_link_uri")
        if target is None:
            raise launch_error("target_link_uri", "missing")
        if not on_own_host(target, self.public_url):
            raise launch_error("target_link_uri", "not a URL of this hub")
        conf: StoreToolConf = self._tool_config
        doc = conf.stored(iss, self._param("client_id"))
        if doc is None:
            raise launch_error("iss", "no platform registration of this iss and client_id")
        deployment = self._param("lti_deployment_id")
        if deployment is not None and deployment not in doc.get("deployment_ids", ()):
            raise launch_error("lti_deployment_id", "not a deployment of this registration")
        self.stored = doc
        return as_registration(doc)

    def _prepare_redirect_url(self, launch_url: str) -> str:
        """The authorization request (LTI 1.3 §5.1.1.2), with the sealed state."""
        self._registration = self.validate_oidc_login()
        assert self.stored is not None
        sid, nonce = secrets.token_urlsafe(18), secrets.token_urlsafe(24)
        browser = self._cookie_service.get_cookie(COOKIE)
        if not browser or len(browser) > 64:
            browser = secrets.token_urlsafe(18)
            self._cookie_service.set_cookie(COOKIE, browser, COOKIE_MAX_AGE)
        state, _ = seal(STATE_PURPOSE, {
            "sid": sid, "nonce": nonce, "reg": self.stored["id"], "bid": browser,
            "tlu": self._param("target_link_uri")}, STATE_TTL)
        params: dict[str, Any] = {
            "scope": "openid", "response_type": "id_token", "response_mode": "form_post",
            "prompt": "none", "client_id": self.stored["client_id"],
            "redirect_uri": launch_url, "state": state, "nonce": nonce,
            "login_hint": self._param("login_hint")}
        hint = self._param("lti_message_hint")
        if hint is not None:
            params["lti_message_hint"] = hint
        auth_url = self.stored["auth_login_url"]
        return auth_url + ("&" if "?" in auth_url else "?") + urlencode(params)


def login_redirect(store: Store, public_url: str, launch_url: str) -> Response:
    """The 302 to the LMS's authorization endpoint for the current request (GET or POST)."""
    response: Response = HubOIDCLogin(store, public_url).redirect(launch_url)
    response.headers["Cache-Control"] = "no-store"
    return response
