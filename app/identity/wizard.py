"""Wizards: a request filled in over several steps, kept on the server until "Confirmer" files it once.

    PART = Wizard("completion", steps=(Step("partie", "/completer/{owner}"),),
                  check="/completer/{owner}/verification", before="/completer?demande={owner}")

    # A step's form, posted: what was typed is kept whatever happens (errors, "Précédent", a reload);
    # `refusal(progress)` answers a page with errors (422) or None, and then the step is accepted.
    return await PART.submit(request, owner, "partie", typed, back=action == "precedent", check=refusal)

    # The check-your-answers page: "Modifier" links back to a step, and the key its form sends back.
    progress = PART.load(request, owner)
    PART.change_url(owner, "partie", "iban")                     # /completer/12#iban
    key = (await PART.confirmation(request, progress))["key"]    # drawn once (with a ticket, if asked)

    # "Confirmer"
    if (first := progress.answered(key)) is not None:            # a repeat: the first post's answer (R1)
        return Redirect(path=first, status_code=303)
    if (elsewhere := PART.unconfirmable(progress, key)) is not None:  # a step open, or a page shown
        return elsewhere                                         # before the answers changed
    ...                                                          # file it, idempotently (see below)
    await PART.finish(request, progress, key, "/completer/12/ticket")  # answers go, the key stays

Steps are data (`Step`: its name and address, and where accepting it or "Précédent" lead when that is
not the next or the previous step). A changed answer re-opens the steps after it (they depend on it;
their answers stay, to be accepted again) and drops the confirmation key (the check page draws a new
one), so that a check page shown before the change cannot confirm what it did not show.

The state lives in the server-side session (it is session data, as the flash messages are, hence
this module beside `sessions.py`), one entry per wizard, one slot per owner (the enterprise acted
for, the request completed; the last `KEPT_OWNERS` touched):

    {"wizard:completion": {"12": {"answers": {"partie": {...}},  # each step's fields as typed
                                  "done": ["partie"],            # the steps whose answers were accepted
                                  "confirmation": {"key": ..., "ticket": ...},  # drawn for the check page
                                  "sent": {"key": ..., "answer": "/completer/12/ticket"}}}}

The session is not a lock: repeats posted at the same moment may all read it before the first one
finished, and all reach the filing. The filing must therefore be idempotent on what was drawn with
the key (the employer's ticket, a unique column) or on the request's version (compare-and-set); the
key then answers every later repeat with the first answer, without touching the request again.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from litestar.connection import ASGIConnection
from litestar.response import Redirect, Response

from app.identity.sessions import current_session, update_session_data

KEPT_OWNERS = 5  # slots kept per wizard: a sixth owner pushes out the one touched longest ago


def _no_draw() -> dict[str, str]:
    return {}


@dataclass(frozen=True)
class Step:
    name: str
    path: str  # its address; "{owner}" stands for the owner
    after: str | None = None  # where accepting it leads, when not to the next step (or the check page)
    back: str | None = None  # where its "Précédent" leads, when not to the step before


@dataclass
class Progress:
    """One owner's answers, as far as they go."""

    wizard: Wizard
    owner: str
    answers: dict[str, dict[str, str]] = field(default_factory=dict)
    done: list[str] = field(default_factory=list)
    confirmation: dict[str, str] | None = None
    sent: dict[str, str] | None = None

    @property
    def in_progress(self) -> bool:
        return bool(self.answers)

    def answers_of(self, step: str) -> dict[str, str]:
        return dict(self.answers.get(step, {}))

    def is_done(self, step: str) -> bool:
        return step in self.done

    def first_open(self, before: str | None = None) -> str | None:
        """The first step not accepted yet (among those before `before`); None when all are."""
        names = self.wizard.names
        return next((name for name in names[:names.index(before) if before else None]
                     if name not in self.done), None)

    def keep(self, step: str, answers: dict[str, str]) -> None:
        """What was typed at `step`, accepted or not. A change re-opens `step` and the steps after it
        (their answers stay) and drops the confirmation key."""
        if self.answers.get(step) != answers:
            self.answers[step] = dict(answers)
            self.confirmation = None
            self.reopen(step)

    def accept(self, step: str) -> None:
        if step not in self.done:
            self.done.append(step)

    def reopen(self, step: str) -> None:
        """`step` and those after it are to be accepted again (their answers stay)."""
        position = self.wizard.names.index(step)
        self.done = [name for name in self.done if self.wizard.names.index(name) < position]

    def confirmation_of(self) -> dict[str, str]:
        """The key the check page's form sends back, and what the wizard draws with it."""
        if self.confirmation is None:
            self.confirmation = {**self.wizard.draw(), "key": secrets.token_urlsafe(16)}
        return self.confirmation

    def redraw(self) -> dict[str, str]:
        """A new key (and ticket): what was drawn could not be used."""
        self.confirmation = None
        return self.confirmation_of()

    def confirms(self, key: object) -> bool:
        return self.confirmation is not None and _same_key(key, self.confirmation["key"])

    def answered(self, key: object) -> str | None:
        """The answer the first "Confirmer" with this key got, when it was filed."""
        return self.sent["answer"] if self.sent is not None and _same_key(key, self.sent["key"]) else None

    def to_data(self) -> dict[str, Any]:
        return {"answers": self.answers, "done": self.done, "confirmation": self.confirmation,
                "sent": self.sent}


def _same_key(posted: object, drawn: str) -> bool:
    """Whether the form sent back the key drawn (in constant time; any text may be posted)."""
    return isinstance(posted, str) and bool(posted) and secrets.compare_digest(posted.encode(), drawn.encode())


def _strings(value: Any) -> dict[str, str] | None:
    if not isinstance(value, dict):
        return None
    return {str(name): text for name, text in value.items() if isinstance(text, str)}


@dataclass(frozen=True)
class Wizard:
    name: str
    steps: tuple[Step, ...]
    check: str  # the check-your-answers page, with "Modifier" links and "Confirmer"
    before: str | None = None  # where "Précédent" of the first step leads
    draw: Callable[[], dict[str, str]] = _no_draw  # drawn with the key: a ticket to file under, ...

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(step.name for step in self.steps)

    @property
    def session_key(self) -> str:
        return f"wizard:{self.name}"

    # -- addresses -----------------------------------------------------------------------------------

    def _step(self, name: str) -> Step:
        return self.steps[self.names.index(name)]

    @staticmethod
    def _address(path: str, owner: object) -> str:
        return path.replace("{owner}", str(owner))

    def path(self, owner: object, step: str) -> str:
        return self._address(self._step(step).path, owner)

    def check_path(self, owner: object) -> str:
        return self._address(self.check, owner)

    def change_url(self, owner: object, step: str, field_id: str | None = None) -> str:
        """A "Modifier" link of the check page: the step, at the field."""
        return self.path(owner, step) + (f"#{field_id}" if field_id else "")

    def next_path(self, owner: object, step: str) -> str:
        """Where accepting `step` leads."""
        position = self.names.index(step)
        if self.steps[position].after:
            return self._address(self.steps[position].after, owner)
        if position + 1 < len(self.steps):
            return self.path(owner, self.names[position + 1])
        return self.check_path(owner)

    def back_path(self, owner: object, step: str | None = None) -> str:
        """Where "Précédent" leads from `step` (from the check page when None)."""
        if step is None:
            return self.path(owner, self.names[-1])
        position = self.names.index(step)
        if self.steps[position].back:
            return self._address(self.steps[position].back, owner)
        if position > 0:
            return self.path(owner, self.names[position - 1])
        return self._address(self.before or self.steps[0].path, owner)

    def resume_path(self, progress: Progress) -> str:
        """The first step to do, or the check page when every step is accepted."""
        step = progress.first_open()
        return self.path(progress.owner, step) if step else self.check_path(progress.owner)

    # -- the state, in the session -------------------------------------------------------------------

    def _slots(self, connection: ASGIConnection) -> dict[str, Any]:
        session = current_session(connection)
        slots = session.data.get(self.session_key) if session is not None else None
        return dict(slots) if isinstance(slots, dict) else {}

    def load(self, connection: ASGIConnection, owner: object) -> Progress:
        """The owner's answers so far, or a fresh start."""
        slot = self._slots(connection).get(str(owner))
        slot = slot if isinstance(slot, dict) else {}
        answers = slot.get("answers") if isinstance(slot.get("answers"), dict) else {}
        done = slot.get("done") if isinstance(slot.get("done"), list) else []
        confirmation = _strings(slot.get("confirmation"))
        sent = _strings(slot.get("sent"))
        return Progress(
            self, str(owner),
            answers={step: kept for step, typed in answers.items()
                     if step in self.names and (kept := _strings(typed)) is not None},
            done=[step for step in self.names if step in done],
            confirmation=confirmation if confirmation and "key" in confirmation else None,
            sent=sent if sent and {"key", "answer"} <= sent.keys() else None,
        )

    def in_progress(self, connection: ASGIConnection, owner: object) -> bool:
        return self.load(connection, owner).in_progress

    async def save(self, connection: ASGIConnection, progress: Progress) -> None:
        slots = self._slots(connection)
        slots.pop(progress.owner, None)
        slots[progress.owner] = progress.to_data()  # the last touched, last
        while len(slots) > KEPT_OWNERS:
            slots.pop(next(iter(slots)))
        await update_session_data(connection, **{self.session_key: slots})

    async def forget(self, connection: ASGIConnection, owner: object) -> None:
        """Starts afresh ("Recommencer"); what was filed last is still recognised."""
        progress = self.load(connection, owner)
        await self.save(connection, Progress(self, progress.owner, sent=progress.sent))

    # -- the steps -----------------------------------------------------------------------------------

    async def submit(self, connection: ASGIConnection, owner: object, step: str, answers: dict[str, str], *,
                     back: bool = False,
                     check: Callable[[Progress], Awaitable[Response | None]] | None = None) -> Response:
        """A step's form, posted: the answers are kept; "Précédent" goes back; a step before this one
        not accepted yet is shown first; else `check` answers a refusal (the page with its errors, or
        a redirect), or None: the step is accepted, and the next one shown."""
        progress = self.load(connection, owner)
        progress.keep(step, answers)
        refusal: Response | None = None
        if back:
            target = self.back_path(owner, step)
        elif (open_step := progress.first_open(before=step)) is not None:
            target = self.path(owner, open_step)
        else:
            refusal = await check(progress) if check is not None else None
            if refusal is None:
                progress.accept(step)
            else:
                progress.reopen(step)
            target = self.next_path(owner, step)
        await self.save(connection, progress)
        return refusal if refusal is not None else Redirect(path=target, status_code=303)

    # -- the check page and "Confirmer" --------------------------------------------------------------

    async def confirmation(self, connection: ASGIConnection, progress: Progress) -> dict[str, str]:
        """The key (and what was drawn with it) of the check page: drawn the first time it is shown."""
        if progress.confirmation is None:
            progress.confirmation_of()
            await self.save(connection, progress)
        return progress.confirmation_of()

    def unconfirmable(self, progress: Progress, key: object) -> Redirect | None:
        """Why a "Confirmer" cannot file: a step still open (→ that step), or a key that is not the one
        drawn for the answers as they are (→ the check page, to be read again); None when it can."""
        open_step = progress.first_open()
        if open_step is not None:
            return Redirect(path=self.path(progress.owner, open_step), status_code=303)
        if not progress.confirms(key):
            return Redirect(path=self.check_path(progress.owner), status_code=303)
        return None

    async def finish(self, connection: ASGIConnection, progress: Progress, key: str, answer: str) -> None:
        """Filed: the answers go (the next one starts afresh), and a repeat of this "Confirmer" is
        answered with `answer` (the page of what was filed)."""
        progress.answers, progress.done, progress.confirmation = {}, [], None
        progress.sent = {"key": key, "answer": answer}
        await self.save(connection, progress)
