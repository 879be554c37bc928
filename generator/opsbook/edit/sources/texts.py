"""The problems of ``opsbook pull`` and ``opsbook import-xlsx``: diagnostics worded from the
catalog (:mod:`opsbook.i18n.catalog.edit`, :mod:`opsbook.i18n.catalog.workbook`) on one line."""

from __future__ import annotations

from typing import Any

from opsbook.check.diagnostics import Diagnostic
from opsbook.i18n.messages import say


def problem_line(problem: Diagnostic, lang: str) -> str:
    """``where: Error: message``, or ``Error: message`` for a problem without a location."""
    prefix = f"{problem.where}: " if problem.where else ""
    return f"{prefix}{say('edit.error', lang)}: {problem.message(lang)}"


def text(code: str, lang: str, /, **args: Any) -> str:
    return say(code, lang, **args)
