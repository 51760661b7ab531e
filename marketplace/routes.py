"""HTTP routes of the marketplace (flask-smorest blueprints): schema loads, service acts,
schema dumps."""

from __future__ import annotations

from flask_smorest import Blueprint


def blueprints() -> list[Blueprint]:
    """Every marketplace blueprint, for :func:`marketplace.init_app`."""
    return []
