"""Movement since the last review: a metric's change, and how long an alert has been firing.

The weekly review (step 4.3 of the method) looks back one week, so "the previous review" is
the as-of date a week earlier; the site, the review pack and the dashboard tiles all compare
against that same date. Pure functions of the model and explicit dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from opsbook.model.evaluate import ScenarioState, alert_level, due_between
from opsbook.model.values import Action, Alert, Anomaly, Metric, Review, Scenario

REVIEW_DAYS = 7  # a weekly review looks back one week


def previous_review(as_of: dt.date, days: int = REVIEW_DAYS) -> dt.date:
    """The as-of date of the review before the one on ``as_of``."""
    return as_of - dt.timedelta(days=days)


@dataclass(frozen=True)
class Movement:
    """A metric's latest value on two dates and what the change means.

    ``delta`` is after − before in the metric's unit (``None`` when either side has no
    value); ``better`` is True when the change moves towards the target's good side
    (up for higher-is-better, down for lower-is-better), False when away, None when flat
    or unknown.
    """

    before: float | None
    after: float | None
    delta: float | None
    better: bool | None


def latest_value(metric: Metric, day: dt.date) -> float | None:
    known = metric.observations_until(day)
    return known[-1].value if known else None


def movement(metric: Metric, before_day: dt.date, as_of: dt.date) -> Movement:
    """The change of ``metric``'s latest value between ``before_day`` and ``as_of``."""
    before, after = latest_value(metric, before_day), latest_value(metric, as_of)
    if before is None or after is None:
        return Movement(before, after, None, None)
    delta = round(after - before, 9)  # 0.3 - 0.1 must not print as 0.19999…
    if delta == 0:
        return Movement(before, after, 0.0, None)
    rising = delta > 0
    return Movement(before, after, delta, rising == (metric.direction == "up"))


@dataclass(frozen=True)
class Streak:
    """An alert that is firing: its level, the first day of the run of observations at
    that level or worse, and which week of the run the as-of date falls in (1 = the first)."""

    level: Alert
    since: dt.date
    week: int


def alert_streak(metric: Metric, as_of: dt.date) -> Streak | None:
    """How long the metric's current alert has been firing, from its observations: the
    latest run of observations at the current level or worse. ``None`` when on track or
    without data."""
    known = metric.observations_until(as_of)
    if not known:
        return None
    level = alert_level(metric, known[-1].value)
    if level not in (Alert.WARNING, Alert.CRITICAL):
        return None
    since = known[-1].date
    for observation in reversed(known):
        if alert_level(metric, observation.value).rank < level.rank:
            break
        since = observation.date
    return Streak(level, since, (as_of - since).days // 7 + 1)


def week_window(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """ "This week" from the as-of date: the seven days starting there."""
    return as_of, as_of + dt.timedelta(days=6)


@dataclass(frozen=True)
class Counts:
    """What the dashboard's tiles count on one as-of date: scenarios at each alert level,
    overdue actions and anomalies, and actions and open anomalies due in the coming week."""

    critical: int
    warning: int
    overdue_actions: int
    overdue_anomalies: int
    due_this_week: int


def due_items(state: ScenarioState) -> tuple[Action | Anomaly, ...]:
    """A scenario's actions (not done) and open anomalies due in the week from its as-of date."""
    start, end = week_window(state.as_of)
    actions = tuple(due_between(state.scenario, start, end))
    anomalies = tuple(a for a in state.open_anomalies if start <= a.due <= end)
    return actions + anomalies


def counts(states: Iterable[ScenarioState]) -> Counts:
    states = tuple(states)
    return Counts(
        critical=sum(st.alert is Alert.CRITICAL for st in states),
        warning=sum(st.alert is Alert.WARNING for st in states),
        overdue_actions=sum(len(st.overdue_actions) for st in states),
        overdue_anomalies=sum(len(st.overdue_anomalies) for st in states),
        due_this_week=sum(len(due_items(st)) for st in states),
    )


def count_changes(before: Counts, after: Counts) -> dict[str, int]:
    """Each tile's change, by field name: after − before."""
    return {name: getattr(after, name) - getattr(before, name) for name in Counts.__annotations__}


def latest_review(scenario: Scenario, as_of: dt.date) -> Review | None:
    """The review that ended last on or before the as-of date (the latest measures)."""
    done = [r for r in scenario.reviews if r.end <= as_of]
    return max(done, key=lambda r: r.end) if done else None
