"""A generated page's tables converted a few rows at a time (``mkdocs_plugin.tables``) give
exactly MkDocs' own conversion of the whole page, from the cache too; what is not a table
block of its own is converted as it is. Real MkDocs, Python-Markdown and SQLite cache.
(A whole site against a build converting whole: the last test.)"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from conftest import ROOT
from opsbook.mkdocs_plugin.pages import _toc_tokens
from opsbook.mkdocs_plugin.tables import TableConverter
from opsbook.site.pagecache import TABLE_ROWS, PageStore
from opsbook.support.cache import Cache
from site_support import env_for, run

ROWS = "\n".join(
    f'| [场景 {n}](other.md) | <span class="ob-x">{n}</span> | *{n}* |' for n in range(150)
)
TABLE = "| 场景 | 状态 | 值 |\n|---|:-:|--:|\n" + ROWS
MARKDOWN = f"""# 标题

Intro.

{TABLE}

## Second {{ #second }}

```
{TABLE}
```

{TABLE}
{{ .ob-table }}

- a list

{TABLE}

| short | table |
|---|---|
| converted | with the page |
"""


@pytest.fixture
def config() -> MkDocsConfig:
    loaded = load_config(str(ROOT / "mkdocs.yml"))
    loaded.plugins._current_plugin = "opsbook"  # File.generated, outside a build
    return loaded


def page_of(config: MkDocsConfig, markdown: str) -> tuple[Page, Files]:
    files = Files([
        File.generated(config, "rollup.md", content=markdown),
        File.generated(config, "other.md", content="# Other\n"),
    ])  # fmt: skip
    file = files.get_file_from_path("rollup.md")
    assert file is not None
    page = Page(None, file, config)
    page.read_source(config)
    return page, files


def recording(converting: list[str]) -> Callable[[Page, MkDocsConfig, Files], None]:
    """MkDocs' own conversion, the Markdown of each conversion appended to ``converting``."""

    def render(page: Page, config: MkDocsConfig, files: Files) -> None:
        converting.append(page.markdown or "")
        Page.render(page, config, files)

    return render


def in_pieces(
    config: MkDocsConfig, markdown: str, cache: Cache, render: Callable[..., None]
) -> None:
    """``markdown`` converted a piece at a time (``render`` converting), the pieces
    remembered in ``cache``: the same as MkDocs converting the page whole."""
    whole, files = page_of(config, markdown)
    whole.render(config, files)
    store = PageStore(cache)
    pieces, _ = page_of(config, markdown)
    assert TableConverter(store, "base", render).convert(pieces, config, files)
    assert converted(pieces) == converted(whole)
    store.flush()


def converted(page: Page) -> tuple[object, ...]:
    return page.content, _toc_tokens(page.toc), page.title, page.present_anchor_ids


def test_tables_in_pieces_equal_the_whole_page_and_come_back_from_the_cache(
    config: MkDocsConfig, tmp_path: Path
) -> None:
    whole, files = page_of(config, MARKDOWN)
    whole.render(config, files)
    cache = Cache(tmp_path / "cache")
    store = PageStore(cache)
    fresh, _ = page_of(config, MARKDOWN)
    assert TableConverter(store, "base", Page.render).convert(fresh, config, files)
    assert converted(fresh) == converted(whole)
    assert fresh.content is not None and fresh.content.count("<table>") == 4
    store.flush()
    converting: list[str] = []  # the Markdown of every conversion from now on
    render = recording(converting)

    again, _ = page_of(config, MARKDOWN)
    assert TableConverter(PageStore(cache), "base", render).convert(again, config, files)
    assert converted(again) == converted(whole)
    assert len(converting) == 1  # the page around its tables: every row from the cache
    edited_markdown = MARKDOWN.replace("[场景 7]", "[场景 七]")
    edited, _ = page_of(config, edited_markdown)
    assert TableConverter(PageStore(cache), "base", render).convert(edited, config, files)
    expected, _ = page_of(config, edited_markdown)
    expected.render(config, files)
    assert converted(edited) == converted(expected) and "场景 七" in (edited.content or "")
    # once the piece with the edited row (the same in both tables), then the page again
    assert len(converting) == 3 and "[场景 七]" in converting[1]
    assert converting[1].count("\n|") <= 98  # a piece (at most 96 rows), not 150


def test_a_page_without_a_table_block_is_left_to_mkdocs(config: MkDocsConfig) -> None:
    page, files = page_of(config, f"# T\n\n```\n{TABLE}\n```\n")
    assert not TableConverter(PageStore(Cache.disabled()), "b", Page.render).convert(
        page, config, files
    )
    assert page.content is None


def test_the_sections_of_a_library_page_are_converted_alone_as_in_the_whole_page(
    config: MkDocsConfig, tmp_path: Path
) -> None:
    """A page of many short sections (the SOP library): each section's blocks after its
    heading are a piece; headings (their anchors, the contents) stay with the page."""
    sections = [
        f"## 场景 {n} &#35;{n}\n\n负责人：[某人](other.md)\n\n1. 步骤<br>标准：≥ {n}%\n2. 复盘\n"
        for n in range(40)
    ]
    markdown = "# SOP 库\n\nIntro.\n\n" + "\n".join(sections) + "\n## 场景 0 &#35;0\n\n- again\n"
    converting: list[str] = []
    render, cache = recording(converting), Cache(tmp_path / "cache")
    in_pieces(config, markdown, cache, render)  # the repeated heading's anchor too
    # the blocks after each of the 42 headings, then the page around them
    assert len(converting) == 43 and converting[1].startswith("负责人")
    in_pieces(config, markdown.replace("≥ 7%", "≥ 77%"), cache, render)
    assert len(converting) == 45 and "≥ 77%" in converting[43]  # that section, the page


def test_a_listing_of_many_short_tables_is_converted_a_table_at_a_time(
    config: MkDocsConfig, tmp_path: Path
) -> None:
    """The scenarios by module (40 tables of ~25 rows at 1,000 scenarios): each table is
    cut in pieces, so an edit converts the rows of its own table, not the listing; a short
    table stays with the page, and so do the tables of a page of few rows."""

    def module(n: int) -> str:
        rows = "\n".join(f"| [场景 {n}-{r}](other.md) | *{r}* |" for r in range(12))
        return f"### 模块 {n}\n\n| 场景 | 值 |\n|---|--:|\n{rows}\n"

    short = "| short | table |\n|---|---|\n| with | the page |\n"
    markdown = "# 全部场景\n\n" + "\n".join(module(n) for n in range(20)) + "\n" + short
    converting: list[str] = []
    render, cache = recording(converting), Cache(tmp_path / "cache")
    in_pieces(config, markdown, cache, render)
    page_itself = converting[-1]
    assert "| short | table |" in page_itself and "场景 3-" not in page_itself
    converting.clear()
    in_pieces(config, markdown.replace("[场景 3-4]", "[场景 三-4]"), cache, render)
    # the piece of module 3's table with the edited row (≤ 12 rows), then the page around
    assert len(converting) == 2 and "[场景 三-4]" in converting[0]
    assert converting[0].count("\n|") <= 13 and "场景 2-" not in converting[0]
    # a page with few table rows in all converts its tables with the page, as before
    few, files = page_of(config, "# T\n\n" + module(1))
    assert not TableConverter(PageStore(Cache.disabled()), "b", Page.render).convert(
        few, config, files
    )


def test_a_build_of_long_roll_ups_in_pieces_equals_a_build_without_the_cache(
    tmp_path: Path,
) -> None:
    """The real CLI on 50 generated scenarios (the dashboard's tables and the SOP library
    long enough to be converted in pieces): the same site as a build converting whole."""
    project = tmp_path / "project"
    made = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--profile", "realistic", "50",
         str(project)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "  - opsbook:\n", "  - opsbook:\n      charts: false\n", 1
    )
    config.write_text(text, encoding="utf-8")
    env = env_for(tmp_path)
    assert run("build", "-d", str(tmp_path / "pieces"), cwd=project, env=env).returncode == 0
    dashboard = (tmp_path / "pieces" / "index.html").read_text(encoding="utf-8")
    assert max(len(table.split("<tr")) for table in dashboard.split("<table")) > 33
    with sqlite3.connect(tmp_path / "cache" / "cache.sqlite3") as cache:
        query = "SELECT COUNT(*) FROM entries WHERE namespace = ?"
        assert cache.execute(query, (TABLE_ROWS,)).fetchone()[0] > 0  # converted in pieces
    config.write_text(
        text.replace("charts: false\n", "charts: false\n      cache: false\n"), "utf-8"
    )
    assert run("build", "-d", str(tmp_path / "whole"), cwd=project, env=env).returncode == 0
    pieces, whole = tree(tmp_path / "pieces"), tree(tmp_path / "whole")
    assert sorted(pieces) == sorted(whole)
    assert [path for path in pieces if pieces[path] != whole[path]] == []


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
