"""Serve's quick path: an edited scenario's page first, then every page the edit changed.

Under ``serve``, saving scenario files (the same files as before, all valid, nothing else
changed) rebuilds only what the edit touches, without a full rebuild:

1. the edited scenarios' pages (with the new navigation when a title, module or industry
   changed), their charts and their search entries, shown at once;
2. the roll-up pages (dashboard, indexes, industry and module pages, person pages, the
   SOP library, the anomaly log) whose generated Markdown changed, the dashboard's charts
   that changed, the tags page when a tag or a tagged title changed, every page whose
   sidebar shows a changed part of the navigation (see :mod:`.navsig`), and the search
   entries of all of these; the smallest roll-ups first, the listings of every scenario
   last. Only what changed in a page is converted again (see :mod:`.tables`).

Anything broader is left to the full rebuild: a new or removed file, an invalid one, a
change of the team, ``mkdocs.yml``, the hand-written pages, the templates or the schema, a
scenario whose set of charts changed, a roll-up page that appears or goes (a module's first
or last scenario), or a navigation change shown on more than a third of the pages.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from opsbook.check.rules_paths import prepare_query_checks
from opsbook.check.run import (
    UsageError,
    check_paths,
    display_paths,
    find_scenario_files,
)
from opsbook.mkdocs_plugin import mkdocs_api as api
from opsbook.mkdocs_plugin.ahead import convert_alone
from opsbook.mkdocs_plugin.generated import hand_written_pages
from opsbook.mkdocs_plugin.navsig import Signature, differing, prunes, signatures
from opsbook.mkdocs_plugin.serving import LastBuild, ServeState, input_stamps
from opsbook.model import Scenario, scenario_from_data
from opsbook.model.catalog import Catalog, keeping_states
from opsbook.site.charts import draw_charts, scenario_chart_plan
from opsbook.site.generate import (
    Paths,
    download_links,
    navigation,
    rollup_pages,
    scenario_page,
)
from opsbook.site.render import load_templates
from opsbook.support import atomic
from opsbook.support.cache import Cache
from opsbook.support.fonts import FontError

log = logging.getLogger("mkdocs.plugins.opsbook")
_MOST_PAGES_LAID_OUT = 1 / 3  # more pages with a changed sidebar than this: a full rebuild


@dataclass
class Change:
    """What one quick edit rebuilds."""

    catalog: Catalog
    edited: dict[str, Scenario]  # id → its new model
    before: dict[str, Scenario]  # id → its model before the edit
    pages: dict[str, bytes] = field(default_factory=dict)  # the edited scenarios' pages
    nav: list[Any] | None = None  # the new navigation, when it changed
    mkdocs_nav: Navigation | None = None
    old_signatures: dict[str, Signature] = field(default_factory=dict)
    relaid: set[str] = field(default_factory=set)  # pages whose sidebar changed


class QuickEdit:
    """Under ``serve``, the pages an edit of scenario files touches, rebuilt alone (see the
    module's docstring): at 1,000 scenarios a full rebuild takes many seconds."""

    def __init__(self, state: ServeState, last: LastBuild, server: LiveReloadServer) -> None:
        self._state = state
        self._last = last
        self._server = server
        self._rebuilt: set[str] = set()  # src of every page built again
        self._indexed: set[str] = set()  # of those, the pages whose search entries are written
        # the search entries of the pages built again are added from here on
        self._first_entry = api.search_entries(last.config)

    def run(self) -> bool:
        """True when every page the edit touches was rebuilt: no full rebuild is needed."""
        root = Path(self._last.config.config_file_path or ".").resolve().parent
        started, cpu = time.perf_counter(), time.process_time()
        try:
            edited = self._edited(self._last.scenarios, root)
            if edited == {}:
                return True  # a second notice of a change already shown
            change = self._change(edited) if edited else None
            if change is None:
                return False
            self._show_pages(change)
            shown = time.perf_counter()
            names = ", ".join(sorted(edited or {}))
            log.info("opsbook: %s shown after %.2f s", names, shown - started)
            api.show_rebuilt(self._server)
            self._write_search_index()  # the edited pages' entries, before the roll-ups
            if not self._roll_ups(change):
                return False
        except (OSError, UsageError, FontError, PluginError) as error:
            log.debug("opsbook: quick rebuild skipped: %s", error)
            return False
        log.info(
            "opsbook: %d pages rebuilt after %.2f s (%.2f s of CPU)", len(self._rebuilt),
            time.perf_counter() - started, time.process_time() - cpu,
        )  # fmt: skip
        return True

    def _edited(self, scenarios: Path, root: Path) -> dict[str, Scenario] | None:
        """Changed scenario files (path shown relative to ``root`` → new model), {} when
        nothing changed, or None when the quick path cannot serve them."""
        known = self._state.parsed
        files = find_scenario_files([scenarios])
        found = dict(zip(display_paths(files, root), files, strict=True))
        if set(found) != set(known):
            return None
        if input_stamps(self._last.config, self._last.scenarios, found.values()) != (
            self._last.inputs
        ):
            return None  # the team, mkdocs.yml, a hand-written page, a template…
        raw = {shown: path.read_bytes() for shown, path in found.items()}
        changed = [shown for shown in found if raw[shown] != known[shown][0]]
        if not changed:
            return {}
        result = check_paths(
            [found[s] for s in changed], team_file=self._last.team, cache=self._state.cache,
            base=root,
        )  # fmt: skip
        if not result.ok:
            return None
        edited = {shown: scenario_from_data(result.data[shown], shown) for shown in changed}
        if any(new.id != known[shown][1].id for shown, new in edited.items()):
            return None  # a scenario renamed: its page moves
        known.update({shown: (raw[shown], new) for shown, new in edited.items()})
        return edited

    def _change(self, edited: Mapping[str, Scenario]) -> Change | None:
        last = self._last
        replaced = {s.id: s for s in edited.values()}
        before = {s.id: s for s in last.catalog.scenarios if s.id in replaced}
        catalog = Catalog.build(
            last.catalog.team, [replaced.get(s.id, s) for s in last.catalog.scenarios],
            last.catalog.as_of, state_of=keeping_states(last.catalog),
        )  # fmt: skip
        change = Change(catalog, replaced, before)
        generated = self._state.generated
        assert generated is not None
        for scenario in replaced.values():
            charts = sorted(p for p in generated.files if p.startswith(f"charts/{scenario.id}/"))
            state = catalog.state(scenario.id)
            plan = scenario_chart_plan(state, last.settings)
            if sorted(chart.path for chart in plan) != charts:
                return None
            page = scenario_page(state, catalog, last.settings, plan)
            change.pages[Paths.scenario(scenario.id)] = page
        old = {p for p in generated.files if p.endswith(".md") and not p.startswith("scenarios/")}
        if _rollup_paths(catalog) != old or not self._same_calendars(change):
            return None  # a roll-up page or a calendar appears or goes
        if not self._navigation(change):
            return None
        if change.nav is not None:
            self._renavigate(change)
        relaid = self._relaid(change)
        if relaid is None:
            return None
        change.relaid = relaid
        return change

    def _navigation(self, change: Change) -> bool:
        """The new navigation, when the edit changed it and the plugin's is in use; False
        when the quick path cannot show it."""
        last, generated = self._last, self._state.generated
        assert generated is not None
        docs = Path(last.config.docs_dir)
        hand_written = hand_written_pages(docs, set(generated.paths()), last.settings.lang)
        nav = navigation(change.catalog, last.settings, hand_written)
        if nav == generated.nav:
            return True
        if generated.nav is None or last.config.nav != generated.nav:
            return False  # a navigation of mkdocs.yml's own
        change.nav = nav
        return True

    def _show_pages(self, change: Change) -> None:
        """The edited scenarios' pages (in the new navigation), then their charts."""
        last = self._last
        api.forget_tags(last.config, {self._url(path) for path in change.pages})
        for path, markdown in change.pages.items():
            self._mirror(path, markdown)
            self._renew(path)
            self._build(path)
        for scenario_id in change.edited:
            state = change.catalog.state(scenario_id)
            self._write_charts(scenario_chart_plan(state, last.settings))

    def _renavigate(self, change: Change) -> None:
        """The new navigation in place, the old one's signatures kept (see ``_relaid``)."""
        last = self._last
        change.old_signatures = signatures(last.nav, last.files, pruned=prunes(last.config))
        last.config.nav = change.nav
        last.nav = change.mkdocs_nav = api.fresh_navigation(last.config, last.files)

    def _roll_ups(self, change: Change) -> bool:
        """Everything else the edit touched; False when a full rebuild must do it."""
        last, generated = self._last, self._state.generated
        assert generated is not None
        touched = _touched(change)
        downloads, calendars = download_links(generated.downloads())
        portfolio = self._portfolio(change)
        pages = rollup_pages(
            change.catalog, last.settings, portfolio, downloads, calendars, only=touched,
            fragments=self._state.fragments,
        )  # fmt: skip
        changed = {p: md for p, md in pages.items() if generated.files.get(p) != md}
        # the shortest first: the pages of the edited scenario's module, industry and people
        # before the listings of every scenario, which the second process takes from the
        # longest. Counted in lines, not bytes: a line is a block or a table row to convert,
        # and the SOP library (9,000 lines of sections at 1,000 scenarios, each section a
        # block of its own) took longer than the dashboard, twice its bytes in table rows.
        order = sorted(changed, key=lambda path: (changed[path].count(b"\n"), path))
        for path in order:
            self._mirror(path, changed[path])
            self._renew(path)
        self._convert_ahead(order)
        try:
            self._build_all([(path, False) for path in order] + self._later(change, order))
        finally:
            if converted := self._state.pages.stop_ahead():
                log.info("opsbook: %d pages converted in a second process", converted)
        self._write_charts(portfolio)  # the dashboard's charts that changed
        self._write_search_index()
        self._state.pages.flush()
        self._finish(change)
        return True

    def _write_search_index(self) -> None:
        """The search entries of the pages built again since the index was last written
        replace their old ones."""
        config = self._last.config
        fresh = self._rebuilt - self._indexed
        api.rewrite_search_index(config, self._first_entry, {self._url(p) for p in fresh})
        self._first_entry = api.search_entries(config)  # what comes next is new
        self._indexed |= fresh

    def _same_calendars(self, change: Change) -> bool:
        """Whether the same people have a calendar after the edit (each person page links to
        its own): else the full rebuild publishes them (see ``ServeMode._downloads``)."""
        from opsbook.site.downloads import calendar_paths, calendar_people

        generated, settings = self._state.generated, self._last.settings
        assert generated is not None
        _, calendars = download_links(generated.downloads())
        if not calendars:
            return True  # none published: no page links to one
        before = calendar_people(self._last.catalog, change.before.values(), settings)
        after = calendar_people(change.catalog, change.edited.values(), settings)
        return before == after or calendar_paths(change.catalog, settings) == calendars

    def _relaid(self, change: Change) -> set[str] | None:
        """Pages whose sidebar changed (None: too many for the quick path)."""
        if change.mkdocs_nav is None:
            return set()
        last, old = self._last, change.old_signatures
        new = signatures(change.mkdocs_nav, last.files, pruned=prunes(last.config))
        relaid = differing(old, new)
        if len(relaid) > len(old) * _MOST_PAGES_LAID_OUT:
            return None
        return relaid

    def _tags_touched(self, change: Change) -> bool:
        return any(
            old.tags != change.edited[sid].tags
            or (old.tags and old.title != change.edited[sid].title)
            for sid, old in change.before.items()
        )

    def _portfolio(self, change: Change) -> list[Any]:
        if not self._last.settings.charts:
            return []
        from opsbook.charts.plan import portfolio_plan

        return portfolio_plan(change.catalog, self._last.settings.lang)

    def _finish(self, change: Change) -> None:
        """What the next edit starts from."""
        state, last = self._state, self._last
        assert state.generated is not None
        last.catalog = state.catalog = change.catalog
        if change.nav is not None:
            state.generated.nav = state.mirrored_nav = change.nav

    def _renew(self, path: str) -> None:
        """The page at ``path`` has new Markdown: it is converted (or found) under it."""
        file, generated = self._last.files.get_file_from_path(path), self._state.generated
        assert file is not None and generated is not None, path
        self._state.pages.renew(path, file.url, generated.files[path])

    def _convert_ahead(self, order: list[str]) -> None:
        """The pages at ``order`` (renewed) converted by a second process too, from the
        last, while this one builds them from the first (see ``PagesAhead``): the largest
        roll-ups' conversion and search entries on the other core."""
        last, generated = self._last, self._state.generated
        assert generated is not None
        files = [last.files.get_file_from_path(path) for path in order]
        pages = [file.page for file in files if file is not None and file.page is not None]
        memory = self._state.pages

        def convert(page: Page) -> None:
            convert_alone(page, last.config, last.files)
            memory.index_ahead(page)

        markdown = sum(len(generated.files[path]) for path in order)
        memory.convert_ahead(pages, prepare=memory.forward_to, convert=convert, markdown=markdown)

    def _later(self, change: Change, built: list[str]) -> list[tuple[str, bool]]:
        """What is built after the changed roll-ups (``built``), as (page, its listings
        changed): the tags page when a tag or a tagged title changed, then the pages whose
        sidebar alone changed, made ready to be laid out again."""
        later = []
        if self._tags_touched(change) and self._last.files.get_file_from_path(Paths.TAGS):
            later.append((Paths.TAGS, True))
        again = change.relaid - self._rebuilt - set(built) - {path for path, _ in later}
        self._state.pages.lay_out_again(again)
        return later + [(path, False) for path in sorted(again)]

    def _build_all(self, builds: list[tuple[str, bool]]) -> None:
        """The pages of ``builds`` (page, its listings changed) built in that order, except
        that a page the second process is converting (see ``_convert_ahead``) waits once
        until the others are built, then for that process: the two meet at a long roll-up,
        which this one would otherwise convert again from the start (the SOP library: 0.9 s
        of a title edit)."""
        memory = self._state.pages
        queue, waited = collections.deque(builds), set()
        while queue:
            path, listings = queue.popleft()
            if memory.converting_ahead(path):
                if queue and path not in waited:
                    waited.add(path)
                    queue.append((path, listings))
                    continue
                memory.wait_for_ahead(path)
            self._build(path, listings=listings)

    def _build(self, path: str, *, listings: bool = False) -> None:
        """Convert and lay out the page at ``path`` as a build does (renewed first when its
        Markdown changed; its sidebar alone changed: see ``PageMemory.lay_out_again``)."""
        last = self._last
        file = last.files.get_file_from_path(path)
        assert file is not None and file.page is not None, path
        page = file.page
        if listings:  # its tag listing changed: nothing of it remembered
            self._state.pages.forget(path)
        vars(page).pop("render", None)  # a conversion remembered for the old Markdown
        if listings:
            api.forget_listings(last.config, path)
        api.convert_page(page, last.config, last.files)
        if listings:
            api.fill_listings(page, last.config, last.env)
        self._state.pages.look_up_search(page)
        api.lay_out_page(page, last.config, last.files, last.nav, last.env)
        self._rebuilt.add(path)

    def _url(self, path: str) -> str:
        """The page's address as its search entries give it (the home page's is "")."""
        file = self._last.files.get_file_from_path(path)
        return file.page.url if file is not None and file.page is not None else ""

    def _write_charts(self, plan: list[Any]) -> None:
        """The charts of ``plan`` that changed (drawn here, unchanged ones from the cache)."""
        generated = self._state.generated
        assert generated is not None
        cache = self._state.cache or Cache.disabled()
        drawn = draw_charts(plan, self._last.settings, cache, jobs=1) if plan else {}
        for path, svg in drawn.items():
            if generated.files.get(path) != svg:
                self._mirror(path, svg)
                self._copy(path)

    def _copy(self, path: str) -> None:
        file = self._last.files.get_file_from_path(path)
        if file is not None:
            file.copy_file()

    def _mirror(self, path: str, data: bytes) -> None:
        atomic.write_file(self._last.mirror / path, data)
        self._state.mirror(path, data)


def _rollup_paths(catalog: Catalog) -> set[str]:
    """The roll-up pages of ``catalog`` (as ``rollup_pages`` makes them)."""
    fixed = {Paths.HOME, Paths.SCENARIOS, Paths.PEOPLE, Paths.TAGS, Paths.SOP, Paths.ANOMALIES}
    groups = {Paths.industry(s.industry) for s in catalog.scenarios}
    groups |= {Paths.module(s.industry, s.module) for s in catalog.scenarios}
    return fixed | groups | {Paths.person(pid) for pid in catalog.by_person()}


def _touched(change: Change) -> set[str]:
    """The roll-up pages that show anything of the edited scenarios, before or after."""
    touched = {Paths.HOME, Paths.SCENARIOS, Paths.PEOPLE, Paths.TAGS, Paths.SOP, Paths.ANOMALIES}
    for scenario in [*change.before.values(), *change.edited.values()]:
        touched.add(Paths.industry(scenario.industry))
        touched.add(Paths.module(scenario.industry, scenario.module))
        touched.update(Paths.person(pid) for pid in scenario.people())
    return touched


def quick_edit_first(
    server: LiveReloadServer, builder: Callable[[], None], state: ServeState
) -> Callable[[], None]:
    """``builder`` (serve's full rebuild), unless the quick path rebuilt what the edit
    touched."""

    def build() -> None:
        state.quiet.clear()
        try:
            rebuild()
        finally:
            state.quiet.set()

    def rebuild() -> None:
        last, state.last = state.last, None
        if last is not None and QuickEdit(state, last, server).run():
            state.last = last
            api.show_rebuilt(server, again=True)
            return
        api.hold_requests(server)  # nothing half rebuilt is served meanwhile
        builder()

    return build


def prepare_quick_edits(server: LiveReloadServer, state: ServeState, *, charts: bool) -> None:
    """What the first quick edit would otherwise wait for, done in a background thread
    while nobody is editing: jieba's dictionaries (0.6 s), which a warm build never loads
    (its search entries come from the cache), matplotlib (0.5 s), as the initial build
    drew its charts in worker processes, the SQL parser and the page templates, which a
    warm build never needs, and the roll-ups' HTML compacted in pieces (see
    ``PageMemory.compact_ahead``). It starts once the server is serving: meanwhile MkDocs
    lists the watched files, which took a second longer with this thread running (at
    1,000 scenarios: 2,000 files, the Python interpreter shared between the two)."""
    pages = state.pages

    def prepare() -> None:
        api.wait_until_serving(server)
        pages.prepare_segmenting()
        if charts:
            from opsbook.charts.draw import prepare_drawing_here

            prepare_drawing_here()
        prepare_query_checks()
        load_templates()
        if state.catalog is not None:
            pages.compact_ahead(_rollup_paths(state.catalog), before_each=state.quiet.wait)
        log.info("opsbook: ready for quick edits")

    threading.Thread(target=prepare, daemon=True).start()
