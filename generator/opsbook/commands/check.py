"""``opsbook check``: the scenarios against the schema and the five rules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click

from opsbook.config import resolve_settings
from opsbook.support.terminal import color


@dataclass(frozen=True)
class CheckRequest:
    paths: tuple[Path, ...] = ()
    team_file: Path | None = None
    strict: bool = False
    output_format: str = "text"
    no_cache: bool = False
    jobs: int | None = None
    lang: str | None = None


def run_check(request: CheckRequest) -> int:
    """Report every problem; exit 0 when the scenarios pass, 1 when they do not.

    The project's ``scenarios``, ``team`` and ``lang`` (mkdocs.yml) apply when no argument
    or flag says otherwise; paths stay relative, as the user would type them.
    """
    from opsbook.check.reporters import report
    from opsbook.check.run import check_paths
    from opsbook.support.cache import Cache, default_cache_dir

    settings = resolve_settings(
        Path(), lang=request.lang, paths=request.paths, team=request.team_file
    )
    cache = Cache.disabled() if request.no_cache else Cache(default_cache_dir())
    result = check_paths(
        list(settings.scenarios),
        team_file=settings.team,
        cache=cache,
        strict=request.strict,
        jobs=request.jobs,
        base=settings.root,
    )
    text = report(result, request.output_format, settings.lang, base=settings.root)
    click.echo(text, nl=False, color=color())
    return 0 if result.ok else 1
