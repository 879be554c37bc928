"""Pages remembered between builds: HTML, layout and search entries (see opsbook.pagecache)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, DictLoader, Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents, get_toc

from opsbook.cache import Cache, content_key
from opsbook.htmlcompact import compact_html
from opsbook.pagecache import (
    INDEXED,
    LAID_OUT,
    RENDERED,
    PageStore,
    RenderedPage,
    TocToken,
    decode_entries,
    decode_text,
    encode_entries,
    encode_text,
)
from opsbook.searchindex import compact_search_index

log = logging.getLogger("mkdocs.plugins.opsbook")


class PageMemory:
    """Each generated page's HTML, laid-out output and search entries, remembered across
    builds (see :mod:`opsbook.pagecache`): a page whose inputs did not change is neither
    converted, nor laid out, nor segmented for search again. Hand-written pages are left to
    MkDocs (only minified)."""

    TEMPLATE = "opsbook/remembered.html"

    def __init__(self, store: PageStore, *, minify: bool) -> None:
        self._store = store
        self._minify = minify
        self._render_keys: dict[str, str] = {}  # src_uri → key of its Markdown's HTML
        self._pristine: dict[str, str] = {}  # src_uri → its Markdown before other plugins
        self._layout_keys: dict[str, str] = {}  # pages laid out in this build, to remember
        self._laid_out: dict[str, bytes] = {}  # remembered outputs (compressed) still to print
        self._reused: set[str] = set()  # pages whose output came from the cache
        self._nav_digest = ""
        self._search_settings = ""

    @classmethod
    def idle(cls) -> PageMemory:
        return cls(PageStore(Cache.disabled()), minify=False)

    def start(self, config: MkDocsConfig, files: Files, generated: Mapping[str, bytes]) -> None:
        """Look up the HTML of every generated page in one query."""
        self._remember_search(config)
        if not self._store.enabled:
            return
        every_file = "\n".join(sorted(f.src_uri for f in files))  # links resolve against it
        base = content_key("render", every_file, _markdown_settings(config))
        for path, source in generated.items():
            file = files.get_file_from_path(path)
            if file is not None and file.is_documentation_page():
                self._render_keys[path] = content_key(base, path, file.url, source)
        self._store.prefetch(RENDERED, list(self._render_keys.values()))

    def navigation(self, nav: Navigation) -> None:
        self._nav_digest = content_key("nav", str(nav))

    def forget(self, src: str) -> None:
        """``src`` is rebuilt outside a build (see :class:`QuickEdit`): nothing of it is
        remembered from this build's lookups."""
        for known in (self._render_keys, self._laid_out, self._layout_keys):
            known.pop(src, None)
        self._reused.discard(src)

    def before_plugins(self, page: Page, markdown: str) -> None:
        if page.file.src_uri in self._render_keys:
            self._pristine[page.file.src_uri] = markdown

    def before_render(self, page: Page, markdown: str) -> None:
        """Replace the page's conversion by the remembered one (or remember this one), unless
        another plugin changed its Markdown: then the result depends on more than the file."""
        src = page.file.src_uri
        key = self._render_keys.get(src)
        if key is None or self._pristine.get(src) != markdown:
            return
        blob = self._store.take(RENDERED, key)
        if blob is not None:
            remembered = RenderedPage.from_bytes(blob)
            page.render = lambda config, files: _apply(page, remembered)  # type: ignore[method-assign]
        else:
            page.render = lambda config, files: self._render(page, key, config, files)  # type: ignore[method-assign]

    def _render(self, page: Page, key: str, config: MkDocsConfig, files: Files) -> None:
        with _warnings_counted() as warnings:
            Page.render(page, config, files)
        if not warnings:  # a page with a broken link must warn on every build
            rendered = RenderedPage(
                page.content or "", _toc_tokens(page.toc), page._title_from_render,
                list(page.present_anchor_ids or ()),
            )  # fmt: skip
            self._store.put(RENDERED, key, rendered.to_bytes())

    def before_layout(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        """Pages whose output is remembered get a template that prints it as it was."""
        if not self._store.enabled or len(config.plugins.events["post_page"]) > 1:
            return env  # another plugin's on_post_page would see our finished output
        site = _site_digest(config)
        pages = [f.page for f in files.documentation_pages() if f.src_uri in self._render_keys]
        keys = {p.file.src_uri: self._layout_key(p, site) for p in pages if p is not None}
        self._store.prefetch(LAID_OUT, list(keys.values()))
        searched = [self._search_key(p, self._search_settings) for p in pages if p is not None]
        self._store.prefetch(INDEXED, searched)
        for page in pages:
            assert page is not None
            src = page.file.src_uri
            blob = self._store.take(LAID_OUT, keys[src])
            if blob is None:
                self._layout_keys[src] = keys[src]
            else:
                self._laid_out[src] = blob
                self._reused.add(src)
                page.meta["template"] = self.TEMPLATE
        env.loader = ChoiceLoader(
            [DictLoader({self.TEMPLATE: "{{ opsbook_laid_out(page.file.src_uri) }}"}), env.loader]
        )  # fmt: skip
        env.globals["opsbook_laid_out"] = self._print_laid_out
        return env

    def _print_laid_out(self, src: str) -> str:
        # decompressed only now, and forgotten once printed: one page in memory at a time
        return decode_text(self._laid_out.pop(src))

    def _layout_key(self, page: Page, site: str) -> str:
        meta = json.dumps(page.meta, sort_keys=True, ensure_ascii=False, default=str)
        toc = json.dumps(_toc_tokens(page.toc), ensure_ascii=False)
        return content_key(
            "layout", site, self._nav_digest, page.url, str(page.title), meta, toc,
            page.content or "", str(self._minify),
        )  # fmt: skip

    def after_layout(self, output: str, page: Page) -> str:
        src = page.file.src_uri
        if src in self._render_keys:
            page.content = None  # indexed and laid out: nothing reads it again; memory back
        if src in self._reused:
            return output
        if self._minify:
            output = compact_html(output)
        if src in self._layout_keys:
            self._store.put(LAID_OUT, self._layout_keys[src], encode_text(output))
        return output

    def finish(self) -> None:
        if self._render_keys:
            log.info(
                "opsbook: %d of %d generated pages laid out from the cache",
                len(self._reused), len(self._render_keys),
            )  # fmt: skip
        self._store.flush()

    def _remember_search(self, config: MkDocsConfig) -> None:
        """Material's search segments every page's Chinese text with jieba on every build;
        its entries for a page depend only on the page and the search settings."""
        search = next((p for n, p in config.plugins.items() if n.endswith("search")), None)
        index = getattr(search, "search_index", None)
        if index is None or not hasattr(index, "add_entry_from_context"):
            return
        settings = self._search_settings = _search_settings(search.config)  # type: ignore[union-attr]
        index_page = index.add_entry_from_context

        def add_entry_from_context(page: Page) -> None:
            if page.file.src_uri not in self._render_keys:
                return index_page(page)
            key = self._search_key(page, settings)
            blob = self._store.take(INDEXED, key)
            if blob is not None:
                index.entries.extend(decode_entries(blob))
                return None
            start = len(index.entries)
            index_page(page)
            self._store.put(INDEXED, key, encode_entries(index.entries[start:]))
            return None

        index.add_entry_from_context = add_entry_from_context
        index.generate_search_index = _readable_json(index.generate_search_index)

    def _search_key(self, page: Page, settings: str) -> str:
        meta = {name: page.meta.get(name) for name in ("search", "tags", "title")}
        return content_key(
            "search", settings, page.url, str(page.title), page.content or "",
            json.dumps([meta, _toc_tokens(page.toc)], ensure_ascii=False, default=str),
        )  # fmt: skip


def _readable_json(generate: Callable[..., str]) -> Callable[..., str]:
    """The search index with Chinese as UTF-8 rather than ``\\uXXXX`` escapes: the same JSON,
    less than half the bytes (every Han character and jieba's U+200B separators took six),
    and without marks that change no search (:mod:`opsbook.searchindex`)."""

    def generate_readable(*args: Any, **kwargs: Any) -> str:
        data = compact_search_index(json.loads(generate(*args, **kwargs)))
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    return generate_readable


def _apply(page: Page, remembered: RenderedPage) -> None:
    page.content = remembered.content
    page.toc = get_toc(remembered.toc)  # type: ignore[arg-type]
    page._title_from_render = remembered.title
    page.present_anchor_ids = set(remembered.anchors)
    page.links_to_anchors = {}


def _toc_tokens(toc: TableOfContents | list[AnchorLink]) -> list[TocToken]:
    return [
        {"level": a.level, "id": a.id, "name": a.title, "children": _toc_tokens(a.children)}
        for a in toc
    ]


def _markdown_settings(config: MkDocsConfig) -> str:
    import markdown

    extensions = [
        e if isinstance(e, str) else type(e).__qualname__ for e in config.markdown_extensions
    ]
    settings = {"extensions": extensions, "configs": config.mdx_configs or {}}
    versions = (_version("mkdocs"), markdown.__version__, str(config.use_directory_urls))
    return json.dumps([settings, versions], sort_keys=True, default=str)


def _site_digest(config: MkDocsConfig) -> str:
    """What the theme shows around a page besides the page: mkdocs.yml, the theme's
    overrides, the language and address set at run time, the versions."""
    parts = [Path(config.config_file_path).read_bytes() if config.config_file_path else b""]
    custom = config.theme.custom_dir
    if custom and Path(custom).is_dir():
        for path in sorted(Path(custom).rglob("*")):
            if path.is_file():
                parts += [path.as_posix().encode(), path.read_bytes()]
    runtime = [config.site_url or "", config.theme["language"], _version("mkdocs")]
    runtime.append(_version("mkdocs-material"))
    return content_key(*parts, json.dumps(runtime))


def _search_settings(settings: Mapping[str, Any]) -> str:
    chosen = {name: settings.get(name) for name in ("lang", "separator", "pipeline", "fields")}
    dictionaries = []
    for name in ("jieba_dict", "jieba_dict_user"):
        path = settings.get(name)
        if path and Path(path).is_file():
            dictionaries.append(hashlib.sha256(Path(path).read_bytes()).hexdigest())
    versions = [_version("mkdocs-material"), _version("jieba")]
    return json.dumps([chosen, dictionaries, versions], sort_keys=True, default=str)


def _version(distribution: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""


@contextlib.contextmanager
def _warnings_counted() -> Iterator[list[logging.LogRecord]]:
    warnings: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = warnings.append  # type: ignore[method-assign]
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield warnings
    finally:
        logger.removeHandler(handler)
