"""Every use of MkDocs' private API, in one place.

MkDocs offers no public way to build one page outside a build, nor to tell the browsers to
reload before a rebuild has finished; serve's quick path (:mod:`.quick`) needs both, and the
page memory (:mod:`.pages`) sets the title a conversion found and wraps Material's search
index. These follow the code of the MkDocs and Material versions in :data:`SUPPORTED`, which ``tests/test_mkdocs_api.py`` checks against
the installed ones: a new MkDocs or Material is checked here first.
"""

from __future__ import annotations

from importlib import metadata
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
    from mkdocs.commands.build import _build_page, _populate_page

    _populate_page(page, config, files)
    _build_page(page, config, files.documentation_pages(), nav, env)


def show_rebuilt(server: LiveReloadServer) -> None:
    """Serve the site again and tell the browsers to reload now, while MkDocs still holds
    every request until its rebuild has finished. Nothing happens when the server does not
    keep its epochs as MkDocs 1.6 does."""
    condition = getattr(server, "_epoch_cond", None)
    wanted = getattr(server, "_wanted_epoch", None)
    if condition is None or wanted is None:
        return
    with condition:
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
