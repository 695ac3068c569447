"""Fragments kept once rendered: a block of a template that is a pure function of its arguments.

"Mon dossier" shows each of the citizen's requests as a card: its heading, the guide's sentence, its
state and tickets, and its dated history. A card depends on nothing but the request's row, its
events and the language, so its HTML is kept per (template, block, language, arguments), like the
cached fragments of Rails ("Russian doll caching"), except that the key is the data itself rather
than a version number: a request whose row or history changed in any way is another key, and a
stale card cannot be served. The page still reads the rows on every view (budget P3: "2 indexed
queries"); only their HTML is not rebuilt. A first view renders its cards (budget figures in the
README, "Benchmark").

The arguments must be hashable values (frozen dataclasses, tuples): the key is made of them.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from jinja2 import Environment, pass_environment
from jinja2_fragments import render_block
from markupsafe import Markup

from app.web import i18n

# About 1 KB a card: 20,000 cards are about 20 MB, the requests of a few thousand citizens.
MAX_FRAGMENTS = 20_000


class FragmentCache:
    """A bounded map of rendered blocks, the least recently used dropped first."""

    def __init__(self, max_entries: int = MAX_FRAGMENTS) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[Any, ...], Markup] = OrderedDict()

    def block(self, environment: Environment, template_name: str, block_name: str,
              **arguments: Any) -> Markup:
        key = (environment, template_name, block_name, i18n.current_language(),
               *sorted(arguments.items()))
        entries = self._entries
        html = entries.get(key)
        if html is None:
            html = Markup(render_block(environment, template_name, block_name, **arguments))
            entries[key] = html
            if len(entries) > self.max_entries:
                entries.popitem(last=False)
        else:
            entries.move_to_end(key)
        return html

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


FRAGMENTS = FragmentCache()


@pass_environment
def kept_block(environment: Environment, template_name: str, block_name: str, **arguments: Any) -> Markup:
    """The templates' `kept_block("careerbreak/dossier.html", "request_card", summary=..., events=...)`:
    the block rendered with only these arguments, from FRAGMENTS when it was rendered before."""
    return FRAGMENTS.block(environment, template_name, block_name, **arguments)
