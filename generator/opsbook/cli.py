"""The ``opsbook`` command line: a thin layer over the pipeline stages.

Heavy modules (MkDocs, matplotlib, Typst) are imported inside the commands that need them,
so ``opsbook check`` in a pre-commit hook starts fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from opsbook import __version__
from opsbook.support.errors import USAGE_EXIT, OpsbookError

LANG_CHOICE = click.Choice(["en", "zh-CN"])


def lang_option(function: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--lang",
        type=LANG_CHOICE,
        default=None,
        help="Language of messages (default: OPSBOOK_LANG, then the locale).",
    )(function)


class _Command(click.Command):
    """A command whose opsbook errors become the user's message and exit code, here only."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OpsbookError as error:
            _fail(ctx, error)


def _fail(ctx: click.Context, error: OpsbookError) -> NoReturn:
    """Usage errors as click shows them (usage line, exit 2); others as their message."""
    if error.exit_code == USAGE_EXIT:
        raise click.UsageError(str(error), ctx) from None
    click.echo(error.shown(), err=True)
    ctx.exit(error.exit_code)


class _Group(click.Group):
    command_class = _Command


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="opsbook")
def main() -> None:
    """opsbook: operations scenarios as code — check, publish, print."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--team",
    "team_file",
    type=click.Path(path_type=Path),
    help="Team directory file (default: team.yaml beside the scenarios).",
)
@click.option("--strict", is_flag=True, help="Treat warnings (the rules of execution) as errors.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
)
@click.option("--no-cache", is_flag=True, help="Check every file again, ignoring cached results.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: one per core).",
)
@lang_option
def check(
    paths: tuple[Path, ...],
    team_file: Path | None,
    strict: bool,
    output_format: str,
    no_cache: bool,
    jobs: int | None,
    lang: str | None,
) -> None:
    """Check scenarios against the schema and the five rules (default: scenarios/)."""
    from opsbook.commands.check import CheckRequest, run_check

    request = CheckRequest(paths, team_file, strict, output_format, no_cache, jobs, lang)
    sys.exit(run_check(request))


@main.command()
@click.argument("base", required=False)
@click.argument("head", required=False)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
)
@click.option("--as-of", "as_of", help="Evaluate both sides on this date (default: mkdocs.yml).")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to a file.")
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1024),
    help="Keep the Markdown under this size, leaving out scenario sections from the end.",
)
@lang_option
def diff(
    base: str | None,
    head: str | None,
    output_format: str,
    as_of: str | None,
    output: Path | None,
    max_bytes: int | None,
    lang: str | None,
) -> None:
    """What a change does to the operations, between two git revisions.

    BASE defaults to the merge base with origin/main (then main, then HEAD~1); HEAD defaults
    to the work tree (WORKTREE). Exit 0 when HEAD passes the check, 1 when it does not.
    """
    from opsbook.commands.diff import DiffCommand, run_diff_command

    command = DiffCommand(base, head, output_format, as_of, output, max_bytes, lang)
    sys.exit(run_diff_command(command))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--scenario", "scenarios", multiple=True, help="Only this scenario id (repeatable).")
@click.option("--metric", "metrics", multiple=True, help="Only this metric id (repeatable).")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(["csv", "sql"]),
    help="Only sources of this kind (repeatable; default: both).",
)
@click.option("--team", "team_file", type=click.Path(path_type=Path), help="Team directory file.")
@click.option("--dry-run", is_flag=True, help="Show the change as a diff; write nothing.")
@lang_option
def pull(
    paths: tuple[Path, ...],
    scenarios: tuple[str, ...],
    metrics: tuple[str, ...],
    kinds: tuple[str, ...],
    team_file: Path | None,
    dry_run: bool,
    lang: str | None,
) -> None:
    """Run the metrics' csv/sql sources and write the observations into the scenarios.

    SQL connection strings come from the environment variable each source names in
    connection_env (e.g. OPSBOOK_WAREHOUSE_URL=postgresql+psycopg://user@host/db).
    """
    from opsbook.commands.pull import PullRequest, run_pull_command

    request = PullRequest(paths, scenarios, metrics, kinds, team_file, dry_run, lang)
    sys.exit(run_pull_command(request))


@main.group(cls=_Group)
def cycle() -> None:
    """Close a finished cycle and start the next one (method step 5.3)."""


def _cycle_options(function: click.decorators.FC) -> click.decorators.FC:
    options = [
        click.argument("ids", nargs=-1),
        click.option("--all", "every", is_flag=True, help="Every scenario it applies to."),
        click.option("--scenarios", "paths", multiple=True, type=click.Path(path_type=Path),
                     help="Scenario folder or files (default: mkdocs.yml, then scenarios/)."),
        click.option("--team", "team_file", type=click.Path(path_type=Path),
                     help="Team directory file."),
        click.option("--as-of", "as_of", help="The as-of date (default: mkdocs.yml, then today)."),
        click.option("--dry-run", is_flag=True, help="Show the change as a diff; write nothing."),
        lang_option,
    ]  # fmt: skip
    for option in reversed(options):
        function = option(function)
    return function


@cycle.command("close")
@_cycle_options
def cycle_close(ids: tuple[str, ...], every: bool, paths: tuple[Path, ...],
                team_file: Path | None, as_of: str | None, dry_run: bool,
                lang: str | None) -> None:  # fmt: skip
    """Record the ended cycle's results (attainment, cycle review) in the scenario's history.

    IDS are scenario ids; --all closes every open cycle that ended before the as-of date.
    """
    from opsbook.commands.cycle import CycleCommand, run_cycle_command

    command = CycleCommand("close", ids, every, None, (), paths, team_file, as_of, dry_run, lang)
    sys.exit(run_cycle_command(command))


@cycle.command("next")
@_cycle_options
@click.option("--start", help="First day of the next cycle (default: the day after the end).")
@click.option("--target", "targets", multiple=True,
              help="A new target, METRIC=VALUE (repeatable; default: targets are kept).")  # fmt: skip
def cycle_next(ids: tuple[str, ...], every: bool, paths: tuple[Path, ...],
               team_file: Path | None, as_of: str | None, dry_run: bool, lang: str | None,
               start: str | None, targets: tuple[str, ...]) -> None:  # fmt: skip
    """Start the next cycle of closed scenarios: dates moved, unfinished actions carried over.

    Done actions, observations and reviews move into the closed cycle's history entry;
    targets are kept unless --target gives new ones; the SOP and needs are kept.
    """
    from opsbook.commands.cycle import CycleCommand, run_cycle_command

    command = CycleCommand("next", ids, every, start, targets, paths, team_file, as_of, dry_run,
                           lang)  # fmt: skip
    sys.exit(run_cycle_command(command))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--output", "-o", required=True, type=click.Path(path_type=Path, dir_okay=False),
    help="The PDF to write (replaced whole, or not at all).",
)  # fmt: skip
@click.option("--id", "ids", multiple=True, help="Only this scenario id (repeatable).")
@click.option(
    "--industry", "industries", multiple=True,
    type=click.Choice(["ecommerce", "saas", "local-services", "content", "other"]),
    help="Only scenarios of this industry (repeatable).",
)  # fmt: skip
@click.option("--module", "modules", multiple=True, help="Only this business module (repeatable).")
@click.option("--owner", "owners", multiple=True, help="Only scenarios this person (id or name) "
              "owns anything in (repeatable).")  # fmt: skip
@click.option("--tag", "tags", multiple=True, help="Only scenarios with this tag (repeatable).")
@click.option("--period", help="Only scenarios whose cycle overlaps this period: "
              "2026-06-01..2026-06-30, 2026-06, 2026-Q2 or 2026-W25.")  # fmt: skip
@click.option("--since", help="\"Since the last review\" compares with this date "
              "(default: one week before the as-of date).")  # fmt: skip
@click.option("--since-rev", help="…or with the scenarios at this git revision.")
@click.option("--no-since", is_flag=True, help='Leave out "since the last review".')
@click.option("--as-of", "as_of", help="Evaluate on this date (default: mkdocs.yml, then today).")
@click.option("--title", help='The pack\'s title (default: "Operations review").')
@click.option("--team", "team_file", type=click.Path(path_type=Path), help="Team directory file.")
@click.option("--charts/--no-charts", default=True, show_default=True, help="Include the charts.")
@click.option("--full", is_flag=True, help="Append every scenario's full T1–T4, SOP and funnel "
              "after the brief.")  # fmt: skip
@click.option("--no-cache", is_flag=True, help="Draw every chart again, ignoring the cache.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for charts (default: one per core).")  # fmt: skip
@click.option("--lang", type=LANG_CHOICE, default=None,
              help="Language of the pack (default: OPSBOOK_LANG, mkdocs.yml, the locale).")  # fmt: skip
def pack(paths: tuple[Path, ...], **options: object) -> None:
    """Print a review pack (PDF) of the scenarios (default: the mkdocs.yml scenarios)."""
    from opsbook.commands.pack import PackRequest, run_pack

    sys.exit(run_pack(PackRequest(paths=paths, **options)))  # type: ignore[arg-type]


@main.command()
@click.option(
    "--industry",
    type=click.Choice(["ecommerce", "saas", "local-services", "content"]),
    help="Industry family of the template.",
)
@click.option("--id", "scenario_id", help="Scenario id, also the file name: <id>.yaml.")
@click.option("--title", help="Scenario title (default: the template's).")
@click.option("--owner", help="Owner: a person id from the team directory.")
@click.option("--start", help="First day of the 30-day cycle, YYYY-MM-DD (default: today).")
@click.option(
    "--interactive/--no-interactive",
    "-i",
    default=None,
    help="Ask for what is missing (default: when stdin is a terminal).",
)
@lang_option
def new(
    industry: str | None,
    scenario_id: str | None,
    title: str | None,
    owner: str | None,
    start: str | None,
    interactive: bool | None,
    lang: str | None,
) -> None:
    """Create a scenario from an industry template; never overwrites a file."""
    from opsbook.commands.new import NewRequest, run_new

    request = NewRequest(industry, scenario_id, title, owner, start, interactive, lang)
    sys.exit(run_new(request))


def _site_options(function: click.decorators.FC) -> click.decorators.FC:
    function = click.option(
        "--config-file", "-f", type=click.Path(path_type=Path), default=Path("mkdocs.yml"),
        show_default=True, help="The project's MkDocs configuration.",
    )(function)  # fmt: skip
    return lang_option(function)


@main.command()
@_site_options
@click.option("--site-dir", "-d", type=click.Path(path_type=Path), help="Default: mkdocs.yml.")
@click.option("--verbose", "-v", is_flag=True, help="Show MkDocs' progress messages.")
def build(config_file: Path, lang: str | None, site_dir: Path | None, verbose: bool) -> None:
    """Check the scenarios, then build the knowledge base (strict MkDocs) into build/site/."""
    from opsbook.commands.site import SiteOptions
    from opsbook.commands.site import build as run

    sys.exit(run(SiteOptions(config_file, lang, verbose), site_dir))


@main.command()
@_site_options
@click.option("--dev-addr", "-a", metavar="IP:PORT", help="Address to serve on (127.0.0.1:8000).")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
def serve(config_file: Path, lang: str | None, dev_addr: str | None, open_browser: bool) -> None:
    """Preview the knowledge base; reloads when scenarios, team, schema or templates change."""
    from opsbook.commands.site import SiteOptions
    from opsbook.commands.site import serve as run

    sys.exit(run(SiteOptions(config_file, lang), dev_addr, open_browser))


@main.command()
@_site_options
@click.option("--format", "output_format", default="markdown", show_default=True,
              help="markdown: the docs tree + a plugin-free mkdocs.yml; json: the catalog with "
              "computed fields; xlsx: the four templates as a workbook; ics: a calendar.")  # fmt: skip
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              help="Where to write (a folder for markdown).")  # fmt: skip
@click.option("--as-of", "as_of", help="Evaluate on this date (default: mkdocs.yml, then today).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for charts (default: one per core).")  # fmt: skip
@click.option("--person", help="ics: only the events of this person (a team directory id).")
def export(
    config_file: Path,
    lang: str | None,
    output_format: str,
    output: Path,
    as_of: str | None,
    jobs: int | None,
    person: str | None,
) -> None:
    """Export the knowledge base (formats: see opsbook.commands.export.EXPORTERS)."""
    from opsbook.commands.site import SiteOptions
    from opsbook.commands.site import export as run

    sys.exit(run(SiteOptions(config_file, lang), output_format, output, as_of, jobs, person))


@main.command("import-xlsx")
@click.argument("workbook", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--team", "team_file", type=click.Path(path_type=Path), help="Team directory file.")
@click.option("--dry-run", is_flag=True, help="Show the change as a diff; write nothing.")
@lang_option
def import_xlsx(
    workbook: Path,
    paths: tuple[Path, ...],
    team_file: Path | None,
    dry_run: bool,
    lang: str | None,
) -> None:
    """Read statuses, actuals and review rows from an exported workbook into the scenarios.

    Every row is validated first; if any is wrong, nothing is written.
    """
    from opsbook.commands.import_xlsx import ImportRequest, run_import_command

    sys.exit(run_import_command(ImportRequest(workbook, paths, team_file, dry_run, lang)))


@main.command()
@click.option("--digest", type=click.Choice(["weekly", "daily"]), required=True,
              help="weekly: the review digest for the team group; daily: each person's "
              "reminder of what is due today, tomorrow or overdue.")  # fmt: skip
@click.option("--channel", "channels", multiple=True, help="Only this channel (repeatable).")
@click.option("--as-of", "as_of", help="Evaluate on this date (default: mkdocs.yml, then today).")
@click.option("--dry-run", is_flag=True, help="Print what would be sent where; send nothing.")
@lang_option
def notify(**options: object) -> None:
    """Send the digest or the reminders to the channels in mkdocs.yml (notify: channels:)."""
    from opsbook.commands.notify import NotifyRequest, run_notify

    sys.exit(run_notify(NotifyRequest(**options)))  # type: ignore[arg-type]
