"""Acting for an organisation: who may use a secured application for which enterprise.

Today the right is an `Employment` row naming the person's role at the enterprise; the
access-management service ("Gestion des accès", guide 003) grows this package into memberships and
grants. Services ask for it through `acting_for_organisation(role)` (a guard) and read the result
with `acting_for(request)`.
"""
