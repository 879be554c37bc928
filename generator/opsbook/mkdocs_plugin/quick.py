"""Serve's quick path: an edited scenario's page first, the full rebuild after."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer

from opsbook.check.run import (
    UsageError,
    check_paths,
    display_path,
    find_scenario_files,
)
from opsbook.mkdocs_plugin.mkdocs_api import build_page, show_rebuilt
from opsbook.mkdocs_plugin.pages import PageMemory
from opsbook.mkdocs_plugin.serving import LastBuild, ServeState
from opsbook.model import Scenario, scenario_from_data
from opsbook.model.catalog import Catalog
from opsbook.site.charts import scenario_chart_plan
from opsbook.site.generate import Paths, scenario_page
from opsbook.support import atomic
from opsbook.support.fonts import FontError

log = logging.getLogger("mkdocs.plugins.opsbook")


class QuickEdit:
    """Under ``serve``, a saved scenario's own page (then its charts) is rebuilt alone and
    shown at once, before the full rebuild that brings the roll-ups up to date: at 1,000
    scenarios the full rebuild takes seconds, the page a fraction of one. Anything else —
    a new or removed file, an invalid one, a changed title, module or chart set, the team,
    a template — is left to the full rebuild."""

    def __init__(self, state: ServeState, last: LastBuild) -> None:
        self._state = state
        self._last = last

    def run(self) -> bool:
        """True when the edited pages were rebuilt and written."""
        root = Path(self._last.config.config_file_path or ".").resolve().parent
        started = time.perf_counter()
        try:
            edited = self._edited(self._last.scenarios, root)
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

    def _edited(self, scenarios: Path, root: Path) -> dict[str, Scenario] | None:
        """Changed scenario files (path shown relative to ``root`` → new model), or None when
        the quick path cannot serve them."""
        known = self._state.parsed
        found = {display_path(p, root): p for p in find_scenario_files([scenarios])}
        if set(found) != set(known):
            return None
        raw = {shown: path.read_bytes() for shown, path in found.items()}
        changed = [shown for shown in found if raw[shown] != known[shown][0]]
        if not changed:
            return None
        result = check_paths(
            [found[s] for s in changed], team_file=self._last.team, cache=self._state.cache,
            base=root,
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
        generated = self._state.generated
        assert generated is not None
        for scenario in replaced.values():
            charts = sorted(p for p in generated.files if p.startswith(f"charts/{scenario.id}/"))
            state = catalog.state(scenario.id)
            plan = scenario_chart_plan(state, last.settings)
            if sorted(chart.path for chart in plan) != charts:
                return False
            self._write(
                Paths.scenario(scenario.id), scenario_page(state, catalog, last.settings, plan)
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
        self._state.pages.forget(path)
        vars(page).pop("render", None)  # a conversion remembered for the old Markdown
        build_page(page, last.config, last.files, last.nav, last.env)

    def _write_charts(self, state: Any) -> None:
        from opsbook.charts import draw as charts
        from opsbook.support import fonts

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
        atomic.write_file(self._last.mirror / path, data)
        self._state.mirror(path, data)


def _navigation_of(scenario: Scenario) -> tuple[str, ...]:
    return (scenario.id, scenario.title, scenario.industry, scenario.module)


def quick_edit_first(
    server: LiveReloadServer, builder: Callable[[], None], state: ServeState
) -> Callable[[], None]:
    """``builder`` (serve's full rebuild), after the quick path for the edited scenarios."""

    def build() -> None:
        last, state.last = state.last, None
        if last is not None and QuickEdit(state, last).run():
            show_rebuilt(server)
        builder()

    return build


def prepare_quick_edits(pages: PageMemory, *, charts: bool) -> None:
    """What the first quick edit would otherwise wait for, done in a background thread
    while nobody is editing: jieba's dictionaries (0.6 s), which a warm build never loads
    (its search entries come from the cache), and matplotlib (0.5 s), as the initial build
    drew its charts in worker processes."""

    def prepare() -> None:
        pages.prepare_segmenting()
        if charts:
            from opsbook.charts.draw import prepare_drawing_here

            prepare_drawing_here()

    threading.Thread(target=prepare, daemon=True).start()
