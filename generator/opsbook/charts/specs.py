"""Chart specs: what a chart shows, as small frozen values (labels already in the page
language). A spec is also the cache key of its chart and the list of texts the font must cover."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Point:
    day: dt.date
    value: float
    label: str
    alert: str


@dataclass(frozen=True)
class TrendSpec:
    path: str
    title: str
    subtitle: str
    y_label: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    as_of_label: str
    target: float
    target_label: str
    warn_band: tuple[float, float] | None  # values where the alert is "warning"
    critical_band: tuple[float, float] | None  # the critical side beyond it (an open end is inf)
    baseline: float | None
    points: tuple[Point, ...]
    legend: tuple[str, ...]  # target, baseline, warning zone, critical zone, as-of
    empty_label: str
    y_range: tuple[float, float] = (0.0, 1.0)
    y_ticks: tuple[tuple[float, str], ...] = ()


@dataclass(frozen=True)
class TargetRow:
    name: str
    achievement: float | None  # a ratio, 1.0 = target
    alert: str
    label: str
    warn_at: float
    critical_at: float


@dataclass(frozen=True)
class TargetsSpec:
    path: str
    title: str
    subtitle: str
    x_label: str
    rows: tuple[TargetRow, ...]
    legend: tuple[str, ...]  # target line, warning level, critical level


@dataclass(frozen=True)
class TimelineBar:
    label: str
    kind: str  # "bar", "band" (recurring) or "milestone"
    start: dt.date
    end: dt.date  # inclusive
    status: str
    note: str


@dataclass(frozen=True)
class TimelineSpec:
    path: str
    title: str
    subtitle: str
    x_label: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    as_of_label: str
    bars: tuple[TimelineBar, ...]
    legend: tuple[tuple[str, str], ...]  # (status, label)


@dataclass(frozen=True)
class FunnelSpec:
    path: str
    title: str
    subtitle: str
    stages: tuple[tuple[str, float], ...]
    values: tuple[str, ...]  # formatted stage values
    conversions: tuple[str, ...]  # between stage i and i+1


@dataclass(frozen=True)
class GroupRow:
    label: str
    mean: float | None  # ratio
    dots: tuple[tuple[float, str], ...]  # (ratio, alert) per scenario with data
    note: str


@dataclass(frozen=True)
class GroupSpec:
    path: str
    title: str
    subtitle: str
    x_label: str
    rows: tuple[GroupRow, ...]
    footnote: str
    legend: tuple[str, ...]  # target line, then the dots: ok, warning, critical


@dataclass(frozen=True)
class AlertsSpec:
    path: str
    title: str
    subtitle: str
    x_label: str
    rows: tuple[tuple[str, tuple[int, ...]], ...]  # (label, counts per alert of ALERT_ORDER)
    legend: tuple[str, ...]


@dataclass(frozen=True)
class CycleSeries:
    name: str
    values: tuple[float | None, ...]  # achievement ratio per cycle (1.0 = target); None: no data


@dataclass(frozen=True)
class CyclesSpec:
    """Attainment by cycle: each series' achievement in each cycle, oldest cycle first."""

    path: str
    title: str
    subtitle: str
    x_label: str
    cycles: tuple[str, ...]  # one label per cycle (the last may be the current one)
    series: tuple[CycleSeries, ...]
    warn_at: float  # the warning threshold as a ratio
    legend: tuple[str, ...]  # target line, warning threshold


ChartSpec = (
    TrendSpec | TargetsSpec | TimelineSpec | FunnelSpec | GroupSpec | AlertsSpec | CyclesSpec
)
ALERT_ORDER = ("ok", "warning", "critical", "no-data")
STATUS_ORDER = ("done", "in-progress", "not-started", "delayed", "overdue")


def spec_texts(spec: ChartSpec) -> list[str]:
    """Every string the chart draws (the font must have all of their characters)."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, tuple | list):
            for item in value:
                walk(item)
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                if name not in ("path", "kind", "status", "alert"):
                    walk(getattr(value, name))

    walk(spec)
    return found
