"""``opsbook build`` and ``opsbook serve``: MkDocs run with the plugin."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import click
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from opsbook.i18n.messages import say
from opsbook.mkdocs_plugin.plugin import OpsbookPlugin
from opsbook.site.charts import Progress
from opsbook.support import atomic


def run_build(
    config_file: Path,
    site_dir: Path | None = None,
    *,
    strict: bool = True,
    progress: bool = False,
    lang: str = "en",
) -> Path:
    """A strict MkDocs build into a temporary folder, renamed over ``site_dir`` on success:
    a failed build leaves the previous site untouched. ``lang``: of what it says meanwhile."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(config_file=os.fspath(config_file), strict=strict)
    final = Path(site_dir) if site_dir else Path(config.site_dir)
    _refuse_overlap(final, Path(config.docs_dir), Path(config.config_file_path or ".").parent)
    signals = _Stops()
    with signals.caught(), atomic.exclusive_folder(final, _waiting_notice(final, lang)):
        staging = atomic.staging_dir(final)
        config.site_dir = os.fspath(staging)
        plugin = config.plugins.get("opsbook")
        try:
            with _progress_bar(plugin, enabled=progress):
                config.plugins.on_startup(command="build", dirty=False)
                build(config)
                config.plugins.on_shutdown()
            signals.raise_if_stopped()
        except BaseException:  # Ctrl-C and SIGTERM too: charts drawn meanwhile are not wanted
            if isinstance(plugin, OpsbookPlugin):
                plugin.stop_drawing()
            shutil.rmtree(staging, ignore_errors=True)
            raise
        atomic.replace_folder(staging, final, in_background=True)
    return final


def _waiting_notice(final: Path, lang: str) -> Callable[[int | None], None]:
    """Another build of the same site holds its lock: say so, and wait for it."""

    def notice(pid: int | None) -> None:
        code = "build.waiting" if pid is not None else "build.waiting-unknown"
        click.echo(say(code, lang, site=_shown(final), pid=pid), err=True)

    return notice


def _shown(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return os.fspath(path.resolve().relative_to(Path.cwd().resolve()))
    return os.fspath(path)


class _Stops:
    """Ctrl-C and SIGTERM (a CI job cancelled, ``kill``) stop the build: the staging folder is
    removed and the previous site stays. Without a handler, SIGTERM's default action would end
    the process at once and leave the staging folder to the next build. And a signal that
    arrives while Python runs a finalizer (freeing the build's memory runs many) raises
    there, where Python prints the exception and goes on: the build then finished as if
    never stopped, so the signal is also noted and raised again once the build is done."""

    def __init__(self) -> None:
        self._received: int | None = None

    @contextlib.contextmanager
    def caught(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield  # only the main thread may set a signal handler
            return
        previous = {
            signum: signal.signal(signum, self._stop)
            for signum in (signal.SIGINT, signal.SIGTERM)
            if signal.getsignal(signum) is not signal.SIG_IGN  # nohup, a background job
        }
        try:
            yield
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self._received = signum
        self.raise_if_stopped()

    def raise_if_stopped(self) -> None:
        if self._received == signal.SIGINT:
            raise KeyboardInterrupt
        if self._received is not None:
            raise SystemExit(128 + self._received)


def _refuse_overlap(site: Path, docs: Path, project: Path) -> None:
    """The site folder is replaced whole: it must not hold, or be inside, the sources."""
    site, docs, project = site.resolve(), docs.resolve(), project.resolve()
    for source in (docs, project):
        if site == source or site in source.parents or (source == docs and docs in site.parents):
            raise PluginError(
                f"opsbook: the site folder {site} would replace {source}; choose another --site-dir"
            )


@contextlib.contextmanager
def _progress_bar(plugin: BasePlugin[Any] | None, *, enabled: bool) -> Iterator[None]:
    """A progress bar over the pages on a terminal (builds of many scenarios take a while)."""
    if not enabled or not isinstance(plugin, OpsbookPlugin):
        yield
        return
    bars: dict[str, Any] = {}

    def bar_for(label: str) -> Progress:
        def update(done: int, total: int) -> None:
            if label not in bars:
                bars[label] = click.progressbar(length=total, label=label, file=sys.stderr)
                bars[label].__enter__()
            bar = bars[label]
            bar.update(done - bar.pos)
            if done >= total:
                bar.__exit__(None, None, None)

        return update

    plugin.progress = bar_for("pages ")
    plugin.chart_progress = bar_for("charts")
    yield


def run_serve(config_file: Path, dev_addr: str | None, *, open_browser: bool = False) -> None:
    from mkdocs.commands.serve import serve

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())
    options: dict[str, Any] = {"dev_addr": dev_addr} if dev_addr else {}
    serve(
        config_file=os.fspath(config_file), open_in_browser=open_browser, build_type="dirty",
        strict=False, **options,
    )  # fmt: skip


class _DirtyNotice(logging.Filter):
    """MkDocs warns that dirty builds leave stale navigation; ours rebuild every page when
    the navigation changes (see ``OpsbookPlugin._mirror_files``), so the warning is moot."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "A 'dirty' build is being performed" not in record.getMessage()
