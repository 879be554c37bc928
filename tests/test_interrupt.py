"""An interrupted ``opsbook build`` leaves nothing running and nothing half-built, and two
builds of one site at once take turns.

Each test runs the real command in its own session (``start_new_session``), so every process
it starts — the check and chart workers, the fork server, the resource tracker — carries that
session id, which is how ``/proc`` tells whether any of them survived.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, opsbook_env
from site_support import once, run, shared_dir

CORPUS = 60  # scenarios: enough charts (hundreds) to keep the chart workers busy for seconds
STAGING_PREFIXES = (".site-staging-",)


def _make_corpus(folder: Path) -> None:
    """A generated corpus with ``jobs: 2`` (workers even on a one-CPU machine), built once."""
    subprocess.run(
        [sys.executable, os.fspath(ROOT / "bench" / "generate.py"), str(CORPUS), os.fspath(folder)],
        check=True, capture_output=True,
    )  # fmt: skip
    shutil.copytree(ROOT / "site", folder / "site", dirs_exist_ok=True)
    config = folder / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      as_of:", "      jobs: 2\n      as_of:", 1), "utf-8")
    result = run("build", cwd=folder, env=opsbook_env(folder))  # its cache: folder/cache
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return once(tmp_path_factory, "interrupt-corpus", _make_corpus)


@pytest.fixture
def project(corpus: Path, tmp_path: Path) -> Path:
    """A copy of the corpus with its built site (the previous site) and its warm cache."""
    copy = tmp_path / "project"
    shutil.copytree(corpus, copy, ignore=shutil.ignore_patterns(".done"))
    return copy


def _fingerprint(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def _session(session_id: int) -> list[tuple[int, str]]:
    """Live (not zombie) processes of a session: (pid, command line)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # ended meanwhile
            continue
        if int(fields[3]) == session_id and fields[0] not in "ZX":
            found.append((int(entry.name), command))
    return found


def _start_build(project: Path, cache: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "opsbook", "build"], cwd=project,
        env=opsbook_env(project, OPSBOOK_CACHE_DIR=os.fspath(cache)),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip


def _wait_for_chart_workers(build: subprocess.Popen[str]) -> None:
    """Until a chart worker (a child of the fork server, not of the build) is running."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert build.poll() is None, build.communicate()[1]
        children = [
            pid
            for pid, command in _session(build.pid)
            if "multiprocessing.forkserver" in command and _parent(pid) != build.pid
        ]
        if children:
            time.sleep(0.5)  # well into drawing
            return
        time.sleep(0.05)
    pytest.fail("no chart worker started")


def _parent(pid: int) -> int:
    try:
        return int((Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return 0


def _survivors(session_id: int, within: float) -> list[tuple[int, str]]:
    deadline = time.monotonic() + within
    while (left := _session(session_id)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def _staging_folders(project: Path) -> list[str]:
    return sorted(p.name for p in (project / "build").iterdir() if p.name.startswith(".site-st"))


@pytest.mark.parametrize(
    ("signum", "returncode", "last_line"),
    [(signal.SIGKILL, -9, None), (signal.SIGTERM, 143, None), (signal.SIGINT, 1, "Aborted!")],
    ids=["SIGKILL", "SIGTERM", "SIGINT"],
)
def test_an_interrupted_build_leaves_no_process_and_the_previous_site(
    project: Path, tmp_path: Path, signum: int, returncode: int, last_line: str | None
) -> None:
    site = project / "build" / "site"
    before = _fingerprint(site)
    build = _start_build(project, tmp_path / "cold-cache")  # a cold cache: every chart drawn
    _wait_for_chart_workers(build)
    os.kill(build.pid, signum)
    # it stops within a second or two alone; the whole suite's parallel builds on two
    # cores have made it take over 30 s once
    _, stderr = build.communicate(timeout=90)
    assert build.returncode == returncode
    assert _survivors(build.pid, within=5) == []
    assert "Traceback" not in stderr
    if last_line is not None:
        assert stderr.rstrip().splitlines()[-1] == last_line
    assert _fingerprint(site) == before
    if signum == signal.SIGKILL:  # no chance to clean up: the next build does
        assert len(_staging_folders(project)) == 1
    else:
        assert _staging_folders(project) == []


def test_the_next_build_removes_the_folders_of_killed_builds(project: Path) -> None:
    build_dir = project / "build"
    stale = [build_dir / ".site-staging-killed01", build_dir / ".site-x1y2z3_4"]  # 2nd: older name
    for folder in stale:
        (folder / "assets").mkdir(parents=True)
        (folder / "assets" / "half.svg").write_bytes(b"<svg")
    kept = build_dir / ".site-notes"  # not a name opsbook gives: left alone
    kept.mkdir()
    result = run("build", cwd=project, env=opsbook_env(project))
    assert result.returncode == 0, result.stderr
    assert [folder.exists() for folder in stale] == [False, False]
    assert kept.is_dir()
    assert result.stderr.splitlines()[-1] == _written(project)


def _written(project: Path) -> str:
    """The last line of a build of the corpus (a zh-CN project: it speaks Chinese)."""
    site = project / "build" / "site"
    return f"opsbook：已生成 {sum(1 for _ in site.rglob('index.html'))} 个页面，位于 {site}"


def test_a_second_build_of_the_same_site_waits_for_the_first(project: Path) -> None:
    reference = sorted(_fingerprint(project / "build" / "site"))
    lock = project / "build" / ".site.lock"
    first = _start_build(project, project / "cache")
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text().strip() == str(first.pid)):
        assert time.monotonic() < deadline and first.poll() is None, "the first build never locked"
        time.sleep(0.02)
    second = _start_build(project, project / "cache")
    outputs = [process.communicate(timeout=300) for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    waiting = f"opsbook：另一次构建（进程 {first.pid}）正在生成 build/site，等它完成…"
    assert waiting not in outputs[0][1]
    assert waiting in outputs[1][1].splitlines()
    for _, stderr in outputs:
        assert "Traceback" not in stderr
        assert stderr.splitlines()[-1] == _written(project)
    assert sorted(_fingerprint(project / "build" / "site")) == reference  # every file there
    assert _staging_folders(project) == []


def test_an_export_into_a_folder_another_export_holds_waits_for_it(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    """The lock of ``export/`` held here, as another export would hold it: the export says
    so in the project's language (zh-CN), waits, and writes once the lock is let go."""
    output = tmp_path / "export"
    with (tmp_path / ".export.lock").open("w+", encoding="ascii") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        export = subprocess.Popen(
            [sys.executable, "-m", "opsbook", "export", "--format", "markdown", "-o",
             os.fspath(output)],
            cwd=ROOT, env=opsbook_env(shared_dir(tmp_path_factory)),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        )  # fmt: skip
        assert export.stderr is not None
        first_line = export.stderr.readline()  # blocks until the export has to wait
        assert (
            first_line == f"opsbook：另一次导出（进程 {os.getpid()}）正在写入 {output}，等它完成…\n"
        )
        assert export.poll() is None and not output.exists()
    _, rest = export.communicate(timeout=600)
    assert export.returncode == 0, rest
    assert "Traceback" not in rest
    assert (output / "mkdocs.yml").is_file()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the finalizer's
def test_ctrl_c_while_a_finalizer_runs_still_stops_the_build() -> None:
    """Python ignores (prints) an exception raised in a finalizer, so Ctrl-C landing there
    would let the build finish; the build asks again once it is done, and stops."""
    from opsbook.mkdocs_plugin.commands import _Stops

    class Freed:
        def __del__(self) -> None:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.2)  # the handler runs here, inside the finalizer

    stops = _Stops()
    with pytest.raises(KeyboardInterrupt), stops.caught():
        Freed()  # freed at once: its finalizer runs and swallows the KeyboardInterrupt
        stops.raise_if_stopped()
