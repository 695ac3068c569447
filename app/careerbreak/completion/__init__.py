""""Compléter une demande" (guide 000): the worker's part of a request whose employer's part is filed.

Choose the request → fill in the worker's part → check every answer → "Confirmer" → a ticket number,
then "Charger des documents". What the worker typed is kept in the server-side session between the
steps, so that "Précédent" and a reload lose nothing.
"""
