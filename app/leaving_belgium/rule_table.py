"""The rule table of « Vous quittez la Belgique ? »: rules.toml beside this module, read once per process
and checked whole by app/rules/leaving_belgium.py (a malformed table stops the app at start-up, naming the
key). The file is reviewed like code: see its header."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from app.rules.leaving_belgium import RuleTable, parse_rule_table

RULES_FILE = Path(__file__).resolve().with_name("rules.toml")


@cache
def rule_table() -> RuleTable:
    with RULES_FILE.open("rb") as handle:
        return parse_rule_table(tomllib.load(handle))
