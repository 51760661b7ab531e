"""What the tool side's service clients (:mod:`lti.ags_client`, :mod:`lti.nrps_client`) need
of the hub's guarded outbound client (:class:`hub.outbound.OutboundClient`), and the errors they
raise about an LMS's answers.

The clients take the HTTP client as an argument, so a test hands them the app's own guarded
client allowed to reach a peer on 127.0.0.1, and nothing here opens a connection of its own.
"""

from __future__ import annotations

from typing import Any, Protocol

from hub.errors import HubError


class LmsHttp(Protocol):
    """The methods of :class:`hub.outbound.OutboundClient` the clients use; each raises
    :class:`hub.outbound.OutboundError` when nothing usable came back."""

    def get_json(self, url: str, headers: dict[str, str] | None = None, *,
                 follow_redirects: bool = True) -> Any: ...

    def post_json(self, url: str, data: Any, headers: dict[str, str] | None = None, *,
                  content_type: str = "application/json") -> Any: ...

    def post_form(self, url: str, fields: dict[str, str],
                  headers: dict[str, str] | None = None) -> Any: ...


class LmsServiceError(Exception):
    """An LMS's service answered with an error or something unusable. ``permanent`` means a
    retry cannot help (the request itself is refused: a bad score, no line item to post to);
    otherwise the sender retries later (network, 5xx, 401 while a token is refreshed)."""

    def __init__(self, message: str, *, status: int | None = None,
                 permanent: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.permanent = permanent


#: LMS answers that will not change on a retry of the same request.
PERMANENT_STATUSES = frozenset({400, 404, 405, 409, 413, 415, 422})


def check(response: Any, what: str, expected: tuple[int, ...] = (200,)) -> Any:
    """``response`` when its status is expected, else :class:`LmsServiceError` naming ``what``
    and the status (never the LMS's body: it may be anything)."""
    if response.status in expected:
        return response
    raise LmsServiceError(f"{what}: the LMS answered {response.status}", status=response.status,
                          permanent=response.status in PERMANENT_STATUSES)


class LmsServiceFailed(HubError):
    """An LMS's service failed a request the hub made for a caller (502): the API's answer to
    an :class:`LmsServiceError`."""

    status = 502
    type = "lms-service-failed"
    title = "The LMS's service failed"
