"""Benchmark ``opsbook serve``: start-up against a warm build, and edit → page / roll-up.

    python bench/bench_serve.py --profile realistic 200
    python bench/bench_serve.py --profile realistic 1000 --runs 3

For the corpus (``bench/generate.py``), with whole processes and wall time:

- ``warm build``: ``opsbook build`` with a warm cache (median of the runs);
- ``serve start``: from starting ``opsbook serve`` (same warm cache) to the first page served;
- ``serve ready``: to serve saying it has prepared for quick edits in the background (the
  edits are measured from then on);
- for each kind of edit of one scenario (goal text, title, owner, tags, status, module,
  observation): seconds from saving it to its page showing the change (``page``), and to
  every page it touched rebuilt, as serve's log says, with a roll-up showing it
  (``roll-ups``: the industry page, the new owner's page, the tags page, the search index…).

Each figure is the median of ``--runs`` runs (default 3); the machine is shared, so single
runs are noisy.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import add_profile_option, generate
from opsbook.site.generate import module_slug  # the module's folder in page addresses

TIMEOUT = 120.0  # an edit whose change never shows is a failure, not a wait
# what serve logs once a rebuild is done: the quick path's, or MkDocs' after a full rebuild
_REBUILT = re.compile(r"opsbook: \d+ pages rebuilt after|Documentation built in")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_until(condition: Callable[[], bool], start: float, what: str = "") -> float:
    while not condition():
        if time.monotonic() - start > TIMEOUT:
            raise SystemExit(f"timed out waiting for {what or 'the site'}")
        time.sleep(0.05)
    return time.monotonic() - start


@dataclass(frozen=True)
class Edit:
    """One edit of a scenario's YAML and the (path, text) pairs that show it."""

    name: str
    change: Callable[[str], str]
    page: tuple[str, str]
    rollup: tuple[str, str, bool]  # (path, text, whether the text is there after the edit)


def edits(scenario: Path, other_owner: str) -> list[Edit]:
    sid = scenario.stem
    text = scenario.read_text(encoding="utf-8")
    industry = re.search(r"^industry: (\S+)", text, re.M)[1]  # type: ignore[index]
    module = re.search(r"^module: (\S+)", text, re.M)[1]  # type: ignore[index]
    other_module = next(
        m[1]
        for p in sorted(scenario.parent.glob("*.yaml"))
        if p != scenario
        and f"\nindustry: {industry}\n" in (other := p.read_text(encoding="utf-8"))
        and (m := re.search(r"^module: (\S+)", other, re.M))
        and m[1] != module
    )
    page = f"/scenarios/{sid}/"
    return [
        Edit("goal text", lambda t: re.sub(r"(\n  goal: )", r"\g<1>基准目标标记 ", t, count=1),
             (page, "基准目标标记"), (page, "基准目标标记", True)),
        Edit("title", lambda t: re.sub(r"^title: (.*)$", r"title: 基准标题标记 \1", t, count=1,
                                       flags=re.M),
             (page, "基准标题标记"), (f"/industries/{industry}/", "基准标题标记", True)),
        Edit("owner", lambda t: re.sub(r"^owner: \S+", f"owner: {other_owner}", t, count=1,
                                       flags=re.M),
             (page, f"people/{other_owner}/"), (f"/people/{other_owner}/", f"scenarios/{sid}/", True)),
        Edit("tags", lambda t: t.replace("\ntags:\n", "\ntags:\n- 基准标签标记\n", 1),
             (page, "基准标签标记"), ("/tags/", "基准标签标记", True)),
        # closed → active: its badge, shown on its page only (the search index follows)
        Edit("status", lambda t: re.sub(r"^status: closed", "status: active", t, count=1,
                                        flags=re.M),
             (page, "ob-status-active"), (page, "ob-status-closed", False)),
        # a module of the same industry: the module pages and the navigation of both
        Edit("module", lambda t: re.sub(r"^module: \S+", f"module: {other_module}", t, count=1,
                                        flags=re.M),
             (page, f"{industry}/{module_slug(other_module)}/"),
             (f"/industries/{industry}/{module_slug(other_module)}/", f"scenarios/{sid}/", True)),
        # every observation of the first metric (so its latest, shown in T3 and indexed for
        # search; below 1,000, which the page would group): its page and the search index
        Edit("observation", lambda t: every_observation(t, "876.5"),
             (page, "876.5"), ("/search/search_index.json", "876.5", True)),
    ]  # fmt: skip


def every_observation(text: str, value: str) -> str:
    """``text`` with each value of its first ``observations:`` list set to ``value``: the
    list's lines are indented deeper than the key, or as deep and start with ``- ``."""
    head = re.search(r"^( *)observations:\n", text, re.M)
    assert head is not None
    start, indent = head.end(), len(head[1])
    lines = text[start:].split("\n")

    def in_list(line: str) -> bool:
        depth = len(line) - len(line.lstrip())
        return depth > indent or (depth == indent and line.lstrip().startswith("- "))

    count = next(i for i, line in enumerate(lines) if not in_list(line))
    changed = [re.sub(r"(value: )[0-9.-]+", rf"\g<1>{value}", line) for line in lines[:count]]
    return text[:start] + "\n".join([*changed, *lines[count:]])


def article(html: str) -> str:
    start, end = html.find("<article"), html.find("</article>")
    return html[start:end] if 0 <= start < end else ""


class Served:
    """One ``opsbook serve`` process on a free port."""

    def __init__(self, project: Path, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log_path = log
        self.log = log.open("a", encoding="utf-8")
        self.log_start = self.log.tell()  # what earlier runs wrote comes before
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "opsbook", "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=self.log,
            start_new_session=True,
        )  # fmt: skip

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def shows(self, path: str, text: str) -> Callable[[], bool]:
        """Whether the page's article (not its sidebar, which links every module of the
        industry) shows ``text``."""
        return lambda: text in article(fetch(self.url(path)))

    def said(self) -> str:
        """What this serve has logged so far."""
        with self.log_path.open("rb") as log:
            log.seek(self.log_start)
            return log.read().decode("utf-8", errors="replace")

    def ready(self) -> bool:
        return "opsbook: ready for quick edits" in self.said()

    def rebuilds(self) -> int:
        """How many rebuilds serve has finished (its log says so after each)."""
        return len(_REBUILT.findall(self.said()))

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=60)
        self.log.close()


def measure_edit(served: Served, scenario: Path, edit: Edit) -> tuple[float, float]:
    """Seconds from saving the edit to its page showing it, and to every page it touched
    rebuilt (serve's log says so) with the probed roll-up showing it. Only the small page is
    fetched while serve rebuilds: fetching a large roll-up (or the search index) twenty
    times a second took serve's process a quarter of a core, slowing what is measured."""
    original = scenario.read_text(encoding="utf-8")
    changed = edit.change(original)
    assert changed != original, edit.name
    path, text, present = edit.rollup
    shown = lambda: (text in fetch(served.url(path))) == present  # noqa: E731
    rebuilt = served.rebuilds()
    start = time.monotonic()
    scenario.write_text(changed, encoding="utf-8")
    try:
        page = wait_until(served.shows(*edit.page), start, f"{edit.name}: page")
        wait_until(lambda: served.rebuilds() > rebuilt, start, f"{edit.name}: rebuilt")
        rollup = wait_until(shown, start, f"{edit.name}: {path}")
    finally:  # the corpus as it was, even when a change never showed
        scenario.write_text(original, encoding="utf-8")
    restored = time.monotonic()
    wait_until(lambda: served.rebuilds() > rebuilt + 1, restored, f"{edit.name} undone")
    wait_until(lambda: not shown(), restored, f"{edit.name} undone: {path}")
    time.sleep(1)  # a quiet moment, as between a writer's saves
    return page, rollup


def run_serve(
    project: Path, env: dict[str, str], scenario: Path, owner: str, only: set[str]
) -> dict[str, float]:
    served = Served(project, env, project.parent / "serve.log")  # what serve said, to read back
    try:
        first = wait_until(served.shows(f"/scenarios/{scenario.stem}/", "<h1"), served.started)
        # what serve prepares in the background for the first edit (see prepare_quick_edits)
        ready = wait_until(served.ready, served.started, "serve's preparation for edits")
        figures = {"serve start": first, "serve ready": ready}
        for edit in edits(scenario, owner):
            if only and edit.name not in only:
                continue
            page, rollup = measure_edit(served, scenario, edit)
            figures[f"{edit.name}: page"] = page
            figures[f"{edit.name}: roll-ups"] = rollup
        return figures
    finally:
        served.stop()


def warm_build(project: Path, env: dict[str, str], site: Path) -> float:
    start = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "opsbook", "build", "-d", str(site)], cwd=project, env=env,
        check=True, capture_output=True,
    )  # fmt: skip
    return time.monotonic() - start


def pick(project: Path) -> tuple[Path, str]:
    """A closed scenario with tags, and an owner of another scenario who does not own it.
    Nothing else on its page is closed (an anomaly's badge is the same word), so that the
    status edit's probe reads the scenario's own badge."""
    files = sorted(p for p in (project / "scenarios").glob("*.yaml") if p.name != "team.yaml")
    texts = {p: p.read_text(encoding="utf-8") for p in files}
    scenario = next(
        p for p in files
        if "\ntags:\n" in texts[p] and "\nstatus: closed" in texts[p]
        and texts[p].count("status: closed") == 1
    )  # fmt: skip
    owner = re.search(r"^owner: (\S+)", texts[scenario], re.M)[1]  # type: ignore[index]
    others = (re.search(r"^owner: (\S+)", texts[p], re.M) for p in files)
    return scenario, next(m[1] for m in others if m and m[1] != owner)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python bench/bench_serve.py")
    add_profile_option(parser)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, help="keep the corpus and cache here")
    parser.add_argument(
        "--edits", default="", metavar="NAMES",
        help="only these kinds of edit, comma-separated (e.g. title,module,owner)",
    )  # fmt: skip
    parser.add_argument(
        "--first-time", action="store_true",
        help="each run starts from the cache of the first warm build, so that every edit is"
        " seen for the first time (else runs after the first find their texts cached)",
    )  # fmt: skip
    parser.add_argument("count", type=int, metavar="N")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="opsbook-bench-serve-"))
    project = workdir / f"corpus-{args.count}"
    if not (project / "mkdocs.yml").is_file():
        generate(args.count, project, args.profile)
    env = dict(os.environ, OPSBOOK_CACHE_DIR=str(workdir / "cache"), NO_COLOR="1",
               NO_MKDOCS_2_WARNING="1")  # fmt: skip
    site = workdir / "site"
    warm_build(project, env, site)  # cold: charts drawn, the cache filled
    scenario, owner = pick(project)
    only = {name.strip() for name in args.edits.split(",") if name.strip()}
    known = {edit.name for edit in edits(scenario, owner)}
    if only - known:
        parser.error(
            f"unknown edits: {', '.join(sorted(only - known))} (known: {', '.join(sorted(known))})"
        )
    cache, kept = workdir / "cache", workdir / "cache-before-serve"
    if kept.exists():  # another run's (its code, its keys)
        shutil.rmtree(kept)
    runs: dict[str, list[float]] = {"warm build": []}
    for _ in range(args.runs):
        runs["warm build"].append(warm_build(project, env, site))
        if args.first_time:  # the cache as the warm build left it, before any edit
            if kept.exists():
                shutil.rmtree(cache)
                shutil.copytree(kept, cache)
            else:
                shutil.copytree(cache, kept)
            # the copy (1.3 GB at 1,000) on disk now: else the first SQLite checkpoint under
            # serve waits for the kernel to write it, and an edit is charged seconds for it
            os.sync()
        for name, seconds in run_serve(project, env, scenario, owner, only).items():
            runs.setdefault(name, []).append(seconds)
        print(" · ".join(f"{k} {v[-1]:.2f}" for k, v in runs.items()), file=sys.stderr)
    print(f"{args.count:,} scenarios ({args.profile}), median of {args.runs} runs, wall seconds")
    for name, values in runs.items():
        print(
            f"{name:<22} {statistics.median(values):6.2f}   ({' '.join(f'{v:.2f}' for v in values)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
