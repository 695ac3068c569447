"""The idle timeout (WCAG 2.2.1, budget A7): a warning at least 2 minutes before the session
expires, with a button that extends it without leaving the page, so nothing typed is lost.

The browser's clock is Playwright's, fast-forwarded: the page's own timer shows the warning.
Without JavaScript there is no timer to warn with; the server still ends an idle session after
15 minutes (tests/test_sessions.py), so that run checks only that the warning does not get in the way.
"""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect

from app.registry.demo import DEMO_IDENTITIES
from e2e.pages.identity import TOKEN, IdentificationPage
from e2e.support.journey import Journey
from e2e.test_identification_journey import ask_for_my_keys, expect_signed_in, sign_in

LUC = next(identity for identity in DEMO_IDENTITIES if identity.person.username == "luc.martin")
WARNING_TITLE = "Votre session va bientôt expirer"
EXTEND = "Prolonger la session"


def test_the_session_warns_two_minutes_before_it_expires_and_can_be_extended(
    page: Page, journey: Journey, javascript: bool
) -> None:
    page.clock.install(time=time.time())
    identification: IdentificationPage = ask_for_my_keys(page)
    my_keys = sign_in(page, journey, identification, TOKEN, LUC, "token")
    expect_signed_in(my_keys, LUC, TOKEN)
    warning = page.get_by_role("alertdialog", name=my_keys.text(WARNING_TITLE))
    expect(warning).to_be_hidden()

    page.clock.fast_forward("12:50")  # 12 min 50 s idle: no warning yet
    expect(warning).to_be_hidden()
    if not javascript:
        journey.step(page, "sans-avertissement")
        return

    page.clock.fast_forward("00:15")  # 13 min 5 s: less than 2 minutes left
    expect(warning).to_be_visible()
    extend = warning.get_by_role("button", name=my_keys.text(EXTEND))
    expect(extend).to_be_focused()
    journey.step(page, "avertissement")

    with page.expect_response("**/session/prolonger") as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 204
    expect(warning).to_be_hidden()
    assert page.url.endswith("/mes-cles"), "extending the session must not leave the page"
    journey.step(page, "session-prolongee")
