"""``opsbook diff`` against real git repositories made in the test: commits that move actuals,
statuses and owners, rename a file, add and remove scenarios, break a file."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest

from opsbook.diff.changes import compare
from opsbook.diff.history import WORK_TREE, catalog_at_revision
from opsbook.model.catalog import Catalog

TEAM = """\
team: {name: Demo team}
departments:
  - {id: ops, name: Operations}
people:
  - {id: ann, name: Ann Lee, role: Ops lead, department: ops}
  - {id: bob, name: Bob Chen, role: Engineer, department: ops}
"""

SCENARIO = """\
# yaml-language-server: $schema=../schema/scenario.schema.json
id: first-order
title: New-user first order
industry: ecommerce
module: Growth
owner: ann
cycle: {start: 2026-06-01, end: 2026-06-30, cadence: weekly}
needs:
  business_goal: New-user conversion +20% this quarter
  goal: First-order conversion ≥ 20%
  user_group: Users within 7 days of sign-up
  pain_point: Unsure of the product's value
  success_criteria: [first-order-cr]
actions:
  - id: coupon-pack
    strategy: New-user subsidy
    action: Launch a coupon pack
    owner: ann
    due: 2026-06-25
    standard: Pack approved by 06-25
    status: in-progress
  - id: sms
    strategy: SMS reach
    action: Coupon reminder within 24 h
    owner: bob
    due: 2026-06-12
    standard: Reach ≥ 90%
    status: in-progress
metrics:
  - id: first-order-cr
    name: First-order conversion
    unit: "%"
    direction: up
    target: 20
    source: {kind: sql, system: Orders, connection_env: WAREHOUSE_URL, query: SELECT 1}
    observations:
      - {date: 2026-06-13, value: 17}
"""

MKDOCS = """\
site_name: Demo
plugins:
  - opsbook:
      as_of: 2026-06-22
      lang: en
"""


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "--short", "HEAD")


def write(repo: Path, name: str, text: str) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def edit(repo: Path, name: str, old: str, new: str) -> None:
    path = repo / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A project on branch main with one scenario, committed."""
    root = tmp_path / "project"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root, "mkdocs.yml", MKDOCS)
    write(root, "scenarios/team.yaml", TEAM)
    write(root, "scenarios/first-order.yaml", SCENARIO)
    commit(root, "base")
    return root


def test_actuals_statuses_owners_and_due_dates(repo: Path, run_opsbook) -> None:
    base = git(repo, "rev-parse", "--short", "HEAD")
    name = "scenarios/first-order.yaml"
    edit(
        repo,
        name,
        "      - {date: 2026-06-13, value: 17}\n",
        "      - {date: 2026-06-20, value: 19}\n",
    )
    edit(repo, name, "    owner: ann\n    due: 2026-06-25", "    owner: bob\n    due: 2026-06-28")
    edit(
        repo,
        name,
        "    standard: Reach ≥ 90%\n    status: in-progress",
        "    standard: Reach ≥ 90%\n    status: done",
    )
    head = commit(repo, "progress")
    done = run_opsbook("diff", "HEAD~1", "HEAD", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout
        == f"""\
## Operations changes: `{base}` → `{head}`

As of 2026-06-22 · 0 added · 0 removed · 0 renamed · 1 changed · rule violations: 0 introduced, 0 fixed

### New-user first order (`first-order`)

Scenario alert: 🟡 Warning → 🟢 On track

| Metric | Actual | Target | Achievement | Alert |
| --- | --- | --- | --- | --- |
| First-order conversion (`first-order-cr`) | 17% → 19% | 20% | 85% → 95% | 🟡 Warning → 🟢 On track |

| Action | Status | Owner | Due |
| --- | --- | --- | --- |
| Launch a coupon pack (`coupon-pack`) | In progress | Ann Lee → Bob Chen | 2026-06-25 → 2026-06-28 |
| Coupon reminder within 24 h (`sms`) | Overdue → Done | Bob Chen | 2026-06-12 |
"""
    )


def second_scenario(scenario_id: str, title: str) -> str:
    return SCENARIO.replace("id: first-order\n", f"id: {scenario_id}\n").replace(
        "title: New-user first order", f"title: {title}"
    )


def test_rename_add_remove_against_the_merge_base(repo: Path, run_opsbook) -> None:
    write(repo, "scenarios/winback.yaml", second_scenario("winback", "Churned-user win-back"))
    base = commit(repo, "winback")
    git(repo, "checkout", "-q", "-b", "feature")
    git(repo, "checkout", "-q", "main")  # main moves on: not part of the feature's change
    edit(repo, "scenarios/winback.yaml", "value: 17}", "value: 12}")
    commit(repo, "main moves on")
    git(repo, "checkout", "-q", "feature")
    git(repo, "rm", "-q", "scenarios/winback.yaml")
    commit(repo, "drop winback")
    git(repo, "mv", "scenarios/first-order.yaml", "scenarios/first-purchase.yaml")
    edit(repo, "scenarios/first-purchase.yaml", "id: first-order\n", "id: first-purchase\n")
    write(repo, "scenarios/repurchase.yaml", second_scenario("repurchase", "High repurchase"))
    done = run_opsbook("diff", cwd=repo)  # base: merge base with main; head: the work tree
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout
        == f"""\
## Operations changes: `{base}` → work tree

As of 2026-06-22 · 1 added · 1 removed · 1 renamed · 0 changed · rule violations: 0 introduced, 0 fixed

### Scenarios added

- **High repurchase** · `repurchase` · `scenarios/repurchase.yaml` · owner Ann Lee · alert 🟡 Warning · overdue 1

### Scenarios removed

- **Churned-user win-back** · `winback` · `scenarios/winback.yaml` · owner Ann Lee · alert 🟡 Warning · overdue 1

### Scenarios renamed or moved

- **New-user first order** · `scenarios/first-order.yaml` → `scenarios/first-purchase.yaml` · id `first-order` → `first-purchase`
"""
    )


def test_a_broken_change_exits_1_and_reports_what_broke(repo: Path, run_opsbook) -> None:
    base = git(repo, "rev-parse", "--short", "HEAD")
    edit(repo, "scenarios/first-order.yaml", "    status: in-progress\n", "    status: stuck\n")
    done = run_opsbook("diff", cwd=repo)
    assert done.returncode == 1
    assert (
        done.stdout
        == f"""\
## Operations changes: `{base}` → work tree

As of 2026-06-22 · 0 added · 0 removed · 0 renamed · 0 changed · rule violations: 1 introduced, 0 fixed

> ⚠️ The change (work tree) does not pass `opsbook check`: its scenarios cannot be compared; see the rule violations below.

### Rule violations

**Introduced (1)**

- `scenarios/first-order.yaml:21` error `schema.enum` `actions[0].status`: 'stuck' is not one of not-started, in-progress, done, delayed
"""
    )


def test_a_fix_of_a_broken_base_is_reported_fixed(repo: Path, run_opsbook) -> None:
    edit(repo, "scenarios/first-order.yaml", "    status: in-progress\n", "    status: stuck\n")
    base = commit(repo, "broken")
    edit(repo, "scenarios/first-order.yaml", "    status: stuck\n", "    status: done\n")
    done = run_opsbook("diff", "HEAD", "--format", "json", cwd=repo)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert list(report) == [
        "base", "head", "lang", "before_as_of", "after_as_of", "broken_before", "broken_after",
        "added", "removed", "renamed", "scenarios", "violations_introduced", "violations_fixed",
    ]  # fmt: skip
    assert (report["base"], report["head"], report["broken_before"], report["broken_after"]) == (
        base, "WORKTREE", True, False,
    )  # fmt: skip
    assert report["violations_fixed"] == [
        {
            "file": "scenarios/first-order.yaml", "line": 21, "col": 13, "severity": "error",
            "code": "schema.enum", "path": "actions[0].status",
            "message": "'stuck' is not one of not-started, in-progress, done, delayed",
            "hint": "allowed: not-started, in-progress, done, delayed",
        }
    ]  # fmt: skip
    assert report["scenarios"] == []  # the base cannot be compared: only violations are


def test_usage_errors_exit_2(tmp_path: Path, repo: Path, run_opsbook) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    done = run_opsbook("diff", cwd=outside)
    assert done.returncode == 2
    assert "is not inside a git repository" in done.stderr
    done = run_opsbook("diff", "no-such-branch", cwd=repo)
    assert done.returncode == 2
    assert "Error: unknown revision 'no-such-branch'" in done.stderr
    assert done.stdout == ""


def test_user_text_is_escaped_and_labels_follow_the_language(repo: Path, run_opsbook) -> None:
    edit(
        repo, "scenarios/first-order.yaml",
        "action: Launch a coupon pack\n", "action: '*Launch* | <b>pack</b> @team $5 #1'\n",
    )  # fmt: skip
    edit(repo, "scenarios/first-order.yaml", "    status: in-progress\n", "    status: done\n")
    done = run_opsbook("diff", "--lang", "zh-CN", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-3:] == [
        "| 行动 | 状态 | 负责人 | 截止 |",
        "| --- | --- | --- | --- |",
        "| \\*Launch\\* \\| &lt;b&gt;pack&lt;/b&gt; \\@team \\$5 \\#1 (`coupon-pack`) "
        "| 进行中 → 已完成 | Ann Lee | 2026-06-25 |",
    ]


ANOMALIES = """\
anomalies:
  - {id: late-pack, found: 2026-06-05, problem: Pack late, cause: Review slow, fix: Fast-track,
     owner: ann, due: 2026-06-08, status: closed, closed: 2026-06-16, action: coupon-pack}
  - {id: low-cr, found: 2026-06-15, problem: Conversion low, cause: Threshold high,
     fix: Lower it, owner: bob, due: 2026-06-30, status: open, metric: first-order-cr}
"""


def test_the_same_scenarios_on_two_dates(repo: Path) -> None:
    """What the review pack shows "since the last review": one catalog, two as-of dates."""
    write(repo, "scenarios/first-order.yaml", SCENARIO + ANOMALIES)
    later, result = catalog_at_revision(repo, WORK_TREE, as_of=dt.date(2026, 6, 22))
    assert later is not None, result.diagnostics
    earlier = Catalog.build(later.team, later.scenarios, dt.date(2026, 6, 10))
    changes = compare(earlier, later)
    (scenario,) = changes.scenarios
    assert [(m.id, m.actual.before, m.actual.after) for m in scenario.metrics_changed] == [
        ("first-order-cr", None, 17)
    ]
    assert [m.id for m in scenario.new_alerts] == ["first-order-cr"]
    assert [(a.id, a.status.before, a.status.after) for a in scenario.actions_changed] == [
        ("sms", "in-progress", "overdue")
    ]
    assert [a.id for a in scenario.anomalies_opened] == ["low-cr"]
    assert [a.id for a in scenario.anomalies_closed] == ["late-pack"]
    assert [(o.kind, o.id) for o in scenario.new_overdue] == [("action", "sms")]


def test_output_file_is_written_whole(repo: Path, run_opsbook) -> None:
    base = git(repo, "rev-parse", "--short", "HEAD")
    done = run_opsbook("diff", "-o", "out/summary.md", cwd=repo)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert (repo / "out" / "summary.md").read_text(encoding="utf-8") == (
        f"## Operations changes: `{base}` → work tree\n\n"
        "As of 2026-06-22 · 0 added · 0 removed · 0 renamed · 0 changed · "
        "rule violations: 0 introduced, 0 fixed\n\nNo change to the operations.\n"
    )
    assert [p.name for p in (repo / "out").iterdir()] == ["summary.md"]  # no temporary left
    current = os.umask(0o022)
    os.umask(current)
    assert (repo / "out" / "summary.md").stat().st_mode & 0o777 == 0o666 & ~current


def test_a_shallow_clone_says_what_is_missing(repo: Path, tmp_path: Path, run_opsbook) -> None:
    write(repo, "notes.txt", "second commit\n")
    commit(repo, "second")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-local", repo.as_uri(), str(shallow))
    git(shallow, "branch", "-q", "-m", "feature")  # a CI checkout: not on main, no history
    git(shallow, "branch", "-q", "-r", "-d", "origin/main")
    done = run_opsbook("diff", cwd=shallow)
    assert done.returncode == 2
    assert "this is a shallow clone: the merge base with main is not in it" in done.stderr


def test_a_link_out_of_the_repository_is_refused(repo: Path, run_opsbook) -> None:
    (repo / "scenarios" / "secret.yaml").symlink_to("/etc/passwd")
    commit(repo, "a link out")
    done = run_opsbook("diff", "HEAD~1", "HEAD", cwd=repo)
    assert done.returncode == 2
    assert "Error: cannot read the scenarios of " in done.stderr
    assert "secret.yaml" in done.stderr


def test_a_size_limit_leaves_out_sections_and_says_so(repo: Path, run_opsbook) -> None:
    for n in range(6):
        write(repo, f"scenarios/s{n}.yaml", second_scenario(f"s{n}", f"Scenario {n}"))
    commit(repo, "six more")
    for n in range(6):
        edit(repo, f"scenarios/s{n}.yaml", "value: 17}", "value: 19}")
    full = run_opsbook("diff", cwd=repo)
    assert full.stdout.count("\n### Scenario ") == 6
    done = run_opsbook("diff", "--max-bytes", "1200", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.encode("utf-8")) <= 1200 < len(full.stdout.encode("utf-8"))
    kept = done.stdout.count("\n### Scenario ")
    assert 0 < kept < 6
    assert " · 6 changed · " in done.stdout
    assert done.stdout.endswith(
        f"\n\n… {6 - kept} more changed scenario(s) left out to keep this summary short; "
        "`opsbook diff --format json` lists everything.\n"
    )


def test_a_moved_file_keeps_its_warnings(repo: Path, run_opsbook) -> None:
    """Moving a scenario into a sub-folder neither fixes nor introduces its warnings."""
    edit(repo, "scenarios/first-order.yaml", "standard: Reach ≥ 90%", "standard: Improve reach")
    commit(repo, "a vague standard")
    (repo / "scenarios" / "growth").mkdir()
    git(repo, "mv", "scenarios/first-order.yaml", "scenarios/growth/first-order.yaml")
    done = run_opsbook("diff", "--format", "json", cwd=repo)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [(r["before"]["file"], r["after"]["file"]) for r in report["renamed"]] == [
        ("scenarios/first-order.yaml", "scenarios/growth/first-order.yaml")
    ]
    assert (report["violations_introduced"], report["violations_fixed"]) == ([], [])
