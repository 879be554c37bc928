"""The MkDocs plugin ``opsbook``: the generated knowledge base as virtual files.

The only module that imports MkDocs. It loads and checks the scenarios, asks
:mod:`opsbook.sitegen` for the generated files and hands them to MkDocs with
``File.generated`` — nothing is written into ``docs_dir`` — and builds the navigation
(industry → module → scenario). ``opsbook build`` and ``opsbook serve`` call
:func:`run_build` and :func:`run_serve` below; plain ``mkdocs build`` works the same way.

Invalid scenarios fail a build with the diagnostics of ``opsbook check``. Under ``serve``
they do not stop the server: every generated page shows the diagnostics until the files are
fixed, so the browser never shows a stale page.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from jinja2 import ChoiceLoader, DictLoader, Environment
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents, get_toc

from opsbook import atomic, pagecache
from opsbook.cache import Cache, RememberingCache, default_cache_dir
from opsbook.catalog import Catalog, load_catalog
from opsbook.checker import (
    CheckResult,
    UsageError,
    check_paths,
    display_path,
    find_scenario_files,
)
from opsbook.config import SettingError, resolve_as_of
from opsbook.fonts import FontError
from opsbook.htmlcompact import compact_html
from opsbook.messages import detect_language
from opsbook.model import Scenario, Team, scenario_from_data
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
from opsbook.reporters import REPORTERS
from opsbook.schema import schema_dir
from opsbook.sitegen import (
    CONTRIBUTORS,
    ChartMemo,
    Paths,
    SiteSettings,
    draw_charts,
    generate_site,
    jieba_user_dictionary,
    navigation,
    planned_charts,
    planned_scenario_charts,
    scenario_page,
)

log = logging.getLogger("mkdocs.plugins.opsbook")
Progress = Callable[[int, int], None]  # (pages done, pages in all)
THEME_LANGUAGE = {"zh-CN": "zh", "en": "en"}


class OpsbookConfig(base.Config):
    """The ``opsbook`` entry of ``mkdocs.yml`` (the same keys ``config.read_project_settings``
    reads for ``opsbook pack`` and the exports)."""

    scenarios = c.Type(str, default="scenarios")
    team = c.Optional(c.Type(str))
    lang = c.Choice(("zh-CN", "en"), default="zh-CN")
    as_of = c.Optional(c.Type((str, dt.date)))
    font = c.Optional(c.Type(str))
    charts = c.Type(bool, default=True)
    chart_text = c.Choice(("text", "paths"), default="text")  # paths: no font needed, 5× size
    jobs = c.Optional(c.Type(int))
    minify = c.Type(bool, default=True)  # whitespace out of the HTML: pages 30% smaller
    navigation = c.Type(bool, default=True)  # false: keep the nav written in mkdocs.yml
    cache = c.Type(bool, default=True)


@dataclass
class _Generated:
    files: dict[str, bytes]
    nav: list[Any] | None


class OpsbookPlugin(BasePlugin[OpsbookConfig]):
    """Persistent across ``serve`` rebuilds (it has ``on_startup``), so the last good site is
    at hand when a scenario turns invalid."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.dirty = False  # serve rebuilding only changed pages (see _mirror_files)
        self._mirrored: dict[str, bytes] = {}
        self._mirrored_nav: list[Any] | None = None
        self._parsed: dict[str, tuple[bytes, Scenario]] = {}  # serve: file → (bytes, model)
        self._chart_memo = ChartMemo()  # serve: the last charts, reused from memory
        self.progress: Progress | None = None  # pages, set by run_build on a terminal
        self.chart_progress: Progress | None = None  # charts drawn (the long part when cold)
        self._generated: _Generated | None = None
        self._last_good: _Generated | None = None
        self._pages_done = 0
        self._pages_total = 0
        self._pages = PageMemory.idle()
        self._serve_cache: RememberingCache | None = None
        # serve: the last build's objects, for the quick path of the next edit (QuickEdit)
        self._catalog: Catalog | None = None
        self._files: Files | None = None
        self._nav: Navigation | None = None
        self._env: Environment | None = None
        self._mirror_dir: Path | None = None
        self._last: _LastBuild | None = None
        self._drawing: ChartDrawing | None = None  # a build's charts, drawn while pages convert

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = dirty and command == "serve"

    @event_priority(100)  # before the search plugin reads its jieba dictionaries
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        settings = self._settings(config)
        started = time.perf_counter()
        catalog, result = self._load(root)
        loaded = time.perf_counter()
        self._catalog = catalog
        if catalog is None:
            lang = detect_language(os.environ.get("OPSBOOK_LANG") or settings.lang)
            self._generated = self._diagnostics_site(result, root, lang)
        else:
            self._generated = self._site(catalog, settings, config)
            self._last_good = self._generated
            self._search_dictionary(config, catalog)
            log.info(
                "opsbook: %d scenarios checked in %.2f s, %d files generated in %.2f s",
                len(catalog.scenarios), loaded - started, len(self._generated.files),
                time.perf_counter() - loaded,
            )  # fmt: skip
        config.theme["language"] = THEME_LANGUAGE[self.config.lang]
        if self.config.navigation and not config.nav and self._generated.nav is not None:
            config.nav = self._generated.nav
        return config

    def _settings(self, config: MkDocsConfig) -> SiteSettings:
        return SiteSettings(
            lang=self.config.lang,
            font=self.config.font,
            site_name=config.site_name,
            charts=self.config.charts,
            chart_text_as_paths=self.config.chart_text == "paths",
            # the data downloads are rebuilt by `opsbook build`, not on every save under serve
            contributors=() if self.command == "serve" else CONTRIBUTORS,
            options={"site_url": config.site_url or ""},
        )

    def _load(self, root: Path) -> tuple[Catalog | None, CheckResult]:
        scenarios = root / self.config.scenarios
        team = root / self.config.team if self.config.team else None
        try:
            as_of = resolve_as_of(str(self.config.as_of) if self.config.as_of else None)
            with _working_directory(root):  # diagnostics show paths as `opsbook check` does
                if self.command != "serve":
                    return load_catalog(
                        [scenarios], as_of=as_of, team_file=team, cache=self._cache()
                    )
                return self._reload(scenarios, team, as_of)
        except (SettingError, UsageError) as error:
            raise PluginError(f"opsbook: {error}") from None

    def _reload(
        self, scenarios: Path, team: Path | None, as_of: dt.date
    ) -> tuple[Catalog | None, CheckResult]:
        """``load_catalog`` for serve: the same check (which parses only changed files and
        hands over their values), and only changed files become model objects again."""
        result = check_paths([scenarios], team_file=team, cache=self._cache())
        if not result.ok:
            return None, result
        parsed: dict[str, tuple[bytes, Scenario]] = {}
        for path in find_scenario_files([scenarios]):
            shown, raw = display_path(path), path.read_bytes()
            known = self._parsed.get(shown)
            if known is None or known[0] != raw:
                known = (raw, scenario_from_data(result.data[shown], shown))
            parsed[shown] = known
        self._parsed = parsed
        model = [scenario for _, scenario in parsed.values()]
        return Catalog.build(Team.from_data(result.team_data), model, as_of), result

    def _cache(self) -> Cache:
        if not self.config.cache:
            return Cache.disabled()
        if self.command != "serve":
            return Cache(default_cache_dir())
        if self._serve_cache is None:  # kept from one rebuild to the next
            self._serve_cache = RememberingCache(default_cache_dir())
        return self._serve_cache

    def _site(self, catalog: Catalog, settings: SiteSettings, config: MkDocsConfig) -> _Generated:
        try:
            if self.command == "serve":  # the mirror needs every file's bytes now
                files = generate_site(
                    catalog, settings, cache=self._cache(), jobs=self.config.jobs,
                    chart_progress=self.chart_progress, chart_memo=self._chart_memo,
                )  # fmt: skip
            else:
                files = self._site_while_drawing(catalog, settings)
        except FontError as error:  # its message says the exact fix
            raise PluginError(f"opsbook: {error}") from None
        hand_written = _hand_written_pages(Path(config.docs_dir), files)
        return _Generated(files, navigation(catalog, settings, hand_written))

    def _site_while_drawing(self, catalog: Catalog, settings: SiteSettings) -> dict[str, bytes]:
        """Pages need only the charts' paths, MkDocs needs their bytes only when it copies the
        files: the charts are drawn in worker processes while MkDocs converts the pages
        (a cold build is otherwise the sum of both), and filled in by :meth:`on_env`."""
        planned = planned_charts(catalog, settings)
        cache, jobs = self._cache(), self.config.jobs
        self._drawing = ChartDrawing(
            lambda progress: draw_charts(catalog, settings, cache, jobs, progress), planned
        )
        return generate_site(catalog, settings, cache=cache, drawn=dict.fromkeys(planned, b""))

    def _diagnostics_site(self, result: CheckResult, root: Path, lang: str) -> _Generated:
        """Invalid scenarios: fail a build; under serve, show the problems on every page."""
        with _working_directory(root):
            report = REPORTERS["text"](result, lang)
        if self.command != "serve":
            click.echo(report, err=True, nl=False)
            raise PluginError(click.unstyle(report.rstrip().splitlines()[-1]))
        log.error("opsbook: the scenarios have problems:\n%s", click.unstyle(report))
        from opsbook.render import render_page

        paths = set(self._last_good.files) if self._last_good else {Paths.HOME}
        scenarios = root / self.config.scenarios
        with contextlib.suppress(UsageError):
            paths |= {Paths.scenario(p.stem) for p in find_scenario_files([scenarios])}
        previous = self._last_good.files if self._last_good else {}
        files = {path: previous.get(path, b"") for path in paths}
        page = render_page("diagnostics.md.j2", Paths.HOME, lang, {"report": click.unstyle(report)})
        files.update({path: page for path in paths if path.endswith(".md")})
        return _Generated(files, self._last_good.nav if self._last_good else None)

    def _search_dictionary(self, config: MkDocsConfig, catalog: Catalog) -> None:
        """Give Material's search the scenarios' own words (jieba user dictionary). Material
        reads it from a path in its on_config, which runs after this one."""
        search = next((p for name, p in config.plugins.items() if name.endswith("search")), None)
        if search is None or "jieba_dict_user" not in search.config:
            return
        import jieba

        jieba.setLogLevel(logging.WARNING)  # not "Building prefix dict…" on every build
        data = jieba_user_dictionary(catalog)
        if search.config.get("jieba_dict_user"):
            target = Path(search.config["jieba_dict_user"])
        else:
            digest = hashlib.sha256(data).hexdigest()[:16]
            target = default_cache_dir() / "jieba" / f"user-{digest}.txt"
        _write_atomically(target, data)
        search.config["jieba_dict_user"] = os.fspath(target)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self._generated is not None
        mirror, renavigated = self._mirror_files(config) if self.dirty else (None, False)
        for path, content in self._generated.files.items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                raise PluginError(
                    f"opsbook: {config.docs_dir}/{path} has the path of a generated page; "
                    "rename or remove the hand-written file"
                )
            if mirror is None:
                files.append(File.generated(config, path, content=content))
            else:
                source = os.fspath(mirror / path)
                files.append(File.generated(config, path, abs_src_path=source))
        if renavigated:  # hand-written pages too: their navigation changed
            for file in files.documentation_pages():
                file.is_modified = lambda: True  # type: ignore[method-assign]
        self._pages_done = 0
        self._pages_total = len(files.documentation_pages())
        self._pages = PageMemory(PageStore(self._cache()), minify=self.config.minify)
        self._pages.start(config, files, self._generated.files)
        return files

    @event_priority(-100)  # the navigation as every other plugin left it
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self._pages.navigation(nav)
        self._nav, self._files = nav, files
        return nav

    def _mirror_files(self, config: MkDocsConfig) -> tuple[Path, bool]:
        """Under ``serve``, generated files are mirrored to disk and MkDocs rebuilds only the
        pages whose mirror changed ("dirty" builds). A file is rewritten only when its bytes
        change, so its time stamp says whether the page must be built again; when the
        navigation changes (a title, a new scenario), every page is, so none keeps a stale
        navigation. The search index is merged by Material for dirty builds."""
        assert self._generated is not None
        root = Path(config.config_file_path or ".").resolve().parent
        mirror = default_cache_dir() / "serve" / hashlib.sha256(os.fsencode(root)).hexdigest()[:16]
        renavigated = self._generated.nav != self._mirrored_nav
        for path, content in self._generated.files.items():
            target = mirror / path
            if self._mirrored.get(path) != content or not target.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
                self._mirrored[path] = content
        self._mirrored_nav = self._generated.nav
        self._mirror_dir = mirror
        return mirror, renavigated

    @event_priority(100)
    def _first_page_markdown(self, markdown: str, *, page: Page, **kwargs: Any) -> str:
        if self.progress is not None:
            self._pages_done += 1
            self.progress(min(self._pages_done, self._pages_total), self._pages_total)
        self._pages.before_plugins(page, markdown)
        return markdown

    @event_priority(-100)  # after every other plugin: the Markdown as it will be converted
    def _last_page_markdown(self, markdown: str, *, page: Page, **kwargs: Any) -> str:
        self._pages.before_render(page, markdown)
        return markdown

    on_page_markdown = CombinedEvent(_first_page_markdown, _last_page_markdown)

    @event_priority(-100)  # after the tags plugin has filled its listings into the pages
    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        self._fill_charts(files)  # MkDocs copies the files next
        self._env = env
        return self._pages.before_layout(env, config, files)

    def _fill_charts(self, files: Files) -> None:
        drawing, self._drawing = self._drawing, None
        if drawing is None:
            return
        try:
            drawn = drawing.wait(self.chart_progress)
        except FontError as error:
            raise PluginError(f"opsbook: {error}") from None
        for path, svg in drawn.items():
            file = files.get_file_from_path(path)
            assert file is not None, path
            file.content_bytes = svg
        assert self._generated is not None
        self._generated.files.update(drawn)

    @event_priority(-100)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return self._pages.after_layout(output, page)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._pages.finish()
        if self.command == "serve" and self._catalog is not None and self._mirror_dir:
            assert self._nav is not None and self._env is not None and self._files is not None
            self._last = _LastBuild(
                config, self._files, self._nav, self._env, self._catalog,
                self._settings(config), self._mirror_dir,
            )  # fmt: skip

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]
    ) -> LiveReloadServer:
        """Rebuild when the scenarios, the team, the schema or the templates change."""
        root = Path(config.config_file_path or ".").resolve().parent
        watched = [root / self.config.scenarios, _package_dir() / "render" / "templates"]
        watched += [schema_dir()]
        if self.config.team:
            watched.append(root / self.config.team)
        for path in watched:
            if path.exists():
                server.watch(os.fspath(path))
        server.builder = self._quick_edit_first(server, builder)
        return server

    def _quick_edit_first(
        self, server: LiveReloadServer, builder: Callable[[], None]
    ) -> Callable[[], None]:
        def build() -> None:
            last, self._last = self._last, None
            if last is not None and QuickEdit(self, last).run():
                _announce(server)
            builder()

        return build


@dataclass
class _LastBuild:
    """What a serve rebuild left behind, for the quick path of the next edit."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Environment
    catalog: Catalog
    settings: SiteSettings
    mirror: Path


class QuickEdit:
    """Under ``serve``, a saved scenario's own page (then its charts) is rebuilt alone and
    shown at once, before the full rebuild that brings the roll-ups up to date: at 1,000
    scenarios the full rebuild takes seconds, the page a fraction of one. Anything else —
    a new or removed file, an invalid one, a changed title, module or chart set, the team,
    a template — is left to the full rebuild."""

    def __init__(self, plugin: OpsbookPlugin, last: _LastBuild) -> None:
        self._plugin = plugin
        self._last = last

    def run(self) -> bool:
        """True when the edited pages were rebuilt and written."""
        root = Path(self._last.config.config_file_path or ".").resolve().parent
        started = time.perf_counter()
        try:
            with _working_directory(root):
                edited = self._edited(root / self._plugin.config.scenarios)
                if not edited or not self._rebuild(edited):
                    return False
        except (OSError, UsageError, FontError, PluginError) as error:
            log.debug("opsbook: quick rebuild skipped: %s", error)
            return False
        names = ", ".join(sorted(edited))
        log.info(
            "opsbook: %s shown after %.2f s; the roll-ups follow", names,
            time.perf_counter() - started,
        )  # fmt: skip
        return True

    def _edited(self, scenarios: Path) -> dict[str, Scenario] | None:
        """Changed scenario files (display path → new model), or None when the quick path
        cannot serve them."""
        known = self._plugin._parsed
        found = {display_path(p): p for p in find_scenario_files([scenarios])}
        if set(found) != set(known):
            return None
        raw = {shown: path.read_bytes() for shown, path in found.items()}
        changed = [shown for shown in found if raw[shown] != known[shown][0]]
        if not changed:
            return None
        team = self._plugin.config.team
        result = check_paths(
            [found[s] for s in changed], team_file=scenarios.parent / team if team else None,
            cache=self._plugin._cache(),
        )  # fmt: skip
        if not result.ok:
            return None
        edited = {shown: scenario_from_data(result.data[shown], shown) for shown in changed}
        if any(_navigation_of(new) != _navigation_of(known[s][1]) for s, new in edited.items()):
            return None  # the navigation changes: every page is rebuilt
        known.update({shown: (raw[shown], new) for shown, new in edited.items()})
        return edited

    def _rebuild(self, edited: Mapping[str, Scenario]) -> bool:
        last = self._last
        replaced = {s.id: s for s in edited.values()}
        catalog = Catalog.build(
            last.catalog.team, [replaced.get(s.id, s) for s in last.catalog.scenarios],
            last.catalog.as_of,
        )  # fmt: skip
        generated = self._plugin._generated
        assert generated is not None
        for scenario in replaced.values():
            charts = sorted(p for p in generated.files if p.startswith(f"charts/{scenario.id}/"))
            state = catalog.state(scenario.id)
            if sorted(planned_scenario_charts(state, last.settings)) != charts:
                return False
            self._write(
                Paths.scenario(scenario.id), scenario_page(state, catalog, last.settings, charts)
            )
        for scenario in replaced.values():
            self._write_charts(catalog.state(scenario.id))
        return True

    def _write(self, path: str, markdown: bytes) -> None:
        """The page's Markdown into the mirror, then MkDocs converts and lays it out."""
        last = self._last
        self._mirror(path, markdown)
        file = last.files.get_file_from_path(path)
        assert file is not None and file.page is not None, path
        page = file.page
        self._plugin._pages.forget(path)
        vars(page).pop("render", None)  # a conversion remembered for the old Markdown
        _populate_page(page, last.config, last.files)
        _build_page(page, last.config, last.files.documentation_pages(), last.nav, last.env)

    def _write_charts(self, state: Any) -> None:
        from opsbook import charts, fonts

        settings = self._last.settings
        font = fonts.find_cjk_font(settings.font, lang=settings.lang)
        drawn = charts.scenario_charts(
            state, lang=settings.lang, font=font, text_as_paths=settings.chart_text_as_paths
        )
        for path, svg in drawn.items():
            self._mirror(path, svg)
            file = self._last.files.get_file_from_path(path)
            if file is not None:
                file.copy_file()

    def _mirror(self, path: str, data: bytes) -> None:
        generated = self._plugin._generated
        assert generated is not None
        atomic.write_file(self._last.mirror / path, data)
        generated.files[path] = data
        self._plugin._mirrored[path] = data


def _navigation_of(scenario: Scenario) -> tuple[str, ...]:
    return (scenario.id, scenario.title, scenario.industry, scenario.module)


def _announce(server: LiveReloadServer) -> None:
    """Serve the site again and tell the browsers to reload now: MkDocs holds every request
    until the rebuild has finished, and the pages the full rebuild still changes (roll-ups)
    are read from disk when asked for, fresh once it has written them."""
    condition = getattr(server, "_epoch_cond", None)
    wanted = getattr(server, "_wanted_epoch", None)
    if condition is None or wanted is None:
        return
    with condition:
        server._visible_epoch = wanted
        condition.notify_all()


class ChartDrawing:
    """Charts being drawn in a background thread (which waits on the worker processes)."""

    def __init__(self, draw: Callable[[Progress], dict[str, bytes]], planned: list[str]) -> None:
        self._planned = planned
        self._progress = (0, max(len(planned), 1))
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="opsbook-charts")
        self._future = self._pool.submit(draw, self._note)
        self._pool.shutdown(wait=False)

    def _note(self, done: int, total: int) -> None:
        self._progress = (done, total)  # one tuple: read whole by the other thread

    def wait(self, progress: Progress | None) -> dict[str, bytes]:
        """The charts; meanwhile ``progress`` shows how far the drawing is."""
        while progress is not None and not self._future.done():
            progress(*self._progress)
            time.sleep(0.2)
        drawn = self._future.result()
        if progress is not None:
            progress(len(drawn), len(drawn))
        if sorted(drawn) != self._planned:  # pages link to the planned paths
            raise PluginError("opsbook: the charts drawn are not the charts planned")
        return drawn


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
        self._laid_out: dict[str, str] = {}  # pages whose output is remembered
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
        base = pagecache.key("render", every_file, _markdown_settings(config))
        for path, source in generated.items():
            file = files.get_file_from_path(path)
            if file is not None and file.is_documentation_page():
                self._render_keys[path] = pagecache.key(base, path, file.url, source)
        self._store.prefetch(RENDERED, list(self._render_keys.values()))

    def navigation(self, nav: Navigation) -> None:
        self._nav_digest = pagecache.key("nav", str(nav))

    def forget(self, src: str) -> None:
        """``src`` is rebuilt outside a build (see :class:`QuickEdit`): nothing of it is
        remembered from this build's lookups."""
        for known in (self._render_keys, self._laid_out, self._layout_keys):
            known.pop(src, None)

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
        blob = self._store.get(RENDERED, key)
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
            blob = self._store.get(LAID_OUT, keys[src])
            if blob is None:
                self._layout_keys[src] = keys[src]
            else:
                self._laid_out[src] = decode_text(blob)
                page.meta["template"] = self.TEMPLATE
        env.loader = ChoiceLoader(
            [DictLoader({self.TEMPLATE: "{{ opsbook_laid_out(page.file.src_uri) }}"}), env.loader]
        )  # fmt: skip
        env.globals["opsbook_laid_out"] = self._laid_out.__getitem__
        return env

    def _layout_key(self, page: Page, site: str) -> str:
        meta = json.dumps(page.meta, sort_keys=True, ensure_ascii=False, default=str)
        toc = json.dumps(_toc_tokens(page.toc), ensure_ascii=False)
        return pagecache.key(
            "layout", site, self._nav_digest, page.url, str(page.title), meta, toc,
            page.content or "", str(self._minify),
        )  # fmt: skip

    def after_layout(self, output: str, page: Page) -> str:
        src = page.file.src_uri
        if src in self._laid_out:
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
                len(self._laid_out), len(self._render_keys),
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
            blob = self._store.get(INDEXED, key)
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
        return pagecache.key(
            "search", settings, page.url, str(page.title), page.content or "",
            json.dumps([meta, _toc_tokens(page.toc)], ensure_ascii=False, default=str),
        )  # fmt: skip


def _readable_json(generate: Callable[..., str]) -> Callable[..., str]:
    """The search index with Chinese as UTF-8 rather than ``\\uXXXX`` escapes: the same JSON,
    less than half the bytes (every Han character and jieba's U+200B separators took six)."""

    def generate_readable(*args: Any, **kwargs: Any) -> str:
        data = json.loads(generate(*args, **kwargs))
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
    return pagecache.key(*parts, json.dumps(runtime))


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


def _package_dir() -> Path:
    return Path(__file__).resolve().parent


def _hand_written_pages(docs_dir: Path, generated: Mapping[str, bytes]) -> list[Any]:
    """The hand-written pages for the navigation, titled by their first heading."""
    if not docs_dir.is_dir():
        return []
    pages = sorted(
        p.relative_to(docs_dir).as_posix()
        for p in docs_dir.rglob("*.md")
        if not any(part.startswith((".", "_")) for part in p.relative_to(docs_dir).parts)
    )
    return [_titled(docs_dir, p) for p in pages if p not in generated]


def _titled(docs_dir: Path, page: str) -> Any:
    text = (docs_dir / page).read_text(encoding="utf-8", errors="replace")
    heading = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), "")
    return {heading: page} if heading else page


@contextlib.contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def _write_atomically(target: Path, data: bytes) -> None:
    if target.is_file() and target.read_bytes() == data:
        return
    atomic.write_file(target, data)


# Entry points for the CLI (``opsbook build`` / ``opsbook serve``).


def run_build(
    config_file: Path, site_dir: Path | None = None, *, strict: bool = True, progress: bool = False
) -> Path:
    """A strict MkDocs build into a temporary folder, renamed over ``site_dir`` on success:
    a failed build leaves the previous site untouched."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(config_file=os.fspath(config_file), strict=strict)
    final = Path(site_dir) if site_dir else Path(config.site_dir)
    _refuse_overlap(final, Path(config.docs_dir), Path(config.config_file_path or ".").parent)
    staging = atomic.staging_dir(final)
    config.site_dir = os.fspath(staging)
    plugin = config.plugins.get("opsbook")
    try:
        with _progress_bar(plugin, enabled=progress):
            config.plugins.on_startup(command="build", dirty=False)
            build(config)
            config.plugins.on_shutdown()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _replace_dir(staging, final)
    return final


def _refuse_overlap(site: Path, docs: Path, project: Path) -> None:
    """The site folder is replaced whole: it must not hold, or be inside, the sources."""
    site, docs, project = site.resolve(), docs.resolve(), project.resolve()
    for source in (docs, project):
        if site == source or site in source.parents or (source == docs and docs in site.parents):
            raise PluginError(
                f"opsbook: the site folder {site} would replace {source}; choose another --site-dir"
            )


def _replace_dir(staging: Path, final: Path) -> None:
    """``staging`` becomes ``final`` in one rename; the previous site is deleted by a
    detached process. Deleting thousands of files took longer than building them on some
    disks (16 s of a 23 s build at 1,000 scenarios), and nobody needs to wait for it."""
    old = final.with_name(f".{final.name}-old-{os.getpid()}-{time.monotonic_ns()}")
    leftovers = sorted(final.parent.glob(f".{final.name}-old*"))  # of interrupted deletions
    if final.exists():
        final.replace(old)
        leftovers.append(old)
    staging.replace(final)
    if leftovers:
        _delete_detached(leftovers)


def _delete_detached(folders: list[Path]) -> None:
    code = "import shutil, sys\nfor folder in sys.argv[1:]: shutil.rmtree(folder, True)"
    try:
        subprocess.Popen(
            [sys.executable, "-c", code, *map(os.fspath, folders)], start_new_session=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    except OSError:  # no process to spare: delete them here
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _progress_bar(plugin: BasePlugin[Any] | None, *, enabled: bool) -> Iterator[None]:
    """A progress bar over the pages on a terminal (builds of many scenarios take a while)."""
    if not enabled or not isinstance(plugin, OpsbookPlugin):
        yield
        return
    bars: dict[str, Any] = {}

    def bar_for(label: str) -> Progress:
        def update(done: int, total: int) -> None:
            if label not in bars:
                bars[label] = click.progressbar(length=total, label=label, file=sys.stderr)
                bars[label].__enter__()
            bar = bars[label]
            bar.update(done - bar.pos)
            if done >= total:
                bar.__exit__(None, None, None)

        return update

    plugin.progress = bar_for("pages ")
    plugin.chart_progress = bar_for("charts")
    yield


def run_serve(config_file: Path, dev_addr: str | None, *, open_browser: bool = False) -> None:
    from mkdocs.commands.serve import serve

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())
    options: dict[str, Any] = {"dev_addr": dev_addr} if dev_addr else {}
    serve(
        config_file=os.fspath(config_file), open_in_browser=open_browser, build_type="dirty",
        strict=False, **options,
    )  # fmt: skip


class _DirtyNotice(logging.Filter):
    """MkDocs warns that dirty builds leave stale navigation; ours rebuild every page when
    the navigation changes (see ``OpsbookPlugin._mirror_files``), so the warning is moot."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "A 'dirty' build is being performed" not in record.getMessage()
