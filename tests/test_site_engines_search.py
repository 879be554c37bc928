"""Search on the two sites a team can publish: the MkDocs site (Material's search, Chinese
segmented by jieba at build time) and the Markdown export built by Zensical (its own search,
Chinese segmented in the browser by Intl.Segmenter). The same words lead to the same page."""

# ruff: noqa: F811  (fixtures imported from site_support are arguments of the tests)
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from site_support import (  # noqa: F401  (fixtures)
    browser,
    once,
    serve_directory,
    shipped_export,
    shipped_site,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Zensical's search renders its results inside a shadow root.
ZENSICAL_RESULTS = """() => {
  const host = [...document.querySelectorAll('*')].find(e => e.shadowRoot);
  return host ? [...host.shadowRoot.querySelectorAll('ol a[href]')].map(a => a.href) : [];
}"""


def _zensical_build(folder: Path, export: Path) -> None:
    shutil.copytree(export / "export", folder / "export")
    zensical = Path(sys.executable).with_name("zensical")
    result = subprocess.run(
        [os.fspath(zensical), "build", "--strict"], cwd=folder / "export",
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory, shipped_export: Path) -> Path:
    folder = once(tmp_path_factory, "zensical-build", lambda f: _zensical_build(f, shipped_export))
    return folder / "export" / "site"


def _pages(links: list[str]) -> list[str]:
    """The pages in the order the results list them (a page's sections fold into it)."""
    return list(dict.fromkeys(urlsplit(link).path for link in links))


def _search_mkdocs(page: Page, term: str) -> list[str]:
    page.locator("label.md-search__icon, .md-search__input").first.click()
    search = page.locator("input.md-search__input")
    search.fill(term)
    search.press("End")  # a key press: Material searches on keyboard events
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=15000)
    return _pages(results.evaluate_all("links => links.map(a => a.href)"))


def _search_zensical(page: Page, term: str) -> list[str]:
    page.locator(".md-search__button").click()
    page.keyboard.type(term)
    page.wait_for_function(f"({ZENSICAL_RESULTS})().length > 0", timeout=15000)
    return _settled(page)


def _settled(page: Page) -> list[str]:
    """The results once they stop changing: Zensical searches as each letter is typed, and
    on a loaded machine the list for "e" can still be showing when typing ends."""
    results = page.evaluate(ZENSICAL_RESULTS)
    for _ in range(30):
        page.wait_for_timeout(500)
        again = page.evaluate(ZENSICAL_RESULTS)
        if again == results:
            return _pages(results)
        results = again
    pytest.fail("Zensical's search results kept changing for 15 s")


def _results(browser: Browser, site: Path, term: str, search: object) -> list[str]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        with serve_directory(site) as url:
            page.goto(f"{url}/people/")
            page.wait_for_load_state("networkidle")
            return search(page, term)  # type: ignore[operator]
    finally:
        context.close()


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("首单", "/scenarios/ecommerce-new-user-first-order/"),
        ("留存", "/scenarios/ecommerce-high-repurchase-retention/"),
        ("续费", "/scenarios/saas-low-activity-reactivation/"),
        ("expansion", "/scenarios/saas-renewal-expansion/"),
    ],
)
def test_both_sites_put_the_same_page_first(
    browser: Browser, shipped_site: Path, zensical_site: Path, term: str, expected: str
) -> None:
    mkdocs = _results(browser, shipped_site / "site", term, _search_mkdocs)
    zensical = _results(browser, zensical_site, term, _search_zensical)
    assert (mkdocs[0], zensical[0]) == (expected, expected), (mkdocs, zensical)
    assert "/tags/" not in zensical  # the tag index is left out of the export's search
