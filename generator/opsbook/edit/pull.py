"""``opsbook pull``: run the metric sources and write their rows into the scenarios.

Metrics come from systems, not hand counts (rule 3). ``pull`` reads every selected source
first, validates every row, merges into the files in memory, verifies and checks the result,
and only then writes, all files or none; history lives in git and builds stay offline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from opsbook.check.diagnostics import Diagnostic, Location
from opsbook.check.loader import node_position
from opsbook.check.run import CheckResult, display_path
from opsbook.edit.changeset import ChangeSet, FileChange, team_index
from opsbook.edit.obsmerge import merge_observations
from opsbook.edit.sources import Fetched
from opsbook.edit.sources.confine import project_root, refusal
from opsbook.edit.sources.csvfile import read_csv
from opsbook.edit.sources.sql import Databases, run_query
from opsbook.edit.yamledit import node_at
from opsbook.model import Metric, Scenario
from opsbook.model.catalog import load_catalog
from opsbook.support.errors import OpsbookUsageError

PULLED_KINDS = ("csv", "sql")


class SelectionError(OpsbookUsageError, ValueError):
    """A ``--scenario``/``--metric`` selector that matches nothing (a usage error)."""


@dataclass(frozen=True)
class PullSelection:
    scenarios: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    kinds: tuple[str, ...] = PULLED_KINDS

    def wants(self, scenario: Scenario, metric: Metric) -> bool:
        return (
            metric.source.kind in self.kinds
            and (not self.scenarios or scenario.id in self.scenarios)
            and (not self.metrics or metric.id in self.metrics)
        )


@dataclass(frozen=True)
class Outcome:
    """What pulling one metric did."""

    scenario: str
    metric: str
    kind: str
    origin: str
    added: int
    changed: int
    unchanged: int
    outside: int


@dataclass(frozen=True)
class PullResult:
    outcomes: tuple[Outcome, ...]
    changes: tuple[FileChange, ...]
    problems: tuple[Diagnostic, ...]


def pull(
    paths: Sequence[Path],
    selection: PullSelection,
    *,
    team_file: Path | None = None,
    base: Path,
    environ: Mapping[str, str] | None = None,
) -> PullResult | CheckResult:
    """Plan the pull: every change and every problem; nothing is written here."""
    from opsbook.support.cache import Cache, default_cache_dir

    root = project_root(paths, base)
    catalog, checked = load_catalog(
        paths,
        as_of=dt.date.today(),
        team_file=team_file,
        cache=Cache(default_cache_dir()),
        root=root,
        base=base,
    )
    if catalog is None:
        return checked
    chosen = _select(catalog.scenarios, selection)
    changes = ChangeSet(base)
    outcomes: list[Outcome] = []
    problems: list[Diagnostic] = []
    with Databases(environ) as databases:
        for scenario, index in chosen:
            outcome, found = _pull_metric(changes, databases, scenario, index, root)
            problems += found
            outcomes += [outcome] if outcome else []
    if problems:
        return PullResult(tuple(outcomes), (), tuple(problems))
    files, invalid = changes.finish(team_index(paths, team_file, base))
    return PullResult(tuple(outcomes), tuple(files), tuple(invalid))


def _select(scenarios: Sequence[Scenario], selection: PullSelection) -> list[tuple[Scenario, int]]:
    chosen = [
        (scenario, index)
        for scenario in scenarios
        for index, metric in enumerate(scenario.metrics)
        if selection.wants(scenario, metric)
    ]
    known_scenarios = {s.id for s in scenarios}
    known_metrics = {m.id for s in scenarios for m in s.metrics}
    for wanted in selection.scenarios:
        if wanted not in known_scenarios:
            raise SelectionError(f"--scenario {wanted}: no such scenario")
    for wanted in selection.metrics:
        if wanted not in known_metrics:
            raise SelectionError(f"--metric {wanted}: no such metric")
    return chosen


_HERE = Location("<source>")  # where a source problem is, filled in only when there is one


def _pull_metric(
    changes: ChangeSet, databases: Databases, scenario: Scenario, index: int, root: Path
) -> tuple[Outcome | None, list[Diagnostic]]:
    metric = scenario.metrics[index]
    fetched, origin = _fetch(databases, scenario, metric, root, changes.base)
    if fetched.problems:
        where = _source_line(changes, scenario, index)
        return None, [_moved(p, where) if p.location == _HERE else p for p in fetched.problems]
    outcome = Outcome(
        scenario.id, metric.id, metric.source.kind, origin, 0, 0, len(fetched.rows), fetched.outside
    )
    known = {o.date: o.value for o in metric.observations}
    if all(known.get(row.date) == row.value for row in fetched.rows):
        return outcome, []  # the common case: nothing new, the file is not even parsed again
    opened = changes.open(Path(scenario.file))
    metric_node = node_at(opened.root, ("metrics", index))
    current = opened.data["metrics"][index].get("observations", [])
    merged = merge_observations(opened.text, metric_node, current, fetched.rows)  # type: ignore[arg-type]
    opened.edits += merged.edits
    if merged.touched:
        opened.expected["metrics"][index]["observations"] = list(merged.expected)
    counts = {"added": len(merged.added), "changed": len(merged.changed)}
    return replace(outcome, unchanged=merged.unchanged, **counts), []


def _moved(problem: Diagnostic, where: Location) -> Diagnostic:
    return Diagnostic.at(where, problem.code, problem.args)


def _source_line(changes: ChangeSet, scenario: Scenario, index: int) -> Location:
    """``file:line`` of the metric's ``source`` in the scenario file."""
    opened = changes.open(Path(scenario.file))
    source_node = node_at(opened.root, ("metrics", index, "source"))
    line = node_position(source_node)[0] if source_node is not None else 1
    return Location(opened.shown, line)


def _fetch(
    databases: Databases, scenario: Scenario, metric: Metric, root: Path, base: Path
) -> tuple[Fetched, str]:
    where = _HERE
    source = metric.source
    if source.kind == "csv":
        assert source.path is not None
        folder = Path(scenario.file).parent
        # ``check`` refused it already; judged again just before opening, as links can move
        refused = refusal(source.path, folder, root.resolve())
        if refused is not None:
            refusal_problem = Diagnostic(refused, args={"path": source.path})
            return Fetched(
                problems=(Diagnostic.at(where, "pull.not-read", {"problem": refusal_problem}),)
            ), ""
        path = (folder / source.path).resolve()
        shown = display_path(folder / source.path, base)
        return read_csv(path, shown, source, scenario.cycle, where), shown
    fetched = run_query(databases, source, scenario.cycle, metric.id, where)
    return fetched, source.connection_env or ""
