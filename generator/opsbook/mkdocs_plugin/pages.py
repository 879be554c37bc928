"""Pages remembered between builds: HTML, layout and search entries (see opsbook.site.pagecache)."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import os
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, DictLoader, Environment, pass_context
from jinja2.runtime import Context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents, get_toc

from opsbook.mkdocs_plugin.ahead import (
    Deliver,
    PagesAhead,
    Prepare,
    Work,
    worth_a_second_process,
)
from opsbook.mkdocs_plugin.mkdocs_api import (
    installed_version,
    remember_segmenting,
    search_index,
    search_plugin,
    set_title_from_render,
    title_from_render,
)
from opsbook.mkdocs_plugin.search import (
    ServedSearchIndex,
    StreamedSearchIndex,
    merged_with_previous,
    search_settings,
    searchable_html,
)
from opsbook.mkdocs_plugin.tables import TableConverter
from opsbook.site.htmlcompact import compact_html, compact_in_pieces
from opsbook.site.pagecache import (
    INDEXED,
    LAID_OUT,
    RENDERED,
    TABLE_ROWS,
    ForwardingStore,
    PageStore,
    RenderedPage,
    TocToken,
    decode_entries,
    decode_text,
    encode_entries,
    encode_text,
)
from opsbook.support.cache import Cache, content_key

log = logging.getLogger("mkdocs.plugins.opsbook")
_PRINT_BATCH = 200  # remembered pages read from the cache in one query while printing


class PageMemory:
    """Each generated page's HTML, laid-out output and search entries, remembered across
    builds (see :mod:`opsbook.site.pagecache`): a page whose inputs did not change is neither
    converted, nor laid out, nor segmented for search again. Hand-written pages are left to
    MkDocs (only minified)."""

    TEMPLATE = "opsbook/remembered.html"

    def __init__(
        self,
        store: PageStore,
        *,
        minify: bool,
        stream_search: bool = False,
        hold_content: bool = False,
        user_dictionary: Path | None = None,
        segmented: dict[str, str] | None = None,
        compacted: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self._store = store
        self._segmented = segmented  # serve: each run of Han characters, segmented once
        self._compacted = compacted  # serve: pages' pieces, compacted (see _compact)
        self._outside_build: set[str] = set()  # serve: pages built again after an edit
        self._minify = minify
        self._user_dictionary = user_dictionary  # jieba's, loaded when a page is segmented
        self._dictionaries_loaded = False
        self._dictionary_lock = threading.Lock()
        # a build (not serve, whose search merges entries between rebuilds): each page's
        # search entries stay compressed until the index is written
        self._search_pages: list[bytes] | None = [] if stream_search else None
        self._streamed_index: StreamedSearchIndex | None = None
        self._render_keys: dict[str, str] = {}  # src_uri → key of its Markdown's HTML
        self._render_base = ""  # what every page's conversion depends on
        self._generated: set[str] = set()  # src_uri of every generated page
        self._urls: set[str] = set()  # the address of every page (as search entries give it)
        # a build: HTML compressed from conversion to layout (see hold)
        self._hold_content = hold_content
        self._untouched: set[str] = set()  # generated pages no other plugin's Markdown
        self._held: dict[str, bytes] = {}  # src_uri → its HTML, compressed
        self._digests: dict[str, str] = {}  # src_uri → a hash of its HTML, while held
        self._pristine: dict[str, str] = {}  # src_uri → its Markdown before other plugins
        self._layout_keys: dict[str, str] = {}  # pages laid out in this build, to remember
        self._laid_out: dict[str, str] = {}  # src → key of its remembered output, to print
        self._canonical: dict[str, str] = {}  # src → its canonical link, put back when printed
        self._reused: set[str] = set()  # pages whose output came from the cache
        self._nav_digest = ""
        self._search_settings = ""
        self._ahead: PagesAhead | None = None  # a build: pages converted in a child
        self._index: Any = None  # Material's search index, when there is one
        self._converted_ahead = 0  # pages whose HTML came from the child
        self._laid_out_ahead = 0  # pages whose output came from the child
        self._templates: dict[str, str] = {}  # src → its own template, laid out ahead

    @classmethod
    def idle(cls) -> PageMemory:
        return cls(PageStore(Cache.disabled()), minify=False)

    def start(
        self,
        config: MkDocsConfig,
        files: Files,
        digests: Mapping[str, str],
        downloads: Collection[str] = (),
    ) -> None:
        """Look up the HTML of every generated page (``digests``: a hash of each one's
        Markdown) in one query. ``downloads``: the generated data files (exports,
        calendars), which ``serve`` leaves out; only pages whose Markdown itself changes
        with them (the dashboard, person pages) link to them, so a page's conversion does
        not depend on them and is shared by ``build`` and ``serve``."""
        self._remember_search(config)
        self._urls = {f.url.removeprefix("./") for f in files.documentation_pages()}
        self._generated = set(digests)
        if not self._store.enabled:
            return
        linkable = sorted(f.src_uri for f in files if f.src_uri not in downloads)
        every_file = "\n".join(linkable)  # links resolve against it
        base = self._render_base = content_key("render", every_file, _markdown_settings(config))
        for path, digest in digests.items():
            file = files.get_file_from_path(path)
            if file is not None and file.is_documentation_page():
                self._render_keys[path] = content_key(base, path, file.url, digest)
        self._store.prefetch(RENDERED, list(self._render_keys.values()))

    def renew(self, src: str, url: str, markdown: bytes) -> None:
        """``src`` is converted again outside a build (see :class:`QuickEdit`), its Markdown
        now ``markdown``: nothing of it is remembered from this build's lookups, and its
        conversion is looked up (or remembered) under its new Markdown."""
        self.forget(src)
        if src in self._generated and self._render_base:
            digest = hashlib.sha256(markdown).hexdigest()
            self._render_keys[src] = key = content_key(self._render_base, src, url, digest)
            self._store.prefetch(RENDERED, [key])

    def look_up_search(self, page: Page) -> None:
        """The search entries of ``page``, converted outside a build, looked up before it is
        laid out (a build looks up every page's at once, in :meth:`before_layout`)."""
        if self._search_settings:
            self._store.prefetch(INDEXED, [self._search_key(page, self._search_settings)])

    def _page_urls(self) -> set[str]:
        return self._urls

    def navigation(self, nav: Navigation) -> None:
        self._nav_digest = content_key("nav", str(nav))

    def forget(self, src: str) -> None:
        """``src`` is rebuilt outside a build (see :class:`QuickEdit`): nothing of it is
        remembered from this build's lookups."""
        for known in (self._render_keys, self._laid_out, self._layout_keys):
            known.pop(src, None)
        self._reused.discard(src)
        self._outside_build.add(src)

    def lay_out_again(self, sources: Collection[str]) -> None:
        """``sources`` are laid out again outside a build, their Markdown unchanged (their
        navigation changed): their conversions come from the cache, looked up now."""
        keys = [self._render_keys[src] for src in sources if src in self._render_keys]
        for src in sources:
            for known in (self._laid_out, self._layout_keys):
                known.pop(src, None)
            self._reused.discard(src)
            self._outside_build.add(src)
        self._store.prefetch(RENDERED, keys)

    def flush(self) -> None:
        """What pages built outside a build left to remember, into the cache."""
        self._store.flush()

    def unconverted(self, files: Files) -> list[Page]:
        """The generated pages whose conversion is not remembered, in MkDocs' order."""
        keys = self._render_keys
        missing = set(self._store.missing(RENDERED, keys.values()))
        pages = (f.page for f in files.documentation_pages() if f.src_uri in keys)
        return [p for p in pages if p is not None and keys[p.file.src_uri] in missing]

    def convert_ahead(
        self, pages: Sequence[Page], *, prepare: Prepare, convert: Work, markdown: int = 0
    ) -> None:
        """``pages`` converted by a child process too, from the last (see PagesAhead), when
        there are enough of them or enough ``markdown`` (bytes) to convert."""
        if self._store.enabled and worth_a_second_process(len(pages), markdown):
            self._converted_ahead = 0
            self._ahead = PagesAhead(pages, prepare, convert)

    def lay_out_ahead(self, files: Files, *, prepare: Prepare, lay_out: Work) -> None:
        """The pages to lay out (not remembered) laid out by a child process too, from the
        last: each is printed from what the child made, when it made it in time (see
        :meth:`_print_laid_out`)."""
        pages = [f.page for f in files.documentation_pages() if f.src_uri in self._layout_keys]
        ready = [page for page in pages if page is not None]
        if not (self._store.enabled and worth_a_second_process(len(ready))):
            return

        def lay_out_and_forget(page: Page) -> None:
            store = self._store  # the child's, since prepare
            assert isinstance(store, ForwardingStore)
            with warnings_counted() as warnings, store.held_back() as made:
                lay_out(page)
            if not warnings:  # else MkDocs lays it out again and the warning is shown
                store.deliver(made)
            self.index_ahead(None)

        self._ahead = PagesAhead(ready, prepare, lay_out_and_forget)
        for page in ready:  # forked first: the child lays them out with their own template
            self._templates[page.file.src_uri] = page.meta.get("template", "main.html")
            page.meta["template"] = self.TEMPLATE

    def forward_to(self, deliver: Deliver) -> None:
        """In the child working ahead: what would be stored goes to its owner."""
        self._store = ForwardingStore(deliver, self._store)
        self._hold_content = False

    def index_ahead(self, page: Page | None) -> None:
        """In the child working ahead: ``page``'s search entries, delivered as its HTML is
        (used when the page's HTML is unchanged when MkDocs lays it out); what the index
        kept of them forgotten."""
        index = self._index
        if index is None:
            return
        if page is not None:
            index.add_entry_from_context(page)
        index.entries.clear()
        if self._search_pages is not None:
            self._search_pages.clear()

    def finish_ahead(self) -> None:
        """Every page is converted: what the child sent is taken, the child ends."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            ahead.finish(self._from_ahead)
            log.info("opsbook: %d pages converted in a second process", self._converted_ahead)

    def finish_layout_ahead(self) -> None:
        """Every page is laid out: the child ends."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            ahead.stop()
            log.info("opsbook: %d pages laid out in a second process", self._laid_out_ahead)

    def _from_ahead(self, namespace: str, key: str, value: bytes) -> None:
        self._converted_ahead += namespace == RENDERED
        if namespace == TABLE_ROWS:  # of pages the child converts, not this process
            self._store.put(namespace, key, value)  # stored, not held
        else:
            self._store.offer(namespace, key, value)

    def _collect_ahead(self) -> None:
        if self._ahead is not None:
            self._ahead.collect(self._from_ahead)

    def converting_ahead(self, src: str) -> bool:
        """Whether the child converting pages ahead has ``src`` in hand now."""
        return self._ahead is not None and self._ahead.in_hand(src)

    def wait_for_ahead(self, src: str) -> None:
        """The child's conversion of ``src``, which it has in hand, waited for and taken: it
        is further along there than a conversion here would be."""
        if self._ahead is not None:
            self._ahead.wait_for(src, self._from_ahead)

    def stop_ahead(self) -> int:
        """The child working ahead is ended (it may be mid-page): how many pages' HTML it
        sent."""
        ahead, self._ahead = self._ahead, None
        if ahead is None:
            return 0
        ahead.stop()
        return self._converted_ahead

    def before_plugins(self, page: Page, markdown: str) -> None:
        if page.file.src_uri in self._generated:
            self._pristine[page.file.src_uri] = markdown
        if self._ahead is not None:
            self._ahead.reached(page.file.src_uri)

    def before_render(self, page: Page, markdown: str) -> None:
        """Replace the page's conversion by the remembered one (or remember this one), unless
        another plugin changed its Markdown: then the result depends on more than the file,
        and that plugin may come back to the HTML."""
        src = page.file.src_uri
        if src not in self._pristine or self._pristine.pop(src) != markdown:
            return
        if self._hold_content:
            self._untouched.add(src)
        key = self._render_keys.get(src)
        if key is None:
            return
        blob = self._store.take(RENDERED, key)
        if blob is None and self._ahead is not None:
            self._collect_ahead()
            blob = self._store.take(RENDERED, key)
        if blob is not None:
            remembered = RenderedPage.from_bytes(blob)
            _render_once(page, lambda config, files: _apply(page, remembered))
        else:
            _render_once(page, lambda config, files: self._render(page, key, config, files))

    def _render(self, page: Page, key: str, config: MkDocsConfig, files: Files) -> None:
        with warnings_counted() as warnings:
            converter = TableConverter(self._store, self._render_base, Page.render)
            if not converter.convert(page, config, files):
                Page.render(page, config, files)
        if not warnings:  # a page with a broken link must warn on every build
            rendered = RenderedPage(
                page.content or "", _toc_tokens(page.toc), title_from_render(page),
                list(page.present_anchor_ids or ()),
            )  # fmt: skip
            self._store.put(RENDERED, key, rendered.to_bytes())

    def hold(self, page: Page, html: str) -> str:
        """What MkDocs keeps of a converted page until it lays it out: nothing, while its
        HTML waits here compressed (:meth:`restore` gives it back). As text, every page's
        HTML was held at once: 200 MiB at 5,000 pages. Only pages whose Markdown no other
        plugin changed: one that did may come back to the HTML (Material's tags plugin
        fills its listings in during ``on_env``)."""
        src = page.file.src_uri
        if src not in self._untouched:
            return html
        self._held[src] = encode_text(html)
        self._digests[src] = _digest(html)
        return ""

    def restore(self, page: Page) -> None:
        """The page's HTML back, for the plugins and the template that lay it out."""
        if self._ahead is not None:
            self._ahead.reached(page.file.src_uri)
        blob = self._held.pop(page.file.src_uri, None)
        if blob is not None:
            page.content = decode_text(blob)

    def _content_digest(self, page: Page) -> str:
        held = self._digests.get(page.file.src_uri)
        return held if held is not None else _digest(page.content or "")

    def before_layout(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        """Pages whose output is remembered get a template that prints it as it was."""
        if not self._store.enabled or len(config.plugins.events["post_page"]) > 1:
            return env  # another plugin's on_post_page would see our finished output
        site = _site_digest(config)
        pages = [f.page for f in files.documentation_pages() if f.src_uri in self._render_keys]
        keys = {p.file.src_uri: self._layout_key(p, site) for p in pages if p is not None}
        remembered = self._store.present(LAID_OUT, keys.values())  # read later, in batches
        every_page = [f.page for f in files.documentation_pages() if f.page is not None]
        searched = [self._search_key(p, self._search_settings) for p in every_page]
        self._store.prefetch(INDEXED, searched)
        for page in pages:
            assert page is not None
            src = page.file.src_uri
            if keys[src] not in remembered:
                self._layout_keys[src] = keys[src]
            else:
                self._laid_out[src] = keys[src]
                self._canonical[src] = _canonical_link(page)
                self._reused.add(src)
                page.meta["template"] = self.TEMPLATE
        env.loader = ChoiceLoader(
            [DictLoader({self.TEMPLATE: "{{ opsbook_laid_out(page.file.src_uri) }}"}), env.loader]
        )  # fmt: skip
        env.globals["opsbook_laid_out"] = pass_context(
            lambda context, src: self._print_laid_out(context, src, env)
        )
        return env

    def _print_laid_out(self, context: Context, src: str, env: Environment) -> str:
        """A remembered page's output; a page laid out ahead: the child's output when it came
        in time, else the page laid out here with its own template."""
        if src in self._laid_out:
            return self._print_remembered(src)
        self._collect_ahead()
        key = self._layout_keys[src]
        template = self._templates.pop(src)
        blob = self._store.take(LAID_OUT, key)
        if blob is None:
            return env.get_template(template).render(context.get_all())
        self._reused.add(src)  # as the child minified and remembered it
        self._laid_out_ahead += 1
        page = context["page"]
        return decode_text(blob).replace(_CANONICAL_MARK, _canonical_link(page))

    def _print_remembered(self, src: str) -> str:
        """Read in batches as the pages are printed (in the order of their keys), decompressed
        only now and forgotten once printed: at 5,000 pages, all of them read at once were
        60 MB held until the last page."""
        key = self._laid_out.pop(src)
        blob = self._store.take(LAID_OUT, key)
        if blob is None:
            upcoming = itertools.islice(self._laid_out.values(), _PRINT_BATCH)
            self._store.prefetch(LAID_OUT, [key, *upcoming])
            blob = self._store.take(LAID_OUT, key)
        if blob is None:
            raise PluginError("opsbook: the cache changed during the build; build again")
        return decode_text(blob).replace(_CANONICAL_MARK, self._canonical.pop(src))

    def _layout_key(self, page: Page, site: str) -> str:
        meta = json.dumps(page.meta, sort_keys=True, ensure_ascii=False, default=str)
        toc = json.dumps(_toc_tokens(page.toc), ensure_ascii=False)
        return content_key(
            "layout", site, self._nav_digest, page.url, str(page.title), meta, toc,
            self._content_digest(page), str(self._minify),
        )  # fmt: skip

    def after_layout(self, output: str, page: Page) -> str:
        src = page.file.src_uri
        if src in self._generated:
            page.content = None  # indexed and laid out: nothing reads it again; memory back
            self._digests.pop(src, None)
        if src in self._reused:
            return output
        if self._minify:
            output = self._compact(src, output)
        if src in self._layout_keys:
            self._remember_layout(self._layout_keys[src], output, page)
        return output

    def _compact(self, src: str, output: str) -> str:
        """``output`` compacted. Under ``serve``, a page laid out again after an edit is
        compacted a piece at a time, its pieces kept for its next layout: an edit changes a
        few rows of a roll-up. (Not every page: the first build's would all be kept.)"""
        kept = self._compacted
        if kept is None or (src not in self._outside_build and src not in kept):
            return compact_html(output)
        output, kept[src] = compact_in_pieces(output, kept.get(src, {}))
        return output

    def compact_ahead(self, sources: Iterable[str], *, before_each: Callable[[], object]) -> None:
        """Serve, in the background while nobody edits: the pieces of these pages' HTML as
        converted, compacted (the largest first; ``before_each`` waits while an edit is being
        rebuilt). A roll-up's HTML is nearly all of its page and cut into the same pieces
        there, so its first layout after an edit compacts little more than its navigation:
        compacting the roll-ups whole took 0.9 s of a first title edit at 1,000 scenarios.
        A piece is a function of its text alone (see ``compact_in_pieces``), so pieces made
        from any version of a page are correct for every later one."""
        kept = self._compacted
        if kept is None or not self._minify:
            return
        keys = dict(self._render_keys)  # a copy: an edit may renew a page meanwhile
        wanted = {keys[src]: src for src in sources if src in keys and src not in kept}
        found = self._store.peek(RENDERED, wanted)
        for key in sorted(found, key=lambda key: -len(found[key])):
            before_each()
            html = RenderedPage.from_bytes(found[key]).content
            kept.setdefault(wanted[key], compact_in_pieces(html, {})[1])

    def _remember_layout(self, key: str, output: str, page: Page) -> None:
        """The page's output, its canonical link (the only part the site's address changes,
        which ``serve`` sets to its own) marked: ``build`` and ``serve`` share it."""
        link = _canonical_link(page)
        if link and output.count(link) != 1:
            return  # the theme prints the address elsewhere too: not shareable as it is
        marked = output.replace(link, _CANONICAL_MARK) if link else output
        self._store.put(LAID_OUT, key, encode_text(marked))

    def write_search_index(self, site_dir: str) -> None:
        """After Material's search wrote its index (see :class:`StreamedSearchIndex`)."""
        if self._streamed_index is not None:
            self._streamed_index.write(site_dir)

    def finish(self) -> None:
        if self._render_keys:
            log.info(
                "opsbook: %d of %d generated pages laid out from the cache",
                len(self._reused) - self._laid_out_ahead, len(self._render_keys),
            )  # fmt: skip
        self._store.flush()

    def _remember_search(self, config: MkDocsConfig) -> None:
        """Material's search segments every page's Chinese text with jieba on every build;
        its entries for a page depend only on the page and the search settings."""
        index, search = search_index(config), search_plugin(config)
        if index is None or search is None:
            return
        settings = search_settings(search.config, self._user_dictionary)
        self._search_settings = settings
        self._index = index
        remember_segmenting(index, self._segmented)
        index_page = self._segmenting(index.add_entry_from_context)

        def add_entry_from_context(page: Page) -> None:
            key = self._search_key(page, settings)
            blob = self._store.take(INDEXED, key)
            if blob is None and self._ahead is not None:
                self._collect_ahead()
                blob = self._store.take(INDEXED, key)
            if blob is not None:
                return self._add_entries(index, blob)
            start = len(index.entries)
            index_page(page)
            self._store.put(INDEXED, key, encode_entries(index.entries[start:]))
            return self._keep_entries(index, start)

        index.add_entry_from_context = add_entry_from_context
        if self._search_pages is not None:
            self._streamed_index = StreamedSearchIndex(index, self._search_pages)
            index.generate_search_index = self._streamed_index.generate
        else:
            served = ServedSearchIndex(index)
            merged = merged_with_previous(index, served.generate, self._page_urls)
            index.generate_search_index = merged

    def _segmenting(self, index_page: Callable[[Page], None]) -> Callable[[Page], None]:
        """``index_page`` with the user dictionary loaded into jieba before its first page,
        reading the page's HTML without what search leaves out (see :func:`searchable_html`)."""

        def index_with_dictionary(page: Page) -> None:
            self._load_dictionaries()
            content = page.content
            if content:  # parsed without the sections search leaves out
                page.content = searchable_html(content)
            try:
                index_page(page)
            finally:
                page.content = content

        return index_with_dictionary

    def _load_dictionaries(self) -> None:
        with self._dictionary_lock:  # serve may load them ahead, from another thread
            if self._dictionaries_loaded:
                return
            self._dictionaries_loaded = True
            if self._user_dictionary is not None:
                import jieba

                jieba.load_userdict(os.fspath(self._user_dictionary))

    def prepare_segmenting(self) -> None:
        """Load jieba's dictionaries now (0.6 s) rather than when a page is next indexed:
        ``serve`` does it in the background, as a warm build never segments a page."""
        if not self._search_settings:
            return  # no search plugin this page memory works with
        try:
            import jieba
        except ImportError:  # Material's search then does not segment either
            return
        jieba.initialize()
        self._load_dictionaries()

    def _add_entries(self, index: Any, blob: bytes) -> None:
        if self._search_pages is None:
            index.entries.extend(decode_entries(blob))
        else:
            self._search_pages.append(blob)

    def _keep_entries(self, index: Any, start: int) -> None:
        """A build: the entries just added, out of Material's list and compressed (at 5,000
        pages the index as Python objects was 250 MB, held to the end of the build)."""
        if self._search_pages is not None and len(index.entries) > start:
            self._search_pages.append(encode_entries(index.entries[start:]))
            del index.entries[start:]

    def _search_key(self, page: Page, settings: str) -> str:
        meta = {name: page.meta.get(name) for name in ("search", "tags", "title")}
        return content_key(
            "search", settings, page.url, str(page.title), self._content_digest(page),
            json.dumps([meta, _toc_tokens(page.toc)], ensure_ascii=False, default=str),
        )  # fmt: skip


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _render_once(page: Page, render: Callable[[MkDocsConfig, Files], None]) -> None:
    """``render`` in place of the page's own, once: the override is dropped when it runs,
    and with it the remembered HTML it holds (kept to the end of the build, it was 140 MB
    at 5,000 pages)."""

    def render_once(config: MkDocsConfig, files: Files) -> None:
        del page.render  # the page's own method again
        render(config, files)

    page.render = render_once  # type: ignore[method-assign]


def _apply(page: Page, remembered: RenderedPage) -> None:
    page.content = remembered.content
    page.toc = get_toc(remembered.toc)  # type: ignore[arg-type]
    set_title_from_render(page, remembered.title)
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
    versions = (installed_version("mkdocs"), markdown.__version__, str(config.use_directory_urls))
    return json.dumps([settings, versions], sort_keys=True, default=str)


_CANONICAL_MARK = "\x00opsbook-canonical\x00"  # not in any HTML: a page's canonical link


def _canonical_link(page: Page) -> str:
    """The canonical link as the theme prints it, or "" when the site has no address."""
    url = page.canonical_url
    return f'<link rel="canonical" href="{url}">' if url else ""


def _site_digest(config: MkDocsConfig) -> str:
    """What the theme shows around a page besides the page: mkdocs.yml, the theme's
    overrides, the language set at run time, whether the site has an address (not the
    address itself: only the canonical link shows it, see ``_remember_layout``), the
    versions."""
    parts = [Path(config.config_file_path).read_bytes() if config.config_file_path else b""]
    custom = config.theme.custom_dir
    if custom and Path(custom).is_dir():
        for path in sorted(Path(custom).rglob("*")):
            if path.is_file():
                parts += [path.as_posix().encode(), path.read_bytes()]
    runtime = [bool(config.site_url), config.theme["language"], installed_version("mkdocs")]
    runtime.append(installed_version("mkdocs-material"))
    return content_key(*parts, json.dumps(runtime))


@contextlib.contextmanager
def warnings_counted() -> Iterator[list[logging.LogRecord]]:
    warnings: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = warnings.append  # type: ignore[method-assign]
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield warnings
    finally:
        logger.removeHandler(handler)
