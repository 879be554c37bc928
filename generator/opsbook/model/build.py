"""Scenarios from checked YAML data: the only place that maps YAML keys onto the model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opsbook.model.values import (
    DEFAULT_CRITICAL_AT,
    DEFAULT_WARN_AT,
    Action,
    Anomaly,
    ClosedCycle,
    Cycle,
    JourneyStage,
    Metric,
    MetricAttainment,
    Needs,
    Observation,
    Resources,
    Review,
    Scenario,
    SopStep,
    Source,
    Waiver,
    optional_date,
    text_tuple,
)


def with_shared_strings(data: Any, strings: dict[str, str]) -> Any:
    """``data`` with each of its strings replaced by the equal one in ``strings`` (added when
    new). Decoded files repeat the same strings (statuses, cadences, people, channels) as
    separate objects: at 5,000 scenarios, 88% of the model's strings were such copies, some
    55 MiB held for the whole build. One ``strings`` for every file of a catalog."""
    if isinstance(data, str):
        return strings.setdefault(data, data)
    if isinstance(data, dict):
        return {key: with_shared_strings(value, strings) for key, value in data.items()}
    if isinstance(data, list):
        return [with_shared_strings(value, strings) for value in data]
    return data


def scenario_from_data(data: Mapping[str, Any], file: str = "") -> Scenario:
    """Build a scenario from data that passed ``opsbook check`` (no validation here)."""
    return Scenario(
        id=data["id"],
        title=data["title"],
        industry=data["industry"],
        module=data["module"],
        owner=data["owner"],
        cycle=Cycle(
            optional_date(data["cycle"]["start"]),
            optional_date(data["cycle"]["end"]),
            data["cycle"]["cadence"],
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
        history=tuple(_closed_cycle(h) for h in data.get("history", [])),
        waivers=tuple(Waiver(w["rule"], w["reason"]) for w in data.get("waivers", [])),
        tags=text_tuple(data.get("tags")),
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
        insights=text_tuple(data.get("insights")),
        journey=journey,
        success_criteria=text_tuple(data.get("success_criteria")),
    )


def _action(data: Mapping[str, Any]) -> Action:
    res = data.get("resources", {})
    resources = Resources(
        res.get("budget"), res.get("currency", "CNY"), res.get("dev_days"),
        text_tuple(res.get("channels")), res.get("note"),
    )  # fmt: skip
    return Action(
        id=data["id"], strategy=data["strategy"], action=data["action"], owner=data["owner"],
        standard=data["standard"], status=data["status"], start=optional_date(data.get("start")),
        due=optional_date(data.get("due")), repeat=data.get("repeat"), resources=resources,
        note=data.get("note"), carried_from=optional_date(data.get("carried_from")),
    )  # fmt: skip


def _closed_cycle(data: Mapping[str, Any]) -> ClosedCycle:
    attainment = tuple(
        MetricAttainment(a["metric"], a["target"], a.get("actual"), a.get("achievement"))
        for a in data["attainment"]
    )
    review = _review(data["review"]) if "review" in data else None
    cycle = data["cycle"]
    return ClosedCycle(
        optional_date(cycle["start"]), optional_date(cycle["end"]), attainment, review,  # type: ignore[arg-type]
    )  # fmt: skip


def _metric(data: Mapping[str, Any]) -> Metric:
    source = Source(**data["source"])
    observations = sorted(
        (
            Observation(optional_date(o["date"]), o["value"], o.get("cause"), o.get("note"))
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
        id=data["id"], found=optional_date(data["found"]), problem=data["problem"], cause=data["cause"],  # type: ignore[arg-type]
        fix=data["fix"], owner=data["owner"], due=optional_date(data["due"]), status=data["status"],  # type: ignore[arg-type]
        closed=optional_date(data.get("closed")), metric=data.get("metric"), action=data.get("action"),
    )  # fmt: skip


def _review(data: Mapping[str, Any]) -> Review:
    period = data["period"]
    return Review(
        start=optional_date(period["start"]), end=optional_date(period["end"]), kind=data.get("kind", "cycle"),  # type: ignore[arg-type]
        attainment=data["attainment"], worked=text_tuple(data["worked"]),
        problems=text_tuple(data["problems"]), measures=text_tuple(data["measures"]), owner=data["owner"],
    )  # fmt: skip


# Computations.
