"""The user-journey funnel: each stage's value and the conversion between stages."""

from __future__ import annotations

from opsbook.charts.canvas import Faces, Text
from opsbook.charts.frame import WHITE, Frame, Margins, start_chart, y_labels
from opsbook.charts.specs import FunnelSpec
from opsbook.charts.style import INK, MUTED

_MARGINS = Margins(left=150, right=120, top=76, bottom=24)
_BAR = 0.72  # a stage's thickness, in rows


def draw_funnel(spec: FunnelSpec, faces: Faces) -> bytes:
    count = len(spec.stages)
    canvas, box = start_chart(faces, 120 + 62 * count, (spec.title, spec.subtitle), _MARGINS)
    frame = Frame(*box, (0.0, 1.0), (count - 0.5, -0.5))
    top = max(v for _, v in spec.stages) or 1.0
    shades = _blues(count)
    widths = [max(value / top, 0.004) for _, value in spec.stages]
    for row, width in enumerate(widths):
        left, right = frame.x((1 - width) / 2), frame.x((1 + width) / 2)
        upper, lower = frame.y(row - _BAR / 2), frame.y(row + _BAR / 2)
        canvas.rect(left, upper, right - left, lower - upper, fill=shades[row], clip=True)
    for row, (width, text) in enumerate(zip(widths, spec.values, strict=True)):
        inside = width > 0.18  # else to the right of the bar
        color = WHITE if inside and row < count * 0.7 else INK
        x, ha = (0.5, "center") if inside else (0.5 + width / 2 + 0.01, "left")
        canvas.text(frame.x(x), frame.y(row), text,
                    Text(12, bold=True, color=color, ha=ha, va="center"))  # fmt: skip
    for row, rate in enumerate(spec.conversions):
        canvas.text(frame.x(1.03), frame.y(row + 0.5), rate, Text(11, color=MUTED, va="center"))
    y_labels(canvas, frame, range(count), [name for name, _ in spec.stages],
             Text(12, color=INK, ha="right", va="center", spacing=1.35))  # fmt: skip
    return canvas.svg()


def _blues(count: int) -> list[str]:
    """Light to dark blue shades, darkest first (the widest stage)."""
    start, stop = (0, 114, 178), (166, 206, 227)
    shades = []
    for i in range(count):
        t = i / max(count - 1, 1)
        rgb = (round(a + (b - a) * t) for a, b in zip(start, stop, strict=True))
        shades.append("#{:02X}{:02X}{:02X}".format(*rgb))
    return shades
