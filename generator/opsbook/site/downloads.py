"""The exports the knowledge base publishes beside its pages (see ``sitegen.CONTRIBUTORS``).

``catalog.json`` for scripts and BI tools, ``opsbook.xlsx`` for spreadsheet people,
``calendar.ics`` for the whole team and ``people/<id>.ics`` for each person, so anyone can
subscribe from Feishu, DingTalk, Outlook or Google Calendar.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from opsbook.exports.catalog_json import catalog_json
from opsbook.exports.ics import Context, calendar_feeds
from opsbook.exports.workbook import workbook_bytes
from opsbook.model.catalog import Catalog
from opsbook.site.render.escape import safe_id

CATALOG_PATH = "catalog.json"
WORKBOOK_PATH = "opsbook.xlsx"
CALENDAR_PATH = "calendar.ics"


def person_calendar_path(person_id: str) -> str:
    return f"people/{safe_id(person_id)}.ics"


def site_files(catalog: Catalog, settings: Any) -> Iterator[tuple[str, bytes]]:
    """Every published export as (path, bytes), one file at a time: at 5,000 scenarios they
    weigh 170 MB and their making as much again, which a build then never holds at once."""
    lang = getattr(settings, "lang", "zh-CN")
    site_url = str(getattr(settings, "options", {}).get("site_url") or "")
    yield CATALOG_PATH, catalog_json(catalog, compact=True)
    yield WORKBOOK_PATH, workbook_bytes(catalog, lang)
    feeds = calendar_feeds(Context(catalog, lang, site_url))
    for person, feed in feeds:
        yield (CALENDAR_PATH if person is None else person_calendar_path(person)), feed
