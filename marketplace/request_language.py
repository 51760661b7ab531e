"""The language a response shows human text in, for every marketplace route."""

from __future__ import annotations

from typing import Any

from flask import request


def preferred_language(args: dict[str, Any]) -> str | None:
    """``?lang=``, else the best of Accept-Language (RFC 9110 §12.5.4), else None (English,
    then the first name: :func:`marketplace.frac_model.pick_text`)."""
    best = args.get("lang") or request.accept_languages.best
    return best if best and best != "*" else None
