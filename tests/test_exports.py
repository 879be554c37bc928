"""``opsbook export --format json|xlsx|ics`` and ``opsbook import-xlsx``, through the CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import jsonschema
import openpyxl
import pytest
from icalendar import Calendar

from conftest import ROOT, SCENARIOS

Run = Callable[..., CompletedProcess[str]]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The shipped scenarios and mkdocs.yml (as-of 2026-06-22) in a folder of their own."""
    root = tmp_path / "project"
    shutil.copytree(SCENARIOS, root / "scenarios")
    shutil.copy(ROOT / "mkdocs.yml", root)
    return root


def scenario_bytes(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "scenarios").glob("*.yaml"))}


def export(run: Run, root: Path, fmt: str, name: str, *extra: str) -> Path:
    result = run("export", "--format", fmt, "-o", name, *extra, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    # the closing line is in the project's language (the shipped one's is zh-CN)
    assert result.stderr in (
        f"opsbook：已导出 1 个文件，位于 {name}\n",
        f"opsbook: 1 files written to {name}\n",
    )
    return root / name


# JSON.


def test_json_validates_against_its_schema_and_carries_computed_fields(
    run_opsbook: Run, project: Path
) -> None:
    path = export(run_opsbook, project, "json", "catalog.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "schema" / "catalog.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == data["$schema"] == "https://opsbook.dev/schema/catalog.schema.json"
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert [e.message for e in validator.iter_errors(data)] == []
    assert list(data) == ["$schema", "format", "as_of", "team", "summary", "scenarios"]
    assert data["as_of"] == "2026-06-22"
    assert data["summary"] == {
        "scenarios": 10,
        "alerts": {"ok": 5, "warning": 2, "critical": 3, "no-data": 0},
        "overdue_actions": 9,
        "overdue_anomalies": 5,
        "stale_metrics": 0,
    }
    first = next(s for s in data["scenarios"] if s["id"] == "ecommerce-new-user-first-order")
    metrics = {m["id"]: m["computed"] for m in first["metrics"]}
    assert metrics["first-order-cr"] == {
        "actual": 18, "updated": "2026-06-20", "achievement": 0.9, "alert": "ok",
        "stale": False, "met": False,
    }  # fmt: skip
    assert metrics["coupon-redemption"]["achievement"] == 0.7375
    assert metrics["coupon-redemption"]["alert"] == "critical"
    actions = {a["id"]: a["computed"] for a in first["actions"]}
    assert actions["simple-checkout"] == {"overdue": True, "effective_status": "overdue"}
    assert actions["coupon-pack"] == {"overdue": False, "effective_status": "done"}
    assert first["anomalies"][0]["computed"] == {"open": True, "overdue": True}
    assert first["computed"]["alert"] == "critical"
    again = export(run_opsbook, project, "json", "again.json")
    assert again.read_bytes() == path.read_bytes()


def test_json_schema_rejects_what_the_export_never_writes() -> None:
    schema = json.loads((ROOT / "schema" / "catalog.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid({"format": 1})
    metric = schema["$defs"]["metric"]["properties"]["computed"]
    assert metric["required"] == ["actual", "updated", "achievement", "alert", "stale", "met"]


# Excel.


def test_xlsx_workbook_layout(run_opsbook: Run, project: Path) -> None:
    path = export(run_opsbook, project, "xlsx", "review.xlsx", "--lang", "en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "T1 needs",
        "T2 actions",
        "T3 monitoring",
        "T4 review",
        "anomalies",
        "about",
    ]
    ws = wb["T2 actions"]
    assert [c.value for c in ws[1]] == [
        "Scenario id", "Action id", "Scenario", "Strategy", "Action", "Owner", "Start", "Due",
        "Repeats", "Standard", "Status", "Effective status (computed)", "Overdue (computed)",
    ]  # fmt: skip
    assert ws.freeze_panes == "C2"
    fit = (ws.sheet_properties.pageSetUpPr.fitToPage, ws.page_setup.fitToHeight)
    # one page wide: fitToWidth absent means 1 (ECMA-376 CT_PageSetup's default)
    assert fit == (True, 0) and ws.page_setup.fitToWidth in (None, 1)
    assert (ws.page_setup.orientation, ws.page_setup.paperSize, ws.print_title_rows) == (
        "landscape", 9, "$1:$1",
    )  # fmt: skip
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb[-6:] == "1F4E79"  # ARGB
    assert ws["L2"].fill.fgColor.rgb[-6:] == "D9D9D9"  # computed: dark grey
    assert ws["K2"].fill.fill_type is None  # input: white
    rows = {(r[0].value, r[1].value): r for r in ws.iter_rows(min_row=2)}
    assert len(rows) == ws.max_row - 1 == 49
    roi = rows[("saas-renewal-expansion", "roi-report")][0].row  # long English text wraps
    # two lines of 16 points, as whole pixels (XlsxWriter sizes rows as Excel does)
    assert ws.row_dimensions[roi].height == pytest.approx(32, abs=0.5)
    checkout = rows[("ecommerce-new-user-first-order", "simple-checkout")]
    assert [c.value for c in checkout[10:]] == ["In progress", "Overdue", "Overdue"]
    assert (
        checkout[7].value == dt.datetime(2026, 6, 12) and checkout[7].number_format == "yyyy-mm-dd"
    )
    assert checkout[5].value == "孙浩 (eng.sun)"
    [status] = ws.data_validations.dataValidation
    assert (status.type, status.formula1, str(status.sqref)) == (
        "list", '"Not started,In progress,Done,Delayed"', "K2:K250",
    )  # fmt: skip
    rules = [(str(cf.sqref), r.formula) for cf in ws.conditional_formatting for r in cf.rules]
    assert rules == [("A2:M50", ['$M2<>""'])]
    monitoring = wb["T3 monitoring"]
    rules = [
        (str(cf.sqref), r.formula) for cf in monitoring.conditional_formatting for r in cf.rules
    ]
    assert rules == [("A2:N22", ['$K2="Critical"']), ("A2:N22", ['$K2="Warning"']),
                     ("A2:N22", ['$L2<>""'])]  # fmt: skip
    assert monitoring["J5"].value == 0.7375 and monitoring["J5"].number_format == "0.0%"
    # Widths count CJK characters double: the "Scenario" column fits its longest title.
    titles = [r[2].value for r in ws.iter_rows(min_row=2)]
    widest = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in t) for t in titles)
    # stored as Excel stores a column that shows that many characters: 5 pixels of padding
    assert ws.column_dimensions["C"].width == pytest.approx(min(48, widest + 2) + 5 / 7, abs=0.01)


def test_xlsx_speaks_chinese_and_is_deterministic(run_opsbook: Run, project: Path) -> None:
    first = export(run_opsbook, project, "xlsx", "a.xlsx").read_bytes()
    time.sleep(2.1)  # zip timestamps have a two-second resolution
    second = export(run_opsbook, project, "xlsx", "b.xlsx").read_bytes()
    assert first == second
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert {i.date_time for i in archive.infolist()} == {(2026, 6, 22, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode()
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2026-06-22T00:00:00Z<' in core
    assert '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-06-22T00:00:00Z<' in core
    wb = openpyxl.load_workbook(io.BytesIO(first))
    assert wb.sheetnames == [
        "T1 需求分析",
        "T2 运营流程",
        "T3 执行监控",
        "T4 效果评估",
        "异常",
        "说明",
    ]
    assert [c.value for c in wb["异常"][1]][-3:] == ["状态", "关闭日期", "逾期（计算）"]
    [status] = wb["异常"].data_validations.dataValidation
    assert status.formula1 == '"待处理,进行中,已关闭"'


def test_xlsx_round_trip_without_edits_changes_no_file(run_opsbook: Run, project: Path) -> None:
    before = scenario_bytes(project)
    for lang in ("en", "zh-CN"):
        export(run_opsbook, project, "xlsx", f"review-{lang}.xlsx", "--lang", lang)
        result = run_opsbook("import-xlsx", f"review-{lang}.xlsx", "--lang", "en", cwd=project)
        assert (result.returncode, result.stdout) == (0, "no file changed\n")
        assert scenario_bytes(project) == before


def _edit(
    path: Path, sheet: str, edits: dict[str, object], append: list[object] | None = None
) -> None:
    wb = openpyxl.load_workbook(path)
    for cell, value in edits.items():
        wb[sheet][cell] = value
    if append:
        wb[sheet].append(append)
    wb.save(path)


def _row(path: Path, sheet: str, *ids: str) -> int:
    ws = openpyxl.load_workbook(path)[sheet]
    return next(
        r[0].row for r in ws.iter_rows(min_row=2) if tuple(c.value for c in r[: len(ids)]) == ids
    )


def test_xlsx_import_writes_statuses_actuals_and_reviews(run_opsbook: Run, project: Path) -> None:
    path = export(run_opsbook, project, "xlsx", "review.xlsx")
    first = "ecommerce-new-user-first-order"
    n = _row(path, "T2 运营流程", first, "simple-checkout")
    _edit(path, "T2 运营流程", {f"K{n}": "已完成"})
    n = _row(path, "T3 执行监控", first, "first-order-cr")
    _edit(
        path,
        "T3 执行监控",
        {f"G{n}": dt.datetime(2026, 6, 27), f"H{n}": 19.2, f"I{n}": "门槛下调后回升, 仍低于目标"},
    )
    n = _row(path, "异常", first, "signup-button")
    _edit(path, "异常", {f"J{n}": "Closed", f"K{n}": dt.datetime(2026, 6, 21)})
    n = _row(path, "T4 效果评估", first)
    _edit(path, "T4 效果评估", {f"G{n}": "简化下单流程使转化率提升5%\n短信触达率92%"}, append=[
        first, dt.datetime(2026, 6, 15), dt.datetime(2026, 6, 21), "新用户首单转化", "周复盘",
        "首单转化率18%", "按钮改色", None, "继续A/B测试", "李娜 (ops.li)",
    ])  # fmt: skip
    others = {k: v for k, v in scenario_bytes(project).items() if k != f"{first}.yaml"}
    before = (project / "scenarios" / f"{first}.yaml").read_text(encoding="utf-8")
    result = run_opsbook("import-xlsx", "review.xlsx", "--lang", "en", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == (
        f"{first}/simple-checkout: status In progress → Done\n"
        f"{first}/first-order-cr: 2026-06-27 = 19.2 (门槛下调后回升, 仍低于目标)\n"
        f"{first}: review 2026-06-01–2026-06-30 updated\n"
        f"{first}: review 2026-06-15–2026-06-21 added\n"
        f"{first}/signup-button: status Open → Closed\n"
        f"{first}/signup-button: closed on 2026-06-21\n"
        "6 change(s) written to 1 file(s)\n"
    )
    expected = (
        before.replace("    standard: 06-12前上线并通过测试，必填项 ≤ 3\n    status: in-progress\n",
                       "    standard: 06-12前上线并通过测试，必填项 ≤ 3\n    status: done\n")
        .replace("      - {date: 2026-06-20, value: 18, cause: 新人券门槛设置过高}\n",
                 "      - {date: 2026-06-20, value: 18, cause: 新人券门槛设置过高}\n"
                 '      - {date: 2026-06-27, value: 19.2, cause: "门槛下调后回升, 仍低于目标"}\n')
        .replace("    status: open\n    action: button-contrast\n",
                 "    status: closed\n    action: button-contrast\n    closed: 2026-06-21\n")
        .replace("    worked: [简化下单流程使转化率提升5%]\n",
                 "    worked: [简化下单流程使转化率提升5%, 短信触达率92%]\n")
        .replace("    owner: ops.li\n\nsop:\n",
                 "    owner: ops.li\n  - period: {start: 2026-06-15, end: 2026-06-21}\n"
                 "    kind: weekly\n    attainment: 首单转化率18%\n    worked: [按钮改色]\n"
                 "    problems: []\n    measures: [继续A/B测试]\n    owner: ops.li\n\nsop:\n")
    )  # fmt: skip
    assert (project / "scenarios" / f"{first}.yaml").read_text(encoding="utf-8") == expected
    assert {k: v for k, v in scenario_bytes(project).items() if k != f"{first}.yaml"} == others
    assert run_opsbook("check", "scenarios", cwd=project).returncode == 0
    again = run_opsbook("import-xlsx", "review.xlsx", "--lang", "en", cwd=project)
    assert (again.returncode, again.stdout) == (0, "no file changed\n")


def test_xlsx_import_validates_everything_and_writes_nothing(
    run_opsbook: Run, project: Path
) -> None:
    path = export(run_opsbook, project, "xlsx", "review.xlsx", "--lang", "en")
    first = "ecommerce-new-user-first-order"
    a = _row(path, "T2 actions", first, "simple-checkout")
    b = _row(path, "T2 actions", first, "coupon-pack")
    _edit(path, "T2 actions", {f"K{a}": "doing", f"B{b}": "no-such-action", f"E{a}": "rewritten"})
    m = _row(path, "T3 monitoring", first, "first-order-cr")
    _edit(path, "T3 monitoring", {f"G{m}": "next week", f"H{m}": "19%"})
    r = _row(path, "T4 review", first)
    _edit(path, "T4 review", {f"J{r}": "Nobody"})
    t = _row(path, "T1 needs", first)
    _edit(path, "T1 needs", {f"F{t}": "首单转化率 ≥ 20%，复购率 ≥ 30%"})
    x = _row(path, "anomalies", first, "signup-button")
    _edit(path, "anomalies", {f"J{x}": "Done", f"A{x}": "missing-scenario"})
    before = scenario_bytes(project)
    result = run_opsbook("import-xlsx", "review.xlsx", "--lang", "en", cwd=project)
    assert result.returncode == 1
    assert result.stdout == (
        f"review.xlsx!T1 needs!F{t}: error: column 'Core goal' is read-only in the workbook; "
        f"change it in scenarios/{first}.yaml\n"
        f"review.xlsx!T2 actions!B{b}: error: scenario '{first}' has no item 'no-such-action' in actions\n"
        f"review.xlsx!T2 actions!E{a}: error: column 'Action' is read-only in the workbook; "
        f"change it in scenarios/{first}.yaml\n"
        f"review.xlsx!T2 actions!K{a}: error: 'doing' is not one of Not started, In progress, Done, Delayed\n"
        f"review.xlsx!T3 monitoring!G{m}: error: 'next week' is not a date; write YYYY-MM-DD\n"
        f"review.xlsx!T3 monitoring!H{m}: error: '19%' is not a number (column 'Actual')\n"
        f"review.xlsx!T4 review!J{r}: error: 'Nobody' is not a person in the team directory\n"
        f"review.xlsx!anomalies!A{x}: error: there is no scenario 'missing-scenario'\n"
        f"review.xlsx!anomalies!J{x}: error: 'Done' is not one of Open, In progress, Closed\n"
        "9 error(s): nothing written\n"
    )
    assert scenario_bytes(project) == before


def test_xlsx_import_refuses_files_that_are_not_workbooks(run_opsbook: Run, project: Path) -> None:
    (project / "notes.xlsx").write_text("not a workbook", encoding="utf-8")
    result = run_opsbook("import-xlsx", "notes.xlsx", "--lang", "en", cwd=project, input=None)
    assert result.returncode == 1
    assert result.stdout.startswith("notes.xlsx: error: not an Excel workbook (.xlsx): ")
    assert result.stdout.endswith("1 error(s): nothing written\n")


# Calendar.


def _events(path: Path) -> dict[str, Any]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def _attendees(event: Any) -> list[str]:
    found = event.get("ATTENDEE", [])
    return [str(a) for a in (found if isinstance(found, list) else [found])]


def _assert_folded(data: bytes) -> None:
    """RFC 5545 3.1: CRLF line ends, content lines folded at 75 octets."""
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 75


def test_ics_has_due_dates_deadlines_and_review_meetings(run_opsbook: Run, project: Path) -> None:
    path = export(run_opsbook, project, "ics", "calendar.ics")
    calendar = Calendar.from_ical(path.read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == "星河增长运营中心 · 运营日历"
    assert str(calendar["PRODID"]) == "-//opsbook//operations calendar//EN"
    events = _events(path)
    first = "ecommerce-new-user-first-order"
    due = events["action.ecommerce-new-user-first-order.simple-checkout@opsbook"]
    assert str(due["SUMMARY"]) == "截止：下单必填项精简至3项"
    assert due.decoded("DTSTART") == dt.date(2026, 6, 12)
    assert "DTEND" not in due and due.end == dt.date(2026, 6, 13)  # all day: RFC 5545 3.6.1
    assert due.decoded("DTSTAMP") == dt.datetime(2026, 6, 22, tzinfo=dt.UTC)
    assert str(due["ORGANIZER"]) == "mailto:li.na@example.com"
    assert str(due["ORGANIZER"].params["CN"]) == "李娜"
    assert str(due["ATTENDEE"]) == "urn:opsbook:person:eng.sun"
    assert str(due["ATTENDEE"].params["CN"]) == "孙浩"
    assert str(due["DESCRIPTION"]) == (
        "场景：新用户首单转化\n策略：简化下单流程\n交付标准：06-12前上线并通过测试，必填项 ≤ 3\n"
        "状态：已逾期\n负责人：孙浩\n"
        "SOP 页面：https://ops.example.com/scenarios/ecommerce-new-user-first-order/"
    )
    # done and closed: nothing left to remind of (the SOP page keeps their record)
    assert f"action.{first}.coupon-pack@opsbook" not in events  # done on 06-10
    assert "anomaly.ecommerce-high-repurchase-retention.gold-delivery-delay@opsbook" not in events
    assert len([uid for uid in events if uid.startswith(("action.", "anomaly."))]) == 25
    fix = events["anomaly.ecommerce-new-user-first-order.signup-button@opsbook"]
    assert str(fix["SUMMARY"]) == "异常处理截止：注册转化率低"
    assert fix.decoded("DTSTART") == dt.date(2026, 6, 18)
    reviews = sorted(
        (e.decoded("DTSTART").isoformat(), e.get("RRULE"))
        for uid, e in events.items()
        if uid.split(".")[0] in ("review", "cycle-review")
        and uid.split("@")[0].split(".")[1] == first
    )
    # the weekly reviews 06-08 to 06-29 as one recurring event, the cycle review on 06-30
    assert reviews == [("2026-06-08", {"FREQ": ["WEEKLY"], "COUNT": [4]}), ("2026-06-30", None)]
    meeting = events["review.ecommerce-new-user-first-order@opsbook"]
    attendees = [str(a.params["CN"]) for a in meeting["ATTENDEE"]]
    assert attendees == ["李娜", "孙浩", "刘洋", "王芳", "徐涛"]  # the team's calendar: everyone
    assert all(set(a.params) == {"CN"} for a in meeting["ATTENDEE"])  # ROLE: the default
    assert str(meeting["SUMMARY"]) == "复盘：新用户首单转化"
    assert str(meeting["DESCRIPTION"]) == (
        "周期：2026-06-01 至 2026-06-30\n负责人：李娜\n"
        "SOP 页面：https://ops.example.com/scenarios/ecommerce-new-user-first-order/"
    )
    _assert_folded(path.read_bytes())
    assert all(
        e.decoded("DTSTAMP") == dt.datetime(2026, 6, 22, tzinfo=dt.UTC) for e in events.values()
    )
    assert export(run_opsbook, project, "ics", "again.ics").read_bytes() == path.read_bytes()


def test_ics_per_person_with_site_url(run_opsbook: Run, project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "site_url: https://ops.example.com/\n", "site_url: https://ops.example.com/kb/\n"
        ),
        encoding="utf-8",
    )
    path = export(run_opsbook, project, "ics", "emma.ics", "--person", "ops.emma", "--lang", "en")
    calendar = Calendar.from_ical(path.read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == "Emma Clarke · operations calendar"
    events = list(calendar.walk("VEVENT"))
    # her 3 open deadlines (2 actions, an anomaly; her 2 done actions: none), the weekly
    # reviews (one series), the cycle review
    assert len(events) == 5
    emma = "mailto:emma.clarke@example.com"
    for event in events:
        assert emma in [str(event["ORGANIZER"]), *_attendees(event)]
        assert str(event["DESCRIPTION"]).endswith(
            "SOP page: https://ops.example.com/kb/scenarios/saas-renewal-expansion/"
        )
        assert "URL" not in event
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert [s.split(":")[0] for s in summaries] == [
        "Cycle review",
        "Due",
        "Due",
        "Fix by today",
        "Review",
    ]
    team = _events(export(run_opsbook, project, "ics", "team.ics", "--lang", "en"))
    _assert_person_feed_is_the_team_feed_cut_to(_events(path), team, emma)
    unknown = run_opsbook(
        "export", "--format", "ics", "-o", "x.ics", "--person", "nobody", cwd=project
    )
    assert unknown.returncode == 2
    assert "--person nobody: not in the team directory" in unknown.stderr
    wrong = run_opsbook(
        "export", "--format", "json", "-o", "x.json", "--person", "ops.li", cwd=project
    )
    assert wrong.returncode == 2
    assert "--person: only with --format ics" in wrong.stderr
    assert not (project / "x.ics").exists() and not (project / "x.json").exists()


def _assert_person_feed_is_the_team_feed_cut_to(
    mine: dict[str, Any], team: dict[str, Any], me: str
) -> None:
    """A person's calendar: exactly the team's events they organise or attend, each the same
    event but for ATTENDEE, which names only them (nobody when they only organise it)."""
    involved = {u for u, e in team.items() if me in [str(e["ORGANIZER"]), *_attendees(e)]}
    assert set(mine) == involved
    for uid, event in mine.items():
        assert _attendees(event) == [a for a in _attendees(team[uid]) if a == me]
        assert {k: v for k, v in event.items() if k != "ATTENDEE"} == {
            k: v for k, v in team[uid].items() if k != "ATTENDEE"
        }


def test_person_feed_names_only_that_person(run_opsbook: Run, project: Path) -> None:
    team = _events(export(run_opsbook, project, "ics", "team.ics"))
    li_path = export(run_opsbook, project, "ics", "li.ics", "--person", "ops.li")
    li, li_na = _events(li_path), "mailto:li.na@example.com"
    _assert_person_feed_is_the_team_feed_cut_to(li, team, li_na)
    meeting = "review.ecommerce-new-user-first-order@opsbook"
    assert len(_attendees(team[meeting])) == 5 and _attendees(li[meeting]) == [li_na]
    assert str(li[meeting]["ATTENDEE"].params["CN"]) == "李娜"
    # Li organises Sun's task: her calendar has it, with no attendee; Sun's names him.
    task = "action.ecommerce-new-user-first-order.simple-checkout@opsbook"
    assert str(li[task]["ORGANIZER"]) == li_na and _attendees(li[task]) == []
    sun = _events(export(run_opsbook, project, "ics", "sun.ics", "--person", "eng.sun"))
    assert _attendees(sun[task]) == ["urn:opsbook:person:eng.sun"]
    assert str(sun[meeting]["ORGANIZER"]) == li_na
    assert _attendees(sun[meeting]) == ["urn:opsbook:person:eng.sun"]
    _assert_folded(li_path.read_bytes())


def test_person_export_is_the_published_feed(run_opsbook: Run, project: Path) -> None:
    from opsbook.model.catalog import load_catalog
    from opsbook.site.downloads import CALENDAR_PATH, person_calendar_path, site_files
    from opsbook.site.generate import SiteSettings

    catalog, _ = load_catalog([project / "scenarios"], as_of=dt.date(2026, 6, 22))
    assert catalog is not None
    # the published site's address, from mkdocs.yml, is in every event's link
    site = SiteSettings(lang="zh-CN", options={"site_url": "https://ops.example.com/"})
    files = dict(site_files(catalog, site))
    for person in ("ops.li", "eng.sun", "ops.emma"):
        path = export(run_opsbook, project, "ics", f"{person}.ics", "--person", person)
        assert path.read_bytes() == files[person_calendar_path(person)]
    assert export(run_opsbook, project, "ics", "team.ics").read_bytes() == files[CALENDAR_PATH]


def test_site_publishes_the_exports() -> None:
    from opsbook.exports.catalog_json import catalog_json
    from opsbook.model.catalog import load_catalog
    from opsbook.site.downloads import site_files
    from opsbook.site.generate import CONTRIBUTORS, SiteSettings

    assert "opsbook.site.downloads:site_files" in CONTRIBUTORS
    catalog, _ = load_catalog([SCENARIOS], as_of=dt.date(2026, 6, 22))
    assert catalog is not None
    files = dict(site_files(catalog, SiteSettings(lang="zh-CN")))
    people = sorted(p for p in files if p.startswith("people/"))
    assert people[:3] == ["people/content.ma.ics", "people/content.tang.ics", "people/cs.he.ics"]
    assert len(people) == 15
    assert files["catalog.json"] == catalog_json(catalog, compact=True)
    assert json.loads(files["catalog.json"]) == json.loads(catalog_json(catalog))
    assert len(files["catalog.json"]) < 0.8 * len(catalog_json(catalog))
    team = Calendar.from_ical(files["calendar.ics"])
    li = Calendar.from_ical(files["people/ops.li.ics"])
    assert len(list(team.walk("VEVENT"))) == 45  # 18 deadlines met or closed: none
    assert 0 < len(list(li.walk("VEVENT"))) < 45
    assert openpyxl.load_workbook(io.BytesIO(files["opsbook.xlsx"])).sheetnames[0] == "T1 需求分析"


def test_catalog_json_written_a_scenario_at_a_time_is_json_dumps_of_the_document() -> None:
    from opsbook.exports.catalog_json import catalog_document, catalog_json
    from opsbook.model.catalog import load_catalog

    catalog, _ = load_catalog([SCENARIOS], as_of=dt.date(2026, 6, 22))
    assert catalog is not None and len(catalog.scenarios) > 1
    document = catalog_document(catalog)
    for compact, layout in ((True, {"separators": (",", ":")}), (False, {"indent": 2})):
        whole = json.dumps(document, ensure_ascii=False, allow_nan=False, **layout)  # type: ignore[arg-type]
        assert catalog_json(catalog, compact=compact) == (whole + "\n").encode()


_INTERRUPTED_WRITE = """
import datetime as dt, sys
from pathlib import Path
from xlsxwriter.worksheet import Worksheet
from opsbook.exports.workbook import workbook_bytes
from opsbook.model.catalog import load_catalog

catalog, _ = load_catalog([Path(sys.argv[1])], as_of=dt.date(2026, 6, 22))
written = Worksheet._write_single_row
rows = 0

def write_then_stop(sheet, *args):
    global rows
    rows += 1
    if rows == 30:
        raise KeyboardInterrupt  # Ctrl-C while the rows are written
    written(sheet, *args)

Worksheet._write_single_row = write_then_stop
try:
    workbook_bytes(catalog, "zh-CN")
except KeyboardInterrupt:
    print("stopped")
"""


def test_a_workbook_interrupted_while_written_leaves_nothing_behind(tmp_path: Path) -> None:
    """Ctrl-C while the rows are written: no traceback at exit, and none of the sheets'
    scratch files is left in the temporary folder."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", _INTERRUPTED_WRITE, str(SCENARIOS)],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "TMPDIR": str(scratch)},
    )  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (0, "stopped\n", "")
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("drop", [(), ("saas-trial-to-paid-onboarding",)])
def test_the_planned_download_paths_are_the_paths_made(drop: tuple[str, ...]) -> None:
    """A build links to the downloads before they are made (see planned_paths): the plan
    must name exactly what is made, person calendars included, whoever has events."""
    from opsbook.model.catalog import load_catalog
    from opsbook.site.downloads import planned_site_files, site_files
    from opsbook.site.generate import SiteSettings

    files = [p for p in sorted(SCENARIOS.glob("*.yaml")) if p.stem not in (*drop, "team")]
    catalog, result = load_catalog(
        files, as_of=dt.date(2026, 6, 22), team_file=SCENARIOS / "team.yaml"
    )
    assert catalog is not None, result
    made = sorted(path for path, _ in site_files(catalog, SiteSettings()))
    assert planned_site_files(catalog, SiteSettings()) == made
    assert "opsbook.xlsx" in made and any(p.startswith("people/") for p in made)
