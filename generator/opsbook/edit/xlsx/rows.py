"""A workbook row as read, and the parsing of its input cells into values."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opsbook.check.diagnostics import Diagnostic, Location
from opsbook.edit.changeset import ChangeSet, OpenFile
from opsbook.exports.tables import Role, Sheet, choice_lookup, display
from opsbook.model import Scenario
from opsbook.model.catalog import Catalog
from opsbook.site.render.labels import Labels

_PERSON = re.compile(r"\(([^()]+)\)\s*\Z")


@dataclass(frozen=True)
class Cell:
    where: Location
    value: Any


@dataclass
class SheetRow:
    sheet: Sheet
    lang: str
    number: int
    cells: dict[str, Cell]

    def value(self, key: str) -> Any:
        cell = self.cells.get(key)
        return cell.value if cell else None

    def where(self, key: str) -> Location:
        return self.cells[key].where


@dataclass
class Import:
    """The state of one import: the catalog, the files being edited, what was found."""

    catalog: Catalog
    changes: ChangeSet
    problems: list[Diagnostic] = field(default_factory=list)
    done: list[Diagnostic] = field(default_factory=list)
    exported: dict[tuple[str, str], dict[tuple[Any, ...], dict[str, Any]]] = field(
        default_factory=dict
    )

    def scenario(self, row: SheetRow) -> Scenario | None:
        wanted = cell_text(row.value("scenario_id"))
        found = next((s for s in self.catalog.scenarios if s.id == wanted), None)
        if found is None:
            self.problems.append(Diagnostic.at(row.where("scenario_id"), "import.no-scenario",
                                         {"id": wanted or ""}))  # fmt: skip
        return found

    def open(self, scenario: Scenario) -> OpenFile:
        return self.changes.open(Path(scenario.file))

    def note(self, code: str, **args: Any) -> None:
        """Record one change, to be reported in the user's language."""
        self.done.append(Diagnostic(code, args=args))


# Reading cells.


def cell_text(value: Any) -> str | None:
    if value is None:
        return None
    text = (value if isinstance(value, str) else str(value)).replace("\r\n", "\n").strip()
    return text or None


def cell_value(value: Any) -> Any:
    """Cells compared the way a person reads them: 20 == 20.0, a datetime at midnight is
    a date, surrounding spaces do not count."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0) else value
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    return cell_text(value) if isinstance(value, str) else value


# Parsing input cells.


def parse_choice(row: SheetRow, key: str, problems: list[Diagnostic]) -> str | None:
    column = row.sheet.column(key)
    raw = cell_text(row.value(key))
    if raw is None:
        problems.append(
            Diagnostic.at(row.where(key), "import.empty", {"column": column.header(row.lang)})
        )
        return None
    value = choice_lookup(column.kind).get(raw.casefold())
    if value is None:
        from opsbook.exports.tables import choice_labels

        choices = {
            lang: ", ".join(choice_labels(column.kind, Labels(lang))) for lang in ("en", "zh-CN")
        }
        problems.append(
            Diagnostic.at(row.where(key), "import.choice", {"value": raw, "choices": choices})
        )
    return value


def parse_date(row: SheetRow, key: str, problems: list[Diagnostic]) -> dt.date | None:
    raw = row.value(key)
    if isinstance(raw, dt.datetime) and raw.time() == dt.time(0):
        return raw.date()
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    text = cell_text(raw)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        problems.append(Diagnostic.at(row.where(key), "import.date", {"value": text}))
        return None


def parse_number(row: SheetRow, key: str, problems: list[Diagnostic]) -> float | None:
    from opsbook.edit.sources.values import parse_number as number

    raw = row.value(key)
    if cell_text(raw) is None and not isinstance(raw, int | float):
        return None
    column = row.sheet.column(key).header(row.lang)
    value = number(raw, column, row.where(key))
    if isinstance(value, Diagnostic):
        problems.append(value)
        return None
    return value


def parse_person(imp: Import, row: SheetRow, key: str) -> str | None:
    text = cell_text(row.value(key))
    if text is None:
        column = row.sheet.column(key).header(row.lang)
        imp.problems.append(Diagnostic.at(row.where(key), "import.empty", {"column": column}))
        return None
    match = _PERSON.search(text)
    candidate = match.group(1).strip() if match else text
    people = imp.catalog.team.people
    if candidate in people:
        return candidate
    by_name = [p.id for p in people.values() if p.name == text]
    if len(by_name) == 1:
        return by_name[0]
    imp.problems.append(Diagnostic.at(row.where(key), "import.person", {"value": text}))
    return None


def parse_lines(row: SheetRow, key: str) -> list[str]:
    text = cell_text(row.value(key))
    return [line.strip() for line in text.split("\n") if line.strip()] if text else []


# Read-only columns must not have been edited.


def check_read_only(imp: Import, row: SheetRow, exported: Mapping[str, Any], file: str) -> None:
    labels = Labels(row.lang)
    for column in row.sheet.columns:
        if column.role is not Role.READ or column.key not in row.cells:
            continue
        expected = cell_value(display(column, exported.get(column.key), labels))
        if cell_value(row.value(column.key)) != expected:
            args = {"column": column.header(row.lang), "file": file}
            imp.problems.append(Diagnostic.at(row.where(column.key), "import.read-only", args))


def exported_row(imp: Import, row: SheetRow) -> dict[str, Any] | None:
    """The row as the export writes it now (indexed once per sheet and language)."""
    id_keys = [c.key for c in row.sheet.columns if c.role is Role.ID]
    key = (row.sheet.key, row.lang)
    if key not in imp.exported:
        rows = row.sheet.rows(imp.catalog, Labels(row.lang))
        imp.exported[key] = {tuple(cell_value(r[k]) for k in id_keys): r for r in rows}
    return imp.exported[key].get(tuple(cell_value(row.value(k)) for k in id_keys))


# The sheets.
