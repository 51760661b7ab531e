"""HTTP routes of departments' demand for content (``/demands``): schema loads,
:mod:`marketplace.demands` acts, schema dumps.

- ``POST /demands`` raises a demand (curator of a department); 201.
- ``GET /demands`` a department's own demands, or the demands a provider accepted.
- ``GET /demands/open`` the open demands a provider may accept (sent to it, or broadcast and
  matching the competencies of its published catalogue items).
- ``GET /demands/<id>``, ``GET /demands/<id>/audit``; ``POST /demands/<id>/transitions``
  accepts, starts, fulfils or invalidates it (409 naming the status when not allowed now).
"""

from __future__ import annotations

from typing import Any

from catalogue_schemas.demand import (
    DemandActionSchema,
    DemandAuditSchema,
    DemandInSchema,
    DemandListArgs,
    DemandPageSchema,
    DemandSchema,
)
from catalogue_schemas.search import LanguageArgs
from hub.auth import current_principal
from hub.context import get_config, get_store
from hub.docs import HubBlueprint
from marketplace import demands as service
from marketplace.request_language import preferred_language

SECURED: dict[str, Any] = {"security": [{"basic": []}]}

demands = HubBlueprint("demands", __name__, url_prefix="/demands",
                       description="Departments' demand for content and the providers that "
                                   "fulfil it (authenticated).")


def _principal() -> Any:
    return current_principal(required=True)


def _shower(args: dict[str, Any]) -> Any:
    store, principal, lang = get_store(), _principal(), preferred_language(args)
    base_url = get_config().public_url
    return lambda demand: service.shown(store, principal, demand, lang, base_url)


@demands.route("", methods=["POST"])
@demands.arguments(DemandInSchema)
@demands.response(201, DemandSchema)
@demands.doc(**SECURED)
def raise_demand(body: dict[str, Any]) -> Any:
    """Raise a demand for content the catalogue lacks (curator of a department): broadcast
    to every provider, or sent to one with ``provider_id``."""
    demand = service.raise_demand(get_store(), _principal(), body)
    return _shower({})(demand), 201, {"Location": f"/demands/{demand['id']}"}


@demands.route("", methods=["GET"])
@demands.arguments(DemandListArgs, location="query")
@demands.response(200, DemandPageSchema)
@demands.doc(**SECURED)
def list_demands(args: dict[str, Any]) -> Any:
    """A department's own demands; for a provider, the demands it accepted."""
    return service.list_demands(get_store(), _principal(), args, _shower(args))


@demands.route("/open", methods=["GET"])
@demands.arguments(DemandListArgs, location="query")
@demands.response(200, DemandPageSchema)
@demands.doc(**SECURED)
def list_open(args: dict[str, Any]) -> Any:
    """The open demands a provider may accept: sent to it, or broadcast and asking for a
    competency its published courses and programs teach (publisher of a provider)."""
    return service.list_open(get_store(), _principal(), args, _shower(args))


@demands.route("/<demand_id>", methods=["GET"])
@demands.arguments(LanguageArgs, location="query")
@demands.response(200, DemandSchema)
@demands.doc(**SECURED)
def get_demand(args: dict[str, Any], demand_id: str) -> Any:
    """One demand (its department, the provider it was sent to or that accepted it, and any
    provider while a broadcast demand is open)."""
    return _shower(args)(service.load_visible(get_store(), _principal(), demand_id))


@demands.route("/<demand_id>/transitions", methods=["POST"])
@demands.arguments(DemandActionSchema)
@demands.response(200, DemandSchema)
@demands.doc(**SECURED)
def transition_demand(body: dict[str, Any], demand_id: str) -> Any:
    """Accept (a provider), start, fulfil with a published ``catalogue_id`` (the accepting
    provider) or invalidate with a ``comment`` (the department); 409 naming the status when
    the action is not allowed from it."""
    demand = service.transition(get_store(), _principal(), demand_id, body["action"],
                                body.get("comment"), body.get("catalogue_id"))
    return _shower({})(demand)


@demands.route("/<demand_id>/audit", methods=["GET"])
@demands.response(200, DemandAuditSchema)
@demands.doc(**SECURED)
def demand_audit(demand_id: str) -> Any:
    """Every audit event of the demand, oldest first."""
    return {"items": service.audit_trail(get_store(), _principal(), demand_id)}
