"""The printed review pack (``opsbook pack``): selection → content → charts → Typst → PDF.

Each stage is its own module; :func:`make_pack` runs them in order on a checked catalog and
returns the PDF as bytes. Only :func:`write_pdf` touches the disk, and it replaces the file in
one step, so a failed run never leaves half a PDF behind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from opsbook.model import Scenario
from opsbook.model.catalog import Catalog
from opsbook.pack.content import all_texts, build_content, printed_charts
from opsbook.pack.errors import PackError
from opsbook.pack.selection import Period, Selection, select
from opsbook.pack.since import Baseline, since_section
from opsbook.support import atomic
from opsbook.support.cache import Cache
from opsbook.support.fonts import FontChoice

if TYPE_CHECKING:
    from opsbook.charts.plan import PlannedChart

__all__ = ["Pack", "PackError", "PackOptions", "make_pack", "write_pdf"]


@dataclass(frozen=True)
class PackOptions:
    lang: str
    selection: Selection = field(default_factory=Selection)
    title: str | None = None
    period: Period | None = None
    font: str | None = None  # a family name or a font file; None: the first CJK font found
    charts: bool = True
    full: bool = False  # the full T1–T4, SOP and funnel as an appendix after the brief
    jobs: int | None = None
    progress: Callable[[int, int], None] | None = None  # (charts done, charts in all)


@dataclass(frozen=True)
class Pack:
    pdf: bytes
    scenarios: int
    timings: Mapping[str, float] = field(default_factory=dict)


def make_pack(
    catalog: Catalog,
    options: PackOptions,
    *,
    baseline: Callable[[Catalog, tuple[Scenario, ...]], Baseline] | None = None,
    cache: Cache | None = None,
) -> Pack:
    """The review pack of the selected scenarios of ``catalog``.

    ``baseline(catalog, selected)`` gives the other side of "since the last review" (omitted
    when None). Raises :class:`PackError` (selection, since) or ``fonts.FontError``.
    """
    from opsbook.pack.typeset import typeset
    from opsbook.support import fonts

    clock = _Clock()
    selected = select(catalog, options.selection)
    font = fonts.find_cjk_font(options.font, lang=options.lang)
    sub = Catalog.build(catalog.team, selected, catalog.as_of)
    since, previous = None, None
    if baseline is not None:
        last_review = baseline(catalog, selected)
        previous = last_review.catalog
        since = since_section(last_review, catalog, options.selection, options.lang)
    plan = _plan(sub, options.lang) if options.charts else []
    clock.lap("select")
    content = build_content(
        sub, selected, lang=options.lang, title=options.title, period=options.period,
        selection=options.selection, since=since, charts=plan, previous=previous,
        full=options.full,
    )  # fmt: skip
    check_coverage(all_texts(content), font, options.lang)
    clock.lap("content")
    charts = _draw(plan, printed_charts(content), options, font, cache)
    clock.lap("charts")
    pdf = typeset(content, charts, font=font)
    clock.lap("typeset")
    return Pack(pdf, len(selected), clock.laps)


def _plan(sub: Catalog, lang: str) -> list[PlannedChart]:
    from opsbook.charts.plan import catalog_plan

    return catalog_plan(sub, lang)


def _draw(
    plan: list[PlannedChart],
    printed: set[str],
    options: PackOptions,
    font: FontChoice,
    cache: Cache | None,
) -> dict[str, bytes]:
    """The charts the pack prints, from the cache the site shares where possible; the
    others of the plan are never drawn (the brief prints the core metrics' trends only).

    Text stays ``<text>`` (the site's default, so a built site leaves the pack warm): Typst
    sets it with the pack's own font, as real, searchable text. Outlines looked the same but
    weighed several times more and took half as long again to draw.
    """
    from opsbook.charts.plan import specs_of
    from opsbook.charts.render import render_specs

    if not printed:
        return {}
    render = render_specs(
        specs_of([chart for chart in plan if chart.path in printed]), lang=options.lang,
        font=font, cache=cache, jobs=options.jobs, progress=options.progress,
        text_as_paths=False,
    )  # fmt: skip
    return dict(render.files)


def check_coverage(texts: list[str], font: FontChoice, lang: str) -> None:
    """Typst prints boxes for missing glyphs without a word: prove the font has them all.

    The set of distinct characters is checked first (one pass over the font); only when
    something is missing are the texts checked one by one, for a message that quotes one.
    """
    from opsbook.support import fonts

    characters = "".join(sorted(set("".join(texts))))
    if fonts.missing_glyphs(characters, font):
        fonts.require_glyphs(texts, font, lang=lang)


def write_pdf(path: Path, pdf: bytes) -> None:
    """Replace ``path`` with ``pdf`` in one step (a temporary file beside it, then rename)."""
    try:
        atomic.write_file(path, pdf)
    except OSError as error:
        raise PackError("write", path=str(path), reason=error.strerror or str(error)) from None


class _Clock:
    """Seconds spent per stage, for ``--verbose`` and the benchmark."""

    def __init__(self) -> None:
        import time

        self._now = time.perf_counter
        self._last = self._now()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = self._now()
        self.laps[name] = now - self._last
        self._last = now
