"""The catalog: every checked scenario, the team, and their indexes, on one as-of date.

``load_catalog`` is the door every output goes through: it runs the same check as
``opsbook check`` and builds the model only when nothing is wrong, so no page, chart, pack or
export is ever made from input that ``check`` would reject.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from opsbook.check.run import CheckResult, check_paths
from opsbook.model import INDUSTRIES, Scenario, ScenarioState, Team, evaluate, scenario_from_data
from opsbook.model.build import with_shared_strings
from opsbook.support.cache import Cache

StateOf = Callable[[Scenario, dt.date], ScenarioState]  # a scenario seen on a day


@dataclass(frozen=True)
class Catalog:
    team: Team
    scenarios: tuple[Scenario, ...]
    as_of: dt.date
    states: Mapping[str, ScenarioState] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        team: Team,
        scenarios: Sequence[Scenario],
        as_of: dt.date,
        *,
        state_of: StateOf = evaluate,
    ) -> Catalog:
        """The catalog of ``scenarios`` on ``as_of``; ``state_of`` evaluates each one (serve
        passes one that keeps the states of scenarios an edit left alone, see
        :func:`keeping_states`)."""
        ordered = tuple(sorted(scenarios, key=lambda s: _scenario_order(s, team)))
        states = {s.id: state_of(s, as_of) for s in ordered}
        return cls(team, ordered, as_of, states)

    def state(self, scenario_id: str) -> ScenarioState:
        return self.states[scenario_id]

    def by_industry(self) -> dict[str, list[Scenario]]:
        groups: dict[str, list[Scenario]] = defaultdict(list)
        for scenario in self.scenarios:
            groups[scenario.industry].append(scenario)
        return dict(groups)

    def by_person(self) -> dict[str, list[Scenario]]:
        """Every person with the scenarios they own anything in (责任到人)."""
        groups: dict[str, list[Scenario]] = {pid: [] for pid in self.team.people}
        for scenario in self.scenarios:
            for person in scenario.people():
                groups.setdefault(person, []).append(scenario)
        return groups


def keeping_states(catalog: Catalog) -> StateOf:
    """``evaluate``, except that a scenario ``catalog`` holds on the same day (the same
    object: the model is frozen) keeps its state there, with what it has worked out since
    (its level): serve builds the catalog again after each edit of one scenario."""

    def state_of(scenario: Scenario, as_of: dt.date) -> ScenarioState:
        known = catalog.states.get(scenario.id)
        if known is not None and known.scenario is scenario and known.as_of == as_of:
            return known
        return evaluate(scenario, as_of)

    return state_of


def _scenario_order(scenario: Scenario, team: Team) -> tuple[int, str, str, str]:
    """Industry in the method's order, then module by its Chinese name (the same order in
    every output language), then id."""
    industry = (
        INDUSTRIES.index(scenario.industry) if scenario.industry in INDUSTRIES else len(INDUSTRIES)
    )
    return industry, team.module_name(scenario.module, "zh-CN"), scenario.module, scenario.id


def load_catalog(
    paths: Sequence[Path],
    *,
    as_of: dt.date,
    team_file: Path | None = None,
    cache: Cache | None = None,
    strict: bool = False,
    root: Path | None = None,
    base: Path = Path(),
) -> tuple[Catalog | None, CheckResult]:
    """Check everything; build the catalog only when the check found no error.

    The model is built from the values the check produced (or found in its cache), so a
    file is parsed at most once, and not at all when it has not changed. File names are
    shown relative to ``base``: the commands pass the folder they run in.
    """
    result = check_paths(
        paths, team_file=team_file, cache=cache, strict=strict, root=root, base=base
    )
    if not result.ok:
        return None, result
    team = Team.from_data(result.team_data)
    strings: dict[str, str] = {}
    scenarios = [
        scenario_from_data(with_shared_strings(data, strings), file)
        for file, data in result.data.items()
    ]
    return Catalog.build(team, scenarios, as_of), replace(result, data={}, team_data=None)
