"""The LTI errors: subclasses of :mod:`hub.errors`, so every refusal of an LTI message is the
hub's RFC 9457 ``application/problem+json`` body, naming the claim or field at fault.

A bad token is the sender's fault (400, never 500): expired, wrong audience, unknown key,
replayed nonce. A key set or LMS endpoint that cannot be fetched is a 502 (the hub could not
do its part because the other server did not).
"""

from __future__ import annotations

from typing import Any

from hub.errors import HubError, ValidationError


class LtiError(ValidationError):
    """Base of the LTI refusals of a client's message (400)."""

    type = "lti"
    title = "Invalid LTI message"


class LtiTokenError(LtiError):
    """A JWT (``id_token``, Deep Linking response, client assertion) failed a check (LTI 1.3
    §5.1.3, Security Framework §5.1.3). ``claim`` names the claim or header at fault
    (``exp``, ``aud``, ``header.kid``, ``signature``); it is both in ``errors`` and in the body
    as ``claim``."""

    type = "lti-token"
    title = "Invalid LTI token"

    def __init__(self, claim: str, message: str, **kw: Any) -> None:
        kw.setdefault("errors", {claim: [message]})
        super().__init__(f"{claim}: {message}", claim=claim, **kw)
        self.claim = claim


class LtiReplay(LtiTokenError):
    """A ``nonce`` or ``jti`` that was already used (LTI 1.3 §5.1.3 item 9; RFC 7523 §3
    item 7): the message is a replay."""

    type = "lti-replay"
    title = "Replayed LTI token"


class LtiLaunchError(LtiError):
    """A launch or login request that is not an acceptable LTI message (missing or wrong
    parameter: ``iss``, ``login_hint``, ``target_link_uri``, ``state``); names the field."""

    type = "lti-launch"
    title = "Invalid LTI launch"


class LtiKeySetUnavailable(HubError):
    """The other side's key set could not be fetched or is not a JWKS (502): the token may be
    genuine, so this is not reported as the sender's bad token."""

    status = 502
    type = "lti-key-set-unavailable"
    title = "The key set could not be fetched"
