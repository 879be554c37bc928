"""The knowledge base as values: ``generate_site`` turns a catalog into ``{path: bytes}``.

Pages (Markdown), charts (SVG) and data files come out of one function that knows nothing
about MkDocs, so the MkDocs plugin, ``opsbook export`` and the tests all see the same bytes.
Other outputs join the site through :data:`CONTRIBUTORS`: functions
``(catalog, settings) -> {path: bytes}`` named by import path and imported only when a site is
built (so ``opsbook check`` never pays for openpyxl or icalendar).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from markupsafe import Markup

from opsbook.model import INDUSTRIES, Scenario, ScenarioState
from opsbook.model.catalog import Catalog
from opsbook.model.movement import previous_review, week_window
from opsbook.site.charts import ChartMemo, Progress, Spill, chart_plan, draw_charts
from opsbook.site.contributions import Files, contributed_files, spilled
from opsbook.site.dashboard import dashboard_context, metric_movements, my_work
from opsbook.site.render import relative_link, render_page
from opsbook.site.render.escape import html_text, safe_id
from opsbook.site.render.fragments import Fragments, Once, render_every_time
from opsbook.site.render.labels import Labels
from opsbook.support.cache import Cache, content_key

if TYPE_CHECKING:  # the charts package is imported only when charts are planned or drawn
    from opsbook.charts.plan import PlannedChart

# Extra files published with the site, as "module:function" (see the module docstring).
# The exports (calendar.ics, catalog.json…) add themselves here.
CONTRIBUTORS: tuple[str, ...] = ("opsbook.site.downloads:site_files",)

_PAGE_NAMESPACE = "site-page"
_PAGE_BATCH = 500  # scenario pages read from the cache in one query
_MODULE_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class SiteSettings:
    """What the pages depend on besides the catalog."""

    lang: str = "zh-CN"
    font: str | None = None
    site_name: str = ""
    charts: bool = True
    # Chart text as <text> naming the font (~12 KB a chart, drawn by the reader's fonts) or
    # as outlines (~60 KB, needs no font): 1,000 scenarios make ~5,500 charts.
    chart_text_as_paths: bool = False
    contributors: tuple[str, ...] = CONTRIBUTORS
    options: Mapping[str, Any] = field(default_factory=dict)


class Paths:
    """Where each page lives in the docs tree. Ids are schema-checked; ``safe_id`` guards that
    a link can only ever point at one of our own pages."""

    @staticmethod
    def scenario(scenario_id: str) -> str:
        return f"scenarios/{safe_id(scenario_id)}.md"

    @staticmethod
    def industry(industry: str) -> str:
        return f"industries/{safe_id(industry)}/index.md"

    @staticmethod
    def module(industry: str, module: str) -> str:
        return f"industries/{safe_id(industry)}/{module_slug(module)}/index.md"

    @staticmethod
    def person(person_id: str) -> str:
        name = "index-person" if person_id == "index" else safe_id(person_id)
        return f"people/{name}.md"

    @staticmethod
    def badge(kind: str, value: str, text: str) -> Markup:
        css = _MODULE_SLUG.sub("-", f"{kind}-{value}".lower())
        return Markup(f'<span class="ob-badge ob-{css}">{html_text(text)}</span>')

    HOME = "index.md"
    SCENARIOS = "industries/index.md"
    PEOPLE = "people/index.md"
    TAGS = "tags.md"
    SOP = "sop.md"
    ANOMALIES = "anomalies.md"


def module_slug(module: str) -> str:
    """A URL-safe, stable folder name for a module: a module id (or any ASCII name) reads as
    words; free-text Chinese names, in a project without a modules list, become a short hash,
    so no URL holds characters a web server may mangle."""
    ascii_slug = _MODULE_SLUG.sub("-", module.lower()).strip("-")
    if ascii_slug and module.isascii():
        return ascii_slug
    return "m-" + hashlib.sha1(module.encode()).hexdigest()[:8]


# Roll-ups the dashboard, the person pages and the indexes share.


@dataclass(frozen=True)
class Tally:
    """A group of scenarios (one industry, one owner): the mean achievement of their headline
    metrics — the figure the portfolio charts draw — and how many alert or are overdue."""

    name: str
    scenarios: int
    mean: float | None
    critical: int
    warning: int
    overdue: int


def tally(name: str, states: Sequence[ScenarioState]) -> Tally:
    rates = [
        head.achievement
        for st in states
        if (head := st.status_metric) is not None and head.achievement is not None
    ]
    return Tally(
        name=name,
        scenarios=len(states),
        mean=sum(rates) / len(rates) if rates else None,
        critical=sum(st.alert.value == "critical" for st in states),
        warning=sum(st.alert.value == "warning" for st in states),
        overdue=sum(st.overdue_count for st in states),
    )


def owner_tallies(catalog: Catalog) -> list[Tally]:
    """By scenario owner, lowest achievement first: who needs help is on top."""
    owners: dict[str, list[ScenarioState]] = {}
    for state in catalog.states.values():
        owners.setdefault(state.scenario.owner, []).append(state)
    tallies = [tally(pid, states) for pid, states in owners.items()]
    return sorted(tallies, key=lambda t: (t.mean is None, t.mean or 0.0, t.name))


# Pages.


def _context(catalog: Catalog, settings: SiteSettings) -> dict[str, Any]:
    return {
        "team": catalog.team,
        "as_of": catalog.as_of,
        "paths": Paths,
        "settings": settings,
        "industries": _industry_order(catalog),
    }


def _industry_order(catalog: Catalog) -> list[tuple[str, list[tuple[str, list[Scenario]]]]]:
    """Industries in the method's order, each with its modules (in scenario order)."""
    result = []
    for industry, scenarios in catalog.by_industry().items():
        modules: dict[str, list[Scenario]] = {}
        for scenario in scenarios:
            modules.setdefault(scenario.module, []).append(scenario)
        result.append((industry, list(modules.items())))
    known = {name: index for index, name in enumerate(INDUSTRIES)}
    return sorted(result, key=lambda item: known.get(item[0], len(known)))


def scenario_page(
    state: ScenarioState, catalog: Catalog, settings: SiteSettings, charts: Sequence[PlannedChart]
) -> bytes:
    """A scenario's page; ``charts``: its charts (see ``opsbook.charts.plan``), in order."""
    scenario = state.scenario
    success = [
        scenario.metric(mid).name if scenario.metric(mid) else mid  # type: ignore[union-attr]
        for mid in scenario.needs.success_criteria
    ]
    context = {
        **_context(catalog, settings),
        "state": state,
        "success_names": success,
        "charts": list(charts),
        # movement since the previous weekly review, by metric id
        "movements": metric_movements(state),
        "previous": previous_review(state.as_of),
    }
    return render_page("scenario.md.j2", Paths.scenario(scenario.id), settings.lang, context)


def _page_key(
    state: ScenarioState, catalog: Catalog, settings: SiteSettings, charts: str, templates: str
) -> str:
    """Everything a scenario page depends on: its state, the names of its people and its
    module, the settings, the templates (``templates``: their digest) and which charts
    exist."""
    people = [
        repr(catalog.team.people.get(pid)) + catalog.team.department_name(pid)
        for pid in state.scenario.people()
    ]
    module = catalog.team.module_name(state.scenario.module, settings.lang)
    return content_key(
        repr(state),
        repr(people),
        module,
        settings.lang,
        templates,
        charts,
        "scenario-page",
    )


def _templates_digest() -> str:
    from importlib import resources

    digest = hashlib.sha256()
    folder = resources.files("opsbook.site.render") / "templates"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        digest.update(entry.name.encode() + entry.read_bytes())
    for module in ("escape.py", "labels.py", "__init__.py"):
        digest.update((resources.files("opsbook.site.render") / module).read_bytes())
    return digest.hexdigest()


def scenario_pages(
    catalog: Catalog,
    settings: SiteSettings,
    charts: Mapping[str | None, Sequence[PlannedChart]],
    cache: Cache,
    spill: Spill | None = None,
) -> Files:
    """Every scenario page, from the cache when nothing it depends on changed, a batch at a
    time. ``charts``: the planned charts by scenario id. ``spill``: takes each page, which
    is then in the result with empty bytes."""
    templates = _templates_digest()  # read once: 13 files, 0.7 s of CPU a thousand times
    keys = {
        sid: _page_key(state, catalog, settings, _chart_names(charts.get(sid, ())), templates)
        for sid, state in catalog.states.items()
    }
    pages: Files = {}
    states = list(catalog.states.items())
    for start in range(0, len(states), _PAGE_BATCH):
        batch = states[start : start + _PAGE_BATCH]
        cached = cache.get_many(_PAGE_NAMESPACE, [keys[sid] for sid, _ in batch])
        fresh: dict[str, bytes] = {}
        for sid, state in batch:
            data = cached.get(keys[sid])
            if data is None:
                data = scenario_page(state, catalog, settings, charts.get(sid, ()))
                fresh[keys[sid]] = data
            pages[Paths.scenario(sid)] = spilled(spill, Paths.scenario(sid), data)
        cache.put_many(_PAGE_NAMESPACE, fresh)
    return pages


def _chart_names(charts: Sequence[PlannedChart]) -> str:
    """Which charts a page shows, for its cache key (their alt text is in the state)."""
    return "\n".join(sorted(chart.path for chart in charts))


def rollup_pages(
    catalog: Catalog,
    settings: SiteSettings,
    portfolio: Sequence[PlannedChart],
    downloads: Sequence[str],
    calendars: Collection[str] = (),
    only: Collection[str] | None = None,
    fragments: Fragments | None = None,
) -> Files:
    """The pages that gather many scenarios: always rendered, so they are never stale.
    ``portfolio``: the dashboard's charts (see ``opsbook.charts.plan``); ``calendars``: the
    published ``people/<id>.ics`` paths, linked from their person pages; ``only``: the
    paths wanted (``serve`` renders those an edit can touch), all when None;
    ``fragments``: the rows of the pages' last render (``serve`` keeps them)."""
    render = _RollupRenderer(settings.lang, fragments)
    if fragments is not None:  # what a row may read besides its own objects
        fragments.start((_templates_digest(), settings, catalog.team, catalog.as_of))
    base = _context(catalog, settings)
    pages: Files = {}
    if only is None or Paths.HOME in only:
        pages[Paths.HOME] = _dashboard(catalog, render, base, portfolio, downloads)
    listing = {**base, "states": catalog.states}
    if only is None or Paths.SCENARIOS in only:
        pages[Paths.SCENARIOS] = render("scenarios.md.j2", Paths.SCENARIOS, listing)
    pages.update(_industry_pages(render, listing, only))
    pages.update(_people_pages(catalog, settings, render, base, calendars, only))
    for template, path in (
        ("tags.md.j2", Paths.TAGS),
        ("sop.md.j2", Paths.SOP),
        ("anomalies.md.j2", Paths.ANOMALIES),
    ):
        if only is None or path in only:
            pages[path] = render(template, path, listing | {"catalog": catalog})
    return pages


@dataclass(frozen=True)
class _RollupRenderer:
    """Renders a roll-up page, reusing its unchanged rows when ``fragments`` keeps them."""

    lang: str
    fragments: Fragments | None

    def __call__(self, template: str, path: str, context: Mapping[str, Any]) -> bytes:
        if self.fragments is None:
            return render_page(template, path, self.lang, context)
        once, done = self.fragments.rendering(path)
        page = render_page(template, path, self.lang, context, once)
        done()
        return page

    @contextlib.contextmanager
    def remembering(self, name: str) -> Iterator[Once]:
        """``once`` for values of a page's context (see ``Fragments.remembering``)."""
        if self.fragments is None:
            yield render_every_time
            return
        with self.fragments.remembering(name) as once:
            yield once


def _dashboard(
    catalog: Catalog,
    render: _RollupRenderer,
    base: Mapping[str, Any],
    portfolio: Sequence[PlannedChart],
    downloads: Sequence[str],
) -> bytes:
    start, end = week_window(catalog.as_of)
    dashboard = {
        **base,
        "states": list(catalog.states.values()),
        "industry_tallies": [
            tally(ind, [catalog.states[s.id] for s in group])
            for ind, group in catalog.by_industry().items()
        ],
        "owner_tallies": owner_tallies(catalog),
        "week": (start, end),
        "charts": list(portfolio),
        "downloads": list(downloads),
    }
    with render.remembering(f"{Paths.HOME} context") as once:
        # the dashboard to act on: tiles, decisions, due, since the last review
        dashboard.update(dashboard_context(catalog, once))
    return render("dashboard.md.j2", Paths.HOME, dashboard)


def _industry_pages(
    render: _RollupRenderer,
    listing: Mapping[str, Any],
    only: Collection[str] | None = None,
) -> Files:
    pages: Files = {}
    for industry, modules in listing["industries"]:
        path = Paths.industry(industry)
        context = {**listing, "industry": industry, "modules": modules}
        if only is None or path in only:
            pages[path] = render("industry.md.j2", path, context)
        for module, scenarios in modules:
            path = Paths.module(industry, module)
            context = {**listing, "industry": industry, "module": module, "scenarios": scenarios}
            if only is None or path in only:
                pages[path] = render("module.md.j2", path, context)
    return pages


def _people_pages(
    catalog: Catalog,
    settings: SiteSettings,
    render: _RollupRenderer,
    base: Mapping[str, Any],
    calendars: Collection[str],
    only: Collection[str] | None = None,
) -> Files:
    by_person = catalog.by_person()
    pages: Files = {}
    context = {**base, "by_person": by_person, "states": catalog.states}
    if only is None or Paths.PEOPLE in only:
        pages[Paths.PEOPLE] = render("people.md.j2", Paths.PEOPLE, context)
    for pid, scenarios in by_person.items():
        path = Paths.person(pid)
        if only is not None and path not in only:
            continue
        states = [catalog.states[s.id] for s in scenarios]
        person_context = {
            **context, "pid": pid, "person_states": states, "work": my_work(pid, states),
            "calendar": _calendar_link(pid, calendars, settings, path),
        }  # fmt: skip
        pages[path] = render("person.md.j2", path, person_context)
    return pages


def _calendar_link(
    pid: str, calendars: Collection[str], settings: SiteSettings, page: str
) -> dict[str, Markup] | None:
    """A person's calendar: ``subscribe`` is webcal:// when the site's address is known (a
    calendar app then keeps it up to date), else the file; ``file`` is the .ics itself,
    relative to their page."""
    from opsbook.site.downloads import person_calendar_path

    path = person_calendar_path(pid)
    if path not in calendars:
        return None
    file = relative_link(page, path)
    site_url = str(settings.options.get("site_url") or "")
    if not site_url:
        return {"subscribe": file, "file": file}
    address = quote(site_url.rstrip("/").split("://", 1)[-1], safe="/:@") + "/" + path
    return {"subscribe": Markup("webcal://" + address), "file": file}


def generate_site(
    catalog: Catalog,
    settings: SiteSettings,
    *,
    cache: Cache | None = None,
    jobs: int | None = None,
    chart_progress: Progress | None = None,
    chart_memo: ChartMemo | None = None,
    charts_drawn_elsewhere: Sequence[PlannedChart] | None = None,
    spill: Spill | None = None,
    contributed: Files | Callable[[], Files] | None = None,
    fragments: Fragments | None = None,
) -> Files:
    """Every generated file of the knowledge base: pages, charts, contributed data.

    ``charts_drawn_elsewhere``: the chart plan, drawn (or being drawn) by the caller: pages
    need only the plan, and the charts' bytes are then left out of the result.
    ``spill``: takes the contributed data files and the scenario pages, which are then
    left out of the result. ``contributed``: the contributed data files, made elsewhere
    (or being made: asked for once the scenario pages are done). ``fragments``: the
    roll-up pages' rows, kept for the next render (see ``rollup_pages``).
    """
    store = cache or Cache.disabled()
    plan = charts_drawn_elsewhere
    files: Files = {}
    if plan is None:
        plan = chart_plan(catalog, settings)
        files.update(draw_charts(plan, settings, store, jobs, chart_progress, chart_memo))
    from opsbook.charts.plan import by_scenario

    charts = by_scenario(plan)
    pages = scenario_pages(catalog, settings, charts, store, spill)
    files.update(pages if spill is None else {})
    if contributed is None:
        extra = contributed_files(catalog, settings, store, spill)
    else:
        extra = contributed() if callable(contributed) else contributed
    files.update(extra if spill is None else {})
    downloads, calendars = download_links(extra)
    portfolio = charts.get(None, [])
    files.update(
        rollup_pages(catalog, settings, portfolio, downloads, calendars, fragments=fragments)
    )
    return dict(sorted(files.items()))


def download_links(contributed: Iterable[str]) -> tuple[list[str], set[str]]:
    """Of the contributed files, those the dashboard lists and the person calendars (each
    linked from its person's page)."""
    paths = list(contributed)
    downloads = sorted(p for p in paths if "/" not in p)
    return downloads, {p for p in paths if p.startswith("people/") and p.endswith(".ics")}


# Navigation, engine-agnostic: a list of {title: path | [children]} as mkdocs.yml writes it.

NavItem = dict[str, Any] | str


def navigation(
    catalog: Catalog, settings: SiteSettings, hand_written: Sequence[NavItem]
) -> list[NavItem]:
    """Home, the scenarios by industry → module → scenario, the roll-ups, then the
    hand-written pages (in file order).

    People are one entry, their index: a top-level section is printed expanded in every
    page, so a team of 15 cost 2 KB in each of a thousand pages, and a team of 100 would
    bury the scenarios. Person pages are a click away there and linked from every table.

    Every generated page has its title here, so no engine needs to read a page to name it
    (a fast rebuild of only the changed pages keeps correct titles everywhere). Titles are
    HTML-escaped: themes print nav titles as they are (MkDocs' Jinja does not autoescape).
    """
    labels = Labels(settings.lang)
    scenarios: list[NavItem] = [{labels["all_scenarios"]: Paths.SCENARIOS}]
    for industry, modules in _industry_order(catalog):
        name = labels.enum("industry", industry)
        module_items: list[NavItem] = [{name: Paths.industry(industry)}]
        for module, group in modules:
            title = str(html_text(catalog.team.module_name(module, settings.lang)))
            children: list[NavItem] = [{title: Paths.module(industry, module)}]
            children += [{str(html_text(s.title)): Paths.scenario(s.id)} for s in group]
            module_items.append({title: children})
        scenarios.append({name: module_items})
    nav: list[NavItem] = [
        {labels["dashboard"]: Paths.HOME},
        {labels["scenarios"]: scenarios},
        {labels["people"]: Paths.PEOPLE},
        {labels["sop_library"]: Paths.SOP},
        {labels["anomaly_log"]: Paths.ANOMALIES},
        {labels["tags"]: Paths.TAGS},
    ]
    if hand_written:
        nav.append({labels["guide"]: list(hand_written)})
    return nav
