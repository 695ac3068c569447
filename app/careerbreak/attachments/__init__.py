"""Pièces jointes (guide 000): the documents of a request whose worker's part was sent."""
