"""The few HTML pages of the platform side's browser flows: the auto-submitting form that
carries an ``id_token`` to the tool (OAuth 2.0 Form Post Response Mode, OpenID Connect
``response_mode=form_post``; LTI 1.3 §5.1.1.5) and a short message page. Values are escaped;
the pages are never cached (they carry one-time tokens)."""

from __future__ import annotations

from flask import Response
from markupsafe import escape

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache",
            "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}


def form_post(action: str, fields: dict[str, str | None]) -> Response:
    """A page that posts ``fields`` to ``action`` at once (a button without JavaScript)."""
    inputs = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
                     for k, v in fields.items() if v is not None)
    body = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>Launching…</title>"
            "</head><body onload=\"document.forms[0].submit()\">"
            f"<form method=\"post\" action=\"{escape(action)}\">{inputs}"
            "<noscript><button type=\"submit\">Continue</button></noscript></form>"
            "</body></html>")
    return Response(body, mimetype="text/html", headers=NO_STORE)


def message_page(title: str, lines: list[str], status: int = 200) -> Response:
    """A plain page with a title and a few lines."""
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    body = (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{escape(title)}"
            f"</title></head><body><h1>{escape(title)}</h1><ul>{items}</ul></body></html>")
    return Response(body, status=status, mimetype="text/html", headers=NO_STORE)
