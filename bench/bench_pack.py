"""Benchmark ``opsbook pack`` against rendering the same charts alone.

    python bench/bench_pack.py             # 10, 50 and 500 scenarios
    python bench/bench_pack.py 50          # one size
    python bench/bench_pack.py 50 --full   # the brief with the full records (opsbook pack --full)

For each size it generates a corpus (``bench/generate.py``), then times, as whole processes
(what a user waits for; the best of ``--repeat`` runs, default 1):

- ``charts alone``: a process that loads the catalog and draws, with an empty cache, exactly
  the charts the pack prints (the brief: each core metric's trend; ``--full``: every
  scenario's charts too), of the kind it prints (text as ``<text>``,
  ``text_as_paths=False``): what the pack cannot avoid when nothing is cached;
- ``pack cold``: ``opsbook pack`` (the brief, its default; with ``--full`` the brief and the
  full records) with an empty cache (check, charts, since, typesetting);
- ``pack warm``: ``opsbook pack`` again, charts and check results from the cache;
- ``typeset``: the Typst stage alone (content and charts to PDF), measured inside a warm
  process, in CPU seconds of all its threads;
- ``site charts``: every chart of the catalog, as the site draws them (the pack's comparison
  before it drew only what it prints), for reference.

Every process is measured in CPU seconds (user + system, its worker processes included):
on a shared machine the wall clock measures the neighbours too. The cold pack's wall seconds
are printed as well (``cold wall``), for an idle machine.

Goals (2 cores): 50 scenarios ≤ 3 s warm; cold ≤ 1.2 × charts alone.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import add_profile_option, generate

CHARTS_ALONE = """
import pathlib, sys
from opsbook.support.cache import Cache
from opsbook.model.catalog import load_catalog
from opsbook.charts.plan import catalog_plan, specs_of
from opsbook.charts.render import render_specs
from opsbook.config import read_project_settings
from opsbook.pack.content import SUMMARY_CHARTS
from opsbook.support.fonts import find_cjk_font
settings = read_project_settings(pathlib.Path.cwd())
cache = Cache(pathlib.Path(sys.argv[1]))
catalog, _ = load_catalog([settings.scenarios], as_of=settings.resolve_as_of(), cache=cache)
lang = settings.lang or "zh-CN"
plan = catalog_plan(catalog, lang)
if sys.argv[2] == "brief":  # the brief prints each core metric's trend, nothing else
    core = {(s.id, f"trend-{m.id}") for s in catalog.scenarios for m in s.core_metrics}
    plan = [c for c in plan if (c.scenario, c.name) in core]
elif sys.argv[2] == "full":  # the appendix: every scenario's, two of the dashboard's
    plan = [c for c in plan if c.scenario is not None or c.name in SUMMARY_CHARTS]
render_specs(specs_of(plan), lang=lang, font=find_cjk_font(settings.font), cache=cache,
             text_as_paths=False)
"""

TYPESET_ONLY = """
import pathlib, resource, sys
import opsbook.pack.typeset as stage
from opsbook.support.cache import Cache
from opsbook.model.catalog import load_catalog
from opsbook.config import read_project_settings
from opsbook.pack import PackOptions, make_pack
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread: Typst lays out in several
    return usage.ru_utime + usage.ru_stime
spent = []
def timed(*args, typeset=stage.typeset, **options):
    start = cpu()
    pdf = typeset(*args, **options)
    spent.append(cpu() - start)
    return pdf
stage.typeset = timed
settings = read_project_settings(pathlib.Path.cwd())
cache = Cache(pathlib.Path(sys.argv[1]))
catalog, _ = load_catalog([settings.scenarios], as_of=settings.resolve_as_of(), cache=cache)
full = sys.argv[2] == "full"
make_pack(catalog, PackOptions(lang=settings.lang or "zh-CN", full=full), cache=cache)
print(spent[0])
"""


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes and their children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, str, float]:
    """The process's CPU seconds (its workers included), its output and its wall seconds.
    CPU time is the figure to compare: on a shared machine the wall clock measures the
    neighbours too."""
    before, start = _children_cpu(), time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    seconds, wall = _children_cpu() - before, time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return seconds, done.stdout, wall


def _cold(command: list[str], cache: Path, env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """CPU and wall seconds of ``command`` with an empty cache."""
    shutil.rmtree(cache, ignore_errors=True)
    cpu, _, wall = _run(command, env, cwd)
    return cpu, wall


def measure(
    count: int, workdir: Path, repeat: int, profile: str, full: bool = False
) -> dict[str, float]:
    cwd = generate(count, workdir / f"corpus-{count}", profile).parent
    cache = workdir / f"cache-{count}"
    env = dict(os.environ, OPSBOOK_CACHE_DIR=str(cache), NO_COLOR="1")
    pdf = workdir / f"pack-{count}.pdf"
    pack = [sys.executable, "-m", "opsbook", "pack", "-o", str(pdf), *(["--full"] if full else [])]
    kind = "full" if full else "brief"
    charts = [sys.executable, "-c", CHARTS_ALONE, str(cache), kind]
    site_charts = [sys.executable, "-c", CHARTS_ALONE, str(cache), "site"]
    cold = min(_cold(pack, cache, env, cwd) for _ in range(repeat))
    result = {
        "charts alone": min(_cold(charts, cache, env, cwd)[0] for _ in range(repeat)),
        "site charts": min(_cold(site_charts, cache, env, cwd)[0] for _ in range(repeat)),
        "pack cold": cold[0],
        "pack cold wall": cold[1],
        "pack warm": min(_run(pack, env, cwd)[0] for _ in range(repeat)),
    }
    typeset = [sys.executable, "-c", TYPESET_ONLY, str(cache), kind]
    result["typeset"] = min(float(_run(typeset, env, cwd)[1]) for _ in range(repeat))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False)
    pages = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)
    result["pages"] = float(pages[1]) if pages else float("nan")
    result["megabytes"] = pdf.stat().st_size / 1e6
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10, 50, 500])
    parser.add_argument("--repeat", type=int, default=1, help="best of this many runs")
    parser.add_argument("--full", action="store_true", help="time opsbook pack --full")
    add_profile_option(parser)
    args = parser.parse_args(argv)
    kind = "full" if args.full else "brief"
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}  profile: {args.profile}"
          f"  pack: {kind}")  # fmt: skip
    print(
        f"{'scenarios':>9}  {'pages':>6}  {'PDF':>8}  {'charts alone':>12}  {'pack cold':>9}  "
        f"{'cold/charts':>11}  {'cold wall':>9}  {'pack warm':>9}  {'typeset':>8}  {'site charts':>11}"
        "   (CPU seconds)"
    )
    with tempfile.TemporaryDirectory(prefix="opsbook-bench-pack-") as temp:
        for count in args.sizes:
            r = measure(count, Path(temp), args.repeat, args.profile, args.full)
            print(
                f"{count:>9}  {r['pages']:>6.0f}  {r['megabytes']:>6.1f}MB  "
                f"{r['charts alone']:>11.2f}s  {r['pack cold']:>8.2f}s  "
                f"{r['pack cold'] / r['charts alone']:>10.2f}×  {r['pack cold wall']:>8.2f}s  "
                f"{r['pack warm']:>8.2f}s  "
                f"{r['typeset']:>7.2f}s  {r['site charts']:>10.2f}s",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
