"""The knowledge base as values: ``generate_site`` turns a catalog into ``{path: bytes}``.

Pages (Markdown), charts (SVG) and data files come out of one function that knows nothing
about MkDocs, so the MkDocs plugin, ``opsbook export`` and the tests all see the same bytes.
Other outputs join the site through :data:`CONTRIBUTORS`: functions
``(catalog, settings) -> {path: bytes}`` named by import path and imported only when a site is
built (so ``opsbook check`` never pays for openpyxl or icalendar).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import itertools
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from opsbook.model import INDUSTRIES, Scenario, ScenarioState
from opsbook.model.catalog import Catalog
from opsbook.site.render import render_page
from opsbook.site.render.escape import html_text, safe_id
from opsbook.site.render.labels import Labels
from opsbook.support.cache import Cache, content_key

if TYPE_CHECKING:  # the charts module is imported only when charts are drawn
    from opsbook.charts.draw import ChartSpec

Files = dict[str, bytes]
# a contributor gives its files as a mapping, or one (path, bytes) pair at a time
Contributor = Callable[[Catalog, "SiteSettings"], Mapping[str, bytes] | Iterable[tuple[str, bytes]]]
Spill = Callable[[str, bytes], None]  # takes a file's bytes elsewhere (disk), by its path

# Extra files published with the site, as "module:function" (see the module docstring).
# The exports (calendar.ics, catalog.json…) add themselves here.
CONTRIBUTORS: tuple[str, ...] = ("opsbook.site.downloads:site_files",)

CHART_SUFFIX = ".svg"
_PAGE_NAMESPACE = "site-page"
_CONTRIB_NAMESPACE = "site-contributed"
_TERMS_NAMESPACE = "search-terms"
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
    """A URL-safe, stable folder name for a module: ASCII names read as words, others
    (Chinese) become a short hash, so no URL holds characters a web server may mangle."""
    ascii_slug = _MODULE_SLUG.sub("-", module.lower()).strip("-")
    if ascii_slug and module.isascii():
        return ascii_slug
    return "m-" + hashlib.sha1(module.encode()).hexdigest()[:8]


@dataclass(frozen=True)
class Chart:
    path: str
    alt: str


def scenario_charts(scenario: Scenario, chart_paths: Iterable[str], labels: Labels) -> list[Chart]:
    """The charts of a scenario that were drawn, in reading order, with alt text."""
    prefix = f"charts/{scenario.id}/"
    present = set(chart_paths)
    wanted = [(f"{prefix}trend-{m.id}.svg", m.name) for m in scenario.metrics]
    wanted += [
        (f"{prefix}targets.svg", labels["target"] + " / " + labels["actual"]),
        (f"{prefix}timeline.svg", labels["actions"]),
        (f"{prefix}funnel.svg", labels["journey"]),
    ]
    return [Chart(path, alt) for path, alt in wanted if path in present]


def portfolio_charts(chart_paths: Iterable[str], labels: Labels) -> list[Chart]:
    names = {
        "achievement-by-industry": labels["by_industry"],
        "achievement-by-owner": labels["by_owner"],
        "alerts": labels["alerts"],
    }
    present = set(chart_paths)
    return [
        Chart(f"charts/portfolio/{name}.svg", alt)
        for name, alt in names.items()
        if f"charts/portfolio/{name}.svg" in present
    ]


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
        if (head := st.headline) is not None and head.achievement is not None
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


def week_window(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """ "This week" from the as-of date: the seven days starting there."""
    return as_of, as_of + dt.timedelta(days=6)


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
    state: ScenarioState, catalog: Catalog, settings: SiteSettings, chart_paths: Iterable[str]
) -> bytes:
    scenario = state.scenario
    labels = Labels(settings.lang)
    success = [
        scenario.metric(mid).name if scenario.metric(mid) else mid  # type: ignore[union-attr]
        for mid in scenario.needs.success_criteria
    ]
    context = {
        **_context(catalog, settings),
        "state": state,
        "success_names": success,
        "charts": scenario_charts(scenario, chart_paths, labels),
    }
    return render_page("scenario.md.j2", Paths.scenario(scenario.id), settings.lang, context)


def _page_key(state: ScenarioState, catalog: Catalog, settings: SiteSettings, charts: str) -> str:
    """Everything a scenario page depends on: its state, the names of its people, the
    settings, the templates and which charts exist."""
    people = [
        repr(catalog.team.people.get(pid)) + catalog.team.department_name(pid)
        for pid in state.scenario.people()
    ]
    return content_key(
        repr(state), repr(people), settings.lang, _templates_digest(), charts, "scenario-page"
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
    chart_paths: Sequence[str],
    cache: Cache,
    spill: Spill | None = None,
) -> Files:
    """Every scenario page, from the cache when nothing it depends on changed, a batch at a
    time. ``spill``: takes each page, which is then in the result with empty bytes."""
    by_scenario: dict[str, list[str]] = {}
    for path in chart_paths:
        parts = path.split("/")
        if len(parts) == 3:
            by_scenario.setdefault(parts[1], []).append(path)
    keys = {
        sid: _page_key(state, catalog, settings, "\n".join(by_scenario.get(sid, [])))
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
                data = scenario_page(state, catalog, settings, by_scenario.get(sid, []))
                fresh[keys[sid]] = data
            pages[Paths.scenario(sid)] = _spilled(spill, Paths.scenario(sid), data)
        cache.put_many(_PAGE_NAMESPACE, fresh)
    return pages


def rollup_pages(
    catalog: Catalog, settings: SiteSettings, chart_paths: Sequence[str], downloads: Sequence[str]
) -> Files:
    """The pages that gather many scenarios: always rendered, so they are never stale."""
    labels = Labels(settings.lang)
    base = _context(catalog, settings)
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
        "charts": portfolio_charts(chart_paths, labels),
        "downloads": list(downloads),
    }
    pages: Files = {
        Paths.HOME: render_page("dashboard.md.j2", Paths.HOME, settings.lang, dashboard)
    }
    listing = {**base, "states": catalog.states}
    pages[Paths.SCENARIOS] = render_page("scenarios.md.j2", Paths.SCENARIOS, settings.lang, listing)
    pages.update(_industry_pages(catalog, settings, listing))
    pages.update(_people_pages(catalog, settings, base))
    for template, path in (
        ("tags.md.j2", Paths.TAGS),
        ("sop.md.j2", Paths.SOP),
        ("anomalies.md.j2", Paths.ANOMALIES),
    ):
        pages[path] = render_page(template, path, settings.lang, listing | {"catalog": catalog})
    return pages


def _industry_pages(catalog: Catalog, settings: SiteSettings, listing: Mapping[str, Any]) -> Files:
    pages: Files = {}
    for industry, modules in listing["industries"]:
        path = Paths.industry(industry)
        context = {**listing, "industry": industry, "modules": modules}
        pages[path] = render_page("industry.md.j2", path, settings.lang, context)
        for module, scenarios in modules:
            path = Paths.module(industry, module)
            context = {**listing, "industry": industry, "module": module, "scenarios": scenarios}
            pages[path] = render_page("module.md.j2", path, settings.lang, context)
    return pages


def _people_pages(catalog: Catalog, settings: SiteSettings, base: Mapping[str, Any]) -> Files:
    by_person = catalog.by_person()
    pages: Files = {}
    context = {**base, "by_person": by_person, "states": catalog.states}
    pages[Paths.PEOPLE] = render_page("people.md.j2", Paths.PEOPLE, settings.lang, context)
    for pid, scenarios in by_person.items():
        path = Paths.person(pid)
        states = [catalog.states[s.id] for s in scenarios]
        person_context = {**context, "pid": pid, "person_states": states}
        pages[path] = render_page("person.md.j2", path, settings.lang, person_context)
    return pages


def contributed_files(
    catalog: Catalog, settings: SiteSettings, cache: Cache, spill: Spill | None = None
) -> Files:
    """Files from the contributors named in the settings (exports published with the site),
    from the cache when neither the catalog nor the contributor's code changed.

    ``spill``: each file is handed to it as soon as it is at hand, and only its path is in
    the result (with empty bytes): at 5,000 scenarios the calendars and data files weigh
    170 MB, which a build then never holds all at once."""
    files: Files = {}
    fingerprint = None
    for name in settings.contributors:
        module_name, _, function_name = name.partition(":")
        module = importlib.import_module(module_name)
        contributor: Contributor = getattr(module, function_name)
        fingerprint = fingerprint or _catalog_fingerprint(catalog, settings)
        key = content_key(fingerprint, name, _code_digest(module))
        made = _remembered_contribution(cache, key, spill)
        if made is None:
            made = _fresh_contribution(cache, key, contributor(catalog, settings), spill)
        files.update(made)
    return files


def _remembered_contribution(cache: Cache, key: str, spill: Spill | None) -> Files | None:
    """A contribution from the cache, one file read at a time; None when any is missing."""
    listing = cache.get(_CONTRIB_NAMESPACE, key)
    if listing is None:
        return None
    paths: list[str] = json.loads(listing)
    keys = {path: content_key(key, path) for path in paths}
    if len(cache.present(_CONTRIB_NAMESPACE, keys.values())) != len(keys):
        return None
    files: Files = {}
    for path in paths:
        data = cache.get(_CONTRIB_NAMESPACE, keys[path])
        if data is None:  # removed since the look-up (another process pruning the cache)
            return None
        files[path] = _spilled(spill, path, data)
    return files


def _fresh_contribution(
    cache: Cache,
    key: str,
    made: Mapping[str, bytes] | Iterable[tuple[str, bytes]],
    spill: Spill | None,
) -> Files:
    """Stored one file per entry as each comes (a single packed entry was one more copy of
    them all), the list of paths last: a listing is only ever found with its files."""
    files: Files = {}
    for path, data in made.items() if isinstance(made, Mapping) else made:
        cache.put(_CONTRIB_NAMESPACE, content_key(key, path), data)
        files[path] = _spilled(spill, path, data)
    cache.put(_CONTRIB_NAMESPACE, key, json.dumps(sorted(files)).encode())
    return dict(sorted(files.items()))


def _spilled(spill: Spill | None, path: str, data: bytes) -> bytes:
    if spill is None:
        return data
    spill(path, data)
    return b""


def _catalog_fingerprint(catalog: Catalog, settings: SiteSettings) -> str:
    """Everything a contributor can see: the model (frozen dataclasses: repr is their
    complete, deterministic value), the as-of date and the settings. A scenario at a time:
    the repr of all 5,000 at once was an 80 MiB string."""
    scenarios = hashlib.sha256()
    for scenario in catalog.scenarios:
        scenarios.update(repr(scenario).encode() + b"\0")
    return content_key(
        repr(catalog.team), scenarios.hexdigest(), catalog.as_of.isoformat(),
        repr((settings.lang, settings.font, settings.site_name)),
    )  # fmt: skip


def _code_digest(module: Any) -> str:
    """The source of the contributor's package: a code change is a cache miss."""
    folder = Path(module.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


Progress = Callable[[int, int], None]  # (done, total)


@dataclass
class ChartMemo:
    """The previous chart render, kept by a long-lived caller (``serve``) so unchanged charts
    come from memory instead of the cache."""

    last: Any = None


def chart_specs(catalog: Catalog, settings: SiteSettings) -> list[ChartSpec]:
    """What :func:`draw_chart_specs` draws: every chart of the catalog, as data."""
    if not settings.charts:
        return []
    from opsbook.charts import draw as charts

    return charts.catalog_specs(catalog, settings.lang)


def draw_chart_specs(
    specs: Sequence[ChartSpec],
    settings: SiteSettings,
    cache: Cache,
    jobs: int | None,
    progress: Progress | None = None,
    memo: ChartMemo | None = None,
    spill: Spill | None = None,
) -> Files:
    """The charts of :func:`chart_specs` (see ``opsbook.charts.draw``), which need nothing else
    of the catalog; raises ``fonts.FontError`` with the exact fix when Chinese text meets no
    CJK font. ``spill``: takes each chart, none is returned."""
    if not specs:
        return {}
    from opsbook.charts import draw as charts
    from opsbook.support import fonts

    font = fonts.find_cjk_font(settings.font, lang=settings.lang)
    drawn = charts.render_specs(
        specs, lang=settings.lang, font=font, cache=cache, jobs=jobs, progress=progress,
        text_as_paths=settings.chart_text_as_paths, reuse=memo.last if memo else None,
        sink=spill,
    )  # fmt: skip
    if memo is not None:
        memo.last = drawn
    return dict(drawn.files)


def planned_scenario_charts(state: ScenarioState, settings: SiteSettings) -> list[str]:
    """The paths of one scenario's charts (see :func:`chart_specs`)."""
    if not settings.charts:
        return []
    from opsbook.charts import draw as charts

    return sorted(spec.path for spec in charts.scenario_specs(state, settings.lang))


def generate_site(
    catalog: Catalog,
    settings: SiteSettings,
    *,
    cache: Cache | None = None,
    jobs: int | None = None,
    chart_progress: Progress | None = None,
    chart_memo: ChartMemo | None = None,
    drawn: Files | None = None,
    spill: Spill | None = None,
) -> Files:
    """Every generated file of the knowledge base: pages, charts, contributed data.

    ``drawn``: the charts, drawn (or being drawn) by the caller; pages need only their paths.
    ``spill``: takes the contributed data files and the scenario pages, which are then
    left out of the result.
    """
    store = cache or Cache.disabled()
    if drawn is None:
        specs = chart_specs(catalog, settings)
        drawn = draw_chart_specs(specs, settings, store, jobs, chart_progress, chart_memo)
    charts = drawn
    extra = contributed_files(catalog, settings, store, spill)
    chart_paths = sorted(charts)
    files: Files = {**charts, **(extra if spill is None else {})}
    pages = scenario_pages(catalog, settings, chart_paths, store, spill)
    files.update(pages if spill is None else {})
    downloads = sorted(p for p in extra if "/" not in p)  # people/<id>.ics: on their pages
    files.update(rollup_pages(catalog, settings, chart_paths, downloads))
    return dict(sorted(files.items()))


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
            title = str(html_text(module))
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


# The search dictionary.

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_SUFFIXES = frozenset("率额数量值度比")


def search_terms(catalog: Catalog, cache: Cache | None = None) -> list[str]:
    """Domain words for jieba, from the scenarios' own text, so search keeps them whole.

    Short names (tags, modules, metric names, journey stages) are words as they stand.
    Longer metric names are cut by jieba and a trailing one-character measure word is joined
    to the word before it (新人券核销率 → 核销率), since that is what people search for.
    The cuts are cached: jieba's dictionary is 50 MB in memory, and a warm build whose
    search entries all come from the cache never needs it.
    """
    short: set[str] = set()
    long: set[str] = set()
    for scenario in catalog.scenarios:
        names = [scenario.module, *scenario.tags, *(s.name for s in scenario.needs.journey)]
        names += [m.name for m in scenario.metrics]
        for name in names:
            for run in _HAN_RUN.findall(name):
                (short if 2 <= len(run) <= 4 else long).add(run)
    return sorted(short | set(_cut_terms(sorted(long), cache or Cache.disabled())))


def _cut_terms(runs: list[str], cache: Cache) -> list[str]:
    from importlib import metadata

    key = content_key("jieba-terms", metadata.version("jieba"), "\n".join(runs))
    stored = cache.get(_TERMS_NAMESPACE, key)
    if stored is not None:
        return list(json.loads(stored))
    import jieba

    terms = sorted({t for run in runs for t in _joined_words(list(jieba.cut(run, HMM=False)))})
    cache.put(_TERMS_NAMESPACE, key, json.dumps(terms, ensure_ascii=False).encode())
    return terms


def _joined_words(words: list[str]) -> Iterable[str]:
    for before, word in itertools.pairwise(words):
        if len(word) == 1 and word in _SUFFIXES and 1 < len(before) <= 3:
            yield before + word


def jieba_user_dictionary(catalog: Catalog, cache: Cache | None = None) -> bytes:
    """jieba's user dictionary format: "word frequency" per line."""
    return "".join(f"{term} 5000\n" for term in search_terms(catalog, cache)).encode("utf-8")
