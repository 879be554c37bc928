"""Every state word, in every output, in both languages, from the one table.

One small project (the shipped scenarios plus three that bring the states they lack: an
``other`` industry, a draft and a closed scenario, a metric without data and one with stale
data, a delayed and a not-started action, anomalies open, in progress, closed and overdue, an
alert in its first week) is produced once per language in every output: the built site, the
review pack (read back with pdftotext), the charts (SVG text, legends and text alternatives),
the workbook (openpyxl), the calendar (icalendar), ``opsbook diff``, the terminal lines of
``opsbook import-xlsx``, the notify messages (``--dry-run``) and ``--format json``. Then every
(state, language, output) is one test: the state's word from
:mod:`opsbook.i18n.vocabulary` appears where that output shows the state — in the row of the
item that has it, not just anywhere — or the output is listed below as not showing that state,
with the reason.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from icalendar import Calendar

from conftest import ROOT, opsbook_env
from opsbook.i18n.vocabulary import PHRASES, STATES

LANGS = ("zh-CN", "en")
AS_OF = dt.date(2026, 6, 22)

# ---------------------------------------------------------------- the project

# A scenario with the item states the shipped ones lack; the diff compares it with BASE_EDITS.
FIELD = """\
id: other-field-drill
title: 外勤巡检试点
industry: other
module: user-growth
owner: ops.li
summary: 外勤巡检的试点场景。
cycle: {start: 2026-06-01, end: 2026-06-30, cadence: weekly}
needs:
  business_goal: 巡检覆盖率提升到 95%
  goal: 巡检完成率 ≥ 95%
  user_group: 外勤人员
  pain_point: 巡检漏检
  success_criteria: [inspection-rate, defect-rate, on-time-rate]
actions:
  - {id: kickoff, strategy: 启动, action: 试点启动会, owner: ops.li, due: 2026-06-03, standard: 06-03前开会 1 次, status: done}
  - {id: route-plan, strategy: 排线, action: 巡检路线重排, owner: ops.li, due: 2026-06-30, standard: 06-30前完成 100 条路线, status: delayed}
  - {id: checklist, strategy: 清单, action: 巡检清单上线, owner: eng.sun, due: 2026-06-25, standard: 06-25前上线 1 版, status: not-started}
  - {id: training, strategy: 培训, action: 外勤培训, owner: ops.zhao, due: 2026-06-19, standard: 06-19前培训 30 人, status: in-progress}
  - {id: signage, strategy: 点位, action: 巡检点位标识, owner: ops.zhao, due: 2026-06-28, standard: 06-28前贴标 200 个点位, status: in-progress}
  - {id: audit, strategy: 抽检, action: 双周抽检, owner: data.xu, start: 2026-06-01, repeat: biweekly, standard: 每两周抽检 50 单, status: in-progress}
metrics:
  - id: inspection-rate
    name: 巡检完成率
    unit: "%"
    direction: up
    target: 95
    owner: data.xu
    source: {kind: sql, system: 外勤系统, connection_env: OPSBOOK_WAREHOUSE_URL, query: "SELECT day AS date, rate AS value FROM field.inspections WHERE day BETWEEN :start AND :end"}
    observations:
      - {date: 2026-06-05, value: 90}
  - id: defect-rate
    name: 漏检率
    unit: "%"
    direction: down
    target: 2
    owner: data.xu
    source: {kind: sql, system: 外勤系统, connection_env: OPSBOOK_WAREHOUSE_URL, query: "SELECT day AS date, rate AS value FROM field.defects WHERE day BETWEEN :start AND :end"}
  - id: on-time-rate
    name: 巡检及时率
    unit: "%"
    direction: up
    target: 90
    owner: data.xu
    source: {kind: sql, system: 外勤系统, connection_env: OPSBOOK_WAREHOUSE_URL, query: "SELECT day AS date, rate AS value FROM field.on_time WHERE day BETWEEN :start AND :end"}
    observations:
      - {date: 2026-06-13, value: 92}
      - {date: 2026-06-20, value: 78}
anomalies:
  - {id: app-crash, found: 2026-06-16, problem: 巡检 App 闪退, cause: 版本兼容, fix: 06-26前修复, owner: eng.sun, due: 2026-06-26, status: open}
  - {id: gps-drift, found: 2026-06-17, problem: 定位漂移, cause: 信号弱, fix: 06-27前校准, owner: eng.zhou, due: 2026-06-27, status: in-progress}
  - {id: login, found: 2026-06-02, problem: 登录失败, cause: 证书过期, fix: 06-05前更新证书, owner: eng.zhou, due: 2026-06-05, status: closed, closed: 2026-06-04}
  - {id: sync, found: 2026-06-12, problem: 数据同步延迟, cause: 接口限流, fix: 06-18前扩容, owner: eng.zhou, due: 2026-06-18, status: open}
"""
# What the base revision said, for the diff: each edit turns the base into the file above.
BASE_EDITS = [
    ("due: 2026-06-03, standard: 06-03前开会 1 次, status: done",
     "due: 2026-06-03, standard: 06-03前开会 1 次, status: in-progress"),
    ("standard: 06-30前完成 100 条路线, status: delayed",
     "standard: 06-30前完成 100 条路线, status: in-progress"),
    ("standard: 06-25前上线 1 版, status: not-started",
     "standard: 06-25前上线 1 版, status: in-progress"),
    ("due: 2026-06-19, standard: 06-19前培训 30 人", "due: 2026-06-29, standard: 06-19前培训 30 人"),
    ("      - {date: 2026-06-05, value: 90}\n", "      - {date: 2026-06-05, value: 70}\n"),
    ("      - {date: 2026-06-20, value: 78}\n", "      - {date: 2026-06-20, value: 88}\n"),
    ("""    owner: data.xu
    source: {kind: sql, system: 外勤系统, connection_env: OPSBOOK_WAREHOUSE_URL, query: "SELECT day AS date, rate AS value FROM field.defects WHERE day BETWEEN :start AND :end"}
""", """    owner: data.xu
    source: {kind: sql, system: 外勤系统, connection_env: OPSBOOK_WAREHOUSE_URL, query: "SELECT day AS date, rate AS value FROM field.defects WHERE day BETWEEN :start AND :end"}
    observations:
      - {date: 2026-06-20, value: 1.5}
"""),
    ("due: 2026-06-05, status: closed, closed: 2026-06-04}", "due: 2026-06-05, status: open}"),
    ("due: 2026-06-18, status: open}", "due: 2026-06-28, status: open}"),
]  # fmt: skip

DRAFT = """\
id: other-kiosk-pilot
title: 自助终端筹备
industry: other
module: user-growth
owner: ops.zhao
status: draft
waivers: [{rule: rule.cadence, reason: 筹备期按月复盘}]
cycle: {start: 2026-06-01, end: 2026-08-31, cadence: monthly}
needs:
  business_goal: 自助终端下单占比 10%
  goal: 自助下单占比 ≥ 10%
  user_group: 到店顾客
  pain_point: 排队
  success_criteria: [kiosk-share]
actions:
  - {id: vendor, strategy: 采购, action: 终端选型, owner: ops.zhao, due: 2026-07-10, standard: 07-10前选定 1 家, status: not-started}
metrics:
  - id: kiosk-share
    name: 自助下单占比
    unit: "%"
    direction: up
    target: 10
    owner: ops.zhao
    source: {kind: sql, system: 门店系统, connection_env: OPSBOOK_WAREHOUSE_URL, query: "SELECT day AS date, share AS value FROM store.kiosk WHERE day BETWEEN :start AND :end"}
"""

CLOSED = """\
id: other-legacy-hotline
title: 旧热线下线
industry: other
module: user-growth
owner: ops.zhao
status: closed
waivers: [{rule: rule.cadence, reason: 下线项目按季度复盘}]
cycle: {start: 2026-04-01, end: 2026-06-30, cadence: quarterly}
needs:
  business_goal: 热线来电转线上 90%
  goal: 线上分流率 ≥ 90%
  user_group: 热线来电用户
  pain_point: 热线成本高
  success_criteria: [online-share]
actions:
  - {id: ivr, strategy: 分流, action: 语音导航改线上, owner: ops.zhao, due: 2026-05-01, standard: 05-01前上线 1 版, status: done}
metrics:
  - id: online-share
    name: 线上分流率
    unit: "%"
    direction: up
    target: 90
    owner: ops.zhao
    source: {kind: sql, system: 客服系统, connection_env: OPSBOOK_WAREHOUSE_URL, query: "SELECT day AS date, share AS value FROM cs.hotline WHERE day BETWEEN :start AND :end"}
    observations:
      - {date: 2026-05-31, value: 92}
"""
EXTRA = {"other-field-drill": FIELD, "other-kiosk-pilot": DRAFT, "other-legacy-hotline": CLOSED}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}  # fmt: skip
    done = subprocess.run(["git", "-C", str(repo), *args], env=env, capture_output=True,
                          text=True, check=True)  # fmt: skip
    return done.stdout.strip()


def make_project(root: Path) -> Path:
    """The shipped project plus EXTRA, committed with the field drill as BASE_EDITS had it,
    then the field drill as it is now in the work tree (what ``opsbook diff`` compares)."""
    shutil.copytree(ROOT / "scenarios", root / "scenarios")
    shutil.copytree(ROOT / "site", root / "site")
    shutil.copytree(ROOT / "schema", root / "schema")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    english = config.replace("      lang: zh-CN\n", "      lang: en\n")
    assert english != config
    (root / "mkdocs-en.yml").write_text(english, encoding="utf-8")
    for name, text in EXTRA.items():
        (root / "scenarios" / f"{name}.yaml").write_text(text, encoding="utf-8")
    base = FIELD
    for now, before in BASE_EDITS:
        assert base.count(now) == 1, now
        base = base.replace(now, before)
    drill = root / "scenarios" / "other-field-drill.yaml"
    drill.write_text(base, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    drill.write_text(FIELD, encoding="utf-8")
    return root


def opsbook(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "opsbook", *args], cwd=root, capture_output=True, text=True,
        encoding="utf-8", timeout=900, check=False,
        env=opsbook_env(root.parent, OPSBOOK_FEISHU_WEBHOOK="https://open.feishu.cn/hook/0123",
                        OPSBOOK_FEISHU_SECRET="a-secret-printed-nowhere"),
    )  # fmt: skip
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done


# ---------------------------------------------------------------- every output, once per language


def workbook_edits(lang: str) -> dict[tuple[str, str], str]:
    """import-xlsx input: (sheet kind, item id) → its new status word, one change per status."""
    word = {k: {c: t.get(lang) for c, t in STATES[k].items()} for k in STATES}
    action, anomaly = word["action-status"], word["anomaly-status"]
    return {
        ("actions", "checklist"): action["in-progress"],  # not started → in progress
        ("actions", "route-plan"): action["done"],  # delayed → done
        ("actions", "kickoff"): action["delayed"],  # done → delayed
        ("actions", "audit"): action["not-started"],  # in progress → not started
        ("anomalies", "app-crash"): anomaly["in-progress"],  # open → in progress
        ("anomalies", "gps-drift"): anomaly["open"],  # in progress → open
        ("anomalies", "login"): anomaly["open"],  # closed → open
    }


def edit_workbook(path: Path, lang: str) -> None:
    book = openpyxl.load_workbook(path)
    wanted = workbook_edits(lang)
    for sheet in book.worksheets[1:2] + book.worksheets[4:5]:  # T2 actions, anomalies
        kind = "actions" if sheet is book.worksheets[1] else "anomalies"
        header = [cell.value for cell in sheet[1]]
        status = header.index("Status" if lang == "en" else "状态") + 1
        for row in sheet.iter_rows(min_row=2):
            if (kind, row[1].value) in wanted and row[0].value == "other-field-drill":
                sheet.cell(row[0].row, status, wanted[(kind, row[1].value)])
    book.save(path)


def produce(root: Path, lang: str) -> Path:
    """Every output of the project in one language, into ``out/<lang>``."""
    out = root / "out" / lang
    out.mkdir(parents=True)
    config = "mkdocs.yml" if lang == "zh-CN" else "mkdocs-en.yml"
    opsbook(root, "build", "-f", config, "-d", str(out / "site"), "--lang", lang)
    opsbook(root, "pack", "-o", str(out / "pack.pdf"), "--full", "--no-charts",
            "--since", "2026-06-15", "--lang", lang)  # fmt: skip
    for fmt in ("xlsx", "ics", "json"):
        opsbook(root, "export", "-f", config, "--format", fmt, "-o", str(out / f"export.{fmt}"),
                "--lang", lang)  # fmt: skip
    for fmt, name in (("markdown", "diff.md"), ("json", "diff.json")):
        done = opsbook(root, "diff", "main", "--format", fmt, "--lang", lang)
        (out / name).write_text(done.stdout, encoding="utf-8")
    for digest in ("weekly", "daily"):
        done = opsbook(root, "notify", "--digest", digest, "--dry-run", "--lang", lang)
        (out / f"notify-{digest}.txt").write_text(done.stdout, encoding="utf-8")
    edited = out / "edited.xlsx"
    shutil.copyfile(out / "export.xlsx", edited)
    edit_workbook(edited, lang)
    done = opsbook(root, "import-xlsx", str(edited), "--dry-run", "--lang", lang)
    (out / "terminal.txt").write_text(done.stdout, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("vocabulary") / "project")


@pytest.fixture(scope="module")
def produced(project: Path) -> Callable[[str], Path]:
    return functools.cache(lambda lang: produce(project, lang))


# ---------------------------------------------------------------- reading the outputs back


@dataclass(frozen=True)
class Read:
    """One output in one language, as text: ``rows`` (a table row, a list item, a line, a
    workbook row, a calendar event…), ``pages`` (a heading with everything under it: a
    scenario's page, a PDF page, a chart) and ``whole``."""

    rows: tuple[str, ...]
    pages: tuple[tuple[str, str], ...]

    @property
    def whole(self) -> str:
        return "\n".join(text for _, text in self.pages) + "\n" + "\n".join(self.rows)


def flat(text: str) -> str:
    """Without white space: a PDF or a wrapped cell breaks lines anywhere."""
    return re.sub(r"\s+", "", text)


class _Blocks(html.parser.HTMLParser):
    """The text of every table row, list item, paragraph, heading and dashboard tile of a
    page, and every image's text alternative."""

    BLOCKS = frozenset({"tr", "li", "p", "h1", "h2", "h3", "h4", "figcaption", "summary"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, list[str]]] = []
        self.blocks: list[str] = []
        self.heading = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "img" and found.get("alt"):
            self.blocks.append(found["alt"] or "")
        tile = tag == "a" and "ob-tile" in (found.get("class") or "")
        if tag in self.BLOCKS or tile:
            self.open.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1][0] == tag:
            name, parts = self.open.pop()
            text = " ".join("".join(parts).split())
            self.blocks.append(text)
            if name == "h1" and not self.heading:
                self.heading = text

    def handle_data(self, data: str) -> None:
        for _, parts in self.open:
            parts.append(data)


def read_site(site: Path) -> Read:
    rows: list[str] = []
    pages: list[tuple[str, str]] = []
    for page in sorted(site.rglob("*.html")):
        parser = _Blocks()
        parser.feed(page.read_text(encoding="utf-8"))
        rows += parser.blocks
        pages.append((parser.heading, "\n".join(parser.blocks)))
    return Read(tuple(rows), tuple(pages))


def read_charts(site: Path) -> Read:
    """Each chart's drawn text (titles, labels, legends) with its text alternative on the
    page that shows it; a row is one chart's whole text."""
    alts: dict[str, set[str]] = {}
    for page in site.rglob("*.html"):
        found = re.findall(r'<img alt="([^"]*)"[^>]*src="[^"]*?charts/([^"]+)\.svg"',
                           page.read_text(encoding="utf-8"))  # fmt: skip
        for alt, chart in found:
            alts.setdefault(chart, set()).add(html.unescape(alt))
    pages = []
    for chart in sorted(site.joinpath("charts").rglob("*.svg")):
        name = f"{chart.parent.name}/{chart.stem}"
        svg = re.sub(r"<style>.*?</style>", "", chart.read_text(encoding="utf-8"), flags=re.S)
        drawn = [html.unescape(t) for t in re.findall(r">([^<>]+)<", svg)]
        pages.append((name, " ".join([name, *drawn, *sorted(alts.get(name, ()))])))
    return Read(tuple(text for _, text in pages), tuple(pages))


def read_pack(pdf: Path) -> Read:
    """Each page; as rows, each laid-out line with the three after it (a wrapped cell goes on
    below), and each line in reading order with the eleven after it (a narrow cell's lines
    stay together there, where the layout puts its neighbours' words between them)."""
    pages = []
    rows: list[str] = []
    for layout, raw in zip(_pdftotext(pdf, "-layout"), _pdftotext(pdf), strict=True):
        lines = [line for line in layout.splitlines() if line.strip()]
        pages.append(("\n".join(lines[:3]), layout))
        rows += [" ".join(lines[i : i + 4]) for i in range(len(lines))]
        read = [line for line in raw.splitlines() if line.strip()]
        rows += [" ".join(read[i : i + 12]) for i in range(len(read))]
    return Read(tuple(rows), tuple(pages))


def _pdftotext(pdf: Path, *options: str) -> list[str]:
    text = subprocess.run(["pdftotext", *options, str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    return text.split("\f")


def read_workbook(path: Path) -> Read:
    book = openpyxl.load_workbook(path)
    rows = [
        " | ".join("" if v is None else str(v) for v in row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    pages = [(sheet.title, "\n".join(rows)) for sheet in book.worksheets]
    return Read(tuple(rows), tuple(pages))


def read_calendar(path: Path) -> Read:
    calendar = Calendar.from_ical(path.read_bytes())
    events = [
        " | ".join(str(event.get(key, "")) for key in ("SUMMARY", "DESCRIPTION", "CATEGORIES"))
        for event in calendar.walk("VEVENT")
    ]
    return Read(tuple(events), tuple((e.split(" | ")[0], e) for e in events))


def read_lines(text: str) -> Read:
    sections = re.split(r"\n(?=#+ )", text)
    return Read(tuple(text.splitlines()), tuple((s.splitlines()[0], s) for s in sections))


def notify_lines(printed: str) -> list[str]:
    """The lines of the Feishu posts ``--dry-run`` printed: each paragraph's text, with its
    mentions and links."""
    lines = []
    for message in re.split(r"^── .*$", printed, flags=re.M)[1:]:
        post = json.JSONDecoder().raw_decode(message.strip())[0]["content"]["post"]
        for body in post.values():
            lines.append(body["title"])
            lines += [
                "".join(span.get("text", "@" + str(span.get("user_id"))) for span in paragraph)
                for paragraph in body["content"]
            ]
    return lines


def read_notify(out: Path) -> Read:
    weekly = notify_lines((out / "notify-weekly.txt").read_text(encoding="utf-8"))
    daily = notify_lines((out / "notify-daily.txt").read_text(encoding="utf-8"))
    return Read(tuple(weekly + daily), (("weekly", "\n".join(weekly)), ("daily", "\n".join(daily))))


def json_values(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from json_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_values(item)
    elif isinstance(value, str):
        yield value


def read_json(out: Path) -> Read:
    """``--format json`` of the export and of the diff: every string value is a row."""
    values = [
        v for name in ("export.json", "diff.json")
        for v in json_values(json.loads((out / name).read_text(encoding="utf-8")))
    ]  # fmt: skip
    return Read(tuple(values), ())


READERS: dict[str, Callable[[Path], Read]] = {
    "site": lambda out: read_site(out / "site"),
    "pack": lambda out: read_pack(out / "pack.pdf"),
    "charts": lambda out: read_charts(out / "site"),
    "workbook": lambda out: read_workbook(out / "export.xlsx"),
    "calendar": lambda out: read_calendar(out / "export.ics"),
    "diff": lambda out: read_lines((out / "diff.md").read_text(encoding="utf-8")),
    "terminal": lambda out: read_lines((out / "terminal.txt").read_text(encoding="utf-8")),
    "notify": read_notify,
    "json": read_json,
}
OUTPUTS = tuple(READERS)


@pytest.fixture(scope="module")
def read(produced: Callable[[str], Path]) -> Callable[[str, str], Read]:
    return functools.cache(lambda output, lang: READERS[output](produced(lang)))


# ---------------------------------------------------------------- where each state shows


@dataclass(frozen=True)
class At:
    """Where an output shows a state: in the ``row`` (or on the ``page``) whose text has
    ``anchor`` — the item, metric or scenario in that state — or anywhere in it (``whole``)."""

    anchor: str
    scope: str = "row"


@dataclass(frozen=True)
class Absent:
    """The output does not show this state, and why."""

    reason: str


# The item of the project in each state (the shipped scenarios and EXTRA).
STATE_AT: dict[tuple[str, str], At] = {
    ("industry", "ecommerce"): At("新用户首单转化", "page"),
    ("industry", "saas"): At("低活跃客户激活", "page"),
    ("industry", "local-services"): At("门店团购引流", "page"),
    ("industry", "content"): At("新创作者冷启动", "page"),
    ("industry", "other"): At("外勤巡检试点", "page"),
    ("alert", "ok"): At("巡检完成率"),  # 90 of 95: 94.7%
    ("alert", "warning"): At("巡检及时率"),  # 78 of 90: 86.7%
    ("alert", "critical"): At("团购退款率"),
    ("alert", "no-data"): At("漏检率"),  # no observation
    ("alert", "stale"): At("巡检完成率"),  # last reading 06-05, weekly cadence
    ("action-status", "not-started"): At("巡检清单上线"),
    ("action-status", "in-progress"): At("巡检点位标识"),
    ("action-status", "done"): At("试点启动会"),
    ("action-status", "delayed"): At("巡检路线重排"),
    ("action-status", "overdue"): At("外勤培训"),  # due 06-19, in progress
    ("anomaly-status", "open"): At("巡检 App 闪退"),
    ("anomaly-status", "in-progress"): At("定位漂移"),
    ("anomaly-status", "closed"): At("登录失败"),
    ("anomaly-status", "overdue"): At("数据同步延迟"),  # due 06-18, open
    ("scenario-status", "draft"): At("自助终端筹备", "page"),
    ("scenario-status", "active"): At("外勤巡检试点", "page"),
    ("scenario-status", "closed"): At("旧热线下线", "page"),
    ("cadence", "daily"): At("审核通过后第3天"),  # an action's repeat
    ("cadence", "weekly"): At("每周三群内新品试吃"),
    ("cadence", "biweekly"): At("双周抽检"),
    ("cadence", "monthly"): At("每月18日会员日专场"),
    ("cadence", "quarterly"): At("旧热线下线", "page"),  # the closed scenario's cycle
    ("phrase", "overdue-days"): At("外勤培训"),
    ("phrase", "due-in-days"): At("巡检清单上线"),
    ("phrase", "carried-from"): At("saas-renewal-expansion", "whole"),
    ("phrase", "by-industry"): At("", "whole"),
    ("phrase", "by-owner"): At("", "whole"),
    ("phrase", "alert-week-1"): At("巡检及时率"),  # warning since its reading of 06-20
    ("phrase", "alert-weeks"): At("团购退款率"),  # critical since 06-07
    ("phrase", "change-since"): At("", "whole"),  # the dashboard's tiles
    ("phrase", "no-change"): At("", "whole"),
    ("phrase", "points"): At("团购退款率"),  # 11.8% → 11.2%
    ("phrase", "threshold-edge"): At("", "whole"),
}


def phrase_args(name: str, lang: str) -> dict[str, object]:
    level = {k: t.get(lang) for k, t in STATES["alert"].items()}
    return {
        "overdue-days": {"days": 3, "due": "2026-06-19"},
        "due-in-days": {"days": 3},
        "carried-from": {"date": "2026-05-01"},
        "alert-week-1": {"level": level["warning"], "since": "06-20"},
        "alert-weeks": {"level": level["critical"], "weeks": 3, "since": "06-07"},
        "change-since": {"change": "+6", "date": "06-15"},  # the overdue actions' tile
        "points": {"value": "0.6"},
        "threshold-edge": {"warn": "90%", "critical": "80%"},
    }.get(name, {})


def expected_word(kind: str, code: str, lang: str) -> str:
    if kind == "phrase":
        return PHRASES[code].get(lang).format(**phrase_args(code, lang))
    return STATES[kind][code].get(lang)


def cases() -> list[tuple[str, str]]:
    found = [(kind, code) for kind in STATES for code in STATES[kind]]
    return found + [("phrase", name) for name in PHRASES]


def located(read: Read, at: At) -> list[str]:
    if at.scope == "whole":
        return [read.whole]
    pages = [text for heading, text in read.pages if at.scope == "page" and at.anchor in heading]
    if pages:
        return pages
    return [row for row in read.rows if flat(at.anchor) in flat(row)]


def _ids(pairs: dict[tuple[str, str], str]) -> dict[tuple[str, str], At]:
    return {key: At(f"other-field-drill/{item}") for key, item in pairs.items()}


# Where an output shows a state at another item than STATE_AT's (its own layout or data).
ELSEWHERE: dict[str, dict[tuple[str, str], At]] = {
    "charts": {
        **{("industry", code): At("portfolio/achievement-by-industry", "page")
           for code in STATES["industry"]},
        # the levels are the alerts chart's legend (and the dots' key of the portfolio charts)
        **{("alert", code): At("portfolio/alerts", "page")
           for code in ("ok", "warning", "critical", "no-data")},
        ("phrase", "by-industry"): At("portfolio/achievement-by-industry", "page"),
        ("phrase", "by-owner"): At("portfolio/achievement-by-owner", "page"),
    },
    "diff": {  # the items the change moved (BASE_EDITS)
        ("alert", "critical"): At("巡检完成率"),  # 70% → 90%: critical → on track
        ("action-status", "in-progress"): At("巡检清单上线"),  # in progress → not started
    },
    # import-xlsx names an item by scenario/id
    "terminal": _ids({
        ("action-status", "not-started"): "checklist", ("action-status", "in-progress"): "audit",
        ("action-status", "done"): "kickoff", ("action-status", "delayed"): "route-plan",
        ("anomaly-status", "open"): "gps-drift", ("anomaly-status", "in-progress"): "app-crash",
        ("anomaly-status", "closed"): "login",
    }),
}  # fmt: skip

_NO_ANOMALIES = "no chart draws an anomaly"
_EVENTS = "the calendar holds dated deadlines and reviews, each with its item's status"
_FINISHED = "a calendar reminds of what is still to do: a finished item's event leaves it"
_LEVELS = "a level is not a deadline: no event carries a metric's level"
_DIGEST = "the digest lists the alerts (warning, critical) and the overdue and due items"
_DUE = "an item due this week is listed with its due date, in the outputs' own Due column"
_DIFF = "the diff compares the two sides' items: it names what changed, not a scenario's card"
_IMPORT = "import-xlsx reports the statuses it writes to the YAML, nothing computed"
_MOVES = "movement since the last review is the site's, the pack's and the digest's"
_CARD = "a scenario's card (industry, status, cycle cadence) is on its page"
_ONLY_SITE_PACK = "stated where the levels are explained: the site's dashboard and the pack"
_CARRIED = "shown with the carried action on the site and in the pack"

# The outputs that do not show a state, and why: together with the rest, every (state,
# output) has exactly one entry, so the matrix is complete.
ABSENT: dict[str, dict[tuple[str, str], str]] = {
    "site": {
        ("phrase", "due-in-days"): _DUE,
    },
    "pack": {
        ("phrase", "change-since"): "the dashboard's tiles are the site's; the pack's cover "
                                    "says the biggest move",
        ("phrase", "no-change"): "the pack lists what moved; an unmoved metric is not listed",
        ("phrase", "by-industry"): "a chart title: printed in the chart, as the charts show",
        ("phrase", "by-owner"): "a chart title: printed in the chart, as the charts show",
    },
    "charts": {
        ("alert", "stale"): "a chart draws the readings and dates the last one on its axis; "
                            "the stale mark is beside the chart, on the page",
        **{("anomaly-status", code): _NO_ANOMALIES for code in STATES["anomaly-status"]},
        **{("scenario-status", code): "no chart shows a scenario's status"
           for code in STATES["scenario-status"]},
        ("cadence", "quarterly"): "only a cycle is quarterly (actions repeat at most monthly), "
                                  "and no chart draws a cycle's cadence",
        ("phrase", "overdue-days"): "the action timeline marks an overdue action with its status",
        ("phrase", "due-in-days"): _DUE,
        ("phrase", "carried-from"): _CARRIED,
        ("phrase", "alert-week-1"): _MOVES, ("phrase", "alert-weeks"): _MOVES,
        ("phrase", "change-since"): _MOVES, ("phrase", "no-change"): _MOVES,
        ("phrase", "points"): _MOVES,
        ("phrase", "threshold-edge"): _ONLY_SITE_PACK,
    },
    "workbook": {
        ("phrase", "overdue-days"): "the Overdue column flags it; a cell keeps its due date",
        ("phrase", "due-in-days"): _DUE,
        ("phrase", "carried-from"): _CARRIED,
        ("phrase", "by-industry"): "a chart title", ("phrase", "by-owner"): "a chart title",
        ("phrase", "alert-week-1"): _MOVES, ("phrase", "alert-weeks"): _MOVES,
        ("phrase", "change-since"): _MOVES, ("phrase", "no-change"): _MOVES,
        ("phrase", "points"): _MOVES,
        ("phrase", "threshold-edge"): _ONLY_SITE_PACK,
    },
    "calendar": {
        **{("industry", code): _CARD for code in STATES["industry"]},
        **{("alert", code): _LEVELS for code in STATES["alert"]},
        **{("scenario-status", code): _CARD for code in STATES["scenario-status"]},
        **{("cadence", code): "a recurring action has no date to put in a calendar; a cycle's "
                              "cadence is on its page" for code in STATES["cadence"]},
        ("action-status", "done"): _FINISHED, ("anomaly-status", "closed"): _FINISHED,
        ("phrase", "overdue-days"): "an event is on its own date: the calendar app shows how "
                                    "long ago that was",
        ("phrase", "due-in-days"): "an event is on its own date",
        ("phrase", "carried-from"): _CARRIED,
        ("phrase", "by-industry"): "a chart title", ("phrase", "by-owner"): "a chart title",
        ("phrase", "alert-week-1"): _LEVELS, ("phrase", "alert-weeks"): _LEVELS,
        ("phrase", "change-since"): _MOVES, ("phrase", "no-change"): _MOVES,
        ("phrase", "points"): _MOVES,
        ("phrase", "threshold-edge"): _ONLY_SITE_PACK,
    },
    "diff": {
        **{("industry", code): _DIFF for code in STATES["industry"]},
        ("alert", "stale"): "both sides are evaluated on one as-of date: staleness is not a "
                            "change of the files",
        **{("anomaly-status", code): "an anomaly's change is named as an event (opened, "
                                     "closed, newly overdue with the overdue phrase)"
           for code in STATES["anomaly-status"]},
        **{("scenario-status", code): _DIFF for code in STATES["scenario-status"]},
        **{("cadence", code): _DIFF for code in STATES["cadence"]},
        ("phrase", "due-in-days"): _DUE,
        ("phrase", "carried-from"): _DIFF,
        ("phrase", "by-industry"): "a chart title", ("phrase", "by-owner"): "a chart title",
        ("phrase", "alert-week-1"): _DIFF, ("phrase", "alert-weeks"): _DIFF,
        ("phrase", "change-since"): "the diff shows before → after",
        ("phrase", "no-change"): "the diff lists only what changed",
        ("phrase", "points"): "the diff shows before → after, not the difference",
        ("phrase", "threshold-edge"): _ONLY_SITE_PACK,
    },
    "terminal": {
        **{("industry", code): _IMPORT for code in STATES["industry"]},
        **{("alert", code): _IMPORT for code in STATES["alert"]},
        ("action-status", "overdue"): _IMPORT,
        ("anomaly-status", "overdue"): _IMPORT,
        **{("scenario-status", code): _IMPORT for code in STATES["scenario-status"]},
        **{("cadence", code): _IMPORT for code in STATES["cadence"]},
        **{("phrase", name): _IMPORT for name in PHRASES},
    },
    "notify": {
        **{("industry", code): _DIGEST for code in STATES["industry"]},
        ("alert", "ok"): _DIGEST, ("alert", "no-data"): _DIGEST, ("alert", "stale"): _DIGEST,
        **{("action-status", code): _DIGEST
           for code in ("not-started", "in-progress", "done", "delayed")},
        **{("anomaly-status", code): _DIGEST for code in ("open", "in-progress", "closed")},
        **{("scenario-status", code): _DIGEST for code in STATES["scenario-status"]},
        **{("cadence", code): _DIGEST for code in STATES["cadence"]},
        ("phrase", "due-in-days"): _DUE,
        ("phrase", "carried-from"): _DIGEST,
        ("phrase", "by-industry"): "a chart title", ("phrase", "by-owner"): "a chart title",
        ("phrase", "alert-week-1"): _DIGEST, ("phrase", "alert-weeks"): _DIGEST,
        ("phrase", "change-since"): _DIGEST, ("phrase", "no-change"): _DIGEST,
        ("phrase", "threshold-edge"): _ONLY_SITE_PACK,
    },
    "json": {
        # JSON is for programs: it carries the state's code (tested below), never a word
        **{("phrase", name): "JSON carries dates and numbers, never a sentence"
           for name in PHRASES},
    },
}  # fmt: skip


def matrix() -> list[tuple[str, str, str]]:
    """(kind, code, output) for every state an output shows."""
    return [
        (kind, code, output)
        for output in OUTPUTS
        for kind, code in cases()
        if (kind, code) not in ABSENT[output] and output != "json"
    ]


def test_the_matrix_is_complete() -> None:
    """Every state word is in the table once, and every (state, output) is either shown or
    listed as absent with its reason."""
    assert set(STATE_AT) == set(cases())
    for output in OUTPUTS:
        assert set(ABSENT[output]) <= set(cases()), output
        assert all(reason.strip() for reason in ABSENT[output].values())
        assert set(ELSEWHERE.get(output, {})).isdisjoint(ABSENT[output]), output
    words = {(k, c, lang): expected_word(k, c, lang) for k, c in cases() for lang in LANGS}
    assert all(words.values())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("kind", "code", "output"), matrix())
def test_every_output_shows_the_one_word(
    read: Callable[[str, str], Read], kind: str, code: str, output: str, lang: str
) -> None:
    at = ELSEWHERE.get(output, {}).get((kind, code), STATE_AT[(kind, code)])
    word = expected_word(kind, code, lang)
    units = located(read(output, lang), at)
    assert units, f"{output} ({lang}) has nothing for {at}"
    assert any(flat(word) in flat(unit) for unit in units), (word, units[:5])


def _json_flags(value: object) -> Iterator[str]:
    """The keys of every JSON object member that is ``true``."""
    if isinstance(value, dict):
        for key, item in value.items():
            if item is True:
                yield key
            yield from _json_flags(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_flags(item)


# A state JSON carries as a flag, not as a code.
JSON_FLAGS = {("alert", "stale"): "stale", ("anomaly-status", "overdue"): "overdue"}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("kind", "code"), [c for c in cases() if c[0] != "phrase"])
def test_json_carries_the_code_never_the_word(
    produced: Callable[[str], Path], read: Callable[[str, str], Read], kind: str, code: str,
    lang: str,
) -> None:  # fmt: skip
    out = produced(lang)
    if (kind, code) in JSON_FLAGS:
        catalog = json.loads((out / "export.json").read_text(encoding="utf-8"))
        assert JSON_FLAGS[kind, code] in set(_json_flags(catalog))
    else:
        assert code in read("json", lang).rows
    assert expected_word(kind, code, "zh-CN") not in read("json", lang).rows


def test_the_catalog_json_is_the_same_in_both_languages(produced: Callable[[str], Path]) -> None:
    english, chinese = (produced(lang) / "export.json" for lang in ("en", "zh-CN"))
    assert english.read_bytes() == chinese.read_bytes()


# Words some output once used for a state the vocabulary names otherwise: none may come back.
RETIRED = {
    "zh-CN": r"暂无数据|数据过期|处理中|起逾期|按行业达成(?!率)|按负责人达成(?!率)",
    "en": r"[Nn]o data yet|pts achievement|\bOK\b",
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("output", OUTPUTS)
def test_no_output_uses_a_retired_word(
    read: Callable[[str, str], Read], output: str, lang: str
) -> None:
    assert re.findall(RETIRED[lang], read(output, lang).whole) == []
