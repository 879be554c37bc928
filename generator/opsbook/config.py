"""Settings resolved once per command from flags, the environment and ``mkdocs.yml``.

:func:`read_project_settings` parses ``mkdocs.yml`` (the only place that does);
:func:`resolve_language` is the one language chain (``--lang`` > ``OPSBOOK_LANG`` >
``mkdocs.yml`` > the locale); :func:`resolve_settings` gives a command its :class:`Settings`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from opsbook.i18n.messages import detect_language
from opsbook.support.errors import OpsbookUsageError


class SettingError(OpsbookUsageError, ValueError):
    """A setting has a value opsbook cannot use; the message says which and why."""


def resolve_as_of(value: str | None, environ: Mapping[str, str] | None = None) -> dt.date:
    """The date the outputs are computed for.

    ``--as-of`` wins; otherwise ``SOURCE_DATE_EPOCH`` (reproducible builds) gives the UTC
    date; otherwise today. Overdue and stale states depend on it, so it is always explicit
    in what opsbook produces.
    """
    env = os.environ if environ is None else environ
    if value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise SettingError(f"--as-of: '{value}' is not a date; write YYYY-MM-DD") from None
    epoch = env.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError):
            raise SettingError(f"SOURCE_DATE_EPOCH: '{epoch}' is not a Unix timestamp") from None
    return dt.date.today()


@dataclass(frozen=True)
class ProjectSettings:
    """The project's opsbook settings: the ``opsbook`` plugin entry of ``mkdocs.yml``.

    One place for the settings the site, the pack and the exports share, so ``opsbook pack``
    and ``mkdocs build`` agree on the language, the as-of date and the font.
    """

    root: Path
    scenarios: Path
    team: Path | None = None
    lang: str | None = None
    as_of: str | None = None
    font: str | None = None
    site_name: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    site_url: str = ""  # mkdocs.yml's site_url ("" when unset)
    mkdocs: Mapping[str, Any] | None = field(default_factory=dict)  # None: not a mapping
    config_path: Path | None = None  # mkdocs.yml, when the file exists

    def resolve_as_of(self, explicit: str | None = None) -> dt.date:
        return resolve_as_of(explicit or self.as_of)

    def language(self, explicit: str | None = None) -> str:
        """The language of messages: see :func:`resolve_language`."""
        return resolve_language(explicit, self.lang)


def resolve_language(
    explicit: str | None, project_lang: str | None, environ: Mapping[str, str] | None = None
) -> str:
    """``--lang`` > ``OPSBOOK_LANG`` > the project's ``lang`` (mkdocs.yml) > the locale."""
    env = os.environ if environ is None else environ
    return detect_language(explicit or env.get("OPSBOOK_LANG") or project_lang, env)


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose ``!!python/name`` and ``!ENV`` tags opsbook does not need."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_project_settings(root: Path, config_file: str = "mkdocs.yml") -> ProjectSettings:
    """Settings from ``<root>/mkdocs.yml``; defaults when the file or the entry is absent."""
    path = root / config_file
    config: Any = {}
    if path.is_file():
        try:
            config = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
        except yaml.YAMLError as error:
            raise SettingError(f"{path}: not valid YAML: {error}") from None
    options = _plugin_options(config)
    team = options.get("team")
    mapping: dict[str, Any] = config if isinstance(config, dict) else {}
    return ProjectSettings(
        root=root,
        scenarios=root / str(options.get("scenarios", "scenarios")),
        team=root / str(team) if team else None,
        lang=options.get("lang"),
        as_of=str(options["as_of"]) if options.get("as_of") else None,
        font=options.get("font"),
        site_name=mapping.get("site_name"),
        options=options,
        site_url=str(mapping.get("site_url") or ""),
        mkdocs=config if isinstance(config, dict) else None,
        config_path=path if path.is_file() else None,
    )


def _plugin_options(config: Any) -> dict[str, Any]:
    plugins = config.get("plugins", []) if isinstance(config, dict) else []
    entries = (
        plugins.items()
        if isinstance(plugins, dict)
        else (next(iter(p.items())) if isinstance(p, dict) else (p, {}) for p in plugins)
    )
    for name, options in entries:
        if name == "opsbook":
            return dict(options or {})
    return {}


@dataclass(frozen=True)
class Settings:
    """What one command runs with: the project's settings with the flags applied, once.

    ``scenarios`` are the paths to read (the arguments, else the project's folder); ``team``
    is ``--team``, else the project's team file (``None``: ``team.yaml`` beside the
    scenarios); ``lang`` is the language of messages. ``as_of`` is resolved when first read,
    so a command that never evaluates dates never fails on a bad ``SOURCE_DATE_EPOCH``.
    """

    project: ProjectSettings
    lang: str
    scenarios: tuple[Path, ...]
    team: Path | None
    explicit_as_of: str | None = None  # --as-of as given

    @cached_property
    def as_of(self) -> dt.date:
        return self.project.resolve_as_of(self.explicit_as_of)

    @property
    def root(self) -> Path:
        return self.project.root


def resolve_settings(
    root: Path,
    *,
    lang: str | None = None,
    as_of: str | None = None,
    paths: tuple[Path, ...] | list[Path] = (),
    team: Path | None = None,
    config_file: str = "mkdocs.yml",
) -> Settings:
    """A command's settings: flags first, then the environment, then ``<root>/mkdocs.yml``."""
    project = read_project_settings(root, config_file)
    return Settings(
        project=project,
        lang=project.language(lang),
        scenarios=tuple(paths) or (project.scenarios,),
        team=team or project.team,
        explicit_as_of=as_of,
    )
