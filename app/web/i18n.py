"""Languages: French is the source text; Dutch, German and English come from Babel catalogs.

The language of a request is the `guichet_lang` cookie set by the language switch, else the best
match of Accept-Language, else French. It is kept in a context variable for the request, so that
templates and Python code (form messages) translate through the same `gettext`.
"""

from __future__ import annotations

import datetime
from contextvars import ContextVar
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import match_skeleton
from babel.numbers import format_currency as babel_format_currency
from babel.numbers import format_decimal as babel_format_decimal
from babel.support import NullTranslations, Translations

from app.config import LOCALE_DIR

LANGUAGES = ("fr", "nl", "de", "en")
DEFAULT_LANGUAGE = "fr"
LANGUAGE_COOKIE = "guichet_lang"
# Babel locales: Belgian variants, so that dates and amounts read as in Belgium.
BABEL_LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "de": "de_BE", "en": "en_BE"}
# The name of each language in itself, for the switch.
LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands", "de": "Deutsch", "en": "English"}

_current_language: ContextVar[str] = ContextVar("guichet_language", default=DEFAULT_LANGUAGE)


@lru_cache(maxsize=1024)  # a pure function of two header values, asked on every request
def negotiate(cookie_value: str | None, accept_language: str | None) -> str:
    if cookie_value in LANGUAGES:
        return cookie_value
    for tag in _accepted_tags(accept_language or ""):
        primary = tag.split("-")[0]
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


def _accepted_tags(header: str) -> list[str]:
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, position, tag.lower()))
    return [tag for _, _, tag in sorted(weighted)]


def activate(language: str) -> None:
    _current_language.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


# The language of the request (its context variable's value): the C method itself, since templates and
# translations ask for it several hundred times on a page of 20 requests.
current_language = _current_language.get


@cache
def translations(language: str) -> NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [language], domain="messages")


def N_(message: str) -> str:
    """Marks a message for translation where it is defined (pybabel extracts it); `_()` translates
    it where it is shown."""
    return message


def gettext(message: str) -> str:
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations(current_language()).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    return translations(current_language()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, count: int) -> str:
    return translations(current_language()).npgettext(context, singular, plural, count)


def format_duration(months: int, days: int = 0) -> str:
    """A length in the current language, through ngettext: "2 mois", "1 mois et 15 jours", "15 jours"
    (and "0 mois" for nothing)."""
    months_text = ngettext("%(num)d mois", "%(num)d mois", months) % {"num": months}
    if not days:
        return months_text
    days_text = ngettext("%(num)d jour", "%(num)d jours", days) % {"num": days}
    if not months:
        return days_text
    return gettext("{months} et {days}").format(months=months_text, days=days_text)


def babel_locale() -> Locale:
    return _locale(current_language())


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(BABEL_LOCALES[language])


def format_date(value: datetime.date, format: str = "short") -> str:
    """`short` gives 02/04/2025 in French, as the guides write dates (02.04.2025 in German).

    A page lists many dates (each request's period, each step of its history) and Babel takes some
    20 µs to format one, so the text of each (language, day, format) is kept: a pure function of them.
    A datetime is formatted as its day, as Babel does."""
    if isinstance(value, datetime.datetime):
        return _formatted_date(current_language(), value.date(), format)
    if isinstance(value, datetime.date):
        return _formatted_date(current_language(), value, format)
    return _formatted_date.__wrapped__(current_language(), value, format)  # e.g. None: today


@lru_cache(maxsize=8192)
def _formatted_date(language: str, day: datetime.date, format: str) -> str:
    pattern = _short_date_pattern(language) if format == "short" else format
    return babel_format_date(day, pattern, locale=_locale(language))


@cache
def _short_date_pattern(language: str) -> str:
    """The pattern of the skeleton ddMMyyyy in this language, looked up once (Babel's skeleton
    matching takes half a millisecond a call)."""
    locale = Locale.parse(BABEL_LOCALES[language])
    return locale.datetime_skeletons[match_skeleton("ddMMyyyy", locale.datetime_skeletons)].pattern


def format_amount(value: Decimal | float | int, currency: str = "EUR") -> str:
    """978,24 € in French, € 978,24 in Dutch, as Babel writes amounts in each language."""
    return babel_format_currency(value, currency, locale=babel_locale())


def format_number(value: Decimal | float | int) -> str:
    if type(value) is int:  # sizes, counts: equal ints always read the same, so the text is kept
        return _formatted_integer(current_language(), value)
    return babel_format_decimal(value, locale=babel_locale())


@lru_cache(maxsize=4096)
def _formatted_integer(language: str, value: int) -> str:
    return babel_format_decimal(value, locale=_locale(language))


def language_of(request) -> str:
    """The language of a Litestar request: the switch's cookie, else Accept-Language, else French."""
    return negotiate(request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language"))
