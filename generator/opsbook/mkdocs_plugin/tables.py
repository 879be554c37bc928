"""A generated page's Markdown → HTML with its tables converted a few rows at a time, each
piece remembered (see :mod:`opsbook.site.pagecache`).

The roll-up pages are mostly tables of one row per scenario (the dashboard alone 1.1 MB of
them at 1,000 scenarios): an edit of one scenario changes a row or two, yet converting the
page again took seconds. A table's rows convert independently of each other (given its
header), so a table is cut into pieces at rows chosen by their own content (an inserted or
removed row changes only its piece), each piece converted as a table of its own under the
same header, and the rows put back together in place of the table. Everything else of the
page is converted as MkDocs does, with a placeholder where each table was; when anything
does not come out as expected (the placeholder not found once, a piece not a table), the
page is converted whole.
"""

from __future__ import annotations

import copy
import json
import re
import secrets
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from opsbook.site.pagecache import TABLE_ROWS, PageStore, decode_text, encode_text
from opsbook.support.cache import content_key

_SEPARATOR = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_PIECE_ENDS = 24  # a piece ends after a row whose hash is a multiple of this (~24 rows)
_PIECE_MOST = 96  # or after this many rows
# fewer rows: converted with the page (each piece converted alone costs a Markdown instance,
# and a scenario page's few short tables are converted again only when the page changed)
_FEWEST_ROWS = 32
# …except on a listing page (the scenarios by module, an industry's modules: 40 tables of
# ~25 rows at 1,000 scenarios, 0.8 s to convert whole), whose tables are cut from this many
# rows; a scenario page's tables hold fewer rows than a listing's (67 at most in the
# realistic bench corpus)
_LISTING_ROWS = 200
_FEWEST_LISTING_ROWS = 8
_HEAD_END = "<tbody>\n"
_TAIL = "</tbody>\n</table>"


@dataclass(frozen=True)
class Table:
    """A long table (``header``: its heading and separator rows), or the blocks between two
    headings (``header`` empty, ``rows`` their lines, converted as one piece)."""

    header: str
    rows: list[str]


def split_tables(markdown: str, token: str) -> tuple[str, list[Table]]:
    """``markdown`` with each long table (on a listing page of many tables, each but the
    shortest) that is a block of its own (blank lines around, every line a row, outside
    fenced code) replaced by a paragraph ``{token}{n}``, and the tables; on a page of many
    short sections (the SOP library), each section's blocks after its heading too, when
    nothing in them can depend on the rest of the page."""
    lines = markdown.split("\n")
    bodies = sum(_body_end(lines, i) > i for i in range(len(lines))) >= _FEWEST_ROWS
    listing = sum(line.startswith("|") for line in lines) >= _LISTING_ROWS
    fewest = _FEWEST_LISTING_ROWS if listing else _FEWEST_ROWS
    out: list[str] = []
    tables: list[Table] = []
    fenced, start = False, 0
    while start < len(lines):
        line = lines[start]
        if _FENCE.match(line):
            fenced = not fenced
        end = _table_end(lines, start) if not fenced else start
        if end - start >= 2 + fewest:
            out.append(f"{token}{len(tables)}")
            tables.append(Table("\n".join(lines[start : start + 2]), lines[start + 2 : end]))
            start = end
            continue
        end = _body_end(lines, start) if bodies and not fenced else start
        if end > start:
            out += [line, "", f"{token}{len(tables)}", ""]
            tables.append(Table("", lines[start + 2 : end]))
            start = end
            continue
        out.append(line)
        start += 1
    return "\n".join(out), tables


_HEADING = re.compile(r"^#{1,6} ")
# what a section's blocks converted alone could give otherwise: a heading, HTML, a table,
# an admonition, attributes, a link reference, fenced code, a setext underline or a rule
_NOT_ALONE = re.compile(r"^(#|<|\||!!!|\?\?\?|\{|\[|```|~~~|[=-]+\s*$|[*_-]{3,}\s*$)")


def _body_end(lines: list[str], start: int) -> int:
    """When ``start`` is a heading followed by a blank line, the end of the blocks after it
    (the next heading), if they can be converted on their own; else ``start``."""
    if not _HEADING.match(lines[start]) or start + 1 >= len(lines) or lines[start + 1].strip():
        return start
    end = start + 2
    while end < len(lines) and not _HEADING.match(lines[end]):
        if _NOT_ALONE.match(lines[end]):
            return start
        end += 1
    if lines[end - 1].strip() and end < len(lines):
        return start  # the next heading follows without a blank line
    if not any(line.strip() for line in lines[start + 2 : end]):
        return start
    return end


def _table_end(lines: list[str], start: int) -> int:
    """The end of the table block starting at ``start`` (``start`` when there is none)."""
    if start > 0 and lines[start - 1].strip():
        return start  # not the start of a block
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    if end - start < 3 or not _SEPARATOR.match(lines[start + 1]):
        return start
    if end < len(lines) and lines[end].strip():
        return start  # the block goes on with something else
    return end


def pieces(rows: list[str]) -> Iterator[list[str]]:
    """``rows`` cut where a row's own content says so: the same rows, the same pieces."""
    piece: list[str] = []
    for row in rows:
        piece.append(row)
        if zlib.crc32(row.encode()) % _PIECE_ENDS == 0 or len(piece) >= _PIECE_MOST:
            yield piece
            piece = []
    if piece:
        yield piece


@dataclass(frozen=True)
class Converted:
    head: str  # the table's HTML up to its first row
    rows: str
    anchors: list[str]


Render = Callable[[Page, MkDocsConfig, Files], None]


class TableConverter:
    """Converts a page as :func:`mkdocs.structure.pages.Page.render` does, its tables a
    piece at a time, the pieces looked up in ``store`` under ``base`` (what every
    conversion of the site depends on)."""

    def __init__(self, store: PageStore, base: str, render: Render) -> None:
        self._store = store
        self._base = base
        self._render = render  # MkDocs' own conversion, counting the warnings
        self._found: dict[str, Converted] = {}  # this page's pieces, by key

    def convert(self, page: Page, config: MkDocsConfig, files: Files) -> bool:
        """Convert ``page``; False (nothing changed) when it must be converted whole."""
        token = f"opsbooktable{secrets.token_hex(8)}x"
        text, tables = split_tables(page.markdown or "", token)
        if not tables:
            return False
        parts = [list(pieces(t.rows)) if t.header else [t.rows] for t in tables]
        keys = [
            [self._key(page, t.header, part) for part in each]
            for t, each in zip(tables, parts, strict=True)
        ]
        self._store.prefetch(TABLE_ROWS, [key for each in keys for key in each])
        html = [
            self._table(page, *found, config, files)
            for found in zip(tables, parts, keys, strict=True)
        ]
        if any(part is None for part in html):
            return False
        original = page.markdown
        page.markdown = text
        try:
            self._render(page, config, files)
        finally:
            page.markdown = original
        return self._fill(page, token, html)

    def _fill(self, page: Page, token: str, tables: list[Converted | None]) -> bool:
        """Each placeholder replaced by its table (one pass: the SOP library has a thousand);
        False when the placeholders are not each found once."""
        content = page.content or ""
        marks = re.compile(f"<p>{token}(\\d+)</p>")
        found = [int(match) for match in marks.findall(content)]
        if sorted(found) != list(range(len(tables))):
            return False

        def table_html(match: re.Match[str]) -> str:
            table = tables[int(match[1])]
            assert table is not None
            return table.head + table.rows + (_TAIL if table.head else "")

        page.content = marks.sub(table_html, content)
        anchors = {anchor for table in tables if table is not None for anchor in table.anchors}
        page.present_anchor_ids = {*(page.present_anchor_ids or ()), *anchors}
        return True

    def _table(
        self,
        page: Page,
        table: Table,
        parts: list[list[str]],
        keys: list[str],
        config: MkDocsConfig,
        files: Files,
    ) -> Converted | None:
        """The table's HTML from its pieces (``parts``, looked up under ``keys``), or None
        when a piece did not convert to a table with the same head as the others."""
        converted: list[Converted] = []
        for part, key in zip(parts, keys, strict=True):
            piece = self._found.get(key)
            if piece is None:
                blob = self._store.take(TABLE_ROWS, key)
                piece = _from_blob(blob) if blob is not None else None
            if piece is None:
                piece = self._piece(page, table.header, part, key, config, files)
            if piece is not None:
                self._found[key] = piece  # the same piece again on the page (taken once)
            if piece is None or piece.head != (converted[0].head if converted else piece.head):
                return None
            converted.append(piece)
        rows = "".join(piece.rows for piece in converted)
        anchors = sorted({a for piece in converted for a in piece.anchors})
        return Converted(converted[0].head, rows, anchors)

    def _piece(
        self,
        page: Page,
        header: str,
        rows: list[str],
        key: str,
        config: MkDocsConfig,
        files: Files,
    ) -> Converted | None:
        alone = copy.copy(page)  # the page's file and links, this piece for its Markdown
        alone.markdown = "\n".join([header, *rows] if header else rows) + "\n"
        warned = self._render_counting(alone, config, files)
        html = alone.content or ""
        anchors = sorted(alone.present_anchor_ids or ())
        if not header:  # a section's blocks
            piece = Converted("", html, anchors)
        else:
            start = html.find(_HEAD_END)
            if not html.startswith("<table>") or start < 0 or not html.endswith(_TAIL):
                return None
            head = html[: start + len(_HEAD_END)]
            piece = Converted(head, html[len(head) : -len(_TAIL)], anchors)
        if not warned:  # a piece with a broken link warns on every conversion
            value = json.dumps([piece.head, piece.rows, piece.anchors], ensure_ascii=False)
            self._store.put(TABLE_ROWS, key, encode_text(value))
        return piece

    def _render_counting(self, page: Page, config: MkDocsConfig, files: Files) -> bool:
        """Convert ``page``; whether MkDocs warned."""
        from opsbook.mkdocs_plugin.pages import warnings_counted

        with warnings_counted() as warnings:
            self._render(page, config, files)
        return bool(warnings)

    def _key(self, page: Page, header: str, rows: list[str]) -> str:
        return content_key(self._base, page.file.src_uri, page.url, header, "\n".join(rows))


def _from_blob(blob: bytes) -> Converted | None:
    head, rows, anchors = json.loads(decode_text(blob))
    return Converted(head, rows, list(anchors))
