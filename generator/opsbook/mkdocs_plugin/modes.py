"""What ``build`` and ``serve`` do differently, one class each; the plugin holds one."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import click
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from opsbook.check.run import (
    CheckResult,
    UsageError,
    check_paths,
    display_paths,
    find_scenario_files,
)
from opsbook.config import read_project_settings
from opsbook.mkdocs_plugin.generated import Generated
from opsbook.mkdocs_plugin.pages import PageMemory
from opsbook.mkdocs_plugin.serving import LastBuild, ServeState
from opsbook.model import Scenario, Team, scenario_from_data
from opsbook.model.catalog import Catalog, load_catalog
from opsbook.site.charts import Progress
from opsbook.site.contributions import remembered_files
from opsbook.site.generate import CONTRIBUTORS, Paths, SiteSettings, generate_site
from opsbook.site.pagecache import PageStore
from opsbook.support.cache import Cache, RememberingCache, default_cache_dir

log = logging.getLogger("mkdocs.plugins.opsbook")


class Mode(Protocol):
    contributors: tuple[str, ...]  # the data downloads (exports, calendars)

    def cache(self) -> Cache: ...

    def site_url(self, config: MkDocsConfig) -> str: ...

    def load(
        self, scenarios: Path, team: Path | None, as_of: dt.date, *, base: Path
    ) -> tuple[Catalog | None, CheckResult]: ...

    def generate(
        self, catalog: Catalog, settings: SiteSettings, jobs: int | None, progress: Progress | None
    ) -> Generated: ...

    def loaded(self, catalog: Catalog | None, generated: Generated) -> None: ...

    def invalid(self, report: str, scenarios: Path, lang: str) -> Generated: ...

    def page_memory(self, minify: bool, user_dictionary: Path | None) -> PageMemory: ...

    def handed_over(self, generated: Generated) -> Generated | None: ...

    def converted(self, page: Page) -> None: ...

    def built(self, last: Callable[[Catalog, Path], LastBuild]) -> None: ...

    def mirror_files(
        self, config: MkDocsConfig, generated: Generated, *, dirty: bool
    ) -> tuple[Path | None, bool]: ...

    def link_into_site(self, files: Files) -> None: ...


class BuildMode:
    """One build: the generated files go to disk as they are made (see
    ``OpsbookPlugin._site_while_drawing``) and are let go once MkDocs has them."""

    contributors = CONTRIBUTORS

    def __init__(
        self, *, cached: bool, site_while_drawing: Callable[[Catalog, SiteSettings], Generated]
    ) -> None:
        self._cached = cached
        self._site_while_drawing = site_while_drawing

    def cache(self) -> Cache:
        return Cache(default_cache_dir()) if self._cached else Cache.disabled()

    def site_url(self, config: MkDocsConfig) -> str:
        return config.site_url or ""

    def load(
        self, scenarios: Path, team: Path | None, as_of: dt.date, *, base: Path
    ) -> tuple[Catalog | None, CheckResult]:
        return load_catalog([scenarios], as_of=as_of, team_file=team, cache=self.cache(), base=base)

    def generate(
        self, catalog: Catalog, settings: SiteSettings, jobs: int | None, progress: Progress | None
    ) -> Generated:
        return self._site_while_drawing(catalog, settings)

    def loaded(self, catalog: Catalog | None, generated: Generated) -> None:
        pass

    def invalid(self, report: str, scenarios: Path, lang: str) -> Generated:
        """Invalid scenarios fail a build."""
        click.echo(report, err=True, nl=False)
        raise PluginError(click.unstyle(report.rstrip().splitlines()[-1]))

    def page_memory(self, minify: bool, user_dictionary: Path | None) -> PageMemory:
        return PageMemory(
            PageStore(self.cache()), minify=minify, stream_search=True, hold_content=True,
            user_dictionary=user_dictionary,
        )  # fmt: skip

    def handed_over(self, generated: Generated) -> Generated | None:
        return None  # MkDocs has every file now; nothing else needs them

    def converted(self, page: Page) -> None:
        if page.file.generated_by is not None:
            # converted: nothing reads the Markdown again (the title comes from the
            # navigation), and at 5,000 pages it is 75 MB held to the end of the build
            page.markdown = ""

    def built(self, last: Callable[[Catalog, Path], LastBuild]) -> None:
        pass

    def mirror_files(
        self, config: MkDocsConfig, generated: Generated, *, dirty: bool
    ) -> tuple[Path | None, bool]:
        return None, False  # MkDocs reads the spilled files

    def link_into_site(self, files: Files) -> None:
        pass  # the spilled files are moved there (see OpsbookPlugin._move_into_site)


class ServeMode:
    """Rebuilds under ``serve``: files kept in memory for the mirror and the quick path,
    unchanged scenarios reused, the problems shown on every page while one is invalid."""

    # the build's: its person pages link to their calendars, and serve then lays out every
    # page of a build from the cache (the downloads themselves come from it too)
    contributors = CONTRIBUTORS

    def __init__(self, state: ServeState, *, cached: bool) -> None:
        self.state = state
        self._cached = cached

    def site_url(self, config: MkDocsConfig) -> str:
        """The site's published address, as a build has it: MkDocs sets ``site_url`` to the
        server's own, and calendars and their subscribe links name the published site."""
        if not config.config_file_path:
            return ""
        path = Path(config.config_file_path)
        return read_project_settings(path.parent, path.name).site_url

    def cache(self) -> Cache:
        if not self._cached:
            return Cache.disabled()
        if self.state.cache is None:  # kept from one rebuild to the next
            self.state.cache = RememberingCache(default_cache_dir())
        return self.state.cache

    def load(
        self, scenarios: Path, team: Path | None, as_of: dt.date, *, base: Path
    ) -> tuple[Catalog | None, CheckResult]:
        """``load_catalog`` for serve: the same check (which parses only changed files and
        hands over their values), and only changed files become model objects again."""
        result = check_paths([scenarios], team_file=team, cache=self.cache(), base=base)
        if not result.ok:
            return None, result
        parsed: dict[str, tuple[bytes, Scenario]] = {}
        files = find_scenario_files([scenarios])
        for shown, path in zip(display_paths(files, base), files, strict=True):
            raw = path.read_bytes()
            known = self.state.parsed.get(shown)
            if known is None or known[0] != raw:
                known = (raw, scenario_from_data(result.data[shown], shown))
            parsed[shown] = known
        self.state.parsed = parsed
        model = [scenario for _, scenario in parsed.values()]
        return Catalog.build(Team.from_data(result.team_data), model, as_of), result

    def generate(
        self, catalog: Catalog, settings: SiteSettings, jobs: int | None, progress: Progress | None
    ) -> Generated:
        files = generate_site(
            catalog, settings, cache=self.cache(), jobs=jobs, chart_progress=progress,
            chart_memo=self.state.chart_memo, contributed=self._downloads(catalog, settings),
            fragments=self.state.fragments,
        )  # fmt: skip
        return Generated(files, None)  # the mirror needs every file's bytes now

    def _downloads(self, catalog: Catalog, settings: SiteSettings) -> dict[str, bytes]:
        """The data downloads a build made of this catalog, from the cache. Else those
        published so far (none before a build made them): making them again took 15 s at
        1,000 scenarios, which a save under serve does not wait for; the next build
        does. Their calendars are made again when who has one changed, so that every
        person page links to its calendar as a build's does."""
        from opsbook.site.downloads import with_current_calendars

        found = remembered_files(catalog, settings, self.cache())
        if found is not None:
            return found
        last = self.state.last_good
        published = {path: last.files[path] for path in last.downloads()} if last else {}
        return with_current_calendars(published, catalog, settings)

    def loaded(self, catalog: Catalog | None, generated: Generated) -> None:
        self.state.catalog, self.state.generated = catalog, generated  # for the quick path
        if catalog is not None:
            self.state.last_good = generated

    def invalid(self, report: str, scenarios: Path, lang: str) -> Generated:
        """Invalid scenarios do not stop the server: the problems show on every page (those
        of the last good site, and of every scenario file)."""
        log.error("opsbook: the scenarios have problems:\n%s", click.unstyle(report))
        from opsbook.site.render import render_page

        last_good = self.state.last_good
        paths = set(last_good.files) if last_good else {Paths.HOME}
        with contextlib.suppress(UsageError):
            paths |= {Paths.scenario(p.stem) for p in find_scenario_files([scenarios])}
        previous = last_good.files if last_good else {}
        files = {path: previous.get(path, b"") for path in paths}
        page = render_page("diagnostics.md.j2", Paths.HOME, lang, {"report": click.unstyle(report)})
        files.update({path: page for path in paths if path.endswith(".md")})
        return Generated(files, last_good.nav if last_good else None)

    def page_memory(self, minify: bool, user_dictionary: Path | None) -> PageMemory:
        self.state.pages = PageMemory(
            PageStore(self.cache()), minify=minify, user_dictionary=user_dictionary,
            segmented=self.state.segmented, compacted=self.state.compacted,
        )  # fmt: skip
        return self.state.pages

    def handed_over(self, generated: Generated) -> Generated | None:
        return generated

    def converted(self, page: Page) -> None:
        pass  # the quick path converts pages again

    def built(self, last: Callable[[Catalog, Path], LastBuild]) -> None:
        if self.state.catalog is not None and self.state.mirror_dir:
            self.state.last = last(self.state.catalog, self.state.mirror_dir)

    def mirror_files(
        self, config: MkDocsConfig, generated: Generated, *, dirty: bool
    ) -> tuple[Path | None, bool]:
        """For dirty rebuilds, generated files are mirrored to disk and MkDocs rebuilds only the pages whose
        mirror changed ("dirty" builds). A file is rewritten only when its bytes change, so
        its time stamp says whether the page must be built again; when the navigation
        changes (a title, a new scenario), every page is, so none keeps a stale navigation.
        The search index is merged by Material for dirty builds."""
        if not dirty:
            return None, False
        state = self.state
        root = Path(config.config_file_path or ".").resolve().parent
        mirror = default_cache_dir() / "serve" / hashlib.sha256(os.fsencode(root)).hexdigest()[:16]
        renavigated = generated.nav != state.mirrored_nav
        for path, content in generated.files.items():
            target = mirror / path
            if state.mirrored.get(path) != content or not target.is_file():
                if path in state.mirrored or not _holds(target, content):
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(content)
                state.mirrored[path] = content
        for path in set(state.mirrored) - set(generated.files):
            _remove_gone(config, mirror, path)
            del state.mirrored[path]
        state.mirrored_nav = generated.nav
        state.mirror_dir = mirror
        return mirror, renavigated

    def link_into_site(self, files: Files) -> None:
        """Each mirrored file MkDocs is about to copy into the site (the charts and the
        downloads: 5,000 files at 1,000 scenarios, a second of serve's start) is linked
        there instead, which MkDocs then leaves as it is; where the two folders are on
        different file systems, MkDocs copies it. A linked file is the mirror's: when a
        rebuild writes the mirror's file again, the site has the new one at once (MkDocs
        would have copied it next); the quick path replaces a mirror's file by renaming it
        and copies it into the site itself."""
        mirror = self.state.mirror_dir
        if mirror is None:
            return
        for file in files:
            source = file.abs_src_path
            if file.is_documentation_page() or not source:
                continue
            if not Path(source).is_relative_to(mirror):
                continue  # a file of the docs folder's own
            destination = Path(file.abs_dest_path)
            try:
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.link(source, destination)
            except FileExistsError:
                continue  # a rebuild's: MkDocs copies it when the mirror's is newer
            except OSError:
                return  # another file system: MkDocs copies them all


def _holds(path: Path, content: bytes) -> bool:
    """Whether the file at ``path`` holds exactly ``content`` (a mirror left by an earlier
    serve of the same project: rewriting 6,000 unchanged files took a second)."""
    try:
        return path.stat().st_size == len(content) and path.read_bytes() == content
    except OSError:
        return False


def _remove_gone(config: MkDocsConfig, mirror: Path, path: str) -> None:
    """A generated file no longer made (a module's last scenario moved away): out of the
    mirror and out of the site, which a dirty rebuild would otherwise still serve."""
    from mkdocs.structure.files import File

    built = File.generated(config, path, content=b"").abs_dest_path
    for stale in (mirror / path, Path(built)):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
