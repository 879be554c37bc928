"""``opsbook build`` of the shipped scenarios: a real, strict MkDocs Material build."""

# ruff: noqa: F811  (fixtures imported from site_support are arguments of the tests)
from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from conftest import ROOT
from site_support import shipped_site  # noqa: F401  (a fixture)

SCENARIO_IDS = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml") if p.stem != "team")
PEOPLE = ["ops.li", "ops.emma", "data.xu", "cs.huang"]


class _Links(HTMLParser):
    """Every URL a page loads or links to."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "link" and ("rel", "canonical") in attrs:
            return  # the page's own published address (site_url): names it, loads nothing
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append((tag, value))


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_the_build_succeeds_strictly_and_says_where_it_wrote(shipped_site: Path) -> None:
    stderr = (shipped_site / "stderr").read_text()
    assert (shipped_site / "returncode").read_text() == "0", stderr
    assert re.search(r"opsbook：已生成 \d+ 个页面，位于 .*/site$", stderr.strip()), stderr  # zh-CN
    assert "WARNING" not in stderr
    assert "Building prefix dict" not in stderr  # jieba's chatter stays quiet


def test_every_page_of_the_knowledge_base_is_there(shipped_site: Path) -> None:
    site = shipped_site / "site"
    for scenario_id in SCENARIO_IDS:
        assert (site / "scenarios" / scenario_id / "index.html").is_file(), scenario_id
        assert (site / "charts" / scenario_id / "targets.svg").is_file(), scenario_id
    for person in PEOPLE:
        assert (site / "people" / person / "index.html").is_file()
    for path in ("industries", "industries/ecommerce", "people", "tags", "sop", "anomalies"):
        assert (site / path / "index.html").is_file(), path
    for path in (
        "guide/method",
        "guide/method-en",
        "guide/contribute",
        "guide/contributing",
        "guide/contributing-en",
        "guide/notify",
        "guide/notify-en",
        "guide/security",
        "guide/security-en",
    ):
        assert (site / path / "index.html").is_file(), path
    assert (site / "charts" / "portfolio" / "achievement-by-industry.svg").is_file()


def test_the_scenario_page_shows_the_four_templates_with_computed_states(
    shipped_site: Path,
) -> None:
    html = page(shipped_site / "site", "scenarios/ecommerce-new-user-first-order")
    for heading in (
        "需求分析（T1）",
        "运营流程（T2）",
        "执行监控（T3）",
        "异常与处理",
        "效果评估（T4）",
    ):
        assert f">{heading}<" in html
    # 29.5 of a 40% target is 73.8%: below critical_at (80%), so the page raises the alarm
    assert "新人券核销率：实际 29.5%，目标 40%，达成率 73.8%。" in html
    assert 'class="admonition danger"' in html
    # simple-checkout was due 06-12 and is not done: delayed on 06-22, whatever the YAML says
    assert "已逾期 10 天（2026-06-12 起）" in html
    assert '<a href="../../people/eng.sun/">孙浩</a>' in html
    assert 'src="../../charts/ecommerce-new-user-first-order/funnel.svg"' in html


def test_the_dashboard_and_a_person_page_roll_everything_up(shipped_site: Path) -> None:
    site = shipped_site / "site"
    dashboard = (site / "index.html").read_text(encoding="utf-8")
    for heading in ("预警", "逾期行动", "逾期异常", "本周到期 (2026-06-22 至 2026-06-28)"):
        assert f">{heading}<" in dashboard, heading
    assert "按行业达成" in dashboard and "按负责人达成" in dashboard
    assert 'src="charts/portfolio/alerts.svg"' in dashboard
    person = page(site, "people/design.wang")
    assert "<h1 id=" in person and "王芳" in person
    assert "注册页主按钮改为高对比色" in person  # her action
    assert "注册转化率低" in person  # her anomaly


def test_the_navigation_mirrors_industry_module_scenario(shipped_site: Path) -> None:
    html = page(shipped_site / "site", "scenarios/ecommerce-new-user-first-order")
    nav = html[html.index('class="md-nav md-nav--primary') :]
    assert nav.index("电商") < nav.index("用户增长") < nav.index("新用户首单转化")
    # navigation.prune: other industries' scenarios are not repeated in every page
    assert "试用客户付费转化" not in nav.split("</nav>")[0]
    # people: one entry, their index (a top-level section would list everyone in every page)
    primary = nav[: nav.index('class="md-content"')]
    assert 'href="../../people/"' in primary and "people/ops.li/" not in primary


def test_a_scenario_sidebar_shows_its_module_not_the_module_s_other_scenarios(
    shipped_site: Path,
) -> None:
    """The module page lists them; the footer links the neighbours (previous and next)."""
    site = shipped_site / "site"
    html = page(site, "scenarios/saas-renewal-expansion")
    primary = html[html.index('class="md-nav md-nav--primary') : html.index("md-content")]
    assert 'href="../../industries/saas/customer-success/"' in primary
    assert "Renewal and expansion of key accounts" in primary
    assert "低活跃客户激活" not in primary and "试用客户付费转化" not in primary
    # the guide is one link here; its pages list each other
    assert re.search(
        r'<a href="../../guide/[\w-]+/" class="md-nav__link">\s*<span class="md-ellipsis">\s*指南\s*<',
        primary,
    )
    assert "方法指南：场景化运营五步法" not in primary
    footer = html[html.index("<footer") :]
    neighbours = re.findall(r'<a href="([^"]+)" class="md-footer__link[^"]*"', footer)
    assert neighbours == ["../saas-low-activity-reactivation/", "../saas-trial-to-paid-onboarding/"]
    assert "低活跃客户激活" in footer and "试用客户付费转化" in footer
    module = page(site, "industries/saas/customer-success")
    module_nav = module[module.index('class="md-nav md-nav--primary') : module.index("md-content")]
    assert "saas-renewal-expansion" not in module_nav  # its content lists them, with states
    assert 'href="../../../scenarios/saas-renewal-expansion/"' in module.split("<article")[1]


def test_no_page_loads_anything_from_another_host(shipped_site: Path) -> None:
    site = shipped_site / "site"
    for html_file in site.rglob("*.html"):
        parser = _Links()
        parser.feed(html_file.read_text(encoding="utf-8"))
        loaded = [url for tag, url in parser.urls if tag in ("script", "link", "img")]
        outside = [u for u in loaded if re.match(r"^(https?:)?//", u)]
        assert not outside, (html_file, outside)
    css = "".join(p.read_text() for p in site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "fonts.gstatic" not in css


def test_search_keeps_the_scenarios_chinese_words_whole(shipped_site: Path) -> None:
    index = json.loads((shipped_site / "site/search/search_index.json").read_text())
    assert index["config"]["lang"] == ["zh", "en"]
    text = " ".join(doc["text"] for doc in index["docs"])
    # 新人券核销率 is cut at a word boundary that keeps 核销率 (a term of the scenarios) whole
    assert "\u200b核销率\u200b" in text


def test_search_finds_each_text_once_on_its_scenario_page_not_on_roll_ups(
    shipped_site: Path,
) -> None:
    index = json.loads((shipped_site / "site/search/search_index.json").read_text())
    locations = [doc["location"] for doc in index["docs"]]
    scenario = "scenarios/ecommerce-new-user-first-order/"
    assert f"{scenario}#sop" in locations and f"{scenario}#t2" in locations
    assert "" in locations and "sop/" in locations  # the dashboard and SOP library by title
    roll_ups = ("sop/#", "tags/", "#decisions", "#due", "#overdue", "#since")
    assert not [loc for loc in locations if loc.startswith(roll_ups)]
    home = [d["title"].replace("\u200b", "") for d in index["docs"] if d["location"][:1] in "#"]
    assert not {"按行业达成", "按负责人达成", "逾期行动"} & set(home)
    assert "数据下载" in home  # what the dashboard alone holds stays findable
    step = "下单页必填项不超过3项"  # a step of the scenario's SOP, also in the SOP library
    found = [d["location"] for d in index["docs"] if step in d["text"].replace("\u200b", "")]
    assert f"{scenario}#sop" in found and all(loc.startswith(scenario) for loc in found)


def test_the_site_publishes_only_the_theme_files_its_pages_load(shipped_site: Path) -> None:
    assets = shipped_site / "site" / "assets"
    assert not list(assets.rglob("*.map"))  # source maps: for a browser's developer tools
    lunr = sorted(p.relative_to(assets).as_posix() for p in assets.rglob("lunr/**/*.js"))
    assert lunr == [
        "javascripts/lunr/min/lunr.multi.min.js",
        "javascripts/lunr/min/lunr.stemmer.support.min.js",
        "javascripts/lunr/min/lunr.zh.min.js",
    ]  # what Material's search worker loads for lang: [zh, en]


def test_the_search_index_is_plain_utf8_json(shipped_site: Path) -> None:
    raw = (shipped_site / "site/search/search_index.json").read_bytes()
    assert "核销率".encode() in raw  # not six bytes of \\uXXXX per character
    docs = raw[raw.index(b'"docs":') :]  # (the config's separator is a regex naming \\u200b)
    assert b"\\u" not in docs


def test_nothing_generated_is_written_into_the_hand_written_folder(shipped_site: Path) -> None:
    untracked = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "site"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "scenarios/" not in untracked and "index.md" not in untracked
    assert not (ROOT / "site" / "scenarios").exists()


def test_the_tags_page_lists_each_scenario_under_its_tags(shipped_site: Path) -> None:
    # Material's tags plugin fills the listing into the page's HTML after every page is
    # converted: the page must still hold its HTML then (see PageMemory.hold)
    html = page(shipped_site / "site", "tags")
    listing = re.search(r'<span class="md-tag">新人</span>.*?</ul>', html, re.S)
    assert listing is not None
    assert '<a href="../scenarios/ecommerce-new-user-first-order/">' in listing[0]


SAAS_TITLES = ("低活跃客户激活", "Renewal and expansion of key accounts", "试用客户付费转化")


def test_a_module_page_has_a_readable_url_and_gathers_its_scenarios(shipped_site: Path) -> None:
    """The saas scenarios once wrote their module as 客户成功 and as Customer success: one
    module id now, so one page at a URL a person can read, named in the site's language."""
    site = shipped_site / "site"
    assert sorted(p.name for p in (site / "industries" / "saas").iterdir() if p.is_dir()) == [
        "customer-success"
    ]
    module = page(site, "industries/saas/customer-success")
    assert re.search(r"<h1[^>]*>客户成功", module), module[:2000]
    assert all(title in module for title in SAAS_TITLES)
    assert not list(site.glob("industries/*/m-*")), "no hashed module URL is left"
    industry = page(site, "industries/saas")
    assert len(re.findall(r'<h2[^>]*><a href="customer-success/">客户成功</a>', industry)) == 1
    scenario = page(site, "scenarios/saas-renewal-expansion")
    assert '<a href="../../industries/saas/customer-success/">客户成功</a>' in scenario


def test_the_english_site_names_modules_in_english(tmp_path: Path) -> None:
    from site_support import env_for, make_project, run, shipped

    names = ("saas-renewal-expansion", "saas-trial-to-paid-onboarding")
    project = make_project(tmp_path / "p", {f"{n}.yaml": shipped(n) for n in names}, lang="en")
    result = run("build", cwd=project, env=env_for(tmp_path))
    assert result.returncode == 0, result.stderr
    site = project / "build" / "site"
    module = page(site, "industries/saas/customer-success")
    assert re.search(r"<h1[^>]*>Customer success", module)
    assert "客户成功" not in module.split('class="md-content"')[1]
    scenario = page(site, "scenarios/saas-trial-to-paid-onboarding")
    assert '<a href="../../industries/saas/customer-success/">Customer success</a>' in scenario
    nav = scenario[scenario.index('class="md-nav md-nav--primary') : scenario.index("md-content")]
    assert "Customer success" in nav and "客户成功" not in nav
    # the guide: one link outside it (as the people are), each of its pages inside it
    assert re.search(
        r'<a href="../../guide/[\w-]+/" class="md-nav__link">\s*<span class="md-ellipsis">\s*Guide\s*</span>',
        nav,
    )
    assert "Method guide: the five-step scenario method" not in nav
    guide = page(site, "guide/method")
    guide_nav = guide[guide.index('class="md-nav md-nav--primary') : guide.index("md-content")]
    assert "Method guide: the five-step scenario method" in guide_nav
    assert "方法指南" not in guide_nav  # the guide in the reader's language; the other linked
    assert '<a href="../method-en/">Method guide: the five-step scenario method</a>' in guide


def test_the_chinese_sidebar_lists_each_guide_page_once_in_chinese(shipped_site: Path) -> None:
    html = page(shipped_site / "site", "guide/method-en")
    nav = html[html.index('class="md-nav md-nav--primary') : html.index("md-content")]
    for chinese, english in (
        ("方法指南：场景化运营五步法", "Method guide: the five-step scenario method"),
        ("安全说明：合并请求能让 opsbook 做什么", "Security: what a pull request can make"),
        ("关闭周期与开始下一周期", "Closing a cycle and starting the next"),
    ):
        assert chinese in nav and english not in nav
    assert '<a href="../method/">方法指南：场景化运营五步法</a>' in html
