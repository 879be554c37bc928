"""Settings that several commands share, resolved once from flags and the environment."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class SettingError(ValueError):
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

    def resolve_as_of(self, explicit: str | None = None) -> dt.date:
        return resolve_as_of(explicit or self.as_of)


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
    return ProjectSettings(
        root=root,
        scenarios=root / str(options.get("scenarios", "scenarios")),
        team=root / str(team) if team else None,
        lang=options.get("lang"),
        as_of=str(options["as_of"]) if options.get("as_of") else None,
        font=options.get("font"),
        site_name=config.get("site_name") if isinstance(config, dict) else None,
        options=options,
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
