"""``opsbook import-xlsx``: statuses, actuals and review rows from a workbook."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from opsbook.check.diagnostics import Diagnostic
from opsbook.config import resolve_settings


@dataclass(frozen=True)
class ImportRequest:
    workbook: Path
    paths: tuple[Path, ...] = ()
    team_file: Path | None = None
    dry_run: bool = False
    lang: str | None = None


def run_import_command(request: ImportRequest) -> int:
    """Validate every row first; write nothing if any is wrong (the project's settings apply)."""
    settings = resolve_settings(
        Path(), lang=request.lang, paths=request.paths, team=request.team_file
    )
    text, code = run_import(
        request.workbook, list(settings.scenarios), settings.team, settings.lang,
        request.dry_run, base=settings.root,
    )  # fmt: skip
    click.echo(text, nl=False)
    return code


def run_import(
    workbook: Path, paths: Sequence[Path], team_file: Path | None, lang: str, dry_run: bool,
    as_of: dt.date | None = None, *, base: Path,
) -> tuple[str, int]:  # fmt: skip
    from opsbook.check.reporters import report_text
    from opsbook.check.run import CheckResult, display_path
    from opsbook.edit.changeset import write_changes
    from opsbook.edit.sources.texts import text
    from opsbook.edit.xlsx import import_xlsx

    result = import_xlsx(workbook, paths, team_file, as_of, base)
    if isinstance(result, CheckResult):
        return report_text(result, lang, base=base), 1
    lines = [note.message(lang) for note in result.done]
    if result.problems:
        lines += summarised(result.problems, display_path(workbook, base), lang)
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
