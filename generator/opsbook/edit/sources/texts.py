"""The problems of ``opsbook pull`` and ``opsbook import-xlsx``, worded from the catalog.

The wording lives in :mod:`opsbook.i18n.catalog.edit` and :mod:`opsbook.i18n.catalog.workbook`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from opsbook.i18n.messages import say


@dataclass(frozen=True)
class Problem:
    """A located problem: where (``file:line``, ``sheet!cell``) and what, in both languages."""

    where: str
    code: str
    args: Mapping[str, Any]

    def message(self, lang: str) -> str:
        return say(self.code, lang, **self.args)

    def render(self, lang: str) -> str:
        prefix = f"{self.where}: " if self.where else ""
        return f"{prefix}{say('edit.error', lang)}: {self.message(lang)}"


def text(code: str, lang: str, /, **args: Any) -> str:
    return say(code, lang, **args)
