"""``opsbook pack`` from flags to file: settings, check, selection, since, print, write.

Kept apart from :mod:`opsbook.cli` so the command line stays a thin list of options, and
apart from the pack stages so they stay free of flags, files and exit codes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

from opsbook.config import ProjectSettings, read_project_settings
from opsbook.model import Scenario
from opsbook.model.catalog import Catalog
from opsbook.pack import PackOptions, make_pack, write_pdf
from opsbook.pack.errors import MESSAGES, PackError
from opsbook.pack.selection import Selection, parse_period
from opsbook.pack.since import DEFAULT_DAYS, Baseline, baseline_at_date, baseline_at_revision
from opsbook.support.errors import OpsbookUsageError, ReportedError
from opsbook.support.terminal import color


@dataclass(frozen=True)
class PackRequest:
    """The command line's options, as typed."""

    paths: tuple[Path, ...]
    output: Path
    ids: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    period: str | None = None
    since: str | None = None
    since_rev: str | None = None
    no_since: bool = False
    as_of: str | None = None
    title: str | None = None
    team_file: Path | None = None
    lang: str | None = None
    charts: bool = True
    full: bool = False
    no_cache: bool = False
    jobs: int | None = None


def run_pack(request: PackRequest) -> int:
    """Print the pack; the exit code (0 written, 1 problems in the input)."""
    from opsbook.check.reporters import report_text
    from opsbook.model.catalog import load_catalog
    from opsbook.support.cache import Cache, default_cache_dir
    from opsbook.support.fonts import FontError

    root = Path.cwd()
    settings = read_project_settings(root)
    lang = settings.language(request.lang)
    as_of = settings.resolve_as_of(request.as_of)
    options = _options(request, settings, lang)
    baseline = _baseline(request, settings, root, lang, as_of)
    cache = Cache.disabled() if request.no_cache else Cache(default_cache_dir())
    paths = list(request.paths) or [settings.scenarios]
    team_file = request.team_file or settings.team
    catalog, result = load_catalog(paths, as_of=as_of, team_file=team_file, cache=cache, base=root)
    if catalog is None:
        click.echo(report_text(result, lang, base=root), nl=False, err=True, color=color())
        click.echo(_message("not-written", lang, path=request.output), err=True)
        return 1
    try:
        pack = make_pack(catalog, options, baseline=baseline, cache=cache)
        write_pdf(request.output, pack.pdf)
    except PackError as error:
        raise ReportedError(_message("error", lang, detail=error.message(lang))) from None
    except FontError as error:
        raise ReportedError(_message("error", lang, detail=str(error))) from None
    key = "written-one" if pack.scenarios == 1 else "written"
    pages = _page_count(pack.pdf)
    click.echo(_message(key, lang, path=request.output, count=pack.scenarios, pages=pages))
    return 0


def _options(request: PackRequest, settings: ProjectSettings, lang: str) -> PackOptions:
    try:
        period = parse_period(request.period) if request.period else None
    except PackError as error:
        raise OpsbookUsageError(error.message(lang)) from None
    selection = Selection(
        ids=request.ids, industries=request.industries, modules=request.modules,
        owners=request.owners, tags=request.tags, period=period,
    )  # fmt: skip
    return PackOptions(
        lang=lang, selection=selection, title=request.title, period=period,
        font=settings.font, charts=request.charts, full=request.full, jobs=request.jobs,
        progress=_progress(lang) if sys.stderr.isatty() else None,
    )  # fmt: skip


def _progress(lang: str) -> Callable[[int, int], None]:
    """Charts drawn so far, on one terminal line (a cold 500-scenario pack takes minutes)."""
    template = MESSAGES["progress"].get(lang)
    shown: list[int] = []  # nothing is shown when the cache had every chart

    def report(done: int, total: int) -> None:
        if done == total and not shown:
            return
        shown.append(done)
        end = "\n" if done == total else ""
        click.echo(f"\r{template.format(done=done, total=total)}", nl=False, err=True)
        click.echo(end, nl=False, err=True)

    return report


BaselineFactory = Callable[[Catalog, tuple[Scenario, ...]], Baseline]


def _baseline(
    request: PackRequest, settings: ProjectSettings, root: Path, lang: str, as_of: dt.date
) -> BaselineFactory | None:
    """The other side of "since the last review": a git revision, a date, or a week ago."""
    if request.no_since:
        return None
    if request.since_rev:
        revision = request.since_rev
        scenarios_dir, team = _project_paths(request, settings, root)
        return lambda catalog, _selected: baseline_at_revision(
            root, revision, scenarios_dir, team, catalog.as_of
        )
    since = _since_date(request.since, lang) or as_of - dt.timedelta(days=DEFAULT_DAYS)
    if since >= as_of:
        message = PackError("since-after-as-of", since=since, as_of=as_of).message(lang)
        raise OpsbookUsageError(message)
    return lambda catalog, selected: baseline_at_date(catalog, selected, since)


def _since_date(value: str | None, lang: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        message = PackError("bad-date", option="--since", value=value).message(lang)
        raise OpsbookUsageError(message) from None


def _project_paths(
    request: PackRequest, settings: ProjectSettings, root: Path
) -> tuple[str, str | None]:
    """The scenario folder and team file relative to the project root, as git names them."""
    folder = request.paths[0] if len(request.paths) == 1 else settings.scenarios
    team = request.team_file or settings.team
    try:
        scenarios = folder.resolve().relative_to(root.resolve()).as_posix()
        team_name = team.resolve().relative_to(root.resolve()).as_posix() if team else None
    except ValueError:
        message = "--since-rev: the scenarios must be inside this project"
        raise OpsbookUsageError(message) from None
    return scenarios, team_name


def _page_count(pdf: bytes) -> int:
    """Pages of the PDF: Typst writes page objects outside object streams, so a scan is
    exact and 30× faster than parsing (pypdf remains the fallback for other writers)."""
    found = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    if found:
        return found
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _message(key: str, lang: str, **args: object) -> str:
    return MESSAGES[key].get(lang).format(**args)
