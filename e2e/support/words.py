"""The texts a user reads, in each language, from the app's own catalogs.

Journeys write the French source text and ask for its translation, so that a wording change is
made once (in the template) and a missing translation fails the journey instead of passing
silently.
"""

from __future__ import annotations

from app.config import LOCALE_DIR
from app.web.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    LANGUAGES,
    activate,
    current_language,
    gettext,
)

__all__ = ["LANGUAGES", "LANGUAGE_NAMES", "language_code", "stale_catalogs", "translate"]


def translate(language: str, message: str) -> str:
    """`message` (the French source text) as the app shows it in `language`."""
    previous = current_language()
    activate(language)
    try:
        return gettext(message)
    finally:
        activate(previous)


def language_code(name: str) -> str:
    """`nl` for "Nederlands": the switch names each language in itself."""
    for code, own_name in LANGUAGE_NAMES.items():
        if own_name == name:
            return code
    raise ValueError(f"{name!r} is not one of {sorted(LANGUAGE_NAMES.values())}")


def stale_catalogs() -> list[str]:
    """The catalogs whose .mo is missing or older than the .po (`make install` compiles them)."""
    stale = []
    for language in LANGUAGES:
        if language == DEFAULT_LANGUAGE:
            continue
        source = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
        compiled = source.with_suffix(".mo")
        if not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime:
            stale.append(str(source.relative_to(LOCALE_DIR.parent.parent)))
    return stale
