"""Which charts there are: a scenario's and the dashboard's, each with its file and text alternative.

The plan is the one place that decides which charts a scenario or the dashboard gets, what
their files are called and what a reader without the picture is told instead. The site's
pages, the review pack and ``serve`` read it; nobody rebuilds a chart's path or parses one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from opsbook.charts.alttext import alt_text
from opsbook.charts.build import (
    alerts_spec,
    cycles_alt,
    cycles_spec,
    funnel_spec,
    group_row,
    group_spec,
    has_funnel,
    targets_spec,
    team_cycles_spec,
    timeline_spec,
    trend_spec,
)
from opsbook.charts.labels import chart_labels
from opsbook.charts.specs import ChartSpec

if TYPE_CHECKING:
    from collections.abc import Mapping

    from opsbook.model import ScenarioState
    from opsbook.model.catalog import Catalog

PORTFOLIO = "portfolio"  # the folder of the dashboard's charts


@dataclass(frozen=True)
class PlannedChart:
    """One chart: whose it is, its kind, its file name, its text alternative and its spec."""

    scenario: str | None  # None: a dashboard chart
    kind: str  # trend, targets, timeline, funnel, cycles, achievement-by-industry, -by-owner,
    # alerts, attainment-by-cycle
    name: str  # the file's name without ".svg": the kind, or "trend-<metric id>"
    alt: str
    spec: ChartSpec

    @property
    def path(self) -> str:
        """Where the chart is published: ``charts/<scenario id | portfolio>/<name>.svg``."""
        return self.spec.path


def chart_path(owner: str, name: str) -> str:
    return f"charts/{owner}/{name}.svg"


def scenario_plan(state: ScenarioState, lang: str) -> list[PlannedChart]:
    """A scenario's charts in reading order: each metric's trend, target vs actual, the
    action timeline, the journey funnel, the attainment by cycle (those with something to
    show: the last only once the scenario has closed a cycle)."""
    labels = chart_labels(lang)
    sid = state.scenario.id

    def planned(kind: str, name: str, alt: str, build: Callable[[str], ChartSpec]) -> PlannedChart:
        spec = build(chart_path(sid, name))
        return PlannedChart(sid, kind, name, alt_text(spec, lang, alt), spec)

    charts = [
        planned("trend", f"trend-{ms.metric.id}", ms.metric.name,
                lambda path, ms=ms: trend_spec(state, ms, labels, path))  # type: ignore[misc]
        for ms in state.metrics
    ]  # fmt: skip
    if state.metrics:
        charts.append(planned("targets", "targets", labels["alt_targets"],
                              lambda path: targets_spec(state, labels, path)))  # fmt: skip
    if state.scenario.actions:
        charts.append(planned("timeline", "timeline", labels["alt_timeline"],
                              lambda path: timeline_spec(state, labels, path)))  # fmt: skip
    if has_funnel(state):
        charts.append(planned("funnel", "funnel", labels["alt_funnel"],
                              lambda path: funnel_spec(state, labels, path)))  # fmt: skip
    if state.scenario.history and state.scenario.core_metrics:
        spec = cycles_spec(state, labels, chart_path(sid, "cycles"))
        charts.append(PlannedChart(sid, "cycles", "cycles", cycles_alt(spec), spec))
    return charts


def portfolio_plan(catalog: Catalog, lang: str) -> list[PlannedChart]:
    """The dashboard's charts: achievement by industry, by owner, the alert counts."""
    labels = chart_labels(lang)
    states = [catalog.state(s.id) for s in catalog.scenarios]
    by_industry: dict[str, list[ScenarioState]] = {}
    by_owner: dict[str, list[ScenarioState]] = {}
    for state in states:
        by_industry.setdefault(state.scenario.industry, []).append(state)
        by_owner.setdefault(state.scenario.owner, []).append(state)
    industry_rows = [
        group_row(labels.get(key, key), group, labels) for key, group in by_industry.items()
    ]
    owner_rows = sorted(  # lowest achievement first: who needs help is on top
        (group_row(catalog.team.name_of(key), group, labels) for key, group in by_owner.items()),
        key=lambda row: (row.mean is None, row.mean or 0.0, row.label),
    )
    return [
        _portfolio("achievement-by-industry", labels["alt_by_industry"],
                   group_spec(chart_path(PORTFOLIO, "achievement-by-industry"),
                              labels["by_industry"], industry_rows, labels), lang),
        _portfolio("achievement-by-owner", labels["alt_by_owner"],
                   group_spec(chart_path(PORTFOLIO, "achievement-by-owner"),
                              labels["by_owner"], owner_rows, labels), lang),
        _portfolio("alerts", labels["alt_alerts"],
                   alerts_spec(states, labels, chart_path(PORTFOLIO, "alerts")), lang),
        *_team_cycles(states, labels),
    ]  # fmt: skip


def _team_cycles(states: list[ScenarioState], labels: Mapping[str, str]) -> list[PlannedChart]:
    """The team's attainment by cycle: only once some scenario has closed a cycle."""
    if not any(state.scenario.history for state in states):
        return []
    spec = team_cycles_spec(states, labels, chart_path(PORTFOLIO, "attainment-by-cycle"))
    # its alternative states every cycle's numbers already
    return [
        PlannedChart(None, "attainment-by-cycle", "attainment-by-cycle", cycles_alt(spec), spec)
    ]


def _portfolio(name: str, alt: str, spec: ChartSpec, lang: str) -> PlannedChart:
    return PlannedChart(None, name, name, alt_text(spec, lang, alt), spec)


def catalog_plan(catalog: Catalog, lang: str) -> list[PlannedChart]:
    """Every chart of the catalog: each scenario's, then the dashboard's."""
    states = [catalog.state(s.id) for s in catalog.scenarios]
    charts = [chart for state in states for chart in scenario_plan(state, lang)]
    return charts + portfolio_plan(catalog, lang)


def specs_of(charts: Sequence[PlannedChart]) -> list[ChartSpec]:
    return [chart.spec for chart in charts]


def scenario_specs(state: ScenarioState, lang: str) -> list[ChartSpec]:
    return specs_of(scenario_plan(state, lang))


def portfolio_specs(catalog: Catalog, lang: str) -> list[ChartSpec]:
    return specs_of(portfolio_plan(catalog, lang))


def catalog_specs(catalog: Catalog, lang: str) -> list[ChartSpec]:
    return specs_of(catalog_plan(catalog, lang))


def by_scenario(charts: Sequence[PlannedChart]) -> Mapping[str | None, list[PlannedChart]]:
    """The charts grouped by scenario id (None: the dashboard's), in plan order."""
    grouped: dict[str | None, list[PlannedChart]] = {}
    for chart in charts:
        grouped.setdefault(chart.scenario, []).append(chart)
    return grouped
