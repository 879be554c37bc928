"""Example cases run through the real ``opsbook check``, in the style of check-jsonschema.

Each folder under ``tests/cases/valid`` or ``tests/cases/invalid`` holds scenario files
(copied into a fresh project's ``scenarios/``), optionally ``args.txt`` (extra arguments),
``team.yaml`` (instead of the shared one) or ``no-team`` (no team directory at all),
``outside/`` (files placed beside the project, outside its root), ``links.txt`` (symbolic
links to make, one ``link -> target`` a line, relative to ``scenarios/``; made here rather
than committed so that the repository holds no link out of itself), and ``expected.txt``:
the exact output. Valid cases exit 0, invalid ones 1.

Run with ``OPSBOOK_UPDATE_GOLDEN=1`` to rewrite ``expected.txt`` after a deliberate change;
review the diff before committing it.
"""

from __future__ import annotations

import os
import shlex
import shutil
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases"
CONTROL_FILES = {"args.txt", "expected.txt", "no-team", "outside", "links.txt"}


def _cases(kind: str) -> list[Path]:
    return sorted(p for p in (CASES / kind).iterdir() if p.is_dir())


def _make_project(case: Path, project: Path) -> None:
    scenarios = project / "scenarios"
    shutil.copytree(
        case, scenarios, ignore=lambda _d, names: [n for n in names if n in CONTROL_FILES]
    )
    if not (case / "team.yaml").exists() and not (case / "no-team").exists():
        shutil.copy(CASES / "team.yaml", scenarios / "team.yaml")
    if (case / "outside").is_dir():
        shutil.copytree(case / "outside", project.parent / "outside")
    links = case / "links.txt"
    for line in links.read_text().splitlines() if links.exists() else []:
        link, target = (part.strip() for part in line.split("->"))
        (scenarios / link).parent.mkdir(parents=True, exist_ok=True)
        (scenarios / link).symlink_to(target)


def _run_case(case: Path, tmp_path: Path, run_opsbook) -> tuple[int, str]:
    project = tmp_path / "project"
    _make_project(case, project)
    args_file = case / "args.txt"
    args = shlex.split(args_file.read_text()) if args_file.exists() else []
    result = run_opsbook("check", *args, cwd=project)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout


def _compare(case: Path, output: str) -> None:
    expected = case / "expected.txt"
    if os.environ.get("OPSBOOK_UPDATE_GOLDEN") == "1":
        expected.write_text(output, encoding="utf-8")
    assert expected.exists(), f"{expected} is missing: run with OPSBOOK_UPDATE_GOLDEN=1"
    assert output == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", _cases("valid"), ids=lambda p: p.name)
def test_valid_case(case: Path, tmp_path: Path, run_opsbook) -> None:
    code, output = _run_case(case, tmp_path, run_opsbook)
    assert code == 0, output
    _compare(case, output)


@pytest.mark.parametrize("case", _cases("invalid"), ids=lambda p: p.name)
def test_invalid_case(case: Path, tmp_path: Path, run_opsbook) -> None:
    code, output = _run_case(case, tmp_path, run_opsbook)
    assert code == 1, output
    _compare(case, output)
