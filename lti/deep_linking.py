"""Deep Linking 2.0 on the tool side: an LMS's instructor picks catalogue courses, and the hub
answers with signed ``LtiResourceLink`` items.

- :func:`start` (the launch handler calls it for an ``LtiDeepLinkingRequest``) checks the
  request's ``deep_linking_settings`` (Deep Linking 2.0 §4.4.1) and opens the content picker
  (:func:`picker_page`; its next pages and the pick are :mod:`lti.deep_linking_routes`),
  which searches the published catalogue with the
  marketplace's own search.
- Between the launch and the pick, what the picker must remember (registration, deployment,
  return URL, the LMS's opaque ``data``) travels in a :class:`PickerState` token, sealed and
  signed with the hub's token key (:mod:`hub.tokens`) and expiring after
  :data:`PICKER_SECONDS`: the browser carries it, so it is never trusted unsigned.
- :func:`response_claims` builds the ``LtiDeepLinkingResponse`` (§4.2): ``iss`` = the client id
  the LMS gave the hub, ``aud`` = the LMS's issuer, its ``deployment_id``, ``data`` echoed, and
  one ``ltiResourceLink`` per course (§3.1) whose ``url`` is the course's target link
  (:func:`lti.links.course_target_link`), with ``custom.course_id`` and, when the course is
  scored (:func:`is_scored`), a ``lineItem`` (§3.1 "Line item") so that the LMS makes a grade
  column for the AGS scores the hub will post. The route signs it with the hub's keys and
  auto-posts it to ``deep_link_return_url`` (§4.2, form field ``JWT``).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

import marshmallow as ma
from flask import Response, current_app, render_template

from catalogue_schemas.search import SearchArgs
from hub.context import get_config, get_store
from hub.errors import ValidationError
from hub.tokens import KeySource, TokenCodec
from lti.ags_client import FULL_MARKS
from lti.links import course_target_link
from lti.model import ToolLaunch
from marketplace.search import search_catalogue
from storage.ports import Document

DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
DL_DATA = "https://purl.imsglobal.org/spec/lti-dl/claim/data"
DL_ITEMS = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
MESSAGE_TYPE = "https://purl.imsglobal.org/spec/lti/claim/message_type"
VERSION = "https://purl.imsglobal.org/spec/lti/claim/version"
DEPLOYMENT = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"
#: How long an instructor may browse the picker before the pick is refused.
PICKER_SECONDS = 3600
#: Lifetime of the signed response: the browser posts it at once (Deep Linking 2.0 §4.2 asks
#: for a short ``exp``).
RESPONSE_SECONDS = 300
#: ``scoreMaximum`` of the line item of a scored course (scores are sent as percentages).
SCORE_MAXIMUM = int(FULL_MARKS)
#: Courses picked in one response at most (an instructor's pick, not a catalogue export).
MAX_ITEMS = 50


@dataclass(frozen=True)
class PickerState:
    """What the picker carries from the Deep Linking request to the response."""

    org_id: str
    registration_id: str
    issuer: str
    client_id: str
    deployment_id: str
    return_url: str
    accept_multiple: bool
    data: str | None
    expires: int

    @classmethod
    def of(cls, launch: ToolLaunch, now: float | None = None) -> PickerState:
        """The state of a Deep Linking request; 400 naming the setting the LMS got wrong."""
        settings = launch.claims.get(DL_SETTINGS)
        if launch.message_type != "LtiDeepLinkingRequest" or not isinstance(settings, dict):
            raise ValidationError.for_field(DL_SETTINGS, "a Deep Linking request needs them")
        return_url = settings.get("deep_link_return_url")
        parts = urlsplit(return_url) if isinstance(return_url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError.for_field(f"{DL_SETTINGS}.deep_link_return_url",
                                            "must be an http(s) URL")
        accept = settings.get("accept_types")
        if not isinstance(accept, list) or "ltiResourceLink" not in accept:
            raise ValidationError.for_field(f"{DL_SETTINGS}.accept_types",
                                            "the hub offers ltiResourceLink items only")
        data = settings.get("data")
        return cls(org_id=launch.org_id, registration_id=launch.registration_id,
                   issuer=launch.issuer, client_id=launch.client_id,
                   deployment_id=launch.deployment_id, return_url=str(return_url),
                   accept_multiple=settings.get("accept_multiple") is not False,
                   data=data if isinstance(data, str) else None,
                   expires=int((now or time.time()) + PICKER_SECONDS))


class PickerStates:
    """Seals and opens :class:`PickerState` tokens (400 naming ``state`` when forged, from
    another purpose, or expired)."""

    def __init__(self, key: KeySource) -> None:
        self._tokens = TokenCodec(key, "lti.deep_linking.picker", "state")

    def seal(self, state: PickerState) -> str:
        """The token: encrypted too, as it holds the LMS's opaque ``data``."""
        return self._tokens.seal(asdict(state))

    def open(self, token: Any, now: float | None = None) -> PickerState:
        """The state of a token :meth:`seal` made, if not expired."""
        payload = self._tokens.unseal(token)
        try:
            state = PickerState(**payload)
        except TypeError:
            raise ValidationError.for_field("state", "is not a token this hub issued") from None
        if state.expires < (now or time.time()):
            raise ValidationError.for_field("state", "has expired: start again from the LMS")
        return state


def is_scored(course: Document) -> bool:
    """A course the LMS should grade: an assessment, or a course that awards a certificate
    (its completion is an achievement the LMS records). Others launch without a line item."""
    live = course.get("live") or {}
    return live.get("category") == "assessment" or bool(live.get("certificate_offered"))


def _text(value: Any) -> str | None:
    """English (else any) text of a language map."""
    if isinstance(value, dict) and value:
        return str(value.get("en") or next(iter(value.values())))
    return None


def content_item(course: Document, public_url: str) -> dict[str, Any]:
    """The ``ltiResourceLink`` item of a published course (Deep Linking 2.0 §3.1)."""
    live = course.get("live") or {}
    title = _text(live.get("title")) or course["id"]
    item: dict[str, Any] = {"type": "ltiResourceLink", "title": title,
                            "url": course_target_link(public_url, course["id"]),
                            "custom": {"course_id": course["id"]}}
    description = _text(live.get("description"))
    if description:
        item["text"] = description[:1000]
    if is_scored(course):
        item["lineItem"] = {"scoreMaximum": SCORE_MAXIMUM, "label": title,
                            "resourceId": course["id"]}
    return item


def response_claims(state: PickerState, courses: list[Document], public_url: str,
                    now: float | None = None) -> dict[str, Any]:
    """The claims of the ``LtiDeepLinkingResponse`` for the picked courses (§4.2); an empty
    list is the instructor cancelling (the LMS shows nothing was added)."""
    if not state.accept_multiple and len(courses) > 1:
        raise ValidationError.for_field("course_id", "this LMS takes one item at a time")
    if len(courses) > MAX_ITEMS:
        raise ValidationError.for_field("course_id", f"at most {MAX_ITEMS} courses at once")
    issued = int(now or time.time())
    claims: dict[str, Any] = {
        "iss": state.client_id, "aud": state.issuer, "iat": issued,
        "exp": issued + RESPONSE_SECONDS, "nonce": secrets.token_urlsafe(16),
        MESSAGE_TYPE: "LtiDeepLinkingResponse", VERSION: "1.3.0",
        DEPLOYMENT: state.deployment_id,
        DL_ITEMS: [content_item(c, public_url) for c in courses],
    }
    if state.data is not None:
        claims[DL_DATA] = state.data  # §4.2: echoed unchanged when the request had it
    return claims


#: Courses per picker page.
PAGE_SIZE = 20
#: Headers of every picker page: no caching (the page holds the sealed state), no referrer.
PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def picker_states() -> PickerStates:
    """The current app's picker state codec (under the hub's token key)."""
    return PickerStates(current_app.extensions["hub.token_key"])


def _search(q: str, cursor: str | None) -> dict[str, Any]:
    """One page of the public catalogue search, arguments checked by the API's own schema."""
    try:
        args = SearchArgs().load({"q": q, "cursor": cursor, "limit": PAGE_SIZE,
                                  "facets": False})
    except ma.ValidationError as exc:
        field, messages = next(iter(exc.normalized_messages().items()))
        raise ValidationError.for_field(str(field), str(messages)) from None
    state = current_app.extensions["marketplace.search"]
    return search_catalogue(get_store(), args, state["codec"], state["names"],
                            get_config().public_url)


def picker_page(state: PickerState, q: str = "", cursor: str | None = None) -> Response:
    """The picker page for ``state`` (also what :func:`lti.deep_linking.start` answers)."""
    page = _search(q, cursor)
    items = [{"id": i["id"], "title": _text(i.get("title")) or i["id"],
              "description": (_text(i.get("description")) or "")[:300],
              "provider": i["provider"]["name"], "category": i.get("category") or "",
              "scored": is_scored({"live": i})}  # a search item has the live fields
             for i in page["items"]]
    html = render_template("lti/deep_linking_picker.html", state=picker_states().seal(state),
                           q=q, items=items, total=page["total"], next=page["next"],
                           multiple=state.accept_multiple,
                           picker_url="/lti/deep-linking/picker",
                           pick_url="/lti/deep-linking/pick")
    return Response(html, mimetype="text/html", headers=PAGE_HEADERS)


def start(launch: ToolLaunch) -> Response:
    """The answer to an ``LtiDeepLinkingRequest`` launch: the content picker page (a Flask
    response), its state sealed into it. Called by the launch handler in a request."""
    return picker_page(PickerState.of(launch))
