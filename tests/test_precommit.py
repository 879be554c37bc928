"""The pre-commit hooks, run by the real pre-commit in a repository made in the test: they
pass on a clean tree and each one catches its kind of mistake, offline."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT

SHIPPED = ["team.yaml", "ecommerce-new-user-first-order.yaml", "saas-renewal-expansion.yaml"]
CLEAN_PY = '"""A module."""\n\n\ndef answer() -> int:\n    return 42\n'


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def _pre_commit(repo: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    venv_bin = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": f"{venv_bin}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "OPSBOOK_CACHE_DIR": str(tmp_path / "cache"),
        "LANG": "C.UTF-8",
        "OPSBOOK_LANG": "en",
        "NO_COLOR": "1",
    }
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def _project(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "scenarios").mkdir(parents=True)
    for name in SHIPPED:
        shutil.copy(ROOT / "scenarios" / name, repo / "scenarios" / name)
    shutil.copytree(ROOT / "schema", repo / "schema", ignore=shutil.ignore_patterns("catalog*"))
    for name in ("pyproject.toml", ".pre-commit-config.yaml"):
        shutil.copy(ROOT / name, repo / name)
    (repo / "tools").mkdir()
    (repo / "tools" / "answer.py").write_text(CLEAN_PY, encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    return repo


def _statuses(output: str) -> dict[str, str]:
    """``name....Passed`` lines → {name: Passed}."""
    found = {}
    for line in output.splitlines():
        name, dots, status = line.partition("...")
        if dots and status.rstrip(".").split():
            found[name.strip()] = status.rstrip().rsplit(".", 1)[-1].strip()
    return found


def test_the_hooks_pass_on_a_clean_tree_and_catch_each_mistake(tmp_path: Path) -> None:
    repo = _project(tmp_path)
    done = _pre_commit(repo, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _statuses(done.stdout) == {
        "ruff check": "Passed",
        "ruff format": "Passed",
        "schemas are valid JSON Schema": "Passed",
        "opsbook check": "Passed",
    }

    scenario = repo / "scenarios" / "ecommerce-new-user-first-order.yaml"
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("status: in-progress", "status: stuck", 1), encoding="utf-8")
    (repo / "tools" / "unused.py").write_text('"""Unused."""\n\nimport os\n', encoding="utf-8")
    (repo / "tools" / "answer.py").write_text(CLEAN_PY.replace("42", "( 42 )"), encoding="utf-8")
    broken = repo / "schema" / "extra.schema.json"
    broken.write_text(
        '{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "strng"}'
    )
    _git(repo, "add", ".")
    done = _pre_commit(repo, tmp_path)
    assert done.returncode == 1
    assert _statuses(done.stdout) == {
        "ruff check": "Failed",
        "ruff format": "Failed",
        "schemas are valid JSON Schema": "Failed",
        "opsbook check": "Failed",
    }
    assert "F401 [*] `os` imported but unused\n --> tools/unused.py:3:8\n" in done.stdout
    assert "- files were modified by this hook\n\n1 file reformatted" in done.stdout
    assert (repo / "tools" / "answer.py").read_text(encoding="utf-8") == CLEAN_PY
    assert "schema/extra.schema.json: at /type: 'strng' is not valid under any of" in done.stdout
    line = scenario.read_text(encoding="utf-8").splitlines().index("    status: stuck") + 1
    assert (
        f"scenarios/ecommerce-new-user-first-order.yaml:{line}:13: error[schema.enum] "
        "actions[1].status: 'stuck' is not one of" in done.stdout
    )


def test_the_exported_hook_matches_the_projects_own() -> None:
    """Other repositories get the same command the project runs on itself."""
    (exported,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    own = next(h for r in config["repos"] for h in r["hooks"] if h["id"] == "opsbook-check")
    assert exported["entry"] == own["entry"] == "opsbook check --strict"
    assert (exported["language"], exported["files"]) == ("python", r"^scenarios/.*\.ya?ml$")
    for name in (".pre-commit-hooks.yaml", ".pre-commit-config.yaml"):
        command = "validate-manifest" if name == ".pre-commit-hooks.yaml" else "validate-config"
        done = subprocess.run(
            [sys.executable, "-m", "pre_commit", command, str(ROOT / name)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
