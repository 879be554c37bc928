"""Metric sources: rows of (date, value) from CSV files and SQL databases, validated.

Each source returns every row of the metric's cycle or every problem it found; nothing is
written here. Validation is the same for both kinds: a date in the declared format, a finite
number, no date twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from opsbook.check.diagnostics import Diagnostic, Location
from opsbook.edit.obsmerge import Row
from opsbook.edit.sources.values import parse_date, parse_number
from opsbook.model import Cycle, Source


@dataclass(frozen=True)
class Fetched:
    """What one source gave: rows inside the cycle, how many fell outside, the problems."""

    rows: tuple[Row, ...] = ()
    outside: int = 0
    problems: tuple[Diagnostic, ...] = ()


def collect(records: Iterable[tuple[Location, Any, Any]], source: Source, cycle: Cycle) -> Fetched:
    """Validate ``(where, date, value)`` records; keep the rows inside the cycle."""
    rows: list[Row] = []
    problems: list[Diagnostic] = []
    first_seen: dict[Any, Location] = {}
    outside = 0
    for where, raw_date, raw_value in records:
        date = parse_date(raw_date, source.date_format, source.date_column, where)
        value = parse_number(raw_value, source.value_column, where)
        problems += [p for p in (date, value) if isinstance(p, Diagnostic)]
        if isinstance(date, Diagnostic):
            continue
        if date in first_seen:
            args = {"date": date.isoformat(), "first": str(first_seen[date].line)}
            problems.append(Diagnostic.at(where, "value.duplicate", args))
            continue
        first_seen[date] = where
        if isinstance(value, Diagnostic):
            continue
        if cycle.contains(date):
            rows.append(Row(date, value))
        else:
            outside += 1
    return Fetched(tuple(rows), outside, tuple(problems))
