"""What a change does to the operations: two catalogs in, a tree of frozen values out.

The two catalogs may be two git revisions (``opsbook diff``) or the same scenarios evaluated
on two as-of dates (the review pack's "since the last review"). Everything computed —
effective status, achievement, alert level, overdue, open anomalies — is read from each
catalog's :class:`~opsbook.model.ScenarioState`, never computed again here.

Identity. A scenario is the same scenario when its id is the same; a different file name is
then a *move* (reported as renamed). A scenario that disappears under one id while another
appears under a new id is a *rename* when the two share their file name or their title;
otherwise it is a removal and an addition. Actions, metrics and anomalies are matched by id
inside their scenario.

Rule violations are matched by (code, file, location in the document), not by line, so
editing above a warning does not report it fixed and introduced again.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar

from opsbook.check.diagnostics import Diagnostic, format_path
from opsbook.check.run import CheckResult
from opsbook.diff.records import (
    ActionChange,
    ActionRef,
    AnomalyRef,
    Changes,
    MetricChange,
    MetricRef,
    Move,
    OverdueItem,
    Rename,
    ScenarioChanges,
    ScenarioRef,
    Violation,
    move_of,
)
from opsbook.model import Action, Anomaly, MetricState, Scenario, ScenarioState
from opsbook.model.catalog import Catalog

# The records are part of what a comparison answers; callers import them from here.
__all__ = [
    "ActionChange", "ActionRef", "AnomalyRef", "Changes", "MetricChange", "MetricRef", "Move",
    "OverdueItem", "Rename", "ScenarioChanges", "ScenarioRef", "Violation", "compare",
]  # fmt: skip


CompareScenario = Callable[[ScenarioState, ScenarioState], ScenarioChanges]


def compare(
    before: Catalog | None,
    after: Catalog | None,
    *,
    before_check: CheckResult | None = None,
    after_check: CheckResult | None = None,
    compare_scenario: CompareScenario | None = None,
) -> Changes:
    """Compare two catalogs; ``None`` is a side that is broken (its check has errors).

    The check results are optional: without them, rule violations are not compared.
    ``compare_scenario``: :func:`scenario_changes`, or one that remembers its results (serve
    compares the same thousand scenarios after each edit of one).
    """
    compare_scenario = compare_scenario or scenario_changes
    renames = _renames(before, after)
    moves = _moves(before, after)
    introduced, fixed = _violations(before_check, after_check, moves + renames)
    common: dict[str, Scenario | None] = {}
    added: tuple[ScenarioRef, ...] = ()
    removed: tuple[ScenarioRef, ...] = ()
    scenarios: tuple[ScenarioChanges, ...] = ()
    if before is not None and after is not None:
        renamed_ids = {r.before.id for r in renames} | {r.after.id for r in renames}
        common = {s.id: s for s in after.scenarios if s.id not in renamed_ids}
        added = _refs(after, [s for s in after.scenarios if s.id not in before.states], renamed_ids)
        removed = _refs(
            before, [s for s in before.scenarios if s.id not in after.states], renamed_ids
        )
        pairs = [(sid, sid) for sid in common if sid in before.states]
        pairs += [(r.before.id, r.after.id) for r in renames]
        compared = (compare_scenario(before.state(b), after.state(a)) for b, a in pairs)
        scenarios = tuple(sorted((c for c in compared if not c.empty), key=lambda c: c.file))
    return Changes(
        before_as_of=before.as_of if before else None,
        after_as_of=after.as_of if after else None,
        broken_before=before is None,
        broken_after=after is None,
        added=added,
        removed=removed,
        renamed=moves + renames,
        scenarios=scenarios,
        violations_introduced=introduced,
        violations_fixed=fixed,
    )


# Scenarios.


def _ref(catalog: Catalog, scenario: Scenario) -> ScenarioRef:
    state = catalog.state(scenario.id)
    return ScenarioRef(
        scenario.id, scenario.title, scenario.file, scenario.owner, state.alert,
        state.overdue_count,
    )  # fmt: skip


def _refs(
    catalog: Catalog, scenarios: Iterable[Scenario], skip: set[str]
) -> tuple[ScenarioRef, ...]:
    chosen = (_ref(catalog, s) for s in scenarios if s.id not in skip)
    return tuple(sorted(chosen, key=lambda r: r.file))


def _moves(before: Catalog | None, after: Catalog | None) -> tuple[Rename, ...]:
    """Same id, another file: the file was renamed or moved."""
    if before is None or after is None:
        return ()
    old = {s.id: s for s in before.scenarios}
    moved = [
        Rename(_ref(before, old[s.id]), _ref(after, s))
        for s in after.scenarios
        if s.id in old and old[s.id].file != s.file
    ]
    return tuple(sorted(moved, key=lambda r: r.after.file))


def _renames(before: Catalog | None, after: Catalog | None) -> tuple[Rename, ...]:
    """A vanished id and a new id with the same file name or the same title."""
    if before is None or after is None:
        return ()
    gone = [s for s in before.scenarios if s.id not in after.states]
    new = [s for s in after.scenarios if s.id not in before.states]
    pairs: list[Rename] = []
    for scenario in sorted(new, key=lambda s: s.file):
        match = next((g for g in gone if g.file == scenario.file), None) or next(
            (g for g in gone if g.title == scenario.title), None
        )
        if match is not None:
            gone.remove(match)
            pairs.append(Rename(_ref(before, match), _ref(after, scenario)))
    return tuple(pairs)


def scenario_changes(before: ScenarioState, after: ScenarioState) -> ScenarioChanges:
    """What changed in one scenario between two states (its own, or a renamed one's)."""
    added_actions, removed_actions, changed_actions = _actions(before, after)
    added_metrics, removed_metrics, changed_metrics = _metrics(before, after)
    opened, closed = _anomalies(before, after)
    return ScenarioChanges(
        id=after.scenario.id,
        title=after.scenario.title,
        file=after.scenario.file,
        alert=move_of(before.alert, after.alert),
        actions_added=added_actions,
        actions_removed=removed_actions,
        actions_changed=changed_actions,
        metrics_added=added_metrics,
        metrics_removed=removed_metrics,
        metrics_changed=changed_metrics,
        anomalies_opened=opened,
        anomalies_closed=closed,
        new_overdue=_new_overdue(before, after),
    )


T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


def _split(
    before: Iterable[T], after: Iterable[T], key: Callable[[T], K]
) -> tuple[list[T], list[T], list[tuple[T, T]]]:
    """Added, removed and common items (in the order of ``after``, then of ``before``)."""
    old = {key(item): item for item in before}
    new = {key(item): item for item in after}
    added = [item for k, item in new.items() if k not in old]
    removed = [item for k, item in old.items() if k not in new]
    common = [(old[k], item) for k, item in new.items() if k in old]
    return added, removed, common


# Actions.


def _action_ref(action: Action, as_of: dt.date) -> ActionRef:
    return ActionRef(
        action.id, action.action, action.owner, action.due, action.effective_status(as_of)
    )


def _actions(
    before: ScenarioState, after: ScenarioState
) -> tuple[tuple[ActionRef, ...], tuple[ActionRef, ...], tuple[ActionChange, ...]]:
    added, removed, common = _split(before.scenario.actions, after.scenario.actions, _id)
    changed = []
    for old, new in common:
        change = ActionChange(
            id=new.id,
            action=new.action,
            status=Move(old.effective_status(before.as_of), new.effective_status(after.as_of)),
            owner=Move(old.owner, new.owner),
            due=Move(old.due, new.due),
        )
        if change.changed:
            changed.append(change)
    return (
        tuple(_action_ref(a, after.as_of) for a in added),
        tuple(_action_ref(a, before.as_of) for a in removed),
        tuple(changed),
    )


def _id(item: Action | Anomaly | MetricState) -> str:
    return item.metric.id if isinstance(item, MetricState) else item.id


# Metrics.


def _metric_ref(state: MetricState) -> MetricRef:
    m = state.metric
    return MetricRef(m.id, m.name, m.unit, state.actual, m.target, state.achievement, state.alert)


def _metrics(
    before: ScenarioState, after: ScenarioState
) -> tuple[tuple[MetricRef, ...], tuple[MetricRef, ...], tuple[MetricChange, ...]]:
    added, removed, common = _split(before.metrics, after.metrics, _id)
    changed = []
    for old, new in common:
        if (old.actual, old.metric.target, old.alert) == (new.actual, new.metric.target, new.alert):
            continue
        changed.append(
            MetricChange(
                id=new.metric.id,
                name=new.metric.name,
                unit=new.metric.unit,
                actual=Move(old.actual, new.actual),
                target=Move(old.metric.target, new.metric.target),
                achievement=Move(old.achievement, new.achievement),
                alert=Move(old.alert, new.alert),
            )
        )
    return (
        tuple(_metric_ref(m) for m in added),
        tuple(_metric_ref(m) for m in removed),
        tuple(changed),
    )


# Anomalies and overdue items.


def _anomaly_ref(anomaly: Anomaly) -> AnomalyRef:
    return AnomalyRef(anomaly.id, anomaly.problem, anomaly.owner, anomaly.due)


def _anomalies(
    before: ScenarioState, after: ScenarioState
) -> tuple[tuple[AnomalyRef, ...], tuple[AnomalyRef, ...]]:
    """Opened: open now and not before. Closed: open before, still listed and not open now.
    (An anomaly deleted from the file is neither: deleting is not closing.)"""
    was_open = {a.id for a in before.open_anomalies}
    is_open = {a.id for a in after.open_anomalies}
    listed = {a.id for a in after.scenario.anomalies}
    opened = [a for a in after.open_anomalies if a.id not in was_open]
    closed = [
        a for a in after.scenario.anomalies
        if a.id in was_open and a.id not in is_open and a.id in listed
    ]  # fmt: skip
    return tuple(map(_anomaly_ref, opened)), tuple(map(_anomaly_ref, closed))


def _overdue_items(state: ScenarioState) -> Mapping[tuple[str, str], OverdueItem]:
    items = [
        OverdueItem("action", a.id, a.action, a.owner, a.due)  # type: ignore[arg-type]
        for a in state.overdue_actions
    ]
    items += [
        OverdueItem("anomaly", a.id, a.problem, a.owner, a.due) for a in state.overdue_anomalies
    ]
    return {(item.kind, item.id): item for item in items}


def _new_overdue(before: ScenarioState, after: ScenarioState) -> tuple[OverdueItem, ...]:
    old = _overdue_items(before)
    return tuple(item for key, item in _overdue_items(after).items() if key not in old)


# Rule violations.


def _violations(
    before: CheckResult | None, after: CheckResult | None, renames: Iterable[Rename]
) -> tuple[tuple[Violation, ...], tuple[Violation, ...]]:
    """Introduced and fixed diagnostics, compared as multisets of their keys; a renamed
    scenario's old file name is read as the new one."""
    if before is None or after is None:
        return (), ()
    new_name = {r.before.file: r.after.file for r in renames}

    def key(d: Diagnostic) -> tuple[str, str, str]:
        return d.code, new_name.get(d.file, d.file), format_path(d.path)

    return (
        _difference(after.diagnostics, before.diagnostics, key),
        _difference(before.diagnostics, after.diagnostics, key),
    )


def _difference(
    these: Iterable[Diagnostic],
    those: Iterable[Diagnostic],
    key: Callable[[Diagnostic], tuple[str, str, str]],
) -> tuple[Violation, ...]:
    """The diagnostics of ``these`` that ``those`` does not have (counting repeats)."""
    remaining = Counter(key(d) for d in those)
    out = []
    for diagnostic in these:
        k = key(diagnostic)
        if remaining[k]:
            remaining[k] -= 1
        else:
            out.append(Violation(diagnostic))
    return tuple(out)
