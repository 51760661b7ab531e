"""HTTP and CLI surface of statement forwarding (:mod:`xapi.forwarding`).

- ``POST /xapi/forwarding`` registers a downstream LRS (``admin``, or ``lrs-writer`` for its own
  organisation); 201 with the registration (never its password).
- ``GET /xapi/forwarding`` lists the caller's organisation's registrations (all for an admin),
  ``GET /xapi/forwarding/<id>`` one, each with its progress: ``pending``, ``sent``, ``failed``
  (dead letters), ``attempts``, ``last_error``, ``last_error_at``, ``last_sent_at``,
  ``next_attempt_at``.
- ``PATCH /xapi/forwarding/<id>`` changes ``active``, ``url``, credentials, filter or label
  (pausing: ``{"active": false}``); ``POST /xapi/forwarding/<id>/retry`` puts the dead letters
  back in the queue; ``DELETE /xapi/forwarding/<id>`` removes the registration and its outbox.
- ``hub xapi forward [--once]``: drain the outboxes from cron or a test (``--once``: one pass).

These are hub administration endpoints, not xAPI resources: no ``X-Experience-API-Version``.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

import click
import marshmallow as ma
from flask import Blueprint, Flask, current_app, jsonify, request
from flask.cli import with_appcontext

from hub.auth import current_principal, require_roles
from hub.context import get_store
from hub.principal import Principal, Role
from xapi.forwarding import (
    delete_forwarder,
    forwarding_status,
    list_forwarders,
    register_forwarder,
    retry_dead_letters,
    update_forwarder,
)
from xapi.forwarding_client import client_for, make_client
from xapi.forwarding_secrets import seal_plaintext_passwords
from xapi.forwarding_worker import ForwardingPolicy, forward_once, resume_pending

blueprint = Blueprint("xapi_forwarding", __name__, url_prefix="/xapi/forwarding")


def _http_url(value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ma.ValidationError("must be an http(s) URL of the downstream's xAPI endpoint")
    if parts.query or parts.fragment:
        raise ma.ValidationError("must not have a query or fragment")
    # Where it may point (public addresses only) is checked by the service, against the
    # operator's allow list: hub.destinations.


def _iri(value: str) -> None:
    # An IRI has a scheme (RFC 3987); verb ids and activity ids are IRIs (Data 2.4.3, 2.4.4.1).
    if ":" not in value or not value.split(":", 1)[0]:
        raise ma.ValidationError("must be an IRI (with a scheme)")


class ForwarderSchema(ma.Schema):
    """The body of ``POST /xapi/forwarding``."""

    url = ma.fields.String(required=True, validate=_http_url)
    username = ma.fields.String(load_default=None)
    password = ma.fields.String(load_default=None, load_only=True)
    verbs = ma.fields.List(ma.fields.String(validate=_iri), load_default=list)
    activity_prefixes = ma.fields.List(
        ma.fields.String(validate=[ma.validate.Length(min=1), _iri]), load_default=list)
    org_id = ma.fields.String(load_default=None)
    active = ma.fields.Boolean(load_default=True)
    label = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200))


_schema = ForwarderSchema()
_changes = ForwarderSchema(partial=True, exclude=("org_id",))


def _client() -> Any:
    return client_for(current_app)


def _caller() -> Principal:
    principal = current_principal()
    assert principal is not None  # require_roles has authenticated the request
    return principal


@blueprint.post("")
@require_roles(Role.LRS_WRITER)
def create_forwarder() -> Any:
    """Register a downstream LRS."""
    data = _schema.load(request.get_json(force=True))
    principal = _caller()
    forwarder = register_forwarder(get_store(), principal, data, _client())
    body = forwarding_status(get_store(), principal, forwarder["id"])
    return jsonify(body), 201, {"Location": f"/xapi/forwarding/{forwarder['id']}"}


@blueprint.get("")
@require_roles(Role.LRS_WRITER, Role.LRS_READER)
def list_forwarders_view() -> Any:
    """The caller's registrations with progress."""
    return jsonify({"forwarders": list_forwarders(get_store(), _caller())})


@blueprint.get("/<forwarder_id>")
@require_roles(Role.LRS_WRITER, Role.LRS_READER)
def get_forwarder(forwarder_id: str) -> Any:
    """One registration with progress."""
    return jsonify(forwarding_status(get_store(), _caller(), forwarder_id))


@blueprint.patch("/<forwarder_id>")
@require_roles(Role.LRS_WRITER)
def patch_forwarder(forwarder_id: str) -> Any:
    """Change a registration (active, url, credentials, filter, label)."""
    changes = _changes.load(request.get_json(force=True))
    return jsonify(update_forwarder(get_store(), _caller(), forwarder_id, changes, _client()))


@blueprint.post("/<forwarder_id>/retry")
@require_roles(Role.LRS_WRITER)
def retry_forwarder(forwarder_id: str) -> Any:
    """Put the dead letters back in the queue."""
    return jsonify(retry_dead_letters(get_store(), _caller(), forwarder_id))


@blueprint.delete("/<forwarder_id>")
@require_roles(Role.LRS_WRITER)
def delete_forwarder_view(forwarder_id: str) -> Any:
    """Remove a registration and its outbox."""
    delete_forwarder(get_store(), _caller(), forwarder_id)
    return "", 204


@click.command("forward")
@click.option("--once", is_flag=True, help="One pass over every due downstream, then exit.")
@click.option("--interval", default=2.0, show_default=True,
              help="Seconds between passes when not --once.")
@click.option("--batch-size", default=100, show_default=True)
@with_appcontext
def forward_command(once: bool, interval: float, batch_size: int) -> None:
    """Send pending statements to downstream LRSs (for cron, or when the in-process worker is
    off with HUB_FORWARDING_WORKER=off)."""
    store = current_app.extensions["hub.store"]
    policy = ForwardingPolicy(batch_size=batch_size)
    while True:
        tally = forward_once(store, client_for(current_app), policy)
        click.echo(" ".join(f"{k}={v}" for k, v in tally.items()))
        if once:
            return
        time.sleep(interval)


def _resume_pending() -> None:
    resume_pending(current_app._get_current_object())  # type: ignore[attr-defined]


def _seal_plaintext(app: Flask, client: Any) -> None:
    """Seal the passwords of registrations stored before sealing existed. The hub starts even
    when this cannot run now (store or blob store down): the worker reads a plain password as
    it is, and the next start seals it."""
    try:
        seal_plaintext_passwords(app.extensions["hub.store"], client.passwords)
    except Exception:
        app.logger.exception("could not seal plain-text forwarding passwords at start-up")


def init_app(app: Flask) -> None:
    """Register the blueprint, the process's downstream client (destination rules, connection
    pool, password box), the sealing of plain-text passwords, the once-per-process resume of
    pending forwarding (first request) and ``hub xapi forward`` (in the ``xapi`` command
    group, made here when the LRS has not made one)."""
    if "xapi_forwarding" not in app.blueprints:
        app.register_blueprint(blueprint)
        app.before_request(_resume_pending)
        # A bad HUB_FORWARDING_ALLOW_HOSTS stops the hub here, not at the first send.
        client = app.extensions["xapi.forwarding_client"] = make_client(app)
        _seal_plaintext(app, client)
    group = app.cli.commands.get("xapi")
    if group is None:
        group = click.Group("xapi", help="The xAPI LRS.")
        app.cli.add_command(group)
    if isinstance(group, click.Group) and "forward" not in group.commands:
        group.add_command(forward_command)
