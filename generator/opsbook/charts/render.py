"""Charts drawn for a catalog: from the cache when their spec is unchanged, else in worker
processes (see :mod:`opsbook.charts.pool`), with what it cost.

Use::

    font = fonts.find_cjk_font(settings.font, lang=lang)     # FontError: the exact fix
    result = render_charts(catalog, lang=lang, font=font, cache=Cache(default_cache_dir()))
    # result.files: {chart.path: svg bytes} for every chart of catalog_plan(catalog, lang)

:func:`opsbook.charts.draw.scenario_charts` draws one scenario's charts in this process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict, Unpack

from opsbook.charts.draw import check_fonts
from opsbook.charts.plan import catalog_specs
from opsbook.charts.pool import draw_missing
from opsbook.charts.specs import ChartSpec
from opsbook.support.cache import Cache, content_key
from opsbook.support.fonts import FontChoice

if TYPE_CHECKING:
    from opsbook.model.catalog import Catalog

CHART_CODE_VERSION = "15"  # bump when a change in this module changes the drawn bytes
CACHE_NAMESPACE = "charts"


def _key_maker(lang: str, font: FontChoice, text_as_paths: bool) -> Callable[[ChartSpec], str]:
    """Keys for many specs, sharing the part that does not depend on the spec.

    A spec's ``repr`` is a complete, stable serialisation (frozen dataclasses of strings,
    numbers, dates and tuples: no sets, no addresses) and ten times cheaper than JSON of
    ``asdict``: a warm build of 1,000 scenarios computes 5,000 keys.
    """
    import matplotlib  # lazy: only rendering needs matplotlib loaded

    mode = "paths" if text_as_paths else "text"
    common = (CHART_CODE_VERSION, matplotlib.__version__, lang, _font_identity(font), mode)
    prefix = content_key(CACHE_NAMESPACE, *common)
    return lambda spec: content_key(prefix, repr(spec))


def _font_identity(font: FontChoice) -> str:
    parts = [font.family]
    for path, index in ((font.regular, font.regular_index), (font.bold, font.bold_index)):
        if path is not None:
            stat = path.stat()
            parts.append(f"{path}#{index}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


@dataclass(frozen=True)
class RenderStats:
    charts: int  # charts returned
    rendered: int  # charts drawn in this call (the rest came from the cache)
    workers: int  # worker processes used (0: drawn in this process)
    seconds: float
    rendered_paths: tuple[str, ...] = ()  # which charts were drawn, in catalog order


@dataclass(frozen=True)
class ChartRender:
    files: dict[str, bytes]
    stats: RenderStats = field(default_factory=lambda: RenderStats(0, 0, 0, 0.0))
    keys: Mapping[str, str] = field(default_factory=dict)  # path → cache key of its content

    def known(self) -> dict[str, bytes]:
        """Cache key → SVG, for ``render_charts(reuse=...)``."""
        return {key: self.files[path] for path, key in self.keys.items() if path in self.files}


class RenderOptions(TypedDict, total=False):
    """How :func:`render_charts` and :func:`render_specs` draw (see the former)."""

    cache: Cache | None
    jobs: int | None
    progress: Callable[[int, int], None] | None
    text_as_paths: bool
    reuse: ChartRender | None
    sink: Callable[[str, bytes], None] | None
    stop: threading.Event | None


def render_charts(
    catalog: Catalog, *, lang: str, font: FontChoice, **options: Unpack[RenderOptions]
) -> ChartRender:
    """Every chart of the catalog, with what it cost.

    Charts found in ``cache`` are not drawn again (a warm build draws nothing); the others
    are drawn in ``jobs`` worker processes (default: one per core; 1 draws in this process)
    and stored. ``progress(done, total)`` is called as charts are finished.

    ``text_as_paths`` (default) draws every glyph as an outline: the SVG looks the same
    everywhere, without the font, but weighs ~45 KB. ``False`` writes ``<text>`` elements
    naming the font (CSS fallbacks: the usual Chinese system fonts): ~4 KB, selectable
    text, drawn by the reader's fonts (browsers; Typst with the pack's fonts).

    ``reuse`` is the previous result (``mkdocs serve`` after an edit): its charts whose key
    is unchanged are taken from memory without reading the cache.

    ``sink(path, svg)``: takes each chart instead of the result (whose ``files`` is then
    empty), as soon as it is drawn or read; charts are then never all in memory (at 5,000
    scenarios, 25,000 charts weigh 90 MB).

    ``stop``: once set (by the caller, from another thread), the charts not yet drawn are
    dropped and ``concurrent.futures.CancelledError`` is raised.
    """
    return render_specs(catalog_specs(catalog, lang), lang=lang, font=font, **options)


def render_specs(
    specs: Sequence[ChartSpec],
    *,
    lang: str,
    font: FontChoice,
    cache: Cache | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    text_as_paths: bool = True,
    reuse: ChartRender | None = None,
    sink: Callable[[str, bytes], None] | None = None,
    stop: threading.Event | None = None,
) -> ChartRender:
    """:func:`render_charts` of specs made beforehand (:func:`catalog_specs`): drawing
    them needs nothing else of the catalog, which a caller may then let go."""
    started = time.perf_counter()
    keys = list(map(_key_maker(lang, font, text_as_paths), specs))
    cache = cache or Cache.disabled()
    if sink is not None:
        charts = list(zip(keys, specs, strict=True))
        return _render_to_sink(
            charts, lang, (font, text_as_paths), cache, jobs, progress, sink, stop
        )
    found = reuse.known() if reuse is not None else {}
    found.update(cache.get_many(CACHE_NAMESPACE, [key for key in keys if key not in found]))
    missing = [(key, spec) for key, spec in zip(keys, specs, strict=True) if key not in found]
    check_fonts((spec for _, spec in missing), font, lang)
    report = progress or (lambda done, total: None)
    report(len(specs) - len(missing), len(specs))
    drawn, workers = draw_missing(
        missing, (font, text_as_paths), jobs, len(specs), report, stop=stop
    )
    cache.put_many(CACHE_NAMESPACE, drawn)
    files = {spec.path: found.get(key) or drawn[key] for key, spec in zip(keys, specs, strict=True)}
    redrawn = tuple(spec.path for key, spec in zip(keys, specs, strict=True) if key in drawn)
    stats = RenderStats(len(files), len(drawn), workers, time.perf_counter() - started, redrawn)
    return ChartRender(
        files, stats, {spec.path: key for key, spec in zip(keys, specs, strict=True)}
    )


_SEND_BATCH = 500  # charts stored or read from the cache in one query for a sink
Sink = Callable[[str, bytes], None]


def _render_to_sink(
    charts: list[tuple[str, ChartSpec]],
    lang: str,
    style: tuple[FontChoice, bool],
    cache: Cache,
    jobs: int | None,
    progress: Callable[[int, int], None] | None,
    sink: Sink,
    stop: threading.Event | None = None,
) -> ChartRender:
    """:func:`render_charts` with a sink: drawn charts stored and handed over a few hundred
    at a time, cached ones read a few hundred at a time."""
    started = time.perf_counter()
    present = cache.present(CACHE_NAMESPACE, [key for key, _ in charts])
    missing = [(key, spec) for key, spec in charts if key not in present]
    check_fonts((spec for _, spec in missing), style[0], lang)
    report = progress or (lambda done, total: None)
    report(len(charts) - len(missing), len(charts))
    paths = {key: spec.path for key, spec in missing}
    pending: dict[str, bytes] = {}

    def deliver(drawn: dict[str, bytes]) -> None:
        pending.update(drawn)
        if len(pending) >= _SEND_BATCH or not drawn:
            cache.put_many(CACHE_NAMESPACE, pending)
            for key, svg in pending.items():
                sink(paths[key], svg)
            pending.clear()

    _, workers = draw_missing(missing, style, jobs, len(charts), report, deliver, stop)
    deliver({})  # the last few
    _send_stored([(key, spec) for key, spec in charts if key in present], cache, sink)
    redrawn = tuple(paths.values())
    stats = RenderStats(len(charts), len(missing), workers, time.perf_counter() - started, redrawn)
    return ChartRender({}, stats, {spec.path: key for key, spec in charts})


def _send_stored(stored: list[tuple[str, ChartSpec]], cache: Cache, sink: Sink) -> None:
    for start in range(0, len(stored), _SEND_BATCH):
        batch = stored[start : start + _SEND_BATCH]
        svgs = cache.get_many(CACHE_NAMESPACE, [key for key, _ in batch])
        for key, spec in batch:
            sink(spec.path, svgs[key])
