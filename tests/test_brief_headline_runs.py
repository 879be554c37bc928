"""The brief's headline run ("连升 3 周" / "up 3 weeks running"): the consecutive
week-on-week rises (or falls) of the metric's actual up to its latest reading on the as-of
date, not the weeks above target nor all the rises of the cycle; for a lower-is-better metric
it also says whether the run is good news. And a change of a metric in % is in percentage
points everywhere it is written."""

from __future__ import annotations

import datetime as dt

import pytest

from opsbook.i18n.numerals import change
from opsbook.model import (
    Cycle,
    Metric,
    Needs,
    Observation,
    Scenario,
    ScenarioState,
    Source,
    evaluate,
)  # fmt: skip
from opsbook.pack.brief import headline

D = dt.date
AS_OF = D(2026, 6, 29)
JUNE_1 = D(2026, 6, 1)
JUNE = Cycle(D(2026, 6, 1), D(2026, 6, 30), "weekly")


def weekly(*values: float, start: dt.date = JUNE_1, step: int = 7) -> tuple[Observation, ...]:
    return tuple(
        Observation(start + dt.timedelta(days=step * i), value) for i, value in enumerate(values)
    )


def state_of(metric: Metric, as_of: dt.date = AS_OF) -> ScenarioState:
    needs = Needs("b", "g", "u", "p", (), (), (metric.id,))
    scenario = Scenario("s", "场景", "ecommerce", "growth", "ops.li", JUNE, needs, (), (metric,))
    return evaluate(scenario, as_of)


def conversion(*observations: Observation) -> Metric:
    return Metric("cr", "首单转化率", "up", 20, Source("sql"), unit="%",
                  observations=observations)  # fmt: skip


def refunds(*observations: Observation) -> Metric:
    return Metric("refund", "团购退款率", "down", 8, Source("sql"), unit="%",
                  observations=observations)  # fmt: skip


CASES = [
    # three week-on-week rises up to the latest reading, below target all along: 连升 3 周
    ("rises", conversion(*weekly(15, 14, 16, 17, 18)),
     "首单转化率 18%（目标 20%），连升 3 周",
     "首单转化率 18% (target 20%), up 3 weeks running"),
    # above target for five weeks but rising only in the last two: the run is 2, not 5
    ("above target", conversion(*weekly(25, 27, 26, 27, 28)),
     "首单转化率 28%（目标 20%），连升 2 周",
     "首单转化率 28% (target 20%), up 2 weeks running"),
    # four rises in the cycle, but the latest reading fell: no run to report
    ("broken by the latest", conversion(*weekly(12, 13, 14, 15, 17, 16.5, start=D(2026, 5, 25))),
     "首单转化率 16.5% 预警（目标 20%）",
     "首单转化率 16.5% (Warning, target 20%)"),
    # a flat latest week ends the run too
    ("flat", conversion(*weekly(16, 17, 18, 18)),
     "首单转化率 18%（目标 20%）",
     "首单转化率 18% (target 20%)"),
    # one rise is a change, not a run
    ("one rise", conversion(*weekly(18, 17, 18.5)),
     "首单转化率 18.5%（目标 20%）",
     "首单转化率 18.5% (target 20%)"),
    # lower is better: a falling refund rate is an improvement, and says so
    ("refunds falling", refunds(*weekly(12, 11.8, 11.2, 10.1)),
     "团购退款率 10.1% 严重（目标 ≤ 8%），连降 3 周（向好）",
     "团购退款率 10.1% (Critical, target ≤ 8%), down 3 weeks running (improving)"),
    # and a rising one is not good news, whatever "up" sounds like
    ("refunds rising", refunds(*weekly(6, 6.5, 7)),
     "团购退款率 7%（目标 ≤ 8%），连升 2 周（变差）",
     "团购退款率 7% (target ≤ 8%), up 2 weeks running (worsening)"),
    # daily readings are readings, not weeks
    ("daily", conversion(*weekly(17, 17.5, 18, step=1, start=D(2026, 6, 27))),
     "首单转化率 18%（目标 20%），连升 2 期",
     "首单转化率 18% (target 20%), up 2 readings running"),
]  # fmt: skip


@pytest.mark.parametrize(("metric", "zh", "en"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_headline_counts_the_run_up_to_the_latest_reading(
    metric: Metric, zh: str, en: str
) -> None:
    state = state_of(metric)
    assert headline(state, "zh-CN") == zh
    assert headline(state, "en") == en


def test_readings_after_the_as_of_date_do_not_count() -> None:
    metric = conversion(*weekly(15, 16, 17, 18, 19))  # the last on 06-29
    state = state_of(metric, D(2026, 6, 28))  # 06-29 is not known yet: 15 → 16 → 17 → 18
    assert headline(state, "zh-CN") == "首单转化率 18%（目标 20%），连升 3 周"


@pytest.mark.parametrize(
    ("delta", "unit", "zh", "en"),
    [
        (2.1, "%", "+2.1 个百分点", "+2.1 pp"),  # 18% → 20.1%: points, never "+11.7%"
        (-0.6, "%", "−0.6 个百分点", "−0.6 pp"),
        (0.0, "%", "±0 个百分点", "±0 pp"),
        (-6, "分钟", "−6分钟", "−6分钟"),
        (1200, "元", "+1,200元", "+1,200元"),
        (3, "min", "+3 min", "+3 min"),
    ],
)
def test_a_change_of_a_percentage_is_in_points(delta: float, unit: str, zh: str, en: str) -> None:
    assert change(delta, unit, "zh-CN") == zh
    assert change(delta, unit, "en") == en
