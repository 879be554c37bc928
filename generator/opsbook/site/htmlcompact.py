"""Whitespace out of finished HTML pages.

Material's templates leave most of a page as indentation (a scenario page was 57 KB, 9 KB of
it the article). Two rules of CSS whitespace processing make that safe to take out:

- a run of whitespace beside a tag renders exactly like a single space or line break, so
  each such run becomes one character;
- whitespace between two tags where one of them opens or closes a block (``div``, ``li``,
  ``tr``, ``p``…) is at the start or end of a line, where it is not rendered at all, so it
  goes.

Text, entities and attribute values are not touched, and neither is anything inside ``pre``,
``textarea``, ``code``, ``script`` or ``style``, where whitespace is content. A JSON script
(Material's page configuration) is written compactly, non-ASCII as UTF-8 rather than
``\\uXXXX`` escapes, ``<``, ``>`` and ``&`` still escaped. An HTML minifier does more
(unquoted attributes, decoded entities), but then ``&lt;b&gt;`` in a ``<title>`` comes out as
``<b>``: correct HTML5, yet user text that any simpler parser reads as markup. Pages styled
to show block elements inline can turn this off (the plugin's ``minify: false``).
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from collections.abc import Mapping

# Every match starts with "<" or whitespace, the only characters the engine then stops at:
# a pattern that starts with a lookbehind or with a choice of groups is tried at every
# position of the page, which took twice as long on a page of tables.
_PATTERN = re.compile(
    r"[<\s](?:(?<=<)(?P<tag>pre|textarea|code|script|style)\b.*?</(?P=tag)\s*>"  # kept whole
    r"|(?<=>\s)\s*"  # a run of whitespace after a ">"
    r"|(?<=\s)\s*(?=<))",  # a run of whitespace before a "<"
    re.DOTALL | re.IGNORECASE,
)
_KEPT = re.compile(r"<(?P<tag>pre|textarea|code|script|style)\b.*?</(?P=tag)\s*>", re.DOTALL | re.I)
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>")
_BLOCKS = frozenset(
    [
        "html",
        "head",
        "body",
        "title",
        "meta",
        "link",
        "div",
        "nav",
        "header",
        "footer",
        "main",
        "article",
        "section",
        "aside",
        "p",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "form",
        "fieldset",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "figure",
        "figcaption",
        "details",
        "summary",
    ]
)
_JSON_SCRIPT = re.compile(
    r'(?P<open><script\b[^>]*\btype="application/json"[^>]*>)(?P<data>.*)(?P<close></script\s*>)',
    re.DOTALL | re.IGNORECASE,
)
_NOT_A_TAG, _INLINE, _BLOCK = 0, 1, 2
# where compact_in_pieces cuts a page: table rows, list items (the navigation's too), headings
_PIECE_START = re.compile(r"<(?:tr|li|h[1-6])[\s>]")
_JSON_IN_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def compact_html(html: str) -> str:
    """``html`` with the whitespace that does not render taken out (see the module)."""
    return _Compactor().compact(html)


def compact_in_pieces(html: str, known: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """``compact_html(html)``, made a piece at a time (a piece starts at a table row, a
    list item or a heading), and its pieces: those in ``known`` (another compaction's
    pieces) are not compacted again. Under ``serve`` a roll-up page is laid out again
    after every edit, and compacting the dashboard whole took 0.2 s of CPU each time.

    The result is the same because a whitespace run's fate depends only on the tags on
    either side of it: each piece is compacted with the tag that follows it, then that tag
    is cut off again (compacting leaves tags as they are)."""
    compactor = _Compactor()
    cuts = _cuts(html)
    keyed = _keyed_pieces(html, cuts)
    if not known:  # nothing to reuse: compacted whole, which is faster, then cut
        output = compactor.compact(html)
        done = _cuts(output)
        if len(done) == len(cuts):  # the same tags, in the same order
            pieces = zip((key for key, _ in keyed), _slices(output, done), strict=True)
            return output, dict(pieces)
    compacted: dict[str, str] = {}
    out: list[str] = []
    for key, context in keyed:
        piece = compacted.get(key)
        if piece is None:
            piece = known.get(key)
        if piece is None:
            whole = compactor.compact(key)
            piece = whole[: len(whole) - context]
        compacted[key] = piece
        out.append(piece)
    return "".join(out), compacted


def _cuts(html: str) -> list[int]:
    """Where the pieces of ``html`` start: 0, and each row, item or heading that is not
    inside a kept element."""
    kept = [match.span() for match in _KEPT.finditer(html)]
    starts = [start for start, _ in kept]
    cuts = [0]
    for match in _PIECE_START.finditer(html, 1):
        at = match.start()
        inside = bisect.bisect_left(starts, at) - 1  # the last kept element starting before
        if inside < 0 or kept[inside][1] <= at:
            cuts.append(at)
    return cuts


def _slices(text: str, cuts: list[int]) -> list[str]:
    return [text[start:end] for start, end in itertools.pairwise([*cuts, len(text)])]


def _keyed_pieces(html: str, cuts: list[int]) -> list[tuple[str, int]]:
    """Each piece with the tag after it, and that tag's length (0 for the last piece)."""
    keyed = []
    for start, end in itertools.pairwise(cuts):
        tag_end = html.find(">", end) + 1 or len(html)
        keyed.append((html[start:tag_end], tag_end - end))
    keyed.append((html[cuts[-1] :], 0))
    return keyed


class _Compactor:
    """Compacts pages, each kind of tag looked up once (a page holds thousands of ``<td>``)."""

    def __init__(self) -> None:
        self._kinds: dict[str, int] = {}  # a tag → _NOT_A_TAG, _INLINE or _BLOCK

    def compact(self, html: str) -> str:
        return _PATTERN.sub(lambda match: self._shortened(match, html), html)

    def _shortened(self, match: re.Match[str], html: str) -> str:
        text = match[0]
        if text[0] == "<":
            return _compact_json_script(text)
        start, end = match.span()
        if start and html[start - 1] == ">" and html.startswith("<", end):
            after = self._kind(html[end : html.find(">", end) + 1])
            if after != _NOT_A_TAG:
                before = self._kind(html[html.rfind("<", 0, start) : start])
                if before != _NOT_A_TAG and _BLOCK in (before, after):
                    return ""  # beside a block: at the start or end of a line
        return "\n" if "\n" in text else " "

    def _kind(self, tag: str) -> int:
        """Whether ``tag`` (from a "<" to the next ">") is a tag, and of which kind; a ">"
        or "<" in text is not."""
        kind = self._kinds.get(tag)
        if kind is None:
            found = _TAG.fullmatch(tag)
            if found is None:
                kind = _NOT_A_TAG
            else:
                kind = _BLOCK if found[1].lower() in _BLOCKS else _INLINE
            self._kinds[tag] = kind
        return kind


def _compact_json_script(element: str) -> str:
    found = _JSON_SCRIPT.fullmatch(element)
    if found is None:
        return element
    try:
        data = json.loads(found["data"])
    except ValueError:
        return element
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return found["open"] + text.translate(_JSON_IN_HTML) + found["close"]
