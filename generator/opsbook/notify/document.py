"""The digests as documents: titled lines of text, links and mentions, in one language.

A document knows nothing of any platform; render.py turns it into a Feishu post, a DingTalk
or WeCom markdown message, a JSON payload or an e-mail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from opsbook.i18n.numerals import percent, with_unit
from opsbook.i18n.vocabulary import PHRASES
from opsbook.model import Person
from opsbook.notify.digest import AlertItem, Daily, Item, Weekly
from opsbook.notify.messages import say
from opsbook.pack.formatting import target
from opsbook.site.generate import Paths
from opsbook.site.render.labels import Labels


@dataclass(frozen=True)
class Mention:
    person: Person


@dataclass(frozen=True)
class Link:
    text: str
    href: str


Span = str | Mention | Link


@dataclass(frozen=True)
class Line:
    style: str  # heading, item or text
    spans: tuple[Span, ...]

    @property
    def mentions(self) -> tuple[Person, ...]:
        return tuple(s.person for s in self.spans if isinstance(s, Mention))


@dataclass(frozen=True)
class Document:
    digest: str  # weekly or daily
    lang: str
    as_of: str
    title: str
    lines: tuple[Line, ...]
    recipient: Person | None = None  # the person a daily reminder is for


def _heading(text: str) -> Line:
    return Line("heading", (text,))


def _text(*spans: Span) -> Line:
    return Line("text", spans)


def _item(*spans: Span) -> Line:
    return Line("item", spans)


def page_url(site_url: str | None, path: str) -> str | None:
    """The address of a generated page (MkDocs directory URLs: scenarios/x.md → scenarios/x/)."""
    if not site_url:
        return None
    page = path.removesuffix("index.md").removesuffix(".md")
    return site_url.rstrip("/") + "/" + (page + "/" if page and not page.endswith("/") else page)


def weekly_document(
    digest: Weekly, lang: str, site_url: str | None, pack_url: str | None
) -> Document:
    labels = Labels(lang)
    lines = [_heading(f"{labels['alerts']} ({len(digest.alerts)})")]
    for alert in digest.alerts:
        lines += _alert_lines(alert, labels, site_url)
    lines += _none(not digest.alerts, labels)
    lines.append(_heading(f"{labels['overdue']} ({len(digest.overdue)})"))
    lines += [_item_line(i, labels, digest.as_of, mention=True) for i in digest.overdue]
    lines += _none(not digest.overdue, labels)
    lines.append(_heading(f"{labels['due_this_week']} ({len(digest.due_this_week)})"))
    lines += [_item_line(i, labels, digest.as_of, mention=False) for i in digest.due_this_week]
    lines += _none(not digest.due_this_week, labels)
    lines += _since_lines(digest, lang)
    lines += _link_lines(lang, site_url, pack_url)
    title = say("weekly-title", lang, team=digest.team, as_of=digest.as_of.isoformat())
    return Document("weekly", lang, digest.as_of.isoformat(), title, tuple(lines))


def _none(empty: bool, labels: Labels) -> list[Line]:
    return [_text(labels["none"])] if empty else []


def _alert_lines(alert: AlertItem, labels: Labels, site_url: str | None) -> list[Line]:
    state, metric = alert.metric, alert.metric.metric
    actual = "—" if state.actual is None else with_unit(state.actual, metric.unit)
    headline = say(
        "alert-line", labels.lang, level=labels.enum("alert", alert.level.value),
        scenario=alert.scenario.title, metric=metric.name, actual=actual,
        target=target(metric), rate="—" if state.achievement is None else percent(state.achievement),
    )  # fmt: skip
    url = page_url(site_url, Paths.scenario(alert.scenario.id))
    first = _item(headline, " ", Link(alert.scenario.id, url)) if url else _item(headline)
    supplier = alert.supplies.name if alert.supplies else "—"
    acts, data = say("who-acts", labels.lang, owner="\0", supplier=supplier).split("\0")
    return [first, _text(acts, Mention(alert.acts), data)]


def _item_line(item: Item, labels: Labels, as_of: dt.date, *, mention: bool) -> Line:
    """``scenario — text · owner · due DATE``; overdue, the date phrase every output uses:
    ``已逾期 3 天（2026-06-19 起）``."""
    key = "item-overdue" if item.status == "overdue" else "item-line"
    late = (
        PHRASES["overdue-days"]
        .get(labels.lang)
        .format(days=(as_of - item.due).days, due=item.due.isoformat())
    )
    words = say(
        key, labels.lang, scenario=item.scenario.title, text=item.text, owner="\0",
        due=item.due.isoformat(), late=late,
    )  # fmt: skip
    before, after = words.split("\0")
    who: Span = Mention(item.owner) if mention else item.owner.name
    return _item(before, who, after)


def _since_lines(digest: Weekly, lang: str) -> list[Line]:
    lines = [_heading(say("since", lang)), _text(digest.since)]
    for group in digest.changes:
        lines.append(_text(f"{group.title}:" if lang == "en" else f"{group.title}："))
        lines += [_item(row) for row in group.rows]
    return lines + ([] if digest.changes else [_text(say("no-changes", lang))])


def _link_lines(lang: str, site_url: str | None, pack_url: str | None) -> list[Line]:
    links = [
        _item(Link(say(key, lang), url))
        for key, url in (("site", site_url and page_url(site_url, "index.md")), ("pack", pack_url))
        if url
    ]
    return [_heading(say("links", lang)), *links] if links else []


def daily_document(reminder: Daily, lang: str, site_url: str | None) -> Document:
    labels, person = Labels(lang), reminder.person
    lines = [_text(Mention(person), " ", say("daily-intro", lang))]
    sections = (
        (labels["overdue"], reminder.overdue), (say("due-today", lang), reminder.today),
        (say("due-tomorrow", lang), reminder.tomorrow),
    )  # fmt: skip
    for title, items in sections:
        if items:
            lines.append(_heading(f"{title} ({len(items)})"))
            lines += [_item_line(i, labels, reminder.as_of, mention=False) for i in items]
    url = page_url(site_url, Paths.person(person.id))
    if url:
        lines += [_heading(say("links", lang)), _item(Link(person.name, url))]
    title = say("daily-title", lang, person=person.name, as_of=reminder.as_of.isoformat())
    return Document("daily", lang, reminder.as_of.isoformat(), title, tuple(lines), person)
