"""``opsbook pull``: the metrics' csv/sql sources into the scenarios' observations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from opsbook.config import resolve_settings

if TYPE_CHECKING:
    from opsbook.edit.pull import Outcome, PullResult, PullSelection


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
    from opsbook.edit.pull import PULLED_KINDS, PullSelection

    settings = resolve_settings(
        Path(), lang=request.lang, paths=request.paths, team=request.team_file
    )
    selection = PullSelection(request.scenarios, request.metrics, request.kinds or PULLED_KINDS)
    text, code = run_pull(
        list(settings.scenarios), selection, settings.team, settings.lang, request.dry_run,
        base=settings.root,
    )  # fmt: skip
    click.echo(text, nl=False)
    return code


def run_pull(
    paths: Sequence[Path], selection: PullSelection, team_file: Path | None, lang: str,
    dry_run: bool, *, base: Path,
) -> tuple[str, int]:  # fmt: skip
    """The whole command: plan, report, and write when nothing is wrong."""
    from opsbook.check.diagnostics import Diagnostic
    from opsbook.check.reporters import report_text
    from opsbook.check.run import CheckResult
    from opsbook.edit.changeset import write_changes
    from opsbook.edit.pull import PullResult, pull

    result = pull(paths, selection, team_file=team_file, base=base)
    if isinstance(result, CheckResult):
        return report_text(result, lang, base=base), 1
    if not dry_run and not result.problems and result.changes:
        try:
            write_changes(result.changes)
        except OSError as error:
            failed = Diagnostic("write.failed", args={"reason": str(error)})
            result = PullResult(result.outcomes, (), (failed,))
    return report(result, lang, dry_run=dry_run)


def report(result: PullResult, lang: str, *, dry_run: bool) -> tuple[str, int]:
    """The text ``opsbook pull`` prints and its exit code."""
    from opsbook.edit.sources.texts import text

    lines = [_outcome_line(o, lang) for o in result.outcomes]
    if result.problems:
        lines += [p.render(lang) for p in result.problems]
        lines.append(text("pull.failed", lang, errors=len(result.problems)))
        return "\n".join(lines) + "\n", 1
    if not result.outcomes:
        return text("pull.no-sources", lang) + "\n", 0
    if dry_run:
        lines += [c.diff().rstrip("\n") for c in result.changes]
    totals = {
        k: sum(getattr(o, k) for o in result.outcomes) for k in ("added", "changed", "unchanged")
    }
    lines.append(text("pull.summary", lang, metrics=len(result.outcomes), **totals))
    if dry_run:
        lines.append(text("pull.dry-run", lang))
    else:
        lines.append(
            text("pull.written", lang, files=len(result.changes))
            if result.changes
            else text("pull.nothing", lang)
        )
    return "\n".join(lines) + "\n", 0


def _outcome_line(outcome: Outcome, lang: str) -> str:
    from opsbook.edit.sources.texts import text

    counts = text(
        "pull.metric",
        lang,
        added=outcome.added,
        changed=outcome.changed,
        unchanged=outcome.unchanged,
    )
    if outcome.outside:
        counts += text("pull.outside", lang, count=outcome.outside)
    return f"{outcome.scenario}/{outcome.metric} ({outcome.kind} {outcome.origin}): {counts}"
