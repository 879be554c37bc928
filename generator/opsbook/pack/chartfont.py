"""The font of the charts' text: the pack's own font without its layout tables.

Typst reads each chart with usvg, which shapes every ``<text>`` element on its own and builds
a shaping plan for each one from the font's GSUB/GPOS tables: with a CJK font's large tables
that is ~0.1 ms per label, a third of typesetting a 50-scenario pack (~5,000 labels). A chart
label needs none of these tables: matplotlib placed it by the glyphs' advance widths alone.
So the charts name a copy of the font without them, which usvg shapes in a fraction of the
time: the same glyphs and widths (Chinese labels print pixel for pixel as before; a Latin word
loses the font's pair kerning, which matplotlib did not measure either), while the body text
keeps the real font with all its features.

The copy is a plain OpenType file written with :mod:`struct` (no parsing of the glyphs: ~30 ms
for a 16 MB CJK face). It keeps the PostScript name, so the PDF lists the pack's font as
before, and takes a family name of its own, so Typst never picks it for the body text.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator, Sequence
from pathlib import Path

from opsbook.support.fonts import FontChoice

CHART_FAMILY = "Opsbook Chart Text"
# OpenType layout: substitutions, positioning and what they rely on. 'kern' (the old kerning
# table) stays: matplotlib measures with it, so the labels keep the widths they were placed by.
_LAYOUT_TABLES = frozenset({b"GSUB", b"GPOS", b"GDEF", b"BASE", b"JSTF"})
_KEPT_NAMES = (0, 2, 6, 13, 14)  # copyright, style, PostScript name, licence and its URL
_ENGLISH = (3, 1, 0x409)  # Windows, Unicode, English (US): the record nearly every font has


def write_chart_fonts(font: FontChoice, folder: Path) -> list[Path]:
    """The chart copies of the font's regular and bold faces, written into ``folder``; none
    when a file is not one this module can copy (the charts then name the font itself)."""
    faces = [(font.regular, font.regular_index)]
    if font.bold is not None:
        faces.append((font.bold, font.bold_index))
    written: list[Path] = []
    try:
        for number, (path, index) in enumerate(faces):
            parts = without_layout_tables(memoryview(path.read_bytes()), index, CHART_FAMILY)
            written.append(folder / f"chart-{number}.otf")
            with written[-1].open("wb") as copy:
                copy.writelines(parts)  # the tables are views of the file read: no copy between
    except (OSError, ValueError, struct.error):
        for path in written:
            path.unlink(missing_ok=True)
        return []
    return written


def name_chart_font(svg: bytes, family: str = CHART_FAMILY) -> bytes:
    """The SVG with ``family`` first in every font list it names (the rest stay fallbacks)."""
    quoted = f"'{family}',".encode()
    return _FONT_LIST.sub(lambda m: m[0] + quoted, svg)


_FONT_LIST = re.compile(rb'font-family(?:="|:\s*)')


# The OpenType file format: https://learn.microsoft.com/typography/opentype/spec/otff


Table = tuple[bytes, int, bytes | memoryview]  # tag, checksum, data
_SFNT_VERSIONS = (b"\0\1\0\0", b"OTTO", b"true")  # TrueType outlines, CFF outlines, Apple's


def without_layout_tables(data: memoryview, index: int, family: str) -> list[bytes | memoryview]:
    """Face ``index`` of the font file ``data`` (a collection or a single font) as the parts
    of a single font without its layout tables and with ``family`` as its family name."""
    version, tables = _face_tables(data, index)
    kept = [table for table in tables if table[0] not in _LAYOUT_TABLES]
    kept = [_renamed(table, family) if table[0] == b"name" else table for table in kept]
    return _sfnt(version, kept)


def _face_tables(data: memoryview, index: int) -> tuple[bytes, list[Table]]:
    start = 0
    if bytes(data[:4]) == b"ttcf":
        (count,) = struct.unpack_from(">I", data, 8)
        if not 0 <= index < count:
            raise ValueError(f"font collection has {count} faces, not {index + 1}")
        (start,) = struct.unpack_from(">I", data, 12 + 4 * index)
    version, count = struct.unpack_from(">4sH", data, start)
    if version not in _SFNT_VERSIONS:
        raise ValueError(f"not an OpenType font: {version!r}")
    tables = []
    for number in range(count):
        tag, checksum, offset, length = struct.unpack_from(">4sIII", data, start + 12 + 16 * number)
        tables.append((tag, checksum, data[offset : offset + length]))
    return version, tables


def _sfnt(version: bytes, tables: Sequence[Table]) -> list[bytes | memoryview]:
    """A font file of ``tables``, in parts: header, directory sorted by tag, then the tables,
    each padded to 4 bytes; 'head' holds the whole file's checksum adjustment."""
    tables = sorted(tables, key=lambda table: table[0])
    count = len(tables)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">4sHHHH", version, count, power * 16, power.bit_length() - 1,
                         (count - power) * 16)  # fmt: skip
    offset = len(header) + 16 * count
    directory = []
    for tag, checksum, body in tables:
        directory.append(struct.pack(">4sIII", tag, checksum, offset, len(body)))
        offset += len(body) + _padding(body)
    front = header + b"".join(directory)
    # The file's checksum is the sum of the parts' (zero-padded tables, 'head' counted with
    # a zero adjustment, as its listed checksum is): no need to read 16 MB again.
    total = (_checksum(front) + sum(checksum for _, checksum, _ in tables)) & 0xFFFFFFFF
    parts: list[bytes | memoryview] = [front]
    for tag, _, body in tables:
        parts += [_adjusted(body, total) if tag == b"head" else body, b"\0" * _padding(body)]
    return parts


def _padding(body: bytes | memoryview) -> int:
    return -len(body) % 4


def _adjusted(head: bytes | memoryview, total: int) -> bytes:
    adjustment = struct.pack(">I", (0xB1B0AFBA - total) & 0xFFFFFFFF)
    return bytes(head[:8]) + adjustment + bytes(head[12:])


def _checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def _renamed(table: Table, family: str) -> Table:
    """The 'name' table with ``family`` as family and full name, the rest from the font."""
    records = _unicode_names(table[2])
    style = records.get(2, "Regular")
    names = {number: records[number] for number in _KEPT_NAMES if number in records}
    names.update({1: family, 2: style, 4: f"{family} {style}"})
    body = _name_table(names)
    return b"name", _checksum(body), body


def _unicode_names(body: bytes | memoryview) -> dict[int, str]:
    """Name id → text, from the English Windows records first, else any Unicode record."""
    found: dict[int, str] = {}
    for _key, name, text in sorted(_utf16_records(body), key=lambda r: r[0] != _ENGLISH):
        found.setdefault(name, text)
    return found


def _utf16_records(body: bytes | memoryview) -> Iterator[tuple[tuple[int, int, int], int, str]]:
    _format, count, storage = struct.unpack_from(">HHH", body)
    for number in range(count):
        *key, name, length, offset = struct.unpack_from(">HHHHHH", body, 6 + 12 * number)
        if key[0] == 0 or (key[0] == 3 and key[1] in (1, 10)):  # Unicode, Windows Unicode
            raw = bytes(body[storage + offset : storage + offset + length])
            yield (key[0], key[1], key[2]), name, raw.decode("utf-16-be", errors="replace")


def _name_table(names: dict[int, str]) -> bytes:
    records, strings = [], b""
    for number, text in sorted(names.items()):
        encoded = text.encode("utf-16-be")
        records.append(struct.pack(">HHHHHH", *_ENGLISH, number, len(encoded), len(strings)))
        strings += encoded
    header = struct.pack(">HHH", 0, len(records), 6 + 12 * len(records))
    return header + b"".join(records) + strings
