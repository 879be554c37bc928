"""What a comparison of two catalogs yields: frozen records of scenarios, actions, metrics,
anomalies, overdue items and rule violations that changed (made by :mod:`opsbook.diff.changes`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, TypeVar

from opsbook.check.diagnostics import Diagnostic, format_path
from opsbook.model import Alert

T = TypeVar("T")
_ALERTING = (Alert.WARNING, Alert.CRITICAL)


@dataclass(frozen=True)
class Move(Generic[T]):
    """A value before and after the change."""

    before: T
    after: T


def move_of(before: T, after: T) -> Move[T] | None:
    return None if before == after else Move(before, after)


@dataclass(frozen=True)
class ScenarioRef:
    id: str
    title: str
    file: str
    owner: str
    alert: Alert
    overdue: int


@dataclass(frozen=True)
class Rename:
    before: ScenarioRef
    after: ScenarioRef


@dataclass(frozen=True)
class ActionRef:
    id: str
    action: str
    owner: str
    due: dt.date | None
    status: str  # the effective status on the as-of date


@dataclass(frozen=True)
class ActionChange:
    id: str
    action: str
    status: Move[str]  # effective status: an action past its due date and not done is "overdue"
    owner: Move[str]
    due: Move[dt.date | None]

    @property
    def changed(self) -> bool:
        return any(m.before != m.after for m in (self.status, self.owner, self.due))


@dataclass(frozen=True)
class MetricChange:
    id: str
    name: str
    unit: str
    actual: Move[float | None]
    target: Move[float]
    achievement: Move[float | None]
    alert: Move[Alert]

    @property
    def raised(self) -> bool:
        """A new alert: warning or critical now, and worse than before."""
        return self.alert.after in _ALERTING and self.alert.after.rank > self.alert.before.rank


@dataclass(frozen=True)
class MetricRef:
    id: str
    name: str
    unit: str
    actual: float | None
    target: float
    achievement: float | None
    alert: Alert


@dataclass(frozen=True)
class AnomalyRef:
    id: str
    problem: str
    owner: str
    due: dt.date


@dataclass(frozen=True)
class OverdueItem:
    kind: str  # "action" | "anomaly"
    id: str
    text: str
    owner: str
    due: dt.date


@dataclass(frozen=True)
class ScenarioChanges:
    """Everything that moved inside one scenario present on both sides."""

    id: str
    title: str
    file: str
    alert: Move[Alert] | None
    actions_added: tuple[ActionRef, ...] = ()
    actions_removed: tuple[ActionRef, ...] = ()
    actions_changed: tuple[ActionChange, ...] = ()
    metrics_added: tuple[MetricRef, ...] = ()
    metrics_removed: tuple[MetricRef, ...] = ()
    metrics_changed: tuple[MetricChange, ...] = ()
    anomalies_opened: tuple[AnomalyRef, ...] = ()
    anomalies_closed: tuple[AnomalyRef, ...] = ()
    new_overdue: tuple[OverdueItem, ...] = ()

    @property
    def empty(self) -> bool:
        return self.alert is None and not any(getattr(self, name) for name in _SCENARIO_LISTS)

    @property
    def new_alerts(self) -> tuple[MetricChange, ...]:
        return tuple(m for m in self.metrics_changed if m.raised)


_SCENARIO_LISTS = (
    "actions_added", "actions_removed", "actions_changed", "metrics_added", "metrics_removed",
    "metrics_changed", "anomalies_opened", "anomalies_closed", "new_overdue",
)  # fmt: skip


@dataclass(frozen=True)
class Violation:
    """A diagnostic of ``opsbook check`` (an error or a warning), located where it is."""

    diagnostic: Diagnostic

    @property
    def key(self) -> tuple[str, str, str]:
        d = self.diagnostic
        return d.code, d.file, format_path(d.path)


@dataclass(frozen=True)
class Changes:
    """What a change does to the operations. ``broken_*``: that side did not pass the check,
    so only its rule violations can be compared."""

    before_as_of: dt.date | None
    after_as_of: dt.date | None
    broken_before: bool
    broken_after: bool
    added: tuple[ScenarioRef, ...] = ()
    removed: tuple[ScenarioRef, ...] = ()
    renamed: tuple[Rename, ...] = ()
    scenarios: tuple[ScenarioChanges, ...] = ()
    violations_introduced: tuple[Violation, ...] = ()
    violations_fixed: tuple[Violation, ...] = ()

    @property
    def empty(self) -> bool:
        return not (
            self.broken_before or self.broken_after or self.added or self.removed
            or self.renamed or self.scenarios or self.violations_introduced
            or self.violations_fixed
        )  # fmt: skip
