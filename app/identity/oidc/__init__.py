"""The eID and itsme keys: an OpenID Connect relying party (authorization code with PKCE, state,
nonce and `acr_values`). In the acceptance environment the identity provider that answers is
Guichet's own (app/acceptance/identity_provider), which speaks the same protocol, so that the same
relying-party code runs everywhere.

- `relying_party`: the protocol seen from Guichet (discovery, authorization request, code
  exchange, ID token verification); no Litestar routes.
- `routes`: `/identification/eid`, `/identification/itsme` and the redirect URI
  `/identification/oidc/retour`.
"""
