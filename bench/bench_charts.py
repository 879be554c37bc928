"""Benchmark chart rendering: cold on one and two processes, then warm from the cache.

    python bench/bench_charts.py            # 10 and 100 scenarios
    python bench/bench_charts.py 10 100 1000

For each size it generates a corpus (``bench/generate.py``: shipped scenarios with new ids
and moved numbers), loads it with ``load_catalog`` (not timed), then times
``render_charts`` in this process:

- ``cold, 1 process``: empty cache, every chart drawn here;
- ``cold, N processes``: empty cache, drawn by one worker process per core;
- ``warm``: the cache filled by the previous run; nothing is drawn, bytes are read back.

It prints one row per run: scenarios, charts, charts drawn, seconds, charts/s.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate
from opsbook.cache import Cache
from opsbook.catalog import load_catalog
from opsbook.charts import RenderStats, render_charts
from opsbook.fonts import find_cjk_font

AS_OF = dt.date(2026, 6, 22)


def _row(count: int, label: str, stats: RenderStats) -> str:
    rate = stats.charts / stats.seconds if stats.seconds else float("inf")
    return (
        f"{count:>9}  {label:<20}  {stats.charts:>6}  {stats.rendered:>6}  "
        f"{stats.seconds:>8.2f}s  {rate:>9.1f}"
    )


def measure(count: int, workdir: Path, jobs: int) -> list[str]:
    scenarios = generate(count, workdir / f"corpus-{count}")
    catalog, result = load_catalog([scenarios], as_of=AS_OF)
    if catalog is None:
        raise SystemExit(f"the generated corpus does not check: {result}")
    font = find_cjk_font()
    rows = []
    one = render_charts(catalog, lang="zh-CN", font=font, cache=None, jobs=1)
    rows.append(_row(count, "cold, 1 process", one.stats))
    cache = Cache(workdir / f"cache-{count}")
    many = render_charts(catalog, lang="zh-CN", font=font, cache=cache, jobs=jobs)
    rows.append(_row(count, f"cold, {jobs} processes", many.stats))
    warm = render_charts(catalog, lang="zh-CN", font=font, cache=cache, jobs=jobs)
    rows.append(_row(count, "warm (cached)", warm.stats))
    assert one.files == many.files == warm.files, "bytes differ between runs"
    return rows


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [10, 100]
    jobs = os.cpu_count() or 1
    print(f"cores: {jobs}  python: {sys.version.split()[0]}")
    print(
        f"{'scenarios':>9}  {'run':<20}  {'charts':>6}  {'drawn':>6}  {'seconds':>9}  "
        f"{'charts/s':>9}"
    )
    with tempfile.TemporaryDirectory() as temp:
        for count in sizes:
            for row in measure(count, Path(temp), jobs):
                print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
