"""The dashboard to act on, in the built site in a real headless Chromium: tiles with their
change since the last review on the first screen, the decisions needed, movement arrows on a
scenario page, how long an alert has fired, and a person's "my work" with their calendar.
Screenshots at 1440×900 and 390×844 go to test-artifacts/."""

# ruff: noqa: F811  (fixtures imported from site_support are arguments of the tests)
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from site_support import (  # noqa: F401
    ARTIFACTS,
    CHROMIUM_ARGS,
    base_url,
    browser,
    env_for,
    make_project,
    run,
    serve_directory,
    shipped,
    shipped_site,
)

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

# The shipped scenarios on 2026-06-22 against the review a week before (2026-06-15).
TILES = [
    ("严重", "3", "▼ 较 06-15 −1"),
    ("预警", "2", "▼ 较 06-15 −1"),
    ("逾期行动", "9", "▲ 较 06-15 +5"),
    ("逾期异常", "5", "▲ 较 06-15 +5"),
    ("本周到期", "9", "▼ 较 06-15 −1"),
]


def open_page(browser: Browser, url: str, viewport: dict[str, int]) -> Page:
    context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert errors == []
    return page


def first_screen(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"site-{name}.png")


def cells(page: Page, table: str) -> list[list[str]]:
    """The body rows of a table, each cell's text with its lines joined by a space."""
    rows = page.locator(f"{table} tbody tr")
    return [
        [" ".join(cell.split()) for cell in row.locator("td").all_inner_texts()]
        for row in rows.all()
    ]


def test_the_first_screen_holds_the_tiles_with_their_changes(
    browser: Browser, base_url: str
) -> None:
    page = open_page(browser, f"{base_url}/", DESKTOP)
    tiles = page.locator("a.ob-tile")
    shown = [
        (
            tile.locator(".ob-tile-label").inner_text(),
            tile.locator(".ob-tile-count").inner_text(),
            tile.locator(".ob-tile-change").inner_text(),
        )
        for tile in tiles.all()
    ]
    assert shown == TILES
    # all five in one row on the first screen, the decisions starting below them
    boxes = [tile.bounding_box() for tile in tiles.all()]
    assert len({round(box["y"]) for box in boxes if box}) == 1
    assert all(box and box["y"] + box["height"] < 900 for box in boxes)
    heading = page.locator("h2#decisions").bounding_box()
    assert heading and heading["y"] < 900
    # the colour repeats the word: critical and due differ, a worse change is red
    edges = tiles.evaluate_all("ts => ts.map(t => getComputedStyle(t).borderLeftColor)")
    assert edges[0] == "rgb(198, 40, 40)" and edges[4] == "rgb(21, 101, 192)"
    worse = tiles.nth(2).locator(".ob-move-worse")
    assert worse.evaluate("e => getComputedStyle(e).color") == "rgb(183, 28, 28)"
    # the threshold edge, stated once under the tiles
    legend = page.locator("p.ob-legend").first.inner_text()
    assert "达成率恰好等于预警阈值（默认 90%，指标可另设）视为正常" in legend
    assert page.locator("a.ob-tile").first.get_attribute("href") == "#decisions"
    first_screen(page, "dashboard-1440x900")
    page.context.close()


def test_the_tiles_fit_a_phone_in_two_rows(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}/", PHONE)
    boxes = [tile.bounding_box() for tile in page.locator("a.ob-tile").all()]
    assert len({round(box["y"]) for box in boxes if box}) == 2
    assert all(box and box["y"] + box["height"] < 844 for box in boxes)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    first_screen(page, "dashboard-390x844")
    page.context.close()


def test_decisions_needed_name_metric_owner_movement_duration_and_measures(
    browser: Browser, base_url: str
) -> None:
    page = open_page(browser, f"{base_url}/", DESKTOP)
    rows = cells(page, "h2#decisions + .md-typeset__scrollwrap table")
    assert rows == [
        ["严重 严重第 3 周 · 06-07 起", "门店团购引流", "团购退款率", "11.2% ▼ −0.6 个百分点", "8%",
         "71.4%", "林峰", "徐涛", "预约功能06-24前上线 晚高峰加排班06-26前在徐汇店落地"],
        ["严重 严重第 3 周 · 06-07 起", "低活跃客户激活", "低活跃客户激活率", "22% ▲ +3.2 个百分点",
         "30%", "73.3%", "何静", "何静", "06-26前完成剩余72家诊断 培训改到晚间并提前1天提醒"],
        ["严重 严重第 3 周 · 06-06 起", "新用户首单转化", "新人券核销率", "29.5% ▼ −0.5 个百分点",
         "40%", "73.8%", "李娜", "徐涛", "—"],
        ["预警 预警第 3 周 · 06-06 起", "流失用户召回", "召回用户30天复购率", "12% ▲ +0.6 个百分点",
         "15%", "80%", "赵磊", "赵磊", "短信调整为19:00–21:00发送"],
        ["预警 预警第 3 周 · 06-07 起", "试用客户付费转化", "试用转付费率", "15.5% ▲ +0.4 个百分点",
         "18%", "86.1%", "黄敏", "徐涛",
         "清单06-24前灰度上线 试用第3天未导入数据的团队由客户成功专员当天电话跟进"],
    ]  # fmt: skip
    # lower is better: the refund rate going down is green; the redemption rate going down red
    table = page.locator("h2#decisions + .md-typeset__scrollwrap table")
    colours = table.locator(".ob-move").evaluate_all("ms => ms.map(m => getComputedStyle(m).color)")
    assert colours[0] == "rgb(46, 125, 50)" and colours[2] == "rgb(198, 40, 40)"
    # then due this week, overdue and since the last review, in that order
    order = page.locator("article h2").all_inner_texts()
    headings = [h.rstrip("¶") for h in order]
    assert headings[:4] == [
        "需要决策", "本周到期 (2026-06-22 至 2026-06-28)", "已逾期", "自上次复盘以来",
    ]  # fmt: skip
    since = cells(page, "h2#since ~ .md-typeset__scrollwrap table")
    assert ["流失用户召回", "场景预警级别", "严重", "预警"] in since
    assert ["流失用户召回", "召回用户30天复购率", "11.4% · 严重", "12% · 预警"] in since
    assert ["门店团购引流", "团购退款率", "11.8% · 严重", "11.2% · 严重"] not in since
    page.context.close()


def test_a_scenario_page_shows_movement_and_how_long_the_alert_fired(
    browser: Browser, base_url: str
) -> None:
    page = open_page(browser, f"{base_url}/scenarios/local-store-groupbuy-traffic/", DESKTOP)
    t3 = page.locator("article table", has_text="团购退款率").filter(has_text="更新日期")
    rows = {row[0]: row for row in cells(page, "article table:has(th:has-text('更新日期'))")}
    assert "团购券核销率" in rows, rows
    assert rows["团购券核销率"][3] == "▲ +2 个百分点"
    assert rows["团购退款率"][3] == "▼ −0.6 个百分点"
    assert rows["团购退款率"][5] == "严重 严重第 3 周 · 06-07 起"
    better = t3.locator(".ob-move-better")
    assert better.count() == 2  # up for the redemption rate, down for the refund rate
    assert "变化：与上次周复盘（2026-06-15）相比" in page.locator("p.ob-legend").inner_text()
    danger = page.locator(".admonition.danger").inner_text()
    assert "达成率 71.4%。 严重第 3 周 · 06-07 起。 偏差原因" in danger
    page.context.close()


def test_a_person_page_is_my_work_with_a_calendar_to_subscribe(
    browser: Browser, base_url: str, shipped_site: Path
) -> None:
    page = open_page(browser, f"{base_url}/people/eng.sun/", DESKTOP)
    rows = cells(page, "h2#my-work ~ .md-typeset__scrollwrap table")
    assert [row[:4] for row in rows[:6]] == [
        ["已逾期 已逾期 10 天（2026-06-12 起）", "2026-06-12", "行动", "下单必填项精简至3项"],
        ["已逾期 已逾期 7 天（2026-06-15 起）", "2026-06-15", "行动",
         "产品内上线新手引导清单（导入数据→邀请成员→创建首个项目）"],
        ["进行中 本周到期", "2026-06-24", "异常", "新手引导清单未按06-15上线"],
        ["进行中 本周到期", "2026-06-26", "行动", "产品内上线10个行业场景模板，一键套用"],
        ["进行中 本周到期", "2026-06-26", "异常", "开通橱窗的创作者46%从未挂车"],
        ["未开始", "2026-06-30", "行动", "会员消费标签（到店频次、偏好品类）同步到企业微信客户档案"],
    ]  # fmt: skip
    subscribe = page.locator("a.ob-subscribe")
    assert subscribe.inner_text() == "订阅我的日历"
    # the shipped mkdocs.yml sets site_url: a calendar app subscribes and keeps it fresh
    assert subscribe.get_attribute("href") == "webcal://ops.example.com/people/eng.sun.ics"
    file_link = page.locator("a.ob-calendar-file")
    assert file_link.get_attribute("href") == "../eng.sun.ics"
    response = page.request.get(f"{base_url}/people/eng.sun.ics")
    assert response.status == 200 and response.text().startswith("BEGIN:VCALENDAR")
    first_screen(page, "person-my-work-1440x900")
    page.context.close()


@pytest.fixture(scope="module")
def english_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("en-dashboard")
    scenario = "local-store-groupbuy-traffic.yaml"
    root = make_project(folder / "project", {scenario: shipped(scenario[:-5])}, lang="en")
    result = run("build", cwd=root, env=env_for(folder))
    assert result.returncode == 0, result.stderr
    with serve_directory(root / "build" / "site") as url:
        yield url


def test_the_english_site_words_movement_and_duration(browser: Browser, english_site: str) -> None:
    page = open_page(browser, f"{english_site}/", DESKTOP)
    assert page.locator("a.ob-tile").first.inner_text().split("\n") == [
        "Critical", "1", "＝ no change since 06-15",
    ]  # fmt: skip
    legend = page.locator("p.ob-legend").first.inner_text()
    assert (
        "Achievement exactly at a metric's warning threshold (90% unless the metric sets "
        "another) counts as on track; below it is a warning, and below the critical threshold "
        "(80%) is critical." in legend
    )
    row = cells(page, "h2#decisions + .md-typeset__scrollwrap table")[0]
    assert row[0] == "Critical Critical for 3 weeks · since 06-07"
    assert row[3] == "11.2% ▼ −0.6 pp"
    page.context.close()
