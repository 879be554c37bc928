"""The method's five rules of execution and the cross-references between values.

Rules run on every loaded document, even one the schema rejected, so a single run reports
every problem: each check reads values through small guards that skip anything of the wrong
shape (the schema has already said what is wrong with it).

Rules of execution are warnings (errors under ``--strict``) and a file may waive one with a
reason; broken references are always errors.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from opsbook.check.diagnostics import Diagnostic, JsonPath, Severity
from opsbook.check.findings import Finding, date_at, dicts, text_at
from opsbook.check.loader import LoadedDocument, find_node, node_diagnostic, node_position
from opsbook.check.rules_paths import source_queries

RULES: Mapping[str, str] = {
    "rule.one-goal": "one scenario, one goal",
    "rule.max-steps": "at most 5 process steps",
    "rule.action-when": "every action has a date or a recurrence",
    "rule.vague-standard": "every standard is measurable",
    "rule.core-metrics": "1–3 core metrics",
    "rule.metric-source": "core metrics come from systems",
    "rule.owner-person": "owners are people, not departments",
    "rule.cadence": "small iterations every 1–2 weeks",
}
WARNING_CODES = frozenset({*RULES, "waiver.unused", "date.outside-cycle", "load.bom"})
MAX_STEPS = 5

VAGUE_WORDS = (
    "加强", "提升", "优化", "改善", "完善", "推进", "强化", "促进", "做好", "积极", "尽快",
    "尽量", "大力", "进一步", "努力", "适当", "及时", "有效", "显著", "improve", "enhance",
    "strengthen", "optimize", "optimise", "boost", "better", "asap", "more", "increase",
)  # fmt: skip
_DIGIT = re.compile(r"[0-9０-９]")
_TARGET = re.compile(
    r"(≥|≤|>=|<=|>|<|＞|＜|不低于|不高于|不少于|不超过|至少|达到|提升至|降至|降低至|提升|降低|增长|减少)"
    r"\s*[-+]?[0-9０-９]"
)
_DEPARTMENT_WORDS = re.compile(r"(部|部门|组|团队|中心|全员|大家|team|dept|department)$", re.I)
_LONG_CADENCES = frozenset({"monthly", "quarterly"})


@dataclass(frozen=True)
class TeamIndex:
    """What the rules need to know about the team directory."""

    people: Mapping[str, str]  # id → name
    departments: Mapping[str, str]  # id → name
    file: str
    # id → display names (zh-CN name, English name); empty: modules are free text
    modules: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: Any, file: str) -> TeamIndex:
        people = {
            p["id"]: str(p.get("name", p["id"]))
            for p in dicts(data, "people")
            if isinstance(p.get("id"), str)
        }
        departments = {
            d["id"]: str(d.get("name", d["id"]))
            for d in dicts(data, "departments")
            if isinstance(d.get("id"), str)
        }
        modules = {
            m["id"]: tuple(
                str(m[key]) for key in ("name", "name_en") if isinstance(m.get(key), str)
            )
            for m in dicts(data, "modules")
            if isinstance(m.get("id"), str)
        }
        return cls(people, departments, file, modules)


def check_scenario(document: LoadedDocument, team: TeamIndex | None, stem: str) -> list[Diagnostic]:
    """All rule and reference problems of one scenario document, waivers applied."""
    data = document.data
    if not isinstance(data, dict):
        return []
    findings = list(_scenario_findings(data, team, stem))
    findings = list(_apply_waivers(data, findings))
    return [_to_diagnostic(document, finding) for finding in findings]


def check_team(document: LoadedDocument) -> list[Diagnostic]:
    data = document.data
    if not isinstance(data, dict):
        return []
    findings = list(_duplicate_ids(dicts(data, "people"), ("people",), _PERSON))
    findings += _duplicate_ids(dicts(data, "modules"), ("modules",), _MODULE)
    departments = {d.get("id") for d in dicts(data, "departments")}
    if departments:
        known = ", ".join(sorted(str(d) for d in departments))
        for index, person in enumerate(dicts(data, "people")):
            department = person.get("department")
            if isinstance(department, str) and department not in departments:
                args = {"department": department, "known": known}
                findings.append(Finding("ref.department", ("people", index, "department"), args))
    return [_to_diagnostic(document, finding) for finding in findings]


def _scenario_findings(
    data: dict[str, Any], team: TeamIndex | None, stem: str
) -> Iterator[Finding]:
    yield from _file_name(data, stem)
    yield from _one_goal(data)
    yield from _max_steps(data)
    yield from _actions(data)
    yield from _core_metrics(data)
    yield from _references(data)
    yield from _dates(data)
    yield from _history(data)
    yield from _cadence(data)
    yield from source_queries(data)
    if team is not None:
        yield from _owners(data, team)
        yield from _module(data, team)


def _to_diagnostic(document: LoadedDocument, finding: Finding) -> Diagnostic:
    assert document.root is not None
    node = find_node(document.root, finding.path, key=finding.at_key)
    args = dict(finding.args)
    if finding.related is not None:
        args["first_line"] = node_position(find_node(document.root, finding.related))[0]
    found = node_diagnostic(document.file, finding.code, node, finding.path, args)
    return replace(found, severity=Severity.WARNING) if finding.code in WARNING_CODES else found


# The five rules.


def _file_name(data: dict[str, Any], stem: str) -> Iterator[Finding]:
    scenario_id = text_at(data, "id")
    if scenario_id is not None and scenario_id != stem:
        yield Finding("ref.file-name", ("id",), {"id": scenario_id, "stem": stem})


def _one_goal(data: dict[str, Any]) -> Iterator[Finding]:
    goal = text_at(data.get("needs"), "goal")
    if goal is not None:
        targets = len(_TARGET.findall(goal))
        if targets > 1:
            yield Finding("rule.one-goal", ("needs", "goal"), {"count": targets, "goal": goal})


def _max_steps(data: dict[str, Any]) -> Iterator[Finding]:
    sop = data.get("sop")
    if isinstance(sop, list) and len(sop) > MAX_STEPS:
        what = {"en": "the SOP", "zh-CN": "SOP "}
        yield Finding("rule.max-steps", ("sop",), {"what": what, "count": len(sop)})
    strategies = Counter(text_at(action, "strategy") for action in dicts(data, "actions"))
    seen: set[str] = set()
    for index, action in enumerate(dicts(data, "actions")):
        strategy = text_at(action, "strategy")
        if strategy and strategies[strategy] > MAX_STEPS and strategy not in seen:
            seen.add(strategy)
            what = {"en": f"strategy '{strategy}'", "zh-CN": f"策略“{strategy}”"}
            args = {"what": what, "count": strategies[strategy]}
            yield Finding("rule.max-steps", ("actions", index, "strategy"), args)


def _actions(data: dict[str, Any]) -> Iterator[Finding]:
    for index, action in enumerate(dicts(data, "actions")):
        if "due" not in action and "repeat" not in action:
            yield Finding("rule.action-when", ("actions", index), {})
        yield from _vague(action, "standard", ("actions", index, "standard"))
    for index, step in enumerate(dicts(data, "sop")):
        yield from _vague(step, "standard", ("sop", index, "standard"))
    for index, anomaly in enumerate(dicts(data, "anomalies")):
        yield from _vague(anomaly, "fix", ("anomalies", index, "fix"))


def _vague(item: dict[str, Any], key: str, path: JsonPath) -> Iterator[Finding]:
    text = text_at(item, key)
    if text is None or _DIGIT.search(text):
        return
    lowered = text.lower()
    word = next((w for w in VAGUE_WORDS if w in lowered), None)
    if word is not None:
        yield Finding("rule.vague-standard", path, {"value": f"'{text}'", "word": word})


def _core_metrics(data: dict[str, Any]) -> Iterator[Finding]:
    metrics = data.get("metrics")
    if not isinstance(metrics, list):
        return
    core = [(i, m) for i, m in enumerate(dicts(data, "metrics")) if m.get("core", True) is True]
    if not 1 <= len(core) <= 3:
        yield Finding("rule.core-metrics", ("metrics",), {"count": len(core)})
    for index, metric in core:
        source = metric.get("source")
        if isinstance(source, dict) and source.get("kind") == "manual":
            args = {"metric": text_at(metric, "name") or text_at(metric, "id") or ""}
            yield Finding("rule.metric-source", ("metrics", index, "source", "kind"), args)


def _cadence(data: dict[str, Any]) -> Iterator[Finding]:
    cadence = text_at(data.get("cycle"), "cadence")
    if cadence in _LONG_CADENCES:
        yield Finding("rule.cadence", ("cycle", "cadence"), {"cadence": cadence})


# Owners: people, not departments, and people the team directory knows.

_OWNER_LISTS = ("actions", "metrics", "anomalies", "reviews")


def _owner_paths(data: dict[str, Any]) -> Iterator[tuple[JsonPath, str]]:
    owner = text_at(data, "owner")
    if owner is not None:
        yield ("owner",), owner
    for section in _OWNER_LISTS:
        for index, item in enumerate(dicts(data, section)):
            owner = text_at(item, "owner")
            if owner is not None:
                yield (section, index, "owner"), owner


def _owners(data: dict[str, Any], team: TeamIndex) -> Iterator[Finding]:
    department_names = {*team.departments, *team.departments.values()}
    for path, owner in _owner_paths(data):
        if owner in team.people or not owner.strip():  # blank: the schema says so, once
            continue
        if owner in department_names or _DEPARTMENT_WORDS.search(owner):
            yield Finding("rule.owner-person", path, {"owner": owner})
        else:
            yield Finding(
                "ref.owner", path, {"person": owner, "suggestion": _person_hint(owner, team)}
            )


def _person_hint(owner: str, team: TeamIndex) -> dict[str, str]:
    by_name = [pid for pid, name in team.people.items() if name == owner]
    close = by_name or difflib.get_close_matches(owner, list(team.people), n=1, cutoff=0.6)
    if close:
        pid = close[0]
        return {
            "en": f"did you mean '{pid}' ({team.people[pid]})?",
            "zh-CN": f"是不是“{pid}”（{team.people[pid]}）？",
        }
    return {
        "en": f"owners are person ids from {team.file}",
        "zh-CN": f"负责人须填写 {team.file} 中的人员 id",
    }


# Modules: an id from the team directory's modules list, when it has one.


def _module(data: dict[str, Any], team: TeamIndex) -> Iterator[Finding]:
    module = text_at(data, "module")
    if team.modules and module is not None and module not in team.modules:
        yield Finding("ref.module", ("module",), {"module": module, **_module_hint(module, team)})


def _module_hint(module: str, team: TeamIndex) -> dict[str, Any]:
    """The id whose display name ``module`` is (either language), else the closest id."""
    named = [mid for mid, names in team.modules.items() if module.strip() in names]
    if named:
        mid = named[0]
        return {
            "suggestion": {
                "en": f"{module} is the name of module {mid}; write module: {mid}",
                "zh-CN": f"“{module}”是模块 {mid} 的名称；请写 module: {mid}",
            }
        }
    close = difflib.get_close_matches(module, list(team.modules), n=1, cutoff=0.6)
    if close:
        mid = close[0]
        return {
            "suggestion": {
                "en": f"did you mean '{mid}' ({team.modules[mid][-1]})?",
                "zh-CN": f"是不是“{mid}”（{team.modules[mid][0]}）？",
            }
        }
    return {
        "suggestion": {
            "en": f"modules are module ids from {team.file}",
            "zh-CN": f"业务模块须填写 {team.file} 中的模块 id",
        }
    }


# Cross-references and dates.


def _references(data: dict[str, Any]) -> Iterator[Finding]:
    kinds = {
        "actions": {"en": "action", "zh-CN": "行动"},
        "metrics": {"en": "metric", "zh-CN": "指标"},
        "anomalies": {"en": "anomaly", "zh-CN": "异常"},
    }
    for section, kind in kinds.items():
        yield from _duplicate_ids(dicts(data, section), (section,), kind)
    metrics = [m["id"] for m in dicts(data, "metrics") if isinstance(m.get("id"), str)]
    actions = [a["id"] for a in dicts(data, "actions") if isinstance(a.get("id"), str)]
    criteria = (
        data.get("needs", {}).get("success_criteria")
        if isinstance(data.get("needs"), dict)
        else None
    )
    for index, ref in enumerate(criteria if isinstance(criteria, list) else []):
        if isinstance(ref, str) and ref not in metrics:
            yield _unknown_ref("ref.metric", ("needs", "success_criteria", index), ref, metrics)
    for index, anomaly in enumerate(dicts(data, "anomalies")):
        for key, known, code in (
            ("metric", metrics, "ref.metric"),
            ("action", actions, "ref.action"),
        ):
            ref = text_at(anomaly, key)
            if ref is None or ref in known:
                continue
            closed = _closed_cycle_of(data, ref) if key == "action" else None
            if closed is not None:
                args = {
                    "ref": ref,
                    "start": closed[0],
                    "end": closed[1],
                    "known": ", ".join(known) or "—",
                }
                yield Finding("ref.action-in-history", ("anomalies", index, key), args)
            else:
                yield _unknown_ref(code, ("anomalies", index, key), ref, known)


def _closed_cycle_of(data: dict[str, Any], action_id: str) -> tuple[str, str] | None:
    """The closed cycle (start, end) whose done actions ``opsbook cycle next`` moved the
    action into, if any: a reference to it is stale, not a typo."""
    for entry in dicts(data, "history"):
        if any(text_at(a, "id") == action_id for a in dicts(entry, "actions")):
            cycle = entry.get("cycle")
            return str(text_at(cycle, "start")), str(text_at(cycle, "end"))
    return None


def _unknown_ref(code: str, path: JsonPath, ref: str, known: list[str]) -> Finding:
    return Finding(code, path, {"ref": ref, "known": ", ".join(known) or "—"})


_PERSON = {"en": "person", "zh-CN": "人员"}
_MODULE = {"en": "module", "zh-CN": "模块"}


def _duplicate_ids(
    items: list[dict[str, Any]], path: JsonPath, kind: Mapping[str, str]
) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        item_id = text_at(item, "id")
        if item_id is None:
            continue
        if item_id in first:
            args = {"id": item_id, "kind": kind}
            related = (*path, first[item_id], "id")
            yield Finding("ref.duplicate-id", (*path, index, "id"), args, related=related)
        else:
            first[item_id] = index


_DATE_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("actions", "start", "due"),
    ("anomalies", "found", "due"),
    ("anomalies", "found", "closed"),
)


def _dates(data: dict[str, Any]) -> Iterator[Finding]:
    cycle = data.get("cycle")
    yield from _ordered(cycle, ("cycle",), "start", "end")
    for section, earlier, later in _DATE_PAIRS:
        for index, item in enumerate(dicts(data, section)):
            yield from _ordered(item, (section, index), earlier, later)
    for index, review in enumerate(dicts(data, "reviews")):
        yield from _ordered(review.get("period"), ("reviews", index, "period"), "start", "end")
    start, end = date_at(cycle, "start"), date_at(cycle, "end")
    if start is None or end is None:
        return
    for index, action in enumerate(dicts(data, "actions")):
        due = date_at(action, "due")
        if due is not None and not start <= due <= end:
            args = {"date": due.isoformat(), "start": start.isoformat(), "end": end.isoformat()}
            yield Finding("date.outside-cycle", ("actions", index, "due"), args)


def _history(data: dict[str, Any]) -> Iterator[Finding]:
    """Closed cycles: oldest first, never overlapping, each over before the current one
    starts (the last may be the current cycle itself: closed, the next not started yet)."""
    current = data.get("cycle")
    previous_end: dt.date | None = None
    for index, entry in enumerate(dicts(data, "history")):
        cycle = entry.get("cycle")
        path: JsonPath = ("history", index, "cycle")
        yield from _ordered(cycle, path, "start", "end")
        start, end = date_at(cycle, "start"), date_at(cycle, "end")
        if start is None or end is None:
            continue
        if previous_end is not None and start <= previous_end:
            args = {"start": start.isoformat(), "previous": previous_end.isoformat()}
            yield Finding("history.order", (*path, "start"), args)
        if not _before_current(start, end, current):
            args = {"end": end.isoformat(), "current": str(text_at(current, "start"))}
            yield Finding("history.after-current", (*path, "end"), args)
        previous_end = end


def _before_current(start: dt.date, end: dt.date, current: Any) -> bool:
    current_start, current_end = date_at(current, "start"), date_at(current, "end")
    if current_start is None:
        return True
    return end < current_start or (start == current_start and end == current_end)


def _ordered(item: Any, path: JsonPath, earlier_key: str, later_key: str) -> Iterator[Finding]:
    earlier, later = date_at(item, earlier_key), date_at(item, later_key)
    if earlier is not None and later is not None and later < earlier:
        args = {
            "earlier_key": earlier_key, "earlier": earlier.isoformat(),
            "later_key": later_key, "later": later.isoformat(),
        }  # fmt: skip
        yield Finding("date.order", (*path, later_key), args)


# Waivers.


def _apply_waivers(data: dict[str, Any], findings: list[Finding]) -> Iterator[Finding]:
    waived: dict[str, int] = {}
    for index, waiver in enumerate(dicts(data, "waivers")):
        rule = text_at(waiver, "rule")
        if rule is None:
            continue
        if rule not in RULES:
            args = {"rule": rule, "known": ", ".join(RULES)}
            yield Finding("waiver.unknown-rule", ("waivers", index, "rule"), args)
        else:
            waived[rule] = index
    fired = {finding.code for finding in findings}
    for finding in findings:
        if finding.code not in waived:
            yield finding
    for rule, index in waived.items():
        if rule not in fired:
            yield Finding("waiver.unused", ("waivers", index, "rule"), {"rule": rule})
