"""Validating one row from a source: a date, a finite number, no date twice."""

from __future__ import annotations

import datetime as dt
import decimal
import math
import re
from typing import Any

from opsbook.check.diagnostics import Diagnostic, Location

_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")


def parse_date(raw: Any, date_format: str, column: str, where: Location) -> dt.date | Diagnostic:
    """A date from a cell or a database value (date, midnight datetime or text)."""
    if isinstance(raw, dt.datetime):
        if raw.time() == dt.time(0) and raw.tzinfo is None:
            return raw.date()
    elif isinstance(raw, dt.date):
        return raw
    elif isinstance(raw, str) and raw.strip():
        try:
            return dt.datetime.strptime(raw.strip(), date_format).date()
        except ValueError:
            pass
    elif raw is None or (isinstance(raw, str) and not raw.strip()):
        return Diagnostic.at(where, "value.empty", {"column": column})
    return Diagnostic.at(
        where, "value.bad-date", {"value": raw, "format": date_format, "column": column}
    )


def parse_number(raw: Any, column: str, where: Location) -> float | Diagnostic:
    """A finite number; text must look like one (no ``nan``, ``1_000`` or ``18%``)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Diagnostic.at(where, "value.empty", {"column": column})
    if isinstance(raw, bool):
        value: float | None = None
    elif isinstance(raw, int | float | decimal.Decimal):
        value = float(raw)
    elif isinstance(raw, str) and _NUMBER.match(raw.strip()):
        value = float(raw.strip())
    else:
        value = None
    if value is None or not math.isfinite(value):
        return Diagnostic.at(where, "value.bad-number", {"value": raw, "column": column})
    return value
