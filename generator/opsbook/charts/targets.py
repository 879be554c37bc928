"""Target vs actual: each metric's achievement rate as a bar, with its alert levels."""

from __future__ import annotations

from opsbook.charts.canvas import Canvas, Faces, Text, dashes
from opsbook.charts.frame import (
    WHITE,
    Frame,
    Key,
    Margins,
    legend_row,
    spines,
    start_chart,
    vertical_grid,
    x_labels,
    y_labels,
)
from opsbook.charts.specs import TargetRow, TargetsSpec
from opsbook.charts.style import ALERT_COLORS, ALERT_HATCHES, HATCH_INK, INK

_MARGINS = Margins(left=190, right=200, top=80, bottom=74)
_BAR = 0.56  # a bar's thickness, in rows
# the two alert levels differ by line style too, not by hue alone
_LEVEL_DASH = {"warning": "", "critical": "dots"}


def draw_targets(spec: TargetsSpec, faces: Faces) -> bytes:
    height = 150 + 52 * len(spec.rows)
    canvas, box = start_chart(faces, height, (spec.title, spec.subtitle), _MARGINS)
    ratios = [r.achievement for r in spec.rows if r.achievement is not None]
    x_max = min(200.0, max([120.0] + [r * 100 + 10 for r in ratios]))
    frame = Frame(*box, (0.0, x_max), (max(len(spec.rows), 1) - 0.5, -0.5))
    ticks = list(range(0, int(x_max) + 1, 25))
    vertical_grid(canvas, frame, ticks)
    for row, target in enumerate(spec.rows):
        _bar(canvas, frame, row, target)
    spines(canvas, frame)
    for row, target in enumerate(spec.rows):
        _clipped_arrow(canvas, frame, row, target)
    x_100 = frame.x(100)  # the target
    canvas.polyline([(x_100, frame.bottom), (x_100, frame.top)], INK, 1.4,
                    stroke_dasharray=dashes("--", 1.4), clip=True)  # fmt: skip
    for row, target in enumerate(spec.rows):
        bold = target.alert in ("warning", "critical")
        canvas.text(frame.x(x_max * 1.02), frame.y(row), target.label,
                    Text(11, bold=bold, color=INK, va="center"))  # fmt: skip
    x_labels(canvas, frame, ticks, [f"{t}%" for t in ticks], spec.x_label)
    y_labels(canvas, frame, range(len(spec.rows)), [r.name for r in spec.rows],
             Text(12, color=INK, ha="right", va="center", spacing=1.35))  # fmt: skip
    legend_row(canvas, [
        Key(spec.legend[0], INK, 1.4, "--"),
        Key(spec.legend[1], ALERT_COLORS["warning"], 2.5, cap="square"),
        Key(spec.legend[2], ALERT_COLORS["critical"], 2.5, _LEVEL_DASH["critical"]),
    ])  # fmt: skip
    return canvas.svg()


def _value(target: TargetRow) -> float:
    return target.achievement * 100 if target.achievement is not None else 0.0


def _bar(canvas: Canvas, frame: Frame, row: int, target: TargetRow) -> None:
    """The achievement bar (cut at the axis' end), then the warning and critical levels."""
    color, hatch = ALERT_COLORS[target.alert], ALERT_HATCHES[target.alert]
    top, bottom = frame.y(row - _BAR / 2), frame.y(row + _BAR / 2)
    right = frame.x(min(_value(target), frame.x_range[1]))
    fill = canvas.pattern(color, hatch, HATCH_INK) if hatch else color
    canvas.rect(frame.left, top, right - frame.left, bottom - top, fill=fill, clip=True)
    if target.alert == "no-data":
        return
    for level, alert in ((target.warn_at, "warning"), (target.critical_at, "critical")):
        if 0 < level * 100 < frame.x_range[1]:
            x, dash = frame.x(level * 100), _LEVEL_DASH[alert]
            style = (
                {"stroke_dasharray": dashes(dash, 2.5)} if dash else {"stroke_linecap": "square"}
            )
            ends = [(x, frame.y(row - 0.36)), (x, frame.y(row + 0.36))]
            canvas.polyline(ends, ALERT_COLORS[alert], 2.5, clip=True, **style)


def _clipped_arrow(canvas: Canvas, frame: Frame, row: int, target: TargetRow) -> None:
    """A bar cut at the axis' end shows that it goes on."""
    x_max = frame.x_range[1]
    if _value(target) > x_max:
        center = (frame.x(x_max * 0.985), frame.y(row))
        canvas.marker(">", center, 49, WHITE, stroke=WHITE, stroke_width=1, clip=True)
