"""What the messages say, as values: alerts, due and overdue items, changes, links.

Everything computed comes from the model (:mod:`opsbook.model`) through the catalog's states,
and "since the last review" from the pack's own section (:mod:`opsbook.pack.since`), so the
chat says what the site and the pack say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from opsbook.model import Alert, MetricState, Person, Scenario, ScenarioState, due_between
from opsbook.model.catalog import Catalog
from opsbook.pack.selection import Selection
from opsbook.pack.since import DEFAULT_DAYS, baseline_at_date, since_section
from opsbook.site.generate import week_window

ALERTING = (Alert.CRITICAL, Alert.WARNING)


@dataclass(frozen=True)
class AlertItem:
    """A scenario in alert, shown with the core metric that set its level."""

    scenario: Scenario
    metric: MetricState  # the worst core metric: its level is the scenario's
    acts: Person  # the scenario owner decides and acts
    supplies: Person | None  # the metric owner supplies the data

    @property
    def level(self) -> Alert:
        return self.metric.alert


@dataclass(frozen=True)
class Item:
    """An action or an anomaly with an owner and a deadline."""

    scenario: Scenario
    text: str
    owner: Person
    due: dt.date
    status: str  # a label key of the site's "status" names


@dataclass(frozen=True)
class ChangeGroup:
    title: str
    rows: tuple[str, ...]


@dataclass(frozen=True)
class Weekly:
    team: str
    as_of: dt.date
    alerts: tuple[AlertItem, ...]
    overdue: tuple[Item, ...]
    due_this_week: tuple[Item, ...]
    since: str
    changes: tuple[ChangeGroup, ...]


@dataclass(frozen=True)
class Daily:
    person: Person
    as_of: dt.date
    today: tuple[Item, ...]
    tomorrow: tuple[Item, ...]
    overdue: tuple[Item, ...]


def worst_metric(state: ScenarioState) -> MetricState | None:
    """The core metric that set the scenario's level (chosen once, in the model)."""
    return state.status_metric


def weekly(catalog: Catalog, lang: str) -> Weekly:
    states = list(catalog.states.values())
    start, end = week_window(catalog.as_of)
    due = [
        _action_item(catalog, s.scenario, a, a.status)
        for s in states for a in due_between(s.scenario, start, end)
    ]  # fmt: skip
    intro, changes = _changes(catalog, lang)
    return Weekly(
        team=catalog.team.name, as_of=catalog.as_of, alerts=tuple(_alerts(catalog, states)),
        overdue=tuple(_overdue(catalog, states)), due_this_week=tuple(due), since=intro,
        changes=changes,
    )  # fmt: skip


def _alerts(catalog: Catalog, states: Iterable[ScenarioState]) -> list[AlertItem]:
    found = []
    for state in states:
        metric = worst_metric(state)
        if metric is None or metric.alert not in ALERTING:
            continue
        supplier = catalog.team.people.get(metric.metric.owner or "")
        owner = catalog.team.people[state.scenario.owner]
        found.append(AlertItem(state.scenario, metric, owner, supplier))
    return sorted(found, key=lambda a: -a.level.rank)  # stable: catalog order within a level


def _overdue(catalog: Catalog, states: Iterable[ScenarioState]) -> Iterator[Item]:
    for state in states:
        for action in state.overdue_actions:
            yield _action_item(catalog, state.scenario, action, "overdue")
        for anomaly in state.overdue_anomalies:
            owner = catalog.team.people[anomaly.owner]
            yield Item(state.scenario, anomaly.problem, owner, anomaly.due, "overdue")


def _action_item(catalog: Catalog, scenario: Scenario, action: Any, status: str) -> Item:
    return Item(scenario, action.action, catalog.team.people[action.owner], action.due, status)


def _changes(catalog: Catalog, lang: str) -> tuple[str, tuple[ChangeGroup, ...]]:
    """The review pack's "since the last review" (one week back), as lines of text."""
    day = catalog.as_of - dt.timedelta(days=DEFAULT_DAYS)
    section = since_section(
        baseline_at_date(catalog, catalog.scenarios, day), catalog, Selection(), lang
    )
    groups = tuple(
        ChangeGroup(g["title"], tuple(" · ".join(map(_cell, row)) for row in g["rows"]))
        for g in section["groups"]
    )
    return section["intro"], groups


def _cell(value: Any) -> str:
    return str(value["label"]) if isinstance(value, dict) else str(value)


def daily(catalog: Catalog) -> list[Daily]:
    """One reminder per person with anything due today or tomorrow, or overdue."""
    as_of, states = catalog.as_of, list(catalog.states.values())
    overdue = list(_overdue(catalog, states))
    tomorrow = as_of + dt.timedelta(days=1)
    reminders = []
    for person in catalog.team.people.values():
        reminder = Daily(
            person, as_of, _due_on(catalog, states, person, as_of),
            _due_on(catalog, states, person, tomorrow),
            tuple(i for i in overdue if i.owner.id == person.id),
        )  # fmt: skip
        if reminder.today or reminder.tomorrow or reminder.overdue:
            reminders.append(reminder)
    return reminders


def _due_on(
    catalog: Catalog, states: Iterable[ScenarioState], person: Person, day: dt.date
) -> tuple[Item, ...]:
    items = [
        _action_item(catalog, s.scenario, a, a.status)
        for s in states for a in due_between(s.scenario, day, day) if a.owner == person.id
    ]  # fmt: skip
    items += [
        Item(s.scenario, a.problem, person, a.due, "open")
        for s in states for a in s.open_anomalies if a.owner == person.id and a.due == day
    ]  # fmt: skip
    return tuple(items)
