"""Benchmark chart rendering: cold on one and two processes, then warm from the cache.

    python bench/bench_charts.py                      # 10 and 100 scenarios
    python bench/bench_charts.py 10 100 1000
    python bench/bench_charts.py --no-single 1000     # skip the one-process run
    python bench/bench_charts.py --text 100           # <text> elements instead of paths
    python bench/bench_charts.py --kinds 200          # CPU ms per chart of each kind

For each size it generates a corpus (``bench/generate.py``: shipped scenarios with new ids
and moved numbers), loads it with ``load_catalog`` (not timed), then times
``render_charts`` in this process:

- ``cold, 1 process``: empty cache, every chart drawn here;
- ``cold, N processes``: empty cache, drawn by one worker process per core;
- ``warm``: the cache filled by the previous run; nothing is drawn, bytes are read back.

With ``--kinds`` it draws each kind's charts in one batch in this process instead and
prints the CPU milliseconds a chart of that kind took (process time) and its mean size.

It prints one row per run: scenarios, charts, charts drawn, wall-clock seconds, charts/s,
and the CPU seconds spent (this process plus its finished workers) with the CPU milliseconds
per drawn chart: on a shared machine the wall clock measures the neighbours too, the CPU
time much less so.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate, take_profile
from opsbook.charts.render import ChartRender, RenderStats, render_charts
from opsbook.model.catalog import load_catalog
from opsbook.support.cache import Cache
from opsbook.support.fonts import find_cjk_font

AS_OF = dt.date(2026, 6, 22)
LANG = "zh-CN"


def _cpu() -> float:
    """CPU seconds of this process and of its children that have exited (the workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _row(count: int, label: str, stats: RenderStats, cpu: float) -> str:
    rate = stats.charts / stats.seconds if stats.seconds else float("inf")
    per_chart = f"{cpu / stats.rendered * 1000:>8.1f}" if stats.rendered else f"{'-':>8}"
    return (
        f"{count:>9}  {label:<20}  {stats.charts:>6}  {stats.rendered:>6}  "
        f"{stats.seconds:>8.2f}s  {rate:>9.1f}  {cpu:>7.1f}s  {per_chart}"
    )


def _timed(count: int, label: str, run: Callable[[], ChartRender]) -> tuple[ChartRender, str]:
    before = _cpu()
    result = run()
    return result, _row(count, label, result.stats, _cpu() - before)


def measure(count: int, workdir: Path, jobs: int, options: Options) -> list[str]:
    scenarios = generate(count, workdir / f"corpus-{count}", options.profile)
    catalog, result = load_catalog([scenarios], as_of=AS_OF)
    if catalog is None:
        raise SystemExit(f"the generated corpus does not check: {result}")
    font = find_cjk_font()
    cache = Cache(workdir / f"cache-{count}-{options.text_as_paths}")

    def render(jobs: int, cache: Cache | None) -> ChartRender:
        return render_charts(
            catalog, lang=LANG, font=font, cache=cache, jobs=jobs,
            text_as_paths=options.text_as_paths,
        )  # fmt: skip

    rows, results = [], []
    if options.single:
        one, row = _timed(count, "cold, 1 process", lambda: render(1, None))
        rows.append(row)
        results.append(one)
    for label in (f"cold, {jobs} processes", "warm (cached)"):
        result, row = _timed(count, label, lambda: render(jobs, cache))
        rows.append(row)
        results.append(result)
    assert all(r.files == results[0].files for r in results), "bytes differ between runs"
    files = results[0].files
    size = sum(len(svg) for svg in files.values()) / len(files) / 1000
    mode = "text as paths" if options.text_as_paths else "text elements"
    return [*rows, f"{'':>9}  mean SVG size ({mode}): {size:.1f} KB"]


def measure_kinds(count: int, workdir: Path, options: Options) -> list[str]:
    """CPU milliseconds and kilobytes per chart, kind by kind (one batch each, this process)."""
    import collections
    import time

    from opsbook.charts.draw import draw_batch
    from opsbook.charts.plan import catalog_plan

    scenarios = generate(count, workdir / f"corpus-{count}", options.profile)
    catalog, result = load_catalog([scenarios], as_of=AS_OF)
    if catalog is None:
        raise SystemExit(f"the generated corpus does not check: {result}")
    font = find_cjk_font()
    kinds: dict[str, list] = collections.defaultdict(list)
    for chart in catalog_plan(catalog, LANG):
        kinds[chart.kind].append(chart.spec)
    draw_batch(kinds["trend"][:1], font, options.text_as_paths)  # imports, not timed
    rows = []
    for kind, specs in sorted(kinds.items()):
        started = time.process_time()
        svgs = draw_batch(specs, font, options.text_as_paths)
        per_chart = (time.process_time() - started) / len(specs) * 1000
        size = sum(map(len, svgs)) / len(svgs) / 1000
        rows.append(f"{count:>9}  {kind:<24}  {len(specs):>6}  {per_chart:>8.1f}  {size:>8.1f}")
    return rows


@dataclass(frozen=True)
class Options:
    single: bool = True  # also time one process (slow at 1,000 scenarios)
    text_as_paths: bool = True
    profile: str = "shipped"
    kinds: bool = False  # CPU per chart of each kind instead of the runs


def main(argv: list[str]) -> int:
    profile, argv = take_profile(argv)
    flags = {a for a in argv if a.startswith("--")}
    if flags - {"--no-single", "--text", "--kinds"} or not all(
        a.isdigit() for a in argv if a not in flags
    ):
        print(
            "usage: python bench/bench_charts.py [--no-single] [--text] [--kinds] [--profile P]"
            " [N ...]",
            file=sys.stderr,
        )
        return 2
    options = Options(
        single="--no-single" not in flags, text_as_paths="--text" not in flags, profile=profile,
        kinds="--kinds" in flags,
    )  # fmt: skip
    sizes = [int(a) for a in argv if a not in flags] or [10, 100]
    jobs = os.cpu_count() or 1
    print(f"cores: {jobs}  python: {sys.version.split()[0]}")
    if options.kinds:
        print(f"{'scenarios':>9}  {'kind':<24}  {'charts':>6}  {'cpu ms':>8}  {'KB':>8}")
        with tempfile.TemporaryDirectory() as temp:
            for count in sizes:
                print("\n".join(measure_kinds(count, Path(temp), options)), flush=True)
        return 0
    print(
        f"{'scenarios':>9}  {'run':<20}  {'charts':>6}  {'drawn':>6}  {'seconds':>9}  "
        f"{'charts/s':>9}  {'cpu':>8}  {'cpu ms/chart':>12}"
    )
    with tempfile.TemporaryDirectory() as temp:
        for count in sizes:
            for row in measure(count, Path(temp), jobs, options):
                print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
