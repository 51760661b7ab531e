"""``GET /lti/jwks`` and ``GET /.well-known/jwks.json``: the hub's public keys, for LMSes that
verify its Deep Linking responses and client assertions and for tools that verify its id_tokens
(LTI 1.3 Security Framework §6.3). Public: no credential, nothing secret."""

from __future__ import annotations

from typing import Any

from flask import Flask

from catalogue_schemas.jwks import JwksSchema
from hub.docs import HubBlueprint
from lti.keys import JWKS_MAX_AGE, hub_keys

blueprint = HubBlueprint("lti_jwks", __name__, url_prefix="",
                         description="The hub's LTI public signing keys (no auth).")

#: Verifiers may cache the set this long; a new key is published longer than this before it
#: signs (lti.keys.PUBLISH_AHEAD), so a cached set never lacks the key of a fresh token.
CACHE_CONTROL = f"public, max-age={JWKS_MAX_AGE}"


def _jwks() -> Any:
    return hub_keys().jwks(), 200, {"Cache-Control": CACHE_CONTROL}


@blueprint.route("/lti/jwks", methods=["GET"])
@blueprint.response(200, JwksSchema)
def lti_jwks() -> Any:
    """The hub's JSON Web Key Set: the key of every JWT the hub signs, by ``kid``."""
    return _jwks()


@blueprint.route("/.well-known/jwks.json", methods=["GET"])
@blueprint.response(200, JwksSchema)
def well_known_jwks() -> Any:
    """The same key set at its conventional address (RFC 8414 ``jwks_uri`` style)."""
    return _jwks()


def init_app(app: Flask) -> None:
    """Register the JWKS routes on the app's :class:`hub.docs.HubApi`."""
    app.extensions["hub.api"].register_blueprint(blueprint)
