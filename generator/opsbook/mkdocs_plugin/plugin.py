"""The plugin: scenarios in, generated files and navigation out (see the package's docstring)."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from opsbook.check.reporters import report_text
from opsbook.check.run import (
    CheckResult,
    UsageError,
    find_scenario_files,
)
from opsbook.check.schema import schema_dir
from opsbook.config import SettingError, resolve_as_of, resolve_language
from opsbook.i18n.messages import THEME_LANGUAGE
from opsbook.mkdocs_plugin.ahead import Deliver, convert_alone
from opsbook.mkdocs_plugin.drawing import ChartDrawing
from opsbook.mkdocs_plugin.generated import Generated, hand_written_pages
from opsbook.mkdocs_plugin.inline import with_quick_inline
from opsbook.mkdocs_plugin.memory import give_back_memory
from opsbook.mkdocs_plugin.mkdocs_api import lay_out_page_unwritten, search_plugin
from opsbook.mkdocs_plugin.modes import BuildMode, Mode, ServeMode
from opsbook.mkdocs_plugin.navtrim import NavigationViews
from opsbook.mkdocs_plugin.options import OpsbookConfig
from opsbook.mkdocs_plugin.pages import PageMemory
from opsbook.mkdocs_plugin.quick import prepare_quick_edits, quick_edit_first
from opsbook.mkdocs_plugin.serving import LastBuild, ServeState, input_stamps
from opsbook.mkdocs_plugin.spill import SpilledFiles
from opsbook.mkdocs_plugin.themeassets import without_unloaded_theme_assets
from opsbook.model.catalog import Catalog
from opsbook.site.charts import Progress, chart_plan, draw_charts
from opsbook.site.contributions import contributed_files, planned_paths
from opsbook.site.generate import (
    SiteSettings,
    generate_site,
    navigation,
)
from opsbook.site.terms import jieba_user_dictionary
from opsbook.support import atomic
from opsbook.support.cache import Cache, default_cache_dir
from opsbook.support.fonts import FontError
from opsbook.support.workers import Background

log = logging.getLogger("mkdocs.plugins.opsbook")
_TRIM_EVERY = 500  # pages laid out between two returns of freed memory
_BACKGROUND_NICENESS = 10  # the downloads' child: below the pages' and the charts' processes


def _downloads_made(downloads: Background[list[str]], spilled: SpilledFiles) -> list[str]:
    """The paths of the downloads, once made (written to disk by the child): noted here."""
    made = downloads.result()
    for path in made:
        spilled.reserve(path)
    return made


class OpsbookPlugin(BasePlugin[OpsbookConfig]):
    """Persistent across ``serve`` rebuilds (it has ``on_startup``), so the last good site is
    at hand when a scenario turns invalid."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.dirty = False  # serve rebuilding only changed pages (see ServeMode.mirror_files)
        self._serve = ServeState()  # kept across serve's rebuilds
        self._mode: Mode = self._build_mode(cached=False)  # chosen again by on_config
        self.progress: Progress | None = None  # pages, set by run_build on a terminal
        self.chart_progress: Progress | None = None  # charts drawn (the long part when cold)
        self._generated: Generated | None = None
        self._pages_done = 0
        self._pages_total = 0
        self._pages_laid_out = 0
        self._pages = PageMemory.idle()
        # the last build's objects, for serve's quick path of the next edit (QuickEdit)
        self._files: Files | None = None
        self._nav: Navigation | None = None
        self._views: NavigationViews | None = None  # the sidebar of each page (see navtrim)
        self._env: Environment | None = None
        self._drawing: ChartDrawing | None = None  # a build's charts, drawn while pages convert
        self._spilled: SpilledFiles | None = None  # build: generated files on disk
        self._downloads: Background[list[str]] | None = None  # build: being made in a child
        self._planned_downloads: list[str] = []
        self._user_dictionary: Path | None = None  # jieba's, for the search index to load

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = dirty and command == "serve"

    def _build_mode(self, *, cached: bool) -> BuildMode:
        def site_while_drawing(catalog: Catalog, settings: SiteSettings) -> Generated:
            return Generated({}, None, self._site_while_drawing(catalog, settings))

        return BuildMode(cached=cached, site_while_drawing=site_while_drawing)

    def _choose_mode(self) -> Mode:
        if self.command == "serve":
            return ServeMode(self._serve, cached=self.config.cache)
        return self._build_mode(cached=self.config.cache)

    @event_priority(100)  # before the search plugin reads its jieba dictionaries
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        give_back_memory()  # `opsbook build` checked the scenarios just before
        self._mode = self._choose_mode()
        root = Path(config.config_file_path or ".").resolve().parent
        settings = self._settings(config)
        started = time.perf_counter()
        catalog, result = self._load(root)
        loaded = time.perf_counter()
        if catalog is None:
            lang = resolve_language(None, settings.lang)
            self._generated = self._diagnostics_site(result, root, lang)
        else:
            self._generated = self._site(catalog, settings, config)
        # serve keeps them for the quick path; a build lets the catalog go once drawn
        self._mode.loaded(catalog, self._generated)
        if catalog is not None:
            self._search_dictionary(config, catalog)
            log.info(
                "opsbook: %d scenarios checked in %.2f s, %d files generated in %.2f s",
                len(catalog.scenarios), loaded - started, len(self._generated.paths()),
                time.perf_counter() - loaded,
            )  # fmt: skip
        config.theme["language"] = THEME_LANGUAGE[self.config.lang]
        with_quick_inline(config)
        if self.config.navigation and not config.nav and self._generated.nav is not None:
            config.nav = self._generated.nav
        give_back_memory()
        return config

    def _settings(self, config: MkDocsConfig) -> SiteSettings:
        return SiteSettings(
            lang=self.config.lang,
            font=self.config.font,
            site_name=config.site_name,
            charts=self.config.charts,
            chart_text_as_paths=self.config.chart_text == "paths",
            contributors=self._mode.contributors,
            options={"site_url": self._mode.site_url(config)},
        )

    def _load(self, root: Path) -> tuple[Catalog | None, CheckResult]:
        scenarios = root / self.config.scenarios
        team = root / self.config.team if self.config.team else None
        try:
            as_of = resolve_as_of(str(self.config.as_of) if self.config.as_of else None)
            # diagnostics show paths relative to the project, as `opsbook check` does there
            return self._mode.load(scenarios, team, as_of, base=root)
        except (SettingError, UsageError) as error:
            raise PluginError(f"opsbook: {error}") from None

    def _cache(self) -> Cache:
        return self._mode.cache()

    def _site(self, catalog: Catalog, settings: SiteSettings, config: MkDocsConfig) -> Generated:
        try:
            generated = self._mode.generate(
                catalog, settings, self.config.jobs, self.chart_progress
            )
        except FontError as error:  # its message says the exact fix
            raise PluginError(f"opsbook: {error}") from None
        hand_written = hand_written_pages(
            Path(config.docs_dir), set(generated.paths()), settings.lang
        )
        generated.nav = navigation(catalog, settings, hand_written)
        return generated

    def _site_while_drawing(self, catalog: Catalog, settings: SiteSettings) -> SpilledFiles:
        """Pages need only the charts' paths, MkDocs needs their bytes only when it copies the
        files: the charts are drawn in worker processes while MkDocs converts the pages
        (a cold build is otherwise the sum of both), and written by :meth:`on_env`. So are
        the downloads (workbook, calendars, catalog.json: a third of making a cold build's
        files), in a child process at a lower priority, when their paths are known before
        they are made. Every file goes to disk as soon as it is made (see
        :class:`SpilledFiles`). The drawing holds the charts' specs, not the catalog (150 MiB
        at 5,000 scenarios, which the pages' conversion can then reuse)."""
        plan = chart_plan(catalog, settings)
        planned = sorted(chart.path for chart in plan)
        cache, jobs = self._cache(), self.config.jobs
        spilled = self._spilled = SpilledFiles()
        for path in planned:
            spilled.reserve(path)
        contributed = self._start_downloads(catalog, settings, cache, spilled)

        def draw(progress: Progress, stop: threading.Event) -> list[str]:
            drawn: list[str] = []

            def write(path: str, svg: bytes) -> None:  # on disk at once, not held in memory
                Path(spilled.paths[path]).write_bytes(svg)
                drawn.append(path)

            draw_charts(plan, settings, cache, jobs, progress, spill=write, stop=stop)
            return sorted(drawn)

        self._drawing = ChartDrawing(draw, planned)
        files = generate_site(
            catalog, settings, cache=cache, charts_drawn_elsewhere=plan,
            spill=spilled.write, contributed=contributed,
        )  # fmt: skip
        for path in list(files):
            spilled.write(path, files.pop(path))
        return spilled

    def _start_downloads(
        self, catalog: Catalog, settings: SiteSettings, cache: Cache, spilled: SpilledFiles
    ) -> Callable[[], dict[str, bytes]]:
        """The downloads, made in a child process (forked before any other thread runs: see
        Background); what the pages are given of them: their paths, at once when the
        contributors plan them (the files are then awaited in :meth:`on_env`), else when
        they are made."""
        paths = planned_paths(catalog, settings)
        downloads = self._downloads = Background(
            lambda: sorted(contributed_files(catalog, settings, cache, spilled.write)),
            nice=_BACKGROUND_NICENESS,
        )
        if paths is not None:
            self._planned_downloads = paths
            for path in paths:
                spilled.reserve(path)  # written by the child
            return lambda: {path: b"" for path in paths}

        def made() -> dict[str, bytes]:
            self._downloads = None
            return {path: b"" for path in _downloads_made(downloads, spilled)}

        return made

    def _wait_for_downloads(self) -> None:
        downloads, self._downloads = self._downloads, None
        if downloads is None or self._spilled is None:
            return
        made = _downloads_made(downloads, self._spilled)
        if made != self._planned_downloads:  # the pages link to the planned ones
            raise PluginError("opsbook: the downloads made are not the downloads planned")

    def _diagnostics_site(self, result: CheckResult, root: Path, lang: str) -> Generated:
        """Invalid scenarios: fail a build; under serve, show the problems on every page."""
        report = report_text(result, lang, base=root)
        return self._mode.invalid(report, root / self.config.scenarios, lang)

    def _search_dictionary(self, config: MkDocsConfig, catalog: Catalog) -> None:
        """Give Material's search the scenarios' own words (jieba user dictionary). Material
        would load it in its on_config, which runs after this one, and with it jieba's whole
        dictionary (50 MB): the index loads it instead when it first segments a page (see
        :class:`PageMemory`), which a warm build never does."""
        self._user_dictionary = None
        search = search_plugin(config)
        if search is None or "jieba_dict_user" not in search.config:
            return
        import jieba

        jieba.setLogLevel(logging.WARNING)  # not "Building prefix dict…" on every build
        data = jieba_user_dictionary(catalog, self._cache())
        if search.config.get("jieba_dict_user"):
            target = Path(search.config["jieba_dict_user"])
        else:
            digest = hashlib.sha256(data).hexdigest()[:16]
            target = default_cache_dir() / "jieba" / f"user-{digest}.txt"
        _write_atomically(target, data)
        search.config["jieba_dict_user"] = None
        self._user_dictionary = target

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        generated = self._generated
        assert generated is not None
        mirror, renavigated = self._mode.mirror_files(config, generated, dirty=self.dirty)
        on_disk = generated.spilled.paths if generated.spilled is not None else {}
        for path in generated.paths():
            existing = files.get_file_from_path(path)
            if existing is not None:
                raise PluginError(
                    f"opsbook: {config.docs_dir}/{path} has the path of a generated page; "
                    "rename or remove the hand-written file"
                )
            if path in on_disk:
                files.append(File.generated(config, path, abs_src_path=on_disk[path]))
            elif mirror is None:
                files.append(File.generated(config, path, content=generated.files[path]))
            else:
                source = os.fspath(mirror / path)
                files.append(File.generated(config, path, abs_src_path=source))
        files = without_unloaded_theme_assets(files, config)
        if renavigated:  # hand-written pages too: their navigation changed
            for file in files.documentation_pages():
                file.is_modified = lambda: True  # type: ignore[method-assign]
        self._pages_done = self._pages_laid_out = 0
        self._pages_total = len(files.documentation_pages())
        self._pages = self._mode.page_memory(self.config.minify, self._user_dictionary)
        self._pages.start(config, files, generated.page_digests(), generated.downloads())
        self._generated = self._mode.handed_over(generated)
        give_back_memory()
        return files

    @event_priority(-100)  # the navigation as every other plugin left it
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self._pages.navigation(nav)
        self._nav, self._files = nav, files
        if isinstance(self._mode, BuildMode):  # MkDocs converts the pages next
            self._pages.convert_ahead(
                self._pages.unconverted(files),
                prepare=self._prepare_to_work_ahead,
                convert=lambda page: self._convert_ahead(page, config, files),
            )
        return nav

    def _prepare_to_work_ahead(self, deliver: Deliver) -> None:
        """In a child converting or laying out pages ahead (see PagesAhead), once: what the
        page memory would store goes to its owner, which also shows the progress."""
        self.progress = None
        self._pages.forward_to(deliver)

    def _convert_ahead(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """In the child converting pages ahead: MkDocs' own steps for one page, up to its
        HTML and search entries (the page memory delivers both)."""
        convert_alone(page, config, files)
        self._pages.index_ahead(page)
        page.markdown = page.content = None  # sent: memory back

    @event_priority(100)
    def _first_page_markdown(self, markdown: str, *, page: Page, **kwargs: Any) -> str:
        self._pages_done += 1
        if self.progress is not None:
            self.progress(min(self._pages_done, self._pages_total), self._pages_total)
        if self._pages_done % _TRIM_EVERY == 0:  # what converting the last pages left over
            give_back_memory()
        self._pages.before_plugins(page, markdown)
        return markdown

    @event_priority(-100)  # after every other plugin: the Markdown as it will be converted
    def _last_page_markdown(self, markdown: str, *, page: Page, **kwargs: Any) -> str:
        self._pages.before_render(page, markdown)
        return markdown

    on_page_markdown = CombinedEvent(_first_page_markdown, _last_page_markdown)

    # The HTML as every other plugin left it, even one at MkDocs' conventional last (-100):
    # what runs after this sees the page emptied until on_page_context gives it back.
    @event_priority(-1000)
    def on_page_content(self, html: str, *, page: Page, **kwargs: Any) -> str:
        self._mode.converted(page)
        return self._pages.hold(page, html)

    @event_priority(1000)  # the HTML back before any other plugin reads the page again
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        self._pages.restore(page)
        if self._views is None or self._views.nav is not nav:
            self._views = NavigationViews(nav)
        context["nav"] = self._views.of(page)  # see navtrim: the module's others out
        return context

    @event_priority(-100)  # after the tags plugin has filled its listings into the pages
    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        self._pages.finish_ahead()  # every page is converted
        self._wait_for_charts()  # MkDocs copies the files next
        self._wait_for_downloads()
        self._move_into_site(files)
        self._mode.link_into_site(files)
        self._env = env
        env = self._pages.before_layout(env, config, files)
        if isinstance(self._mode, BuildMode):  # MkDocs lays the pages out next
            nav = self._nav
            assert nav is not None
            self._pages.lay_out_ahead(
                files,
                prepare=self._prepare_to_work_ahead,
                lay_out=lambda page: lay_out_page_unwritten(page, config, files, nav, env),
            )
        give_back_memory()  # the pages' Markdown, converted
        return env

    def _move_into_site(self, files: Files) -> None:
        """Charts and data files on disk are renamed into the site (MkDocs emptied it before
        on_files) rather than copied there by MkDocs: 5,000 copies took 2 s of a warm build."""
        spilled = self._spilled
        if spilled is None:
            return
        for file in files:
            source = file.abs_src_path
            if source and not file.is_documentation_page() and spilled.owns(source):
                file.abs_src_path = spilled.move_into_site(source, file.abs_dest_path)

    def _wait_for_charts(self) -> None:
        drawing, self._drawing = self._drawing, None
        if drawing is None:
            return
        try:
            drawing.wait(self.chart_progress)
        except FontError as error:
            raise PluginError(f"opsbook: {error}") from None

    @event_priority(-100)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        self._pages_laid_out += 1
        if self._pages_laid_out % _TRIM_EVERY == 0:  # each page's HTML is let go once written
            give_back_memory()
        return self._pages.after_layout(output, page)

    # After Material's search wrote its index (priority 0), before Material's offline plugin
    # reads it (-100), in whatever order mkdocs.yml lists them.
    @event_priority(-50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._pages.finish_layout_ahead()  # every page is laid out
        self._pages.write_search_index(config.site_dir)
        self._pages.finish()
        self._remove_spilled()
        give_back_memory()  # the pages' HTML, written; the search index is written next
        self._mode.built(lambda catalog, mirror: self._last_build(config, catalog, mirror))

    def _last_build(self, config: MkDocsConfig, catalog: Catalog, mirror: Path) -> LastBuild:
        assert self._nav is not None and self._env is not None and self._files is not None
        root = Path(config.config_file_path or ".").resolve().parent
        scenarios = root / self.config.scenarios
        found = find_scenario_files([scenarios]) if scenarios.is_dir() else []
        return LastBuild(
            config, self._files, self._nav, self._env, catalog, self._settings(config), mirror,
            scenarios, root / self.config.team if self.config.team else None,
            input_stamps(config, scenarios, found),
        )  # fmt: skip

    def on_build_error(self, *, error: Exception) -> None:
        self.stop_drawing()
        self._remove_spilled()

    def stop_drawing(self) -> None:
        """The build stopped: charts still being drawn, downloads still being made and pages
        still being converted or laid out in the background are not wanted."""
        self._pages.stop_ahead()
        downloads, self._downloads = self._downloads, None
        if downloads is not None:
            downloads.cancel()
        drawing, self._drawing = self._drawing, None
        if drawing is not None:
            drawing.cancel()

    def _remove_spilled(self) -> None:
        spilled, self._spilled = self._spilled, None
        if spilled is not None:
            spilled.remove()

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]
    ) -> LiveReloadServer:
        """Rebuild when the scenarios, the team, the schema or the templates change."""
        root = Path(config.config_file_path or ".").resolve().parent
        watched = [root / self.config.scenarios, _package_dir() / "site" / "render" / "templates"]
        watched += [schema_dir()]
        if self.config.team:
            watched.append(root / self.config.team)
        for path in watched:
            if path.exists():
                server.watch(os.fspath(path))
        server.builder = quick_edit_first(server, builder, self._serve)
        prepare_quick_edits(server, self._serve, charts=self.config.charts)
        return server


def _package_dir() -> Path:
    return Path(__file__).resolve().parents[1]


def _write_atomically(target: Path, data: bytes) -> None:
    if target.is_file() and target.read_bytes() == data:
        return
    atomic.write_file(target, data)
