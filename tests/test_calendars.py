"""Calendars with recurring reviews: expanded by a calendar library, they hold the same
occurrences as one event per meeting did, computed here from the scenario files themselves."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import pytest
import recurring_ical_events
import yaml
from icalendar import Calendar

from conftest import ROOT, SCENARIOS
from site_support import env_for, make_project, run, shipped

Run = Callable[..., CompletedProcess[str]]
CADENCE_DAYS = {"daily": 1, "weekly": 7, "biweekly": 14, "monthly": 31, "quarterly": 92}
Occurrence = tuple[dt.date, str]
AS_OF = dt.date(2026, 6, 22)  # the shipped mkdocs.yml's


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(SCENARIOS, root / "scenarios")
    shutil.copy(ROOT / "mkdocs.yml", root)
    return root


def _review_days(cycle: dict[str, Any]) -> list[dt.date]:
    """A review after each cadence period before the cycle's last day."""
    step = dt.timedelta(days=CADENCE_DAYS[cycle["cadence"]])
    days, day = [], cycle["start"] + step
    while day < cycle["end"]:
        days.append(day)
        day += step
    return days


def expected_occurrences(scenarios: Path) -> Counter[Occurrence]:
    """(day, summary) of every meeting and deadline, one by one, from the YAML files."""
    found: Counter[Occurrence] = Counter()
    for path in sorted(scenarios.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name == "team.yaml":
            continue
        title = data["title"]
        for action in data["actions"]:  # a deadline to keep: not done yet
            if "due" in action and action["status"] != "done":
                found[action["due"], f"截止：{action['action']}"] += 1
        for anomaly in data.get("anomalies", []):  # not closed by the as-of date
            if anomaly["status"] != "closed" or anomaly.get("closed", AS_OF) > AS_OF:
                found[anomaly["due"], f"异常处理截止：{anomaly['problem']}"] += 1
        for day in _review_days(data["cycle"]):
            found[day, f"复盘：{title}"] += 1
        found[data["cycle"]["end"], f"周期复盘：{title}"] += 1
    return found


def occurrences(data: bytes) -> Counter[Occurrence]:
    """(day, summary) of every occurrence, recurring events expanded."""
    calendar = Calendar.from_ical(data)
    events = recurring_ical_events.of(calendar).between(dt.date(2000, 1, 1), dt.date(2100, 1, 1))
    return Counter((e.decoded("DTSTART"), str(e["SUMMARY"])) for e in events)


def export_ics(run_opsbook: Run, root: Path, name: str, *extra: str) -> bytes:
    result = run_opsbook("export", "--format", "ics", "-o", name, *extra, cwd=root)
    assert result.returncode == 0, result.stderr
    return (root / name).read_bytes()


def test_recurring_reviews_expand_to_every_meeting_of_the_shipped_scenarios(
    run_opsbook: Run, project: Path
) -> None:
    data = export_ics(run_opsbook, project, "calendar.ics")
    assert occurrences(data) == expected_occurrences(project / "scenarios")
    events = list(Calendar.from_ical(data).walk("VEVENT"))
    recurring = [e for e in events if "RRULE" in e]
    assert len(recurring) == 10  # one series a scenario
    # June, weekly: 06-08 to 06-29; biweekly: 06-15 and 06-29 (06-30 is the cycle review)
    assert [e.get("RRULE").to_ical() for e in recurring].count(b"FREQ=WEEKLY;COUNT=4") == 9
    assert b"RRULE:FREQ=WEEKLY;COUNT=2;INTERVAL=2\r\n" in data
    assert b"RRULE:FREQ=WEEKLY;COUNT=4\r\n" in data
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    assert "review.ecommerce-new-user-first-order@opsbook" in uids


def test_long_and_biweekly_cycles_expand_to_the_same_days(run_opsbook: Run, project: Path) -> None:
    # A half-year cycle reviewed weekly, and a quarter reviewed every two weeks.
    for name, cycle in (
        ("ecommerce-churned-user-winback", "{start: 2026-01-05, end: 2026-07-05, cadence: weekly}"),
        (
            "saas-low-activity-reactivation",
            "{start: 2026-04-01, end: 2026-06-30, cadence: biweekly}",
        ),
    ):
        path = project / "scenarios" / f"{name}.yaml"
        text = path.read_text(encoding="utf-8")
        start = text.index("cycle: ")
        end = text.index("\n", start)
        path.write_text(f"{text[:start]}cycle: {cycle}{text[end:]}", encoding="utf-8")
    data = export_ics(run_opsbook, project, "calendar.ics")
    assert occurrences(data) == expected_occurrences(project / "scenarios")
    assert b"RRULE:FREQ=WEEKLY;COUNT=25\r\n" in data
    assert b"RRULE:FREQ=WEEKLY;COUNT=6;INTERVAL=2\r\n" in data


def test_a_persons_recurring_reviews_are_their_share_of_the_teams(
    run_opsbook: Run, project: Path
) -> None:
    team = Calendar.from_ical(export_ics(run_opsbook, project, "team.ics"))
    mine = export_ics(run_opsbook, project, "li.ics", "--person", "ops.li")
    li = "mailto:li.na@example.com"

    def involves(event: Any) -> bool:
        attendees = event.get("ATTENDEE", [])
        attendees = attendees if isinstance(attendees, list) else [attendees]
        return li in [str(event["ORGANIZER"]), *map(str, attendees)]

    expected = Counter(
        (e.decoded("DTSTART"), str(e["SUMMARY"]))
        for e in recurring_ical_events.of(team).between(dt.date(2000, 1, 1), dt.date(2100, 1, 1))
        if involves(e)
    )
    assert occurrences(mine) == expected
    assert sum(1 for line in mine.split(b"\r\n") if line.startswith(b"RRULE:")) == 3


def test_the_event_links_are_absolute_page_urls_with_a_site_url(
    run_opsbook: Run, project: Path
) -> None:
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "site_url: https://ops.example.com/\n", "site_url: https://ops.example.com/kb/\n"
        ),
        encoding="utf-8",
    )
    data = export_ics(run_opsbook, project, "calendar.ics")
    events = list(Calendar.from_ical(data).walk("VEVENT"))
    assert events
    for event in events:
        scenario = str(event["UID"]).split(".")[1].split("@")[0]
        url = f"https://ops.example.com/kb/scenarios/{scenario}/"
        assert str(event["DESCRIPTION"]).endswith(f"SOP 页面：{url}")
        assert "URL" not in event  # the description's link is the one apps show


def test_two_builds_publish_byte_identical_downloads(tmp_path: Path) -> None:
    scenarios = {"saas-renewal-expansion.yaml": shipped("saas-renewal-expansion")}
    folder = make_project(tmp_path / "project", scenarios)
    sites = []
    for number in (1, 2):
        site = tmp_path / f"site-{number}"
        env = env_for(tmp_path / f"cache-{number}")
        result = run("build", "-d", os.fspath(site), cwd=folder, env=env)
        assert result.returncode == 0, result.stderr
        sites.append(site)
    downloads = [
        {p.relative_to(s).as_posix(): p.read_bytes() for p in s.rglob("*") if p.suffix in
         (".ics", ".json", ".xlsx") and "search" not in p.parts}
        for s in sites
    ]  # fmt: skip
    assert "calendar.ics" in downloads[0] and "people/ops.emma.ics" in downloads[0]
    assert downloads[0] == downloads[1]
