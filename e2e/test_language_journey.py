"""The language switch (budget A8) and the skip link (A9), with JavaScript on and off (A2).

Every `journey.step` also runs axe (A1) and checks that nothing scrolls sideways at 320 px (A6).
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.pages.layout import PortalPage
from e2e.pages.portal import ErrorPage, HomePage
from e2e.support.journey import Journey
from e2e.support.words import LANGUAGE_NAMES, language_code, translate

ROUND_TRIP = ("Nederlands", "Deutsch", "English", "Français")


def expect_language(screen: PortalPage, language: str) -> None:
    """The page declares `language` and its switch offers every other language, not this one."""
    expect(screen.root).to_have_attribute("lang", language)
    expect(screen.languages_offered()).to_have_count(len(LANGUAGE_NAMES) - 1)
    expect(screen.language_link(LANGUAGE_NAMES[language])).to_have_count(0)


def expect_translated(screen: PortalPage, language: str, french: str) -> str:
    """The h1 is `french` in `language`; a text left in French fails outside French."""
    expected = translate(language, french)
    if language != "fr":
        assert expected != french, f"no {language} translation of {french!r} in the catalog"
    expect(screen.heading).to_have_text(expected)
    return expected


def test_language_switch_keeps_the_home_page(page: Page, journey: Journey) -> None:
    home = HomePage.open(page)
    assert home.status == 200
    expect_language(home, "fr")
    expect_translated(home, "fr", HomePage.WELCOME)
    for audience in HomePage.AUDIENCES:
        expect(home.audience(audience)).to_be_visible()
    journey.step(page, "accueil-fr")

    for name in ROUND_TRIP:
        language = language_code(name)
        home.switch_language(name)
        assert home.status == 200
        assert home.path == "/", f"switching to {name} left the home page for {page.url}"
        expect_language(home, language)
        expect_translated(home, language, HomePage.WELCOME)
        for audience in HomePage.AUDIENCES:
            expect(home.audience(audience)).to_be_visible()
        journey.step(page, f"accueil-{language}")


def test_language_switch_keeps_a_deeper_page(page: Page, journey: Journey) -> None:
    missing = ErrorPage.open(page, "/does-not-exist")
    assert missing.status == 404
    expect_language(missing, "fr")
    expect_translated(missing, "fr", ErrorPage.NOT_FOUND)
    journey.step(page, "introuvable-fr")

    for name, language in (("Nederlands", "nl"), ("Deutsch", "de")):
        missing.switch_language(name)
        assert missing.path == "/does-not-exist"
        assert missing.status == 404
        expect_language(missing, language)
        expect_translated(missing, language, ErrorPage.NOT_FOUND)
        journey.step(page, f"introuvable-{language}")

    # The choice is kept from page to page, not only on the page where it was made.
    home = missing.back_to_home()
    assert home.status == 200
    assert home.path == "/"
    expect_language(home, "de")
    expect_translated(home, "de", HomePage.WELCOME)
    journey.step(page, "accueil-de")


def test_keyboard_skip_link_moves_to_main(page: Page, journey: Journey) -> None:
    home = HomePage.open(page)
    journey.step(page, "accueil")

    page.keyboard.press("Tab")
    expect(home.skip_link).to_be_focused()
    expect(home.skip_link).to_be_in_viewport()  # the focused skip link shows itself
    journey.step(page, "lien-d-evitement")

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/#main$"))
    expect(home.main).to_be_focused()
    journey.step(page, "contenu-principal")

