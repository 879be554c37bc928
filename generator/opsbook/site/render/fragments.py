"""Rows of the roll-up pages kept from one render to the next, for ``serve``.

A roll-up page (the dashboard, the SOP library, the anomaly log, a person page…) lists
every scenario, so rendering it again after one edit renders a thousand unchanged rows:
3.3 s of CPU at 1,000 realistic scenarios, most of an edit's wait. A template marks each
row that depends only on a few objects of the catalog::

    {% call once("anomaly", s, an) %}| {{ an.problem }} | … |
    {% endcall %}

and the row's text is kept, for that page, under those objects. The next render of the page
reuses it when it is given the *same* objects (``is``, not ``==``): the model's objects
are frozen, and serve keeps the model of every scenario file whose bytes did not change
(``ServeMode.load``, ``QuickEdit._change``), so a row is reused exactly when nothing it
shows can have changed. Everything else a row may read — the page (its links are relative
to it), the language, the team, the as-of date, the settings and the templates — is the
memo's *stamp*: when any of them changes, nothing kept is used.

The rule for templates: a row marked with ``once`` reads only its key objects, what the
stamp covers, and values derived from those two (a scenario's state is its scenario seen
on the as-of date); never a loop counter or a value computed from other rows. Without a
memo (a build renders each page once) ``once`` renders every row as if it were not marked.

Values a page's context needs are kept the same way, under the same rule
(:meth:`Fragments.remembering`): the dashboard compares every scenario with how it stood
at the last review, 0.3 s at 1,000 scenarios, again after each edit of one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any

Once = Callable[..., Any]  # (name, *objects, caller=…) → the row's text, or the value
_Key = tuple[Hashable, ...]
_Rows = dict[_Key, tuple[tuple[object, ...], Any]]  # key → (the key's objects, what was made)


def render_every_time(name: str, *objects: object, caller: Callable[[], Any]) -> Any:
    """``once`` where nothing is kept."""
    return caller()


@dataclass
class Fragments:
    """The rows of each roll-up page from its last render, kept by a long-lived caller."""

    _stamp: tuple[object, ...] | None = None
    _pages: dict[str, _Rows] = field(default_factory=dict)

    def start(self, stamp: tuple[object, ...]) -> None:
        """Before rendering pages: ``stamp`` is all a row may read besides its objects
        (compared with ``==``; hold objects compared by identity in it, not their ids)."""
        if stamp != self._stamp:
            self._stamp, self._pages = stamp, {}

    def rendering(self, page: str) -> tuple[Once, Callable[[], None]]:
        """``once`` for one render of ``page``, and what to call when it is done: the page
        then keeps the rows this render used, and no others."""
        before = self._pages.get(page, {})
        used: _Rows = {}

        def once(name: str, *objects: object, caller: Callable[[], Any]) -> Any:
            key = (name, *map(id, objects))  # ids are safe: the objects are held beside them
            kept = used.get(key) or before.get(key)
            if kept is None or any(a is not b for a, b in zip(kept[0], objects, strict=True)):
                kept = (objects, caller())
            used[key] = kept
            return kept[1]

        def done() -> None:
            self._pages[page] = used

        return once, done

    @contextlib.contextmanager
    def remembering(self, name: str) -> Iterator[Once]:
        """``once`` for the values of one page's context, kept under ``name`` as a page's
        rows are: those not asked for this time are dropped when the block ends."""
        once, done = self.rendering(name)
        yield once
        done()
