"""The catalog as JSON: every scenario with its computed state, for scripts and BI tools.

The document is described by ``schema/catalog.schema.json``. Stored values appear as in the
YAML; everything opsbook derives (achievement, alert, stale, overdue, effective status) sits
under ``computed`` keys, evaluated on ``as_of``. Keys keep a fixed order and the bytes are a
function of the catalog alone, so the file can be diffed and cached.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import json
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from opsbook.model import (
    Action,
    Alert,
    Anomaly,
    Metric,
    Module,
    Person,
    Scenario,
    ScenarioState,
    Team,
)
from opsbook.model.catalog import Catalog

SCHEMA_ID = "https://opsbook.dev/schema/catalog.schema.json"
FORMAT_VERSION = 2  # 2: an overdue action's effective_status is "overdue", no longer "delayed"


def plain(value: Any) -> Any:
    """Model values as JSON values: dataclasses in field order, dates as ISO text."""
    if value is None or type(value) in _LEAVES:  # most values: asked first (800,000 calls)
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


_LEAVES = frozenset({str, int, float, bool})


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(cls))


def person_record(person: Person) -> dict[str, Any]:
    """A person without their chat ids: the catalog is published with the site, and mobile
    numbers and platform ids are for ``opsbook notify`` alone."""
    record = plain(person)
    record.pop("chat", None)
    return record


def ratio(value: float | None) -> float | None:
    """Achievement rounded to 6 places: 0.9, not 0.8999999999999999."""
    return None if value is None else round(value, 6)


def action_record(action: Action, as_of: dt.date) -> dict[str, Any]:
    return {
        **plain(action),
        "computed": {
            "overdue": action.is_overdue(as_of),
            "effective_status": action.effective_status(as_of),
        },
    }


def metric_record(metric: Metric, state: ScenarioState) -> dict[str, Any]:
    metric_state = state.metric(metric.id)
    assert metric_state is not None
    return {
        **plain(metric),
        "computed": {
            "actual": metric_state.actual,
            "updated": plain(metric_state.updated),
            "achievement": ratio(metric_state.achievement),
            "alert": metric_state.alert.value,
            "stale": metric_state.stale,
            "met": metric_state.met,
        },
    }


def anomaly_record(anomaly: Anomaly, as_of: dt.date) -> dict[str, Any]:
    return {
        **plain(anomaly),
        "computed": {"open": anomaly.is_open(as_of), "overdue": anomaly.is_overdue(as_of)},
    }


def module_record(module: Module) -> dict[str, Any]:
    return {
        "id": module.id,
        "name": module.name,
        "name_en": module.name_en,
        "industry": module.industry,
    }


def scenario_record(scenario: Scenario, state: ScenarioState, team: Team) -> dict[str, Any]:
    record = plain(scenario)
    as_of = state.as_of
    record["actions"] = [action_record(a, as_of) for a in scenario.actions]
    record["metrics"] = [metric_record(m, state) for m in scenario.metrics]
    record["anomalies"] = [anomaly_record(a, as_of) for a in scenario.anomalies]
    headline = state.headline
    record["computed"] = {
        "module_name": {lang: team.module_name(scenario.module, lang) for lang in ("en", "zh-CN")},
        "alert": state.alert.value,
        "headline_metric": headline.metric.id if headline else None,
        "alert_metric": state.status_metric.metric.id if state.status_metric else None,
        "overdue_actions": len(state.overdue_actions),
        "open_anomalies": len(state.open_anomalies),
        "overdue_anomalies": len(state.overdue_anomalies),
        "stale_metrics": len(state.stale_metrics),
    }
    return record


def summary(catalog: Catalog) -> dict[str, Any]:
    states = [catalog.state(s.id) for s in catalog.scenarios]
    alerts = {alert.value: sum(s.alert is alert for s in states) for alert in Alert}
    return {
        "scenarios": len(states),
        "alerts": alerts,
        "overdue_actions": sum(len(s.overdue_actions) for s in states),
        "overdue_anomalies": sum(len(s.overdue_anomalies) for s in states),
        "stale_metrics": sum(len(s.stale_metrics) for s in states),
    }


def catalog_document(catalog: Catalog, *, with_scenarios: bool = True) -> dict[str, Any]:
    team = catalog.team
    return {
        "$schema": SCHEMA_ID,
        "format": FORMAT_VERSION,
        "as_of": catalog.as_of.isoformat(),
        "team": {
            "name": team.name,
            "description": team.description,
            "departments": [{"id": k, "name": v} for k, v in team.departments.items()],
            "people": [person_record(p) for p in team.people.values()],
            "modules": [module_record(m) for m in team.modules.values()],
        },
        "summary": summary(catalog),
        "scenarios": [
            scenario_record(s, catalog.state(s.id), catalog.team) for s in catalog.scenarios
        ]
        if with_scenarios
        else [],
    }


def catalog_json(catalog: Catalog, *, compact: bool = False) -> bytes:
    """The document as UTF-8 JSON (Chinese kept readable), final newline: two-space indent
    for people and diffs, or ``compact`` (the site's download: a third smaller)."""
    layout: dict[str, Any] = {"separators": (",", ":")} if compact else {"indent": 2}

    def encode(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, **layout)

    # The bytes of json.dumps(catalog_document(catalog)), a scenario at a time: at 5,000
    # scenarios the whole document as Python values took 200 MB more than its text, and
    # the text as one str (two or four bytes a character once Chinese is in it) twice
    # its UTF-8.
    head = encode(catalog_document(catalog, with_scenarios=False))
    records = [
        _record_text(encode(scenario_record(s, catalog.state(s.id), catalog.team)), compact=compact)
        for s in catalog.scenarios
    ]
    return _with_scenarios(head, records, compact=compact)


def _record_text(record: str, *, compact: bool) -> bytes:
    """One encoded scenario as UTF-8, indented as an item of the indented layout's list."""
    return (record if compact else textwrap.indent(record, "    ")).encode("utf-8")


def _with_scenarios(head: str, records: list[bytes], *, compact: bool) -> bytes:
    """``head`` (the document with no scenarios: its last member is ``"scenarios": []``)
    with the encoded ``records`` in that list, as json.dumps lays a list out, and a final
    newline; joined once, so the document is never copied whole."""
    if not records:
        return head.encode("utf-8") + b"\n"
    empty, start, separator, end = ("[]}", "[", ",", "]}") if compact else (
        "[]\n}", "[\n", ",\n", "\n  ]\n}"
    )  # fmt: skip
    parts = [head.removesuffix(empty).encode("utf-8"), start.encode()]
    for number, record in enumerate(records):
        parts += [separator.encode(), record] if number else [record]
    return b"".join([*parts, end.encode(), b"\n"])


def export_json(request: Any) -> list[Path]:
    """``opsbook export --format json -o FILE``."""
    from opsbook.support.atomic import write_file

    write_file(request.output, catalog_json(request.catalog))
    return [request.output]
