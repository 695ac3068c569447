"""E-mail: through a real SMTP server on loopback, or into the acceptance outbox (/dev/outbox)."""

from __future__ import annotations

import contextlib
import email
import email.policy
import re
import socket

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from app import config
from app.asgi import create_app
from app.config import ConfigurationError
from app.mail.routes import OutboxController
from app.mail.services import MailNotSent, SmtpServer, parse_smtp_url, send_mail
from app.mail.tables import OutboxMessage

BODY = "Votre code de sécurité : 482 913.\nIl reste valable 10 minutes. Groeten, Grüße — 978,24 €"
SUBJECT = "Votre code de sécurité – Guichet"


@contextlib.contextmanager
def settings(**variables: str | None):
    """The settings read again with these GUICHET_* variables (None: unset), restored after."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in variables.items():
            if value is None:
                patch.delenv(name, raising=False)
            else:
                patch.setenv(name, value)
        config.get_settings.cache_clear()
        try:
            yield
        finally:
            patch.undo()
            config.get_settings.cache_clear()


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def smtp_server(**options):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


@pytest.fixture
def outbox_page(app):
    """/dev/outbox on the tests' app, as create_app() registers it in acceptance."""
    if not any(route.path == "/dev/outbox" for route in app.routes):
        app.register(OutboxController)
    return app


async def test_a_mail_goes_through_a_real_smtp_server():
    with smtp_server() as (controller, inbox):
        url = f"smtp://127.0.0.1:{controller.port}?from=guichet@example.be"
        with settings(GUICHET_SMTP_URL=url):
            await send_mail("marie.dubois@example.be", SUBJECT, BODY)

    [envelope] = inbox.envelopes
    assert envelope.mail_from == "guichet@example.be"
    assert envelope.rcpt_tos == ["marie.dubois@example.be"]
    received = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert received["To"] == "marie.dubois@example.be"
    assert received["Subject"] == SUBJECT
    assert received.get_content_type() == "text/plain"
    assert received.get_content_charset() == "utf-8"
    assert received.get_content().splitlines() == BODY.splitlines()  # CRLF on the wire
    assert received["Message-ID"].endswith("@example.be>")
    assert await OutboxMessage.count() == 0, "a mail sent by SMTP is not kept in the outbox"


async def test_the_smtp_user_and_password_of_the_url_are_used():
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=True)

    with smtp_server(authenticator=authenticator, auth_require_tls=False) as (controller, inbox):
        url = f"smtp://guichet:p%40ss%3Aw%2Frd@127.0.0.1:{controller.port}"
        with settings(GUICHET_SMTP_URL=url):
            await send_mail("jan.peeters@example.be", "Code", "123456")

    assert logins == [(b"guichet", b"p@ss:w/rd")]
    assert inbox.envelopes[0].rcpt_tos == ["jan.peeters@example.be"]


async def test_an_smtp_server_that_cannot_be_reached_is_reported():
    with settings(GUICHET_SMTP_URL=f"smtp://127.0.0.1:{free_port()}?timeout=2"):
        with pytest.raises(MailNotSent, match=r"SMTP server 127\.0\.0\.1:\d+"):
            await send_mail("marie.dubois@example.be", SUBJECT, BODY)


async def test_without_smtp_the_acceptance_outbox_shows_the_mails_newest_first(
    visitor, outbox_page
):
    with settings(GUICHET_SMTP_URL=None):
        await send_mail("marie.dubois@example.be", "Premier message", "Ancien code : 111111")
        await send_mail("jan.peeters@example.be", SUBJECT, BODY)
        _, page = await visitor.page("/dev/outbox")

    assert page.find("h1").get_text(strip=True) == "Boîte d'envoi (environnement d'acceptation)"
    assert page.title.get_text().startswith("Boîte d'envoi (environnement d'acceptation)")
    rows = page.select("#outbox tbody tr")
    assert [row.find("th").get_text(strip=True) for row in rows] == [
        "jan.peeters@example.be",
        "marie.dubois@example.be",
    ]
    newest = [cell.get_text() for cell in rows[0].find_all("td")]
    assert newest[0] == SUBJECT
    assert re.fullmatch(r"\d\d/\d\d/20\d\d \d\d:\d\d", newest[1]), newest[1]  # 02/04/2026 10:05
    assert newest[2] == BODY
    assert "n'est configuré" in page.find("main").get_text()


async def test_the_outbox_is_empty_at_first(visitor, outbox_page):
    with settings(GUICHET_SMTP_URL=None):
        _, page = await visitor.page("/dev/outbox")
    assert page.select("#outbox") == []
    assert "Aucun e-mail pour le moment." in page.find("main").get_text()


async def test_the_outbox_does_not_exist_in_production(outbox_page):
    with settings(GUICHET_ENV="production", GUICHET_SMTP_URL=None):
        production_app = create_app()
        assert not any(route.path == "/dev/outbox" for route in production_app.routes)
        # Registered by mistake, the controller still answers 404 in production.
        mistaken_app = create_app()
        mistaken_app.register(OutboxController)
        for app in (production_app, mistaken_app):
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
            async with httpx.AsyncClient(transport=transport, base_url="https://127.0.0.1") as web:
                response = await web.get("/dev/outbox")
            assert response.status_code == 404
            assert "Boîte d'envoi" not in response.text
    assert any(route.path == "/dev/outbox" for route in create_app().routes)  # in acceptance


async def test_production_without_smtp_refuses_to_send():
    with settings(GUICHET_ENV="production", GUICHET_SMTP_URL=None):
        with pytest.raises(ConfigurationError, match="GUICHET_SMTP_URL is required in production"):
            await send_mail("marie.dubois@example.be", SUBJECT, BODY)
    assert await OutboxMessage.count() == 0


@pytest.mark.parametrize(
    "url, problem",
    [
        ("http://mail.example.be", "the scheme must be smtp or smtps, not 'http'"),
        ("mail.example.be:25", "the scheme must be smtp or smtps"),
        ("smtp://", "the host name is missing"),
        ("smtp://mail.example.be:port", "the port must be a number"),
        ("smtp://mail.example.be:70000", "the port must be a number"),
        ("smtp://mail.example.be/inbox", "nothing may follow the host and port"),
        ("smtp://mail.example.be?tls=1", "unknown option 'tls'"),
        ("smtp://mail.example.be?starttls=maybe", "starttls='maybe' is neither 1 nor 0"),
        ("smtps://mail.example.be?starttls=1", "smtps:// is TLS already"),
        ("smtp://mail.example.be?from=nobody", "from= must be one e-mail address"),
        ("smtp://mail.example.be?timeout=soon", "timeout= must be a number"),
        ("smtp://user:s3cret@mail.example.be", "only sent over TLS"),
    ],
)
async def test_a_bad_smtp_url_is_a_clear_configuration_error(url, problem):
    with settings(GUICHET_SMTP_URL=url):
        with pytest.raises(ConfigurationError) as raised:
            await send_mail("marie.dubois@example.be", SUBJECT, BODY)
    message = str(raised.value)
    assert message.startswith("GUICHET_SMTP_URL: ")
    assert problem in message
    assert "smtp://[user:password@]host[:port]" in message, "the error shows the expected form"
    assert "s3cret" not in message, "the error never repeats a password"
    assert await OutboxMessage.count() == 0


@pytest.mark.parametrize(
    "url, expected",
    [
        ("smtp://127.0.0.1:2525",
         SmtpServer(hostname="127.0.0.1", port=2525, use_tls=False, start_tls=False)),
        ("smtp://user:pass@mail.example.be:587?starttls=1",
         SmtpServer(hostname="mail.example.be", port=587, use_tls=False, start_tls=True,
                    username="user", password="pass")),
        ("smtps://relay.example.be?from=Guichet%20%3Cguichet%40example.be%3E&timeout=30",
         SmtpServer(hostname="relay.example.be", port=465, use_tls=True, start_tls=False,
                    sender="Guichet <guichet@example.be>", timeout=30.0)),
        ("smtp://mail.example.be", SmtpServer(hostname="mail.example.be", port=25,
                                              use_tls=False, start_tls=False)),
    ],
)
def test_smtp_urls_are_read_as_documented(url, expected):
    assert parse_smtp_url(url) == expected


def test_the_password_is_not_shown_in_the_settings_repr():
    assert "s3cret" not in repr(parse_smtp_url("smtps://user:s3cret@mail.example.be"))


@pytest.mark.parametrize(
    "recipient, subject",
    [
        ("marie.dubois@example.be, jan.peeters@example.be", SUBJECT),
        ("marie.dubois@example.be\r\nBcc: x@example.be", SUBJECT),
        ("not an address", SUBJECT),
        ("marie.dubois@example.be", "Code\r\nBcc: x@example.be"),
    ],
)
async def test_header_injection_is_refused(recipient, subject):
    with settings(GUICHET_SMTP_URL=None):
        with pytest.raises(ValueError):
            await send_mail(recipient, subject, BODY)
    assert await OutboxMessage.count() == 0
