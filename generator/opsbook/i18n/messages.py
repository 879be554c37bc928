"""Words a diagnostic or any other message from the catalog in the reader's language.

The wording lives in :mod:`opsbook.i18n.catalog`; this module is the one way to look a code up
and render it, so every stage says things the same way.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from opsbook.i18n.catalog import CATALOG, SUMMARY, TEXTS, Entry, Text

__all__ = [
    "CATALOG", "LANGUAGES", "SUMMARY", "TEXTS", "Entry", "Lines", "Text", "Worded",
    "detect_language", "render", "say",
]  # fmt: skip

LANGUAGES = ("en", "zh-CN")


@runtime_checkable
class Worded(Protocol):
    """A nested problem given as an argument: worded in the same language as its parent."""

    def message(self, lang: str) -> str: ...


class Lines(tuple[Any, ...]):
    """An argument worded as indented lines, one per item (a list of nested problems)."""


def render(code: str, args: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """The message and hint of a diagnostic, in ``lang``."""
    values = _Defaulting({key: _localise(value, lang) for key, value in args.items()})
    if code in CATALOG:
        entry = CATALOG[code]
        return entry.message.get(lang).format_map(values), entry.hint.get(lang).format_map(values)
    return TEXTS[code].get(lang).format_map(values), ""


def say(code: str, lang: str, /, **args: Any) -> str:
    """The message of ``code`` alone, for codes without a hint and for progress and summaries."""
    return render(code, args, lang)[0]


def _localise(value: Any, lang: str) -> Any:
    """Arguments may be nested problems, lines of them, or carry both languages as
    ``{"en": …, "zh-CN": …}``."""
    if isinstance(value, Worded):
        return value.message(lang)
    if isinstance(value, Lines):
        return "".join(f"\n  {_localise(item, lang)}" for item in value)
    if isinstance(value, Mapping) and "en" in value:
        return value.get(lang, value["en"])
    return value


class _Defaulting(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


# The MkDocs Material theme's name of each language (its search and interface words).
THEME_LANGUAGE = {"zh-CN": "zh", "en": "en"}


def detect_language(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """``--lang`` first, then ``OPSBOOK_LANG``, then the locale variables; English otherwise."""
    env = os.environ if environ is None else environ
    candidates = [explicit, env.get("OPSBOOK_LANG")]
    candidates += [env.get(name) for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")]
    for candidate in candidates:
        if candidate:
            return "zh-CN" if candidate.lower().startswith("zh") else "en"
    return "en"
