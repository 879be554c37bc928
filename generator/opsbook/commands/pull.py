"""``opsbook pull``: the metrics' csv/sql sources into the scenarios' observations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click

from opsbook.config import resolve_settings


@dataclass(frozen=True)
class PullRequest:
    paths: tuple[Path, ...] = ()
    scenarios: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    team_file: Path | None = None
    dry_run: bool = False
    lang: str | None = None


def run_pull_command(request: PullRequest) -> int:
    """Plan, report, and write when nothing is wrong (the project's settings apply)."""
    from opsbook.edit.pull import PULLED_KINDS, Selection, run_pull

    settings = resolve_settings(
        Path(), lang=request.lang, paths=request.paths, team=request.team_file
    )
    selection = Selection(request.scenarios, request.metrics, request.kinds or PULLED_KINDS)
    text, code = run_pull(
        list(settings.scenarios), selection, settings.team, settings.lang, request.dry_run
    )
    click.echo(text, nl=False)
    return code
