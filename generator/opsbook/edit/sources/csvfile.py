"""CSV sources: a file in the repository, relative to the scenario file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from opsbook.check.diagnostics import Diagnostic, Location
from opsbook.edit.sources import Fetched, collect
from opsbook.model import Cycle, Source


def read_csv(path: Path, shown: str, source: Source, cycle: Cycle, where: Location) -> Fetched:
    """Rows of ``path`` (shown to users as ``shown``); problems are located ``file:line``."""
    if not path.is_file():
        return Fetched(problems=(Diagnostic.at(where, "csv.missing", {"path": shown}),))
    try:
        content = path.read_bytes().decode("utf-8-sig")  # Excel writes a BOM
    except (OSError, UnicodeDecodeError) as error:
        reason = str(error)
        return Fetched(
            problems=(Diagnostic.at(where, "csv.unreadable", {"path": shown, "reason": reason}),)
        )
    reader = csv.reader(io.StringIO(content, newline=""))
    header = next(reader, None)
    if not header:
        return Fetched(problems=(Diagnostic.at(Location(shown, 1), "csv.empty", {}),))
    header = [name.strip() for name in header]
    missing = [c for c in (source.date_column, source.value_column) if c not in header]
    if missing:
        args = {"column": missing[0], "columns": ", ".join(header)}
        return Fetched(problems=(Diagnostic.at(Location(shown, 1), "csv.no-column", args),))
    date_at, value_at = header.index(source.date_column), header.index(source.value_column)
    return collect(_records(reader, shown, date_at, value_at), source, cycle)


def _records(
    reader: Iterator[list[str]], shown: str, date_at: int, value_at: int
) -> Iterator[tuple[Location, str | None, str | None]]:
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are not rows
        line = getattr(reader, "line_num", 0)
        yield (
            Location(shown, line),
            cells[date_at] if date_at < len(cells) else None,
            cells[value_at] if value_at < len(cells) else None,
        )
