"""Charts written straight to SVG: rectangles, lines, markers and texts at pixel positions.

matplotlib builds a tree of artists, transforms and renderers for every figure and then
writes it out; for a chart of fixed layout that machinery was nearly all of the ~20–35 ms a
chart cost. A :class:`Canvas` writes the same shapes directly (~2 ms a chart). What stays
matplotlib's is what it does well and cheaply: hatch and marker shapes, the fonts it finds.
Texts are shaped by HarfBuzz (:mod:`opsbook.charts.shaping`) in FreeType's terms, so they
measure and sit as matplotlib's would, their glyph outlines drawn from the same font.

Text is laid out like matplotlib 3.11 lays it out (the font's typographic ascender and
descender as the least line height, ``linespacing`` over both): the labels of a chart drawn
here sit where those of a matplotlib chart sit. Output is deterministic: ids are numbered in
drawing order, numbers written with at most two decimals.

Use::

    faces = Faces(font, text_as_paths=False)      # once per batch: measurements are kept
    canvas = Canvas(800, 420, faces)
    canvas.rect(76, 92, 700, 258, fill="#FFFFFF")
    canvas.text(16, 14, "标题", size=16, bold=True, color=INK, va="top")
    svg = canvas.svg()
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from opsbook.charts.hatch import hatch_tile
from opsbook.charts.shaping import PIXELS_PER_EM, SUBPIXELS, ShapedFont

if TYPE_CHECKING:
    from opsbook.support.fonts import FontChoice

Point = tuple[float, float]
HATCH_WIDTH = 0.8  # rcParams["hatch.linewidth"] in opsbook's charts
# matplotlib's dash patterns, in multiples of the line width (lines.*_pattern, scaled)
GLYPH_SCALE = PIXELS_PER_EM  # glyphs are drawn at 100 points, as matplotlib's TextToPath
_DASHES = {
    "--": (3.7, 1.6), ":": (1.0, 1.65), "-.": (6.4, 1.6, 1.0, 1.6),
    "dots": (1.2, 0.8),  # opsbook's own: the critical level of the targets chart
}  # fmt: skip


def num(value: float, digits: int = 1) -> str:
    """A number with at most ``digits`` decimals (a tenth of a pixel by default), written
    short: no trailing zeros, no leading zero (``.5``), no ``-0``."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    if text in ("-0", "", "0"):
        return "0"
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def color(value: str) -> str:
    """``#RRGGBB`` written short: ``#rgb`` when it can be, lower case; other values as given."""
    if not (value.startswith("#") and len(value) == 7):
        return value
    value = value.lower()
    return "#" + value[1::2] if value[1::2] == value[2::2] else value


def path_data(points: Iterable[Point], codes: Iterable[int] | None = None, digits: int = 1) -> str:
    """SVG path data for matplotlib path vertices and codes (all lines when ``codes`` is None):
    MOVETO 1, LINETO 2, CURVE3 3, CURVE4 4 (their control points come as vertices), CLOSE 79;
    coordinates with at most ``digits`` decimals."""
    verts = [(num(x, digits), num(y, digits)) for x, y in points]
    kinds = list(codes) if codes is not None else [1] + [2] * (len(verts) - 1)
    out, index, start, here = [], 0, ("", ""), ("", "")
    while index < len(verts):
        code = kinds[index]
        take = {3: 2, 4: 3}.get(code, 1)
        if code == 2:
            out.append(_line_to(here, verts[index]))
        elif code == 79:
            out.append("z")
        else:
            coords = " ".join(f"{x} {y}" for x, y in verts[index : index + take])
            out.append({1: "M", 3: "Q", 4: "C"}[code] + coords)
        here = start if code == 79 else verts[index + take - 1]  # z returns to the start
        start = here if code == 1 else start
        index += take
    return "".join(out).replace(" -", "-")  # a minus sign separates numbers too


def _line_to(here: tuple[str, str], there: tuple[str, str]) -> str:
    """A line segment: H or V when it is level or upright (the gridlines, the bars' sides),
    which draw the same line in half the characters."""
    if there[1] == here[1]:
        return f"H{there[0]}"
    if there[0] == here[0]:
        return f"V{there[1]}"
    return f"L{there[0]} {there[1]}"


@dataclass(frozen=True)
class Line:
    """A text's line: its width, the height above and below its baseline (matplotlib's)."""

    text: str
    width: float
    ascent: float
    descent: float


class Faces:
    """The chosen font at the sizes the charts use: measuring (each text once per batch),
    the typographic line height, glyph outlines when text is drawn as paths."""

    def __init__(
        self, font: FontChoice, *, text_as_paths: bool, fallbacks: Sequence[str] = ()
    ) -> None:
        from matplotlib.font_manager import FontPath, get_font

        self.text_as_paths = text_as_paths
        self.family = font.family
        self.fallbacks = tuple(fallbacks)  # the CSS font families after the chosen one
        regular = FontPath(str(font.regular), font.regular_index)
        bold = FontPath(str(font.bold), font.bold_index) if font.bold else regular
        self._faces: dict[bool, ShapedFont] = {}
        self._typo: dict[bool, tuple[float, float]] = {}
        for is_bold, path in ((False, regular), (True, bold)):
            freetype = get_font(path)  # read once for the face's names and metrics
            self._typo[is_bold] = _typo_metrics(freetype)
            self._faces[is_bold] = ShapedFont(path.path, path.face_index, freetype.postscript_name)
        self._sizes: dict[tuple[str, float, bool], tuple[float, float, float]] = {}
        self._runs: dict[tuple[str, bool], list[tuple[str, float]]] = {}
        self._outlines: dict[str, str] = {}  # glyph id → path data

    def measure(self, text: str, size: float, bold: bool) -> tuple[float, float, float]:
        """(width, height, descent) in pixels, as matplotlib's SVG renderer measures them
        (``TextToPath.get_text_width_height_descent``: FreeType at 100 pixels, scaled)."""
        key = (text, size, bold)
        if key not in self._sizes:
            box = self._faces[bold].measure(text)
            scale = size / PIXELS_PER_EM
            self._sizes[key] = (box.width * scale, box.height * scale, box.descent * scale)
        return self._sizes[key]

    def width(self, text: str, size: float, bold: bool = False) -> float:
        return self.measure(text, size, bold)[0]

    def lines(self, text: str, size: float, bold: bool, spacing: float | None) -> list[Line]:
        """The lines of ``text`` with matplotlib's line heights (``spacing``: its
        ``linespacing``; None: the font's own)."""
        ascender, descender = (v * size for v in self._typo[bold])
        parts = text.split("\n")
        out = []
        for part in parts:
            width, height, descent = self.measure(part, size, bold) if part else (0.0, 0.0, 0.0)
            above, below = height - descent, descent
            if spacing is None:
                above, below = max(above, ascender), max(below, descender)
            else:
                leading = spacing * (ascender + descender) - (above + below)
                above, below = above + leading / 2, below + leading / 2
            out.append(Line(part, width, above, below))
        return out

    def glyph_run(self, text: str, bold: bool) -> list[tuple[str, float]]:
        """The glyphs of ``text``: (id, x) each, x in units of ``GLYPH_SCALE`` points at a
        size of one point; the ids name the font and the glyph index, as matplotlib's do."""
        key = (text, bold)
        if key not in self._runs:
            face = self._faces[bold]
            run = []
            for glyph, pen in face.shape(text):
                name = face.glyph_name(glyph)
                if name not in self._outlines:
                    # a tenth of a unit: a thousandth of the glyph's size
                    self._outlines[name] = path_data(*face.outline(glyph))
                run.append((name, pen / SUBPIXELS))
            self._runs[key] = run
        return self._runs[key]

    def outline(self, glyph: str) -> str:
        """A glyph's path data (``GLYPH_SCALE`` units, y up) by the id :meth:`glyph_run` gave."""
        return self._outlines[glyph]

    def css_fonts(self) -> str:
        families = dict.fromkeys([self.family, *self.fallbacks])
        return ",".join(f"'{family}'" for family in families) + ",sans-serif"


def _typo_metrics(font: Any) -> tuple[float, float]:
    """The font's typographic ascender and descender, in ems (what matplotlib reads)."""
    per_em = font.get_sfnt_table("head")["unitsPerEm"]
    os2 = font.get_sfnt_table("OS/2")
    if os2 is not None:
        return os2["sTypoAscender"] / per_em, -os2["sTypoDescender"] / per_em
    hhea = font.get_sfnt_table("hhea")
    return hhea["ascent"] / per_em, -hhea["descent"] / per_em


@dataclass(frozen=True)
class Text:
    """How a text is set: size, weight, colour, alignment to its anchor point."""

    size: float = 11
    bold: bool = False
    color: str = "#000000"
    ha: str = "left"  # left, center, right
    va: str = "baseline"  # top, center, bottom, baseline, center_baseline
    spacing: float | None = None  # matplotlib's linespacing (None: the font's line height)


@dataclass(frozen=True)
class Box:
    """A box behind a text (matplotlib's ``bbox``): ``pad`` pixels around it."""

    fill: str = "#FFFFFF"
    opacity: float = 1.0
    pad: float = 1.5
    edge: str = ""
    radius: float = 0.0


_ANCHORS = {"left": "", "center": "middle", "right": "end"}


class Canvas:
    """One chart's SVG, written element by element in drawing order."""

    def __init__(self, width: float, height: float, faces: Faces) -> None:
        self.width, self.height, self.faces = width, height, faces
        self._body: list[str] = []
        self._defs: list[str] = []
        self._ids: dict[str, str] = {}  # a definition's content → its id
        self._classes: dict[str, str] = {}  # a style → its class
        self._clip = ""
        self._in_clip_group = False
        self._glyphs_defined: set[str] = set()

    # shapes

    def rect(self, x: float, y: float, w: float, h: float, fill: str, **style: Any) -> None:
        """A rectangle, ``(x, y)`` its top left corner; ``style``: see :meth:`_style`."""
        d = f"M{num(x)} {num(y)}H{num(x + w)}V{num(y + h)}H{num(x)}z"
        self._element("path", {"d": d}, fill=fill, **style)

    def polyline(self, points: Sequence[Point], color: str, width: float, **style: Any) -> None:
        self._element("path", {"d": path_data(points)}, fill="none", stroke=color,
                      stroke_width=width, **style)  # fmt: skip

    def marker(
        self, shape: str, center: Point, area: float, fill: str, *, clip: bool = False,
        **style: Any,
    ) -> None:  # fmt: skip
        """A scatter marker of matplotlib's ``shape`` and ``area`` (points², as ``s``)."""
        ident = self._define("m", f'<path d="{_marker_path(shape, area)}"/>')
        attributes = {"href": f"#{ident}", "x": num(center[0]), "y": num(center[1])}
        # Clipped on the group: on a <use> itself, its x and y would move the clip path too.
        self._element("use", attributes, fill=fill, clip=clip, **style)

    def pattern(self, face: str, hatch: str, ink: str, ink_opacity: float = 1.0) -> str:
        """``url(#id)`` of a hatch pattern (matplotlib's tile and lines): ``hatch`` lines
        in ``ink`` over ``face`` (a colour or "none"), defined once a chart. No line cap or
        join attributes: the stylesheet's ``*`` rule overrides presentation attributes, and
        the hatch's subpaths are single segments, which have no joins."""
        width, height, lines = hatch_tile(hatch)
        stroke = f' stroke-opacity="{num(ink_opacity)}"' if ink_opacity < 1 else ""
        body = (
            f'<pattern patternUnits="userSpaceOnUse" width="{width}" height="{height}">'
            f"{_tile_face(face, width, height)}"
            f'<path d="{lines}" fill="{color(ink)}" stroke="{color(ink)}"{stroke} '
            f'stroke-width="{num(HATCH_WIDTH)}"/>'
            "</pattern>"
        )
        return f"url(#{self._define('h', body)})"

    def clip_to(self, x: float, y: float, w: float, h: float) -> None:
        """Clip what is drawn with ``clip=True`` to this box (the axes)."""
        self._clip_group(False)  # what follows is clipped to the new box
        self._clip = self._define(
            "c",
            f'<clipPath clipPathUnits="userSpaceOnUse"><rect x="{num(x)}" y="{num(y)}" '
            f'width="{num(w)}" height="{num(h)}"/></clipPath>',
        )

    # text

    def text(self, x: float, y: float, text: str, style: Text, box: Box | None = None) -> float:
        """``text`` at ``(x, y)`` aligned as ``style`` says (lines split at ``\\n``), over
        ``box`` if given; returns the width of its widest line."""
        lines = self.faces.lines(text, style.size, style.bold, style.spacing)
        width = max(line.width for line in lines)
        baselines, top, bottom = _baselines(lines, y, style.va)
        left = x - {"left": 0.0, "center": width / 2, "right": width}[style.ha]
        if box is not None:
            self._text_box(box, (left, top), (width, bottom - top))
        if self.faces.text_as_paths:
            for line, baseline in zip(lines, baselines, strict=True):
                self._glyphs(line, (x, baseline), style)
        else:
            self._text_element(lines, x, baselines, style)
        return width

    def _text_box(self, box: Box, corner: Point, size: Point) -> None:
        x, y, w, h = corner[0] - box.pad, corner[1] - box.pad, *(s + 2 * box.pad for s in size)
        style: dict[str, Any] = {"opacity": box.opacity} if box.opacity < 1 else {}
        if box.edge:
            style.update(stroke=box.edge, stroke_width=1)
        if box.radius:
            attributes = {"x": num(x), "y": num(y), "width": num(w), "height": num(h)}
            attributes["rx"] = num(box.radius)
            self._element("rect", attributes, fill=box.fill, **style)
        else:
            self.rect(x, y, w, h, fill=box.fill, **style)

    def _glyphs(self, line: Line, start: Point, style: Text) -> None:
        """The line's glyphs as outlines: each glyph defined once a chart and used where it
        stands, after a comment that holds the text (as matplotlib writes them)."""
        if not line.text:
            return
        shift = {"left": 0.0, "center": line.width / 2, "right": line.width}[style.ha]
        scale = num(style.size / GLYPH_SCALE, 4)
        self._clip_group(False)
        self._body.append(f"<!-- {_comment(line.text)} -->")
        transform = f"translate({num(start[0] - shift)} {num(start[1])}) scale({scale} -{scale})"
        self._body.append(
            f'<g transform="{transform}" class="{self._class({"fill": style.color})}">'
        )
        for glyph, x in self.faces.glyph_run(line.text, style.bold):
            self._define_glyph(glyph)
            self._body.append(f'<use href="#{glyph}" x="{num(x)}"/>')
        self._body.append("</g>")

    def _define_glyph(self, glyph: str) -> None:
        if glyph not in self._glyphs_defined:
            self._glyphs_defined.add(glyph)
            self._defs.append(f'<path id="{glyph}" d="{self.faces.outline(glyph)}"/>')

    def _text_element(self, lines: list[Line], x: float, baselines: list[float], s: Text) -> None:
        style = {"font_size": f"{num(s.size)}px", "fill": s.color}
        if s.bold:
            style["font_weight"] = 700
        if _ANCHORS[s.ha]:
            style["text_anchor"] = _ANCHORS[s.ha]
        if len(lines) == 1:
            content = _escape(lines[0].text)
        else:
            content = "".join(
                f'<tspan x="{num(x)}" y="{num(y)}">{_escape(line.text)}</tspan>'
                for line, y in zip(lines, baselines, strict=True)
            )
        attributes = {"x": num(x), "y": num(baselines[0])}
        self._element("text", attributes, content=content, **style)

    # writing

    def _element(
        self, tag: str, attributes: dict[str, str], *, content: str = "", clip: bool = False,
        **style: Any,
    ) -> None:  # fmt: skip
        self._clip_group(clip)
        parts = [f"<{tag}"]
        parts += [f' {name}="{value}"' for name, value in attributes.items()]
        if style:
            parts.append(f' class="{self._class(style)}"')
        parts.append(f">{content}</{tag}>" if content else "/>")
        self._body.append("".join(parts))

    def _clip_group(self, clip: bool) -> None:
        """Open or close the group that clips: consecutive clipped elements (the gridlines,
        bands, series and markers) share one ``<g clip-path>`` instead of each carrying
        the attribute, which was a twelfth of every chart's bytes."""
        wanted = clip and bool(self._clip)
        if wanted != self._in_clip_group:
            self._body.append(f'<g clip-path="url(#{self._clip})">' if wanted else "</g>")
            self._in_clip_group = wanted

    def _class(self, style: dict[str, Any]) -> str:
        """The class of a style: each distinct style is written once, in the stylesheet."""
        rule = ";".join(f"{name.replace('_', '-')}:{_css(value)}" for name, value in style.items())
        if rule not in self._classes:
            self._classes[rule] = f"s{len(self._classes)}"
        return self._classes[rule]

    def _define(self, prefix: str, element: str) -> str:
        """The id of ``element`` (``"<tag attribute…"``) among the definitions."""
        if element not in self._ids:
            ident = f"{prefix}{len(self._ids)}"
            self._ids[element] = ident
            self._defs.append(element.replace(" ", f' id="{ident}" ', 1))
        return self._ids[element]

    def svg(self) -> bytes:
        """The chart, complete."""
        rules = "".join(f".{name}{{{rule}}}" for rule, name in self._classes.items())
        font = "" if self.faces.text_as_paths else f' font-family="{self.faces.css_fonts()}"'
        head = (
            # SVG 2's href, not xlink:href: what browsers, librsvg and Typst's usvg read
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(self.width)}pt" '
            f'height="{num(self.height)}pt" viewBox="0 0 {num(self.width)} '
            f'{num(self.height)}"{font}><defs><style>*{{stroke-linejoin:round;'
            f"stroke-linecap:butt}}{rules}</style>{''.join(self._defs)}</defs>"
        )
        tail = "</g></svg>\n" if self._in_clip_group else "</svg>\n"
        return (head + "".join(self._body) + tail).encode("utf-8")


def _tile_face(face: str, width: int, height: int) -> str:
    """A hatch tile's background: none at all for a transparent one."""
    if face == "none":
        return ""
    return f'<rect width="{width + 1}" height="{height + 1}" fill="{color(face)}"/>'


def _css(value: Any) -> str:
    return num(value, 3) if isinstance(value, (int, float)) else color(str(value))


def dashes(kind: str, width: float) -> str:
    """matplotlib's dash pattern ``kind`` ("--", ":", "-.") for a line ``width`` wide."""
    return ",".join(num(step * width, 2) for step in _DASHES[kind])


def _baselines(lines: list[Line], y: float, va: str) -> tuple[list[float], float, float]:
    """Each line's baseline and the text block's top and bottom, placed as matplotlib
    places a text aligned ``va`` at ``y`` (y grows downwards here)."""
    baselines, depth = [], 0.0
    for line in lines:
        baselines.append(depth + line.ascent)
        depth += line.ascent + line.descent
    last = baselines[-1]
    shift = {
        "top": 0.0,
        "bottom": depth,
        "center": depth / 2,
        "baseline": last,
        "center_baseline": last / 2,
    }[va]
    return [y - shift + b for b in baselines], y - shift, y - shift + depth


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _comment(text: str) -> str:
    """``text`` inside an XML comment, which may not hold ``--`` (matplotlib's escaping)."""
    return re.sub("-(?=-)", "- ", _escape(text))


@functools.cache  # a handful of shapes and sizes, asked for by every chart
def _marker_path(shape: str, area: float) -> str:
    from matplotlib.markers import MarkerStyle

    style = MarkerStyle(shape)
    path = style.get_path().transformed(style.get_transform().scale(math.sqrt(area)))
    points = [(float(x), -float(y)) for x, y in path.vertices]
    codes = [int(c) for c in path.codes] if path.codes is not None else None
    return path_data(points, codes)
