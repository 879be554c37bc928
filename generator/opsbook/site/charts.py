"""The site's charts: the plan of the charts (which charts there are, their files and text
alternatives, see :mod:`opsbook.charts.plan`) and their drawing. The charts package is
imported only when charts are drawn or planned."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import threading

    from opsbook.charts.plan import PlannedChart
    from opsbook.model import ScenarioState
    from opsbook.model.catalog import Catalog
    from opsbook.site.generate import SiteSettings
    from opsbook.support.cache import Cache

Files = dict[str, bytes]
Progress = Callable[[int, int], None]  # (done, total)
Spill = Callable[[str, bytes], None]  # takes a file's bytes elsewhere (disk), by its path


@dataclass
class ChartMemo:
    """The previous chart render, kept by a long-lived caller (``serve``) so unchanged charts
    come from memory instead of the cache."""

    last: Any = None


def chart_plan(catalog: Catalog, settings: SiteSettings) -> list[PlannedChart]:
    """What :func:`draw_charts` draws: every chart of the catalog, as data."""
    if not settings.charts:
        return []
    from opsbook.charts.plan import catalog_plan

    return catalog_plan(catalog, settings.lang)


def scenario_chart_plan(state: ScenarioState, settings: SiteSettings) -> list[PlannedChart]:
    """One scenario's charts (see :func:`chart_plan`)."""
    if not settings.charts:
        return []
    from opsbook.charts.plan import scenario_plan

    return scenario_plan(state, settings.lang)


def draw_charts(
    plan: Sequence[PlannedChart],
    settings: SiteSettings,
    cache: Cache,
    jobs: int | None,
    progress: Progress | None = None,
    memo: ChartMemo | None = None,
    spill: Spill | None = None,
    stop: threading.Event | None = None,
) -> Files:
    """The charts of :func:`chart_plan` (see ``opsbook.charts.render``), which need nothing
    else of the catalog; raises ``fonts.FontError`` with the exact fix when Chinese text
    meets no CJK font. ``spill``: takes each chart, none is returned. ``stop``: see
    ``render_charts``."""
    if not plan:
        return {}
    from opsbook.charts.plan import specs_of
    from opsbook.charts.render import render_specs
    from opsbook.support import fonts

    font = fonts.find_cjk_font(settings.font, lang=settings.lang)
    drawn = render_specs(
        specs_of(plan), lang=settings.lang, font=font, cache=cache, jobs=jobs, progress=progress,
        text_as_paths=settings.chart_text_as_paths, reuse=memo.last if memo else None,
        sink=spill, stop=stop,
    )  # fmt: skip
    if memo is not None:
        memo.last = drawn
    return dict(drawn.files)
