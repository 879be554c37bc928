"""The trend of one metric: its values over the cycle against the target and the alert zones."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opsbook.charts.specs import TrendSpec
from opsbook.charts.style import (
    ALERT_COLORS,
    ALERT_HATCHES,
    ALERT_MARKERS,
    GRID,
    INK,
    LINE,
    MUTED,
    WIDTH,
    Fonts,
    as_of_line,
    chart_axes,
    date_axis,
    legend_row,
    y_labels,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def draw_trend(fig: Figure, spec: TrendSpec, fonts: Fonts) -> None:
    from matplotlib.dates import date2num
    from matplotlib.lines import Line2D

    height = 420
    ax = chart_axes(
        fig, fonts, height, spec.title, spec.subtitle, left=76, right=24, top=92, bottom=70
    )
    low, high = spec.y_range
    handles, names = [Line2D([], [], color=INK, lw=1.4, ls="--")], [spec.legend[0]]
    for band, key, label in (
        (spec.critical_band, "critical", spec.legend[3]), (spec.warn_band, "warning", spec.legend[2])
    ):  # fmt: skip
        if band:
            handles.append(_zone(ax, band, (low, high), key))
            names.append(label)
    ax.axhline(spec.target, color=INK, lw=1.4, ls="--", zorder=3)
    ax.annotate(  # at the right end: the part of the cycle after the as-of date is empty
        spec.target_label, xy=(1, spec.target), xycoords=ax.get_yaxis_transform(),
        xytext=(-4, 4), textcoords="offset points", ha="right", va="bottom", color=INK,
        fontproperties=fonts(11, bold=True), zorder=5,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5, "alpha": 0.8},
    )  # fmt: skip
    if spec.baseline is not None and low <= spec.baseline <= high:
        ax.axhline(spec.baseline, color=MUTED, lw=1, ls=":", zorder=3)
        handles.append(Line2D([], [], color=MUTED, lw=1, ls=":"))
        names.append(spec.legend[1])
    _trend_points(ax, spec, fonts)
    if spec.start <= spec.as_of <= spec.end:
        as_of_line(ax, date2num(spec.as_of), spec.as_of_label, fonts)
        handles.append(Line2D([], [], color=MUTED, lw=1.2, ls="-."))
        names.append(spec.legend[4])
    ax.set_ylim(low, high)
    y_labels(
        ax, [t for t, _ in spec.y_ticks], [label for _, label in spec.y_ticks], fonts, grid=True
    )
    fig.text(  # the unit reads horizontally above the value axis (rotated Chinese reads badly)
        16 / WIDTH, 1 - 84 / 420, spec.y_label, ha="left", va="bottom", color=MUTED,
        fontproperties=fonts(11),
    )  # fmt: skip
    date_axis(ax, spec.start, spec.end, fonts, "")
    legend_row(fig, fonts, handles, names, 0.0)


def _zone(ax: Axes, band: tuple[float, float], view: tuple[float, float], alert: str) -> Any:
    """Shade the values of ``band`` (clipped to the view), hatched by level so the two zones
    differ in greyscale too; the legend key that shows it."""
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Patch

    color = ALERT_COLORS[alert]
    alpha = 0.08 if alert == "critical" else 0.18  # red reads stronger than amber
    # the tint and the hatch are two patches: a translucent fill would fade its hatch too
    hatch = {"hatch": ALERT_HATCHES[alert], "hatchcolor": to_rgba(color, 0.5), "lw": 0}
    span = (max(band[0], view[0]), min(band[1], view[1]))
    ax.axhspan(*span, facecolor=to_rgba(color, alpha), lw=0)
    ax.axhspan(*span, facecolor="none", **hatch)
    return Patch(facecolor=to_rgba(color, alpha * 1.8), **hatch)


def _trend_points(ax: Axes, spec: TrendSpec, fonts: Fonts) -> None:
    from matplotlib.dates import date2num

    if not spec.points:
        ax.text(
            0.5, 0.5, spec.empty_label, transform=ax.transAxes, ha="center", va="center",
            color=MUTED, fontproperties=fonts(14), zorder=8,
            bbox={"facecolor": "white", "edgecolor": GRID, "boxstyle": "round,pad=0.6"},
        )  # fmt: skip
        return
    xs = [date2num(p.day) for p in spec.points]
    ys = [p.value for p in spec.points]
    ax.plot(xs, ys, color=LINE, lw=2.2, zorder=4, solid_capstyle="round")
    for alert in ALERT_COLORS:  # one marker shape per alert level, not hue alone
        mine = [i for i, p in enumerate(spec.points) if p.alert == alert]
        if mine:
            ax.scatter([xs[i] for i in mine], [ys[i] for i in mine], s=96, zorder=6,
                       color=ALERT_COLORS[alert], marker=ALERT_MARKERS[alert],
                       edgecolors="white", linewidths=1)  # fmt: skip
    labelled = range(len(xs)) if len(xs) <= 12 else (0, len(xs) - 1)
    for i in labelled:
        ax.annotate(
            spec.points[i].label, (xs[i], ys[i]), xytext=(0, 9), textcoords="offset points",
            ha="center", va="bottom", fontproperties=fonts(11, bold=True), color=INK, zorder=7,
        )  # fmt: skip
