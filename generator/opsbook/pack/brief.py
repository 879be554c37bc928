"""The brief: what the 60-minute review meeting reads, computed from the data and worded.

Three key messages for the cover (the worst alert, what is overdue, the biggest move since
the last review), the decisions needed (every alerting core metric with the scenario owner
who acts and the latest measure from the reviews), what is overdue or due this week, and one
page per scenario whose headline states its point in one sentence. Like
:mod:`opsbook.pack.content`, everything is plain data, already worded: the template lays it
out and never picks a word.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from opsbook.i18n.numerals import change as signed_change
from opsbook.i18n.vocabulary import PHRASES
from opsbook.model import Alert, MetricState, Scenario, ScenarioState, Team
from opsbook.model.catalog import Catalog
from opsbook.model.evaluate import metric_state
from opsbook.model.movement import alert_streak
from opsbook.pack import formatting as fmt
from opsbook.pack.labels import enum_label, label

Data = dict[str, Any]
ChartKeys = Mapping[tuple[str | None, str], str]
WEEK = 7  # "due this week": the as-of date and the six days after it
ALERTING = (Alert.CRITICAL, Alert.WARNING)


def build_brief(
    states: Sequence[ScenarioState], team: Team, lang: str, previous: Catalog | None,
    charts: ChartKeys,
) -> Data:  # fmt: skip
    """The brief's content; ``previous``: the catalog of the last review (None: a week ago)."""
    moves = [m for s in states for m in _moves(s, previous)]
    return {
        "messages": [
            _worst_alert_message(states, lang),
            _overdue_message(states, lang),
            _move_message(moves, lang),
        ],
        "decisions": [_decision(s, m, team, lang) for s, m in _alerting(states)],
        "due": [
            row for _, row in _in_due_order(r for s in states for r in _due_rows(s, team, lang))
        ],
        "pages": [_page(s, team, lang, charts) for s in states],
    }


# ---------------------------------------------------------------- decisions


def _alerting(states: Sequence[ScenarioState]) -> list[tuple[ScenarioState, MetricState]]:
    """Every alerting core metric, worst first: critical before warning, lowest achievement
    first, then in the order of the scenarios."""
    found = [
        (s, m) for s in states for m in s.metrics if m.metric.core and m.alert in ALERTING
    ]  # fmt: skip
    return sorted(found, key=lambda item: (-item[1].alert.rank, item[1].achievement or 0.0))


def _decision(state: ScenarioState, metric: MetricState, team: Team, lang: str) -> Data:
    return {
        "id": state.scenario.id,
        "scenario": state.scenario.title,
        "metric": metric.metric.name,
        "actual": _actual(metric),
        "target": fmt.target(metric.metric),
        "achievement": fmt.percent(metric.achievement),
        "alert": _pill(metric.alert, lang),
        "firing": firing(metric, state.as_of, lang),
        "owner": fmt.person(team, state.scenario.owner),
        "data_owner": fmt.person(team, metric.metric.owner),
        "measure": _latest_measure(state.scenario) or "—",
    }


def _latest_measure(scenario: Scenario) -> str | None:
    """The first measure of the most recent review that has one."""
    for review in sorted(scenario.reviews, key=lambda r: r.end, reverse=True):
        if review.measures:
            return review.measures[0]
    return None


# ---------------------------------------------------------------- overdue and due this week


@dataclass(frozen=True, order=True)
class _Item:
    """An action or anomaly with a due date, in the order the list shows them."""

    days_left: int  # negative: overdue by that many days; most overdue first
    scenario: str
    text: str
    kind: str  # "action" or "anomaly"
    owner: str | None


def _due_items(state: ScenarioState) -> list[_Item]:
    as_of = state.as_of
    title = state.scenario.title
    items = [
        _Item((a.due - as_of).days, title, a.action, "action", a.owner)
        for a in state.scenario.actions
        if a.due is not None and a.status != "done" and (a.due - as_of).days < WEEK
    ]
    items += [
        _Item((a.due - as_of).days, title, a.problem, "anomaly", a.owner)
        for a in state.scenario.anomalies
        if a.is_open(as_of) and (a.due - as_of).days < WEEK
    ]
    return items


def _due_rows(state: ScenarioState, team: Team, lang: str) -> list[tuple[_Item, Data]]:
    return [(item, _due_row(item, state, team, lang)) for item in _due_items(state)]


def _in_due_order(rows: Iterable[tuple[_Item, Data]]) -> list[tuple[_Item, Data]]:
    """Most overdue first; equal items (a generated corpus repeats them) keep their order."""
    return sorted(rows, key=lambda pair: pair[0])


def _due_row(item: _Item, state: ScenarioState, team: Team, lang: str) -> Data:
    due = state.as_of + dt.timedelta(days=item.days_left)
    overdue = item.days_left < 0
    return {
        "id": state.scenario.id,
        "scenario": item.scenario,
        "kind": label(f"kind-{item.kind}", lang),
        "item": item.text,
        "owner": fmt.person(team, item.owner),
        "due": fmt.date(due),
        "status": {
            "code": "overdue" if overdue else "due-soon",
            "label": enum_label("action-status", "overdue", lang)
            if overdue
            else label("due-this-week", lang),
        },
        "late": _when(item.days_left, due, lang),
    }


def _when(days_left: int, due: dt.date, lang: str) -> str:
    if days_left < 0:
        return label("overdue-by", lang, days=-days_left, due=fmt.date(due))
    if days_left == 0:
        return label("due-today", lang)
    return label("due-in", lang, days=days_left)


# ---------------------------------------------------------------- key messages


def _worst_alert_message(states: Sequence[ScenarioState], lang: str) -> Data:
    alerting = _alerting(states)
    if not alerting:
        return {"code": "ok", "text": label("message-no-alert", lang)}
    state, metric = alerting[0]
    text = label(
        "message-worst-alert", lang, scenario=state.scenario.title, metric=metric.metric.name,
        actual=_actual(metric), target=fmt.target(metric.metric),
        achievement=fmt.percent(metric.achievement),
        level=enum_label("alert", metric.alert.value, lang),
    )  # fmt: skip
    return {"code": metric.alert.value, "text": text}


def _overdue_message(states: Sequence[ScenarioState], lang: str) -> Data:
    actions = sum(len(s.overdue_actions) for s in states)
    anomalies = sum(len(s.overdue_anomalies) for s in states)
    if actions + anomalies == 0:
        return {"code": "ok", "text": label("message-no-overdue", lang)}
    oldest = max(
        [(s.as_of - a.due).days for s in states for a in s.overdue_actions if a.due]
        + [(s.as_of - a.due).days for s in states for a in s.overdue_anomalies]
    )
    text = label(
        "message-overdue", lang, count=actions + anomalies, actions=actions,
        anomalies=anomalies, days=oldest,
    )  # fmt: skip
    return {"code": "overdue", "text": text}


@dataclass(frozen=True)
class _Move:
    scenario: str
    before: MetricState
    after: MetricState

    @property
    def points(self) -> float:
        """The change of achievement, in percentage points."""
        return round(((self.after.achievement or 0.0) - (self.before.achievement or 0.0)) * 100, 1)


def _moves(state: ScenarioState, previous: Catalog | None) -> list[_Move]:
    """The core metrics whose achievement changed since the last review."""
    before = _previous_metrics(state, previous)
    moves = [
        _Move(state.scenario.title, before[m.metric.id], m)
        for m in state.metrics
        if m.metric.core and m.metric.id in before
    ]
    return [m for m in moves if m.before.achievement is not None and m.after.achievement is not None
            and m.points != 0]  # fmt: skip


def _previous_metrics(state: ScenarioState, previous: Catalog | None) -> dict[str, MetricState]:
    if previous is None:
        day = state.as_of - dt.timedelta(days=WEEK)
        scenario = state.scenario
        return {m.id: metric_state(m, scenario.cycle, day) for m in scenario.metrics}
    if state.scenario.id not in {s.id for s in previous.scenarios}:
        return {}
    return {m.metric.id: m for m in previous.state(state.scenario.id).metrics}


def _move_message(moves: Sequence[_Move], lang: str) -> Data:
    if not moves:
        return {"code": "ok", "text": label("message-no-move", lang)}
    move = max(moves, key=lambda m: abs(m.points))  # the first of equals: the scenario order
    text = label(
        "message-move", lang, scenario=move.scenario, metric=move.after.metric.name,
        before=_actual(move.before), after=_actual(move.after),
        points=signed_change(move.points, "%", lang),
    )  # fmt: skip
    return {"code": "up" if move.points > 0 else "down", "text": text}


# ---------------------------------------------------------------- one page per scenario


def _page(state: ScenarioState, team: Team, lang: str, charts: ChartKeys) -> Data:
    scenario = state.scenario
    items = _in_due_order(_due_rows(state, team, lang))
    return {
        "id": scenario.id,
        "title": scenario.title,
        "header": fmt.shorten(scenario.title, 56),
        "owner": fmt.person(team, scenario.owner),
        "alert": _pill(state.alert, lang),
        "headline": headline(state, lang),
        "trends": [
            charts[key]
            for m in state.metrics
            if m.metric.core and (key := (scenario.id, f"trend-{m.metric.id}")) in charts
        ],
        "metrics": [_metric_row(m, state.as_of, lang) for m in state.metrics],
        "anomalies": [_open_anomaly(a, state, team, lang) for a in state.open_anomalies],
        "actions": [row for _, row in items if row["kind"] == label("kind-action", lang)],
        "review": _latest_review(scenario, team, lang),
    }


def firing(metric: MetricState, as_of: dt.date, lang: str) -> str:
    """How long the metric's alert has fired, as the site says it: ``严重第 3 周 · 06-07 起``;
    empty when it is not alerting."""
    streak = alert_streak(metric.metric, as_of)
    if streak is None:
        return ""
    key = "alert-week-1" if streak.week == 1 else "alert-weeks"
    return PHRASES[key].get(lang).format(
        level=enum_label("alert", streak.level.value, lang), weeks=streak.week,
        since=streak.since.strftime("%m-%d"),
    )  # fmt: skip


def _metric_row(metric: MetricState, as_of: dt.date, lang: str) -> Data:
    return {
        "name": metric.metric.name,
        "core": metric.metric.core,
        "target": fmt.target(metric.metric),
        "actual": _actual(metric),
        "achievement": fmt.percent(metric.achievement),
        "alert": _pill(metric.alert, lang),
        "firing": firing(metric, as_of, lang),
        "cause": metric.cause or "",
    }


def _latest_review(scenario: Scenario, team: Team, lang: str) -> Data | None:
    """The most recent review: what the meeting decided last time."""
    if not scenario.reviews:
        return None
    review = max(scenario.reviews, key=lambda r: r.end)
    kind = label("weekly-review" if review.kind == "weekly" else "cycle-review", lang)
    return {
        "title": f"{label('latest-review', lang)} · {fmt.span(review.start, review.end)} · {kind}",
        "attainment": review.attainment,
        "problems": list(review.problems),
        "measures": list(review.measures),
        "owner": fmt.person(team, review.owner),
    }


def _open_anomaly(anomaly: Any, state: ScenarioState, team: Team, lang: str) -> Data:
    overdue = anomaly.is_overdue(state.as_of)
    code = "overdue" if overdue else anomaly.status
    return {
        "problem": anomaly.problem,
        "fix": anomaly.fix,
        "owner": fmt.person(team, anomaly.owner),
        "due": fmt.date(anomaly.due),
        "status": {"code": code, "label": enum_label("anomaly-status", code, lang)},
        "late": _when((anomaly.due - state.as_of).days, anomaly.due, lang) if overdue else "",
    }


def headline(state: ScenarioState, lang: str) -> str:
    """The page's point in one sentence: the headline metric against its target and its
    run, the metric that sets an alert with its level, and the latest measure."""
    parts = []
    lead = state.headline
    if lead is not None:
        parts.append(_metric_clause(lead, state, lang, with_target=True))
    cause = state.status_metric
    if cause is not None and cause.alert in ALERTING and cause is not lead:
        parts.append(_metric_clause(cause, state, lang, with_target=False))
    sentence = label("clause-separator", lang).join(parts) or label("no-metrics", lang)
    measure = _latest_measure(state.scenario)
    if measure and state.alert in ALERTING:
        sentence += label("then-measure", lang, measure=measure)
    return sentence


def _metric_clause(
    metric: MetricState, state: ScenarioState, lang: str, *, with_target: bool
) -> str:
    """``新人券核销率 29.5% 严重（目标 40%），连降 2 周`` or
    ``coupon redemption 29.5% (Critical, target 40%), down 2 weeks running``."""
    level = enum_label("alert", metric.alert.value, lang) if metric.alert in ALERTING else ""
    target = _plain_target(metric) if with_target else ""
    aside = [label("target-aside", lang, target=target)] if target else []
    if level and lang != "zh-CN":  # English puts the level in the brackets too
        aside.insert(0, level)
    clause = f"{metric.metric.name} {_actual(metric)}"
    if level and lang == "zh-CN":
        clause += f" {level}"
    if aside:
        clause += label("aside", lang, items=label("aside-separator", lang).join(aside))
    return clause + _run_words(metric, state, lang)


def _run_words(metric: MetricState, state: ScenarioState, lang: str) -> str:
    """``，连升 3 周``; for a lower-is-better metric with its verdict, ``，连降 3 周（向好）``,
    since a falling refund rate is good news that "down" alone would not tell."""
    run, weekly = _run(metric, state)
    if not run:
        return ""
    unit = "weeks" if weekly else "readings"
    words = label(f"run-{'up' if run > 0 else 'down'}-{unit}", lang, count=abs(run))
    if metric.metric.direction == "down":
        words += label("run-improving" if run < 0 else "run-worsening", lang)
    return words


def _plain_target(metric: MetricState) -> str:
    """``20%`` for higher-is-better (the usual case reads best bare), ``≤ 8%`` otherwise."""
    if metric.metric.direction == "up":
        return fmt.with_unit(metric.metric.target, metric.metric.unit)
    return fmt.target(metric.metric)


def _run(metric: MetricState, state: ScenarioState) -> tuple[int, bool]:
    """How many readings in a row the value rose (positive) or fell (negative), up to the
    latest reading on the as-of date, and whether those readings are a week apart (then the
    run is in weeks). 0 when the last reading did not move or the run is a single step: one
    rise is a change, not a run."""
    known = metric.metric.observations_until(state.as_of)
    steps = [(b.value - a.value, (b.date - a.date).days) for a, b in itertools.pairwise(known)]
    if not steps or steps[-1][0] == 0:
        return 0, False
    rising = steps[-1][0] > 0
    run = list(itertools.takewhile(lambda step: step[0] != 0 and (step[0] > 0) == rising,
                                   reversed(steps)))  # fmt: skip
    if len(run) < 2:
        return 0, False
    weekly = all(days == WEEK for _, days in run)
    return (len(run) if rising else -len(run)), weekly


def _actual(metric: MetricState) -> str:
    return "—" if metric.actual is None else fmt.with_unit(metric.actual, metric.metric.unit)


def _pill(alert: Alert, lang: str) -> Data:
    return {"code": alert.value, "label": enum_label("alert", alert.value, lang)}
