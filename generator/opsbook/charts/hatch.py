"""Hatch patterns as matplotlib draws them, in the smallest tile that repeats them.

matplotlib fills a hatched shape with a 72-pixel tile holding every line or dot of the
tile (``matplotlib.hatch.get_path(hatch, density=6)``): the ``..`` dots alone are ~38 KB of
path data. Its diagonal lines and dot rows repeat every few pixels, so for those hatches a
tile of one period (6 × 12 pixels for ``..``) draws the very same lines and dots at the
very same places: the tile's lattice is matplotlib's, both anchored at the origin. Other
hatches keep matplotlib's 72-pixel tile.
"""

from __future__ import annotations

import functools
import math

HATCH_SIZE = 72  # matplotlib's tile, in pixels
_DENSITY = 6  # matplotlib's lines per tile for each repeat of a hatch character
_TILED = set("/\\xX.")  # what one small tile can draw; anything else: matplotlib's tile


@functools.cache  # a handful of hatches, asked for by every chart
def hatch_tile(hatch: str) -> tuple[int, int, str]:
    """(width, height, path data) of the tile of ``hatch``."""
    rising = (hatch.count("/") + hatch.count("x") + hatch.count("X")) * _DENSITY
    falling = (hatch.count("\\") + hatch.count("x") + hatch.count("X")) * _DENSITY
    dots = hatch.count(".") * _DENSITY
    # a line family of n lines spans two tiles' diagonal: its lines are 2·72/n apart
    periods = [2 * HATCH_SIZE / n for n in (rising, falling) if n]
    widths = [*periods, *([HATCH_SIZE / dots] if dots else [])]
    heights = [*periods, *([2 * HATCH_SIZE / dots] if dots else [])]
    if set(hatch) - _TILED or not widths or not all(_divides(p) for p in widths + heights):
        return HATCH_SIZE, HATCH_SIZE, _matplotlib_tile(hatch)
    width, height = math.lcm(*map(int, widths)), math.lcm(*map(int, heights))
    parts = []
    if rising:
        parts.append(_rising_lines(width, height, int(2 * HATCH_SIZE / rising)))
    if falling:
        parts.append(_falling_lines(width, height, int(2 * HATCH_SIZE / falling)))
    if dots:
        parts.append(_dots(width, height, HATCH_SIZE // dots))
    return width, height, "".join(parts)


def _divides(period: float) -> bool:
    return period.is_integer() and HATCH_SIZE % int(period) == 0


def _rising_lines(width: int, height: int, period: int) -> str:
    """Lines ``x + y = c`` (up to the right, y growing downwards), ``c`` a multiple of
    ``period``, across the tile and a pixel beyond it (no gap at its edges)."""
    return "".join(
        f"M{c - height - 1} {height + 1}L{c + 1}-1" for c in range(0, width + height + 1, period)
    )


def _falling_lines(width: int, height: int, period: int) -> str:
    """Lines ``x - y = k``, ``k`` a multiple of ``period``."""
    return "".join(
        f"M{k - 1}-1L{k + height + 1} {height + 1}" for k in range(-height, width + 1, period)
    )


def _dots(width: int, height: int, step: int) -> str:
    """matplotlib's small filled circles: rows ``step`` apart, every other row shifted by
    half a step, radius a tenth of a step."""
    radius = step / 10
    centres = [
        (x + (step / 2 if row % 2 else 0), row * step)
        for row in range(height // step + 1)
        for x in range(0, width + 1, step)
    ]
    r, d = _short(radius), _short(2 * radius)
    return "".join(
        f"M{_short(x - radius)} {_short(y)}a{r} {r} 0 1 0 {d} 0a{r} {r} 0 1 0-{d} 0"
        for x, y in centres
        if x <= width
    )


def _short(value: float) -> str:
    from opsbook.charts.canvas import num  # the canvas imports this module

    return num(value, 2)


def _matplotlib_tile(hatch: str) -> str:
    from matplotlib.hatch import get_path

    from opsbook.charts.canvas import path_data  # the canvas imports this module

    path = get_path(hatch, _DENSITY)
    points = [(float(x) * HATCH_SIZE, HATCH_SIZE - float(y) * HATCH_SIZE) for x, y in path.vertices]
    return path_data(points, [int(c) for c in path.codes])
