"""The append-only audit trail: every login, failed login, step-up, logout, throttling event and
access to a person's file, each record chained to the previous one by a hash."""
