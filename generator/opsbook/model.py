"""The scenario model: frozen values built from checked YAML, and the computations on them.

Computed values (achievement, alert level, stale data, overdue items) are derived here and
only here, from the stored values and an explicit as-of date; they are never read from YAML.
The site, the review pack, the exports and the diff all use these functions, so a number
means the same thing everywhere.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
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


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else ()


# The team.


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str
    department: str
    email: str | None = None
    # Chat ids for mentions and reminders (feishu, dingtalk, dingtalk_mobile, wecom)
    chat: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Team:
    name: str
    description: str | None
    people: Mapping[str, Person]
    departments: Mapping[str, str]  # id → name

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Team:
        people = {
            p["id"]: Person(
                p["id"], p["name"], p["role"], p["department"], p.get("email"), p.get("chat", {})
            )
            for p in data["people"]
        }
        departments = {d["id"]: d["name"] for d in data.get("departments", [])}
        team = data["team"]
        return cls(team["name"], team.get("description"), people, departments)

    def name_of(self, person_id: str) -> str:
        person = self.people.get(person_id)
        return person.name if person else person_id

    def department_name(self, person_id: str) -> str:
        person = self.people.get(person_id)
        return self.departments.get(person.department, person.department) if person else ""


# A scenario and its four tables.


@dataclass(frozen=True)
class Cycle:
    start: dt.date
    end: dt.date
    cadence: str

    @property
    def cadence_days(self) -> int:
        return CADENCE_DAYS[self.cadence]

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class JourneyStage:
    name: str
    value: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class Needs:
    """Template 1."""

    business_goal: str
    goal: str
    user_group: str
    pain_point: str
    insights: tuple[str, ...]
    journey: tuple[JourneyStage, ...]
    success_criteria: tuple[str, ...]


@dataclass(frozen=True)
class Resources:
    budget: float | None = None
    currency: str = "CNY"
    dev_days: float | None = None
    channels: tuple[str, ...] = ()
    note: str | None = None

    @property
    def empty(self) -> bool:
        return self.budget is None and self.dev_days is None and not self.channels and not self.note


@dataclass(frozen=True)
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

    def is_overdue(self, as_of: dt.date) -> bool:
        """Due before the as-of date and not done."""
        return self.due is not None and self.due < as_of and self.status != "done"

    def effective_status(self, as_of: dt.date) -> str:
        """The status to show: an overdue action is delayed, whatever its row says."""
        return "delayed" if self.is_overdue(as_of) else self.status


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Observation:
    date: dt.date
    value: float
    cause: str | None = None
    note: str | None = None


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class SopStep:
    step: str
    standard: str | None = None
    role: str | None = None
    tool: str | None = None


@dataclass(frozen=True)
class Waiver:
    rule: str
    reason: str


@dataclass(frozen=True)
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


def scenario_from_data(data: Mapping[str, Any], file: str = "") -> Scenario:
    """Build a scenario from data that passed ``opsbook check`` (no validation here)."""
    return Scenario(
        id=data["id"],
        title=data["title"],
        industry=data["industry"],
        module=data["module"],
        owner=data["owner"],
        cycle=Cycle(
            _date(data["cycle"]["start"]), _date(data["cycle"]["end"]), data["cycle"]["cadence"]
        ),  # type: ignore[arg-type]
        needs=_needs(data["needs"]),
        actions=tuple(_action(a) for a in data["actions"]),
        metrics=tuple(_metric(m) for m in data["metrics"]),
        anomalies=tuple(_anomaly(a) for a in data.get("anomalies", [])),
        reviews=tuple(_review(r) for r in data.get("reviews", [])),
        sop=tuple(
            SopStep(s["step"], s.get("standard"), s.get("role"), s.get("tool"))
            for s in data.get("sop", [])
        ),
        waivers=tuple(Waiver(w["rule"], w["reason"]) for w in data.get("waivers", [])),
        tags=_texts(data.get("tags")),
        status=data.get("status", "active"),
        summary=data.get("summary"),
        file=file,
    )


def _needs(data: Mapping[str, Any]) -> Needs:
    journey = tuple(
        JourneyStage(s["name"], s.get("value"), s.get("note")) for s in data.get("journey", [])
    )
    return Needs(
        business_goal=data["business_goal"],
        goal=data["goal"],
        user_group=data["user_group"],
        pain_point=data["pain_point"],
        insights=_texts(data.get("insights")),
        journey=journey,
        success_criteria=_texts(data.get("success_criteria")),
    )


def _action(data: Mapping[str, Any]) -> Action:
    res = data.get("resources", {})
    resources = Resources(
        res.get("budget"), res.get("currency", "CNY"), res.get("dev_days"),
        _texts(res.get("channels")), res.get("note"),
    )  # fmt: skip
    return Action(
        id=data["id"], strategy=data["strategy"], action=data["action"], owner=data["owner"],
        standard=data["standard"], status=data["status"], start=_date(data.get("start")),
        due=_date(data.get("due")), repeat=data.get("repeat"), resources=resources,
        note=data.get("note"),
    )  # fmt: skip


def _metric(data: Mapping[str, Any]) -> Metric:
    source = Source(**data["source"])
    observations = sorted(
        (
            Observation(_date(o["date"]), o["value"], o.get("cause"), o.get("note"))
            for o in data.get("observations", [])
        ),  # type: ignore[arg-type]
        key=lambda o: o.date,
    )
    return Metric(
        id=data["id"], name=data["name"], direction=data["direction"], target=data["target"],
        source=source, unit=data.get("unit", ""), baseline=data.get("baseline"),
        warn_at=data.get("warn_at", DEFAULT_WARN_AT),
        critical_at=data.get("critical_at", DEFAULT_CRITICAL_AT), core=data.get("core", True),
        owner=data.get("owner"), observations=tuple(observations),
    )  # fmt: skip


def _anomaly(data: Mapping[str, Any]) -> Anomaly:
    return Anomaly(
        id=data["id"], found=_date(data["found"]), problem=data["problem"], cause=data["cause"],  # type: ignore[arg-type]
        fix=data["fix"], owner=data["owner"], due=_date(data["due"]), status=data["status"],  # type: ignore[arg-type]
        closed=_date(data.get("closed")), metric=data.get("metric"), action=data.get("action"),
    )  # fmt: skip


def _review(data: Mapping[str, Any]) -> Review:
    period = data["period"]
    return Review(
        start=_date(period["start"]), end=_date(period["end"]), kind=data.get("kind", "cycle"),  # type: ignore[arg-type]
        attainment=data["attainment"], worked=_texts(data["worked"]),
        problems=_texts(data["problems"]), measures=_texts(data["measures"]), owner=data["owner"],
    )  # fmt: skip


# Computations.


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


def alert_level(metric: Metric, actual: float | None) -> Alert:
    """The alert for one value: below ``warn_at`` of the target warns, below ``critical_at``
    is critical; without a ratio, meeting the target or not decides."""
    if actual is None:
        return Alert.NO_DATA
    ratio = achievement(metric.direction, metric.target, actual)
    if ratio is None:
        return Alert.OK if meets_target(metric.direction, metric.target, actual) else Alert.CRITICAL
    ratio = round(ratio, 9)  # 18 / 20 is exactly 90%: float noise must not raise an alert
    if ratio < metric.critical_at:
        return Alert.CRITICAL
    if ratio < metric.warn_at:
        return Alert.WARNING
    return Alert.OK


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
        """The worst alert among the core metrics."""
        core = [m.alert for m in self.metrics if m.metric.core] or [Alert.NO_DATA]
        return max(core, key=lambda a: a.rank)

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
