"""The transactional outbox: what a state change promises to send, written in its transaction and
delivered after it, again after a crash (app/outbox/services.py)."""
