"""Text shaped with HarfBuzz: glyphs, their positions, a text's box and glyph outlines.

A chart's texts were measured and outlined by matplotlib's FreeType font, which loads every
glyph of a text from the font file each time it lays the text out; for the CFF outlines of
Noto Sans CJK that loading (~0.15 ms a character, ~2 ms a label) was over half of a chart's
CPU and so most of a cold build. HarfBuzz shapes a label in ~25 µs from the same file, with
the same OpenType features (it is what matplotlib's libraqm calls underneath).

Everything here is in FreeType's terms at matplotlib's ``TextToPath`` size (100 pixels to the
em, 64 units to the pixel), so a text measures and sits as matplotlib measures and sets it:
its width is the pen's advance, its height and descent come from the glyphs' control boxes
(a dash or an ellipsis does not reach down to the baseline), and glyph ids are matplotlib's
(the font's PostScript name and the glyph index in hex). One difference: a character the
font lacks is drawn as the font's own missing-glyph box, where matplotlib takes the box of its
LastResort font; the browser showing a chart's text finds its own fallback either way.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import uharfbuzz as hb

PIXELS_PER_EM = 100  # matplotlib's TextToPath.FONT_SCALE at 72 dpi
SUBPIXELS = 64  # FreeType's 26.6 fixed point
MOVETO, LINETO, CURVE3, CURVE4, CLOSEPOLY = 1, 2, 3, 4, 79  # matplotlib's path codes

Point = tuple[float, float]


@dataclass(frozen=True)
class TextBox:
    """A text's extent in pixels at 100 pixels to the em: advance, ink height, depth."""

    width: float
    height: float
    descent: float


class ShapedFont:
    """One face of a font file (``index`` within a collection), shaped and drawn by HarfBuzz."""

    def __init__(self, path: Path, index: int, postscript_name: str) -> None:
        self._font = _harfbuzz_font(str(path), index)
        self._glyph_prefix = quote(postscript_name).replace("%20", "_") + "-"
        self._extents: dict[int, tuple[int, int]] = {}  # glyph → (top, bottom), 26.6

    def glyph_name(self, glyph: int) -> str:
        """matplotlib's name for a glyph (its ``_get_glyph_repr``, with ``_`` for spaces)."""
        return f"{self._glyph_prefix}{glyph:x}"

    def shape(self, text: str) -> list[tuple[int, int]]:
        """The glyphs of ``text`` and their pen positions (26.6), left to right."""
        run, pen = [], 0
        for glyph, position in self._shaped(text):
            run.append((glyph, pen + position.x_offset))
            pen += position.x_advance
        return run

    def measure(self, text: str) -> TextBox:
        """What FreeType's ``set_text`` and ``get_width_height`` give for ``text``."""
        shaped = self._shaped(text)
        advance = sum(position.x_advance for _, position in shaped)
        extents = [self._vertical_extent(glyph) for glyph, _ in shaped]
        inked = [extent for extent in extents if extent != (0, 0)]
        top = max((t for t, _ in inked), default=0)
        bottom = min((b for _, b in inked), default=0)
        return TextBox(advance / SUBPIXELS, (top - bottom) / SUBPIXELS, -bottom / SUBPIXELS)

    def outline(self, glyph: int) -> tuple[list[Point], list[int]]:
        """A glyph's outline in pixels at 100 pixels to the em, y up: matplotlib's vertices
        and codes."""
        pen = _PathPen()
        self._font.draw_glyph_with_pen(glyph, pen)
        return pen.points, pen.codes

    def _shaped(self, text: str) -> list[tuple[int, hb.GlyphPosition]]:
        buffer = hb.Buffer()
        buffer.add_str(text)
        buffer.guess_segment_properties()
        hb.shape(self._font, buffer, {})
        glyphs = [info.codepoint for info in buffer.glyph_infos]
        return list(zip(glyphs, buffer.glyph_positions, strict=True))

    def _vertical_extent(self, glyph: int) -> tuple[int, int]:
        if glyph not in self._extents:
            extents = self._font.get_glyph_extents(glyph)
            top = extents.y_bearing if extents else 0
            self._extents[glyph] = (top, top + extents.height) if extents else (0, 0)
        return self._extents[glyph]


@functools.cache
def _harfbuzz_font(path: str, index: int) -> hb.Font:
    """A face of a font file at FreeType's size; kept for the process, since the charts of
    every batch a worker draws use the same one or two faces."""
    font = hb.Font(hb.Face(hb.Blob.from_file_path(path), index))
    font.scale = (PIXELS_PER_EM * SUBPIXELS, PIXELS_PER_EM * SUBPIXELS)
    return font


class _PathPen:
    """A fontTools-style pen that keeps matplotlib path vertices and codes, in pixels."""

    def __init__(self) -> None:
        self.points: list[Point] = []
        self.codes: list[int] = []

    def _add(self, code: int, *points: Point) -> None:
        for x, y in points:
            self.points.append((x / SUBPIXELS, y / SUBPIXELS))
            self.codes.append(code)

    def moveTo(self, point: Point) -> None:  # noqa: N802 - the pen protocol's names
        self._add(MOVETO, point)

    def lineTo(self, point: Point) -> None:  # noqa: N802
        self._add(LINETO, point)

    def qCurveTo(self, *points: Point) -> None:  # noqa: N802
        self._add(CURVE3, *points)

    def curveTo(self, *points: Point) -> None:  # noqa: N802
        self._add(CURVE4, *points)

    def closePath(self) -> None:  # noqa: N802
        self._add(CLOSEPOLY, (0.0, 0.0))
