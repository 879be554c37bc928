"""``opsbook pull``: CSV files, SQLite files and a real PostgreSQL server, through the CLI."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from conftest import SCENARIOS, opsbook_env
from postgres_server import PostgresServer, free_port, start_postgres

Run = Callable[..., CompletedProcess[str]]
FIRST_ORDER = "ecommerce-new-user-first-order"
SHIPPED_QUERY = (
    "SELECT day AS date, first_order_rate AS value FROM new_user_daily "
    "WHERE day BETWEEN :start AND :end"
)


def make_project(
    tmp_path: Path, query: str = SHIPPED_QUERY, env: str = "TEST_WAREHOUSE_URL"
) -> Path:
    """A project with the team and the first-order scenario, its SQL source rewritten."""
    root = tmp_path / "project"
    (root / "scenarios" / "data").mkdir(parents=True)
    shutil.copy(SCENARIOS / "team.yaml", root / "scenarios")
    shutil.copy(SCENARIOS / "data" / "coupon-redemption.csv", root / "scenarios" / "data")
    text = (SCENARIOS / f"{FIRST_ORDER}.yaml").read_text(encoding="utf-8")
    text = text.replace(SHIPPED_QUERY, query).replace("OPSBOOK_WAREHOUSE_URL", env)
    (root / "scenarios" / f"{FIRST_ORDER}.yaml").write_text(text, encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def scenario_text(root: Path) -> str:
    return (root / "scenarios" / f"{FIRST_ORDER}.yaml").read_text(encoding="utf-8")


# CSV sources.


def test_csv_rows_are_merged_and_only_the_observations_change(
    run_opsbook: Run, tmp_path: Path
) -> None:
    root = make_project(tmp_path)
    before = scenario_text(root)
    (root / "scenarios/data/coupon-redemption.csv").write_text(
        "date,value\n2026-06-06,31\n2026-06-13,30.5\n2026-06-20,29.5\n2026-06-27,33\n"
        "2026-06-02,28\n2026-07-04,1\n",
        encoding="utf-8",
    )
    result = run_opsbook("pull", "--kind", "csv", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"{FIRST_ORDER}/coupon-redemption (csv scenarios/data/coupon-redemption.csv): "
        "2 added, 1 changed, 2 unchanged; 1 row(s) outside the cycle ignored\n"
        "1 metric(s) pulled: 2 added, 1 changed, 2 unchanged\n"
        "1 file(s) written\n"
    )
    expected = before.replace(
        "      - {date: 2026-06-06, value: 31}\n      - {date: 2026-06-13, value: 30}\n",
        "      - {date: 2026-06-02, value: 28}\n      - {date: 2026-06-06, value: 31}\n"
        "      - {date: 2026-06-13, value: 30.5}\n",
    ).replace(
        "      - {date: 2026-06-20, value: 29.5, cause: 满减门槛高于新人客单价}\n",
        "      - {date: 2026-06-20, value: 29.5, cause: 满减门槛高于新人客单价}\n"
        "      - {date: 2026-06-27, value: 33}\n",
    )
    assert scenario_text(root) == expected
    again = run_opsbook("pull", "--kind", "csv", cwd=root)
    assert again.stdout.endswith("0 added, 0 changed, 5 unchanged\nno file changed\n")
    assert scenario_text(root) == expected
    assert run_opsbook("check", "--strict", "scenarios", cwd=root).returncode == 0


def test_dry_run_shows_a_diff_and_writes_nothing(run_opsbook: Run, tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "scenarios/data/coupon-redemption.csv").write_text(
        "date,value\n2026-06-06,31\n2026-06-13,30\n2026-06-20,29.5\n2026-06-27,33\n",
        encoding="utf-8",
    )
    before = snapshot(root)
    result = run_opsbook("pull", "--kind", "csv", "--dry-run", "--lang", "zh-CN", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"{FIRST_ORDER}/coupon-redemption (csv scenarios/data/coupon-redemption.csv): "
        "新增 1，变更 0，未变 3\n"
        f"--- a/scenarios/{FIRST_ORDER}.yaml\n"
        f"+++ b/scenarios/{FIRST_ORDER}.yaml\n"
        "@@ -84,6 +84,7 @@\n"
        "       - {date: 2026-06-06, value: 31}\n"
        "       - {date: 2026-06-13, value: 30}\n"
        "       - {date: 2026-06-20, value: 29.5, cause: 满减门槛高于新人客单价}\n"
        "+      - {date: 2026-06-27, value: 33}\n"
        " \n"
        " anomalies:\n"
        "   - id: signup-button\n"
        "已拉取 1 个指标：新增 1，变更 0，未变 3\n"
        "试运行：未写入任何文件\n"
    )
    assert snapshot(root) == before


def test_bad_csv_rows_are_located_and_nothing_is_written(run_opsbook: Run, tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "scenarios/data/coupon-redemption.csv").write_text(
        "date,value\n2026-06-06,31\n\n2026-06-13,abc\n2026-06-06,32\n06/20/2026,29\n2026-06-21,\n"
        "2026-06-22,nan\n2026-06-27,33\n",
        encoding="utf-8",
    )
    before = snapshot(root)
    result = run_opsbook("pull", "--kind", "csv", cwd=root)
    assert result.returncode == 1
    csv = "scenarios/data/coupon-redemption.csv"
    assert result.stdout == (
        f"{csv}:4: error: 'abc' is not a number (column 'value')\n"
        f"{csv}:5: error: duplicate date 2026-06-06 (also on line 2)\n"
        f"{csv}:6: error: '06/20/2026' is not a date in the format %Y-%m-%d (column 'date')\n"
        f"{csv}:7: error: empty value (column 'value')\n"
        f"{csv}:8: error: 'nan' is not a number (column 'value')\n"
        "5 error(s): nothing written\n"
    )
    assert snapshot(root) == before


def test_csv_column_mapping_date_format_and_new_observation_lists(
    run_opsbook: Run, tmp_path: Path
) -> None:
    """A metric without observations gets a block list; a flow list stays a flow list."""
    root = make_project(tmp_path)
    path = root / "scenarios" / f"{FIRST_ORDER}.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "    source: {kind: csv, path: data/coupon-redemption.csv, system: 营销平台}\n"
        "    observations:\n      - {date: 2026-06-06, value: 31}\n"
        "      - {date: 2026-06-13, value: 30}\n"
        "      - {date: 2026-06-20, value: 29.5, cause: 满减门槛高于新人客单价}\n",
        "    source: {kind: csv, path: data/coupons.csv, date_column: 日期, value_column: 核销率,"
        " date_format: '%d/%m/%Y'}  # 营销平台导出\n",
    )
    path.write_text(text, encoding="utf-8")
    (root / "scenarios/data/coupons.csv").write_text(
        "\ufeff日期,渠道,核销率\n06/06/2026,app,31\n13/06/2026,app,30.25\n", encoding="utf-8"
    )
    result = run_opsbook("pull", "--metric", "coupon-redemption", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert scenario_text(root) == text.replace(
        " date_format: '%d/%m/%Y'}  # 营销平台导出\n",
        " date_format: '%d/%m/%Y'}  # 营销平台导出\n    observations:\n"
        "      - {date: 2026-06-06, value: 31}\n      - {date: 2026-06-13, value: 30.25}\n",
    )
    flow = scenario_text(root).replace(
        "    observations:\n      - {date: 2026-06-06, value: 31}\n"
        "      - {date: 2026-06-13, value: 30.25}\n",
        "    observations: [{date: 2026-06-13, value: 30}]\n",
    )
    path.write_text(flow, encoding="utf-8")
    assert run_opsbook("pull", "--metric", "coupon-redemption", cwd=root).returncode == 0
    assert scenario_text(root) == flow.replace(
        "[{date: 2026-06-13, value: 30}]",
        "[{date: 2026-06-06, value: 31}, {date: 2026-06-13, value: 30.25}]",
    )


def test_one_bad_file_means_no_file_is_written(run_opsbook: Run, tmp_path: Path) -> None:
    root = make_project(tmp_path)
    other = (SCENARIOS / "ecommerce-churned-user-winback.yaml").read_text(encoding="utf-8")
    (root / "scenarios/ecommerce-churned-user-winback.yaml").write_text(other, encoding="utf-8")
    (root / "scenarios/data/winback-repurchase-30d.csv").write_text(
        "date,value\n2026-06-27,x\n", encoding="utf-8"
    )
    (root / "scenarios/data/coupon-redemption.csv").write_text(
        "date,value\n2026-06-27,33\n", encoding="utf-8"
    )
    before = snapshot(root)
    result = run_opsbook("pull", "--kind", "csv", cwd=root)
    assert result.returncode == 1
    assert result.stdout.endswith(
        "scenarios/data/winback-repurchase-30d.csv:2: error: 'x' is not a number (column 'value')\n"
        "1 error(s): nothing written\n"
    )
    assert snapshot(root) == before


def test_missing_csv_and_unknown_selectors(run_opsbook: Run, tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "scenarios/data/coupon-redemption.csv").unlink()
    result = run_opsbook("pull", "--kind", "csv", cwd=root)
    assert result.returncode == 1
    assert result.stdout == (
        f"scenarios/{FIRST_ORDER}.yaml:82: error: CSV file not found: "
        "scenarios/data/coupon-redemption.csv\n1 error(s): nothing written\n"
    )
    unknown = run_opsbook("pull", "--metric", "nope", cwd=root)
    assert unknown.returncode == 2
    assert "Error: --metric nope: no such metric" in unknown.stderr


def test_pull_refuses_scenarios_that_fail_the_check(run_opsbook: Run, tmp_path: Path) -> None:
    root = make_project(tmp_path)
    path = root / "scenarios" / f"{FIRST_ORDER}.yaml"
    path.write_text(
        scenario_text(root).replace("status: done", "status: finished"), encoding="utf-8"
    )
    result = run_opsbook("pull", "--kind", "csv", cwd=root)
    assert result.returncode == 1
    assert "error[schema.enum]" in result.stdout


# SQLite.


def make_sqlite(path: Path, rows: list[tuple[str, str, int]]) -> None:
    """A small event table: the query aggregates it per day."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE new_user_events (day TEXT, user_id TEXT, ordered INTEGER)")
        db.executemany("INSERT INTO new_user_events VALUES (?, ?, ?)", rows)


SQLITE_QUERY = (
    "SELECT day AS date, ROUND(100.0 * SUM(ordered) / COUNT(*), 1) AS value "
    "FROM new_user_events WHERE day BETWEEN :start AND :end GROUP BY day ORDER BY day"
)


def sqlite_rows() -> list[tuple[str, str, int]]:
    rows = []
    for day, users, ordered in (("2026-05-30", 10, 9), ("2026-06-06", 20, 4), ("2026-06-13", 10, 2),
                                ("2026-06-27", 8, 2), ("2026-07-01", 5, 5)):  # fmt: skip
        rows += [(day, f"{day}-{i}", int(i < ordered)) for i in range(users)]
    return rows


def test_sqlite_query_is_aggregated_in_the_database(run_opsbook: Run, tmp_path: Path) -> None:
    root = make_project(tmp_path, SQLITE_QUERY)
    make_sqlite(tmp_path / "warehouse.db", sqlite_rows())
    env = opsbook_env(tmp_path, TEST_WAREHOUSE_URL=f"sqlite:///{tmp_path / 'warehouse.db'}")
    before = scenario_text(root)
    result = run_opsbook("pull", "--kind", "sql", cwd=root, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == (
        f"{FIRST_ORDER}/first-order-cr (sql TEST_WAREHOUSE_URL): 1 added, 2 changed, 0 unchanged\n"
        "1 metric(s) pulled: 1 added, 2 changed, 0 unchanged\n1 file(s) written\n"
    )
    assert scenario_text(root) == before.replace(
        "      - {date: 2026-06-06, value: 15.8}\n      - {date: 2026-06-13, value: 17.1}\n",
        "      - {date: 2026-06-06, value: 20}\n      - {date: 2026-06-13, value: 20}\n",
    ).replace(
        "      - {date: 2026-06-20, value: 18, cause: 新人券门槛设置过高}\n",
        "      - {date: 2026-06-20, value: 18, cause: 新人券门槛设置过高}\n"
        "      - {date: 2026-06-27, value: 25}\n",
    )


def test_sqlite_bad_rows_name_the_query_and_row(run_opsbook: Run, tmp_path: Path) -> None:
    query = "SELECT d AS date, v AS value FROM raw WHERE d BETWEEN :start AND :end ORDER BY rowid"
    root = make_project(tmp_path, query)
    with sqlite3.connect(tmp_path / "w.db") as db:
        db.execute("CREATE TABLE raw (d TEXT, v)")
        db.executemany("INSERT INTO raw VALUES (?, ?)", [
            ("2026-06-06", 1.5), ("2026-06-07", "n/a"), ("2026-06-06", 2), ("2026-06-08", None),
            ("2026-06-09x", 3),
        ])  # fmt: skip
    env = opsbook_env(tmp_path, TEST_WAREHOUSE_URL=f"sqlite:///{tmp_path / 'w.db'}")
    before = snapshot(root)
    result = run_opsbook("pull", cwd=root, env=env)
    assert result.returncode == 1
    where = f"scenarios/{FIRST_ORDER}.yaml:71"
    assert result.stdout == (
        f"{FIRST_ORDER}/coupon-redemption (csv scenarios/data/coupon-redemption.csv): "
        "0 added, 0 changed, 3 unchanged\n"
        f"{where}: error: query row 2: 'n/a' is not a number (column 'value')\n"
        f"{where}: error: query row 3: duplicate date 2026-06-06 (also in row 1)\n"
        f"{where}: error: query row 4: empty value (column 'value')\n"
        f"{where}: error: query row 5: '2026-06-09x' is not a date in the format %Y-%m-%d "
        "(column 'date')\n"
        "4 error(s): nothing written\n"
    )
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("query", "url", "message"),
    [
        (
            SQLITE_QUERY,
            None,
            "metric first-order-cr: environment variable TEST_WAREHOUSE_URL is "
            "not set (it holds the database URL, e.g. postgresql+psycopg://user@host/db)",
        ),
        (
            SQLITE_QUERY,
            "sqlite:///{tmp}/missing.db",
            "metric first-order-cr: SQLite database "
            "{tmp}/missing.db (from TEST_WAREHOUSE_URL) does not exist",
        ),
        (
            SQLITE_QUERY,
            "not a url",
            "metric first-order-cr: TEST_WAREHOUSE_URL is not a database "
            "URL: Could not parse SQLAlchemy URL from given URL string",
        ),
        (
            "SELECT * FROM nowhere",
            "sqlite:///{tmp}/w.db",
            "metric first-order-cr: the query failed: no such table: nowhere",
        ),
        (
            "SELECT day AS date FROM new_user_events WHERE day > :since",
            "sqlite:///{tmp}/w.db",
            "metric first-order-cr: the query uses :since; only :start and :end (the cycle dates) "
            "are provided",
        ),
        (
            "SELECT day, 1 AS value FROM new_user_events",
            "sqlite:///{tmp}/w.db",
            "metric first-order-cr: the query returns columns (day, value); it must return 'date' "
            "and 'value' (use AS date, AS value)",
        ),
    ],
    ids=["no-env", "no-file", "bad-url", "no-table", "unknown-param", "columns"],
)
def test_sql_errors_are_clear(
    run_opsbook: Run, tmp_path: Path, query: str, url: str | None, message: str
) -> None:
    root = make_project(tmp_path, query)
    make_sqlite(tmp_path / "w.db", sqlite_rows())
    extra = {"TEST_WAREHOUSE_URL": url.format(tmp=tmp_path)} if url else {}
    before = snapshot(root)
    result = run_opsbook("pull", "--kind", "sql", cwd=root, env=opsbook_env(tmp_path, **extra))
    assert result.returncode == 1
    assert result.stdout == (
        f"scenarios/{FIRST_ORDER}.yaml:71: error: {message.format(tmp=tmp_path)}\n"
        "1 error(s): nothing written\n"
    )
    assert snapshot(root) == before
    with sqlite3.connect(tmp_path / "w.db") as db:
        assert db.execute("SELECT COUNT(*) FROM new_user_events").fetchone() == (53,)


# PostgreSQL: a real server.


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = start_postgres()
    try:
        yield server
    finally:
        server.stop()


SCHEMA = """
CREATE SCHEMA shop;
CREATE TABLE shop.signups (
    user_id bigint PRIMARY KEY, signed_up_at timestamptz NOT NULL, channel text NOT NULL
);
CREATE TABLE shop.orders (
    order_id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES shop.signups,
    ordered_at timestamptz NOT NULL, amount numeric(10, 2) NOT NULL
);
CREATE INDEX ON shop.orders (user_id, ordered_at);
"""

# Daily first-order conversion: of the users who signed up on a day, the share whose first
# order came within 7 days. Everything is aggregated in PostgreSQL.
CONVERSION_QUERY = (
    "SELECT s.signup_day AS date, ROUND(100.0 * COUNT(f.user_id) / COUNT(*), 1) AS value "
    "FROM (SELECT user_id, (signed_up_at AT TIME ZONE 'Asia/Shanghai')::date AS signup_day, "
    "signed_up_at FROM shop.signups) s "
    "LEFT JOIN (SELECT user_id, MIN(ordered_at) AS first_at FROM shop.orders GROUP BY user_id) f "
    "ON f.user_id = s.user_id AND f.first_at < s.signed_up_at + INTERVAL '7 days' "
    "WHERE s.signup_day BETWEEN :start AND :end GROUP BY s.signup_day ORDER BY s.signup_day"
)

# (signup day, sign-ups, converted within 7 days, converted later) → expected rate
DAYS = [("2026-05-31", 40, 30, 0), ("2026-06-06", 50, 9, 5), ("2026-06-13", 40, 7, 3),
        ("2026-06-20", 30, 6, 1), ("2026-06-27", 16, 3, 0)]  # fmt: skip


@pytest.fixture(scope="session")
def warehouse(postgres: PostgresServer) -> str:
    """A ``warehouse`` database with sign-ups and orders; returns its URL."""
    import psycopg

    plain = postgres.url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as db:
        db.execute("CREATE DATABASE warehouse")
    with psycopg.connect(plain.rsplit("/", 1)[0] + "/warehouse") as db:
        db.execute(SCHEMA)
        user = 0
        for day, signups, early, late in DAYS:
            for i in range(signups):
                user += 1
                at = f"{day} 10:00:00+08"
                db.execute("INSERT INTO shop.signups VALUES (%s, %s, %s)", (user, at, "app"))
                delay = "2 days" if i < early else "10 days" if i < early + late else None
                if delay:
                    for repeat in range(3):  # repeat orders do not count twice
                        db.execute(
                            "INSERT INTO shop.orders (user_id, ordered_at, amount) "
                            "VALUES (%s, %s::timestamptz + %s::interval + %s * INTERVAL '1 day', 99)",
                            (user, at, delay, repeat * 3),
                        )
    return postgres.url_for("warehouse")


def test_postgres_conversion_is_pulled(run_opsbook: Run, tmp_path: Path, warehouse: str) -> None:
    root = make_project(tmp_path, CONVERSION_QUERY)
    before = scenario_text(root)
    env = opsbook_env(tmp_path, TEST_WAREHOUSE_URL=warehouse)
    result = run_opsbook("pull", "--scenario", FIRST_ORDER, "--kind", "sql", cwd=root, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == (
        f"{FIRST_ORDER}/first-order-cr (sql TEST_WAREHOUSE_URL): 1 added, 3 changed, 0 unchanged\n"
        "1 metric(s) pulled: 1 added, 3 changed, 0 unchanged\n1 file(s) written\n"
    )
    assert scenario_text(root) == before.replace(
        "      - {date: 2026-06-06, value: 15.8}\n"
        "      - {date: 2026-06-13, value: 17.1}\n"
        "      - {date: 2026-06-20, value: 18, cause: 新人券门槛设置过高}\n",
        "      - {date: 2026-06-06, value: 18}\n"
        "      - {date: 2026-06-13, value: 17.5}\n"
        "      - {date: 2026-06-20, value: 20, cause: 新人券门槛设置过高}\n"
        "      - {date: 2026-06-27, value: 18.8}\n",
    )
    again = run_opsbook("pull", "--kind", "sql", cwd=root, env=env)
    assert again.stdout.endswith("0 added, 0 changed, 4 unchanged\nno file changed\n")


def test_postgres_connection_failure(run_opsbook: Run, tmp_path: Path) -> None:
    root = make_project(tmp_path, CONVERSION_QUERY)
    port = free_port()
    env = opsbook_env(
        tmp_path, TEST_WAREHOUSE_URL=f"postgresql+psycopg://ops:s3cret@127.0.0.1:{port}/warehouse"
    )
    result = run_opsbook("pull", "--kind", "sql", cwd=root, env=env)
    assert result.returncode == 1
    assert result.stdout == (
        f"scenarios/{FIRST_ORDER}.yaml:71: error: metric first-order-cr: cannot connect to "
        f"postgresql+psycopg://ops:***@127.0.0.1:{port}/warehouse (from TEST_WAREHOUSE_URL): "
        f'connection failed: connection to server at "127.0.0.1", port {port} failed: '
        "Connection refused\n1 error(s): nothing written\n"
    )


def test_postgres_bad_query_and_unknown_database(
    run_opsbook: Run, tmp_path: Path, warehouse: str
) -> None:
    root = make_project(tmp_path, CONVERSION_QUERY.replace("shop.orders", "shop.order"))
    env = opsbook_env(tmp_path, TEST_WAREHOUSE_URL=warehouse)
    result = run_opsbook("pull", "--kind", "sql", cwd=root, env=env)
    assert result.returncode == 1
    assert result.stdout == (
        f"scenarios/{FIRST_ORDER}.yaml:71: error: metric first-order-cr: the query failed: "
        'relation "shop.order" does not exist\n1 error(s): nothing written\n'
    )
    missing = warehouse.rsplit("/", 1)[0] + "/nowhere"
    env = opsbook_env(tmp_path, TEST_WAREHOUSE_URL=missing)
    result = run_opsbook("pull", "--kind", "sql", cwd=root, env=env)
    port = missing.split(":")[-1].split("/")[0]
    assert result.stdout == (
        f"scenarios/{FIRST_ORDER}.yaml:71: error: metric first-order-cr: cannot connect to "
        f"{missing} (from TEST_WAREHOUSE_URL): connection failed: connection to server at "
        f'"127.0.0.1", port {port} failed: FATAL:  database "nowhere" does not exist\n'
        "1 error(s): nothing written\n"
    )


def test_postgres_transactions_are_read_only(
    run_opsbook: Run, tmp_path: Path, warehouse: str
) -> None:
    """A SELECT that writes (it advances a sequence) passes ``check``; the database refuses it."""
    import psycopg

    plain = warehouse.replace("postgresql+psycopg://", "postgresql://")
    sequence = "SELECT last_value, is_called FROM shop.orders_order_id_seq"
    with psycopg.connect(plain) as db:
        before = db.execute(sequence).fetchone()
    root = make_project(
        tmp_path, "SELECT CURRENT_DATE AS date, nextval('shop.orders_order_id_seq') AS value"
    )
    env = opsbook_env(tmp_path, TEST_WAREHOUSE_URL=warehouse)
    result = run_opsbook("pull", "--kind", "sql", cwd=root, env=env)
    assert result.stdout == (
        f"scenarios/{FIRST_ORDER}.yaml:71: error: metric first-order-cr: the query failed: "
        "cannot execute nextval() in a read-only transaction\n1 error(s): nothing written\n"
    )
    with psycopg.connect(plain) as db:
        assert db.execute(sequence).fetchone() == before


def test_block_items_comments_and_crlf_are_kept(run_opsbook: Run, tmp_path: Path) -> None:
    root = make_project(tmp_path)
    path = root / "scenarios" / f"{FIRST_ORDER}.yaml"
    block = (
        "    observations:\n"
        "      # weekly export from the marketing platform\n"
        "      - date: 2026-06-06\n"
        "        value: 31   # first week\n"
        "      - date: 2026-06-20\n"
        "        value: 29.5\n"
        "        cause: 满减门槛高于新人客单价\n"
    )
    text = scenario_text(root).replace(
        "    observations:\n      - {date: 2026-06-06, value: 31}\n"
        "      - {date: 2026-06-13, value: 30}\n"
        "      - {date: 2026-06-20, value: 29.5, cause: 满减门槛高于新人客单价}\n",
        block,
    )
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    (root / "scenarios/data/coupon-redemption.csv").write_text(
        "date,value\n2026-06-06,31.5\n2026-06-13,30\n2026-06-27,28\n", encoding="utf-8"
    )
    result = run_opsbook("pull", "--kind", "csv", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    expected = text.replace(
        block,
        "    observations:\n"
        "      # weekly export from the marketing platform\n"
        "      - date: 2026-06-06\n"
        "        value: 31.5   # first week\n"
        "      - date: 2026-06-13\n"
        "        value: 30\n"
        "      - date: 2026-06-20\n"
        "        value: 29.5\n"
        "        cause: 满减门槛高于新人客单价\n"
        "      - date: 2026-06-27\n"
        "        value: 28\n",
    )
    assert path.read_bytes() == expected.replace("\n", "\r\n").encode("utf-8")
