"""Qui a consulté mon dossier ? (budget S9): the citizen sees, from the audit trail, which enterprise
consulted their file, when, and what it saw."""
