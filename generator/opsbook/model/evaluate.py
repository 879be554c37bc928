"""The computations on the model: achievement, alert level, stale data and overdue items.

Computed values are derived here and only here, from the stored values and an explicit as-of
date; they are never read from YAML. The site, the review pack, the exports and the diff all
use these functions, so a number means the same thing everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from opsbook.model.values import Action, Alert, Anomaly, Cycle, Metric, Scenario


def achievement(direction: str, target: float, actual: float) -> float | None:
    """Actual over target for higher-is-better, target over actual for lower-is-better.

    ``None`` where a ratio means nothing: a zero or negative target (up), a zero actual
    (down: the best possible result) or negative values.
    """
    if target < 0 or actual < 0:
        return None
    if direction == "up":
        return actual / target if target > 0 else None
    return target / actual if actual > 0 else None


def meets_target(direction: str, target: float, actual: float) -> bool:
    return actual >= target if direction == "up" else actual <= target


def level_for_ratio(ratio: float, warn_at: float, critical_at: float) -> Alert:
    """The one threshold rule: strictly below ``critical_at`` is critical, strictly below
    ``warn_at`` warns; an achievement exactly at a threshold is on the better side (exactly
    at ``warn_at`` is on track, exactly at ``critical_at`` is a warning)."""
    ratio = round(ratio, 9)  # 18 / 20 is exactly 90%: float noise must not raise an alert
    if ratio < critical_at:
        return Alert.CRITICAL
    if ratio < warn_at:
        return Alert.WARNING
    return Alert.OK


def alert_level(metric: Metric, actual: float | None) -> Alert:
    """The alert for one value (see ``level_for_ratio``); without a ratio, meeting the
    target or not decides."""
    if actual is None:
        return Alert.NO_DATA
    ratio = achievement(metric.direction, metric.target, actual)
    if ratio is None:
        return Alert.OK if meets_target(metric.direction, metric.target, actual) else Alert.CRITICAL
    return level_for_ratio(ratio, metric.warn_at, metric.critical_at)


@dataclass(frozen=True)
class MetricState:
    """A metric as it stood on the as-of date."""

    metric: Metric
    actual: float | None
    updated: dt.date | None
    achievement: float | None
    alert: Alert
    stale: bool
    cause: str | None

    @property
    def met(self) -> bool:
        return self.actual is not None and meets_target(
            self.metric.direction, self.metric.target, self.actual
        )


def metric_state(metric: Metric, cycle: Cycle, as_of: dt.date) -> MetricState:
    known = metric.observations_until(as_of)
    latest = known[-1] if known else None
    actual = latest.value if latest else None
    ratio = achievement(metric.direction, metric.target, actual) if actual is not None else None
    return MetricState(
        metric=metric,
        actual=actual,
        updated=latest.date if latest else None,
        achievement=ratio,
        alert=alert_level(metric, actual),
        stale=is_stale(latest.date if latest else None, cycle, as_of),
        cause=latest.cause if latest else None,
    )


def is_stale(last: dt.date | None, cycle: Cycle, as_of: dt.date) -> bool:
    """No observation within one cadence period before the as-of date (or the cycle's end,
    once it is over). Before the first period has passed, nothing can be stale yet."""
    reference = min(as_of, cycle.end)
    period = dt.timedelta(days=cycle.cadence_days)
    if reference < cycle.start + period:
        return False
    return last is None or reference - last > period


@dataclass(frozen=True)
class Status:
    """A scenario's level and the core metric that caused it (``None`` without core
    metrics). On track, the metric is the headline core metric."""

    level: Alert
    metric: MetricState | None


def scenario_status(metrics: Sequence[MetricState], criteria: Sequence[str]) -> Status:
    """The worst level among the core metrics, and the metric that has it: of several at
    that level, the lowest achievement (then the first success criterion, then file order)."""
    core = [m for m in metrics if m.metric.core]
    if not core:
        return Status(Alert.NO_DATA, None)
    order = {metric_id: i for i, metric_id in enumerate(criteria)}
    level = max((m.alert for m in core), key=lambda a: a.rank)
    at_level = [m for m in core if m.alert is level]

    def rank(item: tuple[int, MetricState]) -> tuple[float, int, int]:
        index, m = item
        ratio = m.achievement if level is not Alert.OK and m.achievement is not None else 0.0
        return (ratio, order.get(m.metric.id, len(order)), index)

    return Status(level, min(enumerate(at_level), key=rank)[1])


@dataclass(frozen=True)
class ScenarioState:
    """A scenario evaluated on an as-of date: what the site, the pack and the diff show."""

    scenario: Scenario
    as_of: dt.date
    metrics: tuple[MetricState, ...]
    overdue_actions: tuple[Action, ...]
    open_anomalies: tuple[Anomaly, ...]
    overdue_anomalies: tuple[Anomaly, ...]

    @property
    def alert(self) -> Alert:
        """The worst alert among the core metrics: the scenario's level."""
        return self.status.level

    @cached_property
    def status(self) -> Status:
        """The scenario's level with the metric that caused it (every roll-up asks for it
        of every scenario, several times: kept once worked out)."""
        return scenario_status(self.metrics, self.scenario.needs.success_criteria)

    @property
    def status_metric(self) -> MetricState | None:
        """The metric every summary shows beside the scenario's level."""
        return self.status.metric

    @property
    def stale_metrics(self) -> tuple[MetricState, ...]:
        return tuple(m for m in self.metrics if m.stale)

    @property
    def overdue_count(self) -> int:
        return len(self.overdue_actions) + len(self.overdue_anomalies)

    def metric(self, metric_id: str) -> MetricState | None:
        return next((m for m in self.metrics if m.metric.id == metric_id), None)

    @property
    def headline(self) -> MetricState | None:
        """The first success criterion: the metric a summary shows for the scenario."""
        for metric_id in self.scenario.needs.success_criteria:
            state = self.metric(metric_id)
            if state is not None:
                return state
        return self.metrics[0] if self.metrics else None


def evaluate(scenario: Scenario, as_of: dt.date) -> ScenarioState:
    return ScenarioState(
        scenario=scenario,
        as_of=as_of,
        metrics=tuple(metric_state(m, scenario.cycle, as_of) for m in scenario.metrics),
        overdue_actions=tuple(a for a in scenario.actions if a.is_overdue(as_of)),
        open_anomalies=tuple(a for a in scenario.anomalies if a.is_open(as_of)),
        overdue_anomalies=tuple(a for a in scenario.anomalies if a.is_overdue(as_of)),
    )


def due_between(scenario: Scenario, start: dt.date, end: dt.date) -> Iterable[Action]:
    """Actions due in ``[start, end]`` that are not done: "what is due this week"."""
    return (a for a in scenario.actions if a.due and start <= a.due <= end and a.status != "done")
