"""What exists only in the acceptance environment (GUICHET_ENV=acceptance), never in production."""
