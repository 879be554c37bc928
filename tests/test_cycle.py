"""``opsbook cycle close`` and ``opsbook cycle next`` on a copy of a shipped scenario."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
SCENARIO = "saas-renewal-expansion"
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "scenarios" / "data").mkdir(parents=True)
    shutil.copy(SCENARIOS / "team.yaml", root / "scenarios")
    shutil.copy(SCENARIOS / "data" / "gross-churn.csv", root / "scenarios" / "data")
    text = (SCENARIOS / f"{SCENARIO}.yaml").read_text(encoding="utf-8")
    text = text.replace("\nactions:\n", "\n# the plan for this cycle\nactions:\n")
    (root / "scenarios" / f"{SCENARIO}.yaml").write_text(text, encoding="utf-8")
    return root


def scenario(root: Path) -> str:
    return (root / "scenarios" / f"{SCENARIO}.yaml").read_text(encoding="utf-8")


def cycle(run: Run, root: Path, *args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    return run("cycle", *args, "--as-of", "2026-07-02", "--lang", lang, cwd=root)


HISTORY_AFTER_CLOSE = """\
  - cycle: {start: 2026-06-01, end: 2026-06-30}
    attainment:
      - {metric: nrr, target: 110, actual: 106.2, achievement: 96.5}
      - {metric: gross-churn, target: 5, actual: 5.4, achievement: 92.6}
"""


def test_close_then_next_moves_the_cycle_and_keeps_the_comments(
    run_opsbook: Run, project: Path
) -> None:
    before = scenario(project)
    closed = cycle(run_opsbook, project, "close", SCENARIO)
    assert closed.returncode == 0, closed.stdout + closed.stderr
    assert closed.stdout == (
        f"{SCENARIO}: cycle 2026-06-01 – 2026-06-30 closed\n1 file(s) written\n"
    )
    assert scenario(project) == before + HISTORY_AFTER_CLOSE

    started = cycle(run_opsbook, project, "next", SCENARIO, "--target", "nrr=112")
    assert started.returncode == 0, started.stdout + started.stderr
    assert started.stdout == (
        f"{SCENARIO}: next cycle 2026-07-01 – 2026-07-31 started\n1 file(s) written\n"
    )
    after = scenario(project)
    assert "# yaml-language-server: $schema=../schema/scenario.schema.json\n" in after
    assert "# the plan for this cycle\nactions:\n  - id: roi-report\n" in after
    assert "cycle: {start: 2026-07-01, end: 2026-07-31, cadence: weekly}\n" in after
    assert (
        "    start: 2026-07-03\n    due: 2026-07-17\n"
        "    resources: {dev_days: 4, channels: [BI dashboard]}\n"
        "    standard: Template live by 06-17 with ≥ 5 value metrics per account\n"
        "    status: in-progress\n    carried_from: 2026-05-01\n"
    ) in after  # carried over again: it keeps the cycle it first came from
    assert after.count("carried_from: 2026-05-01") == 1
    assert after.count("carried_from: 2026-06-01") == 2
    assert "    target: 112\n" in after and "    target: 5\n" in after
    assert "\nreviews:" not in after
    history = after[after.index("  - cycle: {start: 2026-06-01, end: 2026-06-30}\n") :]
    assert history.startswith(HISTORY_AFTER_CLOSE)
    assert "  - cycle: {start: 2026-05-01, end: 2026-05-31}\n" in after
    assert "    reviews:\n      - period: {start: 2026-06-15, end: 2026-06-21}\n" in history
    assert "    actions:\n      - id: renewal-alerts\n" in history
    assert "      - id: health-check\n" in history
    assert (
        "    observations:\n      nrr:\n        - {date: 2026-06-07, value: 103.5}\n"
    ) in history
    assert after.count("{date: 2026-06-21, value: 5.4}") == 1
    checked = run_opsbook("check", "scenarios", "--lang", "en", cwd=project)
    assert checked.returncode == 0, checked.stdout


def test_dry_run_prints_the_diff_and_writes_nothing(run_opsbook: Run, project: Path) -> None:
    without_history = scenario(project).split("\n\n# Closed cycles")[0] + "\n"
    (project / "scenarios" / f"{SCENARIO}.yaml").write_text(without_history, encoding="utf-8")
    before = scenario(project)
    result = cycle(run_opsbook, project, "close", SCENARIO, "--dry-run")
    assert result.returncode == 0
    assert result.stdout.startswith(
        f"--- a/scenarios/{SCENARIO}.yaml\n+++ b/scenarios/{SCENARIO}.yaml\n"
    )
    assert "+history:\n+  - cycle: {start: 2026-06-01, end: 2026-06-30}\n" in result.stdout
    assert result.stdout.endswith(
        f"{SCENARIO}: cycle 2026-06-01 – 2026-06-30 closed\ndry run: nothing written\n"
    )
    assert scenario(project) == before


def test_close_all_closes_every_ended_cycle_once(run_opsbook: Run, project: Path) -> None:
    first = cycle(run_opsbook, project, "close", "--all")
    assert first.stdout.splitlines()[0] == f"{SCENARIO}: cycle 2026-06-01 – 2026-06-30 closed"
    again = cycle(run_opsbook, project, "close", "--all")
    assert (again.returncode, again.stdout) == (
        0,
        "no open cycle has ended by 2026-07-02; nothing to close\n",
    )


ERRORS = [
    (
        ["close", "nope"],
        "en",
        "error: no scenario with id 'nope' (scenarios: saas-renewal-expansion)\n"
        "1 error(s); nothing written\n",
    ),
    (
        ["next", SCENARIO],
        "en",
        f"scenarios/{SCENARIO}.yaml:9: error: the cycle 2026-06-01 – 2026-06-30 is not closed "
        "yet; run opsbook cycle close first\n1 error(s); nothing written\n",
    ),
    (
        ["next", SCENARIO],
        "zh-CN",
        f"scenarios/{SCENARIO}.yaml:9: 错误: 周期 2026-06-01 – 2026-06-30 尚未关闭；"
        "请先运行 opsbook cycle close\n1 个错误；未写入任何文件\n",
    ),
    (
        ["next", SCENARIO, "--target", "nrr", "--start", "2026-13-01"],
        "en",
        "--start: error: --start '2026-13-01' is not a date in the format YYYY-MM-DD\n"
        "--target: error: --target 'nrr' is not METRIC=NUMBER, e.g. nrr=112\n"
        "2 error(s); nothing written\n",
    ),
]


@pytest.mark.parametrize(("args", "lang", "expected"), ERRORS)
def test_errors_are_located_and_nothing_is_written(
    run_opsbook: Run, project: Path, args: list[str], lang: str, expected: str
) -> None:
    before = scenario(project)
    result = cycle(run_opsbook, project, *args, lang=lang)
    assert (result.returncode, result.stdout) == (1, expected)
    assert "Traceback" not in result.stderr
    assert scenario(project) == before


def test_close_before_the_end_and_next_errors_after_close(run_opsbook: Run, project: Path) -> None:
    early = run_opsbook(
        "cycle", "close", SCENARIO, "--as-of", "2026-06-20", "--lang", "en", cwd=project
    )
    assert (early.returncode, early.stdout) == (
        1,
        f"scenarios/{SCENARIO}.yaml:9: error: the cycle ends 2026-06-30, not before the as-of "
        "date 2026-06-20; close it after it has ended (or pass --as-of)\n"
        "1 error(s); nothing written\n",
    )
    assert cycle(run_opsbook, project, "close", SCENARIO).returncode == 0
    closed = scenario(project)
    twice = cycle(run_opsbook, project, "close", SCENARIO)
    assert twice.returncode == 1
    assert "the cycle starting 2026-06-01 is already closed" in twice.stdout
    for args, message in [
        (["--target", "nps=3"], "--target: 'nps' is not a metric of this scenario "
         "(metrics: nrr, gross-churn)"),
        (["--start", "2026-06-30"], "--start 2026-06-30 is not after the closed cycle's end "
         "2026-06-30"),
    ]:  # fmt: skip
        result = cycle(run_opsbook, project, "next", SCENARIO, *args)
        assert (result.returncode, result.stdout) == (
            1,
            f"scenarios/{SCENARIO}.yaml:9: error: {message}\n1 error(s); nothing written\n",
        )
    assert scenario(project) == closed


def test_next_with_a_later_start_keeps_the_cycle_length(run_opsbook: Run, project: Path) -> None:
    assert cycle(run_opsbook, project, "close", SCENARIO).returncode == 0
    result = cycle(run_opsbook, project, "next", SCENARIO, "--start", "2026-07-06")
    assert result.returncode == 0, result.stdout
    after = scenario(project)
    assert "cycle: {start: 2026-07-06, end: 2026-08-04, cadence: weekly}\n" in after
    assert "    start: 2026-07-08\n    due: 2026-07-22\n" in after
