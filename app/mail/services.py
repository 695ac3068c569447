"""Sending e-mail: by SMTP when GUICHET_SMTP_URL is set; else, in acceptance, into the outbox.

GUICHET_SMTP_URL reads:

    smtp://host[:port]                plain SMTP, port 25 by default, no TLS
    smtp://host:587?starttls=1        upgraded with STARTTLS; fails if the server does not offer it
    smtps://host[:port]               TLS from the first byte, port 465 by default
    smtp://user:password@host...      authentication (percent-encode @ : / ? in them); only over
                                      TLS, except to a loopback address
    ...?from=guichet@example.be       the sender (default: DEFAULT_SENDER)
    ...?timeout=30                    seconds to connect and for each reply (default: 10)

Without it, the acceptance environment keeps each message in `OutboxMessage` (shown on
/dev/outbox) and production refuses to send: a code that nobody receives must not look sent.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress
import logging
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from urllib.parse import parse_qsl, unquote, urlsplit

import aiosmtplib

from app.config import ConfigurationError, get_settings
from app.db import transaction
from app.mail.tables import OutboxMessage
from app.outbox.services import Item, enqueue

logger = logging.getLogger("guichet.mail")

DEFAULT_SENDER = "no-reply@localhost"
DEFAULT_TIMEOUT = 10.0
DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
URL_FORMS = "smtp://[user:password@]host[:port][?starttls=1] or smtps://[user:password@]host[:port]"
URL_OPTIONS = ("starttls", "from", "timeout")
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")
MAX_ADDRESS_LENGTH = 254  # RFC 5321


class MailNotSent(RuntimeError):
    """The SMTP server could not be reached, or refused the message."""


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to send, as GUICHET_SMTP_URL says."""

    hostname: str
    port: int
    use_tls: bool  # smtps://: TLS from the first byte
    start_tls: bool  # ?starttls=1: upgrade a plain connection, required
    sender: str = DEFAULT_SENDER
    timeout: float = DEFAULT_TIMEOUT
    username: str | None = None
    password: str | None = field(default=None, repr=False)


def _bad_url(problem: str) -> ConfigurationError:
    # Never repeats the URL itself: it may hold a password.
    return ConfigurationError(f"GUICHET_SMTP_URL: {problem}; expected {URL_FORMS}")


def _is_loopback(hostname: str) -> bool:
    if hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def _flag(name: str, value: str) -> bool:
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise _bad_url(f"{name}={value!r} is neither 1 nor 0")


def parse_smtp_url(url: str) -> SmtpServer:
    """The SMTP server of GUICHET_SMTP_URL, or ConfigurationError saying what is wrong."""
    parts = urlsplit(url.strip())
    if parts.scheme not in DEFAULT_PORTS:
        raise _bad_url(f"the scheme must be smtp or smtps, not {parts.scheme or 'missing'!r}")
    if not parts.hostname:
        raise _bad_url("the host name is missing")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        raise _bad_url("the port must be a number from 1 to 65535") from None
    if parts.path not in ("", "/") or parts.fragment:
        raise _bad_url("nothing may follow the host and port but ?options")
    try:
        pairs = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise _bad_url("the options must read ?name=value&name=value") from None
    options = dict(pairs)
    unknown = sorted(set(options) - set(URL_OPTIONS))
    if unknown or len(options) != len(pairs):
        problem = f"unknown option {unknown[0]!r}" if unknown else "an option is given twice"
        raise _bad_url(f"{problem} (known: {', '.join(URL_OPTIONS)})")

    use_tls = parts.scheme == "smtps"
    start_tls = _flag("starttls", options["starttls"]) if "starttls" in options else False
    if use_tls and start_tls:
        raise _bad_url("smtps:// is TLS already: starttls=1 is for smtp://")
    sender = options.get("from", DEFAULT_SENDER)
    if not _is_one_address(sender):
        raise _bad_url("from= must be one e-mail address")
    try:
        timeout = float(options.get("timeout", DEFAULT_TIMEOUT))
    except ValueError:
        raise _bad_url("timeout= must be a number of seconds") from None
    if not 0 < timeout <= 300:
        raise _bad_url("timeout= must be between 0 and 300 seconds")

    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    if password is not None and not username:
        raise _bad_url("a password needs a user name")
    if username and not (use_tls or start_tls or _is_loopback(parts.hostname)):
        raise _bad_url("a user name and password are only sent over TLS (smtps:// or ?starttls=1)")
    return SmtpServer(
        hostname=parts.hostname,
        port=port,
        use_tls=use_tls,
        start_tls=start_tls,
        sender=sender,
        timeout=timeout,
        username=username,
        password=(password or "") if username else None,
    )


def _is_one_address(value: str) -> bool:
    """One address, such as `a@b.be` or `Guichet <a@b.be>`, that can go in a header as is."""
    if "\r" in value or "\n" in value or "," in value:
        return False
    _, address = parseaddr(value)
    local, at, domain = address.rpartition("@")
    return bool(local and at and domain) and len(address) <= MAX_ADDRESS_LENGTH


def _domain_of(sender: str) -> str:
    return parseaddr(sender)[1].rpartition("@")[2] or "localhost"


def stable_message_id(key: str, sender: str) -> str:
    """The `Message-ID` of the e-mail sent under this idempotency key (an outbox item's): the same at
    every attempt, so that a repeat (a crash between sending and noting it sent) is recognisable."""
    digest = hmac.new(get_settings().secret_key.encode(), f"mail|{key}".encode(), hashlib.sha256).hexdigest()
    return f"<{digest[:32]}@{_domain_of(sender)}>"


def build_message(sender: str, recipient: str, subject: str, body: str, *,
                  message_id: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.datetime.now(datetime.timezone.utc))
    # The domain given, so that make_msgid() does not ask the DNS for this host's name.
    message["Message-ID"] = message_id or make_msgid(domain=_domain_of(sender))
    # Quoted-printable: 7-bit safe through any relay, whatever the language of the text.
    message.set_content(body, charset="utf-8", cte="quoted-printable")
    return message


async def send_mail(recipient: str, subject: str, body: str, *, key: str | None = None) -> None:
    """Send a plain-text e-mail (UTF-8). With `key` (an outbox item's), its `Message-ID` is the key's
    (`stable_message_id`): the same e-mail sent again is recognisably the same.

    Raises ValueError when `recipient` is not one address or `subject` spans lines,
    ConfigurationError when GUICHET_SMTP_URL is wrong, or missing in production, and MailNotSent
    when the SMTP server cannot be reached or refuses the message.
    """
    if not _is_one_address(recipient):
        raise ValueError("the recipient must be one e-mail address")
    if "\r" in subject or "\n" in subject:
        raise ValueError("the subject must fit on one line")
    settings = get_settings()
    if settings.smtp_url:
        server = parse_smtp_url(settings.smtp_url)
        message_id = stable_message_id(key, server.sender) if key is not None else None
        await _send_by_smtp(server, build_message(server.sender, recipient, subject, body, message_id=message_id))
    elif settings.is_production:
        raise ConfigurationError(
            "GUICHET_SMTP_URL is required in production: e-mails cannot be sent without it"
        )
    else:
        message_id = (stable_message_id(key, DEFAULT_SENDER) if key is not None
                      else make_msgid(domain=_domain_of(DEFAULT_SENDER)))
        async with transaction():
            await OutboxMessage.insert(
                OutboxMessage(recipient=recipient, subject=subject, body=body, message_id=message_id)
            )


# -- later, through the outbox (app/outbox): in the transaction of the state change that promises it --

MAIL_ITEM = "mail.message"  # the outbox kind of an e-mail to send


async def enqueue_mail(recipient: str, subject: str, body: str, *, key: str) -> str:
    """`send_mail`, written in the caller's transaction and done by the outbox after its commit: the
    e-mail is sent at least once, even after a crash, each time with the key's `Message-ID`. Returns
    the key."""
    return await enqueue(MAIL_ITEM, {"recipient": recipient, "subject": subject, "body": body}, key=key)


async def deliver_mail(item: Item) -> None:
    """The outbox's handler of `MAIL_ITEM` (declared in app/mail/service.py). A server that cannot be
    reached, or a missing configuration, is tried again later; an address that is not one never
    will be: it is logged and dropped."""
    payload = item.payload
    try:
        await send_mail(payload["recipient"], payload["subject"], payload["body"], key=item.key)
    except ValueError as error:
        logger.warning("the e-mail %s is not sent: %s", item.key, error)


async def _send_by_smtp(server: SmtpServer, message: EmailMessage) -> None:
    try:
        await aiosmtplib.send(
            message,
            hostname=server.hostname,
            port=server.port,
            use_tls=server.use_tls,
            start_tls=server.start_tls,
            username=server.username,
            password=server.password,
            timeout=server.timeout,
        )
    except (aiosmtplib.SMTPException, OSError) as error:
        raise MailNotSent(
            f"the SMTP server {server.hostname}:{server.port} did not accept the message: {error}"
        ) from error


@dataclass(frozen=True)
class KeptMessage:
    recipient: str
    subject: str
    body: str
    created_at: datetime.datetime


async def latest_outbox_messages(limit: int = 50) -> list[KeptMessage]:
    """The messages kept in the outbox, the newest first."""
    rows = await (
        OutboxMessage.select(
            OutboxMessage.recipient,
            OutboxMessage.subject,
            OutboxMessage.body,
            OutboxMessage.created_at,
        )
        .order_by(OutboxMessage.created_at, OutboxMessage.id, ascending=False)
        .limit(limit)
    )
    return [KeptMessage(**row) for row in rows]
