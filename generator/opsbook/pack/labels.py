"""Every word the review pack prints itself, in Chinese and English.

User text (titles, goals, causes…) never comes from here: it is passed to the template as data.
Keeping the pack's own vocabulary in one table lets a test prove both languages are complete.
"""

from __future__ import annotations

from collections.abc import Mapping

from opsbook.i18n.messages import Text
from opsbook.i18n.vocabulary import PHRASES, STATES

LABELS: Mapping[str, Text] = {
    # Cover and front matter
    "pack": Text("Review pack", "运营复盘资料"),
    "default-title": Text("Operations review", "运营复盘会议资料"),
    "period": Text("Period", "周期"),
    "as-of": Text("Data as of", "数据截至"),
    "scenarios": Text("Scenarios", "场景数"),
    "alerts": Text("Alerts", "预警"),
    "overdue": Text("Overdue", "逾期"),
    "open-anomalies": Text("Open anomalies", "未关闭异常"),
    "prepared-for": Text("Prepared for the review meeting", "供复盘会议使用"),
    "contents": Text("Contents", "目录"),
    "page-of": Text("Page {page} of {total}", "第 {page} 页 / 共 {total} 页"),
    "selection": Text("Selection", "筛选条件"),
    # Summary
    "summary": Text("Summary", "概览"),
    "summary-intro": Text(
        "Every scenario's level with the core metric that sets it, on the as-of date, worst first.",
        "各场景的预警级别及决定它的核心指标（数据截至日），最严重的排在前面。",
    ),
    "scenario": Text("Scenario", "场景"),
    "core-metric": Text("Core metric", "核心指标"),
    "target": Text("Target", "目标"),
    "actual": Text("Actual", "实际"),
    "achievement": Text("Achievement", "达成率"),
    "alert": Text("Alert", "预警"),
    "overdue-count": Text("Overdue", "逾期项"),
    "owner": Text("Owner", "负责人"),
    "page": Text("Page", "页码"),
    # Since the last review
    "since": Text("Since the last review", "自上次复盘以来"),
    "since-dates": Text("Changes from {before} to {after}.", "{before} 至 {after} 的变化。"),
    "since-revs": Text(
        "Changes from revision {before} to the current files (as of {after}).",
        "从版本 {before} 到当前文件（数据截至 {after}）的变化。",
    ),
    "no-changes": Text("Nothing changed in the selected scenarios.", "所选场景没有变化。"),
    "new-alerts": Text("New alerts", "新增预警"),
    "metrics-moved": Text("Metrics moved", "指标变动"),
    "status-changes": Text("Status changes", "状态变化"),
    "new-anomalies": Text("New anomalies", "新增异常"),
    "closed-anomalies": Text("Closed anomalies", "已关闭异常"),
    "new-scenarios": Text("New scenarios", "新增场景"),
    "removed-scenarios": Text("Removed scenarios", "移除的场景"),
    "before": Text("Before", "之前"),
    "after": Text("After", "之后"),
    "change": Text("Change", "变化"),
    "item": Text("Item", "事项"),
    "metric": Text("Metric", "指标"),
    # Scenario sections
    "industry": Text("Industry", "行业"),
    "module": Text("Module", "业务模块"),
    "cycle": Text("Cycle", "周期"),
    "cadence": Text("Cadence", "复盘节奏"),
    "status": Text("Status", "状态"),
    "tags": Text("Tags", "标签"),
    "t1": Text("T1 · Needs analysis", "T1 · 场景需求分析"),
    "t2": Text("T2 · Operations plan", "T2 · 运营流程设计"),
    "t3": Text("T3 · Execution monitoring", "T3 · 执行监控"),
    "anomalies": Text("Anomalies and delays", "异常与延期"),
    "t4": Text("T4 · Evaluation and optimisation", "T4 · 效果评估与优化"),
    "sop": Text("Standard operating procedure", "标准作业流程（SOP）"),
    "business-goal": Text("Business goal", "业务目标"),
    "goal": Text("Core goal", "核心目标"),
    "user-group": Text("Key user group", "核心用户群"),
    "pain-point": Text("Core pain point", "核心痛点"),
    "insights": Text("Insights", "需求洞察"),
    "journey": Text("User journey", "用户旅程"),
    "success-criteria": Text("Success criteria", "成功标准"),
    "strategy": Text("Strategy", "策略"),
    "action": Text("Action", "具体动作"),
    "due": Text("Due", "时间节点"),
    "resources": Text("Resources", "资源"),
    "standard": Text("Standard", "交付标准"),
    "cause": Text("Cause of deviation", "偏差原因"),
    "updated": Text("Updated", "更新日期"),
    "found": Text("Found", "发现日期"),
    "problem": Text("Problem", "问题"),
    "anomaly-cause": Text("Cause", "原因"),
    "fix": Text("Fix", "解决方案"),
    "deadline": Text("Deadline", "截止日期"),
    "review-period": Text("Period", "周期"),
    "attainment": Text("Attainment", "目标达成"),
    "worked": Text("What worked", "最佳策略/动作"),
    "problems": Text("Problems", "存在问题"),
    "measures": Text("Measures", "优化措施"),
    "step": Text("Step", "步骤"),
    "role": Text("Role", "角色"),
    "tool": Text("Tool", "工具"),
    "none": Text("None.", "无。"),
    "no-anomalies": Text("No anomalies recorded.", "暂无异常记录。"),
    "no-reviews": Text("No review recorded yet.", "暂无复盘记录。"),
    "no-sop": Text("No SOP yet.", "暂无标准作业流程。"),
    "stale": STATES["alert"]["stale"],
    "overdue-by": PHRASES["overdue-days"],
    "dev-days": Text("{days} dev-days", "{days} 人天"),
    "weekly-review": Text("weekly", "周复盘"),
    "cycle-review": Text("cycle", "周期复盘"),
    "baseline": Text("Baseline", "基线"),
    "source": Text("Source", "数据来源"),
    "non-core": Text("supporting", "辅助"),
    "charts": Text("Charts", "图表"),
    # Earlier cycles (the scenario's history)
    "history": Text("Earlier cycles", "历史周期"),
    "history-review": Text("Cycle review", "周期复盘"),
    "history-metric": Text(
        "{name}: {actual} / {target} · {rate}", "{name}：{actual} / {target} · {rate}"
    ),
    "carried-from": PHRASES["carried-from"],
    # The brief
    "key-messages": Text("Key messages", "本期要点"),
    "decisions": Text("Decisions needed", "待决策事项"),
    "decisions-intro": Text(
        "Every core metric in alert, worst first: the scenario owner acts, the metric owner "
        "supplies the data.",
        "所有处于预警的核心指标，最严重的排在前面：场景负责人决策，指标负责人提供数据。",
    ),
    "no-decisions": Text("No core metric is in alert.", "没有处于预警的核心指标。"),
    "who-acts": Text("Who acts", "决策人"),
    "data-owner": Text("Data", "数据"),
    "latest-measure": Text("Latest measure", "最新措施"),
    "due-list": Text("Overdue / due this week", "逾期 / 本周到期"),
    "no-due": Text("Nothing is overdue or due this week.", "没有逾期或本周到期的事项。"),
    "kind": Text("Kind", "类型"),
    "kind-action": Text("Action", "行动"),
    "kind-anomaly": Text("Anomaly", "异常"),
    "due-this-week": Text("Due this week", "本周到期"),
    "due-in": PHRASES["due-in-days"],
    "due-today": Text("due today", "今天到期"),
    "trends": Text("Core metrics", "核心指标趋势"),
    "metric-table": Text("Metrics", "指标"),
    "latest-review": Text("Latest review", "最近一次复盘"),
    "open-anomaly-list": Text("Open anomalies", "未关闭异常"),
    "action-list": Text("Actions overdue or due this week", "逾期与本周到期的行动"),
    "appendix": Text("Appendix: full scenario records", "附录：场景完整记录"),
    "message-worst-alert": Text(
        "Worst alert: {scenario} · {metric} {actual} (target {target}, {achievement} "
        "achieved) — {level}",
        "最严重预警：{scenario} · {metric} {actual}（目标 {target}，达成率 {achievement}）{level}",
    ),
    "message-no-alert": Text(
        "No alerts: every core metric is on track.", "没有预警：核心指标均正常。"
    ),
    "message-overdue": Text(
        "{count} items overdue ({actions} actions, {anomalies} anomalies), the oldest by {days} d",
        "{count} 项已逾期（行动 {actions} 项、异常 {anomalies} 项），最久已逾期 {days} 天",
    ),
    "message-no-overdue": Text("Nothing is overdue.", "没有逾期事项。"),
    "message-move": Text(
        "Biggest move since the last review: {scenario} · {metric} {before} → {after} "
        "(achievement {points})",
        "自上次复盘最大变动：{scenario} · {metric} {before} → {after}（达成率 {points}）",
    ),
    "message-no-move": Text(
        "No core metric moved since the last review.", "自上次复盘以来核心指标没有变动。"
    ),
    "clause-separator": Text("; ", "；"),
    "aside": Text(" ({items})", "（{items}）"),
    "aside-separator": Text(", ", "，"),
    "target-aside": Text("target {target}", "目标 {target}"),
    "run-up-weeks": Text(", up {count} weeks running", "，连升 {count} 周"),
    "run-down-weeks": Text(", down {count} weeks running", "，连降 {count} 周"),
    "run-up-readings": Text(", up {count} readings running", "，连升 {count} 期"),
    "run-down-readings": Text(", down {count} readings running", "，连降 {count} 期"),
    # a lower-is-better metric: "down" is the good news, so the run says which way it went
    "run-improving": Text(" (improving)", "（向好）"),
    "run-worsening": Text(" (worsening)", "（变差）"),
    "then-measure": Text(" → measure: {measure}", " → 措施：{measure}"),
    "no-metrics": Text("No core metric yet", "尚无核心指标"),
}

ENUMS: Mapping[str, Mapping[str, Text]] = {
    **{kind: STATES[kind] for kind in ("industry", "alert", "action-status", "anomaly-status")},
    "scenario-status": STATES["scenario-status"],
    "repeat": STATES["cadence"],
    "source-kind": {
        "csv": Text("CSV", "CSV"),
        "sql": Text("SQL", "SQL"),
        "manual": Text("manual", "手工"),
    },
}


def label(key: str, lang: str, **args: object) -> str:
    text = LABELS[key].get(lang)
    return text.format(**args) if args else text


def enum_label(kind: str, value: str, lang: str) -> str:
    """The printed name of an enumerated value; an unknown value prints as itself."""
    text = ENUMS[kind].get(value)
    return text.get(lang) if text else value
