"""Benchmark the knowledge-base build against bare MkDocs on the same Markdown (the floor).

    python bench/bench_site.py             # 100 and 1,000 scenarios
    python bench/bench_site.py 100 1000 5000
    python bench/bench_site.py --profile realistic 1000

For each size it generates a corpus (``bench/generate.py``) and measures, as whole processes
(what a user waits for), with wall time and peak memory from ``/usr/bin/time -v``:

- ``build cold``: ``opsbook build`` with an empty cache (check, charts, pages, MkDocs);
- ``build warm``: the same again (check results, charts and pages from the cache);
- ``bare mkdocs``: ``mkdocs build`` of ``opsbook export --format markdown`` of the same
  corpus — the same pages, theme, navigation and search, without the plugin (second run,
  so that like ``build warm`` it replaces a previous site);
- ``serve edit``: under ``opsbook serve``, seconds from saving one changed scenario to the
  new text being served;

and the size of the built site, with its bytes by kind of file (``bench/site_size.py``).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate, take_profile
from site_size import table

TIME = "/usr/bin/time"


def timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(seconds, peak MiB) of one process and its children."""
    start = time.perf_counter()
    result = subprocess.run(
        [TIME, "-v", *command], env=env, cwd=cwd, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    return seconds, int(peak[1]) / 1024 if peak else float("nan")


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def serve_edit(project: Path, env: dict[str, str]) -> float:
    """Seconds from saving an edited scenario to its page showing the edit under serve."""
    port = free_port()
    scenario = sorted((project / "scenarios").glob("*.yaml"))[0]
    if scenario.name == "team.yaml":
        scenario = sorted((project / "scenarios").glob("*.yaml"))[1]
    url = f"http://127.0.0.1:{port}/scenarios/{scenario.stem}/"
    process = subprocess.Popen(
        [sys.executable, "-m", "opsbook", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 900
        while "<h1" not in fetch(url) and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(2)  # let the first build settle
        text = scenario.read_text(encoding="utf-8")
        marker = "基准测试编辑标记"
        edited = re.sub(r"(\n  goal: )", rf"\g<1>{marker} ", text, count=1)
        start = time.monotonic()
        scenario.write_text(edited, encoding="utf-8")
        while marker not in fetch(url) and time.monotonic() - start < 900:
            time.sleep(0.05)
        seconds = time.monotonic() - start
        scenario.write_text(text, encoding="utf-8")
        return seconds
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def measure(count: int, workdir: Path, profile: str) -> dict[str, str]:
    project = generate(count, workdir / f"corpus-{count}", profile).parent
    cache = workdir / f"cache-{count}"
    env = dict(os.environ, OPSBOOK_CACHE_DIR=str(cache), NO_COLOR="1", NO_MKDOCS_2_WARNING="1")
    opsbook = [sys.executable, "-m", "opsbook"]
    site = workdir / f"site-{count}"
    cold = timed([*opsbook, "build", "-d", str(site)], env, project)
    warm = timed([*opsbook, "build", "-d", str(site)], env, project)
    export = workdir / f"export-{count}"
    subprocess.run([*opsbook, "export", "-o", str(export)], env=env, cwd=project, check=True,
                   capture_output=True)  # fmt: skip
    bare_site = workdir / f"bare-{count}"
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(bare_site)]
    timed(mkdocs, env, export)  # first run: into an empty folder
    bare = timed(mkdocs, env, export)  # as ours: the previous site is there and cleaned
    edit = serve_edit(project, env)
    print(f"{count:,} scenarios ({profile}), bytes by kind:\n{table([site])}\n", file=sys.stderr)
    return {
        "scenarios": f"{count:,}",
        "build cold": f"{cold[0]:.1f} s / {cold[1]:.0f} MiB",
        "build warm": f"{warm[0]:.1f} s / {warm[1]:.0f} MiB",
        "bare mkdocs": f"{bare[0]:.1f} s / {bare[1]:.0f} MiB",
        "warm / bare": f"{warm[0] / bare[0]:.2f}×",
        "serve edit": f"{edit:.1f} s",
        "site": f"{size_mb(site):.0f} MB",
        "bare site": f"{size_mb(bare_site):.0f} MB",
    }


def main(argv: list[str]) -> int:
    profile, argv = take_profile(argv)
    sizes = [int(a) for a in argv] or [100, 1000]
    rows = []
    with tempfile.TemporaryDirectory(prefix="opsbook-bench-site-") as folder:
        for count in sizes:
            rows.append(measure(count, Path(folder), profile))
            print(" · ".join(f"{k}: {v}" for k, v in rows[-1].items()), file=sys.stderr)
        shutil.rmtree(folder, ignore_errors=True)
    columns = list(rows[0])
    widths = [max(len(c), *(len(r[c]) for r in rows)) for c in columns]
    print(" | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(row[c].ljust(w) for c, w in zip(columns, widths, strict=True)))
    print(
        f"\n{os.cpu_count()} cores; profile {profile}; times are whole processes (wall), peak = max RSS."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
