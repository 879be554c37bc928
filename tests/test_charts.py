"""Charts: every file produced, deterministic bytes, real glyphs, literal user text, cache.

The SVGs keep text as paths, so the tests read what was drawn the way a viewer would: each
text element is a group of ``<use>`` references to glyph outlines whose ids carry the font
and the glyph index, preceded by a comment holding the string (matplotlib writes both).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib
import pytest
from matplotlib.ft2font import FT2Font

from conftest import ROOT, SCENARIOS
from opsbook.charts.draw import scenario_charts
from opsbook.charts.render import render_charts
from opsbook.charts.text import ellipsize, wrap
from opsbook.model import evaluate, scenario_from_data
from opsbook.model.catalog import Catalog, load_catalog
from opsbook.support.cache import Cache
from opsbook.support.fonts import FontChoice, FontError, find_cjk_font, require_glyphs

AS_OF = dt.date(2026, 6, 22)
DEJAVU = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
LATIN_ONLY = FontChoice("DejaVu Sans", DEJAVU, None, covers_cjk=False)
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    built, result = load_catalog([SCENARIOS], as_of=AS_OF)
    assert built is not None, result
    return built


@pytest.fixture(scope="module")
def font() -> FontChoice:
    return find_cjk_font()


@pytest.fixture(scope="module")
def zh_charts(catalog: Catalog, font: FontChoice) -> dict[str, bytes]:
    return render_charts(catalog, lang="zh-CN", font=font, jobs=1).files


def english_scenario(metric_name: str = "Trial to paid") -> dict:
    """A scenario whose every text is ASCII, built through the real model."""
    return {
        "id": "trial-paid", "title": "Trial to paid", "industry": "saas", "module": "Growth",
        "owner": "ann", "cycle": {"start": "2026-06-01", "end": "2026-06-30", "cadence": "weekly"},
        "needs": {
            "business_goal": "More paid teams", "goal": "Trial to paid >= 20%",
            "user_group": "New trials", "pain_point": "Setup is slow",
            "journey": [{"name": "Trial", "value": 1000}, {"name": "Paid", "value": 180}],
            "success_criteria": ["cr"],
        },
        "actions": [
            {"id": "a1", "strategy": "Onboarding", "action": "Guided setup", "owner": "ann",
             "standard": "Live by 06-10", "status": "done", "start": "2026-06-02",
             "due": "2026-06-10"},
            {"id": "a2", "strategy": "Onboarding", "action": "Daily tips email", "owner": "bob",
             "standard": "Open rate >= 40%", "status": "in-progress", "repeat": "daily"},
            {"id": "a3", "strategy": "Sales", "action": "Call every trial", "owner": "bob",
             "standard": "100% called", "status": "in-progress", "due": "2026-06-15"},
        ],
        "metrics": [
            {"id": "cr", "name": metric_name, "unit": "%", "direction": "up", "target": 20,
             "source": {"kind": "manual"},
             "observations": [{"date": "2026-06-07", "value": 15}, {"date": "2026-06-14",
                                                                     "value": 17.5}]},
        ],
    }  # fmt: skip


def text_groups(svg: bytes) -> dict[str, list[str]]:
    """Drawn string → glyph ids of its ``<use>`` elements (from the comment before each)."""
    groups: dict[str, list[str]] = {}
    text = svg.decode()
    for match in re.finditer(r"<!-- (.*?) -->\s*(.*?)</g>", text, re.S):
        ids = re.findall(r'(?:xlink:)?href="#([^"]+)"', match.group(2))
        groups.setdefault(match.group(1), ids)
    return groups


def test_every_chart_of_the_shipped_scenarios_is_drawn(
    catalog: Catalog, font: FontChoice, zh_charts: dict[str, bytes]
) -> None:
    expected = {
        "charts/portfolio/achievement-by-industry.svg",
        "charts/portfolio/achievement-by-owner.svg",
        "charts/portfolio/alerts.svg",
    }
    for scenario in catalog.scenarios:
        base = f"charts/{scenario.id}"
        expected |= {f"{base}/trend-{m.id}.svg" for m in scenario.metrics}
        expected |= {f"{base}/targets.svg", f"{base}/timeline.svg"}
        if all(stage.value is not None for stage in scenario.needs.journey):
            expected.add(f"{base}/funnel.svg")
        if scenario.history:
            expected.add(f"{base}/cycles.svg")
    expected.add("charts/portfolio/attainment-by-cycle.svg")  # two scenarios closed a cycle
    assert set(zh_charts) == expected
    assert len(expected) == 57
    for path, svg in zh_charts.items():
        root = ET.fromstring(svg)  # well-formed XML
        assert root.get("viewBox", "").startswith("0 0 800 "), path
        assert root.find(f".//{SVG}text") is None, path  # text is drawn as glyph outlines
        assert len(svg) < 160_000, (path, len(svg))


def test_chinese_is_drawn_with_real_cjk_glyphs(
    font: FontChoice, zh_charts: dict[str, bytes]
) -> None:
    svg = zh_charts["charts/ecommerce-new-user-first-order/trend-first-order-cr.svg"]
    groups = text_groups(svg)
    # the title, in the bold face: one real glyph (never .notdef, index 0) per character
    assert groups["首单转化率"] == [_bold_ref(font, c) for c in "首单转化率"]
    assert all(_bold_glyph(font, c) != 0 for c in "首单转化率")
    assert "目标 20% · 实际 18% · 达成率 90%" in groups
    assert "截至 06-22" in groups
    timeline = text_groups(zh_charts["charts/ecommerce-new-user-first-order/timeline.svg"])
    assert {"行动甘特图", "已完成", "进行中", "已逾期", "周期性（每日）"} <= set(timeline)
    # every action is started or past due: the key names only the statuses drawn
    assert "未开始" not in timeline


def test_attainment_by_cycle_draws_every_cycles_numbers(zh_charts: dict[str, bytes]) -> None:
    drawn = list(text_groups(zh_charts["charts/saas-renewal-expansion/cycles.svg"]))
    assert drawn == [
        "0%", "25%", "50%", "75%", "100%", "125%",
        "2026-04-01", "2026-05-01", "2026-06-01", "（本周期）", "周期（开始日期）",
        "93.9%", "93.5%", "96.5%", "69.8%", "67.6%", "92.6%",
        "各周期达成率", "各核心指标每个周期的达成率 · 2 个已关闭周期及本周期",
        "目标（100%）", "预警线", "Net revenue retention", "Gross revenue churn",
    ]  # fmt: skip
    team = list(text_groups(zh_charts["charts/portfolio/attainment-by-cycle.svg"]))
    # by cycle start month: April 1 scenario, May 2, June all 10 (their current cycles)
    assert team[6:13] == [
        "2026-04 · 1 个场景", "2026-05 · 2 个场景", "2026-06 · 10 个场景", "周期开始月份",
        "81.8%", "82.1%", "92.2%",
    ]  # fmt: skip
    assert "团队平均" in team
    # no closed cycle, no chart
    assert "charts/content-creator-cold-start/cycles.svg" not in zh_charts


def test_english_labels_follow_the_language(catalog: Catalog, font: FontChoice) -> None:
    state = catalog.state("ecommerce-new-user-first-order")
    charts = scenario_charts(state, lang="en", font=font)
    groups = text_groups(charts["charts/ecommerce-new-user-first-order/trend-first-order-cr.svg"])
    assert "Target 20% · actual 18% · achievement 90%" in groups
    assert "As of 06-22" in groups
    assert "Warning zone" in groups
    funnel = text_groups(charts["charts/ecommerce-new-user-first-order/funnel.svg"])
    assert "Overall conversion 2.7%" in funnel
    assert {"↓ 15%", "↓ 40%", "↓ 45%", "120,000", "3,240"} <= set(funnel)


def test_bytes_are_identical_across_runs_workers_and_processes(
    catalog: Catalog, font: FontChoice, zh_charts: dict[str, bytes], tmp_path: Path
) -> None:
    again = render_charts(catalog, lang="zh-CN", font=font, jobs=1)
    assert again.files == zh_charts
    in_workers = render_charts(catalog, lang="zh-CN", font=font, jobs=2)
    assert in_workers.stats.workers == 2
    assert in_workers.files == zh_charts
    # a fresh interpreter with another hash seed draws the same bytes
    script = (
        "import datetime, hashlib, sys; from pathlib import Path\n"
        "from opsbook.model.catalog import load_catalog\n"
        "from opsbook.charts.draw import scenario_charts\n"
        "from opsbook.support.fonts import find_cjk_font\n"
        "c, _ = load_catalog([Path(sys.argv[1])], as_of=datetime.date(2026, 6, 22))\n"
        "for p, b in sorted(scenario_charts(c.state('saas-renewal-expansion'), lang='zh-CN',"
        " font=find_cjk_font()).items()):\n"
        "    print(p, hashlib.sha256(b).hexdigest())\n"
    )
    env = {"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", script, str(SCENARIOS)], capture_output=True, text=True,
        check=True, env=env, cwd=ROOT,
    ).stdout  # fmt: skip
    mine = {
        path: hashlib.sha256(data).hexdigest()
        for path, data in zh_charts.items()
        if path.startswith("charts/saas-renewal-expansion/")
    }
    assert out == "".join(f"{p} {h}\n" for p, h in sorted(mine.items()))


def test_user_text_is_never_parsed_as_mathtext_or_markup(font: FontChoice) -> None:
    name = "$x_1$ ^2 <script>--> {{ 7*7 }} | *"
    state = evaluate(scenario_from_data(english_scenario(name)), AS_OF)
    svg = scenario_charts(state, lang="en", font=font)["charts/trial-paid/trend-cr.svg"]
    ET.fromstring(svg)
    drawn = [g for text, g in text_groups(svg).items() if text.startswith("$x_1$")]
    assert len(drawn) == 1
    # one glyph per character (spaces too), all from the chosen font: mathtext would drop
    # the dollars, draw x and 1 from its own math fonts and shift the subscript
    assert len(drawn[0]) == len(name)
    assert all(ref.startswith("NotoSansCJKsc-Bold-") for ref in drawn[0])
    dollar, underscore = _bold_ref(font, "$"), _bold_ref(font, "_")
    assert (drawn[0][0], drawn[0][2], drawn[0][4]) == (dollar, underscore, dollar)
    assert b"<script>" not in svg


def _bold_glyph(font: FontChoice, char: str) -> int:
    assert font.bold is not None
    return FT2Font(str(font.bold), face_index=font.bold_index).get_char_index(ord(char))


def _bold_ref(font: FontChoice, char: str) -> str:
    """The id matplotlib gives a glyph outline: PostScript name and glyph index in hex."""
    return f"NotoSansCJKsc-Bold-{_bold_glyph(font, char):x}"


def test_chinese_without_a_cjk_font_fails_with_the_exact_fix(catalog: Catalog) -> None:
    state = catalog.state("ecommerce-new-user-first-order")
    with pytest.raises(FontError) as error:
        scenario_charts(state, lang="en", font=LATIN_ONLY)
    assert str(error.value) == (
        f"the font 'DejaVu Sans' ({DEJAVU}) has no glyph for '首' (U+9996), '单' (U+5355), "
        "'转' (U+8F6C), '化' (U+5316), '率' (U+7387) in the text '首单转化率' "
        "(and 9 more texts); fix: install a Chinese font with "
        "`sudo apt-get install fonts-noto-cjk` (Debian/Ubuntu), or name an installed font "
        'that has these characters in mkdocs.yml: `plugins: - opsbook: {font: "Noto Sans CJK SC"}`'
    )
    with pytest.raises(FontError) as error:
        require_glyphs(["数据截至"], LATIN_ONLY, lang="zh-CN")
    assert str(error.value) == (
        f"字体“DejaVu Sans”（{DEJAVU}）缺少文字“数据截至”中的字符 '数' (U+6570), '据' (U+636E), "
        "'截' (U+622A), '至' (U+81F3)；修复：运行 `sudo apt-get install fonts-noto-cjk` "
        "安装中文字体（Debian/Ubuntu），或在 mkdocs.yml 中指定一个已安装且包含这些字符的字体："
        '`plugins: - opsbook: {font: "Noto Sans CJK SC"}`'
    )


def test_english_text_renders_with_a_latin_only_font() -> None:
    state = evaluate(scenario_from_data(english_scenario()), AS_OF)
    charts = scenario_charts(state, lang="en", font=LATIN_ONLY)
    assert sorted(charts) == [
        "charts/trial-paid/funnel.svg", "charts/trial-paid/targets.svg",
        "charts/trial-paid/timeline.svg", "charts/trial-paid/trend-cr.svg",
    ]  # fmt: skip
    groups = text_groups(charts["charts/trial-paid/trend-cr.svg"])
    assert all(ref.startswith("DejaVuSans-") for ref in groups["Trial to paid"])
    with pytest.raises(FontError):  # the same text in Chinese labels needs a CJK font
        scenario_charts(state, lang="zh-CN", font=LATIN_ONLY)


def test_a_warm_cache_draws_nothing_and_a_change_redraws_only_its_charts(
    font: FontChoice, zh_charts: dict[str, bytes], tmp_path: Path
) -> None:
    cache = Cache(tmp_path / "cache")
    catalog, _ = load_catalog([SCENARIOS], as_of=AS_OF)
    assert catalog is not None
    seen: list[tuple[int, int]] = []
    cold = render_charts(
        catalog, lang="zh-CN", font=font, cache=cache, jobs=1,
        progress=lambda done, total: seen.append((done, total)),
    )  # fmt: skip
    assert (cold.stats.charts, cold.stats.rendered) == (57, 57)
    assert seen[0] == (0, 57) and seen[-1] == (57, 57)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    warm = render_charts(catalog, lang="zh-CN", font=font, cache=cache, jobs=2)
    assert (warm.stats.charts, warm.stats.rendered, warm.stats.workers) == (57, 0, 0)
    assert warm.files == zh_charts
    edited = tmp_path / "scenarios"
    shutil.copytree(SCENARIOS, edited)
    path = edited / "ecommerce-new-user-first-order.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("value: 29.5,", "value: 29.6,"), encoding="utf-8")
    changed, result = load_catalog([edited], as_of=AS_OF)
    assert changed is not None, result
    again = render_charts(changed, lang="zh-CN", font=font, cache=cache, jobs=1)
    # the edited metric sets its scenario's level, so the portfolio dots move too; the
    # scenario closed a cycle, so its attainment by cycle and the team's move as well
    redrawn = (
        "charts/ecommerce-new-user-first-order/trend-coupon-redemption.svg",
        "charts/ecommerce-new-user-first-order/targets.svg",
        "charts/ecommerce-new-user-first-order/cycles.svg",
        "charts/portfolio/achievement-by-industry.svg",
        "charts/portfolio/achievement-by-owner.svg",
        "charts/portfolio/attainment-by-cycle.svg",
    )
    assert again.stats.rendered_paths == redrawn
    # under `serve`: the previous result in memory, no cache at all
    served = render_charts(changed, lang="zh-CN", font=font, jobs=1, reuse=warm)
    assert served.stats.rendered_paths == redrawn
    assert served.files == again.files
    assert {p for p in served.files if served.files[p] != warm.files[p]} == set(redrawn)


def test_text_mode_writes_escaped_text_elements_naming_the_font(font: FontChoice) -> None:
    name = "首单 $x_1$ <script>alert(1)</script> & {{ 7*7 }}"
    state = evaluate(scenario_from_data(english_scenario(name)), AS_OF)
    paths = scenario_charts(state, lang="zh-CN", font=font)["charts/trial-paid/trend-cr.svg"]
    text = scenario_charts(state, lang="zh-CN", font=font, text_as_paths=False)
    svg = text["charts/trial-paid/trend-cr.svg"]
    root = ET.fromstring(svg)
    drawn = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert name in drawn  # the literal string, escaped in the file and read back whole
    assert "目标 20% · 实际 17.5% · 达成率 87.5%" in drawn
    assert b"<script>" not in svg
    # every text inherits the font list from the root, written once
    assert root.get("font-family", "").startswith("'Noto Sans CJK SC','Source Han Sans SC',")
    assert b"font-family" not in svg.split(b">", 1)[1]
    assert len(svg) * 3 < len(paths)


def test_long_names_wrap_at_sensible_places_and_end_with_an_ellipsis() -> None:
    assert wrap("试用第2天前与团队管理员完成30分钟onboarding会议", 28) == (
        "试用第2天前与团队管理员完成\n30分钟onboarding会议"
    )
    assert wrap("一二三四五六七八九十一，三四五六七八九十", 22) == (
        "一二三四五六七八九十\n一，三四五六七八九十"
    )
    assert wrap("Guided setup for new trial teams with a long name", 22) == (
        "Guided setup for new\ntrial teams with a lo…"
    )
    assert ellipsize("超长的中文指标名称用于测试\n换行", 16) == "超长的中文指标…"
