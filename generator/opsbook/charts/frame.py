"""What the charts drawn on a :class:`~opsbook.charts.canvas.Canvas` share: the header, the
axes box and its scales, tick labels, grid lines, the as-of line and the legend row, at the
same pixels as :mod:`opsbook.charts.style` places them with matplotlib."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from opsbook.charts.canvas import Box, Canvas, Faces, Text, dashes
from opsbook.charts.style import GRID, INK, MUTED, WIDTH, date_ticks
from opsbook.charts.text import mmdd

WHITE = "#FFFFFF"


@dataclass(frozen=True)
class Frame:
    """The axes: a box in pixels (``top`` grows downwards) and the data ranges it shows
    (``x_range`` left to right, ``y_range`` bottom to top; either may be reversed)."""

    left: float
    top: float
    width: float
    height: float
    x_range: tuple[float, float]
    y_range: tuple[float, float]

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def x(self, value: float) -> float:
        low, high = self.x_range
        return self.left + (value - low) / (high - low) * self.width

    def y(self, value: float) -> float:
        low, high = self.y_range
        return self.bottom - (value - low) / (high - low) * self.height


@dataclass(frozen=True)
class Margins:
    left: float
    right: float
    top: float
    bottom: float


def start_chart(
    faces: Faces, height: float, heading: tuple[str, str], margins: Margins
) -> tuple[Canvas, tuple[float, float, float, float]]:
    """A white canvas ``height`` pixels high with its title and subtitle (``heading``), and
    the axes box (left, top, width, height) inside ``margins``, clipping what asks to be."""
    canvas = Canvas(WIDTH, height, faces)
    canvas.rect(0, 0, WIDTH, height, fill=WHITE)
    box = (
        margins.left,
        margins.top,
        WIDTH - margins.left - margins.right,
        height - margins.top - margins.bottom,
    )
    canvas.rect(*box, fill=WHITE)
    canvas.clip_to(*box)
    title, subtitle = heading
    canvas.text(16, 14, title, Text(16, bold=True, color=INK, va="top"))
    if subtitle:
        canvas.text(16, 40, subtitle, Text(12, color=MUTED, va="top"))
    return canvas, box


def spines(canvas: Canvas, frame: Frame) -> None:
    """The left and bottom edges of the axes."""
    style = {"stroke_linejoin": "miter", "stroke_linecap": "square"}
    corner = (frame.left, frame.bottom)
    canvas.polyline([corner, (frame.left, frame.top)], GRID, 0.8, **style)
    canvas.polyline([corner, (frame.right, frame.bottom)], GRID, 0.8, **style)


def horizontal_grid(canvas: Canvas, frame: Frame, ticks: Sequence[float]) -> None:
    for tick in ticks:
        y = frame.y(tick)
        canvas.polyline([(frame.left, y), (frame.right, y)], GRID, 0.6, clip=True)


def vertical_grid(canvas: Canvas, frame: Frame, ticks: Sequence[float]) -> None:
    for tick in ticks:
        x = frame.x(tick)
        canvas.polyline([(x, frame.bottom), (x, frame.top)], GRID, 0.6, clip=True)


def y_labels(
    canvas: Canvas, frame: Frame, ticks: Sequence[float], labels: Sequence[str], style: Text
) -> None:
    """Labels left of the axes, centred on their ticks."""
    for tick, label in zip(ticks, labels, strict=True):
        canvas.text(frame.left - 6, frame.y(tick), label, style)


def x_labels(
    canvas: Canvas, frame: Frame, ticks: Sequence[float], labels: Sequence[str], title: str
) -> None:
    """Labels under the axes, centred on their ticks, and the axis title below them."""
    style = Text(11, color=MUTED, ha="center", va="top")
    for tick, label in zip(ticks, labels, strict=True):
        canvas.text(frame.x(tick), frame.bottom + 5, label, style)
    if title:
        canvas.text(frame.left + frame.width / 2, frame.bottom + 22, title, style)


def date_axis(canvas: Canvas, frame: Frame, start: dt.date, end: dt.date, title: str) -> None:
    """Dates under the axes (MM-DD) and the axis title below them."""
    days = date_ticks(start, end)
    x_labels(canvas, frame, [day.toordinal() for day in days], [mmdd(day) for day in days], title)


def date_range(start: dt.date, end: dt.date) -> tuple[float, float]:
    """The x range of a date axis: each day is one unit, the first and last whole."""
    return start.toordinal() - 0.5, end.toordinal() + 0.5


def as_of_line(canvas: Canvas, frame: Frame, day: dt.date, label: str) -> None:
    """The dash-dotted as-of line across the axes, its label above the top, to its left."""
    x = frame.x(day.toordinal())
    canvas.polyline([(x, frame.bottom), (x, frame.top)], MUTED, 1.2,
                    stroke_dasharray=dashes("-.", 1.2), clip=True)  # fmt: skip
    gap = canvas.faces.width(" ", 10)  # matplotlib's label ended with a space
    canvas.text(x - gap, frame.top, label, Text(10, color=MUTED, ha="right", va="bottom"))


@dataclass(frozen=True)
class Key:
    """A legend key: a line (``dash`` "" for solid) or a filled box (``fill``: a colour
    or a pattern's ``url(#…)``)."""

    label: str
    color: str = INK
    line_width: float = 0.0  # 0: a box, not a line
    dash: str = ""
    cap: str = ""  # a solid line's ends: "square" as matplotlib's solid lines, else butt
    fill: str = ""
    fill_opacity: float = 1.0


_KEY, _KEY_GAP, _ITEM_GAP, _LEGEND_Y = 22.0, 6.0, 20.0, 16.0  # pixels, as style.legend_row


def legend_row(canvas: Canvas, keys: Sequence[Key]) -> None:
    """One centred row of keys and labels near the bottom edge."""
    widths = [canvas.faces.width(key.label, 11) for key in keys]
    total = sum(_KEY + _KEY_GAP + w for w in widths) + _ITEM_GAP * (len(keys) - 1)
    x, row = (canvas.width - total) / 2, canvas.height - _LEGEND_Y
    label_style = Text(11, color=INK, va="center_baseline")
    for key, width in zip(keys, widths, strict=True):
        if key.line_width:
            style = {"stroke_dasharray": dashes(key.dash, key.line_width)} if key.dash else {}
            if key.cap:
                style["stroke_linecap"] = key.cap
            canvas.polyline([(x, row), (x + _KEY, row)], key.color, key.line_width, **style)
        else:
            opacity = {"fill_opacity": key.fill_opacity} if key.fill_opacity < 1 else {}
            canvas.rect(x, row - 6, _KEY, 12, fill=key.fill, **opacity)
        canvas.text(x + _KEY + _KEY_GAP, row, key.label, label_style)
        x += _KEY + _KEY_GAP + width + _ITEM_GAP


def note_box(opacity: float) -> Box:
    """The white box that keeps a label readable over lines and bands."""
    return Box(fill=WHITE, opacity=opacity, pad=1.5)
