"""``opsbook build``, ``opsbook serve`` and ``opsbook export``: what the commands do, kept out
of ``cli.py`` so that the command line stays a thin table of options.

``build`` checks first and stops with the located diagnostics of ``opsbook check`` (exit 1);
only a clean check reaches MkDocs, which builds strictly into a temporary folder that replaces
``build/site/`` when it succeeds.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from opsbook.check.reporters import report_text
from opsbook.check.run import CheckResult, check_paths
from opsbook.config import ProjectSettings, read_project_settings
from opsbook.i18n.messages import say
from opsbook.support.cache import Cache, default_cache_dir
from opsbook.support.errors import OpsbookUsageError
from opsbook.support.terminal import color


@dataclass(frozen=True)
class SiteOptions:
    config_file: Path
    lang: str | None = None
    verbose: bool = False


# Files are shown as the user would type them: relative to the folder opsbook runs in
# (with -f, the project may be elsewhere).
WORKING_FOLDER = Path()


def _project(config_file: Path) -> ProjectSettings:
    if not config_file.is_file():
        message = f"{config_file}: not found (run opsbook in the project folder)"
        raise OpsbookUsageError(message)
    return read_project_settings(config_file.resolve().parent, config_file.name)


def check_project(project: ProjectSettings, lang: str) -> CheckResult:
    """The same check as ``opsbook check``, reported the same way (to stderr)."""
    result = check_paths(
        [project.scenarios], team_file=project.team, cache=_cache(), base=WORKING_FOLDER
    )
    report(result, lang)
    return result


def report(result: CheckResult, lang: str) -> None:
    if result.diagnostics or not result.ok:
        click.echo(
            report_text(result, lang, base=WORKING_FOLDER), err=True, nl=False, color=color()
        )


def _cache() -> Cache:
    return Cache(default_cache_dir())


def _log_to_terminal(verbose: bool) -> None:
    """MkDocs logs through ``logging``; show its warnings (and progress with --verbose)."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_opsbook", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._opsbook = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


def build(options: SiteOptions, site_dir: Path | None) -> int:
    project = _project(options.config_file)
    lang = project.language(options.lang)
    if not check_project(project, lang).ok:
        return 1
    from opsbook.mkdocs_plugin import run_build

    _log_to_terminal(options.verbose)
    final = run_build(options.config_file, site_dir, progress=sys.stderr.isatty(), lang=lang)
    pages = sum(1 for _ in final.rglob("index.html"))
    click.echo(say("build.written", lang, pages=pages, site=final), err=True)
    return 0


def serve(options: SiteOptions, dev_addr: str | None, open_browser: bool) -> int:
    _project(options.config_file)
    from opsbook.mkdocs_plugin import run_serve

    _log_to_terminal(verbose=True)
    run_serve(options.config_file, dev_addr, open_browser=open_browser)
    return 0


def export(
    options: SiteOptions,
    output_format: str,
    output: Path,
    as_of: str | None,
    jobs: int | None,
    person: str | None = None,
) -> int:
    from opsbook.commands.export import EXPORTERS, ExportRequest, exporter
    from opsbook.model.catalog import load_catalog

    project = _project(options.config_file)
    if output_format not in EXPORTERS:
        raise OpsbookUsageError(f"--format: choose one of {', '.join(sorted(EXPORTERS))}")
    if person is not None and output_format != "ics":
        raise OpsbookUsageError("--person: only with --format ics")
    lang = project.language(options.lang)
    day = project.resolve_as_of(as_of)
    catalog, result = load_catalog(
        [project.scenarios], as_of=day, team_file=project.team, cache=_cache(),
        base=WORKING_FOLDER,
    )  # fmt: skip
    if catalog is None:
        report(result, lang)
        return 1
    content_lang = options.lang or project.lang or "zh-CN"  # --lang: the file's language
    request = ExportRequest(catalog, project, output, content_lang, day, _cache(), jobs, person)
    written = exporter(output_format)(request)
    click.echo(say("build.exported", lang, files=len(written), output=output), err=True)
    return 0
