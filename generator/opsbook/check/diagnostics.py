"""Diagnostics: every problem opsbook finds, as plain data.

A diagnostic carries a stable code and the arguments of its message, not the message itself:
the text is produced by :mod:`opsbook.i18n.messages` in the reader's language when it is reported,
so cached diagnostics stay valid whatever ``--lang`` is.

Its location is one of: a span of a text file (start and end ``line:col``, 1-based, the end
exclusive), a line of a file (``col`` 0), a cell of a workbook (``book.xlsx!Sheet!K7``), a
file alone, or nothing at all (a command-line option, a whole pack).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from opsbook.i18n.messages import say

JsonPath = tuple[str | int, ...]


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is, without its span: see the module's docstring."""

    file: str = ""
    line: int = 0
    col: int = 0
    cell: str = ""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem, where it is (see the module's docstring) and the arguments of its message."""

    code: str
    severity: Severity = Severity.ERROR
    file: str = ""
    line: int = 0
    col: int = 0
    path: JsonPath = ()
    args: Mapping[str, Any] = field(default_factory=dict)
    end_line: int = 0  # 0: the end is not known (a point, a line, a cell)
    end_col: int = 0
    cell: str = ""  # ``Sheet!K7`` inside the workbook ``file``

    @property
    def where(self) -> str:
        """The location as users read it: ``file:line:col``, ``file:line``, ``book!Sheet!K7``,
        ``file`` or ``""``."""
        where = f"{self.file}!{self.cell}" if self.cell else self.file
        if self.line:
            where += f":{self.line}"
        if self.col:
            where += f":{self.col}"
        return where

    @property
    def location(self) -> Location:
        return Location(self.file, self.line, self.col, self.cell)

    @classmethod
    def at(
        cls, where: Location | str, code: str, args: Mapping[str, Any] | None = None
    ) -> Diagnostic:
        """An error at ``where`` (a line, a cell, a file or nowhere; a string names a file)."""
        if isinstance(where, str):
            where = Location(where)
        return cls(code, Severity.ERROR, where.file, where.line, where.col, (), args or {},
                   cell=where.cell)  # fmt: skip

    def message(self, lang: str) -> str:
        """The message alone in ``lang`` (so a diagnostic can be the argument of another)."""
        return say(self.code, lang, **self.args)

    def render(self, lang: str) -> str:
        """One line, ``where: error: message`` (``pull``, ``import-xlsx``); ``check`` shows
        a diagnostic with its snippet and hint instead (:mod:`.reporters`)."""
        prefix = f"{self.where}: " if self.where else ""
        return f"{prefix}{say('edit.error', lang)}: {self.message(lang)}"

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
            "end": [self.end_line, self.end_col],
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
            end_line=record.get("end", (0, 0))[0],
            end_col=record.get("end", (0, 0))[1],
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
