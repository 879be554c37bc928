"""``opsbook diff``: what a change does to the operations, between two git revisions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import click

from opsbook.config import resolve_settings
from opsbook.diff import history
from opsbook.diff.changes import compare
from opsbook.diff.jsonreport import render_json
from opsbook.diff.report import render_markdown
from opsbook.model.catalog import Catalog
from opsbook.support.cache import Cache, default_cache_dir
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
    from opsbook.support.atomic import write_file

    write_file(output, text.encode("utf-8"))


@dataclass(frozen=True)
class DiffRequest:
    root: Path
    base: str | None
    head: str | None
    as_of: dt.date
    lang: str
    output_format: str
    scenarios: str = "scenarios"
    team: str | None = None
    max_bytes: int | None = None


def run_diff(request: DiffRequest) -> tuple[str, bool]:
    """The report and whether the change passes ``opsbook check`` (exit 0) or not (exit 1).

    Raises :class:`opsbook.diff.history.RevisionError` for usage problems (exit 2).
    """
    history.ensure_repository(request.root)
    base = history.resolve_revision(
        request.root, request.base or history.default_base(request.root)
    )
    head = history.resolve_revision(request.root, request.head or history.WORK_TREE)
    sides = [
        history.catalog_at_revision(
            request.root, revision, as_of=request.as_of, scenarios=request.scenarios,
            team=request.team, cache=Cache(default_cache_dir()) if revision == history.WORK_TREE else None,
        )
        for revision in (base, head)
    ]  # fmt: skip
    (before, before_check), (after, after_check) = sides
    changes = compare(before, after, before_check=before_check, after_check=after_check)
    base_name = history.short_name(request.root, base)
    head_name = history.short_name(request.root, head)
    if request.output_format == "json":
        text = render_json(changes, base_name, head_name, request.lang)
    else:
        names = _names(after, before)
        text = render_markdown(
            changes, base_name, head_name, request.lang, names, request.max_bytes
        )
    return text, after is not None


def _names(*catalogs: Catalog | None) -> dict[str, str]:
    """Person id → name, the newer team directory winning."""
    names: dict[str, str] = {}
    for catalog in reversed(catalogs):
        if catalog is not None:
            names.update({pid: p.name for pid, p in catalog.team.people.items()})
    return names
