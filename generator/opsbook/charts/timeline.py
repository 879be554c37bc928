"""The action timeline: each action as a bar, a recurring band or a milestone, by status."""

from __future__ import annotations

from opsbook.charts.canvas import Canvas, Faces, Text
from opsbook.charts.frame import (
    WHITE,
    Frame,
    Key,
    Margins,
    as_of_line,
    date_axis,
    date_range,
    legend_row,
    note_box,
    spines,
    start_chart,
    vertical_grid,
    y_labels,
)
from opsbook.charts.specs import TimelineBar, TimelineSpec
from opsbook.charts.style import (
    HATCH_INK,
    INK,
    MUTED,
    STATUS_COLORS,
    STATUS_HATCHES,
    STATUS_MARKERS,
    date_ticks,
)

_MARGINS = Margins(left=230, right=60, top=84, bottom=80)
_BAR = 0.5  # a bar's thickness, in rows
_NOTE = Text(10, color=MUTED, va="center")


def draw_timeline(spec: TimelineSpec, faces: Faces) -> bytes:
    height = 168 + 38 * len(spec.bars)
    canvas, box = start_chart(faces, height, (spec.title, spec.subtitle), _MARGINS)
    frame = Frame(*box, date_range(spec.start, spec.end), (len(spec.bars) - 0.4, -0.6))
    vertical_grid(canvas, frame, [day.toordinal() for day in date_ticks(spec.start, spec.end)])
    for row, bar in enumerate(spec.bars):
        _bar(canvas, frame, row, bar)
    as_of = spec.start <= spec.as_of <= spec.end
    if as_of:
        as_of_line(canvas, frame, spec.as_of, spec.as_of_label)
    spines(canvas, frame)
    for row, bar in enumerate(spec.bars):
        _mark(canvas, frame, row, bar)
    y_labels(canvas, frame, range(len(spec.bars)), [b.label for b in spec.bars],
             Text(11, color=INK, ha="right", va="center", spacing=1.35))  # fmt: skip
    date_axis(canvas, frame, spec.start, spec.end, spec.x_label)
    legend_row(canvas, [Key(label, fill=_fill(canvas, status)) for status, label in spec.legend])
    return canvas.svg()


def _status(bar: TimelineBar) -> str:
    return bar.status if bar.status in STATUS_COLORS else "not-started"


def _fill(canvas: Canvas, status: str) -> str:
    """A status's colour with its hatch in white (solid means "fine")."""
    color, hatch = STATUS_COLORS[status], STATUS_HATCHES[status]
    return canvas.pattern(color, hatch, HATCH_INK) if hatch else color


def _bar(canvas: Canvas, frame: Frame, row: int, bar: TimelineBar) -> None:
    """A bar from its first to its last day; a recurring band hatched in its colour."""
    if bar.kind == "milestone":
        return
    status = _status(bar)
    left, right = frame.x(bar.start.toordinal() - 0.5), frame.x(bar.end.toordinal() + 0.5)
    top, bottom = frame.y(row - _BAR / 2), frame.y(row + _BAR / 2)
    if bar.kind == "band":
        color = STATUS_COLORS[status]
        fill = canvas.pattern(_tint(color), "///", color)
    else:
        fill = _fill(canvas, status)
    canvas.rect(left, top, right - left, bottom - top, fill=fill, clip=True)


def _mark(canvas: Canvas, frame: Frame, row: int, bar: TimelineBar) -> None:
    """A milestone's marker and every action's note: its due date, or inside a band."""
    status, y = _status(bar), frame.y(row)
    if bar.kind == "band":
        style = Text(10, color=INK, va="center")
        canvas.text(frame.x(bar.start.toordinal()), y, bar.note, style, note_box(0.85))
        return
    if bar.kind == "milestone":
        center = (frame.x(bar.start.toordinal()), y)
        canvas.marker(STATUS_MARKERS[status], center, 130, STATUS_COLORS[status],
                      stroke=WHITE, stroke_width=1.5, clip=True)  # fmt: skip
        x_note = bar.start.toordinal() + 0.9
    else:
        x_note = bar.end.toordinal() + 0.7
    canvas.text(frame.x(x_note), y, bar.note, _NOTE)


def _tint(color: str, amount: float = 0.75) -> str:
    """``color`` mixed with white (``amount`` of white)."""
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02X}" for c in rgb)
