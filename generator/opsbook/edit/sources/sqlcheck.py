"""A metric's query is one read-only statement: ``SELECT`` or ``WITH … SELECT``, nothing else.

The query is parsed by sqlglot (a real SQL parser, not patterns that a comment or a string
could fool) and refused when it holds more than one statement, is not a query, or contains
anything that writes, changes the session or reaches outside the database anywhere in its
tree (a CTE-wrapped ``DELETE``, ``SELECT … INTO``, ``FOR UPDATE``). The database behind it is
not known at ``check`` time, so the SQLite, PostgreSQL and generic grammars are tried in turn.
Run time adds its own defences (see :mod:`opsbook.edit.sources.sql`): this check is the first wall,
not the only one.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

DIALECTS = ("sqlite", "postgres", None)

# Nodes that write, change the session, or leave the database, wherever they appear.
_FORBIDDEN: Mapping[type[exp.Expression], str] = {
    exp.Insert: "INSERT", exp.Update: "UPDATE", exp.Delete: "DELETE", exp.Merge: "MERGE",
    exp.Create: "CREATE", exp.Drop: "DROP", exp.Alter: "ALTER", exp.Into: "SELECT … INTO",
    exp.Lock: "FOR UPDATE / FOR SHARE", exp.Command: "a command", exp.Pragma: "PRAGMA",
    exp.Attach: "ATTACH", exp.Detach: "DETACH", exp.Copy: "COPY", exp.Set: "SET",
    exp.Transaction: "BEGIN", exp.Commit: "COMMIT", exp.Rollback: "ROLLBACK", exp.Use: "USE",
    exp.TruncateTable: "TRUNCATE", exp.LoadData: "LOAD DATA",
}  # fmt: skip

# Functions that read server files, load code, end sessions or change settings: a SELECT can
# call them. Sequence functions are left to the read-only transaction, which refuses them.
FORBIDDEN_FUNCTIONS = frozenset({
    "load_extension", "readfile", "writefile", "edit", "fts3_tokenizer",
    "pg_read_file", "pg_read_binary_file", "pg_ls_dir", "pg_stat_file", "lo_import",
    "lo_export", "lo_from_bytea", "lo_put", "lo_unlink", "dblink", "dblink_exec",
    "dblink_connect", "set_config", "pg_terminate_backend", "pg_cancel_backend",
    "pg_reload_conf", "pg_rotate_logfile", "pg_sleep", "query_to_xml", "pg_advisory_lock",
})  # fmt: skip

_QUERIES = (exp.Select, exp.Union, exp.Intersect, exp.Except)


@dataclass(frozen=True)
class Refusal:
    """Why a query is refused: a diagnostic code and its arguments."""

    code: str
    args: Mapping[str, Any] = field(default_factory=dict)


def refuse_query(query: str) -> Refusal | None:
    """The reason ``query`` is not one read-only statement, or None when it is."""
    parsed = _parse(query)
    if isinstance(parsed, Refusal):
        return parsed
    statements = [s for s in parsed if s is not None]
    if len(statements) != 1:
        return Refusal("sql.statements", {"count": len(statements)})
    statement = statements[0]
    if not isinstance(statement, _QUERIES):
        return Refusal("sql.not-select", {"kind": _kind(statement)})
    for node in statement.walk():
        refused = _refuse_node(node)
        if refused:
            return refused
    return None


def _parse(query: str) -> list[exp.Expression | None] | Refusal:
    """Statements by the first grammar that reads the whole text; the SQLite one's complaint
    when none does."""
    first: Exception | None = None
    quiet = logging.getLogger("sqlglot")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # sqlglot logs "unsupported syntax" fallbacks
    try:
        for dialect in DIALECTS:
            try:
                return sqlglot.parse(query, read=dialect)
            except (ParseError, TokenError) as error:
                first = first or error
    finally:
        quiet.setLevel(level)
    return Refusal("sql.unparseable", _where(first))


def _where(error: Exception | None) -> dict[str, Any]:
    details = getattr(error, "errors", None) or [{}]
    detail = details[0]
    return {
        "line": detail.get("line", 1),
        "column": detail.get("col", 1),
        "reason": str(detail.get("description") or error or "").splitlines()[0],
        "near": str(detail.get("highlight") or "").strip()[:40],
    }


def _kind(node: exp.Expression) -> str:
    if isinstance(node, exp.Command):
        return str(node.this).upper()
    return _FORBIDDEN.get(type(node), node.key.upper())


def _refuse_node(node: exp.Expression) -> Refusal | None:
    for kind, name in _FORBIDDEN.items():
        if isinstance(node, kind):
            return Refusal("sql.writes", {"kind": _kind(node) if kind is exp.Command else name})
    if isinstance(node, exp.Func):
        name = _function_name(node)
        if name in FORBIDDEN_FUNCTIONS:
            return Refusal("sql.function", {"name": name})
    return None


def _function_name(node: exp.Func) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    return node.sql_name().lower()
