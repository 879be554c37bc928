"""Trends across cycles through the real CLI: the scenario page's earlier cycles and its
attainment-by-cycle chart, the dashboard's team attainment by cycle, the carried-over note,
and the same numbers printed in the review pack (read back with pdftotext)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT, SCENARIOS, opsbook_env
from site_support import run


def _text(html: str) -> str:
    """The page's visible text, one space between pieces."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(SCENARIOS, root / "scenarios")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "site", root / "site")
    return root


def test_the_scenario_page_shows_its_earlier_cycles_and_their_chart(tmp_path: Path) -> None:
    root = _project(tmp_path)
    done = run("build", "-d", str(root / "out"), cwd=root, env=opsbook_env(tmp_path))
    assert done.returncode == 0, done.stderr
    page = (root / "out/scenarios/saas-renewal-expansion/index.html").read_text("utf-8")
    text = _text(page)
    assert (
        "历史周期 ¶ 周期 目标达成 周期复盘 2026-04-01 – 2026-04-30 "
        "Net revenue retention：101.4% / 108% · 93.9% Gross revenue churn：8.6% / 6% · 69.8% "
        "NRR 101.4% against 108%; gross churn 8.6% against 6% 2026-05-01 – 2026-05-31 "
        "Net revenue retention：102.8% / 110% · 93.5% Gross revenue churn：7.4% / 5% · 67.6% "
        "NRR 102.8% against 110%; gross churn 7.4% against 5%"
    ) in text.replace("&para;", "¶")
    # the chart's text alternative states its numbers, the current cycle last
    assert (
        'alt="各周期达成率 — Net revenue retention&#58; 2026-04-01 93.9%, 2026-05-01 93.5%, '
        "2026-06-01 （本周期） 96.5%; Gross revenue churn&#58; 2026-04-01 69.8%, "
        '2026-05-01 67.6%, 2026-06-01 （本周期） 92.6%"'
    ) in page
    assert (root / "out/charts/saas-renewal-expansion/cycles.svg").read_bytes().startswith(b"<svg")
    assert "Build an ROI report template from product usage data, one page per account " \
        "结转自 2026-05-01 开始的周期" in text  # fmt: skip
    dashboard = (root / "out/index.html").read_text("utf-8")
    assert (
        'alt="团队各周期达成率 — 团队平均&#58; 2026-04 · 1 个场景 81.8%, 2026-05 · 2 个场景 82.1%, '
        '2026-06 · 10 个场景 92.2%"'
    ) in dashboard
    # a scenario that never closed a cycle has neither the section nor the chart
    other = (root / "out/scenarios/content-creator-cold-start/index.html").read_text("utf-8")
    assert "历史周期" not in other and "cycles.svg" not in other
    assert not (root / "out/charts/content-creator-cold-start/cycles.svg").exists()


def test_the_pack_prints_the_earlier_cycles_and_the_carried_over_note(tmp_path: Path) -> None:
    pdf = tmp_path / "pack.pdf"
    done = run(
        "pack", "--full", "--lang", "en", "--id", "saas-renewal-expansion", "-o", str(pdf),
        cwd=ROOT, env=opsbook_env(tmp_path),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    expected = (
        "EarliercyclesCycleAttainmentCyclereview2026-04-01–2026-04-30"
        "•Netrevenueretention:101.4%/108%·93.9%•Grossrevenuechurn:8.6%/6%·69.8%"
        "NRR101.4%against108%;grosschurn8.6%against6%2026-05-01–2026-05-31"
        "•Netrevenueretention:102.8%/110%·93.5%•Grossrevenuechurn:7.4%/5%·67.6%"
        "NRR102.8%against110%;grosschurn7.4%against5%Attainmentbycycle"
    )
    assert expected in flat
    assert flat.count("carriedoverfromthecycleof2026-05-01") == 1  # the one carried action
