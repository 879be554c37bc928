"""``opsbook diff`` output: the changes as Markdown (a pull-request comment, a job summary) or
as JSON.

Everything users wrote (titles, action texts, problems, messages quoting their values) is
escaped, so a title such as ``*urgent* | <b>`` is shown as typed and never becomes markup,
a table cell break, a mention of HTML or a math formula.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from opsbook.check.diagnostics import format_path
from opsbook.diff import history
from opsbook.diff.changes import (
    ActionChange,
    ActionRef,
    AnomalyRef,
    Changes,
    MetricChange,
    MetricRef,
    Move,
    OverdueItem,
    ScenarioChanges,
    ScenarioRef,
    Violation,
)
from opsbook.i18n.messages import Text, render
from opsbook.i18n.numerals import percent, with_unit
from opsbook.i18n.vocabulary import PHRASES, STATES, word
from opsbook.model import Alert

WORK_TREE = history.WORK_TREE
_T = Text

LABELS: Mapping[str, Text] = {
    "title": _T("Operations changes", "运营变更"),
    "work-tree": _T("work tree", "工作区"),
    "as-of": _T("As of {date}", "统计日期 {date}"),
    "none": _T("No change to the operations.", "没有影响运营的变更。"),
    "added": _T("Scenarios added", "新增场景"),
    "removed": _T("Scenarios removed", "删除场景"),
    "renamed": _T("Scenarios renamed or moved", "重命名或移动的场景"),
    "violations": _T("Rule violations", "规则问题"),
    "introduced": _T("Introduced ({n})", "新增（{n}）"),
    "fixed": _T("Fixed ({n})", "已修复（{n}）"),
    "broken": _T(
        "{side} does not pass `opsbook check`: its scenarios cannot be compared; "
        "see the rule violations below.",
        "{side} 未通过 `opsbook check`：无法比较其中的场景，请查看下方的规则问题。",
    ),
    "base": _T("The base", "基准版本"),
    "head": _T("The change", "变更版本"),
    "counts": _T(
        "{added} added · {removed} removed · {renamed} renamed · {changed} changed",
        "新增 {added} · 删除 {removed} · 重命名 {renamed} · 变更 {changed}",
    ),
    "counts-violations": _T(
        "rule violations: {introduced} introduced, {fixed} fixed",
        "规则问题：新增 {introduced}，修复 {fixed}",
    ),
    "owner": _T("owner", "负责人"),
    "alert": _T("alert", "预警"),
    "overdue": _T("overdue", "逾期"),
    "scenario-alert": _T("Scenario alert", "场景预警"),
    "metric": _T("Metric", "指标"),
    "actual": _T("Actual", "实际值"),
    "target": _T("Target", "目标值"),
    "achievement": _T("Achievement", "达成率"),
    "action": _T("Action", "行动"),
    "status": _T("Status", "状态"),
    "owner-col": _T("Owner", "负责人"),
    "due": _T("Due", "截止"),
    "action-added": _T("Action added", "新增行动"),
    "action-removed": _T("Action removed", "删除行动"),
    "metric-added": _T("Metric added", "新增指标"),
    "metric-removed": _T("Metric removed", "删除指标"),
    "anomaly-opened": _T("Anomaly opened", "新增异常"),
    "anomaly-closed": _T("Anomaly closed", "关闭异常"),
    "new-overdue": _T("Newly overdue", "新增逾期"),
    "new-alert": _T("New alert", "新增预警"),
    "kind-action": _T("action", "行动"),
    "kind-anomaly": _T("anomaly", "异常"),
    "id": _T("id", "id"),
    "truncated": _T(
        "… {n} more changed scenario(s) left out to keep this summary short; "
        "`opsbook diff --format json` lists everything.",
        "…… 为控制篇幅，另有 {n} 个变更场景未列出；`opsbook diff --format json` 包含全部内容。",
    ),
}
# the state words are the vocabulary's; the diff adds only the dot a reviewer scans for
ALERT_DOT: Mapping[Alert, str] = {
    Alert.OK: "🟢", Alert.WARNING: "🟡", Alert.CRITICAL: "🔴", Alert.NO_DATA: "⚪",
}  # fmt: skip
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]|~$@:#])")
_ARROW = " → "


def escape(text: str) -> str:
    """User text as literal Markdown: backslash before every punctuation character that can
    start markup (GitHub also treats ``$`` as math, ``@`` as a mention, ``:x:`` as an emoji),
    entities for ``& < >``, and line breaks folded so a table cell stays one cell."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    return " ".join(text.split())


def code(text: str) -> str:
    """An identifier or file name in a code span; escaped text if a code span cannot hold it
    (a backtick, a line break or a table bar)."""
    plain = text.strip() and not any(ch in text for ch in "`|") and text.isprintable()
    return f"`{text}`" if plain else escape(text)


@dataclass(frozen=True)
class DiffWording:
    lang: str
    names: Mapping[str, str]  # person id → name
    as_of: dt.date | None = None  # the change's as-of date: how long an item has been overdue

    def __call__(self, key: str, **values: Any) -> str:
        return LABELS[key].get(self.lang).format(**values)

    def status(self, value: str) -> str:
        if value in STATES["action-status"]:
            return word("action-status", value, self.lang)
        return escape(value)

    def alert(self, value: Alert) -> str:
        return f"{ALERT_DOT[value]} {word('alert', value.value, self.lang)}"

    def person(self, person_id: str) -> str:
        return escape(self.names.get(person_id, person_id))


def number(value: float | None, unit: str = "") -> str:
    """18 → ``18%``, 4.1 天 → ``4.1天``, 12 min → ``12 min`` (as every output writes them)."""
    return escape(with_unit(value, unit))


def day(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


def moved(move: Move[Any] | None, show: Callable[[Any], str], current: Any = None) -> str:
    """``before → after`` when it moved; the current value (or nothing) when it did not."""
    if move is None:
        return show(current) if current is not None else ""
    if move.before == move.after:
        return show(move.after)
    return f"{show(move.before)}{_ARROW}{show(move.after)}"


# Markdown.


def render_markdown(
    changes: Changes,
    base: str,
    head: str,
    lang: str,
    names: Mapping[str, str],
    max_bytes: int | None = None,
) -> str:
    """The whole summary; ``base``/``head`` are revision names (``WORKTREE`` for the files).

    ``max_bytes`` keeps the text under a size (GitHub takes at most 1 MiB per job summary): the
    heading, the scenario lists and the rule violations always stay; per-scenario sections
    are left out from the end, and a note says how many.
    """
    t = DiffWording(lang, names, changes.after_as_of)
    head_blocks = [_heading(changes, base, head, t), *_broken(changes, base, head, t)]
    if changes.empty:
        head_blocks.append(t("none"))
    head_blocks += _scenario_lists(changes, t)
    sections = [_scenario_block(s, t) for s in changes.scenarios]
    tail_blocks = _violations_block(changes, lang, t)
    if max_bytes is not None:
        fixed = _size([*head_blocks, *tail_blocks, t("truncated", n=len(sections))])
        sections, left_out = _fit(sections, max_bytes - fixed)
        if left_out:
            tail_blocks.append(t("truncated", n=left_out))
    return "\n\n".join([*head_blocks, *sections, *tail_blocks]) + "\n"


def _size(blocks: Iterable[str]) -> int:
    return sum(len(b.encode("utf-8")) + 2 for b in blocks) + 1


def _fit(sections: list[str], budget: int) -> tuple[list[str], int]:
    """The leading sections that fit in ``budget`` bytes, and how many were left out."""
    kept: list[str] = []
    for section in sections:
        budget -= _size([section])
        if budget < 0:
            break
        kept.append(section)
    return kept, len(sections) - len(kept)


def _revision(name: str, t: DiffWording) -> str:
    return t("work-tree") if name == WORK_TREE else code(name)


def _heading(changes: Changes, base: str, head: str, t: DiffWording) -> str:
    title = f"## {t('title')}: {_revision(base, t)}{_ARROW}{_revision(head, t)}"
    dates = [d for d in (changes.before_as_of, changes.after_as_of) if d is not None]
    parts = []
    if dates:
        shown = dates[0].isoformat() if len(set(dates)) == 1 else _ARROW.join(map(day, dates))
        parts.append(t("as-of", date=shown))
    counts = {
        "added": len(changes.added), "removed": len(changes.removed),
        "renamed": len(changes.renamed), "changed": len(changes.scenarios),
    }  # fmt: skip
    parts.append(t("counts", **counts))
    introduced, fixed = len(changes.violations_introduced), len(changes.violations_fixed)
    parts.append(t("counts-violations", introduced=introduced, fixed=fixed))
    return f"{title}\n\n{' · '.join(parts)}"


def _broken(changes: Changes, base: str, head: str, t: DiffWording) -> list[str]:
    sides = [(changes.broken_before, "base", base), (changes.broken_after, "head", head)]
    return [
        f"> ⚠️ {t('broken', side=f'{t(label)} ({_revision(name, t)})')}"
        for broken, label, name in sides
        if broken
    ]


def _scenario_ref(ref: ScenarioRef, t: DiffWording) -> str:
    details = [
        code(ref.id), code(ref.file), f"{t('owner')} {t.person(ref.owner)}",
        f"{t('alert')} {t.alert(ref.alert)}", f"{t('overdue')} {ref.overdue}",
    ]  # fmt: skip
    return f"- **{escape(ref.title)}** · {' · '.join(details)}"


def _scenario_lists(changes: Changes, t: DiffWording) -> list[str]:
    blocks = []
    if changes.added:
        blocks.append(_section(t("added"), [_scenario_ref(r, t) for r in changes.added]))
    if changes.removed:
        blocks.append(_section(t("removed"), [_scenario_ref(r, t) for r in changes.removed]))
    if changes.renamed:
        lines = []
        for rename in changes.renamed:
            files = f"{code(rename.before.file)}{_ARROW}{code(rename.after.file)}"
            ids = f"{code(rename.before.id)}{_ARROW}{code(rename.after.id)}"
            same_id = rename.before.id == rename.after.id
            where = files if same_id else f"{files} · {t('id')} {ids}"
            lines.append(f"- **{escape(rename.after.title)}** · {where}")
        blocks.append(_section(t("renamed"), lines))
    return blocks


def _section(title: str, lines: Iterable[str]) -> str:
    return f"### {title}\n\n" + "\n".join(lines)


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _scenario_block(change: ScenarioChanges, t: DiffWording) -> str:
    parts = [f"### {escape(change.title)} ({code(change.id)})"]
    if change.alert:
        parts.append(f"{t('scenario-alert')}: {moved(change.alert, t.alert)}")
    if change.metrics_changed:
        parts.append(_metric_table(change.metrics_changed, t))
    if change.actions_changed:
        parts.append(_action_table(change.actions_changed, t))
    items = _item_lines(change, t)
    if items:
        parts.append("\n".join(items))
    return "\n\n".join(parts)


def _metric_table(changes: Iterable[MetricChange], t: DiffWording) -> str:
    rows = []
    for m in changes:
        value = lambda v, unit=m.unit: number(v, unit)  # noqa: E731
        rows.append([
            f"{escape(m.name)} ({code(m.id)})", moved(m.actual, value), moved(m.target, value),
            moved(m.achievement, percent), moved(m.alert, t.alert),
        ])  # fmt: skip
    header = [t("metric"), t("actual"), t("target"), t("achievement"), t("alert").capitalize()]
    return _table(header, rows)


def _action_table(changes: Iterable[ActionChange], t: DiffWording) -> str:
    rows = [
        [
            f"{escape(a.action)} ({code(a.id)})", moved(a.status, t.status),
            moved(a.owner, t.person), moved(a.due, day),
        ]
        for a in changes
    ]  # fmt: skip
    return _table([t("action"), t("status"), t("owner-col"), t("due")], rows)


def _item_lines(change: ScenarioChanges, t: DiffWording) -> list[str]:
    lines = [f"- {t('new-alert')}: {_metric_alert(m, t)}" for m in change.new_alerts]
    lines += [f"- {t('action-added')}: {_action_ref(a, t)}" for a in change.actions_added]
    lines += [f"- {t('action-removed')}: {_action_ref(a, t)}" for a in change.actions_removed]
    lines += [f"- {t('metric-added')}: {_metric_ref(m, t)}" for m in change.metrics_added]
    lines += [f"- {t('metric-removed')}: {_metric_ref(m, t)}" for m in change.metrics_removed]
    lines += [f"- {t('anomaly-opened')}: {_anomaly(a, t)}" for a in change.anomalies_opened]
    lines += [f"- {t('anomaly-closed')}: {_anomaly(a, t)}" for a in change.anomalies_closed]
    lines += [f"- {t('new-overdue')}: {_overdue(o, t)}" for o in change.new_overdue]
    return lines


def _metric_alert(m: MetricChange, t: DiffWording) -> str:
    return f"{escape(m.name)} ({code(m.id)}) {t.alert(m.alert.after)}"


def _action_ref(a: ActionRef, t: DiffWording) -> str:
    details = [t.person(a.owner), day(a.due), t.status(a.status)]
    return f"{escape(a.action)} ({code(a.id)}) · {' · '.join(details)}"


def _metric_ref(m: MetricRef, t: DiffWording) -> str:
    values = f"{number(m.actual, m.unit)} / {number(m.target, m.unit)} ({percent(m.achievement)})"
    return f"{escape(m.name)} ({code(m.id)}) · {values} · {t.alert(m.alert)}"


def _anomaly(a: AnomalyRef, t: DiffWording) -> str:
    return f"{escape(a.problem)} ({code(a.id)}) · {t.person(a.owner)} · {t('due')} {day(a.due)}"


def _overdue(o: OverdueItem, t: DiffWording) -> str:
    kind = t(f"kind-{o.kind}")
    late = f"{t('due')} {day(o.due)}"
    if t.as_of is not None:  # the date phrase every output uses
        late = (
            PHRASES["overdue-days"]
            .get(t.lang)
            .format(days=(t.as_of - o.due).days, due=o.due.isoformat())
        )
    return f"{kind} {escape(o.text)} ({code(o.id)}) · {t.person(o.owner)} · {late}"


def _violations_block(changes: Changes, lang: str, t: DiffWording) -> list[str]:
    introduced, fixed = changes.violations_introduced, changes.violations_fixed
    if not introduced and not fixed:
        return []
    parts = [f"### {t('violations')}"]
    if introduced:
        lines = [_violation(v, lang) for v in introduced]
        parts.append(f"**{t('introduced', n=len(introduced))}**\n\n" + "\n".join(lines))
    if fixed:
        lines = [_violation(v, lang) for v in fixed]
        parts.append(f"**{t('fixed', n=len(fixed))}**\n\n" + "\n".join(lines))
    return ["\n\n".join(parts)]


def _violation(violation: Violation, lang: str) -> str:
    d = violation.diagnostic
    message, _hint = render(d.code, d.args, lang)
    where = format_path(d.path)
    text = f"{code(where)}: {escape(message)}" if where else escape(message)
    location = code(f"{d.file}:{d.line}")
    return f"- {location} {d.severity.value} {code(d.code)} {text}"
