"""The pack's content as plain data: what the Typst template prints, already worded.

Everything here is a JSON-able dict of strings, numbers and lists. The template only lays
it out; it never formats a number or picks a word, so the pack says exactly what the site
says, and user text reaches Typst as data (a string value), never as markup.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from opsbook.i18n.vocabulary import PHRASES
from opsbook.model import (
    Action,
    Alert,
    Anomaly,
    MetricAttainment,
    MetricState,
    Review,
    Scenario,
    ScenarioState,
    SopStep,
    Team,
)
from opsbook.model.catalog import Catalog
from opsbook.model.values import DEFAULT_CRITICAL_AT, DEFAULT_WARN_AT
from opsbook.pack import formatting as fmt
from opsbook.pack.brief import build_brief
from opsbook.pack.labels import LABELS, enum_label, label
from opsbook.pack.selection import Period, Selection

if TYPE_CHECKING:
    from opsbook.charts.plan import PlannedChart

Data = dict[str, Any]
# Where a chart goes: (scenario id, or None for the dashboard's; the chart's name) → its key.
ChartKeys = Mapping[tuple[str | None, str], str]
# The dashboard's charts of the selected scenarios: alerts on the cover, these in the summary.
SUMMARY_CHARTS = ("achievement-by-industry", "achievement-by-owner")


def chart_keys(charts: Iterable[PlannedChart]) -> ChartKeys:
    """The charts drawn for the pack (see ``opsbook.charts.plan``), by owner and name."""
    return {(chart.scenario, chart.name): chart.path for chart in charts}


def build_content(
    catalog: Catalog,
    scenarios: Sequence[Scenario],
    *,
    lang: str,
    title: str | None,
    period: Period | None,
    selection: Selection,
    since: Data | None,
    charts: Iterable[PlannedChart],
    previous: Catalog | None = None,
    full: bool = False,
) -> Data:
    """The whole pack: cover, the brief (decisions, overdue and due, one page per scenario),
    summary, "since the last review", and with ``full`` one full section per scenario as an
    appendix; ``charts``: the charts drawn for it; ``previous``: the last review's catalog."""
    keys = chart_keys(charts)
    states = [catalog.state(s.id) for s in scenarios]
    return {
        "lang": lang,
        "full": full,
        "brief": build_brief(states, catalog.team, lang, previous, keys),
        "labels": _labels(lang),
        "cover": _cover(catalog, states, lang, title, period, selection, keys),
        "summary": [_summary_row(s, catalog.team, lang) for s in _worst_first(states)],
        "portfolio": [keys[None, name] for name in SUMMARY_CHARTS if (None, name) in keys],
        "since": since,
        "scenarios": [
            _scenario(s, catalog.team, lang, keys) if full else _identity(s, catalog.team, lang)
            for s in states
        ],
    }


def printed_charts(content: Data) -> set[str]:
    """The charts the template prints, by key: the brief's trends, and with the appendix
    (``full``) the summary's portfolio charts and every chart of every full record. Only
    these are drawn (the brief alone prints only the core metrics' trends)."""
    keys = {key for page in content["brief"]["pages"] for key in page["trends"]}
    if content["full"]:
        keys.update(content["portfolio"])
        for scenario in content["scenarios"]:
            keys.update(scenario["charts"].values())
            keys.update(metric["chart"] for metric in scenario["metrics"])
            keys.add((scenario["history"] or {}).get("chart"))
    keys.discard(None)
    return keys


def _labels(lang: str) -> dict[str, str]:
    """The template's words; the summary's intro also states the threshold edge, as the
    site's dashboard does, since the summary is where the pack shows every level."""
    labels = {key: text.get(lang) for key, text in LABELS.items()}
    edge = (
        PHRASES["threshold-edge"]
        .get(lang)
        .format(warn=fmt.percent(DEFAULT_WARN_AT), critical=fmt.percent(DEFAULT_CRITICAL_AT))
    )
    labels["summary-intro"] += " " + edge
    return labels


def _worst_first(states: Sequence[ScenarioState]) -> list[ScenarioState]:
    return sorted(states, key=lambda s: (-s.alert.rank, -s.overdue_count))


def _cover(
    catalog: Catalog,
    states: Sequence[ScenarioState],
    lang: str,
    title: str | None,
    period: Period | None,
    selection: Selection,
    charts: ChartKeys,
) -> Data:
    alerts = Counter(s.alert for s in states)
    if period is None:
        period = Period(
            min(s.scenario.cycle.start for s in states), max(s.scenario.cycle.end for s in states)
        )
    return {
        "team": catalog.team.name,
        "team_description": catalog.team.description or "",
        "title": title or label("default-title", lang),
        "header": fmt.shorten(f"{catalog.team.name} · {title or label('default-title', lang)}", 64),
        "period": fmt.span(period.start, period.end),
        "as_of": fmt.date(catalog.as_of),
        "count": len(states),
        "alerts": [
            {"code": a.value, "label": enum_label("alert", a.value, lang), "count": alerts[a]}
            for a in (Alert.CRITICAL, Alert.WARNING, Alert.NO_DATA, Alert.OK)
        ],
        "overdue": sum(s.overdue_count for s in states),
        "open_anomalies": sum(len(s.open_anomalies) for s in states),
        "selection": _describe_selection(selection, lang),
        "chart": charts.get((None, "alerts")),
    }


def _describe_selection(selection: Selection, lang: str) -> str:
    """The filters the pack was made with, e.g. "Industry: SaaS · Tags: renewal"."""
    parts = []
    named = (
        ("industry", [enum_label("industry", i, lang) for i in selection.industries]),
        ("module", list(selection.modules)),
        ("owner", list(selection.owners)),
        ("tags", list(selection.tags)),
        ("scenario", list(selection.ids)),
    )
    for key, values in named:
        if values:
            colon = "：" if lang == "zh-CN" else ": "
            parts.append(f"{label(key, lang)}{colon}{fmt.join(values, lang)}")
    return " · ".join(parts)


def _summary_row(state: ScenarioState, team: Team, lang: str) -> Data:
    headline = state.status_metric
    return {
        "id": state.scenario.id,
        "title": state.scenario.title,
        "owner": fmt.person(team, state.scenario.owner),
        "metric": headline.metric.name if headline else "—",
        "target": fmt.target(headline.metric) if headline else "—",
        "actual": _actual(headline) if headline else "—",
        "achievement": fmt.percent(headline.achievement) if headline else "—",
        "alert": _alert(state.alert, lang),
        "overdue": state.overdue_count,
    }


def _alert(alert: Alert, lang: str) -> Data:
    return {"code": alert.value, "label": enum_label("alert", alert.value, lang)}


def _actual(state: MetricState) -> str:
    if state.actual is None:
        return "—"
    return fmt.with_unit(state.actual, state.metric.unit)


def _identity(state: ScenarioState, team: Team, lang: str) -> Data:
    """What the brief prints of a scenario beyond its page (its identity card): the full
    record is built for the appendix only, and Typst then parses a third of the data."""
    scenario = state.scenario
    return {
        "id": scenario.id,
        "title": scenario.title,
        "group": enum_label("industry", scenario.industry, lang),
        "facts": _facts(scenario, team, lang),
    }


def _scenario(state: ScenarioState, team: Team, lang: str, charts: ChartKeys) -> Data:
    scenario = state.scenario

    def chart(name: str) -> str | None:
        return charts.get((scenario.id, name))

    return {
        "id": scenario.id,
        "title": scenario.title,
        "header": fmt.shorten(scenario.title, 56),
        "group": enum_label("industry", scenario.industry, lang),
        "summary": scenario.summary or "",
        "facts": _facts(scenario, team, lang),
        "alert": _alert(state.alert, lang),
        "achievement": fmt.percent(state.status_metric.achievement) if state.status_metric else "—",
        "status_metric": state.status_metric.metric.name if state.status_metric else "—",
        "overdue": state.overdue_count,
        "open_anomalies": len(state.open_anomalies),
        "needs": _needs(state, lang),
        "actions": [_action(a, state, team, lang) for a in scenario.actions],
        "metrics": [_metric(m, team, lang, chart(f"trend-{m.metric.id}")) for m in state.metrics],
        "anomalies": [_anomaly(a, state, team, lang) for a in scenario.anomalies],
        "reviews": [_review(r, team, lang) for r in scenario.reviews],
        "sop": [_sop_step(step) for step in scenario.sop],
        "charts": {name: chart(name) for name in ("funnel", "timeline", "targets")},
        "history": _history(scenario, lang, chart("cycles")),
    }


def _facts(scenario: Scenario, team: Team, lang: str) -> list[list[str]]:
    """The scenario's identity card: label/value pairs under its title."""
    facts = [
        [label("industry", lang), enum_label("industry", scenario.industry, lang)],
        [label("module", lang), team.module_name(scenario.module, lang)],
        [label("owner", lang), fmt.person(team, scenario.owner)],
        [label("cycle", lang), fmt.span(scenario.cycle.start, scenario.cycle.end)],
        [label("cadence", lang), enum_label("repeat", scenario.cycle.cadence, lang)],
        [label("status", lang), enum_label("scenario-status", scenario.status, lang)],
    ]
    if scenario.tags:
        facts.append([label("tags", lang), fmt.join(scenario.tags, lang)])
    return facts


def _needs(state: ScenarioState, lang: str) -> list[list[Any]]:
    """Template 1 as label/value rows; list values stay lists (printed as bullets)."""
    needs = state.scenario.needs
    criteria = [
        m.metric.name for mid in needs.success_criteria if (m := state.metric(mid)) is not None
    ]
    journey = [
        f"{stage.name}" + (f" ({fmt.number(stage.value)})" if stage.value is not None else "")
        for stage in needs.journey
    ]
    rows: list[list[Any]] = [
        [label("business-goal", lang), needs.business_goal],
        [label("goal", lang), needs.goal],
        [label("user-group", lang), needs.user_group],
        [label("pain-point", lang), needs.pain_point],
    ]
    if needs.insights:
        rows.append([label("insights", lang), list(needs.insights)])
    if journey:
        rows.append([label("journey", lang), " → ".join(journey)])
    rows.append([label("success-criteria", lang), fmt.join(criteria, lang) or "—"])
    return rows


def _action(action: Action, state: ScenarioState, team: Team, lang: str) -> Data:
    status = action.effective_status(state.as_of)
    late = ""
    if action.is_overdue(state.as_of) and action.due is not None:
        late = label(
            "overdue-by", lang, days=(state.as_of - action.due).days, due=fmt.date(action.due)
        )
    return {
        "strategy": action.strategy,
        "action": action.action,
        "owner": fmt.person(team, action.owner),
        "due": fmt.due(action.due, action.repeat, lang),
        "resources": fmt.resources(action.resources, lang),
        "standard": action.standard,
        "status": {"code": status, "label": enum_label("action-status", status, lang)},
        "late": late,
        "carried": label("carried-from", lang, date=fmt.date(action.carried_from))
        if action.carried_from
        else "",
    }


def _metric(state: MetricState, team: Team, lang: str, chart: str | None) -> Data:
    metric = state.metric
    return {
        "id": metric.id,
        "name": metric.name,
        "core": metric.core,
        "target": fmt.target(metric),
        "actual": _actual(state),
        "achievement": fmt.percent(state.achievement),
        "alert": _alert(state.alert, lang),
        "stale": state.stale,
        "cause": state.cause or "",
        "owner": fmt.person(team, metric.owner),
        "updated": fmt.date(state.updated),
        "baseline": fmt.with_unit(metric.baseline, metric.unit) if metric.baseline else "",
        "source": _source(metric.source.kind, metric.source.system, lang),
        "chart": chart,
    }


def _source(kind: str, system: str | None, lang: str) -> str:
    name = enum_label("source-kind", kind, lang)
    return f"{system} ({name})" if system else name


def _anomaly(anomaly: Anomaly, state: ScenarioState, team: Team, lang: str) -> Data:
    overdue = anomaly.is_overdue(state.as_of)
    return {
        "found": fmt.date(anomaly.found),
        "problem": anomaly.problem,
        "cause": anomaly.cause,
        "fix": anomaly.fix,
        "owner": fmt.person(team, anomaly.owner),
        "due": fmt.date(anomaly.due),
        "status": {
            "code": "overdue" if overdue else anomaly.status,
            "label": enum_label("anomaly-status", anomaly.status, lang),
        },
        "late": label(
            "overdue-by", lang, days=(state.as_of - anomaly.due).days, due=fmt.date(anomaly.due)
        )
        if overdue
        else "",
    }


def _review(review: Review, team: Team, lang: str) -> Data:
    kind = label("weekly-review" if review.kind == "weekly" else "cycle-review", lang)
    return {
        "period": fmt.span(review.start, review.end),
        "kind": kind,
        "attainment": review.attainment,
        "worked": list(review.worked),
        "problems": list(review.problems),
        "measures": list(review.measures),
        "owner": fmt.person(team, review.owner),
    }


def _history(scenario: Scenario, lang: str, chart: str | None) -> Data | None:
    """The earlier cycles: each one's dates, core-metric attainment and cycle review's
    attainment, with the attainment-by-cycle chart; None when no cycle was closed yet."""
    if not scenario.history:
        return None
    rows = [
        {
            "period": fmt.span(closed.start, closed.end),
            "attainment": [_attainment(a, scenario, lang) for a in closed.attainment],
            "review": closed.review.attainment if closed.review else "—",
        }
        for closed in scenario.history
    ]
    return {"rows": rows, "chart": chart}


def _attainment(attainment: MetricAttainment, scenario: Scenario, lang: str) -> str:
    metric = scenario.metric(attainment.metric)
    unit = metric.unit if metric else ""
    actual = fmt.with_unit(attainment.actual, unit) if attainment.actual is not None else "—"
    rate = attainment.achievement
    return label(
        "history-metric", lang, name=metric.name if metric else attainment.metric, actual=actual,
        target=fmt.with_unit(attainment.target, unit),
        rate=fmt.percent(rate / 100) if rate is not None else "—",
    )  # fmt: skip


def _sop_step(step: SopStep) -> Data:
    return {
        "step": step.step,
        "standard": step.standard or "",
        "role": step.role or "",
        "tool": step.tool or "",
    }


def all_texts(data: Any) -> list[str]:
    """Every string in the content, for the font coverage check."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, Mapping):
        return [t for value in data.values() for t in all_texts(value)]
    if isinstance(data, list | tuple):
        return [t for value in data for t in all_texts(value)]
    return []
