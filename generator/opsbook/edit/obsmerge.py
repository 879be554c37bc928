"""Merging observations into a metric's ``observations`` list, as text edits.

Shared by ``opsbook pull`` (rows from CSV files and databases) and ``opsbook import-xlsx``
(actuals typed into the workbook). A merge never deletes: an observation on a date the source
does not return (an older cycle, a hand-entered value) stays; a date the list already has
keeps its item, its position and its cause, and only a different value is replaced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import MappingNode, Node, SequenceNode

from opsbook.edit.yamledit import Edit, add_key_with_items, child, insert_items, set_scalar


@dataclass(frozen=True)
class Row:
    """One validated observation: from a source row or a workbook cell."""

    date: dt.date
    value: float
    cause: str | None = None


@dataclass(frozen=True)
class MergeResult:
    edits: tuple[Edit, ...]
    added: tuple[dt.date, ...] = ()
    changed: tuple[dt.date, ...] = ()
    unchanged: int = 0
    expected: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed)


def _existing(sequence: SequenceNode | None) -> dict[dt.date, MappingNode]:
    items: dict[dt.date, MappingNode] = {}
    for item in sequence.value if sequence is not None else []:
        date = child(item, "date")
        if isinstance(item, MappingNode) and date is not None:
            items[dt.date.fromisoformat(date.value)] = item
    return items


def _number(node: Node | None) -> float | None:
    try:
        return float(node.value) if node is not None else None
    except (TypeError, ValueError):
        return None


def _update(text: str, item: MappingNode, row: Row) -> list[Edit]:
    """Edits that make an existing item hold the row's value (and cause, if given)."""
    edits = []
    if _number(child(item, "value")) != row.value:
        edits.append(set_scalar(text, item, "value", row.value))
    cause = child(item, "cause")
    if row.cause is not None and (cause is None or cause.value != row.cause):
        edits.append(set_scalar(text, item, "cause", row.cause))
    return edits


def _new_item(row: Row) -> dict[str, Any]:
    item: dict[str, Any] = {"date": row.date, "value": row.value}
    if row.cause is not None:
        item["cause"] = row.cause
    return item


def merge_observations(
    text: str, metric: MappingNode, current: Sequence[dict[str, Any]], rows: Sequence[Row]
) -> MergeResult:
    """The edits that merge ``rows`` into the metric's observations.

    ``current`` is the list as loaded (plain data); ``expected`` in the result is the list
    the edited file must load as, which the caller verifies.
    """
    sequence = child(metric, "observations")
    sequence = sequence if isinstance(sequence, SequenceNode) else None
    existing = _existing(sequence)
    expected = {dt.date.fromisoformat(o["date"]): dict(o) for o in current}
    edits: list[Edit] = []
    added: list[Row] = []
    changed: list[dt.date] = []
    for row in sorted(rows, key=lambda r: r.date):
        if row.date in existing:
            updates = _update(text, existing[row.date], row)
            edits += updates
            changed += [row.date] if updates else []
        else:
            added.append(row)
        expected[row.date] = {**expected.get(row.date, {}), **_expected_item(row)}
    edits += _insertions(text, metric, sequence, existing, added)
    return MergeResult(
        edits=tuple(edits),
        added=tuple(r.date for r in added),
        changed=tuple(changed),
        unchanged=len(rows) - len(added) - len(changed),
        expected=tuple(_in_file_order(current, expected)),
    )


def _expected_item(row: Row) -> dict[str, Any]:
    item: dict[str, Any] = {"date": row.date.isoformat(), "value": row.value}
    if row.cause is not None:
        item["cause"] = row.cause
    return item


def _in_file_order(
    current: Sequence[dict[str, Any]], expected: dict[dt.date, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The list as the edits leave it: existing items keep their place; new ones follow the
    existing item with the latest earlier date (or open the list), in date order."""
    order = [dt.date.fromisoformat(o["date"]) for o in current]
    groups = _anchors(order, sorted(set(expected) - set(order)))
    result = list(groups.get(None, []))
    for date in order:
        result += [date, *groups.get(date, [])]
    return [expected[d] for d in result]


def _anchors(
    existing: Sequence[dt.date], new: Sequence[dt.date]
) -> dict[dt.date | None, list[dt.date]]:
    """New dates grouped by the existing date they are inserted after (``None``: first)."""
    groups: dict[dt.date | None, list[dt.date]] = {}
    for date in new:
        earlier = [d for d in existing if d < date]
        groups.setdefault(max(earlier) if earlier else None, []).append(date)
    return groups


def _insertions(
    text: str,
    metric: MappingNode,
    sequence: SequenceNode | None,
    existing: dict[dt.date, MappingNode],
    added: Sequence[Row],
) -> list[Edit]:
    """New items, each inserted after the existing item with the latest earlier date."""
    if not added:
        return []
    if sequence is None:
        return [add_key_with_items(text, metric, "observations", [_new_item(r) for r in added])]
    by_date = {r.date: r for r in added}
    groups = _anchors(list(existing), [r.date for r in added])
    return [
        insert_items(
            text,
            sequence,
            existing[anchor] if anchor is not None else None,
            [_new_item(by_date[d]) for d in dates],
        )
        for anchor, dates in groups.items()
    ]
