"""An LMS rotates its signing key: the hub's cached JWKS does not know the new ``kid``, so it
re-fetches the key set once and the launch goes through; a forged ``kid`` right after does not
make the hub fetch again (one re-fetch per interval per URL), and is refused."""

from __future__ import annotations

from lti.devpeers.browser import Browser
from lti.devpeers.signing import PeerKey
from tests.lti.tool_side_fixtures import PACKAGED, LiveHub


def launch_status(hub: LiveHub) -> int:
    """Status of the hub's answer to the id_token post of a new launch."""
    with Browser() as browser:
        browser.run(hub.launch_url(PACKAGED))
    return next(h for h in browser.hops if h.url.endswith("/lti/launch")).status


def test_rotated_key_is_fetched_once_and_forged_kids_do_not_hammer(live_hub: LiveHub) -> None:
    from hub.outbound import outbound_client
    from lti.remote_keys import REFETCH_INTERVAL, RemoteKeySets

    hub = live_hub
    now = [1000.0]
    hub.app.extensions["lti.remote_keys"] = RemoteKeySets(outbound_client(hub.app),
                                                          clock=lambda: now[0])
    assert launch_status(hub) == 302
    assert launch_status(hub) == 302
    assert len(hub.jwks_fetches) == 1  # cached
    hub.platform.key = PeerKey()  # the LMS rotates: only the new key is published
    now[0] += REFETCH_INTERVAL  # (a re-fetch is allowed once per interval per URL)
    assert launch_status(hub) == 302
    assert len(hub.jwks_fetches) == 2  # one re-fetch for the unknown kid

    def forged(kind: str, claims: dict[str, object], headers: dict[str, object]) -> None:
        headers["kid"] = "forged-kid"

    hub.platform.jwt_hook = forged
    assert launch_status(hub) == 400
    assert launch_status(hub) == 400
    assert len(hub.jwks_fetches) == 2  # no fetch for forged kids within the interval
