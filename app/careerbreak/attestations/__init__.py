"""Attestations (guide 000, "Demander une attestation"): the citizen chooses a document, clicks
"Suivant", gets a confirmation, and the document arrives in their e-Box."""
