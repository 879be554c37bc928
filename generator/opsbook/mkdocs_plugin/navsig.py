"""Which pages show which part of the navigation, so a changed navigation re-lays out only
the pages whose sidebar (or breadcrumbs, or footer links) changed.

With Material's ``navigation.prune`` a page holds only the visible part of the navigation:
the top level, the children of the top-level sections (``navigation.sections`` shows them
expanded), and the children of each section the page is in. Without it every page holds the
whole navigation. A page's *signature* is everything of the navigation it can show; two
navigations give a page the same sidebar when they give it the same signature.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation

from opsbook.mkdocs_plugin.navtrim import visible_children

Signature = tuple[Any, ...]


def prunes(config: MkDocsConfig) -> bool:
    """Whether each page holds only its own part of the navigation."""
    features = config.theme.get("features") or []
    return "navigation.prune" in features


def signatures(nav: Navigation, files: Files, *, pruned: bool) -> dict[str, Signature]:
    """Each documentation page's signature (by ``src_uri``) under ``nav``."""
    whole = _level(nav.items, deep=True)
    if not pruned:
        return {f.src_uri: whole for f in files.documentation_pages()}
    top = [_level(nav.items)] + [_level(i.children) for i in nav.items if i.is_section]
    by_page = {p.file.src_uri: p for p in nav.pages}
    result: dict[str, Signature] = {}
    for file in files.documentation_pages():
        page = by_page.get(file.src_uri)
        result[file.src_uri] = tuple(top) + (_own(page) if page is not None else ())
    return result


def _own(page: Any) -> Signature:
    """The sections the page is in (each with the children it shows: see
    :mod:`.navtrim`), its neighbours."""
    sections = tuple(_level(visible_children(a, page)) for a in page.ancestors)
    return (*sections, _link(page.previous_page), _link(page.next_page))


def _level(items: Sequence[Any], *, deep: bool = False) -> Signature:
    return tuple(_item(item, deep=deep) for item in items)


def _item(item: Any, *, deep: bool) -> Signature:
    if not item.is_section:
        return _link(item)
    children = item.children or []
    first = _link(children[0]) if children and not children[0].is_section else ()
    inner = _level(children, deep=True) if deep else ()
    return ("section", str(item.title), first, inner)


def _link(item: Any) -> Signature:
    if item is None:
        return ()
    return (str(item.title), getattr(item, "url", None))


def differing(old: dict[str, Signature], new: dict[str, Signature]) -> set[str]:
    """Pages whose navigation differs between two signature maps."""
    every: Iterable[str] = set(old) | set(new)
    return {src for src in every if old.get(src) != new.get(src)}
