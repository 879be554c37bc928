"""Benchmark the data borders: ``pull`` from PostgreSQL and CSV, Excel/JSON/ICS exports.

    python bench/bench_data.py [PULL_SCENARIOS [EXPORT_SCENARIOS]]   (default 477 and 1000)

Generates corpora with ``bench/generate.py`` (477 scenarios hold 1,001 metrics), then:

* rewrites every metric's source to a SQL query against a throwaway PostgreSQL cluster
  (``tests/postgres_server.py``: initdb + pg_ctl, as in the tests) holding raw events that
  each query aggregates per day (GROUP BY in the database), and times ``opsbook pull``;
* rewrites every source to its own CSV file and times ``opsbook pull`` again;
* times ``opsbook export --format xlsx|json|ics`` and an unchanged ``import-xlsx`` on a
  corpus of 1,000 scenarios.

Every command runs as a user runs it (a subprocess), with a cold and then a warm check cache.
Prints a table; asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests"), str(ROOT / "generator")]

from generate import generate  # noqa: E402
from opsbook.check.loader import load_document  # noqa: E402
from opsbook.edit.yamledit import Edit, apply_edits, node_at, render_flow_map  # noqa: E402
from postgres_server import start_postgres  # noqa: E402

DAYS = [dt.date(2026, 6, 1) + dt.timedelta(days=i) for i in range(30)]
EVENTS_PER_DAY = 10
QUERY = (
    "SELECT day AS date, ROUND(AVG(value), 2) AS value FROM bench.metric_events "
    "WHERE metric_key = '{key}' AND day BETWEEN :start AND :end GROUP BY day ORDER BY day"
)


def rewrite_sources(scenarios: Path, make: Callable[[str, str], dict[str, str]]) -> int:
    """Replace every metric's ``source`` with ``make(scenario_id, metric_id)``."""
    count = 0
    for path in sorted(scenarios.glob("*.yaml")):
        if path.name == "team.yaml":
            continue
        text = path.read_text(encoding="utf-8")
        document = load_document(path.name, text.encode())
        edits = []
        for index, metric in enumerate(document.data["metrics"]):
            node = node_at(document.root, ("metrics", index, "source"))
            assert node is not None
            source = render_flow_map(make(document.data["id"], metric["id"]))
            edits.append(Edit(node.start_mark.index, node.end_mark.index, source))
            count += 1
        path.write_text(apply_edits(text, edits), encoding="utf-8")
    return count


def metric_keys(scenarios: Path) -> list[str]:
    keys = []
    for path in sorted(scenarios.glob("*.yaml")):
        if path.name != "team.yaml":
            data = load_document(path.name, path.read_bytes()).data
            keys += [f"{data['id']}/{m['id']}" for m in data["metrics"]]
    return keys


def fill_postgres(url: str, keys: list[str]) -> int:
    import psycopg

    rng = random.Random(7)
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as db:
        db.execute("CREATE SCHEMA bench")
        db.execute("CREATE TABLE bench.metric_events (metric_key text, day date, value numeric)")
        with db.cursor().copy("COPY bench.metric_events FROM STDIN") as copy:
            for key in keys:
                for day in DAYS:
                    for _ in range(EVENTS_PER_DAY):
                        copy.write_row((key, day, round(rng.uniform(10, 90), 2)))
        db.execute("CREATE INDEX ON bench.metric_events (metric_key, day)")
        db.execute("ANALYZE bench.metric_events")
    return len(keys) * len(DAYS) * EVENTS_PER_DAY


def write_csvs(scenarios: Path, keys: list[str]) -> None:
    rng = random.Random(11)
    folder = scenarios / "data" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    for key in keys:
        rows = "".join(f"{day.isoformat()},{round(rng.uniform(10, 90), 1)}\n" for day in DAYS)
        (folder / f"{key.replace('/', '--')}.csv").write_text("date,value\n" + rows)


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    last = (result.stdout.strip().splitlines() or [""])[-2:]
    return elapsed, " / ".join(last)


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 477
    export_count = int(argv[1]) if len(argv) > 1 else 1000
    opsbook = [sys.executable, "-m", "opsbook"]
    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory(prefix="opsbook-bench-data-") as temp:
        base = Path(temp)
        env = {**os.environ, "OPSBOOK_CACHE_DIR": str(base / "cache"), "NO_COLOR": "1",
               "LANG": "C.UTF-8", "OPSBOOK_LANG": "en"}  # fmt: skip
        server = start_postgres()
        try:
            # PostgreSQL.
            project = base / "pg"
            scenarios = generate(count, project)
            keys = metric_keys(scenarios)
            url = server.url
            events = fill_postgres(url, keys)
            metrics = rewrite_sources(scenarios, lambda s, m: {
                "kind": "sql", "connection_env": "BENCH_WAREHOUSE_URL",
                "query": QUERY.format(key=f"{s}/{m}"),
            })  # fmt: skip
            env_pg = {**env, "BENCH_WAREHOUSE_URL": url}
            for label in ("cold cache, writes", "warm cache, no change"):
                seconds, tail = timed([*opsbook, "pull"], project, env_pg)
                rows.append((f"pull {metrics} metrics from PostgreSQL ({events:,} rows), {label}",
                             seconds, tail))  # fmt: skip
            queries = _in_process_queries(project, url)
            rows.append((f"  of which the {metrics} queries alone (in process)", queries, ""))
            # CSV.
            project = base / "csv"
            scenarios = generate(count, project)
            write_csvs(scenarios, keys)
            metrics = rewrite_sources(scenarios, lambda s, m: {
                "kind": "csv", "path": f"data/bench/{s}--{m}.csv",
            })  # fmt: skip
            for label in ("cold cache, writes", "warm cache, no change"):
                seconds, tail = timed([*opsbook, "pull"], project, env)
                rows.append((f"pull {metrics} metrics from CSV files, {label}", seconds, tail))
        finally:
            server.stop()
        # Exports of a larger corpus, as generated (with the shipped observations).
        project = base / "export"
        generate(export_count, project)
        timed([*opsbook, "check", "scenarios"], project, env)  # warm the check cache
        for fmt, name in (("xlsx", "out.xlsx"), ("json", "out.json"), ("ics", "out.ics")):
            seconds, tail = timed([*opsbook, "export", "--format", fmt, "-o", name], project, env)
            size = (project / name).stat().st_size
            rows.append((f"export --format {fmt}, {export_count} scenarios ({size / 1e6:.1f} MB)",
                         seconds, tail))  # fmt: skip
        seconds, tail = timed([*opsbook, "import-xlsx", "out.xlsx"], project, env)
        rows.append(("import-xlsx of that workbook, no edits", seconds, tail))
        in_process = _in_process_xlsx(project)
        rows.append(
            ("xlsx workbook alone, built in process (no start-up, no check)", in_process, "")
        )
    _print(rows)
    return 0


def _in_process_queries(project: Path, url: str) -> float:
    """The database part of a pull: every query, validated, without the YAML work."""
    from opsbook.edit.sources.sql import Databases, run_query
    from opsbook.model.catalog import load_catalog

    catalog, _ = load_catalog([project / "scenarios"], as_of=dt.date(2026, 6, 22))
    assert catalog is not None
    start = time.perf_counter()
    with Databases({"BENCH_WAREHOUSE_URL": url}) as databases:
        for scenario in catalog.scenarios:
            for metric in scenario.metrics:
                fetched = run_query(databases, metric.source, scenario.cycle, metric.id, "")
                assert not fetched.problems, fetched.problems
    return time.perf_counter() - start


def _in_process_xlsx(project: Path) -> float:
    from opsbook.exports.workbook import workbook_bytes
    from opsbook.model.catalog import load_catalog

    catalog, _ = load_catalog([project / "scenarios"], as_of=dt.date(2026, 6, 22))
    assert catalog is not None
    start = time.perf_counter()
    workbook_bytes(catalog, "zh-CN")
    return time.perf_counter() - start


def _print(rows: list[tuple[str, float, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'what':<{width}}  {'seconds':>8}  output")
    for what, seconds, tail in rows:
        print(f"{what:<{width}}  {seconds:8.2f}  {tail}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
