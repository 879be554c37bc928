"""The trend of one metric: its values over the cycle against the target and the alert zones."""

from __future__ import annotations

from opsbook.charts.canvas import Box, Canvas, Faces, Text, dashes
from opsbook.charts.frame import (
    WHITE,
    Frame,
    Key,
    Margins,
    as_of_line,
    date_axis,
    date_range,
    horizontal_grid,
    legend_row,
    note_box,
    spines,
    start_chart,
    y_labels,
)
from opsbook.charts.specs import TrendSpec
from opsbook.charts.style import ALERT_COLORS, ALERT_HATCHES, ALERT_MARKERS, GRID, INK, LINE, MUTED

HEIGHT = 420
_MARGINS = Margins(left=76, right=24, top=92, bottom=70)
_ZONE_TINT = {"critical": 0.08, "warning": 0.18}  # red reads stronger than amber


def draw_trend(spec: TrendSpec, faces: Faces) -> bytes:
    canvas, box = start_chart(faces, HEIGHT, (spec.title, spec.subtitle), _MARGINS)
    frame = Frame(*box, date_range(spec.start, spec.end), spec.y_range)
    horizontal_grid(canvas, frame, [t for t, _ in spec.y_ticks])
    keys = [Key(spec.legend[0], INK, 1.4, "--")]
    for band, alert, label in (
        (spec.critical_band, "critical", spec.legend[3]), (spec.warn_band, "warning", spec.legend[2])
    ):  # fmt: skip
        if band:
            keys.append(_zone(canvas, frame, band, alert, label))
    as_of = spec.start <= spec.as_of <= spec.end
    if as_of:
        as_of_line(canvas, frame, spec.as_of, spec.as_of_label)
    spines(canvas, frame)
    _level(canvas, frame, spec.target, INK, 1.4, "--")
    low, high = spec.y_range
    if spec.baseline is not None and low <= spec.baseline <= high:
        _level(canvas, frame, spec.baseline, MUTED, 1.0, ":")
        keys.append(Key(spec.legend[1], MUTED, 1.0, ":"))
    y_labels(canvas, frame, [t for t, _ in spec.y_ticks], [label for _, label in spec.y_ticks],
             Text(11, color=MUTED, ha="right", va="center"))  # fmt: skip
    date_axis(canvas, frame, spec.start, spec.end, "")
    _points(canvas, frame, spec)
    # at the right end: the part of the cycle after the as-of date is empty
    canvas.text(frame.right - 4, frame.y(spec.target) - 4, spec.target_label,
                Text(11, bold=True, color=INK, ha="right", va="bottom"), note_box(0.8))  # fmt: skip
    # the unit reads horizontally above the value axis (rotated Chinese reads badly)
    canvas.text(16, 84, spec.y_label, Text(11, color=MUTED, va="bottom"))
    if as_of:
        keys.append(Key(spec.legend[4], MUTED, 1.2, "-."))
    legend_row(canvas, keys)
    return canvas.svg()


def _level(canvas: Canvas, frame: Frame, value: float, color: str, width: float, dash: str) -> None:
    y = frame.y(value)
    canvas.polyline([(frame.left, y), (frame.right, y)], color, width,
                    stroke_dasharray=dashes(dash, width), clip=True)  # fmt: skip


def _zone(canvas: Canvas, frame: Frame, band: tuple[float, float], alert: str, label: str) -> Key:
    """Shade the values of ``band`` (clipped to the view), hatched by level so the two zones
    differ in greyscale too; the legend key that shows it."""
    color, tint = ALERT_COLORS[alert], _ZONE_TINT[alert]
    low, high = max(band[0], frame.y_range[0]), min(band[1], frame.y_range[1])
    top, bottom = frame.y(high), frame.y(low)
    corner, size = (frame.left, top), (frame.width, bottom - top)
    # the tint and the hatch are two shapes: a translucent fill would fade its hatch too
    canvas.rect(*corner, *size, fill=color, fill_opacity=tint, clip=True)
    canvas.rect(*corner, *size, fill=canvas.pattern("none", ALERT_HATCHES[alert], color, 0.5),
                clip=True)  # fmt: skip
    fill = canvas.pattern(color, ALERT_HATCHES[alert], color, 0.5)
    return Key(label, fill=fill, fill_opacity=tint * 1.8)


def _points(canvas: Canvas, frame: Frame, spec: TrendSpec) -> None:
    if not spec.points:
        box = Box(fill=WHITE, edge=GRID, pad=8.4, radius=8.4)  # matplotlib's round,pad=0.6
        middle = (frame.left + frame.width / 2, frame.top + frame.height / 2)
        canvas.text(*middle, spec.empty_label, Text(14, color=MUTED, ha="center", va="center"), box)
        return
    xy = [(frame.x(p.day.toordinal()), frame.y(p.value)) for p in spec.points]
    canvas.polyline(xy, LINE, 2.2, stroke_linecap="round", clip=True)
    for alert, color in ALERT_COLORS.items():  # one marker shape per alert level, not hue alone
        for point, center in zip(spec.points, xy, strict=True):
            if point.alert == alert:
                canvas.marker(ALERT_MARKERS[alert], center, 96, color, stroke=WHITE,
                              stroke_width=1, clip=True)  # fmt: skip
    labelled = range(len(xy)) if len(xy) <= 12 else (0, len(xy) - 1)
    style = Text(11, bold=True, color=INK, ha="center", va="bottom")
    for i in labelled:
        canvas.text(xy[i][0], xy[i][1] - 9, spec.points[i].label, style)
