"""Every word a generated page shows, in zh-CN and English.

Pages pick their labels by the project's ``lang`` setting; user text is never translated.
One table keeps the wording in one place, so a translator edits one file and a test can
prove both languages are complete.
"""

from __future__ import annotations

from collections.abc import Mapping

from opsbook.i18n import vocabulary

# key: (English, 简体中文)
_LABELS: Mapping[str, tuple[str, str]] = {
    # Page titles and sections
    "dashboard": ("Dashboard", "运营看板"),
    "scenarios": ("Scenarios", "场景"),
    "all_scenarios": ("All scenarios", "全部场景"),
    "people": ("People", "人员"),
    "tags": ("Tags", "标签"),
    "sop_library": ("SOP library", "SOP 库"),
    "anomaly_log": ("Anomaly log", "异常日志"),
    "guide": ("Guide", "指南"),
    "needs": ("Needs analysis (T1)", "需求分析（T1）"),
    "actions": ("Action plan (T2)", "运营流程（T2）"),
    "metrics": ("Monitoring (T3)", "执行监控（T3）"),
    "anomalies": ("Anomalies", "异常与处理"),
    "reviews": ("Evaluation (T4)", "效果评估（T4）"),
    "sop": ("Standard operating procedure", "标准作业流程（SOP）"),
    "charts": ("Charts", "图表"),
    "people_involved": ("People involved", "相关人员"),
    "alerts": ("Alerts", "预警"),
    "overdue": ("Overdue", "已逾期"),
    "overdue_actions": ("Overdue actions", "逾期行动"),
    "overdue_anomalies": ("Overdue anomalies", "逾期异常"),
    "due_this_week": ("Due this week", "本周到期"),
    "by_industry": vocabulary.pair("by-industry"),
    "by_owner": vocabulary.pair("by-owner"),
    "downloads": ("Downloads", "数据下载"),
    "owned_scenarios": ("Scenarios owned", "负责的场景"),
    "owned_actions": ("Actions", "负责的行动"),
    "owned_metrics": ("Metrics", "负责的指标"),
    "owned_anomalies": ("Anomalies", "负责的异常"),
    "owned_reviews": ("Reviews", "负责的复盘"),
    "diagnostics": ("The scenarios have problems", "场景文件有问题"),
    # Field names
    "industry": ("Industry", "行业"),
    "module": ("Module", "业务模块"),
    "owner": ("Owner", "负责人"),
    "cycle": ("Cycle", "周期"),
    "cadence": ("Cadence", "复盘节奏"),
    "status": ("Status", "状态"),
    "summary": ("Summary", "概述"),
    "business_goal": ("Business goal", "业务目标"),
    "goal": ("Core goal", "核心目标"),
    "user_group": ("Key user group", "核心用户群"),
    "pain_point": ("Core pain point", "核心痛点"),
    "success_criteria": ("Success criteria", "成功标准"),
    "insights": ("Insights", "需求洞察"),
    "journey": ("User journey", "用户旅程"),
    "strategy": ("Strategy", "策略"),
    "action": ("Action", "具体行动"),
    "due": ("Due", "截止"),
    "resources": ("Resources", "资源"),
    "standard": ("Standard", "交付标准"),
    "metric": ("Metric", "指标"),
    "target": ("Target", "目标值"),
    "actual": ("Actual", "实际值"),
    "achievement": ("Achievement", "达成率"),
    "alert": ("Alert", "预警"),
    "acts": ("Acts (scenario owner)", "处理人（场景负责人）"),
    "supplies": ("Data from", "数据提供人"),
    "updated": ("Updated", "更新日期"),
    "cause": ("Cause", "偏差原因"),
    "source": ("Source", "数据来源"),
    "found": ("Found", "发现日期"),
    "problem": ("Problem", "问题"),
    "fix": ("Fix", "解决措施"),
    "deadline": ("Deadline", "截止日期"),
    "period": ("Period", "周期"),
    "attainment": ("Goal attainment", "目标达成"),
    "worked": ("What worked", "最佳策略/动作"),
    "problems": ("Problems", "问题"),
    "measures": ("Measures", "优化措施"),
    "step": ("Step", "步骤"),
    "role": ("Role", "角色"),
    "tool": ("Tool", "工具"),
    "department": ("Department", "部门"),
    "email": ("Email", "邮箱"),
    "scenario": ("Scenario", "场景"),
    "count": ("Scenarios", "场景数"),
    "met": ("On target", "达标"),
    "rate": ("Achievement", "达成率"),
    "as_of": ("As of", "数据截至"),
    "none": ("None.", "暂无。"),
    "no_charts": ("No chart for this scenario.", "本场景暂无图表。"),
    "dev_days": ("{n} dev-days", "{n} 人天"),
    "budget": ("budget {amount} {currency}", "预算 {amount} {currency}"),
    "repeat": ("repeats {cadence}", "{cadence}重复"),
    "metric_alert": (
        "{metric}: {actual} against a target of {target} — achievement {rate}.",
        "{metric}：实际 {actual}，目标 {target}，达成率 {rate}。",
    ),
    "metric_stale": (
        "{metric}: no new data within one {cadence} period (last: {updated}).",
        "{metric}：一个复盘周期（{cadence}）内没有新数据（最近：{updated}）。",
    ),
    "delayed_note": vocabulary.pair("overdue-days"),
    "carried_note": vocabulary.pair("carried-from"),
    "history": ("Earlier cycles", "历史周期"),
    "cycle_dates": ("Cycle", "周期"),
    "history_metric": (
        "{name}: {actual} / {target} · {rate}",
        "{name}：{actual} / {target} · {rate}",
    ),
    "cycle_review": ("Cycle review", "周期复盘"),
    "open_count": ("{n} open", "{n} 项未关闭"),
    "week_range": ("{start} – {end}", "{start} 至 {end}"),
    "diagnostics_intro": (
        "The site is not updated while a scenario is invalid. Fix the problems below and save: "
        "this page reloads by itself.",
        "场景文件有错误时，站点不会更新。请修正下列问题并保存，页面会自动刷新。",
    ),
    "tags_intro": ("Every scenario by tag.", "按标签查看全部场景。"),
    "sop_intro": (
        "The steps that worked, from every scenario (step 5.2 of the method).",
        "各场景沉淀下来的有效做法（方法第 5.2 步）。",
    ),
    "anomaly_intro": (
        "Delayed tasks and data anomalies from the weekly reviews (step 4.3): cause, fix, "
        "owner and deadline.",
        "周复盘中的延期任务与数据异常（方法第 4.3 步）：原因、措施、负责人与截止日期。",
    ),
    "people_intro": (
        "Everyone and what they own (责任到人).",
        "每个人负责的全部事项（责任到人）。",
    ),
    "person_nothing": ("Owns nothing in the current scenarios.", "当前场景中没有负责的事项。"),
    "dashboard_intro": (
        "All figures are computed for {as_of}.",
        "以下数据均按 {as_of} 计算。",
    ),
    "all_clear": ("Nothing here.", "无。"),
    "colon": (": ", "："),
    "full_stop": (".", "。"),
    # The dashboard to act on, movement and my work
    "decisions_needed": ("Decisions needed", "需要决策"),
    "change": ("Change", "变化"),
    "change_note": (
        "Change: against the previous weekly review ({date}); ▲ up, ▼ down, green better, "
        "red worse for that metric.",
        "变化：与上次周复盘（{date}）相比；▲ 上升，▼ 下降，绿色为变好、红色为变差（按指标方向）。",
    ),
    "firing": ("Alert for", "预警持续"),
    "latest_measures": ("Latest measures (review)", "最新措施（复盘）"),
    "since_last_review": ("Since the last review", "自上次复盘以来"),
    "since_intro": (
        "What changed a level, a status or an anomaly from {before} to {after}; every "
        "metric's change is in its scenario's monitoring table.",
        "{before} 至 {after} 间预警级别、状态与异常的变化；各指标的数值变化见其场景的执行监控表。",
    ),
    "item": ("Item", "事项"),
    "level": ("Scenario level", "场景预警级别"),
    "before": ("Before", "之前"),
    "now": ("Now", "现在"),
    "kind_action": ("Action", "行动"),
    "kind_anomaly": ("Anomaly", "异常"),
    "anomaly_opened": ("Opened", "新增"),
    "anomaly_closed": ("Closed", "已关闭"),
    "my_work": ("My work", "我的工作"),
    "my_work_intro": (
        "Actions and anomalies I own: overdue first, then due this week.",
        "我负责的行动与异常：已逾期在前，其次本周到期。",
    ),
    "subscribe": ("Subscribe to my calendar", "订阅我的日历"),
    "calendar_file": ("download the .ics file", "下载 .ics 文件"),
    "supplied_metrics": ("Metrics I own or supply data for", "我负责或提供数据的指标"),
    "type": ("Type", "类型"),
    "alert_week_1": vocabulary.pair("alert-week-1"),
    "alert_weeks": vocabulary.pair("alert-weeks"),
    "change_since": vocabulary.pair("change-since"),
    "no_change": vocabulary.pair("no-change"),
    "threshold_edge": vocabulary.pair("threshold-edge"),
    "by_note": (
        "Achievement: the mean achievement of each scenario's status metric (the core metric "
        "that sets its level). Critical and warning count scenarios.",
        "达成率：各场景状态指标（决定其预警级别的核心指标）达成率的平均值；严重、预警为场景数。",
    ),
}

_ENUMS: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "industry": vocabulary.pairs("industry"),
    # actions, anomalies and scenarios share one "status" namespace on the site's badges
    "status": {
        **vocabulary.pairs("scenario-status"),
        **vocabulary.pairs("anomaly-status"),
        **vocabulary.pairs("action-status"),
    },
    "alert": vocabulary.pairs("alert"),
    "cadence": vocabulary.pairs("cadence"),
    "direction": {"up": ("higher is better", "越高越好"), "down": ("lower is better", "越低越好")},
    "source": {
        "csv": ("CSV file", "CSV 文件"),
        "sql": ("SQL query", "SQL 查询"),
        "manual": ("manual", "手工录入"),
    },
    "review_kind": {"weekly": ("weekly review", "周复盘"), "cycle": ("cycle review", "周期复盘")},
}


class Labels:
    """The labels of one language: ``labels["owner"]``, ``labels.enum("status", "done")``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._index = 1 if lang == "zh-CN" else 0

    def __getitem__(self, key: str) -> str:
        return _LABELS[key][self._index]

    def format(self, key: str, **values: object) -> str:
        return self[key].format(**values)

    def enum(self, kind: str, value: str) -> str:
        names = _ENUMS[kind].get(value)
        return names[self._index] if names else value
