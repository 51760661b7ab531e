"""JSON request bodies: one parser (:func:`storage.json_text.loads`) for every route.

Flask's ``request.get_json`` (the app's JSON provider) and webargs' ``json`` location (the smorest
blueprints' parser, :class:`hub.docs.HubArgumentsParser`) both end in :func:`load_body`, as do
the xAPI resources, which read their bodies themselves: the nesting limit and the number
handling hold on every route, and a body over them is a 400 naming it, never a
``RecursionError``.
"""

from __future__ import annotations

from typing import Any

from flask.json.provider import DefaultJSONProvider

from hub.errors import ValidationError
from storage.json_text import JSONTextError, loads


def load_body(data: bytes | str, field: str = "body") -> Any:
    """A request body parsed as JSON; 400 naming ``field`` when it is not JSON the hub takes."""
    try:
        return loads(data)
    except JSONTextError as exc:
        raise ValidationError.for_field(field, str(exc)) from None


class HubJSONProvider(DefaultJSONProvider):
    """Flask's JSON with the hub's parser (orjson, the depth limit, faithful numbers).

    Responses keep Flask's serialiser (it knows dates, decimals and dataclasses). Flask 3.1
    reads key sorting from here, not from ``JSON_SORT_KEYS``: responses keep schema order."""

    sort_keys = False

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse with :func:`storage.json_text.loads`; a :class:`ValueError` when refused, which
        Flask's request turns into :meth:`hub.errors_http.HubRequest.on_json_loading_failed`."""
        return loads(s)
