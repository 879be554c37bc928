"""``opsbook cycle close`` and ``opsbook cycle next``: step 5.3, one cycle ends, the next starts.

``close`` records the ending cycle's results (core-metric attainment and the cycle review) in
the scenario's ``history``; ``next`` moves the dates by the cycle's length, carries unfinished
actions over (marked ``carried_from``) and moves done actions, observations and reviews into
the closed cycle's history entry. Both are splices through :class:`ChangeSet`: comments and
layout stay, the result is verified and checked, and every file is written or none.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from yaml.nodes import MappingNode, Node, SequenceNode

from opsbook.check.diagnostics import Diagnostic, Location
from opsbook.check.loader import node_position
from opsbook.edit.changeset import ChangeSet, FileChange, OpenFile
from opsbook.edit.yamledit import (
    Edit,
    after_line,
    item_indent,
    line_start,
    newline_of,
    node_at,
    set_scalar,
)
from opsbook.model.evaluate import achievement

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class CycleRequest:
    """What to do: ``close`` or ``next``, to which scenarios, with which options."""

    action: str
    ids: tuple[str, ...] = ()
    every_ended: bool = False
    start: str | None = None
    targets: tuple[str, ...] = ()
    as_of: dt.date = dt.date.min
    dry_run: bool = False


@dataclass
class CyclePlan:
    done: list[str] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


# Rendering new YAML blocks.


def _yaml_ready(value: Any) -> Any:
    """Dates (kept as text by the loader) become dates, so they are written unquoted."""
    if isinstance(value, str) and _DATE.match(value):
        return dt.date.fromisoformat(value)
    if isinstance(value, Mapping):
        return {key: _yaml_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_yaml_ready(item) for item in value]
    return value


def render_block(value: Any, indent: str, nl: str) -> str:
    """A mapping or a list as block YAML, innermost collections in flow style."""
    yaml = YAML()
    yaml.default_flow_style = None
    yaml.width = 1 << 16
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    yaml.dump(_yaml_ready(value), stream)
    lines = stream.getvalue().splitlines()
    strip = min(len(line) - len(line.lstrip(" ")) for line in lines if line.strip())
    return "".join(f"{indent}{line[strip:]}{nl}" for line in lines)


def _delete_block(text: str, start_node: Node, end_node: Node) -> Edit:
    """Remove whole lines, from the line where ``start_node`` begins to ``end_node``'s."""
    start = line_start(text, text.rfind("-", 0, start_node.start_mark.index) + 1)
    if isinstance(start_node, MappingNode | SequenceNode) and start_node.flow_style:
        start = line_start(text, start_node.start_mark.index)
    return Edit(start, after_line(text, end_node), "")


def _delete_key(text: str, mapping: MappingNode, key: str) -> Edit | None:
    for key_node, value_node in mapping.value:
        if key_node.value == key:
            start = line_start(text, key_node.start_mark.index)
            end = after_line(text, value_node)
            if text[max(0, start - 2) : start] == "\n\n" and text[end : end + 1] == "\n":
                end += 1  # a section between blank lines leaves one blank line, not two
            return Edit(start, end, "")
    return None


def _add_keys(text: str, mapping: MappingNode, items: Mapping[str, Any]) -> Edit:
    """Add block keys at the end of a block mapping."""
    indent = " " * mapping.value[0][0].start_mark.column
    at = after_line(text, mapping.value[-1][1])
    return Edit(at, at, render_block(dict(items), indent, newline_of(text)))


def _append_item(text: str, root: MappingNode, key: str, item: Mapping[str, Any]) -> Edit:
    """Append ``item`` to the block list ``key`` of the root, adding the key when absent."""
    nl = newline_of(text)
    sequence = node_at(root, (key,))
    if isinstance(sequence, SequenceNode) and sequence.value and not sequence.flow_style:
        at = after_line(text, sequence.value[-1])
        return Edit(at, at, render_block([item], item_indent(text, sequence), nl))
    if sequence is None:
        at = after_line(text, root.value[-1][1])
        prefix = "" if text.endswith(("\n", "\r\n")) or at < len(text) else nl
        return Edit(at, at, f"{prefix}{nl}{key}:{nl}" + render_block([item], "  ", nl))
    raise ValueError("history must be a block list")


# Close.


def core_metric_ids(data: Mapping[str, Any]) -> list[str]:
    """The core metrics: the needs' success criteria, else every metric."""
    known = [m["id"] for m in data.get("metrics", [])]
    criteria = [c for c in data.get("needs", {}).get("success_criteria", []) if c in known]
    return criteria or known


def attainment(metric: Mapping[str, Any], cycle: Mapping[str, Any]) -> dict[str, Any]:
    """A metric's result at the end of the cycle: its last observation in the cycle."""
    inside = sorted(
        (o for o in metric.get("observations", []) if cycle["start"] <= o["date"] <= cycle["end"]),
        key=lambda o: o["date"],
    )
    result: dict[str, Any] = {"metric": metric["id"], "target": metric["target"]}
    if inside:
        actual = inside[-1]["value"]
        result["actual"] = actual
        ratio = achievement(metric.get("direction", "up"), metric["target"], actual)
        if ratio is not None:
            percent = round(ratio * 100, 1)
            result["achievement"] = int(percent) if percent.is_integer() else percent
    return result


def cycle_review(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """The last end-of-cycle review (kind ``cycle``, the default) within the cycle."""
    cycle = data["cycle"]
    reviews = [
        r
        for r in data.get("reviews", [])
        if r.get("kind", "cycle") == "cycle" and r["period"]["end"] >= cycle["start"]
    ]
    return copy.deepcopy(reviews[-1]) if reviews else None


def is_closed(data: Mapping[str, Any]) -> bool:
    history = data.get("history", [])
    return bool(history) and history[-1]["cycle"] == _dates_of(data["cycle"])


def _dates_of(cycle: Mapping[str, Any]) -> dict[str, Any]:
    return {"start": cycle["start"], "end": cycle["end"]}


def plan_close(opened: OpenFile, where: Location, as_of: dt.date) -> Diagnostic | None:
    data = opened.data
    cycle = data["cycle"]
    if dt.date.fromisoformat(cycle["end"]) >= as_of:
        return Diagnostic.at(
            where, "cycle.not-ended", {"end": cycle["end"], "as_of": as_of.isoformat()}
        )
    if is_closed(data):
        return Diagnostic.at(where, "cycle.already-closed", {"start": cycle["start"]})
    metrics = {m["id"]: m for m in data["metrics"]}
    entry: dict[str, Any] = {
        "cycle": _dates_of(cycle),
        "attainment": [attainment(metrics[i], cycle) for i in core_metric_ids(data)],
    }
    review = cycle_review(data)
    if review is not None:
        entry["review"] = review
    opened.edits.append(_append_item(opened.text, opened.root, "history", entry))  # type: ignore[arg-type]
    opened.expected.setdefault("history", []).append(entry)
    return None


# Next.


@dataclass(frozen=True)
class NextOptions:
    start: dt.date | None
    targets: Mapping[str, float]


def _shifted(value: str, days: int) -> str:
    return (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat()


def plan_next(opened: OpenFile, where: Location, options: NextOptions) -> Diagnostic | None:
    data = opened.data
    cycle = data["cycle"]
    if not is_closed(data):
        return Diagnostic.at(
            where, "cycle.not-closed", {"start": cycle["start"], "end": cycle["end"]}
        )
    old_start, old_end = dt.date.fromisoformat(cycle["start"]), dt.date.fromisoformat(cycle["end"])
    new_start = options.start or old_end + dt.timedelta(days=1)
    if new_start <= old_end:
        return Diagnostic.at(
            where, "cycle.start-too-early", {"start": new_start, "end": cycle["end"]}
        )
    unknown = sorted(set(options.targets) - {m["id"] for m in data["metrics"]})
    if unknown:
        known = ", ".join(m["id"] for m in data["metrics"])
        return Diagnostic.at(where, "cycle.unknown-metric", {"metric": unknown[0], "known": known})
    carried = [a for a in data["actions"] if a.get("status") != "done"]
    if not carried:
        return Diagnostic.at(where, "cycle.nothing-carried", {})
    days = (new_start - old_start).days
    _next_cycle(opened, days)
    _next_actions(opened, days)
    _next_metrics(opened, options.targets)
    return None


def next_end(start: dt.date, end: dt.date, new_start: dt.date) -> dt.date:
    """The next cycle's last day: as many whole months when the cycle was whole calendar
    months (June 1–30 is followed by July 1–31), else as many days."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    whole = start.day == 1 and (end + dt.timedelta(days=1)).day == 1 and new_start.day == 1
    if not whole:
        return new_start + (end - start)
    index = new_start.year * 12 + new_start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)


def _next_cycle(opened: OpenFile, days: int) -> None:
    cycle_node = node_at(opened.root, ("cycle",))
    assert isinstance(cycle_node, MappingNode)
    cycle = opened.data["cycle"]
    start = _as_date(cycle["start"]) + dt.timedelta(days=days)
    end = next_end(_as_date(cycle["start"]), _as_date(cycle["end"]), start)
    for key, value in (("start", start), ("end", end)):
        opened.edits.append(set_scalar(opened.text, cycle_node, key, value))
        opened.expected["cycle"][key] = value.isoformat()


def _next_actions(opened: OpenFile, days: int) -> None:
    text, data = opened.text, opened.data
    moved: list[Any] = []
    kept: list[Any] = []
    sequence = node_at(opened.root, ("actions",))
    assert isinstance(sequence, SequenceNode)
    for action, node in zip(data["actions"], sequence.value, strict=True):
        if action.get("status") == "done":
            moved.append(copy.deepcopy(action))
            opened.edits.append(_delete_block(text, node, node))
            continue
        kept.append(_carry(opened, action, node, days))
    opened.expected["actions"] = kept
    _record_moved(opened, moved)


def _carry(opened: OpenFile, action: Mapping[str, Any], node: Node, days: int) -> dict[str, Any]:
    assert isinstance(node, MappingNode)
    result = copy.deepcopy(dict(action))
    for key in ("start", "due"):
        if key in action:
            result[key] = _shifted(action[key], days)
            day = dt.date.fromisoformat(result[key])
            opened.edits.append(set_scalar(opened.text, node, key, day))
    if "carried_from" not in action:
        origin = opened.data["cycle"]["start"]
        result["carried_from"] = origin
        opened.edits.append(set_scalar(opened.text, node, "carried_from", _as_date(origin)))
    return result


def _as_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _next_metrics(opened: OpenFile, targets: Mapping[str, float]) -> None:
    text = opened.text
    for index, metric in enumerate(opened.data["metrics"]):
        node = node_at(opened.root, ("metrics", index))
        assert isinstance(node, MappingNode)
        expected = opened.expected["metrics"][index]
        if metric["id"] in targets:
            opened.edits.append(set_scalar(text, node, "target", targets[metric["id"]]))
            expected["target"] = targets[metric["id"]]
        edit = _delete_key(text, node, "observations")
        if edit is not None:
            opened.edits.append(edit)
            expected.pop("observations", None)


def _record_moved(opened: OpenFile, actions: list[Any]) -> None:
    """Done actions, observations and the other reviews into the last history entry."""
    data = opened.data
    entry = opened.expected["history"][-1]
    added: dict[str, Any] = {}
    reviews = [r for r in data.get("reviews", []) if r != entry.get("review")]
    observations = {m["id"]: m["observations"] for m in data["metrics"] if m.get("observations")}
    for key, value in (("reviews", reviews), ("actions", actions)):
        if value and key not in entry:
            added[key] = value
    if observations and "observations" not in entry:
        added["observations"] = observations
    edit = _delete_key(opened.text, opened.root, "reviews")  # type: ignore[arg-type]
    if edit is not None:
        opened.edits.append(edit)
        opened.expected.pop("reviews", None)
    if added:
        node = node_at(opened.root, ("history", len(data["history"]) - 1))
        assert isinstance(node, MappingNode)
        opened.edits.append(_add_keys(opened.text, node, added))
        entry.update(added)


# The whole command.


def location(opened: OpenFile, path: tuple[str | int, ...]) -> Location:
    node = node_at(opened.root, path)
    line = node_position(node)[0] if node is not None else 1
    return Location(opened.shown, line)


def plan(
    changes: ChangeSet, files: Sequence[tuple[str, Path]], request: CycleRequest, options: Any
) -> CyclePlan:
    result = CyclePlan()
    for scenario_id, path in files:
        opened = changes.open(path)
        if request.action == "close":
            problem = plan_close(opened, location(opened, ("cycle", "end")), request.as_of)
        else:
            problem = plan_next(opened, location(opened, ("cycle",)), options)
        if problem is None:
            result.done.append(scenario_id)
        else:
            result.problems.append(problem)
    return result


def summary(changes: Sequence[FileChange]) -> list[str]:
    return [change.shown for change in changes]
