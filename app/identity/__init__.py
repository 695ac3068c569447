"""Identification with the digital keys, levels of assurance, server-side sessions and guards."""
