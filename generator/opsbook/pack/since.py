"""The "since the last review" section: what moved between the last review and this one.

The comparison itself is the change engine's (:func:`opsbook.diff.changes.compare`, shared with
``opsbook diff``); this module chooses the two sides — the same scenarios on two as-of dates,
or the files at a git revision against the files now — and words the result as tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opsbook.diff.changes import Changes, MetricChange, Move, ScenarioChanges, compare
from opsbook.i18n.numerals import change as signed_change
from opsbook.model import Alert, Scenario, Team
from opsbook.model.catalog import Catalog
from opsbook.model.movement import REVIEW_DAYS
from opsbook.pack import formatting as fmt
from opsbook.pack.errors import PackError
from opsbook.pack.labels import enum_label, label
from opsbook.pack.selection import Selection, matches

Data = dict[str, Any]
DEFAULT_DAYS = REVIEW_DAYS  # a weekly review (step 4.3) looks back one week


@dataclass(frozen=True)
class Baseline:
    """The other side of the comparison and how to name it in the pack."""

    catalog: Catalog
    intro_key: str  # "since-dates" or "since-revs"
    name: str  # a date or a revision


def baseline_at_date(current: Catalog, scenarios: Sequence[Scenario], day: dt.date) -> Baseline:
    """The same scenarios as they stood on ``day``: what was known then."""
    if day >= current.as_of:
        raise PackError("since-after-as-of", since=day.isoformat(), as_of=current.as_of.isoformat())
    return Baseline(Catalog.build(current.team, scenarios, day), "since-dates", day.isoformat())


def baseline_at_revision(
    repo: Path, revision: str, scenarios_dir: str, team_file: str | None, as_of: dt.date
) -> Baseline:
    """The files at ``revision``, evaluated on the day of that commit (or the as-of date, if
    earlier): the state the last review saw."""
    from opsbook.diff import history  # git: only when asked for

    history.ensure_repository(repo)  # RevisionError: a usage error, like opsbook diff's
    commit = history.resolve_revision(repo, revision)
    day = min(_commit_date(repo, commit), as_of)
    catalog, result = history.catalog_at_revision(
        repo, commit, as_of=day, scenarios=scenarios_dir, team=team_file
    )
    name = f"{history.short_name(repo, commit)} ({day.isoformat()})"
    if catalog is None:
        reason = f"{result.errors} error(s); run opsbook check on that revision"
        raise PackError("bad-revision", rev=revision, reason=reason)
    return Baseline(catalog, "since-revs", name)


def _commit_date(repo: Path, commit: str) -> dt.date:
    from opsbook.diff import history

    stamp = str(history.git(repo, "show", "-s", "--format=%ct", commit))
    return dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC).date()


def since_section(baseline: Baseline, current: Catalog, selection: Selection, lang: str) -> Data:
    """The section's content: an introduction and one table per kind of change, for the
    selected scenarios only (a scenario removed since is shown when it matched then)."""
    changes = compare(baseline.catalog, current)
    selected = {s.id for s in current.scenarios if matches(s, selection, current.team)}
    removed = {
        r.id for r in changes.removed
        if matches(baseline.catalog.state(r.id).scenario, selection, baseline.catalog.team)
    }  # fmt: skip
    chosen = [c for c in changes.scenarios if c.id in selected]
    intro = label(baseline.intro_key, lang, before=baseline.name, after=current.as_of.isoformat())
    groups = (
        _new_alerts(chosen, lang),
        _metrics_moved(chosen, lang),
        _status_changes(chosen, lang),
        _anomalies(chosen, current.team, lang, opened=True),
        _anomalies(chosen, current.team, lang, opened=False),
        _scenarios(changes, selected, removed, lang),
    )
    return {"intro": intro, "groups": [group for group in groups if group is not None]}


def _group(title: str, columns: list[str], widths: list[Any], rows: list[list[Any]]) -> Data | None:
    """One table; ``widths`` are fractions of the free width, "auto", or "num" (a number
    column: as wide as its content, aligned right)."""
    if not rows:
        return None
    return {"title": title, "columns": columns, "widths": widths, "rows": rows}


def _pill(alert: Alert, lang: str) -> Data:
    return {"code": alert.value, "label": enum_label("alert", alert.value, lang)}


def _value(value: float | None, unit: str) -> str:
    return "—" if value is None else fmt.with_unit(value, unit)


def _delta(move: Move[float | None], unit: str, lang: str) -> str:
    if move.before is None or move.after is None:
        return "—"
    return signed_change(round(move.after - move.before, 6), unit, lang)


def _new_alerts(chosen: Sequence[ScenarioChanges], lang: str) -> Data | None:
    rows = [
        [c.title, m.name, _pill(m.alert.before, lang), _pill(m.alert.after, lang),
         _value(m.actual.after, m.unit), fmt.percent(m.achievement.after)]
        for c in chosen
        for m in c.new_alerts
    ]  # fmt: skip
    columns = ["scenario", "metric", "before", "after", "actual", "achievement"]
    return _group(
        label("new-alerts", lang), [label(k, lang) for k in columns],
        [1.6, 1.4, "auto", "auto", "num", "num"], rows,
    )  # fmt: skip


def _metrics_moved(chosen: Sequence[ScenarioChanges], lang: str) -> Data | None:
    rows = [_metric_row(c, m, lang) for c in chosen for m in c.metrics_changed]
    columns = ["scenario", "metric", "before", "after", "change", "achievement", "alert"]
    return _group(
        label("metrics-moved", lang), [label(k, lang) for k in columns],
        [1.6, 1.4, "num", "num", "num", "num", "auto"], rows,
    )  # fmt: skip


def _metric_row(change: ScenarioChanges, metric: MetricChange, lang: str) -> list[Any]:
    return [
        change.title, metric.name, _value(metric.actual.before, metric.unit),
        _value(metric.actual.after, metric.unit), _delta(metric.actual, metric.unit, lang),
        fmt.percent(metric.achievement.after), _pill(metric.alert.after, lang),
    ]  # fmt: skip


def _status_changes(chosen: Sequence[ScenarioChanges], lang: str) -> Data | None:
    rows: list[list[Any]] = []
    for c in chosen:
        if c.alert is not None:
            rows.append([c.title, label("alert", lang), _pill(c.alert.before, lang),
                         _pill(c.alert.after, lang)])  # fmt: skip
        for a in c.actions_changed:
            if a.status.before != a.status.after:
                rows.append([c.title, a.action, _status("action-status", a.status.before, lang),
                             _status("action-status", a.status.after, lang)])  # fmt: skip
        for item in c.new_overdue:
            if item.kind == "anomaly":  # overdue actions show above, as "overdue"
                rows.append([c.title, item.text, _status("anomaly-status", "open", lang),
                             _status("action-status", "overdue", lang)])  # fmt: skip
    columns = ["scenario", "item", "before", "after"]
    return _group(
        label("status-changes", lang), [label(k, lang) for k in columns],
        [1.4, 2.2, "auto", "auto"], rows,
    )  # fmt: skip


def _status(kind: str, code: str, lang: str) -> Data:
    return {"code": code, "label": enum_label(kind, code, lang)}


def _anomalies(
    chosen: Sequence[ScenarioChanges], team: Team, lang: str, *, opened: bool
) -> Data | None:
    rows = [
        [c.title, a.problem, fmt.person(team, a.owner), fmt.date(a.due)]
        for c in chosen
        for a in (c.anomalies_opened if opened else c.anomalies_closed)
    ]
    columns = ["scenario", "problem", "owner", "deadline"]
    return _group(
        label("new-anomalies" if opened else "closed-anomalies", lang),
        [label(k, lang) for k in columns], [1.4, 2.2, "auto", "auto"], rows,
    )  # fmt: skip


def _scenarios(
    changes: Changes, selected: Collection[str], removed: Collection[str], lang: str
) -> Data | None:
    """Scenarios added or removed since the baseline (when comparing git revisions)."""
    rows = [
        [label("new-scenarios", lang), r.title, r.id] for r in changes.added if r.id in selected
    ]
    rows += [
        [label("removed-scenarios", lang), r.title, r.id]
        for r in changes.removed
        if r.id in removed
    ]
    columns = ["change", "scenario", "item"]
    return _group(
        label("new-scenarios", lang) + " / " + label("removed-scenarios", lang),
        [label(k, lang) for k in columns], ["auto", 1.5, 1.5], rows,
    )  # fmt: skip
