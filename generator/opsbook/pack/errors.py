"""Problems that stop a pack from being printed, worded in the user's language.

An error carries a :class:`~opsbook.check.diagnostics.Diagnostic` (a catalog code
``pack.<key>`` of :mod:`opsbook.i18n.catalog.pack`, its arguments, no location: a pack's
problems are about options and the whole selection) rather than a finished sentence, so the
command line says it in Chinese or English, like the diagnostics of ``opsbook check``.
"""

from __future__ import annotations

from collections.abc import Mapping

from opsbook.check.diagnostics import Diagnostic
from opsbook.i18n.catalog.pack import PACK
from opsbook.i18n.messages import Lines, Text
from opsbook.support.errors import OpsbookError

MESSAGES: Mapping[str, Text] = {code.removeprefix("pack."): text for code, text in PACK.items()}
"""The pack's texts by their short names (``progress``, ``written`` …)."""


class PackError(OpsbookError):
    """A pack cannot be printed; ``message(lang)`` says why and what to do."""

    def __init__(self, key: str, **args: object) -> None:
        super().__init__(key)
        self.key = key
        # A list argument (of nested errors) is worded as indented lines.
        worded = {k: Lines(v) if isinstance(v, list) else v for k, v in args.items()}
        self.diagnostic = Diagnostic(f"pack.{key}", args=worded)

    @property
    def code(self) -> str:
        return self.diagnostic.code

    def message(self, lang: str) -> str:
        return self.diagnostic.message(lang)

    def __str__(self) -> str:
        return self.message("en")
