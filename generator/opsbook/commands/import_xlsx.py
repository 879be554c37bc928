"""``opsbook import-xlsx``: statuses, actuals and review rows from a workbook."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click

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
    from opsbook.edit.xlsx import run_import

    settings = resolve_settings(
        Path(), lang=request.lang, paths=request.paths, team=request.team_file
    )
    text, code = run_import(
        request.workbook, list(settings.scenarios), settings.team, settings.lang, request.dry_run
    )
    click.echo(text, nl=False)
    return code
