"""The built site in a real headless Chromium: pages, search in Chinese and English, no
console errors, nothing loaded from another host. Screenshots go to test-artifacts/."""

# ruff: noqa: F811  (fixtures imported from site_support are arguments of the tests)
from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from site_support import ARTIFACTS, CHROMIUM_ARGS, base_url, browser, serve_directory, shipped_site  # noqa: F401

pytestmark = pytest.mark.browser


class Watched:
    """A page whose console errors and requests to other hosts are recorded."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.errors: list[str] = []
        self.outside: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on(
            "request",
            lambda r: None if r.url.startswith((base_url, "data:")) else self.outside.append(r.url),
        )

    def open(self, url: str) -> Page:
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def assert_clean(self) -> None:
        assert self.errors == []
        assert self.outside == []


@pytest.fixture
def watched(browser: Browser, base_url: str) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = Watched(context.new_page(), base_url)
    yield page
    context.close()


def screenshot(page: Page, name: str) -> None:
    """Scroll through (charts load lazily), back to the top, then the whole page."""
    height = page.evaluate("document.body.scrollHeight")
    for y in range(0, height, 800):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(30)
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"site-{name}.png", full_page=True)


def test_a_scenario_page_shows_its_tables_alerts_and_charts(
    watched: Watched, base_url: str
) -> None:
    page = watched.open(f"{base_url}/scenarios/ecommerce-new-user-first-order/")
    assert page.locator("article h1").inner_text().rstrip("¶") == "新用户首单转化"
    assert page.locator(".admonition.danger").first.inner_text().startswith("严重")
    row = page.locator("article table tr", has_text="下单必填项精简至3项")
    assert "已逾期" in row.inner_text() and "已逾期 10 天（2026-06-12 起）" in row.inner_text()
    screenshot(page, "scenario")
    charts = page.locator("img.ob-chart")
    assert charts.count() == 6  # five, and the attainment by cycle (it has closed a cycle)
    widths = charts.evaluate_all("images => images.map(i => i.naturalWidth)")
    assert all(width > 0 for width in widths), widths
    watched.assert_clean()


def test_the_dashboard_and_a_person_page(watched: Watched, base_url: str) -> None:
    page = watched.open(f"{base_url}/")
    assert "运营看板" in page.locator("article h1").inner_text()
    alerts = page.locator("article table", has_text="新人券核销率").first
    assert "73.8%" in alerts.inner_text()
    screenshot(page, "dashboard")
    page.locator("article a", has_text="王芳").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{base_url}/people/design.wang/"
    assert page.locator("article h1").inner_text().rstrip("¶") == "王芳"
    assert "注册页主按钮改为高对比色" in page.locator("article").inner_text()
    screenshot(page, "person")
    watched.assert_clean()


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("核销率", "/scenarios/ecommerce-new-user-first-order/"),  # inside the Han run 新人券核销率
        ("expansion", "/scenarios/saas-renewal-expansion/"),
    ],
)
def test_search_finds_chinese_and_english_words(
    watched: Watched, base_url: str, term: str, expected: str
) -> None:
    page = watched.open(f"{base_url}/people/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    search = page.locator("input.md-search__input")
    search.fill(term)
    search.press("End")  # a key press: Material searches on keyboard events
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=15000)
    links = results.evaluate_all("links => links.map(a => a.href)")
    assert any(expected in link for link in links), links
    screenshot(page, f"search-{'zh' if term == '核销率' else 'en'}")
    watched.assert_clean()


@pytest.mark.parametrize(("width", "scheme"), [(390, "dark"), (390, "light"), (1280, "dark")])
def test_phone_and_dark_layouts_render(
    browser: Browser, base_url: str, width: int, scheme: str
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": 844},
        color_scheme=scheme,  # type: ignore[arg-type]
    )
    watched = Watched(context.new_page(), base_url)
    page = watched.open(f"{base_url}/scenarios/saas-renewal-expansion/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0  # wide tables scroll inside their own box, not the page
    screenshot(page, f"scenario-{width}-{scheme}")
    watched.assert_clean()
    context.close()
