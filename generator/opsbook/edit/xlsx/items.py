"""Imports of actions, anomalies, metrics and needs: one row, one item of a scenario."""

from __future__ import annotations

import datetime as dt
from typing import Any

from yaml.nodes import MappingNode

from opsbook.check.diagnostics import Diagnostic
from opsbook.edit.obsmerge import Row, merge_observations
from opsbook.edit.xlsx.rows import (
    Import,
    SheetRow,
    cell_text,
    check_read_only,
    exported_row,
    parse_choice,
    parse_date,
    parse_number,
)
from opsbook.edit.yamledit import (
    node_at,
    set_scalar,
)
from opsbook.i18n.vocabulary import worded
from opsbook.model import Scenario


def _item_index(scenario: Scenario, kind: str, item_id: str | None) -> int | None:
    items = getattr(scenario, kind)
    return next((i for i, item in enumerate(items) if item.id == item_id), None)


def _locate(imp: Import, row: SheetRow, kind: str, id_key: str) -> tuple[Scenario, int] | None:
    scenario = imp.scenario(row)
    if scenario is None:
        return None
    item_id = cell_text(row.value(id_key))
    index = _item_index(scenario, kind, item_id)
    if index is None:
        args = {"scenario": scenario.id, "id": item_id or "", "kind": kind}
        imp.problems.append(Diagnostic.at(row.where(id_key), "import.no-item", args))
        return None
    exported = exported_row(imp, row)
    if exported is not None:
        check_read_only(imp, row, exported, scenario.file)
    return scenario, index


def _set(imp: Import, scenario: Scenario, path: tuple[Any, ...], key: str, value: Any) -> None:
    """Set one scalar of the scenario (an edit plus the data the file must then hold)."""
    opened = imp.open(scenario)
    mapping = node_at(opened.root, path)
    assert isinstance(mapping, MappingNode)
    opened.edits.append(set_scalar(opened.text, mapping, key, value))
    target = opened.expected
    for part in path:
        target = target[part]
    target[key] = value.isoformat() if isinstance(value, dt.date) else value


def import_action(imp: Import, row: SheetRow) -> None:
    found = _locate(imp, row, "actions", "action_id")
    status = parse_choice(row, "status", imp.problems)
    if found is None or status is None:
        return
    scenario, index = found
    _set_status(imp, scenario, ("actions", index), status)


def _set_status(imp: Import, scenario: Scenario, where: tuple[str, int], status: str) -> None:
    """An action's or an anomaly's new status, if it changed."""
    kind, index = where
    item = getattr(scenario, kind)[index]
    if status != item.status:
        _set(imp, scenario, where, "status", status)
        states = "action-status" if kind == "actions" else "anomaly-status"
        imp.note(
            "import.status", item=f"{scenario.id}/{item.id}",
            old=worded(states, item.status), new=worded(states, status),
        )  # fmt: skip


def import_anomaly(imp: Import, row: SheetRow) -> None:
    found = _locate(imp, row, "anomalies", "anomaly_id")
    status = parse_choice(row, "status", imp.problems)
    closed = parse_date(row, "closed", imp.problems)
    if found is None or status is None:
        return
    scenario, index = found
    anomaly = scenario.anomalies[index]
    _set_status(imp, scenario, ("anomalies", index), status)
    if closed != anomaly.closed:
        if closed is None:
            imp.problems.append(Diagnostic.at(row.where("closed"), "import.clear", {}))
            return
        _set(imp, scenario, ("anomalies", index), "closed", closed)
        imp.note("import.closed", item=f"{scenario.id}/{anomaly.id}", date=closed.isoformat())


def import_metric(imp: Import, row: SheetRow) -> None:
    found = _locate(imp, row, "metrics", "metric_id")
    problems = len(imp.problems)
    updated = parse_date(row, "updated", imp.problems)
    actual = parse_number(row, "actual", imp.problems)
    cause = cell_text(row.value("cause"))
    if found is None or len(imp.problems) > problems:
        return
    scenario, index = found
    state = imp.catalog.state(scenario.id).metric(scenario.metrics[index].id)
    assert state is not None
    if (updated, actual, cause) == (state.updated, state.actual, state.cause):
        return
    if updated is None or actual is None:
        key = "updated" if updated is None else "actual"
        imp.problems.append(Diagnostic.at(row.where(key), "import.actual", {}))
        return
    if cause is None and state.cause is not None and updated == state.updated:
        imp.problems.append(Diagnostic.at(row.where("cause"), "import.clear", {}))
        return
    opened = imp.open(scenario)
    metric_node = node_at(opened.root, ("metrics", index))
    current = opened.expected["metrics"][index].get("observations", [])
    merged = merge_observations(opened.text, metric_node, current, [Row(updated, actual, cause)])  # type: ignore[arg-type]
    opened.edits += merged.edits
    if merged.touched:
        opened.expected["metrics"][index]["observations"] = list(merged.expected)
        shown = f"{actual:g}" if cause is None else f"{actual:g} ({cause})"
        imp.note(
            "import.observation",
            item=f"{scenario.id}/{scenario.metrics[index].id}",
            date=updated.isoformat(),
            value=shown,
        )


def import_needs(imp: Import, row: SheetRow) -> None:
    """T1 has no input column: a row is only checked for edits that would be lost."""
    scenario = imp.scenario(row)
    exported = exported_row(imp, row) if scenario is not None else None
    if scenario is not None and exported is not None:
        check_read_only(imp, row, exported, scenario.file)
