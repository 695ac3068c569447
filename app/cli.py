"""The `guichet` command: serve, migrate, demo-data, audit verify, account block|unblock, decide."""

from __future__ import annotations

import argparse
import asyncio
import datetime
import logging
import sys

from app.config import ConfigurationError, get_settings


def _run_with_database(work) -> object:
    """Runs a coroutine, then closes the engine's connections (their threads would keep us alive). The
    services are installed first, as in the web app: what a command writes to the outbox (the
    documents of a decision) it delivers with their handlers."""
    from piccolo.engine.finder import engine_finder

    from app.db.engines import close_engine
    from app.installed import install

    install()

    async def run():
        try:
            return await work
        finally:
            await close_engine(engine_finder())

    return asyncio.run(run())


def _serve(arguments: argparse.Namespace) -> int:
    import uvicorn

    # uvicorn with uvloop and httptools: measured against granian with `make bench` (README).
    # It stops cleanly on Ctrl-C and SIGTERM: open requests finish, then the app shuts down.
    uvicorn.run(
        "app.asgi:create_app",
        factory=True,
        host=arguments.host,
        port=arguments.port,
        workers=arguments.workers,
        loop="uvloop",
        http="httptools",
        proxy_headers=True,
        forwarded_allow_ips=arguments.forwarded_allow_ips,
        server_header=False,
        date_header=True,
        access_log=arguments.access_log,
        timeout_graceful_shutdown=10,
        log_level="info",
    )
    return 0


def _migrate(arguments: argparse.Namespace) -> int:
    from app.audit.services import key_the_chain
    from app.db.migrate import apply_migrations

    async def migrate() -> None:
        await apply_migrations(quiet=False)
        await key_the_chain()  # a trail begun before the chain was keyed is closed by chain_keyed

    _run_with_database(migrate())
    print("Migrations applied.")
    return 0


def _demo_data(arguments: argparse.Namespace) -> int:
    from app.demo import load_demo_data
    from app.registry.demo import DEMO_CARD_PIN, DEMO_PASSWORD, DEMO_TOTP_SECRET

    if get_settings().is_production:
        print("guichet demo-data: refused, demo data exist only in the acceptance environment.",
              file=sys.stderr)
        return 2
    identities = _run_with_database(load_demo_data())
    print("Demo identities (acceptance environment):")
    for identity in identities:
        person = identity.person
        name = f"{person.first_name} {person.last_name}"
        print(f"  {name:<15} NISS {person.niss}  user {person.username:<15} {identity.part}")
    print(f"  password {DEMO_PASSWORD}, mobile-app secret {DEMO_TOTP_SECRET}, "
          f"eID/itsme PIN {DEMO_CARD_PIN}")
    return 0


def _audit_verify(arguments: argparse.Namespace) -> int:
    from app.audit.services import verify_chain

    expect_head = None
    if arguments.expect_head:
        sequence, _, head_hash = arguments.expect_head.partition(":")
        if not sequence.isdigit() or len(head_hash) != 64:
            print("--expect-head takes SEQUENCE:HASH, as `guichet audit verify` printed them.")
            return 2
        expect_head = (int(sequence), head_hash.lower())
    report = _run_with_database(verify_chain(expect_head=expect_head))
    if report.intact:
        print(f"Audit trail intact: {report.checked} records.")
        if report.head_sequence is not None:
            print(f"Last record: {report.head_sequence}, hash {report.head_hash}")
            print(f"Anchor it elsewhere, then check with --expect-head {report.head_sequence}:{report.head_hash}")
        return 0
    print(f"Audit trail NOT intact: {report.checked} records checked.")
    for problem in report.problems:
        print(f"  {problem.describe()}")
    if report.more_problems:
        print("  ... and more problems after these.")
    return 1


def _account(arguments: argparse.Namespace) -> int:
    import getpass

    from app.identity.services import set_account_blocked

    blocked = arguments.action == "block"
    administrator = getpass.getuser()
    found = _run_with_database(
        set_account_blocked(arguments.username, blocked, administrator=administrator)
    )
    if not found:
        print(f"guichet account: no account with the user name {arguments.username!r}", file=sys.stderr)
        return 1
    print(f"Account {arguments.username} {'blocked: its sessions are ended' if blocked else 'unblocked'}.")
    return 0


def _decide(arguments: argparse.Namespace) -> int:
    """ONEM's decision on a request, named by the worker's ticket (app/careerbreak/decision.py)."""
    import getpass

    from app.careerbreak.decision import DecisionRefused, decide_ticket

    try:
        decision = _run_with_database(
            decide_ticket(arguments.ticket, decided_by=getpass.getuser(), decided_on=arguments.on)
        )
    except DecisionRefused as refused:
        print(f"guichet decide: {arguments.ticket}: {refused.reason}.", file=sys.stderr)
        return 1
    who = f"{decision.worker_name} at {decision.enterprise_name}"
    if decision.repeated:
        print(f"Request {decision.ticket_number} ({who}) was already decided on {decision.decided_on.isoformat()}; "
              "sent what its e-Boxes lacked:")
    else:
        print(f"Request {decision.ticket_number} ({who}): decided on {decision.decided_on.isoformat()}.")
    documents = {
        "the copy of the decision (C62) to the worker's e-Box": decision.documents.worker_copy,
        "the notice of the decision to the enterprise's e-Box": decision.documents.enterprise_notice,
    }
    for what, delivery in documents.items():
        if delivery.public_id is not None and delivery.sent_now:
            print(f"  Sent {what} (in {decision.language}).")
    missing = [what for what, delivery in documents.items() if delivery.public_id is None]
    for what in missing:
        print(f"guichet decide: {what} could not be sent (see the log above); run "
              f"`guichet decide {decision.ticket_number}` again to send it.", file=sys.stderr)
    return 1 if missing else 0


def _iso_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guichet", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve Guichet over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--forwarded-allow-ips", default="127.0.0.1",
                       help="proxies trusted for X-Forwarded-* headers")
    serve.add_argument("--access-log", action=argparse.BooleanOptionalAction, default=True)
    serve.set_defaults(handler=_serve)

    migrate = commands.add_parser("migrate", help="apply the migrations of migrations/")
    migrate.set_defaults(handler=_migrate)

    demo = commands.add_parser("demo-data", help="load the demo identities (acceptance only)")
    demo.set_defaults(handler=_demo_data)

    audit = commands.add_parser("audit", help="the audit trail")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_commands.add_parser(
        "verify", help="check that no record of the audit trail was changed or removed"
    )
    verify.add_argument(
        "--expect-head", metavar="SEQUENCE:HASH",
        help="a head printed by an earlier verify and kept outside the database: it must still be there",
    )
    verify.set_defaults(handler=_audit_verify)

    account = commands.add_parser("account", help="block or unblock an account")
    account.add_argument("action", choices=["block", "unblock"])
    account.add_argument("username")
    account.set_defaults(handler=_account)

    decide = commands.add_parser(
        "decide", help="ONEM's decision on a request whose worker's part was sent: the copy (C62) to the "
                       "worker's e-Box, a notice to the enterprise's e-Box")
    decide.add_argument("ticket", help="the worker's ticket number of the request, e.g. K7F-4TR-9XW")
    decide.add_argument("--on", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                        help="the day of the decision (default: today)")
    decide.set_defaults(handler=_decide)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    arguments = build_parser().parse_args(argv)
    try:
        get_settings()
        return arguments.handler(arguments)
    except ConfigurationError as error:
        print(f"guichet: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
