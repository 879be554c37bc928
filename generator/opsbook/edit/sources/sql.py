"""SQL sources: a query run through SQLAlchemy against the database named by an env var.

The query is sent as written, with the cycle dates as bound parameters (``:start``,
``:end``), never formatted into the text; aggregation happens in the database, and only
(date, value) rows come back. The connection string lives in an environment variable (a CI
secret), never in the YAML.

``check`` has already refused anything but one read-only SELECT (:mod:`.sqlcheck`); run time
does not rely on it. Every query gets a connection of its own, so one metric cannot change
the session of the next. SQLite files are opened read-only through a ``mode=ro`` URI (a
missing file is refused, never created), with ``query_only`` on and an authorizer that allows
reading and nothing else (no ATTACH, DETACH, PRAGMA or write of any kind). PostgreSQL runs
each query in a READ ONLY transaction with a statement timeout, always rolled back.
"""

from __future__ import annotations

import os
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Date, bindparam, create_engine, make_url, text
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from opsbook.check.diagnostics import Diagnostic, Location
from opsbook.edit.sources import Fetched, collect
from opsbook.edit.sources.sqlcheck import FORBIDDEN_FUNCTIONS
from opsbook.model import Cycle, Source

MAX_ROWS = 10_000  # one row per day: a cycle never needs more; more means no GROUP BY
CONNECT_TIMEOUT_S = 10
STATEMENT_TIMEOUT_MS = 120_000
PARAMETERS = ("start", "end")
_SQLITE_ALLOWED = frozenset(
    {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}
)


def _reason(error: BaseException) -> str:
    """The driver's own message, first line: what the database said, without SQLAlchemy's
    wrapping, the SQL text or the link to its FAQ."""
    original = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    return lines[0] if lines else type(original).__name__


class Databases:
    """Engines by environment variable, made on first use; a fresh connection per query."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ
        self._engines: dict[str, Engine | Diagnostic] = {}

    def __enter__(self) -> Databases:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for engine in self._engines.values():
            if not isinstance(engine, Diagnostic):
                engine.dispose()

    def connection(self, env: str, metric: str, where: Location) -> Connection | Diagnostic:
        """A new connection (the caller closes it): nothing a query does to its session
        reaches the next query."""
        if env not in self._engines:
            self._engines[env] = self._engine(env, metric, where)
        engine = self._engines[env]
        args: dict[str, Any] = {"metric": metric, "env": env}
        if isinstance(engine, Diagnostic):
            return Diagnostic.at(where, engine.code, {**engine.args, **args})
        try:
            return engine.connect()
        except SQLAlchemyError as error:
            shown = engine.url.render_as_string(hide_password=True)
            return Diagnostic.at(
                where, "sql.connect", {**args, "url": shown, "reason": _reason(error)}
            )

    def _engine(self, env: str, metric: str, where: Location) -> Engine | Diagnostic:
        args: dict[str, Any] = {"metric": metric, "env": env}
        raw = self._environ.get(env, "").strip()
        if not raw:
            return Diagnostic.at(where, "sql.no-env", args)
        try:
            url = make_url(raw)
        except ArgumentError as error:
            return Diagnostic.at(where, "sql.bad-url", {**args, "reason": _reason(error)})
        shown = url.render_as_string(hide_password=True)
        try:
            return _engine(url, where, args)
        except (NoSuchModuleError, ArgumentError) as error:
            return Diagnostic.at(where, "sql.bad-url", {**args, "reason": _reason(error)})
        except ImportError as error:
            return Diagnostic.at(
                where, "sql.no-driver", {**args, "url": shown, "reason": str(error)}
            )


def _engine(url: URL, where: Location, args: dict[str, Any]) -> Engine | Diagnostic:
    backend = url.get_backend_name()
    if backend == "sqlite":
        opener = _sqlite_opener(url, where, args)
        if isinstance(opener, Diagnostic):
            return opener
        return create_engine("sqlite://", creator=opener, poolclass=NullPool)
    connect_args: dict[str, Any] = {}
    if backend == "postgresql":
        connect_args = {"connect_timeout": CONNECT_TIMEOUT_S}
    return create_engine(url, connect_args=connect_args, poolclass=NullPool)


def _sqlite_opener(
    url: URL, where: Location, args: dict[str, Any]
) -> Callable[[], sqlite3.Connection] | Diagnostic:
    """A function opening the database file read-only; refuses what would create a file."""
    database = url.database or ""
    if database in ("", ":memory:"):
        return lambda: _sqlite_connect(":memory:", uri=False)
    params = {k: str(v) for k, v in url.query.items()}
    path = database
    if database.startswith("file:"):
        parts = urllib.parse.urlsplit(database)
        path = urllib.parse.unquote(parts.path)
        params.update(urllib.parse.parse_qsl(parts.query))
    mode = params.get("mode", "ro")
    if mode != "ro":
        return Diagnostic.at(where, "sql.sqlite-mode", {**args, "mode": mode})
    if not Path(path).is_file():
        return Diagnostic.at(where, "sql.no-file", {**args, "path": path})
    target = Path(path).resolve().as_uri() + "?mode=ro"
    return lambda: _sqlite_connect(target, uri=True)


def _sqlite_connect(target: str, *, uri: bool) -> sqlite3.Connection:
    connection = sqlite3.connect(target, uri=uri, check_same_thread=False)
    connection.execute("PRAGMA query_only = ON")
    return connection


def _sqlite_authorizer(action: int, first: str | None, *_rest: str | None) -> int:
    """Reading only: every other action (write, ATTACH, DETACH, PRAGMA, …) is denied."""
    if action not in _SQLITE_ALLOWED:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION and (first or "").lower() in FORBIDDEN_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def run_query(
    databases: Databases, source: Source, cycle: Cycle, metric: str, where: Location
) -> Fetched:
    """Run the metric's query for its cycle and validate the rows it returns."""
    assert source.query is not None and source.connection_env is not None  # the schema says so
    connection = databases.connection(source.connection_env, metric, where)
    if isinstance(connection, Diagnostic):
        return Fetched(problems=(connection,))
    with connection:
        return _run(connection, source, cycle, metric, where)


def _run(
    connection: Connection, source: Source, cycle: Cycle, metric: str, where: Location
) -> Fetched:
    assert source.query is not None
    clause = text(source.query)
    names = list(clause.compile().params)
    unknown = [n for n in names if n not in PARAMETERS]
    if unknown:
        return Fetched(
            problems=(Diagnostic.at(where, "sql.params", {"metric": metric, "name": unknown[0]}),)
        )
    clause = clause.bindparams(*(bindparam(n, type_=Date) for n in names))
    values = {"start": cycle.start, "end": cycle.end}
    try:
        keys, rows = _execute(connection, clause, {n: values[n] for n in names})
    except SQLAlchemyError as error:
        return Fetched(
            problems=(
                Diagnostic.at(where, "sql.query", {"metric": metric, "reason": _reason(error)}),
            )
        )
    return _rows(keys, rows, source, cycle, metric, where)


def _execute(
    connection: Connection, clause: Any, params: dict[str, Any]
) -> tuple[list[str], list[Any]]:
    """Execute in a read-only transaction that is always rolled back."""
    transaction = connection.begin()
    try:
        if connection.dialect.name == "sqlite":
            raw = connection.connection.dbapi_connection
            assert isinstance(raw, sqlite3.Connection)
            raw.set_authorizer(_sqlite_authorizer)
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET TRANSACTION READ ONLY"))
            connection.execute(text(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}"))
        result = connection.execute(clause, params)
        return list(result.keys()), list(result.fetchmany(MAX_ROWS + 1))
    finally:
        transaction.rollback()


def _rows(
    keys: list[str], rows: list[Any], source: Source, cycle: Cycle, metric: str, where: Location
) -> Fetched:
    if source.date_column not in keys or source.value_column not in keys:
        args = {
            "metric": metric, "columns": ", ".join(keys),
            "date_column": source.date_column, "value_column": source.value_column,
        }  # fmt: skip
        return Fetched(problems=(Diagnostic.at(where, "sql.columns", args),))
    if len(rows) > MAX_ROWS:
        return Fetched(
            problems=(Diagnostic.at(where, "sql.too-many", {"metric": metric, "limit": MAX_ROWS}),)
        )
    date_at, value_at = keys.index(source.date_column), keys.index(source.value_column)
    fetched = collect(_records(rows, where, date_at, value_at), source, cycle)
    return Fetched(fetched.rows, fetched.outside, tuple(_wrap(p, where) for p in fetched.problems))


def _records(
    rows: list[Any], where: Location, date_at: int, value_at: int
) -> Iterator[tuple[Location, Any, Any]]:
    for number, row in enumerate(rows, start=1):
        yield Location("row", number), row[date_at], row[value_at]


def _wrap(problem: Diagnostic, where: Location) -> Diagnostic:
    """Row problems name the query's place in the YAML file and the row number."""
    code = "value.duplicate-row" if problem.code == "value.duplicate" else problem.code
    nested = Diagnostic(code, args=problem.args)
    return Diagnostic.at(where, "sql.row", {"row": str(problem.line), "problem": nested})
