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

import json
import re

_PATTERN = re.compile(
    r"(?P<keep><(?P<tag>pre|textarea|code|script|style)\b.*?</(?P=tag)\s*>)"
    r"|(?<=>)(?P<space>\s+)|(?P<ahead>\s+)(?=<)",  # look around: a kept tag must match whole
    re.DOTALL | re.IGNORECASE,
)
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
_JSON_IN_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def compact_html(html: str) -> str:
    """``html`` with the whitespace that does not render taken out (see the module)."""
    return _PATTERN.sub(_shortened, html)


def _shortened(match: re.Match[str]) -> str:
    if match["keep"] is not None:
        return _compact_json_script(match["keep"])
    space = match["space"] if match["space"] is not None else match["ahead"]
    if _touches_block(match.string, match.start(), match.end()):
        return ""
    return "\n" if "\n" in space else " "


def _touches_block(html: str, start: int, end: int) -> bool:
    """Whether the whitespace at ``html[start:end]`` lies between two tags, one of which
    opens or closes a block element."""
    if start == 0 or html[start - 1] != ">" or not html.startswith("<", end):
        return False
    after = _TAG.match(html, end)
    before = _TAG.fullmatch(html, html.rfind("<", 0, start), start)
    if after is None or before is None:  # a ">" or "<" in text, or a comment
        return False
    return after[1].lower() in _BLOCKS or before[1].lower() in _BLOCKS


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
