"""The exports the knowledge base publishes beside its pages (see ``sitegen.CONTRIBUTORS``).

``catalog.json`` for scripts and BI tools, ``opsbook.xlsx`` for spreadsheet people,
``calendar.ics`` for the whole team and ``people/<id>.ics`` for each person, so anyone can
subscribe from Feishu, DingTalk, Outlook or Google Calendar.
"""

from __future__ import annotations

from typing import Any

from opsbook.catalog import Catalog
from opsbook.exports.catalog_json import catalog_json
from opsbook.exports.ics import Context, calendars, entries
from opsbook.exports.workbook import workbook_bytes
from opsbook.render.escape import safe_id

CATALOG_PATH = "catalog.json"
WORKBOOK_PATH = "opsbook.xlsx"
CALENDAR_PATH = "calendar.ics"


def person_calendar_path(person_id: str) -> str:
    return f"people/{safe_id(person_id)}.ics"


def site_files(catalog: Catalog, settings: Any) -> dict[str, bytes]:
    """Every published export, as values (path → bytes)."""
    lang = getattr(settings, "lang", "zh-CN")
    site_url = str(getattr(settings, "options", {}).get("site_url") or "")
    ctx = Context(catalog, lang, site_url)
    involved = {p for e in entries(ctx) for p in (e.organizer, *e.attendees)}
    people = sorted(involved & set(catalog.team.people))
    rendered = calendars(ctx, [None, *people])
    files = {
        CATALOG_PATH: catalog_json(catalog, compact=True),
        WORKBOOK_PATH: workbook_bytes(catalog, lang),
        CALENDAR_PATH: rendered[None],
    }
    files.update({person_calendar_path(p): rendered[p] for p in people})
    return files
