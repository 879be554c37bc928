"""``opsbook diff``: what a change does to the operations, between two git revisions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click

from opsbook.config import resolve_settings
from opsbook.support.errors import OpsbookUsageError


@dataclass(frozen=True)
class DiffCommand:
    base: str | None = None
    head: str | None = None
    output_format: str = "markdown"
    as_of: str | None = None
    output: Path | None = None
    max_bytes: int | None = None
    lang: str | None = None


def run_diff_command(command: DiffCommand) -> int:
    """Exit 0 when HEAD passes the check, 1 when it does not."""
    from opsbook.diff.report import DiffRequest, run_diff

    root = Path.cwd()
    settings = resolve_settings(root, lang=command.lang, as_of=command.as_of)
    project = settings.project
    request = DiffRequest(
        root=root, base=command.base, head=command.head, as_of=settings.as_of,
        lang=settings.lang, output_format=command.output_format, max_bytes=command.max_bytes,
        scenarios=project.scenarios.relative_to(root).as_posix(),
        team=project.team.relative_to(root).as_posix() if project.team else None,
    )  # fmt: skip
    try:
        text, ok = run_diff(request)
    except ValueError as error:
        raise OpsbookUsageError(str(error)) from None
    emit(text, command.output)
    return 0 if ok else 1


def emit(text: str, output: Path | None) -> None:
    """Print, or write the file whole (a temporary file renamed into place)."""
    if output is None:
        click.echo(text, nl=False)
        return
    from opsbook.support.files import write_atomic

    write_atomic(output, text.encode("utf-8"))
