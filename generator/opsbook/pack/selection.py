"""Which scenarios go into a pack: ids, industry, module, owner, tag and period.

Values of one criterion are alternatives (``--tag a --tag b``: either tag); different criteria
must all hold. An id that does not exist, or a selection that matches nothing, is an error
that names what does exist, so a typo never prints an empty pack.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from opsbook.model import Scenario, Team
from opsbook.model.catalog import Catalog
from opsbook.pack.errors import PackError


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        return start <= self.end and self.start <= end


@dataclass(frozen=True)
class Selection:
    ids: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    period: Period | None = None


_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|/)\s*(\d{4}-\d{2}-\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_WEEK = re.compile(r"^(\d{4})-?W(\d{2})$", re.IGNORECASE)


def parse_period(text: str) -> Period:
    """``2026-06-01..2026-06-30``, ``2026-06`` (a month), ``2026-Q2`` or ``2026-W25``."""
    value = text.strip()
    try:
        if match := _RANGE.match(value):
            start, end = (dt.date.fromisoformat(g) for g in match.groups())
            if end < start:
                raise PackError("reversed-period", value=value)
            return Period(start, end)
        if match := _MONTH.match(value):
            year, month = int(match[1]), int(match[2])
            return Period(dt.date(year, month, 1), _month_end(year, month))
        if match := _QUARTER.match(value):
            year, first = int(match[1]), 3 * int(match[2]) - 2
            return Period(dt.date(year, first, 1), _month_end(year, first + 2))
        if match := _WEEK.match(value):
            monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return Period(monday, monday + dt.timedelta(days=6))
    except ValueError:  # a month 13 or a 31 June
        raise PackError("bad-period", value=value) from None
    raise PackError("bad-period", value=value)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def select(catalog: Catalog, selection: Selection) -> tuple[Scenario, ...]:
    """The selected scenarios, in catalog order (industry, module, id)."""
    _check_ids(catalog, selection.ids)
    chosen = tuple(s for s in catalog.scenarios if matches(s, selection, catalog.team))
    if not chosen:
        raise PackError("empty", **_empty_hints(catalog, selection))
    return chosen


def matches(scenario: Scenario, selection: Selection, team: Team) -> bool:
    """Whether the scenario meets every criterion of the selection."""
    period = selection.period
    tests = (
        not selection.ids or scenario.id in selection.ids,
        not selection.industries or scenario.industry in selection.industries,
        not selection.modules or _in_module(scenario, selection.modules, team),
        not selection.tags or bool(set(scenario.tags) & set(selection.tags)),
        not selection.owners or _owned_by(scenario, selection.owners, team),
        period is None or period.overlaps(scenario.cycle.start, scenario.cycle.end),
    )
    return all(tests)


def _in_module(scenario: Scenario, modules: Sequence[str], team: Team) -> bool:
    """The scenario's module given by id or by its display name in either language."""
    names = {
        scenario.module,
        *(team.module_name(scenario.module, lang) for lang in ("en", "zh-CN")),
    }
    return bool(names & set(modules))


def _owned_by(scenario: Scenario, owners: Sequence[str], team: Team) -> bool:
    """Anyone who owns something in the scenario, given by id or by name (责任到人)."""
    people = scenario.people()
    return any(p in owners or team.name_of(p) in owners for p in people)


def _check_ids(catalog: Catalog, ids: Iterable[str]) -> None:
    known = [s.id for s in catalog.scenarios]
    for scenario_id in ids:
        if scenario_id not in catalog.states:
            close = difflib.get_close_matches(scenario_id, known, n=1)
            hint = (
                PackError("did-you-mean", id=close[0])
                if close
                else PackError("list-ids", ids=", ".join(known))
            )
            raise PackError("unknown-id", id=scenario_id, hint=hint)


def _empty_hints(catalog: Catalog, selection: Selection) -> dict[str, object]:
    """Known values for the options whose values match nothing (a typo is the usual cause)."""
    known = {
        "--module": sorted({s.module for s in catalog.scenarios}),
        "--tag": sorted({t for s in catalog.scenarios for t in s.tags}),
        "--owner": sorted(catalog.team.people),
    }
    names = {p.name for p in catalog.team.people.values()}
    names |= {m.name for m in catalog.team.modules.values()}
    names |= {m.name_en for m in catalog.team.modules.values() if m.name_en}
    given = {"--module": selection.modules, "--tag": selection.tags, "--owner": selection.owners}
    hints = []
    for option, values in given.items():
        unknown = [v for v in values if v not in known[option] and v not in names]
        if unknown:
            hints.append(
                PackError(
                    "known-values",
                    option=option,
                    values=", ".join(unknown),
                    known=", ".join(known[option]),
                )
            )
    return {"hints": hints}
