"""Every message opsbook prints, in English and Chinese, one module per stage of the pipeline.

One entry per stable code ``area.name``. ``opsbook check``'s codes carry a hint beside the
message (:data:`CATALOG`); the other stages' codes are single texts (:data:`TEXTS`). Keeping all
wording here means a translator edits one folder, and a test can prove that every code has both
languages. :mod:`opsbook.i18n.messages` words them.
"""

from __future__ import annotations

from collections.abc import Mapping

from opsbook.i18n.catalog.base import Entry, Text
from opsbook.i18n.catalog.build import BUILD
from opsbook.i18n.catalog.cycle import CYCLE
from opsbook.i18n.catalog.edit import EDIT
from opsbook.i18n.catalog.loading import LOADING
from opsbook.i18n.catalog.notify import NOTIFY
from opsbook.i18n.catalog.pack import PACK
from opsbook.i18n.catalog.rules import RULES, SUMMARY
from opsbook.i18n.catalog.workbook import WORKBOOK

CATALOG: Mapping[str, Entry] = {**LOADING, **RULES}
TEXTS: Mapping[str, Text] = {**EDIT, **CYCLE, **WORKBOOK, **PACK, **NOTIFY, **BUILD}

__all__ = ["CATALOG", "SUMMARY", "TEXTS", "Entry", "Text"]
