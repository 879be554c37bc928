"""Specs drawn to SVG bytes (see :mod:`opsbook.charts.render` for the cache and the worker
processes): a scenario's charts (trends, targets, timeline, funnel), thousands of them,
written straight to SVG on a :class:`~opsbook.charts.canvas.Canvas`; the few others (the
dashboard's, attainment by cycle) with matplotlib.

Output is deterministic: matplotlib's defaults (not the user's matplotlibrc), fixed figure
sizes and axes positions, fixed ``svg.hashsalt``, no date in the metadata. User text is never
parsed as mathtext (``text.parse_math`` off): ``$x_1$`` in a metric name is drawn as typed.
Text is drawn as ``<text>`` naming the font, or as outlines (the SVG then looks the same
without the font).
"""

from __future__ import annotations

import functools
import importlib
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from opsbook.charts.canvas import Faces
from opsbook.charts.cycles import draw_cycles
from opsbook.charts.funnel import draw_funnel
from opsbook.charts.plan import scenario_specs
from opsbook.charts.portfolio import draw_alerts, draw_groups
from opsbook.charts.specs import (
    AlertsSpec,
    ChartSpec,
    CyclesSpec,
    FunnelSpec,
    GroupSpec,
    TargetsSpec,
    TimelineSpec,
    TrendSpec,
    spec_texts,
)
from opsbook.charts.style import GRID, MUTED, Fonts
from opsbook.charts.svgmin import compact_svg
from opsbook.charts.targets import draw_targets
from opsbook.charts.timeline import draw_timeline
from opsbook.charts.trend import draw_trend
from opsbook.support.fonts import require_glyphs

if TYPE_CHECKING:
    from opsbook.model import ScenarioState
    from opsbook.support.fonts import FontChoice

_RC: Mapping[str, Any] = {
    "svg.fonttype": "path",
    "svg.hashsalt": "opsbook",
    "text.parse_math": False,
    "text.usetex": False,
    "axes.unicode_minus": False,
    "path.simplify": True,
    "font.size": 12,
    "axes.edgecolor": GRID,
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.major.size": 0,
    "ytick.major.size": 0,
    "axes.grid": False,
    "hatch.linewidth": 0.8,
}


# kinds drawn on a Canvas: spec, faces → SVG bytes
_DIRECT: Mapping[type, Callable[[Any, Faces], bytes]] = {
    TrendSpec: draw_trend,
    TimelineSpec: draw_timeline,
    TargetsSpec: draw_targets,
    FunnelSpec: draw_funnel,
}
# kinds drawn with matplotlib: figure, spec, fonts
_DRAW: Mapping[type, Callable[[Any, Any, Fonts], None]] = {
    GroupSpec: draw_groups,
    AlertsSpec: draw_alerts,
    CyclesSpec: draw_cycles,
}


def drawn_on_canvas(spec: ChartSpec) -> bool:
    """Whether the spec's kind is written straight to SVG (already compact: no
    :func:`~opsbook.charts.svgmin.compact_svg` pass) rather than drawn with matplotlib."""
    return type(spec) in _DIRECT


@functools.lru_cache(maxsize=2)
def _faces(font: FontChoice, text_as_paths: bool) -> Faces:
    """The font's faces, kept for the process: the dates, percentages and labels that most
    charts share are measured once per worker, not once per batch (FreeType's layout of a
    text is ~0.3 ms). The same CSS font list as matplotlib's charts name."""
    return Faces(font, text_as_paths=text_as_paths, fallbacks=_CSS_FALLBACK)


def draw_batch(
    specs: Sequence[ChartSpec], font: FontChoice, text_as_paths: bool = True
) -> list[bytes]:
    """Draw specs to SVG bytes, in order: each kind on a canvas or with matplotlib."""
    faces = _faces(font, text_as_paths)
    direct = {i: _DIRECT[type(spec)](spec, faces) for i, spec in enumerate(specs)
              if type(spec) in _DIRECT}  # fmt: skip
    rest = [spec for spec in specs if type(spec) not in _DIRECT]
    drawn = iter(_draw_with_matplotlib(rest, font, text_as_paths) if rest else [])
    return [direct[i] if i in direct else next(drawn) for i in range(len(specs))]


def _draw_with_matplotlib(
    specs: Sequence[ChartSpec], font: FontChoice, text_as_paths: bool
) -> list[bytes]:
    """Draw specs to SVG bytes with matplotlib's defaults (never the user's matplotlibrc)
    plus ours, inside a context: no global setting is changed."""
    import matplotlib.style
    from matplotlib.figure import Figure

    from opsbook.charts.svgcanvas import MeasuringCanvas, TextSizes

    out = []
    with matplotlib.style.context(["default", _rc(font, text_as_paths)], after_reset=True):
        sizes = TextSizes()  # a tick label or legend entry is measured once per batch
        fonts = Fonts(font, sizes)
        for spec in specs:
            # a new figure: clearing a used one first clears its axes, which costs more
            fig = Figure(dpi=72)
            MeasuringCanvas(fig, sizes)
            _DRAW[type(spec)](fig, spec, fonts)
            buffer = io.BytesIO()
            fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
            out.append(compact_svg(buffer.getvalue()))  # the same picture in fewer bytes
    return out


def _rc(font: FontChoice, text_as_paths: bool) -> dict[str, Any]:
    """Our settings; with text as ``<text>`` elements, the CSS font list the SVG names
    (the chosen family first, then the usual Chinese system fonts)."""
    if text_as_paths:
        return dict(_RC)
    families = list(dict.fromkeys([font.family, *_CSS_FALLBACK]))
    return {**_RC, "svg.fonttype": "none", "font.family": "sans-serif", "font.sans-serif": families}


_CSS_FALLBACK = ("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei")


def prepare_drawing_here() -> None:
    """Import what drawing in this process needs (matplotlib: half a second). ``serve``
    draws its charts in worker processes, then an edited scenario's charts in its own:
    done ahead, in the background, the first edit does not wait for it."""
    modules = (
        "matplotlib.figure",
        "matplotlib.style",
        "matplotlib.textpath",
        "opsbook.charts.svgcanvas",
    )
    for module in modules:
        importlib.import_module(module)


def check_fonts(specs: Iterable[ChartSpec], font: FontChoice, lang: str) -> None:
    """Refuse a font that would draw boxes (raises :class:`opsbook.support.fonts.FontError`)."""
    require_glyphs((t for spec in specs for t in spec_texts(spec)), font, lang=lang)


def scenario_charts(
    state: ScenarioState, *, lang: str, font: FontChoice, text_as_paths: bool = True
) -> dict[str, bytes]:
    """Every chart of one scenario: ``{"charts/<id>/<name>.svg": svg bytes}``."""
    return _draw_now(scenario_specs(state, lang), lang, font, text_as_paths)


def _draw_now(
    specs: Sequence[ChartSpec], lang: str, font: FontChoice, text_as_paths: bool
) -> dict[str, bytes]:
    check_fonts(specs, font, lang)
    drawn = draw_batch(specs, font, text_as_paths)
    return {spec.path: svg for spec, svg in zip(specs, drawn, strict=True)}
