"""What every chart shares: sizes, colours, fonts, the header, fixed axes, tick labels,
the legend row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    from opsbook.charts.svgcanvas import TextSizes
    from opsbook.support.fonts import FontChoice

PX = 1 / 72  # SVG user units are points: 800 pt wide gives an 800-unit viewBox
WIDTH = 800

# Okabe–Ito colours (safe for colour-blind readers), the same meaning as on the site.
ALERT_COLORS: Mapping[str, str] = {
    "ok": "#009E73", "warning": "#E69F00", "critical": "#D55E00", "no-data": "#9E9E9E",
}  # fmt: skip
STATUS_COLORS: Mapping[str, str] = {
    "done": "#009E73", "in-progress": "#0072B2", "not-started": "#9E9E9E",
    "delayed": "#D55E00", "overdue": "#D55E00",
}  # fmt: skip
# Hue alone is lost in greyscale print and to some readers: every status also has its own
# hatch (bars, bands) and marker (dots), drawn in white over the colour. Solid means "fine".
ALERT_HATCHES: Mapping[str, str] = {"ok": "", "warning": "//", "critical": "xx", "no-data": ".."}
ALERT_MARKERS: Mapping[str, str] = {"ok": "o", "warning": "^", "critical": "X", "no-data": "s"}
STATUS_HATCHES: Mapping[str, str] = {
    "done": "", "in-progress": "//", "not-started": "..", "delayed": "xx", "overdue": "xx",
}  # fmt: skip
STATUS_MARKERS: Mapping[str, str] = {
    "done": "D", "in-progress": "p", "not-started": "o", "delayed": "X", "overdue": "X",
}  # fmt: skip
HATCH_INK = "#FFFFFF"
INK = "#212121"
MUTED = "#616161"
GRID = "#E0E0E0"
LINE = "#0072B2"


class Fonts:
    """FontProperties for the chosen font (the right face of a .ttc), by size and weight."""

    def __init__(self, font: FontChoice, sizes: TextSizes) -> None:
        from matplotlib.font_manager import FontPath, FontProperties
        from matplotlib.textpath import TextToPath

        self._props = FontProperties
        self._measure = TextToPath()
        self._sizes = sizes
        self._regular = FontPath(str(font.regular), font.regular_index)
        self._bold = FontPath(str(font.bold), font.bold_index) if font.bold else self._regular

    def __call__(self, size: float = 12, *, bold: bool = False) -> FontProperties:
        # the weight only matters for <text> output (CSS font-weight); the file decides glyphs
        face = self._bold if bold else self._regular
        return self._props(fname=face, size=size, weight="bold" if bold else "normal")

    def text_width(self, text: str, prop: FontProperties) -> float:
        """Width of ``text`` in pixels (points: the SVG unit) as it will be drawn."""
        measure = self._measure.get_text_width_height_descent
        width, _, _ = self._sizes.get(text, prop, False, measure)
        return float(width)


def header(fig: Figure, fonts: Fonts, height: float, title: str, subtitle: str) -> None:
    """Title and subtitle, left-aligned at fixed pixel offsets from the top."""
    fig.text(
        16 / WIDTH, 1 - 14 / height, title, fontproperties=fonts(16, bold=True),
        color=INK, va="top",
    )  # fmt: skip
    if subtitle:
        fig.text(
            16 / WIDTH, 1 - 40 / height, subtitle, fontproperties=fonts(12),
            color=MUTED, va="top",
        )  # fmt: skip


def fixed_axes(
    fig: Figure, height: float, left: float, right: float, top: float, bottom: float
) -> Axes:
    """Axes at a fixed pixel box: the same layout every time, no layout engine needed.

    Plain axes: no tick objects (``x_labels`` and ``y_labels`` write the labels), ~10% less
    CPU a chart."""
    from opsbook.charts.plainaxes import PlainAxes

    box = (left / WIDTH, bottom / height, 1 - (left + right) / WIDTH, 1 - (top + bottom) / height)
    return fig.add_axes(box, axes_class=PlainAxes)


def chart_axes(
    fig: Figure, fonts: Fonts, height: float, title: str, subtitle: str, **margins: float
) -> Axes:
    """The figure sized ``height`` pixels, its title and subtitle, and the axes inside the
    ``margins`` (``left``, ``right``, ``top``, ``bottom``, in pixels): every chart starts so."""
    fig.set_size_inches(WIDTH * PX, height * PX)
    header(fig, fonts, height, title, subtitle)
    return fixed_axes(fig, height, **margins)


def x_labels(
    ax: Axes, ticks: Sequence[float], labels: Sequence[str], fonts: Fonts, *, grid: bool = False,
    title: str = "",
) -> None:  # fmt: skip
    """Labels under the x axis (and grid lines), drawn as plain text and one line collection.

    matplotlib's own ticks build five artists per tick; dropping them for our fixed ticks
    measured ~10% less CPU a chart. ``title`` is the axis title, below the labels.
    """
    from matplotlib.ticker import NullLocator
    from matplotlib.transforms import offset_copy

    ax.xaxis.set_major_locator(NullLocator())
    below = offset_copy(ax.get_xaxis_transform(), fig=ax.figure, y=-5, units="points")
    for tick, label in zip(ticks, labels, strict=True):
        ax.text(tick, 0, label, transform=below, ha="center", va="top", color=MUTED,
                fontproperties=fonts(11))  # fmt: skip
    if grid:
        ax.vlines(ticks, 0, 1, transform=ax.get_xaxis_transform(), colors=GRID, lw=0.6, zorder=0.5)
    if title:
        under = offset_copy(ax.transAxes, fig=ax.figure, y=-22, units="points")
        ax.text(0.5, 0, title, transform=under, ha="center", va="top", color=MUTED,
                fontproperties=fonts(11))  # fmt: skip


def y_labels(
    ax: Axes, ticks: Sequence[float], labels: Sequence[str], fonts: Fonts, *, grid: bool = False,
    size: float = 11, color: str = MUTED,
) -> None:  # fmt: skip
    """Labels left of the y axis (and grid lines), as :func:`x_labels` draws them."""
    from matplotlib.ticker import NullLocator
    from matplotlib.transforms import offset_copy

    ax.yaxis.set_major_locator(NullLocator())
    left = offset_copy(ax.get_yaxis_transform(), fig=ax.figure, x=-6, units="points")
    for tick, label in zip(ticks, labels, strict=True):
        ax.text(0, tick, label, transform=left, ha="right", va="center", color=color,
                fontproperties=fonts(size), linespacing=1.35)  # fmt: skip
    if grid:
        ax.hlines(ticks, 0, 1, transform=ax.get_yaxis_transform(), colors=GRID, lw=0.6, zorder=0.5)


def date_ticks(start: dt.date, end: dt.date) -> list[dt.date]:
    """Ticks every day, week or month-ish, always including the first and last day."""
    days = (end - start).days
    step = 1 if days <= 10 else 7 if days <= 70 else max(7, round(days / 8 / 7) * 7)
    ticks = [start + dt.timedelta(days=i) for i in range(0, days + 1, step)]
    if (end - ticks[-1]).days >= max(2, step // 2):
        ticks.append(end)
    return ticks


_KEY, _KEY_GAP, _ITEM_GAP, _LEGEND_Y = 22.0, 6.0, 20.0, 16.0  # pixels


def legend_row(fig: Figure, fonts: Fonts, handles: list[Any], labels: list[str], y: float) -> None:
    """One centred row of keys and labels, ``y`` pixels above the bottom edge.

    Laid out by hand from measured text widths: matplotlib's legend machinery measured
    2–3 ms a chart more here.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    width, height = fig.get_size_inches() * 72
    prop = fonts(11)
    widths = [fonts.text_width(label, prop) for label in labels]
    total = sum(_KEY + _KEY_GAP + w for w in widths) + _ITEM_GAP * (len(labels) - 1)
    x, row = (width - total) / 2, _LEGEND_Y + y
    for handle, label, text_width in zip(handles, labels, widths, strict=True):
        if isinstance(handle, Line2D):
            marker = handle.get_marker() not in ("None", None, "")
            xs = [x + _KEY / 2] if marker else [x, x + _KEY]
            handle.set_data([v / width for v in xs], [row / height] * len(xs))
            handle.set_transform(fig.transFigure)
            fig.add_artist(handle)
        else:
            fig.add_artist(
                Rectangle(
                    (x / width, (row - 6) / height), _KEY / width, 12 / height,
                    transform=fig.transFigure, facecolor=handle.get_facecolor(), lw=0,
                    hatch=handle.get_hatch(), hatchcolor=handle.get_hatchcolor(),
                )
            )  # fmt: skip
        fig.text(
            (x + _KEY + _KEY_GAP) / width, row / height, label, ha="left", va="center_baseline",
            color=INK, fontproperties=prop,
        )  # fmt: skip
        x += _KEY + _KEY_GAP + text_width + _ITEM_GAP


def key_patch(color: str, hatch: str) -> Any:
    """A legend key for a filled status: its colour and its hatch."""
    from matplotlib.patches import Patch

    return Patch(facecolor=color, hatch=hatch or None, hatchcolor=HATCH_INK, lw=0)


def percent_axes(ax: Axes, x_max: float, rows: Sequence[str], x_label: str, fonts: Fonts) -> None:
    """An achievement axis (0 to ``x_max`` %, the 100% target line) with one row per label."""
    ax.axvline(100, color=INK, lw=1.4, ls="--", zorder=3)
    ax.set_xlim(0, x_max)
    ax.set_ylim(max(len(rows), 1) - 0.5, -0.5)
    ticks = list(range(0, int(x_max) + 1, 25))
    x_labels(ax, ticks, [f"{t}%" for t in ticks], fonts, grid=True, title=x_label)
    y_labels(ax, range(len(rows)), rows, fonts, size=12, color=INK)
