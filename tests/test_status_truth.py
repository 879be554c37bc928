"""One status truth: a scenario's level is its worst core metric's level, and wherever the level
appears it appears with that metric — in the pack, on the dashboard, in the portfolio charts'
dots, in the exports. Read back from the real outputs of the real CLI."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, SCENARIOS, opsbook_env
from site_support import shipped_site  # noqa: F401  (a fixture)

CRITICAL_FILL = "#d55e00"
GROUPBUY = "local-store-groupbuy-traffic.yaml"


def opsbook(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opsbook", *args],
        cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=600,
        check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def zh_pack_text(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    # --full: the scenario headers of the full records carry the level beside its metric
    folder = tmp_path_factory.mktemp("status-pack")
    out = folder / "review.pdf"
    done = opsbook(
        "pack", "--full", "--no-charts", "-o", str(out), cwd=ROOT, env=opsbook_env(folder)
    )
    assert done.returncode == 0, done.stderr
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")


def test_pack_summary_shows_the_metric_that_set_the_level(zh_pack_text: list[str]) -> None:
    summary = next(page for page in zh_pack_text if "概览" in page and "核心指标" in page)
    table = summary.split("概览", 1)[1]  # the due list may end on the same page
    row = next(line for line in table.splitlines() if line.startswith("门店团购引流"))
    assert re.split(r"\s{2,}", row.strip())[:6] == [
        "门店团购引流", "团购退款率", "≤ 8%", "11.2%", "71.4%", "严重",
    ]  # fmt: skip


def test_pack_scenario_header_names_the_metric_beside_the_level(
    zh_pack_text: list[str],
) -> None:
    page = next(p for p in zh_pack_text if "团购退款率 · 达成率" in p)
    flat = re.sub(r"\s+", "", page)
    assert "严重" in flat and "71.4%" in flat
    assert "90%" not in flat.split("团购退款率·达成率")[0][-40:]


class _Svg(HTMLParser):
    """The row labels (right-aligned y-axis text) and the dots (``<use>`` marks) of a chart."""

    def __init__(self) -> None:
        super().__init__()
        self.fills: dict[str, str] = {}
        self.labels: list[tuple[float, str]] = []
        self.dots: list[tuple[float, float, str]] = []
        self._label_y: float | None = None
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self._in_style = tag == "style"
        if tag == "text" and a.get("class") == self._end_class:
            self._label_y = float(a["y"] or 0)
        if tag == "use" and a.get("class") in self.fills:
            self.dots.append((float(a["x"] or 0), float(a["y"] or 0), self.fills[a["class"]]))

    def handle_data(self, data: str) -> None:
        if self._in_style:
            for name, body in re.findall(r"\.(s\d+)\{([^}]*)\}", data):
                if "text-anchor:end" in body:
                    self._end_class = name
                if fill := re.search(r"fill:(#[0-9a-f]{3,6})", body):
                    self.fills[name] = fill[1]
        elif self._label_y is not None:
            self.labels.append((self._label_y, data))
            self._label_y = None

    _end_class = ""

    def row_fills(self) -> dict[str, list[str]]:
        """Each row label → the fills of the dots drawn on that row (legend marks excluded)."""
        rows: dict[str, list[str]] = {}
        for y, label in self.labels:
            rows[label] = sorted(f for x, dy, f in self.dots if abs(dy - y) < 6 and x >= 170)
        return rows


def chart_rows(site: Path, name: str) -> dict[str, list[str]]:
    parser = _Svg()
    parser.feed((site / "charts" / "portfolio" / name).read_text(encoding="utf-8"))
    return parser.row_fills()


def test_dashboard_dots_are_coloured_by_the_scenarios_level(shipped_site: Path) -> None:  # noqa: F811
    site = shipped_site / "site"
    by_industry = chart_rows(site, "achievement-by-industry.svg")
    assert CRITICAL_FILL in by_industry["电商"]
    assert CRITICAL_FILL in by_industry["本地生活"]
    by_owner = chart_rows(site, "achievement-by-owner.svg")
    assert CRITICAL_FILL in by_owner["李娜"]
    assert CRITICAL_FILL in by_owner["林峰"]
    # one dot per scenario with data, and as many red dots as critical scenarios (three)
    assert sum(len(f) for f in by_industry.values()) == 10
    assert sum(f.count(CRITICAL_FILL) for f in by_industry.values()) == 3
    assert sum(f.count(CRITICAL_FILL) for f in by_owner.values()) == 3


def _cells(html: str, first: str) -> list[str]:
    """The cells of the first table row whose second cell is ``first``."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        cells = [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        if len(cells) > 1 and cells[1] == first:
            return cells
    raise AssertionError(f"no row for {first}")


def test_dashboard_alerts_name_the_scenario_owner_to_act(shipped_site: Path) -> None:  # noqa: F811
    html = (shipped_site / "site" / "index.html").read_text(encoding="utf-8")
    assert "处理人（场景负责人）" in html and "数据提供人" in html
    assert _cells(html, "门店团购引流") == [
        "严重 严重第 3 周 · 06-07 起", "门店团购引流", "团购退款率", "11.2% ▼ −0.6 个百分点", "8%",
        "71.4%", "林峰", "徐涛", "预约功能06-24前上线 晚高峰加排班06-26前在徐汇店落地",
    ]  # fmt: skip
    assert _cells(html, "新用户首单转化")[6:8] == ["李娜", "徐涛"]
    assert _cells(html, "试用客户付费转化")[6:8] == ["黄敏", "徐涛"]


def test_scenario_page_header_shows_the_level_with_its_metric(shipped_site: Path) -> None:  # noqa: F811
    page = shipped_site / "site" / "scenarios" / "local-store-groupbuy-traffic" / "index.html"
    text = re.sub(r"<[^>]+>|\s+", "", page.read_text(encoding="utf-8"))
    assert "严重团购退款率：71.4%" in text


# The threshold edge: exactly at warn_at is on track, exactly at critical_at is a warning.


def _project_with(tmp_path: Path, redemption: str) -> Path:
    root = tmp_path / "project"
    shutil.copytree(SCENARIOS, root / "scenarios")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    path = root / "scenarios" / GROUPBUY
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "{date: 2026-06-21, value: 66}", f"{{date: 2026-06-21, value: {redemption}}}"
    )
    text = text.replace("{date: 2026-06-21, value: 11.2,", "{date: 2026-06-21, value: 8,")
    path.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("redemption", "level"),
    [("63", "ok"), ("62.9", "warning"), ("56", "warning"), ("55.9", "critical")],
)
def test_the_threshold_edge_is_the_same_in_every_output(
    tmp_path: Path, redemption: str, level: str
) -> None:
    """Target 70, warn_at 90%, critical_at 80%: 63 is exactly 90%, 56 exactly 80%."""
    root = _project_with(tmp_path, redemption)
    env = opsbook_env(tmp_path)
    done = opsbook("export", "--format", "json", "-o", "c.json", cwd=root, env=env)
    assert done.returncode == 0, done.stderr
    catalog = json.loads((root / "c.json").read_text(encoding="utf-8"))
    scenario = next(s for s in catalog["scenarios"] if s["id"] == GROUPBUY[:-5])
    assert scenario["computed"]["alert"] == level
    assert scenario["computed"]["alert_metric"] == "groupbuy-redemption"
