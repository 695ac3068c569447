""""Compléter une demande" (guide 000): the worker's part of a request whose employer's part is filed.

Choose the request → fill in the worker's part → check every answer → "Confirmer" → a ticket number,
then "Charger des documents". It is a one-step wizard per request (app/identity/wizard.py): what the
worker typed is kept in the server-side session, so that "Précédent" and a reload lose nothing, and the
check page's confirmation key answers a repeated "Confirmer" with the same ticket.
"""
