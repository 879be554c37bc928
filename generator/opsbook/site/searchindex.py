"""The search index written with fewer bytes and the same search.

Material for MkDocs segments Chinese with jieba at build time and marks each word boundary
with U+200B (zero-width space, three bytes in UTF-8), which its search splits on like any
other separator. A boundary beside a space or punctuation that is itself a separator is
marked twice, and the marks were a quarter of the index. Each run of separators keeps its
meaning (a separator still splits there) with its zero-width spaces taken out when
something else in the run separates; nothing is taken out of the words themselves.

Tags are kept on each page's entry, where a tag search finds the page; on the entries of
the page's sections they repeated the same list up to ten times a page.
"""

from __future__ import annotations

import re
from typing import Any

ZERO_WIDTH_SPACE = "\u200b"


def compact_search_index(index: dict[str, Any]) -> dict[str, Any]:
    """``index`` (Material's ``search_index.json``, parsed) with its redundant word marks
    and section tags left out; entries, order and everything else unchanged."""
    separator = index_separator(index.get("config", {}))
    if separator is not None:
        compact_entries(index.get("docs", []), separator)
    return index


def index_separator(config: dict[str, Any]) -> re.Pattern[str] | None:
    """The index's word separator; None when it is JavaScript syntax Python does not read
    (the index is then left as it is)."""
    try:
        return re.compile(config.get("separator") or r"[\s\-]+")
    except re.error:
        return None


def compact_entries(entries: list[dict[str, Any]], separator: re.Pattern[str]) -> None:
    """The entries of :func:`compact_search_index`, in place: each on its own, so a build
    can compact the index a page at a time."""
    for entry in entries:
        for field in ("title", "text"):
            if isinstance(entry.get(field), str):
                entry[field] = thinned_separators(entry[field], separator)
        if "#" in str(entry.get("location", "")):
            entry.pop("tags", None)


def thinned_separators(text: str, separator: re.Pattern[str]) -> str:
    """``text`` with zero-width spaces dropped from runs of separators that still separate
    without them, and from its ends (where no word is split)."""

    def thinned(run: re.Match[str]) -> str:
        rest = run[0].replace(ZERO_WIDTH_SPACE, "")
        return rest if rest and separator.fullmatch(rest) else run[0]

    return separator.sub(thinned, text).strip(ZERO_WIDTH_SPACE)
