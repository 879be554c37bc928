"""The computations every output shares: achievement, alerts, stale data, overdue items."""

from __future__ import annotations

import datetime as dt

import pytest

from opsbook.model import (
    Action,
    Alert,
    Anomaly,
    Cycle,
    Metric,
    Observation,
    Source,
    achievement,
    alert_level,
    is_stale,
    metric_state,
)

D = dt.date
JUNE = Cycle(D(2026, 6, 1), D(2026, 6, 30), "weekly")
JUNE_12 = D(2026, 6, 12)


def metric(direction: str = "up", target: float = 20, **kw: object) -> Metric:
    return Metric("m", "指标", direction, target, Source("sql"), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("direction", "target", "actual", "expected"),
    [
        ("up", 20, 18, 0.9),  # the seed's row: target 20%, actual 18%, 90%
        ("up", 20, 25, 1.25),
        ("down", 10, 8, 1.25),  # lower is better: under target is over 100%
        ("down", 10, 12.5, 0.8),
        ("up", 0, 5, None),  # zero target: no ratio, never a division by zero
        ("down", 10, 0, None),  # zero actual on lower-is-better: the best result, no ratio
        ("down", 0, 0, None),
        ("up", 20, -1, None),
    ],
)
def test_achievement(direction: str, target: float, actual: float, expected: float | None) -> None:
    result = achievement(direction, target, actual)
    assert result == pytest.approx(expected) if expected is not None else result is None


@pytest.mark.parametrize(
    ("direction", "target", "actual", "expected"),
    [
        ("up", 20, 18, Alert.OK),  # exactly 90%: not below the default threshold
        ("up", 20, 17.9, Alert.WARNING),
        ("up", 15, 12, Alert.WARNING),  # exactly 80%: warning, not yet critical
        ("up", 15, 11.9, Alert.CRITICAL),
        ("down", 8, 11.2, Alert.CRITICAL),  # refund rate 11.2% against at most 8%
        ("down", 10, 0, Alert.OK),
        ("up", 0, 0, Alert.OK),  # target met without a ratio
        ("up", 0, -1, Alert.CRITICAL),
        ("down", 0, 3, Alert.CRITICAL),
    ],
)
def test_alert_level(direction: str, target: float, actual: float, expected: Alert) -> None:
    assert alert_level(metric(direction, target), actual) is expected


def test_alert_without_data_is_its_own_state() -> None:
    assert alert_level(metric(), None) is Alert.NO_DATA


def test_custom_thresholds() -> None:
    strict = metric(warn_at=0.95, critical_at=0.9)
    assert alert_level(strict, 18.5) is Alert.WARNING
    assert alert_level(strict, 17.9) is Alert.CRITICAL


def test_metric_state_ignores_observations_after_the_as_of_date() -> None:
    observations = (
        Observation(D(2026, 6, 6), 15, None),
        Observation(D(2026, 6, 20), 18, "门槛高"),
        Observation(D(2026, 6, 27), 21, None),
    )
    state = metric_state(metric(observations=observations), JUNE, D(2026, 6, 22))
    assert (state.actual, state.updated, state.cause) == (18, D(2026, 6, 20), "门槛高")
    assert state.achievement == pytest.approx(0.9)
    assert state.alert is Alert.OK
    assert not state.stale


def test_metric_state_without_observations() -> None:
    state = metric_state(metric(), JUNE, D(2026, 6, 22))
    assert (state.actual, state.achievement, state.alert, state.stale) == (
        None,
        None,
        Alert.NO_DATA,
        True,
    )


@pytest.mark.parametrize(
    ("last", "as_of", "stale"),
    [
        (D(2026, 6, 15), D(2026, 6, 22), False),  # exactly one weekly period ago
        (D(2026, 6, 14), D(2026, 6, 22), True),
        (None, D(2026, 6, 5), False),  # the first period has not passed yet
        (None, D(2026, 6, 8), True),
        (D(2026, 6, 29), D(2026, 8, 1), False),  # after the cycle, its end is the reference
        (D(2026, 6, 20), D(2026, 8, 1), True),
    ],
)
def test_stale(last: dt.date | None, as_of: dt.date, stale: bool) -> None:
    assert is_stale(last, JUNE, as_of) is stale


def action(status: str, due: dt.date | None = JUNE_12, repeat: str | None = None) -> Action:
    return Action("a", "s", "做", "ops.li", "3天内", status, due=due, repeat=repeat)


@pytest.mark.parametrize(
    ("status", "as_of", "overdue", "shown"),
    [
        ("in-progress", D(2026, 6, 13), True, "overdue"),
        ("not-started", D(2026, 6, 13), True, "overdue"),
        ("in-progress", D(2026, 6, 12), False, "in-progress"),  # due today is not late yet
        ("done", D(2026, 6, 30), False, "done"),
        ("delayed", D(2026, 6, 1), False, "delayed"),
    ],
)
def test_overdue_actions(status: str, as_of: dt.date, overdue: bool, shown: str) -> None:
    item = action(status)
    assert item.is_overdue(as_of) is overdue
    assert item.effective_status(as_of) == shown


def test_recurring_actions_are_never_overdue() -> None:
    assert not action("in-progress", due=None, repeat="daily").is_overdue(D(2026, 6, 30))


def anomaly(status: str, closed: dt.date | None = None) -> Anomaly:
    return Anomaly(
        "x",
        D(2026, 6, 15),
        "注册率低",
        "按钮",
        "改色",
        "design.wang",
        D(2026, 6, 18),
        status,
        closed,
    )


def test_anomaly_overdue_relative_to_as_of() -> None:
    assert anomaly("open").is_overdue(D(2026, 6, 19))
    assert not anomaly("open").is_overdue(D(2026, 6, 18))
    assert not anomaly("open").is_open(D(2026, 6, 14))  # not found yet
    assert not anomaly("closed", D(2026, 6, 17)).is_open(D(2026, 6, 22))
    # closed on the 20th: on the 19th it was still open, and overdue
    assert anomaly("closed", D(2026, 6, 20)).is_overdue(D(2026, 6, 19))
