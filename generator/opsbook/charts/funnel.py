"""The user-journey funnel: each stage's value and the conversion between stages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsbook.charts.specs import FunnelSpec
from opsbook.charts.style import INK, MUTED, Fonts, chart_axes, x_labels, y_labels

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def draw_funnel(fig: Figure, spec: FunnelSpec, fonts: Fonts) -> None:
    count = len(spec.stages)
    height = 120 + 62 * count
    ax = chart_axes(
        fig, fonts, height, spec.title, spec.subtitle, left=150, right=120, top=76, bottom=24
    )
    top = max(v for _, v in spec.stages) or 1.0
    shades = _blues(count)
    for y, ((_, value), text) in enumerate(zip(spec.stages, spec.values, strict=True)):
        width = max(value / top, 0.004)
        ax.barh(y, width, left=(1 - width) / 2, height=0.72, color=shades[y], zorder=2)
        inside = width > 0.18
        ax.text(
            0.5 if inside else 0.5 + width / 2 + 0.01, y, text, ha="center" if inside else "left",
            va="center", color="white" if inside and y < count * 0.7 else INK,
            fontproperties=fonts(12, bold=True),
        )  # fmt: skip
    for y, rate in enumerate(spec.conversions):
        ax.text(
            1.03, y + 0.5, rate, ha="left", va="center", color=MUTED,
            fontproperties=fonts(11), clip_on=False,
        )  # fmt: skip
    ax.set_xlim(0, 1)
    ax.set_ylim(count - 0.5, -0.5)
    y_labels(ax, range(count), [name for name, _ in spec.stages], fonts, size=12, color=INK)
    x_labels(ax, [], [], fonts)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _blues(count: int) -> list[str]:
    """Light to dark blue shades, darkest first (the widest stage)."""
    start, stop = (0, 114, 178), (166, 206, 227)
    shades = []
    for i in range(count):
        t = i / max(count - 1, 1)
        rgb = (round(a + (b - a) * t) for a, b in zip(start, stop, strict=True))
        shades.append("#{:02X}{:02X}{:02X}".format(*rgb))
    return shades
