"""The roll-up rows serve keeps between renders (``opsbook.site.render.fragments``): a row is
reused only for the very same objects under the same stamp, and the roll-up pages rendered
with kept rows equal those rendered from nothing, after every kind of edit."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import jinja2
import pytest
from markupsafe import Markup

from conftest import SCENARIOS
from opsbook.diff.records import ScenarioChanges
from opsbook.model import Metric, Scenario, ScenarioState
from opsbook.model.catalog import Catalog, keeping_states, load_catalog
from opsbook.site.generate import SiteSettings, rollup_pages
from opsbook.site.render.fragments import Fragments

ROWS = jinja2.Environment(autoescape=True).from_string(
    '{% for s in items %}{% call once("row", s) %}[{{ s.name }}]{% endcall %}{% endfor %}'
)


@dataclasses.dataclass(frozen=True)
class Item:
    name: str


def render(fragments: Fragments, items: list[Item], rendered: list[str]) -> str:
    """The rows of ``items`` on one page; ``rendered`` gets each row actually rendered."""
    once, done = fragments.rendering("page.md")

    def counting(name: str, *objects: object, caller: Callable[[], Markup]) -> Markup:
        def render_row() -> Markup:
            rendered.append(objects[0].name)  # type: ignore[attr-defined]
            return caller()

        return once(name, *objects, caller=render_row)

    text = ROWS.render(items=items, once=counting)
    done()
    return text


def test_a_row_is_reused_for_the_same_object_only() -> None:
    fragments, rendered = Fragments(), []
    a, b = Item("a"), Item("b")
    fragments.start(("stamp",))
    assert render(fragments, [a, b], rendered) == "[a][b]"
    assert rendered == ["a", "b"]
    rendered.clear()
    edited = Item("b2")  # the edit's new object, in place of b
    assert render(fragments, [a, edited], rendered) == "[a][b2]"
    assert rendered == ["b2"]
    rendered.clear()
    # an equal object is not the same object: it is rendered (it may be another scenario's)
    assert render(fragments, [Item("a"), edited], rendered) == "[a][b2]"
    assert rendered == ["a"]


def test_another_stamp_renders_every_row_again() -> None:
    fragments, rendered = Fragments(), []
    a = Item("a")
    fragments.start(("templates 1", dt.date(2026, 6, 22)))
    render(fragments, [a], rendered)
    fragments.start(("templates 1", dt.date(2026, 6, 22)))  # equal: kept
    render(fragments, [a], rendered)
    assert rendered == ["a"]
    fragments.start(("templates 1", dt.date(2026, 6, 23)))  # a new day: nothing kept
    render(fragments, [a], rendered)
    assert rendered == ["a", "a"]


def test_a_page_keeps_only_the_rows_of_its_last_render() -> None:
    fragments, rendered = Fragments(), []
    a, b = Item("a"), Item("b")
    fragments.start(("stamp",))
    render(fragments, [a, b], rendered)
    render(fragments, [a], rendered)  # b left the page: its row is dropped
    render(fragments, [a, b], rendered)
    assert rendered == ["a", "b", "b"]


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    catalog, _ = load_catalog([SCENARIOS], as_of=dt.date(2026, 6, 22))
    assert catalog is not None
    return catalog


def _first_with(catalog: Catalog, test: Callable[[Scenario], bool]) -> Scenario:
    return next(s for s in catalog.scenarios if test(s))


EDITS: dict[str, Callable[[Scenario, Catalog], Scenario]] = {
    "title": lambda s, c: dataclasses.replace(s, title="<b>新</b> " + s.title),
    "owner": lambda s, c: dataclasses.replace(
        s, owner=_first_with(c, lambda o: o.owner != s.owner).owner
    ),
    "anomaly": lambda s, c: dataclasses.replace(
        s, anomalies=(dataclasses.replace(s.anomalies[0], problem="新问题 | *x*"),)
    ),
    "sop step": lambda s, c: dataclasses.replace(
        s, sop=(dataclasses.replace(s.sop[0], step="新步骤"), *s.sop[1:])
    ),
    "action status": lambda s, c: dataclasses.replace(
        s, actions=tuple(dataclasses.replace(a, status="done") for a in s.actions)
    ),
    # the dashboard's tiles, decisions and "since the last review" move with it
    "observation": lambda s, c: dataclasses.replace(
        s, metrics=tuple(_fallen(m, c.as_of) for m in s.metrics)
    ),
}


def _fallen(metric: Metric, as_of: dt.date) -> Metric:
    """``metric`` with its latest observation known on ``as_of`` far from its target."""
    known = metric.observations_until(as_of)
    if not known:
        return metric
    worst = 0.0 if metric.direction != "down" else metric.target * 10
    last = dataclasses.replace(known[-1], value=worst)
    return dataclasses.replace(
        metric, observations=tuple(last if o is known[-1] else o for o in metric.observations)
    )


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_roll_ups_with_kept_rows_equal_a_fresh_render(
    shipped: Catalog, edit: str, lang: str
) -> None:
    settings = SiteSettings(lang=lang)
    fragments = Fragments()
    before = rollup_pages(shipped, settings, [], [], fragments=fragments)
    target = _first_with(shipped, lambda s: bool(s.anomalies and s.sop))
    changed = EDITS[edit](target, shipped)
    scenarios = [changed if s is target else s for s in shipped.scenarios]
    catalog = Catalog.build(shipped.team, scenarios, shipped.as_of)
    # as serve builds it: the states of the scenarios the edit left alone kept
    served = Catalog.build(shipped.team, scenarios, shipped.as_of, state_of=keeping_states(shipped))
    assert [served.states[s.id] is shipped.states[s.id] for s in scenarios] == [
        s is not changed for s in scenarios
    ]
    kept = rollup_pages(served, settings, [], [], fragments=fragments)
    fresh = rollup_pages(catalog, settings, [], [])
    assert kept == fresh
    assert kept != before  # the edit shows somewhere, so a stale row would have been seen
    # and back: the first render's rows of the target are gone, the pages are as before
    assert rollup_pages(shipped, settings, [], [], fragments=fragments) == before


def test_the_dashboards_comparisons_are_made_again_for_the_edited_scenario_only(
    shipped: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Serve's memo keeps each scenario's state at the last review and its changes since,
    for the very same scenario objects: after an edit of one, only that one is compared."""
    from opsbook.site import dashboard

    compared: list[str] = []
    original = dashboard.scenario_changes

    def counting(before: ScenarioState, after: ScenarioState) -> ScenarioChanges:
        compared.append(after.scenario.id)
        return original(before, after)

    monkeypatch.setattr(dashboard, "scenario_changes", counting)
    fragments = Fragments()
    fragments.start(("stamp",))
    with fragments.remembering("home") as once:
        first = dashboard.dashboard_context(shipped, once)
    assert len(compared) == len(shipped.scenarios)
    target = _first_with(shipped, lambda s: bool(s.metrics))
    edited = EDITS["observation"](target, shipped)
    catalog = Catalog.build(
        shipped.team, [edited if s is target else s for s in shipped.scenarios], shipped.as_of
    )
    compared.clear()
    with fragments.remembering("home") as once:
        again = dashboard.dashboard_context(catalog, once)
    assert compared == [target.id]
    assert again == dashboard.dashboard_context(catalog)  # as if nothing were kept
    assert again != first


def test_serve_compiles_every_page_template_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    """``load_templates`` (serve, while idle) compiles each page template once: rendering
    one afterwards reads no template source."""
    from opsbook.site.render import environment, load_templates

    env = environment()
    assert env.cache is not None
    env.cache.clear()  # as in a new process: other tests compiled some
    load_templates()

    def no_source(*args: object) -> None:
        raise AssertionError(f"a template read again: {args[1:]}")

    monkeypatch.setattr(env.loader, "get_source", no_source)
    assert set(env.list_templates(extensions=["j2"])) >= {"scenario.md.j2", "dashboard.md.j2"}
    for name in env.list_templates(extensions=["j2"]):
        env.get_template(name)
