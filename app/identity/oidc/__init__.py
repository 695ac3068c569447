"""The eID and itsme keys: an OpenID Connect relying party (authorization code with PKCE, state,
nonce and `acr_values`), and in the acceptance environment a built-in test identity provider that
speaks the same protocol, so that the same relying-party code runs everywhere.

- `relying_party`: the protocol seen from Guichet (discovery, authorization request, code
  exchange, ID token verification); no Litestar routes.
- `routes`: `/identification/eid`, `/identification/itsme` and the redirect URI
  `/identification/oidc/retour`.
- `test_provider`: the built-in provider under `/fournisseur-test/` (acceptance only).
"""

from __future__ import annotations

from app.config import get_settings


def route_handlers() -> list[type]:
    """The controllers to register: the relying party always, the test provider only in acceptance."""
    from app.identity.oidc.routes import DigitalIdentityController

    handlers: list[type] = [DigitalIdentityController]
    if not get_settings().is_production:
        from app.identity.oidc.test_provider import TestProviderController

        handlers.append(TestProviderController)
    return handlers
