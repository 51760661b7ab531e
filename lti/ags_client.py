"""The hub's AGS 2.0 client towards an LMS: an access token by client credentials, the line item
of a course, and a learner's score.

- :class:`AccessTokens`: OAuth 2.0 client credentials (RFC 6749 §4.4) with a ``private_key_jwt``
  client assertion (RFC 7523 §2.2, §3; LTI Security Framework §4.1) signed by the hub's keys
  (``iss`` = ``sub`` = the client id the LMS gave the hub, ``aud`` = the LMS's token URL, short
  ``exp``, fresh ``jti``); tokens are cached per (token URL, client id, scopes) until shortly
  before they expire.
- :func:`find_or_create_line_item`: the launch's ``lineitem`` when it named one, else the line
  item of the resource link and course found in the ``lineitems`` container (AGS 2.0 §3.2.4,
  filtered by ``resource_link_id`` and ``resource_id``), else one created there (§3.2.5).
- :func:`post_score`: the Score publish service (AGS 2.0 §3.4), POSTed to ``<lineitem>/scores``
  with the score media type.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from lti.lms_http import LmsHttp, LmsServiceError, check

SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_LINEITEM_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_NRPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
CONTAINER_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
#: Lifetime of a client assertion: it is used at once.
ASSERTION_SECONDS = 300
#: ``scoreMaximum`` of the line items the hub makes and of the scores it derives from a scaled
#: or absent xAPI score: scores go as percentages (Deep Linking's line items use it too).
FULL_MARKS = 100.0
#: A token is renewed this long before the LMS says it expires (clock skew, slow requests).
TOKEN_MARGIN_SECONDS = 30
#: ``expires_in`` assumed when the LMS gives none (RFC 6749 §5.1 makes it RECOMMENDED only).
DEFAULT_TOKEN_SECONDS = 300

#: ``sign(claims) -> compact JWT`` with the hub's current key (``lti.keys.HubKeys.sign``).
Sign = Callable[[dict[str, Any]], str]


class AccessTokens:
    """Access tokens of the LMSes' token endpoints, cached until shortly before expiry.
    Thread-safe; one per app (the worker and requests share it)."""

    def __init__(self, http: LmsHttp, sign: Sign,
                 clock: Callable[[], float] = time.time) -> None:
        self.http = http
        self.sign = sign
        self.clock = clock
        self._cache: dict[tuple[str, str, str], tuple[str, float]] = {}
        self._lock = threading.Lock()

    def token(self, registration: dict[str, Any], scopes: list[str] | tuple[str, ...]) -> str:
        """A bearer token of ``registration`` (a platform registration: ``client_id``,
        ``auth_token_url``) for ``scopes``."""
        url, client_id = registration["auth_token_url"], registration["client_id"]
        key = (url, client_id, " ".join(sorted(set(scopes))))
        now = self.clock()
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None and hit[1] > now:
            return hit[0]
        assertion = self.sign({"iss": client_id, "sub": client_id, "aud": url,
                               "iat": int(now), "exp": int(now) + ASSERTION_SECONDS,
                               "jti": str(uuid.uuid4())})
        response = check(self.http.post_form(url, {
            "grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion, "scope": key[2]}), "token request")
        body = response.json
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise LmsServiceError("token request: the LMS's answer has no access_token")
        lifetime = body.get("expires_in")
        seconds = lifetime if isinstance(lifetime, int | float) else DEFAULT_TOKEN_SECONDS
        with self._lock:
            self._cache[key] = (token, now + max(0.0, seconds - TOKEN_MARGIN_SECONDS))
        return token

    def forget(self, registration: dict[str, Any]) -> None:
        """Drop the cached tokens of a registration (the LMS answered 401: revoked early)."""
        with self._lock:
            for key in [k for k in self._cache if k[:2] == (registration["auth_token_url"],
                                                            registration["client_id"])]:
                del self._cache[key]


def _bearer(token: str, accept: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept": accept}


def _with_query(url: str, params: dict[str, str]) -> str:
    """``url`` with ``params`` added to its query (AGS 2.0 §3.2.4: the container URL may carry
    a query of its own, which must be kept)."""
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(params)) if q)
    return urlunsplit(parts._replace(query=query))


def scores_url(lineitem: str) -> str:
    """AGS 2.0 §3.4: the score service is the line item URL with ``/scores`` added to its
    path (its query kept)."""
    parts = urlsplit(lineitem)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


def find_or_create_line_item(http: LmsHttp, token: str, target: dict[str, Any],
                             label: str, score_maximum: float) -> str:
    """The URL of the line item that ``target``'s scores go to (see the module docstring).
    ``token`` must carry the lineitem scope unless the launch named its line item."""
    if target.get("lineitem"):
        return str(target["lineitem"])
    container = target.get("lineitems")
    if not container:
        raise LmsServiceError("the launch offered no line item", permanent=True)
    query = {"resource_id": target["course_id"]}
    if target.get("resource_link_id"):
        query["resource_link_id"] = target["resource_link_id"]
    found = check(http.get_json(_with_query(container, query),
                                _bearer(token, CONTAINER_TYPE)), "line items").json
    for item in found if isinstance(found, list) else ():
        if isinstance(item, dict) and isinstance(item.get("id"), str) and (
                item.get("resourceId") in (None, target["course_id"])):
            return item["id"]
    item = {"scoreMaximum": score_maximum, "label": label, "resourceId": target["course_id"]}
    if target.get("resource_link_id"):
        item["resourceLinkId"] = target["resource_link_id"]
    created = check(http.post_json(container, item, _bearer(token, LINEITEM_TYPE),
                                   content_type=LINEITEM_TYPE),
                    "line item creation", (200, 201)).json
    if not isinstance(created, dict) or not isinstance(created.get("id"), str):
        raise LmsServiceError("line item creation: the LMS's answer has no id")
    return created["id"]


def post_score(http: LmsHttp, token: str, lineitem: str, score: dict[str, Any]) -> None:
    """POST one Score (AGS 2.0 §3.4); any 2xx the spec allows (200, 201, 202, 204) is done."""
    check(http.post_json(scores_url(lineitem), score, _bearer(token, "application/json"),
                         content_type=SCORE_TYPE), "score", (200, 201, 202, 204))


def scopes_for(target: dict[str, Any]) -> list[str]:
    """The scopes to ask for to send ``target``'s scores: the score scope and, when the launch
    offered it, a line item scope (to find or create the line item). The same set every time,
    so that one cached token serves the first score and the next ones."""
    offered = set(target.get("scopes") or ())
    return [SCOPE_SCORE, *[s for s in (SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY)
                           if s in offered][:1]]
