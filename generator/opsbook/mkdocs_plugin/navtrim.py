"""Each page's sidebar without its module's other scenarios.

With ``navigation.prune`` Material prints, in every page, the children of each section the
page is in. For a scenario page that included every other scenario of its module: a module
of 25 scenarios was ~6 KB of every one of its pages (a fifth of the site's page bytes at
1,000 scenarios), a module of 125 at 5,000 scenarios ~32 KB, and renaming one scenario
changed the sidebar of all the others, so ``serve`` laid them all out again.

So a page inside a module section is laid out with a view of the navigation in which that
section holds only its index (the module page, which lists every scenario of the module
with its state) and the page itself. Everything else Material prints stays: the top level,
the industries and their modules, the page's contents, and the previous and next scenario
in the footer (MkDocs' ``previous_page``/``next_page``, which the view leaves alone).

The guide, a top-level section of hand-written pages, is one link in the pages outside it
(see :func:`_collapsed`), as the people are.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import Any

from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

# The module pages (see ``Paths.module``): industries/<industry>/<module>/index.md
_MODULE_INDEX = re.compile(r"industries/[^/]+/[^/]+/index\.md")


def is_module_section(item: Any) -> bool:
    """Whether ``item`` is a module's section: its first child is the module page."""
    if not isinstance(item, Section) or not item.children:
        return False
    first = item.children[0]
    return isinstance(first, Page) and bool(_MODULE_INDEX.fullmatch(first.file.src_uri))


def module_of(page: Page) -> Section | None:
    """The module section ``page`` is in, if any."""
    parent = page.parent
    return parent if is_module_section(parent) else None


def visible_children(section: Section, page: Page) -> list[Any]:
    """What ``page`` shows of ``section``'s children: all of them, unless it is the page's
    own module section, which shows only its index and ``page``."""
    if module_of(page) is not section:
        return list(section.children)
    return [child for child in section.children if child is page or child is section.children[0]]


class _TrimmedNavigation:
    """``nav`` as Material reads it (``items``, ``homepage``, ``pages``…), with the page's
    ancestors replaced by copies that hold only what the page shows."""

    def __init__(self, nav: Navigation, items: Sequence[Any]) -> None:
        self._nav = nav
        self.items = list(items)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._nav, name)

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class NavigationViews:
    """The views of one navigation, page by page (what it knows of the navigation once)."""

    def __init__(self, nav: Navigation) -> None:
        self.nav = nav
        self._listed = {id(page) for page in nav.pages}
        # each top-level item: the link it collapses to and the pages inside it (see
        # _collapsed_link), worked out once rather than for each of a thousand pages
        self._top = [(item, _collapsed_link(item), _page_ids(item)) for item in nav.items]

    def of(self, page: Page) -> Navigation | _TrimmedNavigation:
        """The navigation ``page`` is laid out with: its module holding only it (see
        :func:`visible_children`), the top-level sections of other pages one link each.
        A page the navigation does not list (a guide page's other language) sees it whole:
        no section is its own, yet it belongs with the guide."""
        if id(page) not in self._listed:
            return self.nav
        items = [
            item if link is None or id(page) in inside else link for item, link, inside in self._top
        ]
        module = module_of(page)
        if module is not None:
            items = _with_only_page(items, module, page)
        if all(new is old for new, old in zip(items, self.nav.items, strict=True)):
            return self.nav
        return _TrimmedNavigation(self.nav, items)


def _with_only_page(items: list[Any], module: Section, page: Page) -> list[Any]:
    """``items`` with ``page``'s ancestors replaced by copies, the module holding only it."""
    original: Any = module
    replacement: Any = copy.copy(module)  # its title, parent and active state
    replacement.children = visible_children(module, page)
    for ancestor in page.ancestors[1:]:  # up to the top level, each a copy holding the last
        outer = copy.copy(ancestor)
        outer.children = [replacement if c is original else c for c in ancestor.children]
        original, replacement = ancestor, outer
    return [replacement if item is original else item for item in items]


def _collapsed_link(item: Any) -> Link | None:
    """What a top-level section is in the pages outside it: nothing else when it holds the
    scenarios (or is no section); else (the guide) one link to its first page, as the people
    are one entry. ``navigation.sections`` prints top-level sections open in every page: the
    guide's eight pages were 1.9 KB of each of the site's pages."""
    if not isinstance(item, Section) or _holds_modules(item):
        return None
    first = next(iter(_pages_of(item)), None)
    return None if first is None else Link(item.title, first.url)


def _page_ids(item: Any) -> set[int]:
    return {id(p) for p in _pages_of(item)} if isinstance(item, Section) else set()


def _pages_of(section: Section) -> list[Page]:
    pages: list[Page] = []
    for child in section.children:
        if isinstance(child, Section):
            pages += _pages_of(child)
        elif isinstance(child, Page):
            pages.append(child)
    return pages


def _holds_modules(section: Section) -> bool:
    return any(
        is_module_section(c) or (isinstance(c, Section) and _holds_modules(c))
        for c in section.children
    )
