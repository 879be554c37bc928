"""What ``serve`` keeps from one rebuild to the next, read by the quick path (:mod:`.quick`)."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation

from opsbook.mkdocs_plugin.generated import Generated
from opsbook.mkdocs_plugin.pages import PageMemory
from opsbook.model import Scenario
from opsbook.model.catalog import Catalog
from opsbook.site.generate import ChartMemo, SiteSettings
from opsbook.site.render.fragments import Fragments
from opsbook.support.cache import RememberingCache


@dataclass
class LastBuild:
    """What a serve rebuild left behind, for the quick path of the next edit."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Environment
    catalog: Catalog
    settings: SiteSettings
    mirror: Path
    scenarios: Path  # the scenarios folder
    team: Path | None  # the team file mkdocs.yml names, if it names one
    inputs: dict[str, tuple[int, int]] = field(default_factory=dict)  # see input_stamps


def input_stamps(
    config: MkDocsConfig, scenarios: Path, scenario_files: Iterable[Path]
) -> dict[str, tuple[int, int]]:
    """Size and modification time of everything else serve watches: ``mkdocs.yml``, the
    hand-written pages, the team and data files beside the scenarios, the templates and the
    schema. Equal stamps: only scenario files changed since the last rebuild."""
    skipped = {identity for p in scenario_files if (identity := _file_identity(p))}
    stamps: dict[str, tuple[int, int]] = {}
    for path in _watched(config, scenarios):
        with contextlib.suppress(OSError):
            status = path.stat()
            # the same file by device and inode, however its path is spelt: one stat a
            # file, where resolving its path took one for each of its folders (a thousand
            # scenario files on every save)
            if (status.st_dev, status.st_ino) not in skipped:
                stamps[os.fspath(path)] = (status.st_size, status.st_mtime_ns)
    return stamps


def _watched(config: MkDocsConfig, scenarios: Path) -> list[Path]:
    """Every file and folder serve watches (the scenario files among them)."""
    from opsbook.check.schema import schema_dir

    templates = Path(__file__).resolve().parents[1] / "site" / "render" / "templates"
    roots = [Path(config.docs_dir), scenarios, templates, schema_dir()]
    roots += [Path(path) for path in config.watch]
    found = [Path(config.config_file_path)] if config.config_file_path else []
    for root in roots:
        if root.is_file():
            found.append(root)
        elif root.is_dir():
            found += root.rglob("*")
    return found


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino


@dataclass
class ServeState:
    """Serve's state, kept by the plugin across rebuilds (MkDocs keeps the plugin)."""

    parsed: dict[str, tuple[bytes, Scenario]] = field(default_factory=dict)  # file → model
    chart_memo: ChartMemo = field(default_factory=ChartMemo)  # the last charts, reused
    fragments: Fragments = field(default_factory=Fragments)  # the roll-ups' rows, reused
    cache: RememberingCache | None = None
    mirrored: dict[str, bytes] = field(default_factory=dict)  # what the mirror holds
    mirrored_nav: list[Any] | None = None
    mirror_dir: Path | None = None
    generated: Generated | None = None  # this rebuild's files, every one in memory
    last_good: Generated | None = None  # shown again while a scenario is invalid
    catalog: Catalog | None = None  # this rebuild's, None when a scenario is invalid
    pages: PageMemory = field(default_factory=PageMemory.idle)
    last: LastBuild | None = None  # set once a rebuild finished, taken by the next edit
    segmented: dict[str, str] = field(default_factory=dict)  # Han run → jieba's words
    compacted: dict[str, dict[str, str]] = field(default_factory=dict)  # page → its pieces
    # set while no rebuild runs: serve's background work waits for it (see prepare_quick_edits)
    quiet: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.quiet.set()

    def mirror(self, path: str, data: bytes) -> None:
        """``data`` is ``path``'s new content, written to the mirror by the caller."""
        assert self.generated is not None
        self.generated.files[path] = data
        self.mirrored[path] = data
