"""The dashboard's charts: achievement by industry or owner, and alert counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsbook.charts.specs import ALERT_ORDER, AlertsSpec, GroupSpec
from opsbook.charts.style import (
    ALERT_COLORS,
    ALERT_HATCHES,
    ALERT_MARKERS,
    HATCH_INK,
    INK,
    MUTED,
    WIDTH,
    Fonts,
    chart_axes,
    key_patch,
    legend_row,
    percent_axes,
    x_labels,
    y_labels,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def draw_groups(fig: Figure, spec: GroupSpec, fonts: Fonts) -> None:
    from matplotlib.lines import Line2D

    count = max(len(spec.rows), 1)
    height = 160 + 40 * count
    ax = chart_axes(
        fig, fonts, height, spec.title, spec.subtitle, left=170, right=170, top=80, bottom=80
    )
    ratios = [r.mean for r in spec.rows if r.mean is not None]
    ratios += [d for r in spec.rows for d, _ in r.dots]
    x_max = min(200.0, max([120.0] + [r * 100 + 10 for r in ratios]))
    for y, row in enumerate(spec.rows):
        if row.mean is not None:
            ax.barh(y, min(row.mean * 100, x_max), height=0.6, color="#CFE3F1", zorder=2)
        for alert in ALERT_ORDER:  # one marker shape per alert level
            xs = [min(d * 100, x_max) for d, a in row.dots if a == alert]
            if xs:
                ax.scatter(
                    xs, [y] * len(xs), s=72, color=ALERT_COLORS[alert], zorder=4,
                    marker=ALERT_MARKERS[alert], edgecolors="white", linewidths=1,
                )  # fmt: skip
        ax.text(
            x_max * 1.02, y, row.note, ha="left", va="center", color=INK, clip_on=False,
            fontproperties=fonts(11),
        )  # fmt: skip
    percent_axes(ax, x_max, [r.label for r in spec.rows], spec.x_label, fonts)
    if spec.footnote:
        fig.text(1 - 16 / WIDTH, 1 - 40 / height, spec.footnote, ha="right", va="top",
                 color=MUTED, fontproperties=fonts(10))  # fmt: skip
    handles = [Line2D([], [], color=INK, lw=1.4, ls="--")] + [
        Line2D([], [], lw=0, marker=ALERT_MARKERS[a], ms=8, color=ALERT_COLORS[a], mec="white")
        for a in ("ok", "warning", "critical")
    ]
    legend_row(fig, fonts, handles, list(spec.legend), 0.0)


# a count stays legible over a hatched segment: dark text on a small white box
_COUNT_BOX = {"facecolor": "white", "edgecolor": "none", "pad": 1.5, "alpha": 0.9}


def draw_alerts(fig: Figure, spec: AlertsSpec, fonts: Fonts) -> None:
    height = 150 + 58 * len(spec.rows)
    ax = chart_axes(
        fig, fonts, height, spec.title, spec.subtitle, left=120, right=40, top=80, bottom=70
    )
    for y, (_, counts) in enumerate(spec.rows):
        total = sum(counts) or 1
        left = 0.0
        for alert, count in zip(ALERT_ORDER, counts, strict=True):
            share = count / total * 100
            if count:
                ax.barh(y, share, left=left, height=0.6, facecolor=ALERT_COLORS[alert], zorder=2,
                        edgecolor="white", lw=1.5, hatch=ALERT_HATCHES[alert] or None,
                        hatchcolor=HATCH_INK)  # fmt: skip
            if share >= 4:
                ax.text(left + share / 2, y, str(count), ha="center", va="center",
                        color=INK, fontproperties=fonts(12, bold=True),
                        bbox=_COUNT_BOX)  # fmt: skip
            left += share
    ax.set_xlim(0, 100)
    ax.set_ylim(len(spec.rows) - 0.5, -0.5)
    x_labels(ax, [0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"], fonts)
    y_labels(
        ax, range(len(spec.rows)), [label for label, _ in spec.rows], fonts, size=12, color=INK
    )
    handles = [key_patch(ALERT_COLORS[a], ALERT_HATCHES[a]) for a in ALERT_ORDER]
    legend_row(fig, fonts, handles, list(spec.legend), 0.0)
