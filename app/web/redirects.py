"""Safe `next=` redirects: same-origin paths only."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_local_path(candidate: object, default: str = "/") -> str:
    """A same-origin path to redirect to: never another host, scheme or `//`."""
    if not isinstance(candidate, str) or not candidate.startswith("/") or candidate.startswith("//"):
        return default
    if "\\" in candidate or any(ord(char) < 32 for char in candidate):
        return default
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc:
        return default
    return candidate
