"""Movement since the last review, computed in the model: a metric's change with its
direction-aware meaning, how long an alert has fired, the dashboard's counts and their
changes, and the latest review's measures."""

from __future__ import annotations

import datetime as dt

import pytest

from opsbook.model import (
    Action,
    Alert,
    Anomaly,
    Cycle,
    Metric,
    Needs,
    Observation,
    Review,
    Scenario,
    Source,
    evaluate,
)
from opsbook.model.movement import (
    Counts,
    Movement,
    Streak,
    alert_streak,
    count_changes,
    counts,
    latest_review,
    movement,
    previous_review,
    week_window,
)

D = dt.date
AS_OF = D(2026, 6, 22)
JUNE = Cycle(D(2026, 6, 1), D(2026, 6, 30), "weekly")


def metric(direction: str, target: float, values: dict[dt.date, float]) -> Metric:
    observations = tuple(Observation(day, value) for day, value in sorted(values.items()))
    return Metric("m", "指标", direction, target, Source("sql"), observations=observations)


def test_the_previous_review_is_a_week_before_and_this_week_is_seven_days() -> None:
    assert previous_review(AS_OF) == D(2026, 6, 15)
    assert week_window(AS_OF) == (D(2026, 6, 22), D(2026, 6, 28))


@pytest.mark.parametrize(
    ("direction", "before", "after", "expected"),
    [
        ("up", 17.1, 18, Movement(17.1, 18, 0.9, True)),  # higher is better, went up: better
        ("up", 30, 29.5, Movement(30, 29.5, -0.5, False)),
        ("down", 11.8, 11.2, Movement(11.8, 11.2, -0.6, True)),  # lower is better, went down
        ("down", 5, 6.5, Movement(5, 6.5, 1.5, False)),
        ("up", 0.1, 0.3, Movement(0.1, 0.3, 0.2, True)),  # no float noise in the delta
        ("up", 12, 12, Movement(12, 12, 0.0, None)),  # flat: neither better nor worse
    ],
)
def test_movement_is_direction_aware(
    direction: str, before: float, after: float, expected: Movement
) -> None:
    m = metric(direction, 20, {D(2026, 6, 14): before, D(2026, 6, 21): after})
    assert movement(m, D(2026, 6, 15), AS_OF) == expected


def test_movement_without_a_value_on_either_side_has_no_delta() -> None:
    only_now = metric("up", 20, {D(2026, 6, 21): 18})
    assert movement(only_now, D(2026, 6, 15), AS_OF) == Movement(None, 18, None, None)
    # an observation after the as-of date is not known yet
    later = metric("up", 20, {D(2026, 6, 14): 17, D(2026, 6, 23): 19})
    assert movement(later, D(2026, 6, 15), AS_OF) == Movement(17, 17, 0.0, None)


def test_an_alert_fires_since_the_first_observation_of_its_run() -> None:
    # target 20: 19 is on track (95%), 17 warns (85%), 15 is critical (75%)
    values = {D(2026, 6, 1): 19, D(2026, 6, 8): 17, D(2026, 6, 15): 15, D(2026, 6, 21): 17.5}
    m = metric("up", 20, values)
    # warning now; warning or worse since 06-08: the third week of the run
    assert alert_streak(m, AS_OF) == Streak(Alert.WARNING, D(2026, 6, 8), 3)
    # critical on 06-15 only: critical counts only critical observations
    assert alert_streak(m, D(2026, 6, 16)) == Streak(Alert.CRITICAL, D(2026, 6, 15), 1)
    assert alert_streak(m, D(2026, 6, 7)) is None  # on track then
    assert alert_streak(metric("up", 20, {}), AS_OF) is None  # no data


def test_exactly_at_warn_at_is_not_firing() -> None:
    m = metric("up", 20, {D(2026, 6, 8): 17, D(2026, 6, 21): 18})  # 18 / 20 is exactly 90%
    assert alert_streak(m, AS_OF) is None


def test_a_lower_is_better_alert_streak() -> None:
    m = metric("down", 8, {D(2026, 6, 7): 12.5, D(2026, 6, 14): 11.8, D(2026, 6, 21): 11.2})
    assert alert_streak(m, AS_OF) == Streak(Alert.CRITICAL, D(2026, 6, 7), 3)


def scenario(actions: tuple[Action, ...], anomalies: tuple[Anomaly, ...]) -> Scenario:
    needs = Needs("b", "g", "u", "p", (), (), ("m",))
    m = metric("up", 20, {D(2026, 6, 14): 19, D(2026, 6, 21): 15})
    reviews = (
        Review(D(2026, 6, 1), D(2026, 6, 7), "weekly", "—", (), (), ("先做 A",), "ops.li"),
        Review(D(2026, 6, 8), D(2026, 6, 14), "weekly", "—", (), (), ("再做 B",), "ops.li"),
        Review(D(2026, 6, 22), D(2026, 6, 28), "weekly", "—", (), (), ("未来",), "ops.li"),
    )
    return Scenario(
        "s", "场景", "ecommerce", "增长", "ops.li", JUNE, needs, actions, (m,),
        anomalies=anomalies, reviews=reviews,
    )  # fmt: skip


def act(due: dt.date, status: str = "in-progress") -> Action:
    return Action("a", "s", "做", "ops.li", "标准", status, due=due)


def test_counts_and_their_change_since_the_previous_review() -> None:
    issue = Anomaly("x", D(2026, 6, 10), "问题", "原因", "措施", "ops.li", D(2026, 6, 20), "open")
    s = scenario(
        (
            act(D(2026, 6, 12)),
            act(D(2026, 6, 18)),
            act(D(2026, 6, 24)),
            act(D(2026, 6, 25), "done"),
        ),
        (issue,),
    )
    now = counts([evaluate(s, AS_OF)])
    before = counts([evaluate(s, previous_review(AS_OF))])
    # now: critical (15 of 20 is 75%); 06-12 and 06-18 overdue, the anomaly overdue; 06-24 due
    assert now == Counts(1, 0, 2, 1, 1)
    # on 06-15: on track (19 is 95%); 06-12 overdue; 06-18 and the anomaly (06-20) due
    assert before == Counts(0, 0, 1, 0, 2)
    assert count_changes(before, now) == {
        "critical": 1, "warning": 0, "overdue_actions": 1, "overdue_anomalies": 1,
        "due_this_week": -1,
    }  # fmt: skip


def test_the_latest_review_is_the_last_one_ended_by_the_as_of_date() -> None:
    s = scenario((), ())
    assert latest_review(s, AS_OF).measures == ("再做 B",)  # type: ignore[union-attr]
    assert latest_review(s, D(2026, 6, 7)).measures == ("先做 A",)  # type: ignore[union-attr]
    assert latest_review(s, D(2026, 6, 6)) is None
