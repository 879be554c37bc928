"""Every word the charts draw, in English and 简体中文."""

from __future__ import annotations

from collections.abc import Mapping

from opsbook.i18n import vocabulary

# Every word the charts draw, (English, 简体中文).
_LABELS: Mapping[str, tuple[str, str]] = {
    "trend_sub": (
        "Target {target} · actual {actual} · achievement {rate}",
        "目标 {target} · 实际 {actual} · 达成率 {rate}",
    ),
    # a metric without data is in the state "no data": the vocabulary's word, as on the site
    "trend_sub_empty": (
        "Target {target} · " + vocabulary.STATES["alert"]["no-data"].en,
        "目标 {target} · " + vocabulary.STATES["alert"]["no-data"].zh,
    ),
    "target": ("Target", "目标"),
    "baseline": ("Baseline", "基线"),
    "warning_band": ("Warning zone", "预警区间"),
    "critical_zone": ("Critical zone", "严重区间"),
    "as_of": ("As of {date}", "截至 {date}"),
    "no_data": vocabulary.pairs("alert")["no-data"],
    "value_axis": ("Value ({unit})", "数值（{unit}）"),
    "value_axis_plain": ("Value", "数值"),
    "date_axis": ("Date (MM-DD)", "日期（月-日）"),
    "targets": ("Target vs actual", "目标与实际"),
    "targets_sub": ("Achievement rate per metric", "各指标达成率"),
    "achievement_axis": ("Achievement rate (%)", "达成率（%）"),
    "target_line": ("Target (100%)", "目标（100%）"),
    "warn_mark": ("Warning level", "预警线"),
    "critical_mark": ("Critical level", "严重线"),
    "actual_of_target": ("{actual} / {target} · {rate}", "{actual} / {target} · {rate}"),
    "met": ("met", "达标"),
    "not_met": ("not met", "未达标"),
    "timeline": ("Action timeline", "行动甘特图"),
    "timeline_sub": ("{count} actions · {cycle}", "{count} 项行动 · {cycle}"),
    "recurring": ("recurring ({repeat})", "周期性（{repeat}）"),
    "milestone": ("milestone", "里程碑"),
    "funnel": ("User journey funnel", "用户旅程漏斗"),
    "funnel_sub": ("Overall conversion {rate}", "整体转化率 {rate}"),
    "by_industry": vocabulary.pair("by-industry"),
    "by_owner": vocabulary.pair("by-owner"),
    "by_sub": (
        "Bar: average achievement of the metrics that set each scenario's level · dot: one "
        "scenario, coloured by its level",
        "条形：决定各场景预警级别的指标的平均达成率 · 圆点：单个场景，颜色为其预警级别",
    ),
    "by_label": ("{rate} · {count} scenarios", "{rate} · {count} 个场景"),
    "by_label_one": ("{rate} · 1 scenario", "{rate} · 1 个场景"),
    "by_more": (
        "showing the {shown} lowest of {total}",
        "仅显示最低的 {shown} 个（共 {total} 个）",
    ),
    "alerts": ("Alerts", "预警概览"),
    "alerts_sub": (
        "Scenarios (by their worst core metric) and core metrics, by alert level",
        "场景（按最差的核心指标计）与核心指标的预警分布",
    ),
    "alerts_scenarios": ("Scenarios", "场景"),
    "alerts_metrics": ("Core metrics", "核心指标"),
    "count_axis": ("Count", "数量"),
    "cycles": ("Attainment by cycle", "各周期达成率"),
    "cycles_sub": (
        "Each core metric's achievement per cycle · {count} closed cycles and the current one",
        "各核心指标每个周期的达成率 · {count} 个已关闭周期及本周期",
    ),
    "cycle_axis": ("Cycle (start date)", "周期（开始日期）"),
    "current_cycle": ("{date}\n(current)", "{date}\n（本周期）"),
    "team_cycles": ("Team attainment by cycle", "团队各周期达成率"),
    "team_cycles_sub": (
        "Average achievement of the scenarios' core metrics, by the month their cycle started",
        "各场景核心指标的平均达成率，按周期开始月份汇总",
    ),
    "cycle_month_axis": ("Cycle start month", "周期开始月份"),
    "month_count": ("{month} · {count} scenarios", "{month} · {count} 个场景"),
    "month_count_one": ("{month} · 1 scenario", "{month} · 1 个场景"),
    "team_average": ("Team average", "团队平均"),
    # state words and the portfolio titles come from the one vocabulary
    **{k: v for k, v in vocabulary.pairs("alert").items() if k != "stale"},
    **vocabulary.pairs("action-status"),
    **vocabulary.pairs("cadence"),
    **vocabulary.pairs("industry"),
    # text alternatives of the charts (a trend's is its metric's name)
    "alt_targets": ("Target / Actual", "目标值 / 实际值"),
    "alt_timeline": ("Action plan (T2)", "运营流程（T2）"),
    "alt_funnel": ("User journey", "用户旅程"),
    "alt_by_industry": vocabulary.pair("by-industry"),
    "alt_by_owner": vocabulary.pair("by-owner"),
    "alt_alerts": ("Alerts", "预警"),
}


def chart_labels(lang: str) -> dict[str, str]:
    """Every label, legend and axis title of the charts in ``lang`` (zh-CN or English);
    ``"_lang"`` holds the language itself (number formats follow it: 万/亿 or k/M)."""
    pick = 1 if lang == "zh-CN" else 0
    labels = {key: pair[pick] for key, pair in _LABELS.items()}
    labels["_lang"] = "zh-CN" if pick else "en"
    return labels
