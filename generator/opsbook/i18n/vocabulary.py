"""The one vocabulary of states: one word per state and language, for every output.

The site, the charts, the review pack, the workbook, the calendar, the diff and the digests
all name a state (an alert level, an action's status, a cadence, an industry…) with the word
from this table, so a meeting never reads "已延期" in the pack and "已逾期" on the site for
the same thing. Output tables keep only their own phrasing (headings, sentences) and take
state words from here.
"""

from __future__ import annotations

from collections.abc import Mapping

from opsbook.i18n.messages import Text

# kind → state code → its word
STATES: Mapping[str, Mapping[str, Text]] = {
    "industry": {
        "ecommerce": Text("E-commerce", "电商"),
        "saas": Text("SaaS", "SaaS"),
        "local-services": Text("Local services", "本地生活"),
        "content": Text("Content platforms", "内容平台"),
        "other": Text("Other", "其他"),
    },
    "alert": {
        "ok": Text("On track", "正常"),
        "warning": Text("Warning", "预警"),
        "critical": Text("Critical", "严重"),
        "no-data": Text("No data", "无数据"),
        "stale": Text("Stale data", "数据未更新"),
    },
    "action-status": {
        "not-started": Text("Not started", "未开始"),
        "in-progress": Text("In progress", "进行中"),
        "done": Text("Done", "已完成"),
        "delayed": Text("Delayed", "已延期"),
        # past its due date and not done: computed, whatever the row says
        "overdue": Text("Overdue", "已逾期"),
    },
    "anomaly-status": {
        "open": Text("Open", "待处理"),
        # the same word as an action's: the site and the workbook show both in one column
        "in-progress": Text("In progress", "进行中"),
        "closed": Text("Closed", "已关闭"),
        "overdue": Text("Overdue", "已逾期"),
    },
    "scenario-status": {
        "draft": Text("Draft", "草稿"),
        "active": Text("Active", "进行中"),
        "closed": Text("Closed", "已关闭"),
    },
    "cadence": {
        "daily": Text("daily", "每日"),
        "weekly": Text("weekly", "每周"),
        "biweekly": Text("every two weeks", "每两周"),
        "monthly": Text("monthly", "每月"),
        "quarterly": Text("quarterly", "每季度"),
    },
}

# Phrases about dates and the portfolio chart titles, the same in every output.
PHRASES: Mapping[str, Text] = {
    "overdue-days": Text("{days} d overdue (since {due})", "已逾期 {days} 天（{due} 起）"),
    "due-in-days": Text("due in {days} d", "{days} 天后到期"),
    "carried-from": Text("carried over from the cycle of {date}", "结转自 {date} 开始的周期"),
    "by-industry": Text("Achievement by industry", "按行业达成率"),
    "by-owner": Text("Achievement by owner", "按负责人达成率"),
    # Movement since the last review: how long an alert has fired, a change against a date.
    "alert-week-1": Text("{level} for 1 week · since {since}", "{level}第 1 周 · {since} 起"),
    "alert-weeks": Text(
        "{level} for {weeks} weeks · since {since}", "{level}第 {weeks} 周 · {since} 起"
    ),
    "change-since": Text("{change} since {date}", "较 {date} {change}"),
    "no-change": Text("no change", "持平"),
    # A change of a metric measured in %: percentage points, never a relative percent.
    "points": Text("{value} pp", "{value} 个百分点"),
    # The threshold edge, stated once: exactly at a threshold is on its better side.
    "threshold-edge": Text(
        "Achievement exactly at a metric's warning threshold ({warn} unless the metric sets "
        "another) counts as on track; below it is a warning, and below the critical "
        "threshold ({critical}) is critical.",
        "达成率恰好等于预警阈值（默认 {warn}，指标可另设）视为正常；低于预警阈值为预警，"
        "低于严重阈值（默认 {critical}）为严重。",
    ),
}


def word(kind: str, code: str, lang: str) -> str:
    """The word for a state; an unknown code prints as itself."""
    text = STATES[kind].get(code)
    return text.get(lang) if text else code


def worded(kind: str, code: str) -> dict[str, str]:
    """A state's word in both languages, as a message argument: a message from the catalog
    (a terminal line) then shows the word of its own language, never the code."""
    return {lang: word(kind, code, lang) for lang in ("en", "zh-CN")}


def pairs(kind: str) -> dict[str, tuple[str, str]]:
    """One kind's words as (English, 简体中文) pairs, the shape the site and chart tables use."""
    return {code: (text.en, text.zh) for code, text in STATES[kind].items()}


def pair(key: str) -> tuple[str, str]:
    text = PHRASES[key]
    return (text.en, text.zh)
