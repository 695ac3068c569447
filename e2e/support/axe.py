"""axe-core (bundled by axe-playwright-python, so it works offline) against WCAG 2.2 AA (budget A1)."""

from __future__ import annotations

from dataclasses import dataclass

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
OPTIONS = {
    "runOnly": {"type": "tag", "values": list(WCAG_TAGS)},
    "resultTypes": ["violations"],
}

_axe = Axe()


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    help_url: str
    targets: tuple[str, ...]  # one CSS selector per failing element, as axe reports it

    def describe(self) -> str:
        lines = [f"- {self.rule} ({self.impact}): {self.help}", f"  {self.help_url}"]
        lines += [f"  at {target}" for target in self.targets]
        return "\n".join(lines)


def _selector(target) -> str:
    # A target is a list of selectors, one per frame or shadow root crossed.
    if isinstance(target, list):
        return " >>> ".join(_selector(part) for part in target)
    return str(target)


def audit(page: Page) -> list[Violation]:
    """The WCAG 2.2 AA violations of the page as it is now. The page must run JavaScript."""
    response = _axe.run(page, options=OPTIONS).response
    return [
        Violation(
            rule=violation["id"],
            impact=violation.get("impact") or "unknown",
            help=violation.get("help", ""),
            help_url=violation.get("helpUrl", ""),
            targets=tuple(_selector(node["target"]) for node in violation.get("nodes", [])),
        )
        for violation in response["violations"]
    ]


def report(violations: list[Violation]) -> str:
    return "\n".join(violation.describe() for violation in violations)
