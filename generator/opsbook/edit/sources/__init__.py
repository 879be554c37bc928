"""Metric sources: rows of (date, value) from CSV files and SQL databases, validated.

Each source returns every row of the metric's cycle or every problem it found; nothing is
written here. Validation is the same for both kinds: a date in the declared format, a finite
number, no date twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from opsbook.edit.obsmerge import Row
from opsbook.edit.sources.texts import Problem
from opsbook.edit.sources.values import parse_date, parse_number
from opsbook.model import Cycle, Source


@dataclass(frozen=True)
class Fetched:
    """What one source gave: rows inside the cycle, how many fell outside, the problems."""

    rows: tuple[Row, ...] = ()
    outside: int = 0
    problems: tuple[Problem, ...] = ()


def collect(records: Iterable[tuple[str, Any, Any]], source: Source, cycle: Cycle) -> Fetched:
    """Validate ``(where, date, value)`` records; keep the rows inside the cycle."""
    rows: list[Row] = []
    problems: list[Problem] = []
    first_seen: dict[Any, str] = {}
    outside = 0
    for where, raw_date, raw_value in records:
        date = parse_date(raw_date, source.date_format, source.date_column, where)
        value = parse_number(raw_value, source.value_column, where)
        problems += [p for p in (date, value) if isinstance(p, Problem)]
        if isinstance(date, Problem):
            continue
        if date in first_seen:
            args = {"date": date.isoformat(), "first": first_seen[date].rsplit(":", 1)[-1]}
            problems.append(Problem(where, "value.duplicate", args))
            continue
        first_seen[date] = where
        if isinstance(value, Problem):
            continue
        if cycle.contains(date):
            rows.append(Row(date, value))
        else:
            outside += 1
    return Fetched(tuple(rows), outside, tuple(problems))
