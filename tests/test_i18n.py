"""French source text, translated to Dutch, German and English through gettext; Babel formats."""

import datetime
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.config import LOCALE_DIR, PROJECT_ROOT
from app.web.i18n import activate, format_amount, format_date, gettext, negotiate

TRANSLATED = ("nl", "de", "en")


def catalog(language: str):
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory) -> set[str]:
    """Every text the code and the templates use, extracted as `make translations` does."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [Path(sys.executable).parent / "pybabel", "extract", "-F", "babel.cfg", "-k", "N_",
         "-o", str(pot), "--no-location", "."],
        cwd=PROJECT_ROOT, check=True, capture_output=True,
    )
    with open(pot, "rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


def translation_of(translated, message_id):
    message = translated.get(message_id)
    if message is None or message.fuzzy:
        return None
    return message.string if isinstance(message.string, str) else message.string[0]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_text_is_translated(language, source_messages):
    translated = catalog(language)
    missing = sorted(
        str(message) for message in source_messages if not translation_of(translated, message)
    )
    assert missing == [], f"run `make translations` and translate in {language}: {missing}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_their_placeholders(language):
    for message in catalog(language):
        if message.id and "%(" in message.id:
            for placeholder in ("%(name)s", "%(code)s"):
                assert (placeholder in message.id) == (placeholder in message.string), message.id


def test_gettext_follows_the_active_language():
    activate("nl")
    assert gettext("Page introuvable") == "Pagina niet gevonden"
    activate("fr")
    assert gettext("Page introuvable") == "Page introuvable"


@pytest.mark.parametrize(
    "cookie, header, expected",
    [
        ("de", "nl-BE,nl;q=0.9", "de"),
        (None, "nl-BE,nl;q=0.9,fr;q=0.8", "nl"),
        (None, "es-ES,en;q=0.5,de;q=0.7", "de"),
        (None, "es-ES", "fr"),
        ("xx", None, "fr"),
        (None, "de;q=0,en", "en"),
    ],
)
def test_language_negotiation(cookie, header, expected):
    assert negotiate(cookie, header) == expected


@pytest.mark.parametrize(
    "language, date, amount",
    [
        ("fr", "02/04/2025", "978,24\xa0€"),
        ("nl", "2/4/2025", "€\xa0978,24"),
        ("de", "02.04.2025", "978,24\xa0€"),
        ("en", "2/4/2025", "978,24\xa0€"),
    ],
)
def test_dates_and_amounts_are_written_as_in_belgium(language, date, amount):
    activate(language)
    assert format_date(datetime.date(2025, 4, 2)) == date
    assert format_amount(Decimal("978.24")) == amount
    activate("fr")
