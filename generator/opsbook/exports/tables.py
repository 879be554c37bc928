"""The workbook's tables as data: sheets, columns and one row per item.

The Excel export writes these rows and ``opsbook import-xlsx`` reads them back against the
same definitions, so both agree on every column: its header in each language, its kind of
value, and whether it is an input (imported), stored but read-only here, or computed by
opsbook (never imported).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from opsbook.model import Scenario, ScenarioState
from opsbook.model.catalog import Catalog
from opsbook.site.render.labels import Labels


class Kind(enum.StrEnum):
    TEXT = "text"
    LINES = "lines"  # a list of texts, one per line in the cell
    DATE = "date"
    NUMBER = "number"
    PERCENT = "percent"
    ACTION_STATUS = "action-status"
    ANOMALY_STATUS = "anomaly-status"
    REVIEW_KIND = "review-kind"
    ALERT = "alert"
    FLAG = "flag"  # "overdue"/"stale": a label or empty


class Role(enum.StrEnum):
    ID = "id"  # identifies the row
    INPUT = "input"  # imported back into the YAML
    READ = "read"  # stored in the YAML, shown for context, edited there
    COMPUTED = "computed"  # derived by opsbook on the as-of date


@dataclass(frozen=True)
class Column:
    key: str
    en: str
    zh: str
    kind: Kind = Kind.TEXT
    role: Role = Role.READ

    def header(self, lang: str) -> str:
        base = self.zh if lang == "zh-CN" else self.en
        if self.role is Role.COMPUTED:
            return f"{base}（计算）" if lang == "zh-CN" else f"{base} (computed)"
        return base


STATUS_CHOICES = {
    Kind.ACTION_STATUS: ("not-started", "in-progress", "done", "delayed"),
    Kind.ANOMALY_STATUS: ("open", "in-progress", "closed"),
    Kind.REVIEW_KIND: ("weekly", "cycle"),
}
ENUM_OF_KIND = {Kind.ACTION_STATUS: "status", Kind.ANOMALY_STATUS: "status",
                Kind.REVIEW_KIND: "review_kind", Kind.ALERT: "alert"}  # fmt: skip

_SCENARIO_ID = Column("scenario_id", "Scenario id", "场景 id", role=Role.ID)
_SCENARIO = Column("scenario", "Scenario", "场景")
_OWNER = Column("owner", "Owner", "负责人")


@dataclass(frozen=True)
class Sheet:
    key: str
    en: str
    zh: str
    columns: tuple[Column, ...]
    rows: Callable[[Catalog, Labels], Iterator[dict[str, Any]]]
    new_rows: bool = False  # rows without a match are added (reviews)

    def title(self, lang: str) -> str:
        return self.zh if lang == "zh-CN" else self.en

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _states(catalog: Catalog) -> Iterator[tuple[Scenario, ScenarioState]]:
    for scenario in catalog.scenarios:
        yield scenario, catalog.state(scenario.id)


def _person(catalog: Catalog, person_id: str) -> str:
    """``李娜 (ops.li)``: readable, and the id survives the round trip."""
    name = catalog.team.name_of(person_id)
    return person_id if name == person_id else f"{name} ({person_id})"


def needs_rows(catalog: Catalog, labels: Labels) -> Iterator[dict[str, Any]]:
    for scenario, state in _states(catalog):
        needs = scenario.needs
        yield {
            "scenario_id": scenario.id, "scenario": scenario.title,
            "industry": labels.enum("industry", scenario.industry), "module": catalog.team.module_name(scenario.module, labels.lang),
            "business_goal": needs.business_goal, "goal": needs.goal,
            "user_group": needs.user_group, "pain_point": needs.pain_point,
            "success_criteria": list(needs.success_criteria),
            "owner": _person(catalog, scenario.owner),
            "cycle_start": scenario.cycle.start, "cycle_end": scenario.cycle.end,
            "cadence": labels.enum("cadence", scenario.cycle.cadence),
            "status": labels.enum("status", scenario.status),
            "alert": state.alert.value,
            "alert_metric": _status_metric_name(state),
            "alert_achievement": _status_achievement(state),
        }  # fmt: skip


def _status_metric_name(state: ScenarioState) -> str | None:
    """The metric that set the scenario's level: the level never stands alone."""
    return state.status_metric.metric.name if state.status_metric else None


def _status_achievement(state: ScenarioState) -> float | None:
    return state.status_metric.achievement if state.status_metric else None


def action_rows(catalog: Catalog, labels: Labels) -> Iterator[dict[str, Any]]:
    for scenario, state in _states(catalog):
        for action in scenario.actions:
            yield {
                "scenario_id": scenario.id, "action_id": action.id, "scenario": scenario.title,
                "strategy": action.strategy, "action": action.action,
                "owner": _person(catalog, action.owner), "start": action.start, "due": action.due,
                "repeat": labels.enum("cadence", action.repeat) if action.repeat else None,
                "standard": action.standard, "status": action.status,
                "effective_status": action.effective_status(state.as_of),
                "overdue": "overdue" if action.is_overdue(state.as_of) else None,
            }  # fmt: skip


def metric_rows(catalog: Catalog, labels: Labels) -> Iterator[dict[str, Any]]:
    for scenario, state in _states(catalog):
        for metric in scenario.metrics:
            current = state.metric(metric.id)
            assert current is not None
            yield {
                "scenario_id": scenario.id, "metric_id": metric.id, "scenario": scenario.title,
                "metric": metric.name, "unit": metric.unit, "target": metric.target,
                "updated": current.updated, "actual": current.actual, "cause": current.cause,
                "achievement": current.achievement, "alert": current.alert.value,
                "stale": "stale" if current.stale else None,
                "owner": _person(catalog, metric.owner) if metric.owner else None,
                "source": labels.enum("source", metric.source.kind),
            }  # fmt: skip


def review_rows(catalog: Catalog, labels: Labels) -> Iterator[dict[str, Any]]:
    for scenario, _state in _states(catalog):
        for review in scenario.reviews:
            yield {
                "scenario_id": scenario.id, "start": review.start, "end": review.end,
                "scenario": scenario.title, "kind": review.kind,
                "attainment": review.attainment, "worked": list(review.worked),
                "problems": list(review.problems), "measures": list(review.measures),
                "owner": _person(catalog, review.owner),
            }  # fmt: skip


def anomaly_rows(catalog: Catalog, labels: Labels) -> Iterator[dict[str, Any]]:
    for scenario, state in _states(catalog):
        for anomaly in scenario.anomalies:
            yield {
                "scenario_id": scenario.id, "anomaly_id": anomaly.id, "scenario": scenario.title,
                "found": anomaly.found, "problem": anomaly.problem, "cause": anomaly.cause,
                "fix": anomaly.fix, "owner": _person(catalog, anomaly.owner), "due": anomaly.due,
                "status": anomaly.status, "closed": anomaly.closed,
                "overdue": "overdue" if anomaly.is_overdue(state.as_of) else None,
            }  # fmt: skip


C, K, R = Column, Kind, Role
SHEETS: tuple[Sheet, ...] = (
    Sheet("needs", "T1 needs", "T1 需求分析", (
        _SCENARIO_ID, _SCENARIO, C("industry", "Industry", "行业"), C("module", "Module", "业务模块"),
        C("business_goal", "Business goal", "业务目标"), C("goal", "Core goal", "核心目标"),
        C("user_group", "Key user group", "核心用户群"), C("pain_point", "Core pain point", "核心痛点"),
        C("success_criteria", "Success criteria", "成功标准", K.LINES), _OWNER,
        C("cycle_start", "Cycle start", "周期开始", K.DATE), C("cycle_end", "Cycle end", "周期结束", K.DATE),
        C("cadence", "Cadence", "复盘节奏"), C("status", "Status", "状态"),
        C("alert", "Alert", "预警", K.ALERT, R.COMPUTED),
        C("alert_metric", "Alert metric", "预警指标", K.TEXT, R.COMPUTED),
        C("alert_achievement", "Its achievement", "其达成率", K.PERCENT, R.COMPUTED),
    ), needs_rows),
    Sheet("actions", "T2 actions", "T2 运营流程", (
        _SCENARIO_ID, C("action_id", "Action id", "行动 id", role=R.ID), _SCENARIO,
        C("strategy", "Strategy", "策略"), C("action", "Action", "具体行动"), _OWNER,
        C("start", "Start", "开始", K.DATE), C("due", "Due", "截止", K.DATE),
        C("repeat", "Repeats", "重复"), C("standard", "Standard", "交付标准"),
        C("status", "Status", "状态", K.ACTION_STATUS, R.INPUT),
        C("effective_status", "Effective status", "实际状态", K.ACTION_STATUS, R.COMPUTED),
        C("overdue", "Overdue", "逾期", K.FLAG, R.COMPUTED),
    ), action_rows),
    Sheet("metrics", "T3 monitoring", "T3 执行监控", (
        _SCENARIO_ID, C("metric_id", "Metric id", "指标 id", role=R.ID), _SCENARIO,
        C("metric", "Metric", "核心指标"), C("unit", "Unit", "单位"),
        C("target", "Target", "目标值", K.NUMBER),
        C("updated", "Updated", "更新日期", K.DATE, R.INPUT),
        C("actual", "Actual", "实际值", K.NUMBER, R.INPUT),
        C("cause", "Cause of deviation", "偏差原因", K.TEXT, R.INPUT),
        C("achievement", "Achievement", "达成率", K.PERCENT, R.COMPUTED),
        C("alert", "Alert", "预警", K.ALERT, R.COMPUTED),
        C("stale", "Stale", "数据未更新", K.FLAG, R.COMPUTED), _OWNER, C("source", "Source", "数据来源"),
    ), metric_rows),
    Sheet("reviews", "T4 review", "T4 效果评估", (
        _SCENARIO_ID, C("start", "Period start", "周期开始", K.DATE, R.ID),
        C("end", "Period end", "周期结束", K.DATE, R.ID), _SCENARIO,
        C("kind", "Kind", "类型", K.REVIEW_KIND, R.INPUT),
        C("attainment", "Goal attainment", "目标达成", K.TEXT, R.INPUT),
        C("worked", "What worked", "最佳策略/动作", K.LINES, R.INPUT),
        C("problems", "Problems", "问题", K.LINES, R.INPUT),
        C("measures", "Measures", "优化措施", K.LINES, R.INPUT),
        Column("owner", "Owner", "负责人", K.TEXT, R.INPUT),
    ), review_rows, new_rows=True),
    Sheet("anomalies", "anomalies", "异常", (
        _SCENARIO_ID, C("anomaly_id", "Anomaly id", "异常 id", role=R.ID), _SCENARIO,
        C("found", "Found", "发现日期", K.DATE), C("problem", "Problem", "问题"),
        C("cause", "Cause", "原因"), C("fix", "Fix", "解决措施"), _OWNER,
        C("due", "Deadline", "截止日期", K.DATE),
        C("status", "Status", "状态", K.ANOMALY_STATUS, R.INPUT),
        C("closed", "Closed", "关闭日期", K.DATE, R.INPUT),
        C("overdue", "Overdue", "逾期", K.FLAG, R.COMPUTED),
    ), anomaly_rows),
)  # fmt: skip


def display(column: Column, value: Any, labels: Labels) -> Any:
    """The cell value for a row value: enum labels in the workbook's language, lists as
    lines; dates and numbers stay typed so Excel can sort and compute with them."""
    if value is None:
        return None
    if column.kind in ENUM_OF_KIND:
        return labels.enum(ENUM_OF_KIND[column.kind], value)
    if column.kind is Kind.FLAG:
        return labels.enum("alert" if value == "stale" else "status", value)
    if column.kind is Kind.LINES:
        return "\n".join(value)
    return value


def choice_labels(kind: Kind, labels: Labels) -> list[str]:
    return [labels.enum(ENUM_OF_KIND[kind], v) for v in STATUS_CHOICES[kind]]


def choice_lookup(kind: Kind) -> Mapping[str, str]:
    """Every spelling a choice is accepted in: its id and its label in both languages."""
    lookup: dict[str, str] = {}
    for lang in ("en", "zh-CN"):
        labels = Labels(lang)
        for value in STATUS_CHOICES[kind]:
            lookup.setdefault(labels.enum(ENUM_OF_KIND[kind], value).casefold(), value)
    for value in STATUS_CHOICES[kind]:
        lookup[value] = value
    return lookup


def as_of_datetime(as_of: dt.date) -> dt.datetime:
    return dt.datetime(as_of.year, as_of.month, as_of.day)
