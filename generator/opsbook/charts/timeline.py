"""The action timeline: each action as a bar, a recurring band or a milestone, by status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsbook.charts.specs import TimelineBar, TimelineSpec
from opsbook.charts.style import (
    HATCH_INK,
    INK,
    MUTED,
    STATUS_COLORS,
    STATUS_HATCHES,
    STATUS_MARKERS,
    Fonts,
    as_of_line,
    chart_axes,
    date_axis,
    key_patch,
    legend_row,
    y_labels,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def draw_timeline(fig: Figure, spec: TimelineSpec, fonts: Fonts) -> None:
    from matplotlib.dates import date2num

    height = 168 + 38 * len(spec.bars)
    ax = chart_axes(
        fig, fonts, height, spec.title, spec.subtitle, left=230, right=60, top=84, bottom=80
    )
    for y, bar in enumerate(spec.bars):
        _timeline_bar(ax, y, bar, fonts)
    ax.set_ylim(len(spec.bars) - 0.4, -0.6)
    y_labels(ax, range(len(spec.bars)), [b.label for b in spec.bars], fonts, color=INK)
    date_axis(ax, spec.start, spec.end, fonts, spec.x_label, grid=True)
    if spec.start <= spec.as_of <= spec.end:
        as_of_line(ax, date2num(spec.as_of), spec.as_of_label, fonts)
    handles = [key_patch(STATUS_COLORS[s], STATUS_HATCHES[s]) for s, _ in spec.legend]
    legend_row(fig, fonts, handles, [label for _, label in spec.legend], 0.0)


def _timeline_bar(ax: Axes, y: int, bar: TimelineBar, fonts: Fonts) -> None:
    from matplotlib.dates import date2num

    status = bar.status if bar.status in STATUS_COLORS else "not-started"
    color = STATUS_COLORS[status]
    start, end = date2num(bar.start), date2num(bar.end)
    if bar.kind == "milestone":
        ax.scatter([start], [y], marker=STATUS_MARKERS[status], s=130, color=color, zorder=4,
                   edgecolors="white")  # fmt: skip
        x_note = start + 0.9
    elif bar.kind == "band":  # recurring: a hatched band, the note inside it
        ax.barh(
            y, end - start + 1, left=start - 0.5, height=0.5, facecolor=_tint(color),
            hatch="///", edgecolor=color, lw=0, zorder=2,
        )  # fmt: skip
        ax.text(
            start, y, bar.note, ha="left", va="center", color=INK, fontproperties=fonts(10),
            zorder=5, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5, "alpha": 0.85},
        )  # fmt: skip
        return
    else:
        ax.barh(
            y, end - start + 1, left=start - 0.5, height=0.5, facecolor=color, lw=0, zorder=2,
            hatch=STATUS_HATCHES[status] or None, hatchcolor=HATCH_INK,
        )  # fmt: skip
        x_note = end + 0.7
    ax.text(
        x_note, y, bar.note, ha="left", va="center", color=MUTED, fontproperties=fonts(10),
        clip_on=False, zorder=5,
    )  # fmt: skip


def _tint(color: str, amount: float = 0.75) -> str:
    """``color`` mixed with white (``amount`` of white)."""
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02X}" for c in rgb)
