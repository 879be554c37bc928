"""Chart specs built from the model: the values each kind of chart shows."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from opsbook.charts.specs import (
    ALERT_ORDER,
    STATUS_ORDER,
    AlertsSpec,
    CycleSeries,
    CyclesSpec,
    FunnelSpec,
    GroupRow,
    GroupSpec,
    Point,
    TargetRow,
    TargetsSpec,
    TimelineBar,
    TimelineSpec,
    TrendSpec,
)
from opsbook.charts.text import ellipsize, fmt_compact, mmdd, wrap
from opsbook.i18n.numerals import number, percent, with_unit
from opsbook.model import (
    DEFAULT_WARN_AT,
    Action,
    Cycle,
    MetricAttainment,
    MetricState,
    ScenarioState,
    alert_level,
)

if TYPE_CHECKING:
    pass

_TREND_KEYS = ("target", "baseline", "warning_band", "critical_zone")


def _trend_subtitle(ms: MetricState, labels: Mapping[str, str]) -> str:
    target = with_unit(ms.metric.target, ms.metric.unit)
    if ms.actual is None:
        return labels["trend_sub_empty"].format(target=target)
    actual, rate = with_unit(ms.actual, ms.metric.unit), percent(ms.achievement)
    return labels["trend_sub"].format(target=target, actual=actual, rate=rate)


def trend_spec(
    state: ScenarioState, ms: MetricState, labels: Mapping[str, str], path: str
) -> TrendSpec:
    metric, cycle = ms.metric, state.scenario.cycle
    target_text = with_unit(metric.target, metric.unit)
    subtitle = _trend_subtitle(ms, labels)
    points = tuple(
        Point(o.date, o.value, with_unit(o.value, metric.unit), alert_level(metric, o.value).value)
        for o in metric.observations_until(state.as_of)
    )
    warn, critical = _bands(metric.direction, metric.target, metric.warn_at, metric.critical_at)
    y_range = trend_range(metric.target, metric.baseline, warn, points)
    days = [p.day for p in points]
    return TrendSpec(
        path=path,
        title=ellipsize(metric.name, 70),
        subtitle=ellipsize(subtitle, 110),
        y_label=labels["value_axis"].format(unit=metric.unit)
        if metric.unit
        else labels["value_axis_plain"],
        start=min([cycle.start, *days]),  # observations before the cycle (a baseline period)
        end=max([cycle.end, *days]),
        as_of=state.as_of,
        as_of_label=labels["as_of"].format(date=mmdd(state.as_of)),
        target=metric.target,
        target_label=f"{labels['target']} {target_text}",
        warn_band=warn,
        critical_band=critical,
        baseline=metric.baseline,
        points=points,
        legend=(*(labels[k] for k in _TREND_KEYS), labels["as_of"].format(date=mmdd(state.as_of))),
        empty_label=labels["no_data"],
        y_range=y_range,
        y_ticks=value_ticks(*y_range, labels),
    )


def _bands(
    direction: str, target: float, warn_at: float, critical_at: float
) -> tuple[tuple[float, float] | None, tuple[float, float] | None]:
    """The values where a metric warns and where it is critical (see ``model.alert_level``).

    Higher-is-better: achievement = actual / target, so warning is between
    ``target × critical_at`` and ``target × warn_at`` and critical below. Lower-is-better:
    achievement = target / actual, so warning is between ``target / warn_at`` and
    ``target / critical_at`` and critical above.
    """
    if target <= 0:
        return None, None
    if direction == "up":
        low, high = target * critical_at, target * warn_at
        return (low, high), (-math.inf, low)
    low = target / warn_at if warn_at > 0 else math.inf
    high = target / critical_at if critical_at > 0 else math.inf
    return (low, high), ((high, math.inf) if math.isfinite(high) else None)


def targets_spec(state: ScenarioState, labels: Mapping[str, str], path: str) -> TargetsSpec:
    rows = []
    for ms in state.metrics:
        metric = ms.metric
        if ms.actual is None:
            label = labels["no_data"]
        else:
            rate = percent(ms.achievement)
            if ms.achievement is None:
                rate = labels["met"] if ms.met else labels["not_met"]
            label = labels["actual_of_target"].format(
                actual=with_unit(ms.actual, metric.unit),
                target=with_unit(metric.target, metric.unit), rate=rate,
            )  # fmt: skip
        rows.append(
            TargetRow(
                wrap(metric.name, 22),
                ms.achievement,
                ms.alert.value,
                label,
                metric.warn_at,
                metric.critical_at,
            )
        )
    return TargetsSpec(
        path=path,
        title=labels["targets"],
        subtitle=labels["targets_sub"],
        x_label=labels["achievement_axis"],
        rows=tuple(rows),
        legend=(labels["target_line"], labels["warn_mark"], labels["critical_mark"]),
    )


def _bar_spec(
    action: Action, cycle: Cycle, as_of: dt.date, labels: Mapping[str, str]
) -> TimelineBar:
    """Start → due as a bar; a recurring action as a band to the cycle's end; an action
    with only a due date as a milestone. Coloured by the status on the as-of date."""
    label, status = wrap(action.action, 28), action.effective_status(as_of)
    if action.repeat:
        note = labels["recurring"].format(repeat=labels.get(action.repeat, action.repeat))
        start, end = action.start or cycle.start, action.due or cycle.end
        return TimelineBar(label, "band", start, end, status, note)
    if action.start and action.due:
        return TimelineBar(label, "bar", action.start, action.due, status, mmdd(action.due))
    due = action.due or cycle.end
    return TimelineBar(label, "milestone", due, due, status, f"{labels['milestone']} {mmdd(due)}")


def timeline_spec(state: ScenarioState, labels: Mapping[str, str], path: str) -> TimelineSpec:
    cycle = state.scenario.cycle
    bars = [_bar_spec(a, cycle, state.as_of, labels) for a in state.scenario.actions]
    starts = [b.start for b in bars] + [cycle.start]
    ends = [b.end for b in bars] + [cycle.end]
    cycle_text = f"{mmdd(cycle.start)} – {mmdd(cycle.end)}"
    return TimelineSpec(
        path=path,
        title=labels["timeline"],
        subtitle=labels["timeline_sub"].format(count=len(bars), cycle=cycle_text),
        x_label=labels["date_axis"],
        start=min(starts),
        end=max(ends),
        as_of=state.as_of,
        as_of_label=labels["as_of"].format(date=mmdd(state.as_of)),
        bars=tuple(bars),
        # the statuses drawn, in a fixed order: a key of states no bar has only adds ink
        legend=tuple((s, labels[s]) for s in STATUS_ORDER if s in {b.status for b in bars}),
    )


def has_funnel(state: ScenarioState) -> bool:
    """A funnel needs two journey stages or more, each with a value."""
    journey = state.scenario.needs.journey
    return len(journey) >= 2 and all(stage.value is not None for stage in journey)


def funnel_spec(state: ScenarioState, labels: Mapping[str, str], path: str) -> FunnelSpec:
    journey = state.scenario.needs.journey
    stages = tuple((wrap(s.name, 16), float(s.value)) for s in journey)  # type: ignore[arg-type]
    conversions = tuple(
        f"↓ {percent(b / a) if a > 0 else '—'}" for (_, a), (_, b) in itertools.pairwise(stages)
    )
    first, last = stages[0][1], stages[-1][1]
    overall = percent(last / first) if first > 0 else "—"
    return FunnelSpec(
        path=path,
        title=labels["funnel"],
        subtitle=labels["funnel_sub"].format(rate=overall),
        stages=stages,
        values=tuple(number(v) for _, v in stages),
        conversions=conversions,
    )


# Building the portfolio specs.


MAX_GROUP_ROWS = 20


def group_row(label: str, states: Sequence[ScenarioState], labels: Mapping[str, str]) -> GroupRow:
    dots = tuple(
        (h.achievement, s.alert.value)
        for s in states
        if (h := s.status_metric) is not None and h.achievement is not None
    )
    mean = sum(r for r, _ in dots) / len(dots) if dots else None
    key = "by_label_one" if len(states) == 1 else "by_label"
    note = labels[key].format(rate=percent(mean), count=len(states))
    return GroupRow(wrap(label, 20), mean, tuple(sorted(dots)), note)


def group_spec(path: str, title: str, rows: list[GroupRow], labels: Mapping[str, str]) -> GroupSpec:
    footnote = ""
    if len(rows) > MAX_GROUP_ROWS:
        footnote = labels["by_more"].format(shown=MAX_GROUP_ROWS, total=len(rows))
        rows = sorted(rows, key=lambda r: (r.mean is None, r.mean or 0.0))[:MAX_GROUP_ROWS]
    return GroupSpec(
        path=path,
        title=title,
        subtitle=labels["by_sub"],
        x_label=labels["achievement_axis"],
        rows=tuple(rows),
        footnote=footnote,
        legend=(labels["target_line"], labels["ok"], labels["warning"], labels["critical"]),
    )


def alerts_spec(
    states: Sequence[ScenarioState], labels: Mapping[str, str], path: str
) -> AlertsSpec:
    scenario_alerts = [s.alert.value for s in states]
    metric_alerts = [m.alert.value for s in states for m in s.metrics if m.metric.core]
    rows = (
        (ellipsize(labels["alerts_scenarios"], 14), tuple(map(scenario_alerts.count, ALERT_ORDER))),
        (ellipsize(labels["alerts_metrics"], 14), tuple(map(metric_alerts.count, ALERT_ORDER))),
    )
    return AlertsSpec(
        path=path,
        title=labels["alerts"],
        subtitle=labels["alerts_sub"],
        x_label=labels["count_axis"],
        rows=rows,
        legend=tuple(labels[a] for a in ALERT_ORDER),
    )


# Drawing.


def trend_range(
    target: float,
    baseline: float | None,
    warn_band: tuple[float, float] | None,
    points: Sequence[Point],
) -> tuple[float, float]:
    """The value axis: every point, the target, the baseline and the warning zone, padded
    (and starting at zero when every value is positive and zero is near)."""
    values = [target] + [p.value for p in points]
    if baseline is not None:
        values.append(baseline)
    if warn_band:
        values += [v for v in warn_band if math.isfinite(v)]
    low, high = min(values), max(values)
    pad = (high - low) * 0.15 or abs(high) * 0.2 or 1.0
    bottom = low - pad
    if low >= 0 and bottom < 0:
        bottom = 0.0
    return bottom, high + pad


def value_ticks(
    low: float, high: float, labels: Mapping[str, str]
) -> tuple[tuple[float, str], ...]:
    from matplotlib.ticker import MaxNLocator  # lazy: only chart building needs matplotlib

    ticks = [float(t) for t in MaxNLocator(nbins=5).tick_values(low, high) if low <= t <= high]
    return tuple((t, fmt_compact(t, labels)) for t in ticks)


# Attainment by cycle.

MAX_CYCLES = 8  # the latest cycles a chart shows: the width stays readable


def cycle_labels(state: ScenarioState, labels: Mapping[str, str]) -> list[str]:
    """The scenario's cycles, oldest first: each closed one's start, then the current one."""
    closed = [c.start.isoformat() for c in state.scenario.history]
    current = labels["current_cycle"].format(date=state.scenario.cycle.start.isoformat())
    return [*closed, current][-MAX_CYCLES:]


def cycle_series(state: ScenarioState) -> list[CycleSeries]:
    """Each core metric's achievement (a ratio) in each closed cycle, then in the current one."""
    series = []
    for ms in state.metrics:
        if not ms.metric.core:
            continue
        closed = [_closed_ratio(c.attainment_of(ms.metric.id)) for c in state.scenario.history]
        values = [*closed, ms.achievement][-MAX_CYCLES:]
        series.append(CycleSeries(ms.metric.name, tuple(values)))
    return series


def _closed_ratio(attainment: MetricAttainment | None) -> float | None:
    if attainment is None or attainment.achievement is None:
        return None
    return attainment.achievement / 100


def cycles_spec(state: ScenarioState, labels: Mapping[str, str], path: str) -> CyclesSpec:
    core = state.scenario.core_metrics
    return CyclesSpec(
        path=path,
        title=labels["cycles"],
        subtitle=labels["cycles_sub"].format(count=len(state.scenario.history)),
        x_label=labels["cycle_axis"],
        cycles=tuple(cycle_labels(state, labels)),
        series=tuple(cycle_series(state)),
        warn_at=core[0].warn_at if core else DEFAULT_WARN_AT,
        legend=(labels["target_line"], labels["warn_mark"]),
    )


def team_cycles(states: Sequence[ScenarioState]) -> list[tuple[str, float, int]]:
    """The team's attainment per cycle start month: (YYYY-MM, the mean of the scenarios'
    achievements, how many scenarios), oldest first. A scenario's achievement in a cycle
    is the mean of its core metrics' achievements with data."""
    by_month: dict[str, list[float]] = {}
    for state in states:
        for month, ratio in _scenario_cycles(state):
            by_month.setdefault(month, []).append(ratio)
    months = sorted(by_month)[-MAX_CYCLES:]
    return [(m, sum(by_month[m]) / len(by_month[m]), len(by_month[m])) for m in months]


def _scenario_cycles(state: ScenarioState) -> list[tuple[str, float]]:
    found = []
    for closed in state.scenario.history:
        ratios = [r for a in closed.attainment if (r := _closed_ratio(a)) is not None]
        if ratios:
            found.append((closed.start.strftime("%Y-%m"), sum(ratios) / len(ratios)))
    current = [m.achievement for m in state.metrics if m.metric.core and m.achievement is not None]
    if current:
        found.append((state.scenario.cycle.start.strftime("%Y-%m"), sum(current) / len(current)))
    return found


def team_cycles_spec(
    states: Sequence[ScenarioState], labels: Mapping[str, str], path: str
) -> CyclesSpec:
    rows = team_cycles(states)
    return CyclesSpec(
        path=path,
        title=labels["team_cycles"],
        subtitle=labels["team_cycles_sub"],
        x_label=labels["cycle_month_axis"],
        cycles=tuple(
            labels["month_count_one" if n == 1 else "month_count"].format(month=m, count=n)
            for m, _, n in rows
        ),
        series=(CycleSeries(labels["team_average"], tuple(r for _, r, _ in rows)),),
        warn_at=DEFAULT_WARN_AT,
        legend=(labels["target_line"], labels["warn_mark"]),
    )


def cycles_alt(spec: CyclesSpec) -> str:
    """The chart's numbers in words: each series' achievement in each cycle."""
    parts = []
    for series in spec.series:
        values = ", ".join(
            f"{label.replace(chr(10), ' ')} {percent(value)}"
            for label, value in zip(spec.cycles, series.values, strict=True)
        )
        parts.append(f"{series.name}: {values}")
    return f"{spec.title} — " + "; ".join(parts)
