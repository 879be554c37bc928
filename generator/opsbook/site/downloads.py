"""The exports the knowledge base publishes beside its pages (see ``sitegen.CONTRIBUTORS``).

``catalog.json`` for scripts and BI tools, ``opsbook.xlsx`` for spreadsheet people,
``calendar.ics`` for the whole team and ``people/<id>.ics`` for each person, so anyone can
subscribe from Feishu, DingTalk, Outlook or Google Calendar.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from opsbook.exports.catalog_json import catalog_json
from opsbook.exports.ics import Context, calendar_feeds, scenario_entries
from opsbook.exports.workbook import workbook_bytes
from opsbook.model import Scenario
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


def planned_site_files(catalog: Catalog, settings: Any) -> list[str]:
    """The paths :func:`site_files` gives, without making the files."""
    return sorted([CATALOG_PATH, WORKBOOK_PATH, CALENDAR_PATH, *calendar_paths(catalog, settings)])


site_files.planned_paths = planned_site_files  # type: ignore[attr-defined]


def calendar_people(catalog: Catalog, scenarios: Iterable[Scenario], settings: Any) -> set[str]:
    """Who takes part in an event of ``scenarios``: of those in the team directory, each
    has a calendar (see ``calendar_feeds``) once any scenario gives them an event."""
    lang = getattr(settings, "lang", "zh-CN")
    site_url = str(getattr(settings, "options", {}).get("site_url") or "")
    ctx = Context(catalog, lang, site_url)
    involved = {
        person
        for scenario in scenarios
        for entry in scenario_entries(ctx, scenario)
        for person in (entry.organizer, *entry.attendees)
    }
    return involved & set(catalog.team.people)


def calendar_paths(catalog: Catalog, settings: Any) -> set[str]:
    """The person calendars :func:`site_files` publishes for ``catalog``, without making them."""
    return {person_calendar_path(p) for p in calendar_people(catalog, catalog.scenarios, settings)}


def is_person_calendar(path: str) -> bool:
    return path.startswith("people/") and path.endswith(".ics")


def with_current_calendars(
    published: Mapping[str, bytes], catalog: Catalog, settings: Any
) -> dict[str, bytes]:
    """``published`` (the downloads made for an earlier catalog), its calendars made again
    for ``catalog`` when who has one changed: each person page links to its calendar, which
    is then always there (and no calendar is left of someone who has none now)."""
    current = {path for path in published if is_person_calendar(path)}
    if not published or calendar_paths(catalog, settings) == current:
        return dict(published)
    lang = getattr(settings, "lang", "zh-CN")
    site_url = str(getattr(settings, "options", {}).get("site_url") or "")
    files = {path: data for path, data in published.items() if path not in current}
    for person, feed in calendar_feeds(Context(catalog, lang, site_url)):
        files[CALENDAR_PATH if person is None else person_calendar_path(person)] = feed
    return dict(sorted(files.items()))
