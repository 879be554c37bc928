"""The ``realistic`` corpus profile: scenarios shaped like a real team's, not the shipped ones.

Real teams keep quarter and half-year cycles, so the shipped scenarios (one-month cycles,
three observations a metric) understate what a knowledge base carries. This profile writes
scenarios with 4- to 26-week cycles, a weekly observation per metric up to the as-of date
(up to 26), 3–14 actions, 0–5 anomalies, up to 8 weekly reviews, owners from a crew of 4–7 of
a directory of 60 people in 10 departments, 40 modules, a fifth of the scenarios in English. Everything comes
from one seeded ``random.Random``, so the same seed gives the same bytes; the scenarios pass
``opsbook check`` without warnings.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

AS_OF = dt.date(2026, 6, 22)  # the as-of date of the project's mkdocs.yml
SITE_URL = "https://ops.example.com/"
WEEK = dt.timedelta(days=7)

DEPARTMENTS = [
    ("ops", "运营部", "Operations"), ("growth", "增长部", "Growth"),
    ("eng", "技术部", "Engineering"), ("design", "设计部", "Design"),
    ("mkt", "市场部", "Marketing"), ("cs", "客户成功部", "Customer success"),
    ("data", "数据部", "Data"), ("store", "门店运营部", "Store operations"),
    ("content", "内容生态部", "Content"), ("biz", "商业化部", "Monetisation"),
]  # fmt: skip
SURNAMES = "李王张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "娜磊晨浩杰芳洋敏静涛峰婷超悦强伟丽军勇艳娟霞明慧鹏飞琳雪宇欣阳帆凯莉"
ENGLISH_NAMES = ["Emma Clarke", "Liam Turner", "Olivia Reed", "Noah Patel", "Ava Brooks",
                 "Mia Foster", "Lucas Grant", "Zoe Hayes", "Ethan Cole", "Chloe Ward"]  # fmt: skip
ROLES = {
    "zh": ["运营经理", "运营专员", "数据分析师", "产品经理", "项目负责人", "高级运营"],
    "en": ["Operations manager", "Analyst", "Product manager", "Programme lead", "Specialist"],
}
INDUSTRIES = {
    "ecommerce": ["用户增长", "会员运营", "用户留存", "流失召回", "大促运营", "私域运营",
                  "品类运营", "直播电商", "搜索推荐", "售后体验"],
    "saas": ["客户成功", "试用转化", "续费管理", "增购拓展", "客户培训", "健康度运营",
             "渠道合作", "产品引导", "工单服务", "Customer success"],
    "local-services": ["门店引流", "团购运营", "会员复购", "社群运营", "到店体验", "口碑运营",
                       "外卖运营", "商户拓展", "节假日营销", "Store growth"],
    "content": ["创作者生态", "冷启动扶持", "商业化", "内容质量", "涨粉运营", "直播运营",
                "话题策划", "版权合作", "社区治理", "Creator growth"],
}  # fmt: skip
# The modules' ids and English names, in the order above; an English-only module (the last of
# each industry) has no name_en, so outputs fall back to its one name.
MODULE_IDS = {
    "ecommerce": [("user-growth", "User growth"), ("membership", "Membership"),
                  ("user-retention", "User retention"), ("winback", "Win-back"),
                  ("big-promotions", "Big promotions"), ("private-traffic", "Private traffic"),
                  ("categories", "Categories"), ("live-commerce", "Live commerce"),
                  ("search-recommendation", "Search and recommendation"),
                  ("after-sales", "After-sales")],
    "saas": [("customer-success", "Customer success"), ("trial-conversion", "Trial conversion"),
             ("renewals", "Renewals"), ("expansion", "Expansion"),
             ("customer-training", "Customer training"), ("account-health", "Account health"),
             ("channel-partners", "Channel partners"), ("product-onboarding", "Product onboarding"),
             ("support-tickets", "Support tickets"), ("customer-success-global", None)],
    "local-services": [("store-traffic", "Store traffic"), ("group-buying", "Group buying"),
                       ("member-repurchase", "Member repurchase"), ("communities", "Communities"),
                       ("in-store-experience", "In-store experience"), ("reputation", "Reputation"),
                       ("delivery", "Delivery"), ("merchant-growth", "Merchant growth"),
                       ("holiday-marketing", "Holiday marketing"), ("store-growth", None)],
    "content": [("creator-ecosystem", "Creator ecosystem"), ("cold-start", "Cold start"),
                ("monetization", "Monetization"), ("content-quality", "Content quality"),
                ("follower-growth", "Follower growth"), ("live-streaming", "Live streaming"),
                ("topics", "Topics"), ("copyright", "Copyright"),
                ("community-governance", "Community governance"),
                ("creator-growth", None)],
}  # fmt: skip


def modules_list() -> list[dict[str, str]]:
    """The team directory's 40 modules: id, name, English name (when it has one), industry."""
    rows = []
    for industry, names in INDUSTRIES.items():
        for name, (module_id, name_en) in zip(names, MODULE_IDS[industry], strict=True):
            row = {"id": module_id, "name": name, "name_en": name_en, "industry": industry}
            rows.append({k: v for k, v in row.items() if v is not None})
    return rows


ZH = {
    "groups": ["注册7天未下单的新用户", "近90天未复购的老客", "月消费 ≥ 3次的高频会员",
               "试用第3天仍未创建项目的团队", "席位活跃率低的付费客户", "首月发布少于2篇的新创作者",
               "到店1次未复购的顾客", "社群内30天未互动的成员", "参加过大促但未开会员的用户"],
    "pains": ["不知道优惠怎么用", "上手成本高，找不到核心功能", "缺少复购理由", "收到的消息太多太杂",
              "新内容没有曝光", "门店高峰排队时间长", "价格敏感，比价后流失", "客服响应慢"],
    "metrics": [("转化率", "%", "up"), ("复购率", "%", "up"), ("周活跃率", "%", "up"),
                ("客单价", "元", "up"), ("流失率", "%", "down"), ("首响时长", "分钟", "down"),
                ("核销率", "%", "up"), ("退款率", "%", "down"), ("健康度均分", "分", "up"),
                ("到店人数", "人", "up"), ("完播率", "%", "up"), ("投诉率", "‰", "down")],
    "strategies": ["新人引导", "精准触达", "权益激励", "社群运营", "内容种草", "体验优化",
                   "数据监控", "渠道拓展", "分层运营", "召回挽留"],
    "verbs": ["上线", "配置", "推送", "复盘", "培训", "排查", "策划", "测试", "发放", "整理"],
    "objects": ["分层优惠券包", "站内信与短信提醒", "新手任务清单", "会员专享日活动", "健康度预警看板",
                "社群每日话题", "直播预告与回放", "到店核销流程", "A/B 测试方案", "客服话术库",
                "召回短信模板", "创作者激励计划"],
    "channels": ["短信", "App 推送", "企业微信", "小程序", "公众号", "邮件", "站内信", "社群"],
    "causes": ["活动入口层级太深", "短信通道被运营商限流", "预算审批延迟一周", "数据口径与财务不一致",
               "竞品同期大促分流", "门店人手不足", "推送时段与用户作息不符", "接口变更导致埋点丢失"],
    "worked": ["分层触达的点击率比全量推送高{n}%", "新手任务完成用户的留存高{n}个百分点",
               "社群话题带来的复购占比{n}%", "晚间推送的打开率比白天高{n}%"],
    "sop_roles": ["用户运营", "数据分析师", "社群运营", "客户成功经理", "门店店长"],
    "tools": ["CRM", "BI看板", "企业微信", "短信平台", "工单系统"],
    "systems": ["数据仓库", "CRM", "订单系统", "客户成功平台", "埋点平台"],
}  # fmt: skip
EN = {
    "groups": ["New sign-ups with no order after 7 days", "Customers who have not reordered in 90 days",
               "Trial teams with no project on day 3", "Paying accounts with low seat activity",
               "Creators with fewer than 2 posts in their first month", "One-visit store guests"],
    "pains": ["They do not know how to use the offer", "Setup takes too long", "No reason to come back",
              "Too many messages, none relevant", "New posts get no reach", "Queues at peak hours"],
    "metrics": [("Conversion rate", "%", "up"), ("Repeat purchase rate", "%", "up"),
                ("Weekly active rate", "%", "up"), ("Churn rate", "%", "down"),
                ("First response time", "min", "down"), ("Refund rate", "%", "down"),
                ("Health score", "pts", "up"), ("Average order value", "CNY", "up")],
    "strategies": ["Onboarding", "Targeted outreach", "Incentives", "Community", "Content seeding",
                   "Experience fixes", "Monitoring", "Win-back"],
    "verbs": ["Launch", "Configure", "Send", "Review", "Train", "Audit", "Plan", "Test"],
    "objects": ["a tiered coupon pack", "push and SMS reminders", "a first-week checklist",
                "a member day", "a health alert dashboard", "daily community topics",
                "the in-store redemption flow", "an A/B test", "support reply templates"],
    "channels": ["SMS", "App push", "WeCom", "Mini program", "Email", "In-app message"],
    "causes": ["The entry point is three taps deep", "The SMS gateway throttled sends",
               "Budget approval slipped a week", "Tracking broke after an API change",
               "A competitor ran a sale the same week", "Stores were short-staffed"],
    "worked": ["Segmented outreach clicked {n}% better than broadcast",
               "Users who finished the checklist retained {n} points better",
               "Evening pushes opened {n}% more often than daytime ones"],
    "sop_roles": ["User operations", "Analyst", "Community manager", "Customer success manager"],
    "tools": ["CRM", "BI dashboard", "WeCom", "SMS platform", "Ticketing"],
    "systems": ["Data warehouse", "CRM", "Order system", "Customer success platform"],
}  # fmt: skip
ACTION_STATUSES = ["done", "done", "in-progress", "in-progress", "not-started", "delayed"]


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    department: str


def team(rng: random.Random) -> tuple[dict[str, Any], list[Person]]:
    """60 people in 10 departments; one in six has an English name, half have an email."""
    people: list[Person] = []
    rows = []
    for number in range(60):
        dept, _, _ = DEPARTMENTS[number % len(DEPARTMENTS)]
        english = number % 6 == 5
        if english:
            name = ENGLISH_NAMES[(number // 6) % len(ENGLISH_NAMES)]
        else:
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
        person = Person(f"{dept}.p{number:02d}", name, dept)
        people.append(person)
        row: dict[str, Any] = {"id": person.id, "name": name, "department": dept,
                               "role": rng.choice(ROLES["en" if english else "zh"])}  # fmt: skip
        if number % 2 == 0:
            row["email"] = f"p{number:02d}@example.com"
        rows.append(row)
    document = {
        "team": {
            "name": "星河增长运营中心",
            "description": "电商、SaaS、本地生活与内容平台的运营团队",
        },
        "departments": [{"id": d, "name": n} for d, n, _ in DEPARTMENTS],
        "modules": modules_list(),
        "people": rows,
    }
    return document, people


@dataclass
class Draft:
    """What one scenario is being made of: its words, its people, its cycle."""

    rng: random.Random
    words: dict[str, list[Any]]
    english: bool
    people: list[Person]
    start: dt.date
    end: dt.date

    def pick(self, key: str) -> Any:
        return self.rng.choice(self.words[key])

    def person(self) -> str:
        return self.rng.choice(self.people).id

    def day(self, first: dt.date | None = None) -> dt.date:
        first = first or self.start
        return first + dt.timedelta(days=self.rng.randint(0, max(0, (self.end - first).days)))

    def mmdd(self, day: dt.date) -> str:
        return day.strftime("%m-%d")


def crew(rng: random.Random, people: list[Person]) -> list[Person]:
    """Who works on a scenario: its owner, two colleagues of the owner's department and one
    to four people from others (data, engineering, design…), as a real team staffs one."""
    owner = rng.choice(people)
    colleagues = [p for p in people if p.department == owner.department and p != owner]
    others = [p for p in people if p.department != owner.department]
    return [owner, *rng.sample(colleagues, 2), *rng.sample(others, rng.randint(1, 4))]


def _cycle(rng: random.Random) -> tuple[dt.date, dt.date, str]:
    """A Monday-aligned cycle of 4–26 weeks, ended, running or about to start on the as-of."""
    weeks = rng.choice((4, 6, 8, 13, 13, 13, 17, 26, 26))
    monday = AS_OF - dt.timedelta(days=AS_OF.weekday())
    end_week = rng.randint(-10, weeks + 2)  # weeks of the cycle after the as-of
    start = monday - (weeks - end_week) * WEEK
    end = start + weeks * WEEK - dt.timedelta(days=1)
    status = "closed" if end < AS_OF else "draft" if start > AS_OF else "active"
    return start, end, status


def _metric(d: Draft, index: int) -> dict[str, Any]:
    name, unit, direction = d.words["metrics"][
        (index + d.rng.randrange(99)) % len(d.words["metrics"])
    ]
    baseline = round(d.rng.uniform(5, 80), 1)
    gain = d.rng.uniform(0.1, 0.4) * (1 if direction == "up" else -1)
    target = round(baseline * (1 + gain), 1)
    observations = []
    value, day = baseline, d.start + dt.timedelta(days=6)
    while day <= min(d.end, AS_OF):
        value = round(value + (target - baseline) * d.rng.uniform(-0.15, 0.35) / 4, 1)
        point: dict[str, Any] = {"date": day, "value": value}
        if d.rng.random() < 0.2:
            point["cause"] = d.pick("causes")
        observations.append(point)
        day += WEEK
    source = {"kind": "sql", "system": d.pick("systems"), "connection_env": "OPSBOOK_WAREHOUSE_URL",
              "query": f"SELECT week_end AS date, value FROM kpi.m{index} "
                       "WHERE week_end BETWEEN :start AND :end ORDER BY week_end"}  # fmt: skip
    return {"id": f"metric-{index + 1}", "name": name, "unit": unit, "direction": direction,
            "target": target, "baseline": baseline, "owner": d.person(), "source": source,
            "observations": observations}  # fmt: skip


def _action(d: Draft, index: int, strategies: list[str]) -> dict[str, Any]:
    start = d.day()
    item: dict[str, Any] = {
        "id": f"action-{index + 1}", "strategy": strategies[index % len(strategies)],
        "action": f"{d.pick('verbs')}{' ' if d.english else ''}{d.pick('objects')}",
        "owner": d.person(), "start": start,
    }  # fmt: skip
    percent = d.rng.randint(20, 95)
    if d.rng.random() < 0.25:
        item["repeat"] = "weekly"
        standard = f"≥ {percent}% reached every week" if d.english else f"每周覆盖率 ≥ {percent}%"
    else:
        due = d.day(start)
        item["due"] = due
        standard = (f"Done by {d.mmdd(due)}, ≥ {percent}% coverage" if d.english
                    else f"{d.mmdd(due)}前完成，覆盖率 ≥ {percent}%")  # fmt: skip
    item["resources"] = {"channels": d.rng.sample(d.words["channels"], 2)}
    item["standard"] = standard
    item["status"] = d.rng.choice(ACTION_STATUSES)
    return item


def _anomaly(d: Draft, index: int, metric: str, action: str) -> dict[str, Any]:
    found = d.day()
    due = found + dt.timedelta(days=d.rng.randint(2, 14))
    percent = d.rng.randint(40, 90)
    fix = (f"Fix by {d.mmdd(due)} and bring the rate to ≥ {percent}%" if d.english
           else f"{d.mmdd(due)}前修复并把达成率恢复到 ≥ {percent}%")  # fmt: skip
    problem = (f"Achievement fell to {percent - 20}%" if d.english
               else f"达成率跌至{percent - 20}%，低于预警线")  # fmt: skip
    return {"id": f"anomaly-{index + 1}", "found": found, "problem": problem,
            "cause": d.pick("causes"), "fix": fix, "owner": d.person(), "due": due,
            "status": d.rng.choice(("open", "in-progress", "closed")), "metric": metric,
            "action": action}  # fmt: skip


def _review(d: Draft, week_end: dt.date) -> dict[str, Any]:
    percent = d.rng.randint(55, 115)
    n = d.rng.randint(8, 40)
    if d.english:
        attainment, measures = (
            f"{percent}% of target",
            [f"Act on the two weakest segments by next Monday ({n} accounts)"],
        )
        problems = [f"{d.pick('causes')}"]
    else:
        attainment, measures = f"达成率{percent}%", [f"下周一前针对最弱的两个分层跟进（{n}个客户）"]
        problems = [d.pick("causes")]
    return {"period": {"start": week_end - dt.timedelta(days=6), "end": week_end},
            "kind": "weekly", "attainment": attainment,
            "worked": [d.pick("worked").format(n=n)], "problems": problems,
            "measures": measures, "owner": d.person()}  # fmt: skip


def _needs(d: Draft, metric_ids: list[str], metric: dict[str, Any]) -> dict[str, Any]:
    size = d.rng.randint(500, 50000)
    steps = ["Reached", "Engaged", "Converted"] if d.english else ["触达", "参与", "转化"]
    journey = [{"name": steps[0], "value": size}]
    for step in steps[1:]:
        journey.append({"name": step, "value": int(journey[-1]["value"] * d.rng.uniform(0.2, 0.7))})
    comparator = "≥" if metric["direction"] == "up" else "≤"
    insight = d.pick("worked").format(n=d.rng.randint(5, 40))
    return {
        "business_goal": ("Grow the segment's yearly revenue by {n}%" if d.english
                          else "年度分层收入增长{n}%").format(n=d.rng.randint(5, 30)),
        "goal": f"{metric['name']} {comparator} {metric['target']}{metric['unit']}",
        "user_group": d.pick("groups"), "pain_point": d.pick("pains"),
        "insights": [insight], "journey": journey, "success_criteria": metric_ids,
    }  # fmt: skip


def _sop(d: Draft) -> list[dict[str, Any]]:
    steps = []
    for _ in range(d.rng.randint(3, 5)):
        percent = d.rng.randint(60, 98)
        standard = f"≥ {percent}% on time" if d.english else f"按时完成率 ≥ {percent}%"
        steps.append({"step": f"{d.pick('verbs')}{' ' if d.english else ''}{d.pick('objects')}",
                      "standard": standard, "role": d.pick("sop_roles"), "tool": d.pick("tools")})  # fmt: skip
    return steps


def scenario(number: int, rng: random.Random, people: list[Person]) -> tuple[str, dict[str, Any]]:
    """Scenario ``number``: (id, document)."""
    english = number % 5 == 0
    industry = list(INDUSTRIES)[number % len(INDUSTRIES)]
    module_index = (number // len(INDUSTRIES)) % 10
    module = INDUSTRIES[industry][module_index]
    start, end, status = _cycle(rng)
    d = Draft(rng, EN if english else ZH, english, crew(rng, people), start, end)
    metrics = [_metric(d, i) for i in range(rng.randint(1, 3))]
    action_count = rng.randint(3, 14)
    # At most 5 actions a strategy (the method's rule), so 3 strategies from 11 actions on.
    strategies = rng.sample(d.words["strategies"], max(-(-action_count // 5), rng.randint(2, 4)))
    actions = [_action(d, i, strategies) for i in range(action_count)]
    anomalies = [_anomaly(d, i, rng.choice(metrics)["id"], rng.choice(actions)["id"])
                 for i in range(rng.randint(0, 5))]  # fmt: skip
    week_ends = [start + WEEK * (k + 1) - dt.timedelta(days=1) for k in range(26)]
    done = [w for w in week_ends if w <= min(end, AS_OF)]
    reviews = [_review(d, w) for w in done[-rng.randint(0, 8) :]] if done else []
    scenario_id = f"{industry}-{'en' if english else 'zh'}-{number:05d}"
    title = (f"{d.pick('strategies')} for {d.pick('groups').lower()}" if english
             else f"{module}·{d.pick('strategies')}（{d.pick('groups')}）")  # fmt: skip
    document = {
        "id": scenario_id, "title": f"{title} #{number}", "industry": industry,
        "module": MODULE_IDS[industry][module_index][0],
        "owner": d.people[0].id, "status": status,
        "summary": d.pick("worked").format(n=rng.randint(5, 40)) + ("; " if english else "；")
                   + d.pick("pains"),
        "tags": rng.sample(d.words["strategies"], 2),
        "cycle": {"start": start, "end": end, "cadence": "weekly"},
        "needs": _needs(d, [m["id"] for m in metrics], metrics[0]),
        "actions": actions, "metrics": metrics, "anomalies": anomalies, "reviews": reviews,
        "sop": _sop(d),
    }  # fmt: skip
    return scenario_id, document


def _dump(document: dict[str, Any]) -> str:
    return yaml.dump(document, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False,
                     width=120)  # fmt: skip


def write(count: int, scenarios: Path, seed: int) -> None:
    """``count`` scenarios and their team directory into ``scenarios``."""
    rng = random.Random(seed)
    team_document, people = team(rng)
    (scenarios / "team.yaml").write_text(_dump(team_document), encoding="utf-8")
    for number in range(count):
        scenario_id, document = scenario(number, rng, people)
        (scenarios / f"{scenario_id}.yaml").write_text(_dump(document), encoding="utf-8")


def mkdocs_yml(text: str) -> str:
    """The project's mkdocs.yml with a ``site_url``, as a published site has (the shipped
    one names an example address already; a project without one gets it)."""
    if re.search(r"^site_url:", text, re.MULTILINE):
        return text
    return text.replace("docs_dir:", f"site_url: {SITE_URL}\ndocs_dir:", 1)
