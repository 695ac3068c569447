"""The identity provider of the acceptance environment, under `/fournisseur-test/`.

In production FAS answers for the eID and itsme keys; in acceptance this provider does, with the
demo identities, speaking the same OpenID Connect protocol so that the relying party
(app/identity/oidc) runs the same code in both environments. It is mounted only outside production
(app/acceptance/service.py).

- `provider`: the protocol (signing key, discovery document, authorization in progress and its
  codes, token endpoint, ID token); no Litestar routes.
- `routes`: `AcceptanceIdentityProviderController`, the endpoints and the pages where the visitor
  chooses a demo identity, then types the card's PIN (eID) or confirms as in the app (itsme).
"""
