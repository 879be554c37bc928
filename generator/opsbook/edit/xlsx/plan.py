"""The import planned: every row of the workbook validated, every edit prepared, nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opsbook.check.diagnostics import Diagnostic
from opsbook.check.run import CheckResult, display_path
from opsbook.edit.changeset import ChangeSet, FileChange, team_index
from opsbook.edit.xlsx.items import import_action, import_anomaly, import_metric, import_needs
from opsbook.edit.xlsx.read import read_rows
from opsbook.edit.xlsx.reviews import import_review
from opsbook.edit.xlsx.rows import Import, cell_value
from opsbook.exports.tables import Role
from opsbook.model.catalog import load_catalog

HANDLERS = {
    "needs": import_needs,
    "actions": import_action,
    "anomalies": import_anomaly,
    "metrics": import_metric,
    "reviews": import_review,
}


@dataclass(frozen=True)
class ImportResult:
    done: tuple[Diagnostic, ...]
    changes: tuple[FileChange, ...]
    problems: tuple[Diagnostic, ...]


def _workbook_as_of(path: Path) -> dt.date | None:
    """The as-of date the export stamped on the workbook (its "created" property)."""
    from openpyxl import load_workbook

    try:
        created = load_workbook(path, read_only=True).properties.created
    except Exception:  # reported properly when the rows are read
        return None
    return created.date() if isinstance(created, dt.datetime) else None


def import_xlsx(
    workbook: Path, paths: Sequence[Path], team_file: Path | None, as_of: dt.date | None,
    base: Path,
) -> ImportResult | CheckResult:  # fmt: skip
    """Plan the import: every change and every problem; nothing is written here."""
    day = as_of or _workbook_as_of(workbook) or dt.date.today()
    from opsbook.support.cache import Cache, default_cache_dir

    cache = Cache(default_cache_dir())
    catalog, checked = load_catalog(paths, as_of=day, team_file=team_file, cache=cache, base=base)
    if catalog is None:
        return checked
    imp = Import(catalog, ChangeSet(base))
    seen: dict[tuple[Any, ...], int] = {}
    for row in read_rows(workbook, display_path(workbook, base), imp.problems):
        ids = (
            row.sheet.key,
            *(cell_value(row.value(c.key)) for c in row.sheet.columns if c.role is Role.ID),
        )
        if ids in seen:
            imp.problems.append(
                Diagnostic.at(row.where("scenario_id"), "import.duplicate-row", {"row": seen[ids]})
            )
            continue
        seen[ids] = row.number
        if row.sheet.key in HANDLERS:
            HANDLERS[row.sheet.key](imp, row)
    if imp.problems:
        return ImportResult((), (), tuple(imp.problems))
    changes, invalid = imp.changes.finish(team_index(paths, team_file, base))
    return ImportResult(tuple(imp.done), tuple(changes), tuple(invalid))
