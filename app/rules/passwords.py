"""What makes a password acceptable (budget S3, NIST SP 800-63B): 8 to 128 characters, any
characters, no composition rules, not one of the 30,000 most common passwords (the list zxcvbn
ships), not the user name."""

from __future__ import annotations

import enum

from zxcvbn.matching import RANKED_DICTIONARIES

MIN_LENGTH = 8
MAX_LENGTH = 128
COMMON_PASSWORDS = RANKED_DICTIONARIES["passwords"]


class PasswordProblem(str, enum.Enum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    COMMON = "common"
    USER_NAME = "user_name"


def password_problem(password: str, username: str) -> PasswordProblem | None:
    if len(password) < MIN_LENGTH:
        return PasswordProblem.TOO_SHORT
    if len(password) > MAX_LENGTH:
        return PasswordProblem.TOO_LONG
    if password.lower() in COMMON_PASSWORDS:
        return PasswordProblem.COMMON
    if password.strip().lower() == username.strip().lower():
        return PasswordProblem.USER_NAME
    return None
