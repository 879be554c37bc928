"""Whitespace out of finished HTML pages.

Material's templates leave most of a page as indentation (a scenario page was 57 KB, 9 KB of
it the article). A run of whitespace next to a tag renders exactly like a single space or line
break, so each such run becomes one character; text, entities and attribute values are not
touched, and neither is anything inside ``pre``, ``textarea``, ``code``, ``script`` or
``style``, where whitespace is content. An HTML minifier does more (unquoted attributes,
decoded entities), but then ``&lt;b&gt;`` in a ``<title>`` comes out as ``<b>``: correct HTML5,
yet user text that any simpler parser reads as markup.
"""

from __future__ import annotations

import re

_PATTERN = re.compile(
    r"(?P<keep><(?P<tag>pre|textarea|code|script|style)\b.*?</(?P=tag)\s*>)"
    r"|(?<=>)(?P<space>\s+)|(?P<ahead>\s+)(?=<)",  # look around: a kept tag must match whole
    re.DOTALL | re.IGNORECASE,
)


def compact_html(html: str) -> str:
    """``html`` with each run of whitespace beside a tag shortened to one character."""
    return _PATTERN.sub(_shortened, html)


def _shortened(match: re.Match[str]) -> str:
    if match["keep"] is not None:
        return match["keep"]
    space = match["space"] if match["space"] is not None else match["ahead"]
    return "\n" if "\n" in space else " "
