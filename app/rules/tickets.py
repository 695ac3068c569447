"""Ticket numbers: the proof that a request, a completion or a cancellation was sent (domain.md §3).

The real format is not known [§3, NOT FOUND]. Ours is read aloud over the phone and typed back: nine
characters in three groups, `K7F-4TR-9XW`, from an alphabet without the characters people confuse
(I and 1, O, Q and 0, Z and 2). 30⁹ ≈ 2·10¹³ numbers; the random source is the system's (`secrets`).
Uniqueness is the database's job (a unique column, and a new number on the rare collision).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

TICKET_ALPHABET = "23456789ABCDEFGHJKLMNPRSTUVWXY"  # no I, O, Q, Z, 0, 1
GROUP_SIZE = 3
GROUP_COUNT = 3
TICKET_LENGTH = GROUP_SIZE * GROUP_COUNT
SEPARATOR = "-"

# What a person may type between or around the characters: spaces and dashes of any kind.
_IGNORED = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


class InvalidTicketNumber(ValueError):
    """Not a ticket number: wrong length, or a character outside the alphabet."""


def format_ticket_number(characters: str) -> str:
    """`K7F4TR9XW` → `K7F-4TR-9XW`."""
    return SEPARATOR.join(characters[i:i + GROUP_SIZE] for i in range(0, len(characters), GROUP_SIZE))


def new_ticket_number(choose: Callable[[str], str] = secrets.choice) -> str:
    """A new random ticket number, grouped for dictation.

    `choose` picks one character of a string; tests may pass a seeded `random.Random().choice`.
    """
    return format_ticket_number("".join(choose(TICKET_ALPHABET) for _ in range(TICKET_LENGTH)))


def parse_ticket_number(text: str) -> str:
    """The ticket number as we print it, from what someone typed: `k7f 4tr 9xw` → `K7F-4TR-9XW`.

    Raises InvalidTicketNumber when it cannot be one of ours.
    """
    characters = _IGNORED.sub("", text)
    if not characters.isascii():  # before upper(): "ß".upper() is "SS"
        raise InvalidTicketNumber(text)
    characters = characters.upper()
    if len(characters) != TICKET_LENGTH or any(character not in TICKET_ALPHABET for character in characters):
        raise InvalidTicketNumber(text)
    return format_ticket_number(characters)


def is_ticket_number(text: str) -> bool:
    try:
        parse_ticket_number(text)
    except InvalidTicketNumber:
        return False
    return True
