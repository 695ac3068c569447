import pytest

from app.rules.passwords import PasswordProblem, password_problem


@pytest.mark.parametrize(
    "password, problem",
    [
        ("court", PasswordProblem.TOO_SHORT),
        ("x" * 129, PasswordProblem.TOO_LONG),
        ("azertyuiop", PasswordProblem.COMMON),
        ("Password1", PasswordProblem.COMMON),
        ("marie.dubois", PasswordProblem.USER_NAME),
    ],
)
def test_refused_passwords(password, problem):
    assert password_problem(password, "marie.dubois") is problem


@pytest.mark.parametrize("password", ["Guichet-demo-2026", "a" * 8 + "é", "x" * 128, "four random words here"])
def test_any_long_enough_uncommon_password_is_accepted_without_composition_rules(password):
    assert password_problem(password, "marie.dubois") is None
