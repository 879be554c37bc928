"""``opsbook new``: a scenario from an industry template; never overwrites a file."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click

from opsbook.config import resolve_as_of, resolve_settings


@dataclass(frozen=True)
class NewRequest:
    industry: str | None = None
    scenario_id: str | None = None
    title: str | None = None
    owner: str | None = None
    start: str | None = None
    interactive: bool | None = None
    lang: str | None = None


def run_new(request: NewRequest) -> int:
    """Ask for what is missing (on a terminal), then write ``<scenarios>/<id>.yaml``."""
    from opsbook.check.run import TEAM_FILE_NAME
    from opsbook.edit import scaffold

    answers = scaffold.Answers(
        request.industry, request.scenario_id, request.title, request.owner, request.lang,
        request.start,
    )  # fmt: skip
    interactive = sys.stdin.isatty() if request.interactive is None else request.interactive
    if not interactive and scaffold.missing(answers):
        flags = ", ".join(scaffold.missing(answers))
        raise click.UsageError(f"missing {flags} (or run on a terminal to be asked)")
    root = Path.cwd()
    settings = resolve_settings(root)
    default_lang = settings.lang  # the scenario's language: --lang is for the messages
    message_lang = request.lang or default_lang
    folder = settings.project.scenarios
    team_file = settings.team or folder / TEAM_FILE_NAME
    people = scaffold.team_people(team_file, message_lang, root)
    spec = scaffold.complete(
        answers, folder=folder, base=root, people=people, default_lang=default_lang,
        today=resolve_as_of(None), interactive=interactive,
    )  # fmt: skip
    target = folder / f"{spec.scenario_id}.yaml"
    modules = scaffold.team_modules(team_file)
    text = scaffold.render(spec, scaffold.schema_reference(target, root), modules)
    scaffold.write_new(target, text, spec.lang, root)
    click.echo(scaffold.created_message(target, spec.lang, root))
    return 0
