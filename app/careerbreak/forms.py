"""What every screen of the service parses the same way."""

from __future__ import annotations

# Ids and versions: the one way to read them is app/web/forms.py's (the databases' 32-bit range).
from app.web.forms import MAX_ID, parse_id

__all__ = ["MAX_ID", "parse_id"]
