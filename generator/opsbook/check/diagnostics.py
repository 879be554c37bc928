"""Diagnostics: every problem opsbook finds, as plain data.

A diagnostic carries a stable code and the arguments of its message, not the message itself:
the text is produced by :mod:`opsbook.i18n.messages` in the reader's language when it is reported,
so cached diagnostics stay valid whatever ``--lang`` is.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

JsonPath = tuple[str | int, ...]


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One located problem in one file."""

    code: str
    severity: Severity
    file: str
    line: int
    col: int
    path: JsonPath = ()
    args: Mapping[str, Any] = field(default_factory=dict)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.col, self.code)

    def to_record(self) -> dict[str, Any]:
        """A JSON-serialisable form, used by the cache."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "path": list(self.path),
            "args": dict(self.args),
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Diagnostic:
        return cls(
            code=record["code"],
            severity=Severity(record["severity"]),
            file=record["file"],
            line=record["line"],
            col=record["col"],
            path=tuple(record["path"]),
            args=record["args"],
        )


def format_path(path: JsonPath) -> str:
    """Render a path inside the document the way users read it: ``actions[2].status``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def is_error(diagnostic: Diagnostic) -> bool:
    return diagnostic.severity is Severity.ERROR


def promote_warnings(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """``--strict``: every warning becomes an error."""
    return [replace(d, severity=Severity.ERROR) for d in diagnostics]


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: d.sort_key)
