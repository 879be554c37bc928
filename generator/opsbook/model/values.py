"""The scenario model's values: people, teams, scenarios and their parts, all frozen.

Computed values (achievement, alert level, stale data, overdue items) are derived here and
only here, from the stored values and an explicit as-of date; they are never read from YAML.
The site, the review pack, the exports and the diff all use these functions, so a number
means the same thing everywhere.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

CADENCE_DAYS: Mapping[str, int] = {
    "daily": 1, "weekly": 7, "biweekly": 14, "monthly": 31, "quarterly": 92,
}  # fmt: skip
DEFAULT_WARN_AT = 0.9  # the seed: alert when a metric falls 10% below target
DEFAULT_CRITICAL_AT = 0.8
INDUSTRIES = ("ecommerce", "saas", "local-services", "content", "other")


class Alert(enum.StrEnum):
    OK = "ok"
    WARNING = "warning"
    CRITICAL = "critical"
    NO_DATA = "no-data"

    @property
    def rank(self) -> int:
        """Severity order for "the worst alert of a scenario"."""
        return {"ok": 0, "no-data": 1, "warning": 2, "critical": 3}[self.value]


def optional_date(value: Any) -> dt.date | None:
    return _date(value) if isinstance(value, str) else None


@functools.lru_cache(maxsize=4096)
def _date(text: str) -> dt.date:
    """One date object for each day the scenarios name (dates are immutable): a catalog
    names a few hundred days a hundred thousand times."""
    return dt.date.fromisoformat(text)


def text_tuple(value: Any) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else ()


# The team.


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    role: str
    department: str
    email: str | None = None
    # Chat ids for mentions and reminders (feishu, dingtalk, dingtalk_mobile, wecom)
    chat: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class Module:
    """A business module of the team directory: its id (the URL) and its display names."""

    id: str
    name: str
    name_en: str | None = None
    industry: str | None = None

    def display_name(self, lang: str) -> str:
        return self.name if lang == "zh-CN" else self.name_en or self.name


@dataclass(frozen=True, slots=True)
class Team:
    name: str
    description: str | None
    people: Mapping[str, Person]
    departments: Mapping[str, str]  # id → name
    # id → module; empty when the directory has no modules list (modules are then free text)
    modules: Mapping[str, Module] = field(default_factory=dict, hash=False)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Team:
        people = {
            p["id"]: Person(
                p["id"], p["name"], p["role"], p["department"], p.get("email"), p.get("chat", {})
            )
            for p in data["people"]
        }
        departments = {d["id"]: d["name"] for d in data.get("departments", [])}
        modules = {
            m["id"]: Module(m["id"], m["name"], m.get("name_en"), m.get("industry"))
            for m in data.get("modules", [])
        }
        team = data["team"]
        return cls(team["name"], team.get("description"), people, departments, modules)

    def name_of(self, person_id: str) -> str:
        person = self.people.get(person_id)
        return person.name if person else person_id

    def module_name(self, module: str, lang: str) -> str:
        """A scenario's module as readers see it in ``lang``: the display name of a module id,
        or the free text itself when the directory lists no such module."""
        known = self.modules.get(module)
        return known.display_name(lang) if known else module

    def department_name(self, person_id: str) -> str:
        person = self.people.get(person_id)
        return self.departments.get(person.department, person.department) if person else ""


# A scenario and its four tables.


@dataclass(frozen=True, slots=True)
class Cycle:
    start: dt.date
    end: dt.date
    cadence: str

    @property
    def cadence_days(self) -> int:
        return CADENCE_DAYS[self.cadence]

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class JourneyStage:
    name: str
    value: float | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Needs:
    """Template 1."""

    business_goal: str
    goal: str
    user_group: str
    pain_point: str
    insights: tuple[str, ...]
    journey: tuple[JourneyStage, ...]
    success_criteria: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Resources:
    budget: float | None = None
    currency: str = "CNY"
    dev_days: float | None = None
    channels: tuple[str, ...] = ()
    note: str | None = None

    @property
    def empty(self) -> bool:
        return self.budget is None and self.dev_days is None and not self.channels and not self.note


@dataclass(frozen=True, slots=True)
class Action:
    """One row of template 2: who does what, when, to which standard."""

    id: str
    strategy: str
    action: str
    owner: str
    standard: str
    status: str
    start: dt.date | None = None
    due: dt.date | None = None
    repeat: str | None = None
    resources: Resources = Resources()
    note: str | None = None
    carried_from: dt.date | None = None  # the start of the earlier cycle it was carried over from

    def is_overdue(self, as_of: dt.date) -> bool:
        """Due before the as-of date and not done."""
        return self.due is not None and self.due < as_of and self.status != "done"

    def effective_status(self, as_of: dt.date) -> str:
        """The status to show: past its due date and not done, an action is "overdue"
        (已逾期) in every output, whatever its row says; "delayed" is the row's own word."""
        return "overdue" if self.is_overdue(as_of) else self.status


@dataclass(frozen=True, slots=True)
class Source:
    kind: str
    path: str | None = None
    date_column: str = "date"
    value_column: str = "value"
    date_format: str = "%Y-%m-%d"
    query: str | None = None
    connection_env: str | None = None
    system: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Observation:
    date: dt.date
    value: float
    cause: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Metric:
    """One metric of template 3."""

    id: str
    name: str
    direction: str
    target: float
    source: Source
    unit: str = ""
    baseline: float | None = None
    warn_at: float = DEFAULT_WARN_AT
    critical_at: float = DEFAULT_CRITICAL_AT
    core: bool = True
    owner: str | None = None
    observations: tuple[Observation, ...] = ()

    def observations_until(self, as_of: dt.date) -> tuple[Observation, ...]:
        """What was known on the as-of date: later observations do not exist yet."""
        return tuple(o for o in self.observations if o.date <= as_of)


@dataclass(frozen=True, slots=True)
class Anomaly:
    """A delayed task or data anomaly from the weekly review (step 4.3)."""

    id: str
    found: dt.date
    problem: str
    cause: str
    fix: str
    owner: str
    due: dt.date
    status: str
    closed: dt.date | None = None
    metric: str | None = None
    action: str | None = None

    def is_open(self, as_of: dt.date) -> bool:
        """Open on the as-of date (closed later counts as still open then)."""
        if self.found > as_of:
            return False
        return self.status != "closed" or (self.closed is not None and self.closed > as_of)

    def is_overdue(self, as_of: dt.date) -> bool:
        return self.is_open(as_of) and self.due < as_of


@dataclass(frozen=True, slots=True)
class Review:
    """One row of template 4."""

    start: dt.date
    end: dt.date
    kind: str
    attainment: str
    worked: tuple[str, ...]
    problems: tuple[str, ...]
    measures: tuple[str, ...]
    owner: str


@dataclass(frozen=True, slots=True)
class MetricAttainment:
    """One core metric's result at the end of a closed cycle (achievement in percent)."""

    metric: str
    target: float
    actual: float | None
    achievement: float | None


@dataclass(frozen=True, slots=True)
class ClosedCycle:
    """One entry of the history: a closed cycle's dates, attainment and cycle review."""

    start: dt.date
    end: dt.date
    attainment: tuple[MetricAttainment, ...]
    review: Review | None = None

    def attainment_of(self, metric_id: str) -> MetricAttainment | None:
        return next((a for a in self.attainment if a.metric == metric_id), None)


@dataclass(frozen=True, slots=True)
class SopStep:
    step: str
    standard: str | None = None
    role: str | None = None
    tool: str | None = None


@dataclass(frozen=True, slots=True)
class Waiver:
    rule: str
    reason: str


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    title: str
    industry: str
    module: str
    owner: str
    cycle: Cycle
    needs: Needs
    actions: tuple[Action, ...]
    metrics: tuple[Metric, ...]
    anomalies: tuple[Anomaly, ...] = ()
    reviews: tuple[Review, ...] = ()
    sop: tuple[SopStep, ...] = ()
    history: tuple[ClosedCycle, ...] = ()  # closed cycles, oldest first
    waivers: tuple[Waiver, ...] = ()
    tags: tuple[str, ...] = ()
    status: str = "active"
    summary: str | None = None
    file: str = ""

    @property
    def core_metrics(self) -> tuple[Metric, ...]:
        return tuple(m for m in self.metrics if m.core)

    def metric(self, metric_id: str) -> Metric | None:
        return next((m for m in self.metrics if m.id == metric_id), None)

    def people(self) -> tuple[str, ...]:
        """Everyone who owns something in the scenario, scenario owner first."""
        owners = [self.owner]
        owners += [a.owner for a in self.actions] + [m.owner for m in self.metrics if m.owner]
        owners += [a.owner for a in self.anomalies] + [r.owner for r in self.reviews]
        return tuple(dict.fromkeys(owners))


# Building the model from checked data.
