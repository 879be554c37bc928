"""``opsbook cycle close`` / ``opsbook cycle next``: close a cycle, start the next (step 5.3)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from opsbook.check.diagnostics import Diagnostic
from opsbook.config import resolve_settings

if TYPE_CHECKING:
    from opsbook.edit.changeset import ChangeSet
    from opsbook.edit.cycle import CycleRequest, NextOptions
    from opsbook.model import Scenario


@dataclass(frozen=True)
class CycleCommand:
    action: str
    ids: tuple[str, ...] = ()
    every_ended: bool = False
    start: str | None = None
    targets: tuple[str, ...] = ()
    paths: tuple[Path, ...] = ()
    team_file: Path | None = None
    as_of: str | None = None
    dry_run: bool = False
    lang: str | None = None


def run_cycle_command(command: CycleCommand) -> int:
    settings = resolve_settings(
        Path(), lang=command.lang, as_of=command.as_of, paths=command.paths, team=command.team_file
    )
    text, code = run_cycle(
        command,
        list(settings.scenarios),
        settings.team,
        settings.as_of,
        settings.lang,
        base=settings.root,
    )
    click.echo(text, nl=False)
    return code


def run_cycle(
    command: CycleCommand,
    paths: Sequence[Path],
    team_file: Path | None,
    as_of: dt.date,
    lang: str,
    *,
    base: Path,
) -> tuple[str, int]:
    """Check, select, plan, verify, and write when nothing is wrong."""
    from opsbook.check.reporters import report_text
    from opsbook.edit.changeset import ChangeSet, team_index, write_changes
    from opsbook.edit.cycle import NextOptions, is_closed, plan
    from opsbook.model.catalog import load_catalog

    options, problems = _options(command)
    catalog, checked = load_catalog(paths, as_of=as_of, team_file=team_file, base=base)
    if catalog is None:
        return report_text(checked, lang, base=base), 1
    changes = ChangeSet(base)
    files, selection_problems = _select(command, catalog.scenarios, as_of, changes, is_closed)
    problems += selection_problems
    if problems:
        return _failed(problems, lang), 1
    if not files:
        return _say("cycle.none-ended", lang, as_of=as_of.isoformat()) + "\n", 0
    request = replace(_request(command), as_of=as_of)
    planned = plan(changes, files, request, options or NextOptions(None, {}))
    if planned.problems:
        return _failed(planned.problems, lang), 1
    written, invalid = changes.finish(team_index(paths, team_file, base))
    if invalid:
        return _failed(invalid, lang), 1
    lines = [c.diff().rstrip("\n") for c in written] if command.dry_run else []
    lines += [_done_line(command.action, changes, path, lang) for _, path in files]
    if command.dry_run:
        lines.append(_say("pull.dry-run", lang))
        return "\n".join(lines) + "\n", 0
    try:
        write_changes(written)
    except OSError as error:
        return _failed([Diagnostic("write.failed", args={"reason": str(error)})], lang), 1
    lines.append(_say("pull.written", lang, files=len(written)))
    return "\n".join(lines) + "\n", 0


def _request(command: CycleCommand) -> CycleRequest:
    from opsbook.edit.cycle import CycleRequest

    return CycleRequest(command.action, command.ids, command.every_ended, dry_run=command.dry_run)


def _say(code: str, lang: str, **args: object) -> str:
    from opsbook.i18n.messages import say

    return say(code, lang, **args)


def _failed(problems: Sequence[Diagnostic], lang: str) -> str:
    lines = [p.render(lang) for p in problems]
    lines.append(_say("cycle.failed", lang, errors=len(problems)))
    return "\n".join(lines) + "\n"


def _options(command: CycleCommand) -> tuple[NextOptions, list[Diagnostic]]:
    """``--start`` and ``--target`` parsed; their problems, located at the option."""
    from opsbook.edit.cycle import NextOptions

    problems: list[Diagnostic] = []
    start: dt.date | None = None
    if command.start is not None:
        try:
            start = dt.date.fromisoformat(command.start) if len(command.start) == 10 else None
        except ValueError:
            start = None
        if start is None:
            problems.append(Diagnostic.at("--start", "cycle.bad-date", {"value": command.start}))
    targets: dict[str, float] = {}
    for given in command.targets:
        metric, _, value = given.partition("=")
        number = _number(value)
        if not metric.strip() or number is None:
            problems.append(Diagnostic.at("--target", "cycle.bad-target", {"value": given}))
            continue
        targets[metric.strip()] = number
    return NextOptions(start, targets), problems


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() else value


def _select(
    command: CycleCommand,
    scenarios: Sequence[Scenario],
    as_of: dt.date,
    changes: ChangeSet,
    is_closed: Callable[[Any], bool],
) -> tuple[list[tuple[str, Path]], list[Diagnostic]]:
    """The scenarios named (every unknown id a problem), or with ``--all`` every open cycle
    that ended before the as-of date."""

    by_id = {s.id: Path(s.file) for s in scenarios}
    if command.every_ended:
        chosen = [
            (s.id, Path(s.file))
            for s in scenarios
            if _wanted(
                command.action, s.cycle.end < as_of, is_closed(changes.open(Path(s.file)).data)
            )
        ]
        return chosen, []
    if not command.ids:
        return [], [Diagnostic.at("", "cycle.no-selection", {})]
    known = ", ".join(sorted(by_id))
    problems = [
        Diagnostic.at("", "cycle.unknown-id", {"id": i, "known": known})
        for i in command.ids
        if i not in by_id
    ]
    return [(i, by_id[i]) for i in dict.fromkeys(command.ids) if i in by_id], problems


def _wanted(action: str, ended: bool, closed: bool) -> bool:
    return closed if action == "next" else ended and not closed


def _done_line(action: str, changes: ChangeSet, path: Path, lang: str) -> str:
    opened = changes.open(path)
    cycle = opened.expected["cycle"]
    code = "cycle.closed" if action == "close" else "cycle.started"
    return _say(code, lang, id=opened.data["id"], start=cycle["start"], end=cycle["end"])
