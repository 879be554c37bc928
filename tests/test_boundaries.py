"""Nothing a pull request writes can read outside the project or write to a database.

``check`` refuses such input statically (see ``tests/cases/invalid/csv-*``, ``sql-*``); these
tests drive ``pull`` through the CLI and, for the run-time walls behind that check, the SQL
source reader itself against real SQLite files and a real PostgreSQL server, and prove that
the database file and its folder are byte-for-byte unchanged afterwards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import Connection

import test_pull
from conftest import ROOT, SCENARIOS, opsbook_env
from opsbook.edit.sources.sql import Databases, run_query
from opsbook.model import Cycle, Source
from test_pull import FIRST_ORDER, SQLITE_QUERY, make_project, make_sqlite, snapshot, sqlite_rows

Run = Callable[..., CompletedProcess[str]]
SECRET = "root:x:0:0:root:/root:/bin/bash"
CYCLE = Cycle(dt.date(2026, 6, 1), dt.date(2026, 6, 30), "weekly")
ENV = "TEST_WAREHOUSE_URL"
postgres = test_pull.postgres  # the same server and warehouse as the pull tests, by name
warehouse = test_pull.warehouse


def folder_state(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` (links not followed) with the hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def query(databases: Databases, sql: str) -> list[str]:
    """The rendered problems of one metric's query (empty: it ran)."""
    source = Source(kind="sql", query=sql, connection_env=ENV)
    fetched = run_query(databases, source, CYCLE, "m", "here")
    return [p.render("en") for p in fetched.problems]


# Paths: refused by `pull` before anything is opened, and never quoted.


def test_pull_refuses_a_csv_linked_outside_without_quoting_it(
    run_opsbook: Run, tmp_path: Path
) -> None:
    root = make_project(tmp_path)
    (tmp_path / "secret.csv").write_text(f"{SECRET}\n", encoding="utf-8")
    data = root / "scenarios/data/coupon-redemption.csv"
    data.unlink()
    data.symlink_to(tmp_path / "secret.csv")
    before = snapshot(root)
    result = run_opsbook("pull", "--kind", "csv", cwd=root, env=opsbook_env(tmp_path))
    assert result.returncode == 1
    assert SECRET not in result.stdout + result.stderr
    assert result.stdout.startswith(
        f"scenarios/{FIRST_ORDER}.yaml:82:31: error[path.link-outside] metrics[1].source.path: "
        "'data/coupon-redemption.csv' goes through a symbolic link that leads outside the "
        "project root\n"
    )
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("path", "code"),
    [("../../secret.csv", "path.outside"), ("/etc/passwd", "path.absolute")],
)
def test_pull_refuses_csv_paths_outside(
    run_opsbook: Run, tmp_path: Path, path: str, code: str
) -> None:
    root = make_project(tmp_path)
    (tmp_path / "secret.csv").write_text(f"{SECRET}\n", encoding="utf-8")
    file = root / "scenarios" / f"{FIRST_ORDER}.yaml"
    file.write_text(
        file.read_text(encoding="utf-8").replace("data/coupon-redemption.csv", path), "utf-8"
    )
    result = run_opsbook("pull", "--kind", "csv", cwd=root, env=opsbook_env(tmp_path))
    assert result.returncode == 1
    assert f"error[{code}] metrics[1].source.path: '{path}'" in result.stdout
    assert SECRET not in result.stdout + result.stderr


def test_pull_refuses_a_scenario_linked_outside_unread(run_opsbook: Run, tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (tmp_path / "stolen.yaml").write_text(f"{SECRET}\n", encoding="utf-8")
    (root / "scenarios" / "stolen.yaml").symlink_to(tmp_path / "stolen.yaml")
    result = run_opsbook("pull", cwd=root, env=opsbook_env(tmp_path))
    assert result.returncode == 1
    assert result.stdout.startswith(
        "scenarios/stolen.yaml: error[path.file-link-outside] this file is a symbolic link to a "
        "place outside the project root; it was not read\n"
    )
    assert SECRET not in result.stdout + result.stderr


# SQLite: read-only whatever the query says.


@pytest.fixture
def sqlite_warehouse(tmp_path: Path) -> Path:
    folder = tmp_path / "warehouse"
    folder.mkdir()
    make_sqlite(folder / "w.db", sqlite_rows())
    return folder / "w.db"


def test_one_query_cannot_unlock_the_next(sqlite_warehouse: Path) -> None:
    """``PRAGMA query_only = OFF`` then ``DROP TABLE``: both refused, the table stays."""
    before = folder_state(sqlite_warehouse.parent)
    with Databases({ENV: f"sqlite:///{sqlite_warehouse}"}) as databases:
        assert query(databases, "PRAGMA query_only = OFF") == [
            "here: error: metric m: the query failed: not authorized"
        ]
        assert query(databases, "DROP TABLE new_user_events") == [
            "here: error: metric m: the query failed: not authorized"
        ]
        assert query(databases, SQLITE_QUERY) == []
    assert folder_state(sqlite_warehouse.parent) == before
    with sqlite3.connect(sqlite_warehouse) as db:
        assert db.execute("SELECT COUNT(*) FROM new_user_events").fetchone() == (53,)


@pytest.mark.parametrize(
    "sql",
    [
        "ATTACH DATABASE '{folder}/created.db' AS side",
        "VACUUM INTO '{folder}/copy.db'",
        "DETACH DATABASE main",
        "INSERT INTO new_user_events VALUES ('2026-06-01', 'x', 1)",
        "UPDATE new_user_events SET ordered = 0",
        "DELETE FROM new_user_events",
        "CREATE TABLE side (x)",
        "WITH d AS (SELECT 1) INSERT INTO new_user_events SELECT '2026-06-01', 'y', 1 FROM d",
        "SELECT load_extension('{folder}/x.so')",
        "PRAGMA journal_mode = WAL",
    ],
    ids=[
        "attach",
        "vacuum-into",
        "detach",
        "insert",
        "update",
        "delete",
        "create",
        "cte-write",
        "load-extension",
        "pragma-journal",
    ],
)
def test_sqlite_refuses_every_write_and_creates_no_file(sqlite_warehouse: Path, sql: str) -> None:
    folder = sqlite_warehouse.parent
    before = folder_state(folder)
    listing = sorted(p.name for p in folder.iterdir())
    with Databases({ENV: f"sqlite:///{sqlite_warehouse}"}) as databases:
        problems = query(databases, sql.format(folder=folder))
    assert len(problems) == 1
    assert problems[0].startswith("here: error: metric m: the query failed: ")
    assert sorted(p.name for p in folder.iterdir()) == listing
    assert folder_state(folder) == before


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "sqlite:///file:{folder}/new.db?mode=rwc&uri=true",
            "metric first-order-cr: TEST_WAREHOUSE_URL asks to open the SQLite database with "
            "mode=rwc; opsbook opens it read-only (mode=ro) and never creates or changes a "
            "file: remove the mode",
        ),
        (
            "sqlite:///{folder}/w.db?mode=rw",
            "metric first-order-cr: TEST_WAREHOUSE_URL asks to open the SQLite database with "
            "mode=rw; opsbook opens it read-only (mode=ro) and never creates or changes a "
            "file: remove the mode",
        ),
        (
            "sqlite:///file:{folder}/missing.db?uri=true",
            "metric first-order-cr: SQLite database {folder}/missing.db (from "
            "TEST_WAREHOUSE_URL) does not exist",
        ),
    ],
    ids=["uri-rwc", "mode-rw", "uri-missing"],
)
def test_pull_never_creates_a_database_file(
    run_opsbook: Run, tmp_path: Path, sqlite_warehouse: Path, url: str, message: str
) -> None:
    folder = sqlite_warehouse.parent
    root = make_project(tmp_path, SQLITE_QUERY)
    before, listing = folder_state(folder), sorted(p.name for p in folder.iterdir())
    env = opsbook_env(tmp_path, TEST_WAREHOUSE_URL=url.format(folder=folder))
    result = run_opsbook("pull", "--kind", "sql", cwd=root, env=env)
    assert result.returncode == 1
    assert result.stdout == (
        f"scenarios/{FIRST_ORDER}.yaml:71: error: {message.format(folder=folder)}\n"
        "1 error(s): nothing written\n"
    )
    assert sorted(p.name for p in folder.iterdir()) == listing
    assert folder_state(folder) == before


def test_pull_from_sqlite_leaves_the_folder_unchanged(
    run_opsbook: Run, tmp_path: Path, sqlite_warehouse: Path
) -> None:
    folder = sqlite_warehouse.parent
    root = make_project(tmp_path, SQLITE_QUERY)
    before, listing = folder_state(folder), sorted(p.name for p in folder.iterdir())
    env = opsbook_env(tmp_path, TEST_WAREHOUSE_URL=f"sqlite:///{sqlite_warehouse}")
    result = run_opsbook("pull", "--kind", "sql", cwd=root, env=env)
    assert result.returncode == 0, result.stdout
    assert sorted(p.name for p in folder.iterdir()) == listing
    assert folder_state(folder) == before


# PostgreSQL: a READ ONLY transaction, a statement timeout, a connection per query.


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("DROP TABLE shop.orders", "cannot execute DROP TABLE in a read-only transaction"),
        (
            "WITH d AS (DELETE FROM shop.orders RETURNING 1) SELECT * FROM d",
            "cannot execute SELECT in a read-only transaction",  # PostgreSQL's words for it
        ),
        ("SELECT 1 INTO shop.copy", "cannot execute SELECT INTO in a read-only transaction"),
        (
            "SELECT pg_sleep(200)",
            "canceling statement due to statement timeout",
        ),
    ],
    ids=["drop", "cte-delete", "select-into", "timeout"],
)
def test_postgres_refuses_writes_at_run_time(
    warehouse: str, sql: str, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    from opsbook.edit.sources import sql as sql_source

    monkeypatch.setattr(sql_source, "STATEMENT_TIMEOUT_MS", 300)  # the timeout, in a test's time
    plain = warehouse.replace("postgresql+psycopg://", "postgresql://")
    count = "SELECT COUNT(*) FROM shop.orders"
    with psycopg.connect(plain) as db:
        before = db.execute(count).fetchone()
    with Databases({ENV: warehouse}) as databases:
        assert query(databases, sql) == [f"here: error: metric m: the query failed: {reason}"]
    with psycopg.connect(plain) as db:
        assert db.execute(count).fetchone() == before
        assert db.execute("SELECT to_regclass('shop.copy')").fetchone() == (None,)


def test_postgres_gives_each_query_its_own_session(warehouse: str) -> None:
    """Nothing one metric's query does to its session can reach the next one's."""
    pids = []
    with Databases({ENV: warehouse}) as databases:
        for _ in range(2):
            connection = databases.connection(ENV, "m", "here")
            assert isinstance(connection, Connection)
            with connection:
                pids.append(connection.exec_driver_sql("SELECT pg_backend_pid()").scalar())
    assert pids[0] != pids[1]


# Line breaks typed into a scenario stay text in the calendar and in GitHub annotations: a
# value cannot end its event or annotation and start another one.

BREAKOUT_ICS = "精简下单\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:injected@evil\r\nSUMMARY:点这里\nX"
BREAKOUT_GITHUB = "nobody\n::error file=README.md,line=1::injected"
SIMPLE_CHECKOUT = f"action.{FIRST_ORDER}.simple-checkout@opsbook"


def _shipped_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(SCENARIOS, root / "scenarios")
    shutil.copy(ROOT / "mkdocs.yml", root)
    return root


def _replace_in_first_order(root: Path, old: str, value: str) -> None:
    path = root / "scenarios" / f"{FIRST_ORDER}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1
    quoted = json.dumps(value, ensure_ascii=False)  # a YAML double-quoted scalar
    path.write_text(text.replace(old, old.split(":")[0] + ": " + quoted, 1), encoding="utf-8")


def _calendar_events(run_opsbook: Run, root: Path, name: str) -> dict[str, Any]:
    result = run_opsbook("export", "--format", "ics", "-o", name, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    calendar = Calendar.from_ical((root / name).read_bytes())
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_a_line_break_in_a_scenario_cannot_add_a_calendar_event(
    run_opsbook: Run, tmp_path: Path
) -> None:
    root = _shipped_project(tmp_path)
    before = _calendar_events(run_opsbook, root, "before.ics")
    _replace_in_first_order(root, "    action: 下单必填项精简至3项", BREAKOUT_ICS)
    after = _calendar_events(run_opsbook, root, "after.ics")
    assert sorted(after) == sorted(before)  # no event more, none lost: no UID injected@evil
    summary = "截止：精简下单\nEND:VEVENT\nBEGIN:VEVENT\nUID:injected@evil\nSUMMARY:点这里\nX"
    assert str(after[SIMPLE_CHECKOUT]["SUMMARY"]) == summary
    lines = (root / "after.ics").read_bytes().split(b"\r\n")
    assert b"UID:injected@evil" not in lines and b"BEGIN:VEVENT" in lines
    assert lines.count(b"BEGIN:VEVENT") == len(before)


def test_a_line_break_in_a_value_cannot_add_a_github_annotation(
    run_opsbook: Run, tmp_path: Path
) -> None:
    root = _shipped_project(tmp_path)
    _replace_in_first_order(root, "    owner: eng.sun", BREAKOUT_GITHUB)
    result = run_opsbook("check", "--format", "github", "--lang", "en", cwd=root)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"::error file=scenarios/{FIRST_ORDER}.yaml,line=39,col=12,title=ref.owner::"
        "actions[1].owner: 'nobody%0A::error file=README.md,line=1::injected' is not in the "
        "team directory%0Ahint: owners are person ids from scenarios/team.yaml",
        "1 error(s), 0 warning(s) in 1 of 11 file(s)",
    ]


def test_a_file_refused_unread_is_annotated_on_the_whole_file(
    run_opsbook: Run, tmp_path: Path
) -> None:
    root = make_project(tmp_path)
    (tmp_path / "stolen.yaml").write_text(f"{SECRET}\n", encoding="utf-8")
    (root / "scenarios" / "stolen.yaml").symlink_to(tmp_path / "stolen.yaml")
    result = run_opsbook("check", "--format", "github", "--lang", "en", cwd=root)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "::error file=scenarios/stolen.yaml,title=path.file-link-outside::this file is a "
        "symbolic link to a place outside the project root; it was not read%0Ahint: replace "
        "the link with the file itself, inside the project root (the folder holding "
        "mkdocs.yml, else the working directory)"
    )
    assert SECRET not in result.stdout + result.stderr
