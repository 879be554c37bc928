"""A warm build reuses each generated page's HTML, layout and search entries, and gives
exactly the site a build from nothing gives; an edit reaches every page it touches."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from conftest import ROOT
from site_support import env_for, make_project, run, shipped

OLD, NEW = "对产品价值不清晰", "对新人福利不了解"  # a pain point: in the page, not the navigation
SCENARIOS = ["ecommerce-new-user-first-order", "saas-trial-to-paid-onboarding"]


def build(project: Path, cache_root: Path, site: Path) -> str:
    result = run("build", "--verbose", "-d", os.fspath(site), cwd=project, env=env_for(cache_root))
    assert result.returncode == 0, result.stderr
    return result.stderr


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def laid_out_from_cache(stderr: str) -> tuple[int, int]:
    found = re.search(r"opsbook: (\d+) of (\d+) generated pages laid out from the cache", stderr)
    assert found, stderr
    return int(found[1]), int(found[2])


def project(tmp_path: Path) -> Path:
    scenarios = {f"{name}.yaml": shipped(name) for name in SCENARIOS}
    return make_project(tmp_path / "project", scenarios, charts=True)


def test_a_warm_build_reuses_every_page_and_writes_the_same_bytes(tmp_path: Path) -> None:
    folder = project(tmp_path)
    first = build(folder, tmp_path / "cache", tmp_path / "cold")
    reused, pages = laid_out_from_cache(first)
    assert reused == 0 and pages > len(SCENARIOS)
    second = build(folder, tmp_path / "cache", tmp_path / "warm")
    assert laid_out_from_cache(second) == (pages, pages)
    cold, warm = tree(tmp_path / "cold"), tree(tmp_path / "warm")
    assert sorted(cold) == sorted(warm)
    assert [path for path in cold if cold[path] != warm[path]] == []


def test_an_edit_reaches_its_page_and_search_through_the_cache(tmp_path: Path) -> None:
    folder = project(tmp_path)
    build(folder, tmp_path / "cache", tmp_path / "before")
    scenario = folder / "scenarios" / f"{SCENARIOS[0]}.yaml"
    text = scenario.read_text(encoding="utf-8")
    assert OLD in text
    scenario.write_text(text.replace(OLD, NEW), encoding="utf-8")
    stderr = build(folder, tmp_path / "cache", tmp_path / "after")
    reused, pages = laid_out_from_cache(stderr)
    assert 0 < reused < pages  # the other scenario's page came from the cache, not this one
    site = tmp_path / "after"
    page = (site / "scenarios" / SCENARIOS[0] / "index.html").read_text(encoding="utf-8")
    assert NEW in page and OLD not in page
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = [
        re.sub(r"[\s\u200b]", "", doc["text"]) for doc in index["docs"]
    ]  # jieba joins with U+200B
    assert any(NEW in text for text in texts)
    assert not any(OLD in text for text in texts)


def test_a_build_without_the_cache_gives_the_same_site(tmp_path: Path) -> None:
    folder = project(tmp_path)
    build(folder, tmp_path / "cache", tmp_path / "cold")
    build(folder, tmp_path / "cache", tmp_path / "warm")
    config = folder / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "charts: true", "charts: true\n      cache: false"
        ),
        encoding="utf-8",
    )
    shutil.rmtree(tmp_path / "cache")
    stderr = build(folder, tmp_path / "cache", tmp_path / "uncached")
    assert "laid out from the cache" not in stderr  # nothing is remembered without a cache
    uncached, warm = tree(tmp_path / "uncached"), tree(tmp_path / "warm")
    assert sorted(uncached) == sorted(warm)
    assert [path for path in warm if warm[path] != uncached[path]] == []


def test_a_rebuild_replaces_the_site_and_the_old_one_goes_away(tmp_path: Path) -> None:
    folder = project(tmp_path)
    site = tmp_path / "out" / "site"
    build(folder, tmp_path / "cache", site)
    (site / "stale.txt").write_text("from the previous build", encoding="utf-8")
    build(folder, tmp_path / "cache", site)
    assert not (site / "stale.txt").exists()
    assert (site / "scenarios" / SCENARIOS[0] / "index.html").is_file()
    deadline = time.monotonic() + 60  # the previous site is deleted in the background
    # what stays beside the site: the site and the lock that keeps builds of it one at a time
    left = ["site", ".site.lock"]
    while (
        sorted(p.name for p in site.parent.iterdir()) != sorted(left)
        and time.monotonic() < deadline
    ):
        time.sleep(0.2)
    assert sorted(p.name for p in site.parent.iterdir()) == sorted(left)


def test_minify_false_keeps_the_themes_indentation(tmp_path: Path) -> None:
    folder = project(tmp_path)
    build(folder, tmp_path / "cache", tmp_path / "compact")
    config = folder / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("charts: true", "charts: true\n      minify: false"), "utf-8")
    build(folder, tmp_path / "cache", tmp_path / "indented")
    page = f"scenarios/{SCENARIOS[0]}/index.html"
    compact = (tmp_path / "compact" / page).read_text(encoding="utf-8")
    indented = (tmp_path / "indented" / page).read_text(encoding="utf-8")
    assert re.search(r">\n {4,}<", indented) and not re.search(r">\s{2,}<", compact)
    assert len(compact) < 0.85 * len(indented)


def test_the_search_index_is_whole_for_the_offline_plugin_listed_first(tmp_path: Path) -> None:
    # A build writes the search index itself, after Material's search and before Material's
    # offline plugin turns it into search_index.js, whatever order the plugins are listed in.
    folder = project(tmp_path)
    config = folder / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("plugins:\n", "plugins:\n  - offline\n")
    config.write_text(text, encoding="utf-8")
    build(folder, tmp_path / "cache", tmp_path / "site")
    index = json.loads((tmp_path / "site/search/search_index.json").read_text(encoding="utf-8"))
    script = (tmp_path / "site/search/search_index.js").read_text(encoding="utf-8")
    assert script == "var __index = " + json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    pages = {entry["location"].split("#")[0] for entry in index["docs"]}
    assert {f"scenarios/{name}.html" for name in SCENARIOS} <= pages  # offline: no directory URLs


def test_pages_converted_in_a_second_process_give_the_same_site(tmp_path: Path) -> None:
    """A cold build of enough pages converts them, then lays them out, from both ends: in
    MkDocs' process and in a forked one; the site is the one a build without the cache (one
    process) gives, and a warm build gives it too, every page from the cache."""
    sys.path.insert(0, os.fspath(ROOT / "bench"))
    from generate import generate

    folder = generate(70, tmp_path / "project").parent
    stderr = build(folder, tmp_path / "cache", tmp_path / "cold")
    _, pages = laid_out_from_cache(stderr)
    for stage in ("converted", "laid out"):
        found = re.search(rf"opsbook: (\d+) pages {stage} in a second process", stderr)
        assert found and 0 < int(found[1]) < pages, (stage, stderr)
    config = folder / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("- opsbook:", "- opsbook:\n      cache: false"), "utf-8")
    alone = build(folder, tmp_path / "cache", tmp_path / "alone")
    assert "in a second process" not in alone
    cold, single = tree(tmp_path / "cold"), tree(tmp_path / "alone")
    assert sorted(cold) == sorted(single)
    assert [path for path in cold if cold[path] != single[path]] == []
    config.write_text(text, "utf-8")
    warm = build(folder, tmp_path / "cache", tmp_path / "warm")
    assert laid_out_from_cache(warm) == (pages, pages)
    assert tree(tmp_path / "warm") == cold


def test_a_child_working_ahead_delivers_what_it_stores_unless_held_back() -> None:
    """What a page's layout stored in the child reaches the build only when the layout
    logged no warning (the build then lays the page out itself, and warns)."""
    from opsbook.site.pagecache import LAID_OUT, ForwardingStore, PageStore
    from opsbook.support.cache import Cache

    owner = PageStore(Cache.disabled())
    delivered: list[tuple[str, str, bytes]] = []
    store = ForwardingStore(lambda *entry: delivered.append(entry), owner)
    store.put(LAID_OUT, "a", b"1")
    with store.held_back() as made:
        store.put(LAID_OUT, "b", b"2")
        assert delivered == [(LAID_OUT, "a", b"1")]
    store.put(LAID_OUT, "c", b"3")
    assert made == [(LAID_OUT, "b", b"2")]
    assert delivered == [(LAID_OUT, "a", b"1"), (LAID_OUT, "c", b"3")]
    store.deliver(made)
    assert delivered[-1] == (LAID_OUT, "b", b"2")


def _pages(names: str) -> list[Any]:
    """Stand-ins for MkDocs' pages: all that a child working ahead reads of them."""
    from types import SimpleNamespace

    return [SimpleNamespace(file=SimpleNamespace(src_uri=name)) for name in names]


def _until_in_hand(ahead: Any, name: str) -> None:
    deadline = time.monotonic() + 30
    while not ahead.in_hand(name) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert ahead.in_hand(name)


def test_the_child_working_ahead_says_which_page_it_has_in_hand(tmp_path: Path) -> None:
    """The child takes the pages from the last; while it works on one, the owner sees that
    page (and only that one) in its hands, and none once it is done."""
    from opsbook.mkdocs_plugin.ahead import PagesAhead

    release = tmp_path / "release"

    def work(page: Any) -> None:  # in the child: holds the last page until released
        while page.file.src_uri == "c" and not release.exists():
            time.sleep(0.01)

    ahead = PagesAhead(_pages("abc"), lambda deliver: None, work)
    try:
        _until_in_hand(ahead, "c")
        assert not ahead.in_hand("b") and not ahead.in_hand("x")
        release.touch()
        ahead.finish(lambda *entry: None)  # the child works down to "a", then leaves
        assert not any(ahead.in_hand(name) for name in "abc")
    finally:
        ahead.stop()


def test_the_owner_waits_for_the_page_the_child_has_in_hand(tmp_path: Path) -> None:
    """Rather than convert again a page the child is converting, its owner waits for it:
    it returns once the child has sent it and moved on, what was sent delivered."""
    from opsbook.mkdocs_plugin.ahead import Deliver, PagesAhead

    release = tmp_path / "release"
    sending: list[Deliver] = []  # in the child: where what it makes goes

    def work(page: Any) -> None:
        while page.file.src_uri == "c" and not release.exists():
            time.sleep(0.01)
        sending[0]("rendered", page.file.src_uri, b"html")

    ahead = PagesAhead(_pages("abc"), sending.append, work)
    try:
        _until_in_hand(ahead, "c")
        threading.Timer(0.3, release.touch).start()
        received: list[tuple[str, str, bytes]] = []
        ahead.wait_for("c", lambda *entry: received.append(entry))
        assert not ahead.in_hand("c")
        assert ("rendered", "c", b"html") in received
    finally:
        ahead.stop()


def test_waiting_for_a_child_that_ended_returns(tmp_path: Path) -> None:
    from opsbook.mkdocs_plugin.ahead import PagesAhead

    def work(page: Any) -> None:  # in the child: never done with "b"
        while True:
            time.sleep(0.01)

    ahead = PagesAhead(_pages("ab"), lambda deliver: None, work)
    try:
        _until_in_hand(ahead, "b")
        process = ahead._process
        assert process is not None and process.pid is not None
        os.kill(process.pid, signal.SIGKILL)
        ahead.wait_for("b", lambda *entry: None)  # returns: the child is gone
    finally:
        ahead.stop()


def test_roll_ups_are_compacted_ahead_from_their_converted_html(tmp_path: Path) -> None:
    """Serve compacts the roll-ups' remembered HTML in pieces while idle, the largest first,
    waiting before each; a page already laid out since keeps its own pieces."""
    from opsbook.mkdocs_plugin.pages import PageMemory
    from opsbook.site.htmlcompact import compact_in_pieces
    from opsbook.site.pagecache import RENDERED, PageStore, RenderedPage
    from opsbook.support.cache import Cache

    cache = Cache(tmp_path / "cache")
    rows = "".join(f"<tr>\n  <td>{n}</td>\n</tr>\n" for n in range(50))
    small, large = "<h2>a</h2>\n<p>x</p>", f"<table>\n{rows}</table>"
    for key, html in (("k-small", small), ("k-large", large)):
        cache.put(RENDERED, key, RenderedPage(html, [], None, []).to_bytes())
    kept: dict[str, dict[str, str]] = {"laid-out.md": {"<tr>": "<tr>"}}
    memory = PageMemory(PageStore(cache), minify=True, compacted=kept)
    memory._render_keys = {"small.md": "k-small", "large.md": "k-large", "laid-out.md": "k"}
    order: list[int] = []
    memory.compact_ahead(
        ["small.md", "large.md", "laid-out.md", "unknown.md"],
        before_each=lambda: order.append(len(kept)),
    )
    assert kept == {
        "laid-out.md": {"<tr>": "<tr>"},
        "small.md": compact_in_pieces(small, {})[1],
        "large.md": compact_in_pieces(large, {})[1],
    }
    assert order == [1, 2]  # before each page, the largest first
    assert list(kept)[1] == "large.md"


def test_the_pieces_a_child_converted_are_stored_not_held(tmp_path: Path) -> None:
    """What the child working ahead sends goes to the cache; a page's HTML and search
    entries wait to be taken, the pieces of its tables (which only the child's own pages
    use) are not held once written."""
    from opsbook.mkdocs_plugin.pages import PageMemory
    from opsbook.site.pagecache import RENDERED, TABLE_ROWS, PageStore
    from opsbook.support.cache import Cache

    cache = Cache(tmp_path / "cache")
    store = PageStore(cache)
    memory = PageMemory(store, minify=True)
    memory._from_ahead(RENDERED, "page", b"html")
    memory._from_ahead(TABLE_ROWS, "piece", b"rows")
    store.flush()
    assert store.take(RENDERED, "page") == b"html"
    assert store.take(TABLE_ROWS, "piece") is None  # not held…
    assert cache.get(TABLE_ROWS, "piece") == b"rows"  # …but stored
