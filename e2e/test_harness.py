"""The harness can fail: a step stops the journey on each kind of problem it is there to catch.

The test breaks the home page through the DOM (the app itself cannot be broken from here) and
expects `journey.step` to fail with the right message, JavaScript on and off.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from e2e.pages.portal import HomePage
from e2e.support.journey import Journey

# What the failure message must say → how the test breaks `<main>`.
BREAKAGES = {
    "(?s)axe violation.*- image-alt": """(main) => {
        const image = document.createElement('img');
        image.src = '/static/img/favicon.svg';
        main.append(image);
    }""",
    "horizontal scrolling at 320 px": """(main) => {
        const wide = document.createElement('div');
        wide.textContent = 'wide';
        wide.style.width = '900px';
        main.append(wide);
    }""",
    "CSP: .*style-src": """(main) => {
        const style = document.createElement('style');
        style.textContent = 'h1 { color: red }';
        document.head.append(style);
    }""",
}


def test_a_step_fails_on_what_it_checks(page: Page, journey: Journey) -> None:
    for problem, breakage in BREAKAGES.items():
        home = HomePage.open(page)
        home.main.evaluate(breakage)
        with pytest.raises(AssertionError, match=problem):
            journey.step(page, "accueil-casse")
