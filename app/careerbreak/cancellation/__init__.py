"""Annulation: the citizen cancels one of their requests and gets a ticket code (guide 000)."""
