"""S4 and S5 under concurrency: the throttles reserve an attempt before checking it, so N concurrent
guesses count as N (on the database both instances share)."""

from __future__ import annotations

import asyncio

import pyotp
import pytest

from app.demo import load_demo_data
from app.identity import passwords, throttling
from app.registry.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.support.citizens import MARIE


@pytest.fixture
async def demo(database, monkeypatch):
    await load_demo_data()

    async def no_delay(failures):
        return None

    monkeypatch.setattr(throttling, "slow_down_after_failure", no_delay)


class CountingHasher:
    """Counts the passwords actually checked."""

    def __init__(self) -> None:
        self.checked = 0
        self.real = passwords.HASHER

    def verify(self, stored, password):
        self.checked += 1
        return self.real.verify(stored, password)

    def hash(self, password):
        return self.real.hash(password)


async def test_forty_concurrent_password_guesses_check_ten_at_most(visitor, demo, monkeypatch):
    hasher = CountingHasher()
    monkeypatch.setattr(passwords, "HASHER", hasher)
    await visitor.page("/identification/token/connexion")
    token = visitor.csrf_token()
    guesses = [DEMO_PASSWORD if n == 34 else f"wrong-password-{n}" for n in range(40)]
    answers = await asyncio.gather(*[
        visitor.client.post("/identification/token/connexion",
                            data={"_csrf_token": token, "username": MARIE, "password": guess})
        for guess in guesses
    ])
    statuses = [answer.status_code for answer in answers]
    assert 500 not in statuses
    assert hasher.checked <= throttling.MAX_PASSWORD_FAILURES
    assert statuses.count(422) + statuses.count(303) <= throttling.MAX_PASSWORD_FAILURES
    assert statuses.count(429) >= 40 - throttling.MAX_PASSWORD_FAILURES


async def test_thirty_concurrent_codes_on_one_login_check_five_at_most(visitor, demo, monkeypatch):
    from app.identity.keys.mobile_app import MobileApp

    checked = []
    real_verify = MobileApp.verify

    async def counting_verify(self, pending, code):
        checked.append(code)
        return await real_verify(self, pending, code)

    monkeypatch.setattr(MobileApp, "verify", counting_verify)
    await visitor.page("/identification/application-mobile/connexion")
    response = await visitor.submit("/identification/application-mobile/connexion",
                                    {"username": MARIE, "password": DEMO_PASSWORD})
    assert response.status_code == 303
    await visitor.page("/identification/application-mobile/code")
    token = visitor.csrf_token()
    right = pyotp.TOTP(DEMO_TOTP_SECRET).now()
    codes = [right if n == 24 else f"{(int(right) + 1 + n) % 1_000_000:06d}" for n in range(30)]
    answers = await asyncio.gather(*[
        visitor.client.post("/identification/application-mobile/code", data={"_csrf_token": token, "code": code})
        for code in codes
    ])
    statuses = [answer.status_code for answer in answers]
    assert 500 not in statuses
    assert len(checked) <= throttling.MAX_CODE_TRIES
    signed_in = (await visitor.client.get("/mes-cles")).status_code == 200
    assert signed_in == (right in checked)  # the right code signs in only if it was among the five checked


async def test_concurrent_first_failures_count_each_and_answer_no_5xx(database):
    counts = await asyncio.gather(*[throttling.reserve("password:someone") for _ in range(20)])
    assert sorted(counts) == list(range(1, 21))
