"""``opsbook export --format ics``: due dates, anomaly deadlines and review meetings.

Reminders when a task falls due are part of the method (step 3.2); a calendar file people
subscribe to from Feishu, DingTalk, Outlook or Google Calendar delivers them where people
already look. Events are all-day (the scenarios hold dates, not times), have UIDs derived
from scenario and item ids (so a subscribed calendar updates an event instead of duplicating
it), and a DTSTAMP derived from the as-of date, so the same catalog gives the same bytes.

The team's calendar lists every participant of an event; a person's calendar (the site's
``people/<id>.ics``, and ``--person`` here: the same bytes) lists only that person as
ATTENDEE, beside the ORGANIZER. That is what its subscriber needs (they take part), while the
whole list, repeated in every weekly review of every scenario, made up most of a feed's bytes.
Who owns a task stays in its DESCRIPTION, and the SOP page names everyone in the scenario.

A calendar reminds of what is still to do: an action done or an anomaly closed leaves it (a
subscribed calendar drops the event), as task managers' calendar feeds drop finished tasks.
They were a third of the deadlines every calendar carried; the SOP page keeps their record.

A scenario's regular reviews are one recurring event (RRULE, COUNT), not one event a week:
a half-year cycle's 25 weekly meetings were 25 copies of the same summary, description and
attendees, and a person in a hundred scenarios subscribed to thousands of them. Calendar
apps expand the rule into the same days; the cycle review stays its own event, as its
summary differs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from icalendar import Calendar, Event, vCalAddress, vText

from opsbook.model import Scenario
from opsbook.model.catalog import Catalog
from opsbook.model.values import Anomaly
from opsbook.site.render.labels import Labels

PRODID = "-//opsbook//operations calendar//EN"
_END = b"END:VCALENDAR\r\n"
_EVENT_END = b"END:VEVENT\r\n"
UID_DOMAIN = "opsbook"

_WORDS: Mapping[str, tuple[str, str]] = {
    "calendar": ("{team} · operations calendar", "{team} · 运营日历"),
    "person_calendar": ("{name} · operations calendar", "{name} · 运营日历"),
    "action_due": ("Due: {action}", "截止：{action}"),
    "anomaly_due": ("Fix by today: {problem}", "异常处理截止：{problem}"),
    "review": ("Review: {title}", "复盘：{title}"),
    "cycle_review": ("Cycle review: {title}", "周期复盘：{title}"),
    "scenario": ("Scenario", "场景"),
    "strategy": ("Strategy", "策略"),
    "standard": ("Standard", "交付标准"),
    "status": ("Status", "状态"),
    "owner": ("Owner", "负责人"),
    "cause": ("Cause", "原因"),
    "fix": ("Fix", "解决措施"),
    "period": ("Period", "周期"),
    "sop_page": ("SOP page", "SOP 页面"),
}


def _word(key: str, lang: str, **values: Any) -> str:
    return _WORDS[key][1 if lang == "zh-CN" else 0].format(**values)


@dataclass(frozen=True)
class Entry:
    """One event before it becomes iCalendar: what, when, who."""

    uid: str
    day: dt.date
    summary: str
    description: str
    organizer: str
    attendees: tuple[str, ...]
    categories: tuple[str, ...]
    rrule: Mapping[str, Any] | None = None


def page_url(site_url: str, scenario: Scenario) -> str:
    """The scenario's SOP page (MkDocs directory URLs), absolute when the site URL is known."""
    path = f"scenarios/{scenario.id}/"
    return f"{site_url.rstrip('/')}/{path}" if site_url else path


def _lines(pairs: list[tuple[str, str | None]], url: str, lang: str) -> str:
    colon = "：" if lang == "zh-CN" else ": "
    lines = [f"{label}{colon}{value}" for label, value in pairs if value]
    lines.append(f"{_word('sop_page', lang)}{colon}{url}")
    return "\n".join(lines)


@dataclass(frozen=True)
class Context:
    catalog: Catalog
    lang: str
    site_url: str = ""

    @property
    def labels(self) -> Labels:
        return Labels(self.lang)

    def url(self, scenario: Scenario) -> str:
        return page_url(self.site_url, scenario)


def action_entries(ctx: Context, scenario: Scenario) -> Iterator[Entry]:
    lang, as_of = ctx.lang, ctx.catalog.as_of
    for action in scenario.actions:
        if action.due is None or action.status == "done":
            continue
        yield _item_entry(
            ctx, scenario, ("action", action.id, action.owner), action.due,
            _word("action_due", lang, action=action.action), action.effective_status(as_of),
            [("strategy", action.strategy), ("standard", action.standard)],
        )  # fmt: skip


def anomaly_entries(ctx: Context, scenario: Scenario) -> Iterator[Entry]:
    lang, as_of = ctx.lang, ctx.catalog.as_of
    for anomaly in scenario.anomalies:
        if _closed(anomaly, as_of):
            continue
        yield _item_entry(
            ctx, scenario, ("anomaly", anomaly.id, anomaly.owner), anomaly.due,
            _word("anomaly_due", lang, problem=anomaly.problem),
            "overdue" if anomaly.is_overdue(as_of) else anomaly.status,
            [("cause", anomaly.cause), ("fix", anomaly.fix)],
        )  # fmt: skip


def _closed(anomaly: Anomaly, as_of: dt.date) -> bool:
    """Closed by the as-of date: nothing left to remind anyone of."""
    return anomaly.status == "closed" and (anomaly.closed is None or anomaly.closed <= as_of)


def _item_entry(
    ctx: Context,
    scenario: Scenario,
    item: tuple[str, str, str],
    due: dt.date,
    summary: str,
    state: str,
    fields: list[tuple[str, str | None]],
) -> Entry:
    """The event of an action or an anomaly (``item`` is its kind, id and owner): due day,
    summary, and a description of the scenario, ``fields``, the status and the owner."""
    kind, item_id, owner = item
    lang, url = ctx.lang, ctx.url(scenario)
    status = ctx.labels.enum("status", state)
    description = _lines([
        (_word("scenario", lang), scenario.title),
        *((_word(word, lang), text) for word, text in fields),
        (_word("status", lang), status), (_word("owner", lang), ctx.catalog.team.name_of(owner)),
    ], url, lang)  # fmt: skip
    return Entry(
        f"{kind}.{scenario.id}.{item_id}@{UID_DOMAIN}", due, summary, description,
        scenario.owner, (owner,), (status,),
    )  # fmt: skip


def review_days(scenario: Scenario) -> list[tuple[dt.date, bool]]:
    """(day, is the cycle review): one review after each cadence period of the cycle, and
    the cycle review on its last day (5.1: compare target with actual at the end)."""
    cycle = scenario.cycle
    step = dt.timedelta(days=cycle.cadence_days)
    days: list[tuple[dt.date, bool]] = []
    day = cycle.start + step
    while day < cycle.end:
        days.append((day, False))
        day += step
    days.append((cycle.end, True))
    return days


def recurrence(cadence_days: int, count: int) -> dict[str, Any] | None:
    """The RRULE of ``count`` meetings ``cadence_days`` apart (none for a single one):
    weekly ones as WEEKLY, which calendar apps show as "every week", others by the day."""
    if count < 2:
        return None
    weeks, days = divmod(cadence_days, 7)
    freq, interval = ("WEEKLY", weeks) if days == 0 else ("DAILY", cadence_days)
    rule: dict[str, Any] = {"FREQ": freq}
    if interval > 1:
        rule["INTERVAL"] = interval
    rule["COUNT"] = count
    return rule


def review_entries(ctx: Context, scenario: Scenario) -> Iterator[Entry]:
    """The regular reviews as one recurring event, then the cycle review."""
    catalog, lang, labels, url = ctx.catalog, ctx.lang, ctx.labels, ctx.url(scenario)
    cycle = scenario.cycle
    period = labels.format("week_range", start=cycle.start.isoformat(), end=cycle.end.isoformat())
    # No agenda line: the same words in every meeting, and SUMMARY already says which
    # review it is (the method guide has the agendas of step 4.3 and template 4), and
    # names the scenario, so the description does not repeat it. The period is the
    # cycle's: each meeting reviews the cadence period before its day.
    description = _lines([
        (_word("period", lang), period),
        (_word("owner", lang), catalog.team.name_of(scenario.owner)),
    ], url, lang)  # fmt: skip
    days = review_days(scenario)
    regular = [day for day, final in days if not final]
    if regular:
        yield Entry(
            f"review.{scenario.id}@{UID_DOMAIN}", regular[0],
            _word("review", lang, title=scenario.title), description, scenario.owner,
            scenario.people(), (), recurrence(cycle.cadence_days, len(regular)),
        )  # fmt: skip
    yield Entry(
        f"cycle-review.{scenario.id}.{cycle.end.isoformat()}@{UID_DOMAIN}", cycle.end,
        _word("cycle_review", lang, title=scenario.title), description, scenario.owner,
        scenario.people(), (),
    )  # fmt: skip


def scenario_entries(ctx: Context, scenario: Scenario) -> Iterator[Entry]:
    yield from action_entries(ctx, scenario)
    yield from anomaly_entries(ctx, scenario)
    yield from review_entries(ctx, scenario)


def _entry_order(entry: Entry) -> tuple[dt.date, str]:
    """Calendars list their events by day, then by uid: a stable order."""
    return entry.day, entry.uid


# iCalendar.


def _address(catalog: Catalog, person_id: str) -> vCalAddress:
    """A person as ORGANIZER/ATTENDEE: mailto: when the team directory has an email, else a
    URN naming the person id (still a valid cal-address, and the name shows as CN). No ROLE:
    REQ-PARTICIPANT, what every attendee here is, is the default (RFC 5545 3.2.16)."""
    person = catalog.team.people.get(person_id)
    uri = f"mailto:{person.email}" if person and person.email else f"urn:opsbook:person:{person_id}"
    address = vCalAddress(uri)
    address.params["CN"] = vText(catalog.team.name_of(person_id))
    return address


def _event(ctx: Context, entry: Entry, stamp: dt.datetime) -> Event:
    """The event without its ATTENDEE lines: those depend on whose calendar it goes into."""
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    # No DTEND: an all-day event (a DATE start) without one lasts that day (RFC 5545 3.6.1),
    # and the line was 5% of every calendar the site publishes.
    event.add("dtstart", entry.day)
    if entry.rrule is not None:
        event.add("rrule", dict(entry.rrule))
    event.add("summary", entry.summary)
    event.add("description", entry.description)
    event.add("transp", "TRANSPARENT")  # an all-day reminder does not block the day
    if entry.categories:
        # The status, by which a calendar app can colour or filter deadlines; not the
        # scenario's title, which the summary or description already names and which made a
        # label per scenario in the subscriber's own list of categories.
        event.add("categories", list(entry.categories))
    # No URL property: the description's last line is the same link, and it is the one
    # every calendar app shows (Google Calendar and Outlook show no URL property); the
    # line was 9% of the calendars the site publishes.
    event.add("organizer", _address(ctx.catalog, entry.organizer))
    return event


def _attendee_line(ctx: Context, person_id: str) -> bytes:
    """One folded ``ATTENDEE`` content line, CRLF included."""
    address = _address(ctx.catalog, person_id)
    return Event().content_line("ATTENDEE", address).to_ical() + b"\r\n"


def _header(ctx: Context, person: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    team = ctx.catalog.team
    name = (
        _word("person_calendar", ctx.lang, name=team.name_of(person))
        if person
        else _word("calendar", ctx.lang, team=team.name)
    )
    calendar.add("x-wr-calname", name)
    return calendar


def _without(ical: bytes, end: bytes) -> bytes:
    assert ical.endswith(end)
    return ical[: -len(end)]


@dataclass(frozen=True, slots=True)
class _Who:
    """Who organises and who attends an event: what decides whose calendar lists it."""

    organizer: str
    attendees: tuple[str, ...]


def _listed(entry: _Who, person: str | None) -> tuple[str, ...]:
    """The attendees an event lists in ``person``'s calendar: everyone in the team's, only
    the person in theirs (none when they only organise it)."""
    if person is None:
        return entry.attendees
    return (person,) if person in entry.attendees else ()


def _feed(
    header: bytes,
    events: Sequence[tuple[_Who, bytes]],
    person: str | None,
    attendee_lines: Mapping[str, bytes],
) -> bytes:
    """A calendar: the header, then each event ``person`` organises or attends (every event
    for the team's) with the attendees it lists there."""
    parts = [_without(header, _END)]
    for entry, body in events:
        if person is None or person == entry.organizer or person in entry.attendees:
            parts.append(body)
            parts += [attendee_lines[a] for a in _listed(entry, person)]
            parts.append(_EVENT_END)
    parts.append(_END)
    return b"".join(parts)


def calendar_feeds(
    ctx: Context, people: Sequence[str | None] | None = None
) -> Iterator[tuple[str | None, bytes]]:
    """The calendars of ``people`` (``None``: the team's), one at a time; by default the
    team's, then the calendar of each person in the directory with an event. Each event is
    serialised once without its attendees, each attendee line once; a calendar is a header
    and those pieces, so a person's calendar costs a join, not a rendering of its events."""
    events = _serialised_events(ctx)
    if people is None:
        involved = {p for who, _ in events for p in (who.organizer, *who.attendees)}
        people = [None, *sorted(involved & set(ctx.catalog.team.people))]
    attendees = sorted({a for who, _ in events for a in who.attendees})
    attendee_lines = {a: _attendee_line(ctx, a) for a in attendees}
    for person in people:
        yield person, _feed(_header(ctx, person).to_ical(), events, person, attendee_lines)


def _serialised_events(ctx: Context) -> list[tuple[_Who, bytes]]:
    """Every event as who takes part and its bytes, in :func:`_entry_order`. Made a
    scenario at a time: the entries themselves (their texts are in the bytes) are never all
    held at once."""
    stamp = dt.datetime.combine(ctx.catalog.as_of, dt.time(0), tzinfo=dt.UTC)
    keyed: list[tuple[tuple[dt.date, str], _Who, bytes]] = []
    for scenario in ctx.catalog.scenarios:
        for e in scenario_entries(ctx, scenario):
            body = _without(_event(ctx, e, stamp).to_ical(), _EVENT_END)
            keyed.append((_entry_order(e), _Who(e.organizer, e.attendees), body))
    keyed.sort(key=lambda item: item[0])
    return [(who, body) for _, who, body in keyed]


def calendar_bytes(ctx: Context, person: str | None = None) -> bytes:
    """The calendar of the whole team, or of one person."""
    return dict(calendar_feeds(ctx, [person]))[person]


def export_ics(request: Any) -> list[Path]:
    """``opsbook export --format ics -o FILE [--person ID]``."""
    from opsbook.support.atomic import write_file

    ctx = Context(request.catalog, request.lang, request.project.site_url)
    person = getattr(request, "person", None)
    if person is not None and person not in request.catalog.team.people:
        from opsbook.config import SettingError

        raise SettingError(f"--person {person}: not in the team directory")
    write_file(request.output, calendar_bytes(ctx, person))
    return [request.output]
