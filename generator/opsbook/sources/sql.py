"""SQL sources: a query run through SQLAlchemy against the database named by an env var.

The query is sent as written, with the cycle dates as bound parameters (``:start``,
``:end``), never formatted into the text; aggregation happens in the database, and only
(date, value) rows come back. The connection string lives in an environment variable (a CI
secret), never in the YAML. Transactions are read-only: ``pull`` never writes to a warehouse.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Date, bindparam, create_engine, event, make_url, text
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from opsbook.model import Cycle, Source
from opsbook.sources import Fetched, collect
from opsbook.sources.texts import Problem

MAX_ROWS = 10_000  # one row per day: a cycle never needs more; more means no GROUP BY
CONNECT_TIMEOUT_S = 10
STATEMENT_TIMEOUT_MS = 120_000
PARAMETERS = ("start", "end")


def _reason(error: BaseException) -> str:
    """The driver's own message, first line: what the database said, without SQLAlchemy's
    wrapping, the SQL text or the link to its FAQ."""
    original = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    return lines[0] if lines else type(original).__name__


class Databases:
    """Connections by environment variable, opened on first use and closed at the end."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ
        self._open: dict[str, tuple[Engine, Connection] | Problem] = {}

    def __enter__(self) -> Databases:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for opened in self._open.values():
            if not isinstance(opened, Problem):
                opened[1].close()
                opened[0].dispose()

    def connection(self, env: str, metric: str, where: str) -> Connection | Problem:
        if env not in self._open:
            self._open[env] = self._connect(env, metric, where)
        opened = self._open[env]
        if isinstance(opened, Problem):
            return Problem(where, opened.code, {**opened.args, "metric": metric})
        return opened[1]

    def _connect(self, env: str, metric: str, where: str) -> tuple[Engine, Connection] | Problem:
        args: dict[str, Any] = {"metric": metric, "env": env}
        raw = self._environ.get(env, "").strip()
        if not raw:
            return Problem(where, "sql.no-env", args)
        try:
            url = make_url(raw)
        except ArgumentError as error:
            return Problem(where, "sql.bad-url", {**args, "reason": _reason(error)})
        shown = url.render_as_string(hide_password=True)
        missing = _missing_sqlite_file(url)
        if missing:
            return Problem(where, "sql.no-file", {**args, "path": missing})
        try:
            engine = _engine(url)
        except (NoSuchModuleError, ArgumentError) as error:
            return Problem(where, "sql.bad-url", {**args, "reason": _reason(error)})
        except ImportError as error:
            return Problem(where, "sql.no-driver", {**args, "url": shown, "reason": str(error)})
        try:
            return engine, engine.connect()
        except SQLAlchemyError as error:
            engine.dispose()
            return Problem(where, "sql.connect", {**args, "url": shown, "reason": _reason(error)})


def _missing_sqlite_file(url: URL) -> str | None:
    """SQLite would silently create an empty database for a mistyped path; refuse instead."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    if url.query.get("uri") or url.database.startswith("file:"):
        return None
    return None if Path(url.database).is_file() else url.database


def _engine(url: URL) -> Engine:
    backend = url.get_backend_name()
    connect_args: dict[str, Any] = {}
    if backend == "postgresql":
        connect_args = {"connect_timeout": CONNECT_TIMEOUT_S}
    engine = create_engine(url, connect_args=connect_args, poolclass=None)
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_read_only)
    return engine


def _sqlite_read_only(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only = ON")
    cursor.close()


def run_query(
    databases: Databases, source: Source, cycle: Cycle, metric: str, where: str
) -> Fetched:
    """Run the metric's query for its cycle and validate the rows it returns."""
    assert source.query is not None and source.connection_env is not None  # the schema says so
    connection = databases.connection(source.connection_env, metric, where)
    if isinstance(connection, Problem):
        return Fetched(problems=(connection,))
    clause = text(source.query)
    names = list(clause.compile().params)
    unknown = [n for n in names if n not in PARAMETERS]
    if unknown:
        return Fetched(
            problems=(Problem(where, "sql.params", {"metric": metric, "name": unknown[0]}),)
        )
    clause = clause.bindparams(*(bindparam(n, type_=Date) for n in names))
    values = {"start": cycle.start, "end": cycle.end}
    try:
        keys, rows = _execute(connection, clause, {n: values[n] for n in names})
    except SQLAlchemyError as error:
        return Fetched(
            problems=(Problem(where, "sql.query", {"metric": metric, "reason": _reason(error)}),)
        )
    return _rows(keys, rows, source, cycle, metric, where)


def _execute(
    connection: Connection, clause: Any, params: dict[str, Any]
) -> tuple[list[str], list[Any]]:
    """Execute in a read-only transaction that is always rolled back."""
    transaction = connection.begin()
    try:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET TRANSACTION READ ONLY"))
            connection.execute(text(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}"))
        result = connection.execute(clause, params)
        return list(result.keys()), list(result.fetchmany(MAX_ROWS + 1))
    finally:
        transaction.rollback()


def _rows(
    keys: list[str], rows: list[Any], source: Source, cycle: Cycle, metric: str, where: str
) -> Fetched:
    if source.date_column not in keys or source.value_column not in keys:
        args = {
            "metric": metric, "columns": ", ".join(keys),
            "date_column": source.date_column, "value_column": source.value_column,
        }  # fmt: skip
        return Fetched(problems=(Problem(where, "sql.columns", args),))
    if len(rows) > MAX_ROWS:
        return Fetched(
            problems=(Problem(where, "sql.too-many", {"metric": metric, "limit": MAX_ROWS}),)
        )
    date_at, value_at = keys.index(source.date_column), keys.index(source.value_column)
    fetched = collect(_records(rows, where, date_at, value_at), source, cycle)
    return Fetched(fetched.rows, fetched.outside, tuple(_wrap(p, where) for p in fetched.problems))


def _records(
    rows: list[Any], where: str, date_at: int, value_at: int
) -> Iterator[tuple[str, Any, Any]]:
    for number, row in enumerate(rows, start=1):
        yield f"row:{number}", row[date_at], row[value_at]


def _wrap(problem: Problem, where: str) -> Problem:
    """Row problems name the query's place in the YAML file and the row number."""
    code = "value.duplicate-row" if problem.code == "value.duplicate" else problem.code
    row = problem.where.rsplit(":", 1)[-1]
    return Problem(where, "sql.row", {"row": row, "problem": Problem("", code, problem.args)})
