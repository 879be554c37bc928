"""Target vs actual: each metric's achievement rate as a bar, with its alert levels."""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsbook.charts.specs import TargetRow, TargetsSpec
from opsbook.charts.style import (
    ALERT_COLORS,
    ALERT_HATCHES,
    HATCH_INK,
    INK,
    Fonts,
    chart_axes,
    legend_row,
    percent_axes,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def draw_targets(fig: Figure, spec: TargetsSpec, fonts: Fonts) -> None:
    from matplotlib.lines import Line2D

    height = 150 + 52 * len(spec.rows)
    ax = chart_axes(
        fig, fonts, height, spec.title, spec.subtitle, left=190, right=200, top=80, bottom=74
    )
    ratios = [r.achievement for r in spec.rows if r.achievement is not None]
    x_max = min(200.0, max([120.0] + [r * 100 + 10 for r in ratios]))
    for y, row in enumerate(spec.rows):
        _target_row(ax, y, row, x_max, fonts)
    percent_axes(ax, x_max, [r.name for r in spec.rows], spec.x_label, fonts)
    handles = [
        Line2D([], [], color=INK, lw=1.4, ls="--"),
        Line2D([], [], color=ALERT_COLORS["warning"], lw=2.5, ls=_LEVEL_STYLES["warning"]),
        Line2D([], [], color=ALERT_COLORS["critical"], lw=2.5, ls=_LEVEL_STYLES["critical"]),
    ]
    legend_row(fig, fonts, handles, list(spec.legend), 0.0)


# the two alert levels differ by line style too, not by hue alone
_LEVEL_STYLES = {"warning": "-", "critical": (0, (1.2, 0.8))}


def _target_row(ax: Axes, y: int, row: TargetRow, x_max: float, fonts: Fonts) -> None:
    color = ALERT_COLORS[row.alert]
    value = row.achievement * 100 if row.achievement is not None else 0.0
    ax.barh(
        y, min(value, x_max), height=0.56, facecolor=color, lw=0, zorder=2,
        hatch=ALERT_HATCHES[row.alert] or None, hatchcolor=HATCH_INK,
    )  # fmt: skip
    if value > x_max:  # clipped: show that the bar goes on
        ax.plot([x_max * 0.985], [y], marker=">", ms=7, color="white", zorder=3)
    for level, key in ((row.warn_at, "warning"), (row.critical_at, "critical")):
        if row.alert != "no-data" and 0 < level * 100 < x_max:
            ax.plot([level * 100] * 2, [y - 0.36, y + 0.36], color=ALERT_COLORS[key], lw=2.5,
                    ls=_LEVEL_STYLES[key])  # fmt: skip
    ax.text(
        x_max * 1.02, y, row.label, ha="left", va="center", color=INK, clip_on=False,
        fontproperties=fonts(11, bold=row.alert in ("warning", "critical")),
    )  # fmt: skip
