"""JSON request bodies: one parser (:func:`storage.json_text.loads`) for every route.

Flask's ``request.get_json`` (the app's JSON provider) and webargs' ``json`` location (the smorest
blueprints' parser, :class:`hub.docs.HubArgumentsParser`) both end in :func:`load_body`, as do
the xAPI resources, which read their bodies themselves: the nesting limit and the number
handling hold on every route, and a body over them is a 400 naming it, never a
``RecursionError``.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider

from hub.errors import ValidationError
from storage.json_text import JSONTextError, loads


def load_body(data: bytes | str, field: str = "body") -> Any:
    """A request body parsed as JSON; 400 naming ``field`` when it is not JSON the hub takes."""
    try:
        return loads(data)
    except JSONTextError as exc:
        raise ValidationError.for_field(field, str(exc)) from None


def _flask_default(value: Any) -> Any:
    """What orjson does not write itself, written as Flask's provider writes it (dates as HTTP
    dates, decimals as strings)."""
    return DefaultJSONProvider.default(value)


class HubJSONProvider(DefaultJSONProvider):
    """The whole app's JSON on orjson: the hub's parser (the depth limit, faithful numbers) and
    orjson's writer, about ten times faster than the standard library's on catalogue pages.

    Flask 3.1 reads key sorting from here, not from ``JSON_SORT_KEYS``: keys keep their order
    (schema order). Dates keep Flask's format; what orjson refuses (an integer past 64 bits)
    falls back to Flask's writer, so nothing that Flask wrote before fails now."""

    sort_keys = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        """Serialise with orjson (Flask's writer for what orjson cannot write)."""
        if not kwargs:
            try:
                return orjson.dumps(obj, default=_flask_default,
                                    option=orjson.OPT_NON_STR_KEYS
                                    | orjson.OPT_PASSTHROUGH_DATETIME).decode()
            except TypeError:  # orjson.JSONEncodeError is a TypeError
                pass
        return super().dumps(obj, **kwargs)

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse with :func:`storage.json_text.loads`; a :class:`ValueError` when refused, which
        Flask's request turns into :meth:`hub.errors_http.HubRequest.on_json_loading_failed`."""
        return loads(s)
