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
    try:
        separator = re.compile(index.get("config", {}).get("separator") or r"[\s\-]+")
    except re.error:  # JavaScript syntax Python does not read: leave the index as it is
        return index
    for entry in index.get("docs", []):
        for field in ("title", "text"):
            if isinstance(entry.get(field), str):
                entry[field] = thinned_separators(entry[field], separator)
        if "#" in str(entry.get("location", "")):
            entry.pop("tags", None)
    return index


def thinned_separators(text: str, separator: re.Pattern[str]) -> str:
    """``text`` with zero-width spaces dropped from runs of separators that still separate
    without them, and from its ends (where no word is split)."""

    def thinned(run: re.Match[str]) -> str:
        rest = run[0].replace(ZERO_WIDTH_SPACE, "")
        return rest if rest and separator.fullmatch(rest) else run[0]

    return separator.sub(thinned, text).strip(ZERO_WIDTH_SPACE)
