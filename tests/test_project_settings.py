"""check, pull and import-xlsx read the project's ``lang`` and ``scenarios`` from mkdocs.yml."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import opsbook_env

MKDOCS = "site_name: x\nplugins:\n  - opsbook:\n      lang: en\n      scenarios: ops\n"
EXPECTED = (
    "ops/bad.yaml:2:1: error[load.syntax] YAML syntax error: did not find expected ',' or ']' "
    "(while parsing a flow sequence started on line 1)\n"
    "  = hint: check the indentation, colons, quotes and brackets here and on the line before\n"
    "\n"
    "ops/team.yaml:1:1: error[ref.no-team] the team directory is missing\n"
    "  = hint: create ops/team.yaml with the team's people (id, name, role, department)\n"
    "\n"
    "2 error(s), 0 warning(s) in 2 of 1 file(s)\n"
)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    "command", [("check",), ("pull",), ("import-xlsx", "notes.xlsx")], ids=lambda c: c[0]
)
def test_the_project_language_and_scenarios_folder_apply(
    run_opsbook, tmp_path: Path, command: tuple[str, ...]
) -> None:
    project = tmp_path / "project"
    (project / "ops").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    (project / "ops" / "bad.yaml").write_text("id: [broken\n", encoding="utf-8")
    (project / "notes.xlsx").write_text("not a workbook", encoding="utf-8")
    before = _snapshot(project)
    # the locale says Chinese; mkdocs.yml's `lang: en` comes first in the chain
    env = opsbook_env(tmp_path, LANG="zh_CN.UTF-8")
    result = run_opsbook(*command, cwd=project, env=env)
    assert (result.returncode, result.stdout, result.stderr) == (1, EXPECTED, "")
    assert _snapshot(project) == before


def test_the_environment_language_comes_before_the_project_one(run_opsbook, tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "ops").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(MKDOCS.replace("lang: en", "lang: zh-CN"), "utf-8")
    (project / "ops" / "bad.yaml").write_text("id: [broken\n", encoding="utf-8")
    result = run_opsbook("check", cwd=project, env=opsbook_env(tmp_path, OPSBOOK_LANG="en"))
    assert (result.returncode, result.stdout) == (1, EXPECTED)
