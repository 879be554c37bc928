"""``opsbook import-xlsx``: validate every row of the workbook, then write the edits at once."""

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


# The command.


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
    workbook: Path, paths: Sequence[Path], team_file: Path | None, as_of: dt.date | None
) -> ImportResult | CheckResult:
    """Plan the import: every change and every problem; nothing is written here."""
    day = as_of or _workbook_as_of(workbook) or dt.date.today()
    from opsbook.support.cache import Cache, default_cache_dir

    cache = Cache(default_cache_dir())
    catalog, checked = load_catalog(paths, as_of=day, team_file=team_file, cache=cache)
    if catalog is None:
        return checked
    imp = Import(catalog, ChangeSet())
    seen: dict[tuple[Any, ...], int] = {}
    for row in read_rows(workbook, display_path(workbook), imp.problems):
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
    changes, invalid = imp.changes.finish(team_index(paths, team_file))
    return ImportResult(tuple(imp.done), tuple(changes), tuple(invalid))


def run_import(
    workbook: Path, paths: Sequence[Path], team_file: Path | None, lang: str, dry_run: bool,
    as_of: dt.date | None = None,
) -> tuple[str, int]:  # fmt: skip
    from opsbook.check.reporters import REPORTERS
    from opsbook.edit.changeset import write_changes
    from opsbook.edit.sources.texts import text

    result = import_xlsx(workbook, paths, team_file, as_of)
    if isinstance(result, CheckResult):
        return REPORTERS["text"](result, lang), 1
    lines = [note.message(lang) for note in result.done]
    if result.problems:
        lines += summarised(result.problems, display_path(workbook), lang)
        lines.append(text("pull.failed", lang, errors=len(result.problems)))
        return "\n".join(lines) + "\n", 1
    if dry_run:
        lines += [c.diff().rstrip("\n") for c in result.changes]
        lines.append(text("pull.dry-run", lang))
    elif result.changes:
        try:
            write_changes(result.changes)
        except OSError as error:
            return Diagnostic("write.failed", args={"reason": str(error)}).render(lang) + "\n", 1
        lines.append(
            text("import.written", lang, changes=len(result.done), files=len(result.changes))
        )
    else:
        lines.append(text("pull.nothing", lang))
    return "\n".join(lines) + "\n", 0


SHOWN_OF_A_KIND = 5  # problems of one kind in one sheet listed before the rest are counted


@dataclass
class _Kind:
    """Problems of one code in one sheet: how many, the first, and the line counting the
    rest (once there is a rest)."""

    first: Diagnostic
    count: int = 0
    line: int | None = None


def summarised(problems: Sequence[Diagnostic], shown: str, lang: str) -> list[str]:
    """The problems as lines, the first few of each kind in each sheet in full and the rest
    counted where the next would be: 10,000 pasted rows with one mistake give a short
    report, not 10,000 lines."""
    from opsbook.edit.sources.texts import text

    lines: list[str] = []
    kinds: dict[tuple[str, str], _Kind] = {}
    for problem in problems:
        sheet = _sheet_in(problem, shown)
        kind = kinds.setdefault((sheet or "", problem.code), _Kind(problem))
        kind.count += 1
        if sheet is None or kind.count <= SHOWN_OF_A_KIND:
            lines.append(problem.render(lang))
        elif kind.line is None:
            kind.line = len(lines)
            lines.append("")  # filled in once the count is known
    for (sheet, _code), kind in kinds.items():
        if kind.line is not None:
            more = f"{kind.count - SHOWN_OF_A_KIND:,}"
            lines[kind.line] = text(
                "workbook.more", lang, count=more, first=kind.first.where, sheet=sheet
            )
    return lines


def _sheet_in(problem: Diagnostic, shown: str) -> str | None:
    """The sheet a located problem is in (``review.xlsx!T2 actions!K7`` → ``T2 actions``)."""
    if problem.file != shown or "!" not in problem.cell:
        return None
    return problem.cell.rpartition("!")[0]
