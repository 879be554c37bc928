"""Escaping user text for the places it lands in a generated page.

Generated pages are Markdown with embedded HTML, read by Python-Markdown (MkDocs, Zensical)
and then shown by a browser. User text must stay text in all three languages, and in Jinja
and math too. The one safe form that every stage leaves alone is a numeric character
reference: Markdown does not parse ``&#42;`` as emphasis, HTML shows it as ``*``, the search
index decodes it back to the character. So every character that means something to one of
these languages becomes a reference, and line breaks become ``<br>`` so that a text never
starts a new Markdown block (a heading, a list, a table row).
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from markupsafe import Markup

# Characters with a meaning in Markdown (and its common extensions), HTML, Jinja or math.
_SPECIAL = "&<>\"'`*_[]{}#|\\$~^=+:"
_TABLE = {ord(ch): f"&#{ord(ch)};" for ch in _SPECIAL}
_NEWLINES = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
_LIST_START = re.compile(r"^(\s*)(\d+)([.)])(?=\s|$)")
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def md_text(value: object) -> Markup:
    """Text for any inline place of a page: paragraph, list item, table cell, HTML element or
    attribute. Nothing in it is interpreted; a line break shows as a line break."""
    text = "" if value is None else str(value)
    text = text.translate(_TABLE)
    text = _LIST_START.sub(lambda m: f"{m[1]}{m[2]}&#{ord(m[3])};", text)
    if text[:1] == "-" and text[1:2] in ("", " ", "\t"):  # a list marker where an item starts
        text = "&#45;" + text[1:]
    lines = [line.strip() for line in _NEWLINES.split(text)]
    return Markup("<br>".join(lines))


def html_text(value: object) -> Markup:
    """Text for HTML that no Markdown parser sees (front matter titles shown by the theme)."""
    return Markup(html.escape("" if value is None else str(value), quote=True))


def yaml_string(value: object) -> Markup:
    """A double-quoted YAML scalar for front matter (JSON strings are valid YAML)."""
    import json

    return Markup(json.dumps("" if value is None else str(value), ensure_ascii=False))


def safe_id(value: str) -> str:
    """An id used in a link or a path. Ids are checked by the schema; this guards the
    promise that a link only ever points to one of our own pages."""
    if not _SAFE_ID.match(value):
        raise ValueError(f"not a safe id for a link: {value!r}")
    return quote(value)
