"""``opsbook new``: every industry family in both languages passes ``check --strict``; the
file is never overwritten; missing answers are asked for on a terminal."""

from __future__ import annotations

import datetime as dt
import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, opsbook_env

FAMILIES = ["ecommerce", "saas", "local-services", "content"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the shipped team directory and the schema folder, no scenarios."""
    root = tmp_path / "project"
    (root / "scenarios").mkdir(parents=True)
    shutil.copy(ROOT / "scenarios" / "team.yaml", root / "scenarios" / "team.yaml")
    shutil.copytree(ROOT / "schema", root / "schema")
    return root


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("industry", FAMILIES)
def test_every_template_passes_the_strict_check(
    project: Path, run_opsbook, industry: str, lang: str
) -> None:
    args = ["--industry", industry, "--id", "my-scenario", "--owner", "ops.li"]
    done = run_opsbook("new", *args, "--lang", lang, "--start", "2026-07-01", cwd=project)
    assert done.returncode == 0, done.stderr
    created = project / "scenarios" / "my-scenario.yaml"
    text = created.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schema/scenario.schema.json"
    data = yaml.safe_load(text)
    assert (data["id"], data["industry"], data["owner"]) == ("my-scenario", industry, "ops.li")
    cycle = {"start": dt.date(2026, 7, 1), "end": dt.date(2026, 7, 30), "cadence": "weekly"}
    assert data["cycle"] == cycle  # PyYAML reads dates as dates
    check = run_opsbook("check", "--strict", "scenarios/my-scenario.yaml", cwd=project)
    assert check.returncode == 0, check.stdout
    assert check.stdout == "2 file(s) checked: no problems\n"


def test_the_output_speaks_the_chosen_language(project: Path, run_opsbook) -> None:
    args = ["--industry", "ecommerce", "--id", "first-order", "--owner", "ops.li"]
    done = run_opsbook("new", *args, "--lang", "zh-CN", cwd=project)
    assert done.stdout == (
        "已创建 scenarios/first-order.yaml\n"
        "下一步：填写场景内容，然后运行 opsbook check --strict scenarios/first-order.yaml\n"
    )
    data = yaml.safe_load((project / "scenarios" / "first-order.yaml").read_text("utf-8"))
    assert (data["title"], data["needs"]["goal"]) == ("新用户首单转化", "首单转化率 ≥ 20%")
    mode = (project / "scenarios" / "first-order.yaml").stat().st_mode & 0o777
    assert mode == 0o666 & ~_umask()  # an ordinary file, not a private temporary one
    assert sorted(p.name for p in (project / "scenarios").iterdir()) == [
        "first-order.yaml", "team.yaml",
    ]  # fmt: skip


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def test_titles_stay_text(project: Path, run_opsbook) -> None:
    title = "Q3: 50% off #1 ${id} 'quoted' - yes"
    args = ["--industry", "saas", "--id", "q3", "--owner", "ops.emma", "--title", title]
    done = run_opsbook("new", *args, "--start", "2026-07-01", cwd=project)
    assert done.returncode == 0, done.stderr
    data = yaml.safe_load((project / "scenarios" / "q3.yaml").read_text("utf-8"))
    assert data["title"] == title
    assert run_opsbook("check", "--strict", cwd=project).returncode == 0


def test_never_overwrites(project: Path, run_opsbook) -> None:
    existing = project / "scenarios" / "taken.yaml"
    existing.write_text("mine\n", encoding="utf-8")
    args = ["--industry", "content", "--id", "taken", "--owner", "content.ma"]
    done = run_opsbook("new", *args, cwd=project)
    assert done.returncode == 1
    assert done.stderr == (
        "Error: scenarios/taken.yaml already exists: choose another id "
        "(opsbook new never overwrites)\n"
    )
    assert existing.read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in (project / "scenarios").iterdir()) == ["taken.yaml", "team.yaml"]


def test_bad_answers_are_refused_with_the_reason(project: Path, run_opsbook) -> None:
    done = run_opsbook("new", "--industry", "saas", "--id", "x", "--owner", "ops.lee", cwd=project)
    assert done.returncode == 1
    assert done.stderr.startswith("Error: 'ops.lee' is not in the team directory (ops.li, ")
    assert done.stderr.endswith(". Did you mean 'ops.li'?\n")
    done = run_opsbook(
        "new", "--industry", "saas", "--id", "Bad_Id", "--owner", "ops.li", cwd=project
    )
    assert done.returncode == 1
    assert "'Bad_Id' is not a valid id" in done.stderr
    done = run_opsbook("new", "--industry", "saas", cwd=project)  # no terminal: nobody to ask
    assert done.returncode == 2
    assert "Error: missing --id, --owner (or run on a terminal to be asked)" in done.stderr


def test_without_a_schema_folder_the_modeline_names_the_schema_id(
    project: Path, run_opsbook
) -> None:
    shutil.rmtree(project / "schema")
    args = ["--industry", "saas", "--id", "x", "--owner", "ops.li"]
    assert run_opsbook("new", *args, cwd=project).returncode == 0
    first = (project / "scenarios" / "x.yaml").read_text("utf-8").splitlines()[0]
    assert (
        first == "# yaml-language-server: $schema=https://opsbook.dev/schema/scenario.schema.json"
    )


def test_interactive_answers_from_a_pipe(project: Path, run_opsbook) -> None:
    answers = (
        "en\nlocal-services\nBad Id\nstore-traffic\nMall store traffic\nstore.lin\n2026-07-06\n"
    )
    done = run_opsbook("new", "--interactive", cwd=project, input=answers)
    assert done.returncode == 0, done.stderr
    assert "Error: 'Bad Id' is not a valid id" in done.stdout  # asked again
    data = yaml.safe_load((project / "scenarios" / "store-traffic.yaml").read_text("utf-8"))
    assert (data["title"], data["owner"], data["industry"]) == (
        "Mall store traffic",
        "store.lin",
        "local-services",
    )
    assert data["cycle"]["start"] == dt.date(2026, 7, 6)


def test_a_terminal_is_asked_for_what_is_missing(project: Path, tmp_path: Path) -> None:
    """A real pseudo-terminal as stdin: prompts appear without --interactive."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "opsbook", "new", "--lang", "en", "--industry", "content"],
        cwd=project, env=opsbook_env(tmp_path), stdin=follower, stdout=follower, stderr=follower,
    )  # fmt: skip
    os.close(follower)
    transcript = b""
    for prompt, answer in [
        (b"Scenario id [creator-cold-start]: ", b"\n"),
        (b"Title [Creator cold start]: ", b"\n"),
        (b"Owner: ", b"content.ma\n"),
        (b"Cycle start [", b"2026-07-01\n"),
    ]:
        transcript = _read_until(leader, transcript, prompt)
        os.write(leader, answer)
    assert process.wait(timeout=30) == 0
    transcript = _read_until(
        leader, transcript, b"check --strict scenarios/creator-cold-start.yaml"
    )
    os.close(leader)
    data = yaml.safe_load((project / "scenarios" / "creator-cold-start.yaml").read_text("utf-8"))
    assert (data["title"], data["owner"]) == ("Creator cold start", "content.ma")


def _read_until(fd: int, seen: bytes, expected: bytes, timeout: float = 20) -> bytes:
    deadline = time.monotonic() + timeout
    while expected not in seen:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"waited for {expected!r}; got {seen.decode(errors='replace')!r}"
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:  # the process closed the terminal
                break
    assert expected in seen, seen.decode(errors="replace")
    return seen
