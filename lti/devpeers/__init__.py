"""Development peers: a small LTI 1.3 platform (an LMS stand-in) and a small LTI 1.3 tool,
each a standalone WSGI app that speaks standard LTI over real HTTP, so the hub's two sides can
be developed and tested without a real LMS or a real provider's tool.

- :class:`lti.devpeers.platform.DevPlatform`: issues id_tokens (its own RSA key and JWKS), OIDC
  authorization endpoint, Deep Linking return, OAuth 2.0 token endpoint (``private_key_jwt``),
  AGS line items/scores/results, NRPS memberships, Dynamic Registration.
- :class:`lti.devpeers.tool.DevTool`: OIDC login initiation, launch validation against the
  platform's JWKS, Deep Linking responses, client-credentials token, AGS scores, NRPS roster,
  Dynamic Registration.

Both record what they received (``GET /_received``) and run on 127.0.0.1 in a thread
(``start()``/``stop()`` or ``with``). They import nothing of the hub: they are the other party.
"""
