"""E-mail: sent by SMTP to GUICHET_SMTP_URL; in acceptance without SMTP, kept in an outbox page."""
