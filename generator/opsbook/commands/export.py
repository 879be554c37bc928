"""``opsbook export``: the knowledge base in other forms, chosen by ``--format``.

:data:`EXPORTERS` maps a format name to an exporter, named by import path so that a format's
heavy dependencies load only when it is used. An exporter is a function
``(request: ExportRequest) -> list[Path]`` that writes ``request.output`` whole (nothing
half-written) and returns what it wrote. To add a format, add one entry.

``markdown`` writes the generated pages and the hand-written ones as a plain docs tree with a
``mkdocs.yml`` that needs no opsbook plugin: MkDocs and Zensical build it as it stands.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from opsbook.config import ProjectSettings, SettingError
from opsbook.i18n.messages import THEME_LANGUAGE, say
from opsbook.model.catalog import Catalog
from opsbook.site.generate import SiteSettings, generate_site, navigation
from opsbook.support import atomic
from opsbook.support.cache import Cache

EXPORTERS: Mapping[str, str] = {
    "markdown": "opsbook.commands.export:export_markdown",
    "json": "opsbook.exports.catalog_json:export_json",
    "xlsx": "opsbook.exports.workbook:export_xlsx",
    "ics": "opsbook.exports.ics:export_ics",
}
MARKER = ".opsbook-export"  # an export folder may be replaced by the next export


@dataclass(frozen=True)
class ExportRequest:
    catalog: Catalog
    project: ProjectSettings
    output: Path
    lang: str
    as_of: dt.date
    cache: Cache
    jobs: int | None = None
    person: str | None = None  # ics: one person's calendar


Exporter = Callable[[ExportRequest], list[Path]]


def exporter(name: str) -> Exporter:
    import importlib

    module_name, _, function_name = EXPORTERS[name].partition(":")
    return getattr(importlib.import_module(module_name), function_name)  # type: ignore[no-any-return]


def export_markdown(request: ExportRequest) -> list[Path]:
    """``OUTPUT/mkdocs.yml`` + ``OUTPUT/docs/``: every page as a file, no plugin needed."""
    project = request.project
    settings = SiteSettings(
        lang=request.lang, font=project.font, site_name=project.site_name or "",
        options={"site_url": project.site_url},  # calendar links and subscribe links: the build's
    )  # fmt: skip
    files = generate_site(request.catalog, settings, cache=request.cache, jobs=request.jobs)
    config = _mkdocs_config(project)
    docs_source = project.root / str(config.get("docs_dir", "docs"))
    hand_written = _hand_written(docs_source, files)
    config.update(
        docs_dir="docs",
        site_dir="site",
        nav=navigation(request.catalog, settings, [p for p in hand_written if p.endswith(".md")]),
        plugins=_plain_plugins(config.get("plugins", [])),
    )
    theme = dict(config.get("theme") or {"name": "material"})
    theme["language"] = THEME_LANGUAGE.get(request.lang, "en")
    config["theme"] = theme
    return _write_tree(
        request.output, _Tree(config, files, docs_source, hand_written), request.lang
    )


def _mkdocs_config(project: ProjectSettings) -> dict[str, Any]:
    """A copy of the project's mkdocs.yml (as read once with the settings), to rewrite."""
    path = project.config_path
    if path is None:
        raise SettingError(
            f"{project.root / 'mkdocs.yml'}: not found; export needs the project's mkdocs.yml"
        )
    if project.mkdocs is None:
        raise SettingError(f"{path}: not a mapping of settings")
    return dict(project.mkdocs)


def _plain_plugins(plugins: Any) -> list[Any]:
    """The plugins without opsbook; search loses the jieba user dictionary (a build-time
    file of this machine)."""
    entries = plugins.items() if isinstance(plugins, dict) else plugins or []
    kept: list[Any] = []
    for entry in entries:
        name, options = (
            entry if isinstance(entry, tuple) else next(iter(entry.items()))
            if isinstance(entry, dict) else (entry, None)
        )  # fmt: skip
        if name == "opsbook":
            continue
        if isinstance(options, dict):
            options = {k: v for k, v in options.items() if k != "jieba_dict_user"}
        kept.append({name: options} if options else name)
    return kept


def _hand_written(docs: Path, generated: Mapping[str, bytes]) -> list[str]:
    if not docs.is_dir():
        return []
    found = sorted(
        p.relative_to(docs).as_posix()
        for p in docs.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(docs).parts)
    )
    clash = [p for p in found if p in generated]
    if clash:
        raise SettingError(f"{docs / clash[0]}: has the path of a generated page; rename it")
    return found


def _write_tree(output: Path, tree: _Tree, lang: str) -> list[Path]:
    """Write into a temporary folder beside ``output``, then rename it into place; one
    export into ``output`` at a time (another one waits)."""
    if output.exists() and any(output.iterdir()) and not (output / MARKER).exists():
        raise SettingError(f"{output}: exists and is not an opsbook export; choose another folder")
    with atomic.exclusive_folder(output, lambda pid: _waiting(output, pid, lang)):
        staging = atomic.staging_dir(output)
        try:
            tree.write_into(staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        atomic.replace_folder(staging, output)
    docs = output / "docs"
    return [output / "mkdocs.yml", *(docs / p for p in [*tree.files, *tree.hand_written])]


def _waiting(output: Path, pid: int | None, lang: str) -> None:
    code = "build.export-waiting" if pid is not None else "build.export-waiting-unknown"
    print(say(code, lang, folder=output, pid=pid), file=sys.stderr)


@dataclass(frozen=True)
class _Tree:
    """What an export holds: its mkdocs.yml, the generated pages and the hand-written ones."""

    config: Mapping[str, Any]
    files: Mapping[str, bytes]
    docs_source: Path
    hand_written: list[str]

    def write_into(self, folder: Path) -> None:
        docs = folder / "docs"
        for path, data in self.files.items():
            (docs / path).parent.mkdir(parents=True, exist_ok=True)
            (docs / path).write_bytes(data)
        for path in self.hand_written:
            (docs / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.docs_source / path, docs / path)
        text = yaml.safe_dump(dict(self.config), allow_unicode=True, sort_keys=False)
        (folder / "mkdocs.yml").write_text(text, encoding="utf-8")
        (folder / MARKER).write_text("written by opsbook export; replaced by the next one\n")
