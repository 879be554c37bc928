"""Command-line behaviour around the check: exit codes, languages, formats, caching."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import SCENARIOS, opsbook_env


def test_missing_path_is_a_usage_error(run_opsbook) -> None:
    result = run_opsbook("check", "no/such/dir")
    assert result.returncode == 2
    assert "Error: no such file or directory: no/such/dir" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_format_is_a_usage_error(run_opsbook) -> None:
    result = run_opsbook("check", "--format", "xml")
    assert result.returncode == 2
    assert "Invalid value for '--format'" in result.stderr


def test_language_follows_the_locale(tmp_path: Path, run_opsbook) -> None:
    project = tmp_path / "p"
    shutil.copytree(SCENARIOS, project / "scenarios")
    (project / "scenarios" / "ecommerce-new-user-first-order.yaml").write_text(
        "id: x\n", encoding="utf-8"
    )
    result = run_opsbook("check", cwd=project, env=opsbook_env(tmp_path, LANG="zh_CN.UTF-8"))
    assert result.returncode == 1
    assert (
        "error[ref.file-name] id: “x”与文件名“ecommerce-new-user-first-order.yaml”不一致"
        in result.stdout
    )
    assert result.stdout.rstrip().endswith("个文件中有 1 个存在问题：9 个错误，0 个警告")


def test_json_output_is_parseable_and_clean_run_exits_zero(run_opsbook) -> None:
    result = run_opsbook("check", "--format", "json", "--strict")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["errors"] == 0 and report["diagnostics"] == []
    assert "scenarios/team.yaml" in report["files"]


def test_cached_results_are_identical_to_fresh_ones(tmp_path: Path, run_opsbook) -> None:
    project = tmp_path / "p"
    shutil.copytree(
        Path(__file__).parent / "cases" / "invalid" / "references", project / "scenarios"
    )
    shutil.copy(Path(__file__).parent / "cases" / "team.yaml", project / "scenarios")
    first = run_opsbook("check", cwd=project)
    second = run_opsbook("check", cwd=project)
    fresh = run_opsbook("check", "--no-cache", cwd=project)
    assert first.stdout == second.stdout == fresh.stdout
    assert first.returncode == second.returncode == fresh.returncode == 1


def test_version(run_opsbook) -> None:
    result = run_opsbook("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("opsbook, version ")
