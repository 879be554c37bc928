"""The built site for every reader, in a real headless Chromium: axe-core finds no serious or
critical problem in light and dark palettes, phones get tables as cards and charts that open
full size, long tables sort and filter, and every status in a chart survives greyscale.

Screenshots (390×844 phone, 1440×900 desktop) go to test-artifacts/.
"""

# ruff: noqa: F811  (fixtures imported from site_support are arguments of the tests)
from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Iterator
from itertools import combinations

import pytest
from PIL import Image, ImageChops, ImageStat
from playwright.sync_api import Browser, Page

from conftest import ROOT
from opsbook.charts.draw import draw_batch
from opsbook.charts.specs import (
    ChartSpec,
    GroupRow,
    GroupSpec,
    TargetRow,
    TargetsSpec,
    TimelineBar,
    TimelineSpec,
    TrendSpec,
)
from opsbook.support.fonts import find_cjk_font
from site_support import ARTIFACTS, CHROMIUM_ARGS, base_url, browser, serve_directory, shipped_site  # noqa: F401

pytestmark = pytest.mark.browser

AXE = ROOT / ".tools" / "node" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
SCENARIO = "/scenarios/ecommerce-new-user-first-order/"


def open_page(browser: Browser, url: str, viewport: dict[str, int], scheme: str = "light") -> Page:
    context = browser.new_context(viewport=viewport, color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def search_results(page: Page, term: str) -> None:
    page.locator("label.md-search__icon, .md-search__input").first.click()
    search = page.locator("input.md-search__input")
    search.fill(term)
    search.press("End")  # a key press: Material searches on keyboard events
    page.locator(".md-search-result__item a").first.wait_for(timeout=15000)
    settle(page)


def settle(page: Page) -> None:
    """Wait out CSS transitions (the search overlay fades in): axe measures colours as drawn,
    and a half-faded overlay gives contrast figures no reader ever sees."""
    page.evaluate("Promise.all(document.getAnimations().map(a => a.finished))")


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings: rule id and the first elements it names."""
    assert AXE.exists(), "axe-core missing: run scripts/install-system-packages.sh"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("where", ["/", SCENARIO, "/people/design.wang/", "search"])
def test_axe_finds_no_serious_problem(
    browser: Browser, base_url: str, where: str, scheme: str
) -> None:
    page = open_page(browser, f"{base_url}{'/' if where == 'search' else where}", DESKTOP, scheme)
    if where == "search":
        search_results(page, "核销率")
    assert serious_violations(page) == []
    page.context.close()


def save(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"a11y-{name}.png", full_page=True)


def scroll_through(page: Page) -> None:
    """Charts load lazily: scroll to the end and back before a full-page screenshot."""
    height = page.evaluate("document.body.scrollHeight")
    for y in range(0, height, 400):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(30)
    page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    page.evaluate("window.scrollTo(0, 0)")


@pytest.mark.parametrize(
    ("where", "name"), [("/", "home"), (SCENARIO, "scenario"), ("/people/design.wang/", "person")]
)
@pytest.mark.parametrize(("viewport", "size"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_screenshots_for_phone_and_desktop(
    browser: Browser, base_url: str, where: str, name: str, viewport: dict[str, int], size: str
) -> None:
    for scheme in ("light", "dark"):
        page = open_page(browser, f"{base_url}{where}", viewport, scheme)
        scroll_through(page)
        save(page, f"{size}-{scheme}-{name}")
        page.context.close()


def test_phone_tables_are_cards_with_status_owner_and_due_first(
    browser: Browser, base_url: str
) -> None:
    page = open_page(browser, f"{base_url}{SCENARIO}", PHONE)
    # the page and every table fit the screen: no sideways scroll at all
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    widths = page.locator("article table").evaluate_all(
        "tables => tables.map(t => (t.closest('.md-typeset__table') || t).scrollWidth)"
    )
    assert widths and max(widths) <= PHONE["width"], widths
    row = page.locator("article table[data-ob-table] tr", has_text="下单必填项精简至3项")
    cells = row.locator("td").evaluate_all(
        """cells => cells.map(c => ({top: c.getBoundingClientRect().top,
                                     text: c.innerText, label: c.dataset.label}))
                         .sort((a, b) => a.top - b.top)"""
    )
    first = cells[0]
    assert first["text"].startswith("已逾期"), cells  # the status card line comes first
    assert cells[0]["top"] < cells[-1]["top"]
    owner = next(i for i, c in enumerate(cells) if "负责人" in (c["label"] or ""))
    assert owner <= 3, cells  # the owner before the description columns
    page.context.close()


def test_a_tap_opens_the_chart_full_size(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}{SCENARIO}", PHONE)
    alternatives = page.locator("img.ob-chart").evaluate_all("images => images.map(i => i.alt)")
    assert (
        "新人券核销率 · 目标 40% · 实际 29.5% · 达成率 73.8%：06-06 31%；06-13 30%；06-20 29.5%"
        in (alternatives)
    )
    chart = page.locator("a.ob-chart-link img.ob-chart").first
    chart.scroll_into_view_if_needed()
    src = chart.get_attribute("src")
    chart.click()
    page.wait_for_load_state("load")
    assert src and page.url == f"{base_url}{SCENARIO}{src}".replace(f"{SCENARIO}../../", "/")
    assert page.url.endswith(".svg")
    page.context.close()


def test_dark_mode_charts_are_dimmed(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}{SCENARIO}", DESKTOP, "dark")
    page.locator("[data-md-color-scheme='slate']").first.wait_for()
    chart = page.locator("img.ob-chart").first
    assert chart.evaluate("i => getComputedStyle(i).filter") == "invert(0.88) hue-rotate(180deg)"
    page.context.close()


def column_texts(page: Page, table: str, column: int) -> list[str]:
    return page.locator(f"{table} tbody tr:not([hidden]) td:nth-child({column})").all_inner_texts()


def test_long_tables_sort_by_a_header_click(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}/anomalies/", DESKTOP)
    table = "article table[data-ob-table]"
    before = column_texts(page, table, 7)  # the due dates (截止日期), ISO: text order is date order
    assert len(before) == 11 and before != sorted(before)
    header = page.locator(f"{table} th button.ob-sort", has_text="截止日期")
    header.click()
    assert (
        page.locator(f"{table} th", has_text="截止日期").get_attribute("aria-sort") == "ascending"
    )
    assert column_texts(page, table, 7) == sorted(before)
    header.click()
    assert (
        page.locator(f"{table} th", has_text="截止日期").get_attribute("aria-sort") == "descending"
    )
    assert column_texts(page, table, 7) == sorted(before, reverse=True)
    page.context.close()


def test_long_tables_filter_by_the_box_above_them(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}/anomalies/", DESKTOP)
    table = "article table[data-ob-table]"
    box = page.locator("article input.ob-filter")
    assert box.get_attribute("aria-label") == "筛选表格"
    box.fill("周杰")
    rows = page.locator(f"{table} tbody tr:not([hidden])").all_inner_texts()
    assert len(rows) == 3 and all("周杰" in row for row in rows), rows
    box.fill("")
    assert page.locator(f"{table} tbody tr:not([hidden])").count() == 11
    page.context.close()


# --- greyscale: each status class of a chart stays apart without its hue ------------------

GREY_MARGIN = 25.0  # mean grey-level difference (0–255) two status classes must keep


def grey_picture(page: Page, spec: ChartSpec) -> Image.Image:
    """The chart drawn by opsbook, rendered by Chromium at 1 px per SVG unit, in greyscale."""
    (svg,) = draw_batch([spec], find_cjk_font(lang="zh-CN"))
    data = base64.b64encode(svg).decode()
    page.set_content(
        f'<img style="width:800px;display:block" src="data:image/svg+xml;base64,{data}">'
    )
    png = page.locator("img").screenshot()
    return Image.open(io.BytesIO(png)).convert("L")


def apart(picture: Image.Image, boxes: dict[str, tuple[int, int, int, int]]) -> dict[str, float]:
    """The mean grey-level difference between each two classes' patches of the picture."""
    patches = {name: picture.crop(box) for name, box in boxes.items()}
    return {
        f"{a}/{b}": ImageStat.Stat(ImageChops.difference(patches[a], patches[b])).mean[0]
        for a, b in combinations(patches, 2)
    }


@pytest.fixture(scope="module")
def blank(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 900, "height": 900})
    yield context.new_page()
    context.close()


def test_achievement_bars_differ_in_greyscale(blank: Page) -> None:
    alerts = ("ok", "warning", "critical")
    rows = tuple(TargetRow(a, 0.9, a, "", 0.0, 0.0) for a in alerts)
    picture = grey_picture(blank, TargetsSpec("t.svg", "达成", "", "", rows, ("a", "b", "c")))
    centre = [80 + (i + 0.5) * 152 / 3 for i in range(3)]  # axes 80..232 px, three rows
    boxes = {a: (200, int(y) - 8, 480, int(y) + 8) for a, y in zip(alerts, centre, strict=True)}
    differences = apart(picture, boxes)
    assert min(differences.values()) >= GREY_MARGIN, differences


def test_timeline_statuses_differ_in_greyscale(blank: Page) -> None:
    statuses = ("done", "in-progress", "not-started", "delayed")
    day = dt.date(2026, 6, 5)
    bars = tuple(TimelineBar(s, "bar", day, day + dt.timedelta(days=20), s, "") for s in statuses)
    spec = TimelineSpec(
        "t.svg", "行动", "", "", dt.date(2026, 6, 1), dt.date(2026, 6, 30), dt.date(2026, 8, 1),
        "", bars, tuple((s, s) for s in statuses),
    )  # fmt: skip
    picture = grey_picture(blank, spec)
    centre = [84 + (i + 0.6) / 4.2 * 156 for i in range(4)]  # axes 84..240 px, ylim 3.6..-0.6
    boxes = {s: (330, int(y) - 5, 600, int(y) + 5) for s, y in zip(statuses, centre, strict=True)}
    differences = apart(picture, boxes)
    assert min(differences.values()) >= GREY_MARGIN, differences


def test_alert_dots_differ_in_greyscale(blank: Page) -> None:
    dots = ((0.25, "ok"), (0.5, "warning"), (0.75, "critical"))
    spec = GroupSpec(
        "g.svg", "按行业", "", "", (GroupRow("电商", None, dots, ""),), "", ("t", "o", "w", "c")
    )
    picture = grey_picture(blank, spec)
    x = {a: 170 + 460 * ratio * 100 / 120 for ratio, a in dots}  # axes 170..630 px, 0..120%
    boxes = {a: (int(x[a]) - 5, 95, int(x[a]) + 5, 105) for _, a in dots}
    differences = apart(picture, boxes)
    assert min(differences.values()) >= GREY_MARGIN, differences


def test_warning_and_critical_zones_differ_in_greyscale(blank: Page) -> None:
    spec = TrendSpec(
        "z.svg", "趋势", "", "", dt.date(2026, 6, 1), dt.date(2026, 6, 30), dt.date(2026, 8, 1),
        "", 0.9, "", (0.4, 0.7), (0.0, 0.4), None, (), ("a", "b", "c", "d", "e"), "",
    )  # fmt: skip
    picture = grey_picture(blank, spec)
    # axes 92..350 px tall for values 0..1: warning 0.45–0.6, critical 0.1–0.25
    boxes = {"warning": (90, 195, 330, 234), "critical": (90, 285, 330, 324)}
    differences = apart(picture, boxes)
    assert min(differences.values()) >= GREY_MARGIN / 2, differences
