"""Attainment by cycle: each core metric's (or the team's) achievement per cycle, with the
target line at 100% and the warning threshold."""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsbook.charts.specs import CyclesSpec
from opsbook.charts.style import (
    ALERT_COLORS,
    INK,
    PX,
    WIDTH,
    Fonts,
    fixed_axes,
    header,
    legend_row,
    x_labels,
    y_labels,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# one colour per series, in order (colour-blind safe, none of them an alert colour)
SERIES_COLORS = ("#1F77B4", "#8C564B", "#9467BD", "#17BECF", "#7F7F7F", "#BCBD22")
_HEIGHT = 360


def draw_cycles(fig: Figure, spec: CyclesSpec, fonts: Fonts) -> None:
    from matplotlib.lines import Line2D

    fig.set_size_inches(WIDTH * PX, _HEIGHT * PX)
    header(fig, fonts, _HEIGHT, spec.title, spec.subtitle)
    ax = fixed_axes(fig, _HEIGHT, left=64, right=40, top=80, bottom=96)
    y_max = _y_max(spec)
    ax.axhline(100, color=INK, lw=1.4, ls="--", zorder=3)
    ax.axhline(spec.warn_at * 100, color=ALERT_COLORS["warning"], lw=1.4, ls=":", zorder=3)
    for index, series in enumerate(spec.series):
        _draw_series(ax, series.values, SERIES_COLORS[index % len(SERIES_COLORS)], y_max, fonts)
    ax.set_xlim(-0.5, len(spec.cycles) - 0.5)
    ax.set_ylim(0, y_max)
    ticks = list(range(0, int(y_max) + 1, 25))
    y_labels(ax, ticks, [f"{t}%" for t in ticks], fonts, grid=True)
    x_labels(ax, list(range(len(spec.cycles))), list(spec.cycles), fonts, title=spec.x_label)
    handles = [
        Line2D([], [], color=INK, lw=1.4, ls="--"),
        Line2D([], [], color=ALERT_COLORS["warning"], lw=1.4, ls=":"),
    ] + [
        Line2D([], [], color=SERIES_COLORS[i % len(SERIES_COLORS)], lw=2, marker="o", ms=5)
        for i in range(len(spec.series))
    ]
    labels = list(spec.legend) + [series.name for series in spec.series]
    legend_row(fig, fonts, handles, labels, 0.0)


def _y_max(spec: CyclesSpec) -> float:
    values = [v * 100 for s in spec.series for v in s.values if v is not None]
    return min(200.0, max([125.0] + [v + 15 for v in values]))


def _draw_series(
    ax: Axes, values: tuple[float | None, ...], color: str, y_max: float, fonts: Fonts
) -> None:
    points = [(x, min(v * 100, y_max)) for x, v in enumerate(values) if v is not None]
    if not points:
        return
    xs, ys = zip(*points, strict=True)
    ax.plot(xs, ys, color=color, lw=2, marker="o", ms=6, zorder=4)
    for x, y in points:
        ax.text(x, y + 3, f"{y:.1f}%", ha="center", va="bottom", color=color, zorder=5,
                fontproperties=fonts(10),
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})  # fmt: skip
