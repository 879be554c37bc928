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
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import Any

from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

SIDEBAR_VERSION = "1"  # part of every laid-out page's cache key: bump when the view changes

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


def page_navigation(nav: Navigation, page: Page) -> Navigation | _TrimmedNavigation:
    """The navigation ``page`` is laid out with (``nav`` itself outside a module)."""
    module = module_of(page)
    if module is None:
        return nav
    original: Any = module
    replacement: Any = copy.copy(module)  # its title, parent and active state
    replacement.children = visible_children(module, page)
    for ancestor in page.ancestors[1:]:  # up to the top level, each a copy holding the last
        outer = copy.copy(ancestor)
        outer.children = [replacement if c is original else c for c in ancestor.children]
        original, replacement = ancestor, outer
    items = [replacement if item is original else item for item in nav.items]
    return _TrimmedNavigation(nav, items)
