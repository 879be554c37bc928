"""Every use of MkDocs' private API, in one place.

MkDocs offers no public way to build one page outside a build, nor to tell the browsers to
reload before a rebuild has finished; serve's quick path (:mod:`.quick`) needs both, and the
page memory (:mod:`.pages`) sets the title a conversion found and wraps Material's search
index. These follow the code of the MkDocs and Material versions in :data:`SUPPORTED`, which ``tests/test_mkdocs_api.py`` checks against
the installed ones: a new MkDocs or Material is checked here first.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

# distribution → (lowest supported version, first version not supported), as in pyproject.toml
SUPPORTED: dict[str, tuple[str, str]] = {
    "mkdocs": ("1.6", "2"),
    "mkdocs-material": ("9.5", "10"),
}


def build_page(
    page: Page, config: MkDocsConfig, files: Files, nav: Navigation, env: Environment
) -> None:
    """Read, convert, lay out and write ``page`` as a build does, outside a build."""
    convert_page(page, config, files)
    lay_out_page(page, config, files, nav, env)


def convert_page(page: Page, config: MkDocsConfig, files: Files) -> None:
    """Read and convert ``page`` (its plugins' Markdown and content events run)."""
    from mkdocs.commands.build import _populate_page

    _populate_page(page, config, files)


def lay_out_page(
    page: Page, config: MkDocsConfig, files: Files, nav: Navigation, env: Environment
) -> None:
    """Lay out and write a converted ``page`` (its context and post-page events run)."""
    from mkdocs.commands.build import _build_page

    _build_page(page, config, files.documentation_pages(), nav, env)


def lay_out_page_unwritten(
    page: Page, config: MkDocsConfig, files: Files, nav: Navigation, env: Environment
) -> None:
    """Lay out a converted ``page`` exactly as a build does (the same pages in its context,
    its context and post-page events run), writing nothing: for a process that lays pages
    out for the build's own (see ``PagesAhead``)."""
    from mkdocs.commands.build import _build_page
    from mkdocs.structure.files import InclusionLevel

    page.file.abs_dest_path = os.devnull
    _build_page(
        page, config, files.documentation_pages(inclusion=InclusionLevel.is_included), nav, env
    )


def fresh_navigation(config: MkDocsConfig, files: Files) -> Navigation:
    """The navigation of ``config.nav`` over ``files`` with new page objects, as a build
    makes it (MkDocs reuses a file's page object, and with it the page's old title)."""
    from mkdocs.structure.nav import get_navigation

    for file in files.documentation_pages():
        file.page = None
    quiet = _Quiet()
    logging.getLogger("mkdocs.structure.nav").addFilter(quiet)
    try:
        return get_navigation(files, config)
    finally:
        logging.getLogger("mkdocs.structure.nav").removeFilter(quiet)


class _Quiet(logging.Filter):
    """The pages left out of the navigation were reported by the build already."""

    def filter(self, record: logging.LogRecord) -> bool:
        return 'are not included in the "nav" configuration' not in record.getMessage()


def tags_plugin(config: MkDocsConfig) -> Any | None:
    """Material's tags plugin, when the site has it and it keeps its mappings and listings
    as Material 9.6+ does."""
    for name, plugin in config.plugins.items():
        if name.endswith("tags") and hasattr(plugin, "mappings") and hasattr(plugin, "listings"):
            return plugin
    return None


def forget_tags(config: MkDocsConfig, urls: set[str]) -> None:
    """The tags of the pages at ``urls`` forgotten before they are built again (Material
    replaces a page's tags only when it still has some)."""
    tags = tags_plugin(config)
    if tags is not None and tags.mappings is not None:
        for url in urls:
            tags.mappings.data.pop(url, None)


def forget_listings(config: MkDocsConfig, src: str) -> None:
    """The tag listings of the page ``src``, forgotten before it is converted again."""
    tags = tags_plugin(config)
    if tags is not None and tags.listings is not None:
        tags.listings.data = {x for x in tags.listings.data if x.page.file.src_uri != src}


def fill_listings(page: Page, config: MkDocsConfig, env: Environment) -> None:
    """Fill the tag listings of the converted ``page`` in, as Material does in ``on_env``."""
    tags = tags_plugin(config)
    if tags is None or tags.listings is None or not tags.config.enabled:
        return
    from material.plugins.tags.renderer import Renderer

    renderer = Renderer(env, config)
    for listing in list(tags.listings.data):
        if listing.page is page:
            tags.listings.populate(listing, tags.mappings, renderer)


def rewrite_search_index(config: MkDocsConfig, first_new: int, urls: set[str]) -> None:
    """Material's search index written again: the entries of the pages at ``urls`` from
    ``first_new`` on (just added by building them again) replace their old ones."""
    index = search_index(config)
    if index is None:
        return
    entries = index.entries
    from opsbook.mkdocs_plugin.search import page_of

    kept = [entry for entry in entries[:first_new] if page_of(entry) not in urls]
    index.entries = kept + entries[first_new:]
    data = index.generate_search_index(None)
    from opsbook.support import atomic

    atomic.write_file(Path(config.site_dir) / "search" / "search_index.json", data.encode())


_RUNS_A_BUILD_KEEPS = 50_000  # a build's memo stays bounded, however varied the site's text


def remember_segmenting(index: Any, segmented: dict[str, str] | None) -> None:
    """Material's search segments each run of Han characters of a page with jieba (its
    ``_segment_chinese``, done here as it does); each run's result is remembered.

    Under ``serve`` (``segmented`` given, kept between rebuilds) the dashboard (1.5 MB at
    1,000 scenarios, not excluded from search) is indexed again after every edit, its runs
    nearly all the same as before. A build (``segmented`` None) keeps the latest runs: a
    site repeats its names, states and labels on page after page (1,496 distinct runs of
    517,000 at 1,000 realistic scenarios): segmenting its search text took 9.0 s of CPU,
    remembering runs 0.5 s.
    """
    if not callable(getattr(index, "_segment_chinese", None)):
        return
    import jieba
    from backrefs import bre

    han = bre.compile(r"(\p{script: Han}+)", bre.UNICODE)

    def segment_anew(run: str) -> str:
        return "\u200b{}\u200b".format("\u200b".join(jieba.cut(run.encode("utf-8"))))

    if segmented is None:
        segment = functools.lru_cache(maxsize=_RUNS_A_BUILD_KEEPS)(segment_anew)
    else:
        kept = segmented

        def segment(run: str) -> str:
            found = kept.get(run)
            if found is None:
                found = kept[run] = segment_anew(run)
            return found

    def segment_chinese(data: str) -> str:
        return han.sub(lambda match: segment(match.group(0)), data).strip("\u200b")

    index._segment_chinese = segment_chinese


def search_entries(config: MkDocsConfig) -> int:
    """How many entries Material's search index holds now."""
    index = search_index(config)
    return len(index.entries) if index is not None else 0


def hold_requests(server: LiveReloadServer) -> None:
    """Pages are served again only once the rebuild under way has finished (after
    :func:`show_rebuilt` let them be served early)."""
    condition = getattr(server, "_epoch_cond", None)
    wanted = getattr(server, "_wanted_epoch", None)
    if condition is None or wanted is None:
        return
    with condition:
        server._wanted_epoch = max(wanted + 1, round(time.monotonic() * 1000))


def wait_until_serving(server: LiveReloadServer, timeout: float = 600) -> None:
    """Return once ``server`` answers requests (MkDocs starts its serving thread after
    watching the files), or after ``timeout`` seconds; at once when the server has no such
    thread."""
    thread = getattr(server, "serve_thread", None)
    if not isinstance(thread, threading.Thread):
        return
    deadline = time.monotonic() + timeout
    while not thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)


def show_rebuilt(server: LiveReloadServer, *, again: bool = False) -> None:
    """Serve the site again and tell the browsers to reload now, while MkDocs still holds
    every request until its rebuild has finished; ``again``: the site changed since the
    browsers last reloaded. Nothing happens when the server does not keep its epochs as
    MkDocs 1.6 does."""
    condition = getattr(server, "_epoch_cond", None)
    wanted = getattr(server, "_wanted_epoch", None)
    if condition is None or wanted is None:
        return
    with condition:
        if again:
            server._wanted_epoch = wanted = max(wanted + 1, round(time.monotonic() * 1000))
        server._visible_epoch = wanted
        condition.notify_all()


def title_from_render(page: Page) -> str | None:
    """The title the page's conversion found (its first heading)."""
    return page._title_from_render


def set_title_from_render(page: Page, title: str | None) -> None:
    page._title_from_render = title


def search_plugin(config: MkDocsConfig) -> Any | None:
    """Material's search plugin (``search`` or ``material/search``), when the site has it."""
    return next((p for name, p in config.plugins.items() if name.endswith("search")), None)


def search_index(config: MkDocsConfig) -> Any | None:
    """Material's search index of this build, when it has the methods the page memory
    wraps (``add_entry_from_context``, ``generate_search_index``) and its ``entries``."""
    index = getattr(search_plugin(config), "search_index", None)
    if index is None or not hasattr(index, "add_entry_from_context"):
        return None
    return index


def installed_version(distribution: str) -> str:
    """The installed version of ``distribution``, or "" when it is not installed."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""
