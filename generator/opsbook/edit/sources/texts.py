"""The words of ``opsbook pull`` and ``opsbook import-xlsx`` besides their problems (which are
diagnostics, shown by :meth:`~opsbook.check.diagnostics.Diagnostic.render`), from the catalog
(:mod:`opsbook.i18n.catalog.edit`, :mod:`opsbook.i18n.catalog.workbook`)."""

from __future__ import annotations

from typing import Any

from opsbook.i18n.messages import say


def text(code: str, lang: str, /, **args: Any) -> str:
    return say(code, lang, **args)
