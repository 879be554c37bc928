"""What the dashboard and the person pages show beyond the catalog: the tiles with their change
since the last review, the decisions needed, the site's "since the last review", my work.

The computations are the model's (:mod:`opsbook.model.movement`) and the change engine's
(:func:`opsbook.diff.changes.compare`, shared with the review pack and ``opsbook diff``);
this module only gathers them into the values the templates print.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from opsbook.diff.changes import Changes, ScenarioChanges, compare, scenario_changes
from opsbook.model import (
    DEFAULT_CRITICAL_AT,
    DEFAULT_WARN_AT,
    Action,
    Anomaly,
    MetricState,
    Review,
    Scenario,
    ScenarioState,
    evaluate,
)
from opsbook.model.catalog import Catalog
from opsbook.model.movement import (
    Counts,
    Movement,
    Streak,
    alert_streak,
    count_changes,
    counts,
    due_items,
    latest_review,
    movement,
    previous_review,
)
from opsbook.site.render.fragments import Once, render_every_time

# (field of Counts, label key, css kind, section anchor); rising is worse for all but "due"
TILES: tuple[tuple[str, str, str, str], ...] = (
    ("critical", "critical", "critical", "decisions"),
    ("warning", "warning", "warning", "decisions"),
    ("overdue_actions", "overdue_actions", "overdue", "overdue"),
    ("overdue_anomalies", "overdue_anomalies", "overdue", "overdue"),
    ("due_this_week", "due_this_week", "due", "due"),
)


@dataclass(frozen=True)
class Tile:
    field: str
    label: str  # a label key
    kind: str
    anchor: str
    count: int
    change: int
    rising_is_worse: bool


@dataclass(frozen=True)
class Decision:
    """One alerting scenario: its status metric, how it moved, how long it has fired and the
    latest measures decided in a review."""

    state: ScenarioState
    metric: MetricState
    move: Movement
    streak: Streak | None
    review: Review | None


def previous_catalog(catalog: Catalog, once: Once = render_every_time) -> Catalog:
    """The same scenarios as they stood at the previous weekly review (``once``: see
    :func:`dashboard_context`)."""

    def state_of(scenario: Scenario, day: dt.date) -> ScenarioState:
        return once("before", scenario, caller=lambda: evaluate(scenario, day))

    day = previous_review(catalog.as_of)
    return Catalog.build(catalog.team, catalog.scenarios, day, state_of=state_of)


def tiles(now: Counts, before: Counts) -> list[Tile]:
    changes = count_changes(before, now)
    return [
        Tile(name, label, kind, anchor, getattr(now, name), changes[name], name != "due_this_week")
        for name, label, kind, anchor in TILES
    ]


def decisions(
    catalog: Catalog, before_day: dt.date, once: Once = render_every_time
) -> list[Decision]:
    """Every alerting scenario, critical first, then the lowest achievement (``once``: see
    :func:`dashboard_context`)."""
    rows = [
        once("decision", st.scenario, caller=lambda st=st, ms=ms: _decision(st, ms, before_day))
        for st in catalog.states.values()
        if st.alert.value in ("critical", "warning") and (ms := st.status_metric) is not None
    ]
    return sorted(rows, key=lambda d: (-d.state.alert.rank, d.metric.achievement or 0.0))


def _decision(state: ScenarioState, metric: MetricState, before_day: dt.date) -> Decision:
    return Decision(
        state=state,
        metric=metric,
        move=movement(metric.metric, before_day, state.as_of),
        streak=alert_streak(metric.metric, state.as_of),
        review=latest_review(state.scenario, state.as_of),
    )


def due_rows(states: Iterable[ScenarioState]) -> list[tuple[Any, Action | Anomaly, str]]:
    """(scenario, item, "action" | "anomaly") due in the coming week, by due date."""
    rows = [
        (st.scenario, item, "action" if isinstance(item, Action) else "anomaly")
        for st in states
        for item in due_items(st)
    ]
    return sorted(rows, key=lambda row: row[1].due or dt.date.max)


def dashboard_context(catalog: Catalog, once: Once = render_every_time) -> dict[str, Any]:
    """The dashboard's values: tiles, decisions, due items and the changes since last review.
    ``once``: serve's memo (see :mod:`opsbook.site.render.fragments`, whose stamp holds the
    as-of date), so that after an edit only the edited scenarios are compared again."""

    def compare_scenario(before: ScenarioState, after: ScenarioState) -> ScenarioChanges:
        return once("changes", after.scenario, caller=lambda: scenario_changes(before, after))

    before = previous_catalog(catalog, once)
    changes: Changes = compare(before, catalog, compare_scenario=compare_scenario)
    return {
        "previous": before.as_of,
        "tiles": tiles(counts(catalog.states.values()), counts(before.states.values())),
        "decisions": decisions(catalog, before.as_of, once),
        "due_rows": due_rows(catalog.states.values()),
        "since": [c for c in changes.scenarios if _material(c)],
        "warn_at": DEFAULT_WARN_AT,
        "critical_at": DEFAULT_CRITICAL_AT,
    }


def _material(change: ScenarioChanges) -> bool:
    """Whether a scenario's changes touch what the meeting acts on: a level, an alert, a
    status, an overdue anomaly, an anomaly opened or closed. A value that moved without
    changing its alert shows in the scenario's T3 table instead: on the home page, a
    thousand scenarios' every number would bury the decisions."""
    return bool(
        change.alert
        or any(m.alert.before != m.alert.after for m in change.metrics_changed)
        or any(a.status.before != a.status.after for a in change.actions_changed)
        or any(item.kind == "anomaly" for item in change.new_overdue)
        or change.anomalies_opened
        or change.anomalies_closed
    )


def metric_movements(state: ScenarioState) -> dict[str, tuple[Movement, Streak | None]]:
    """Each metric's change since the previous review and its firing alert, by metric id."""
    before_day = previous_review(state.as_of)
    return {
        ms.metric.id: (
            movement(ms.metric, before_day, state.as_of),
            alert_streak(ms.metric, state.as_of),
        )
        for ms in state.metrics
    }


@dataclass(frozen=True)
class WorkItem:
    """An action or anomaly someone owns, with where it stands on the as-of date."""

    scenario: Any
    item: Action | Anomaly
    kind: str  # "action" | "anomaly"
    overdue: bool
    due_soon: bool
    finished: bool  # an action done, an anomaly closed


def _work_item(st: ScenarioState, item: Action | Anomaly) -> WorkItem:
    kind = "action" if isinstance(item, Action) else "anomaly"
    soon = item in due_items(st)
    finished = item.status == "done" if isinstance(item, Action) else not item.is_open(st.as_of)
    return WorkItem(st.scenario, item, kind, item.is_overdue(st.as_of), soon, finished)


def my_work(pid: str, states: Iterable[ScenarioState]) -> list[WorkItem]:
    """The actions and anomalies ``pid`` owns that are still open: overdue first (oldest due
    date first), then due this week, then the rest by due date; done and closed items last."""
    items = [
        _work_item(st, item)
        for st in states
        for item in (*st.scenario.actions, *st.scenario.anomalies)
        if item.owner == pid
    ]
    return sorted(items, key=_urgency)


def _urgency(w: WorkItem) -> tuple[int, dt.date]:
    rank = 0 if w.overdue else 1 if w.due_soon else 3 if w.finished else 2
    return rank, w.item.due or dt.date.max
