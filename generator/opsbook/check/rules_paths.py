"""The boundaries of a scenario's sources: the files it names stay inside the project, and
its query is one read-only statement."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opsbook.check.diagnostics import Diagnostic, JsonPath, Severity
from opsbook.check.findings import Finding, dicts, text_at
from opsbook.check.loader import LoadedDocument, find_node, node_position
from opsbook.edit.sources.confine import refusal as path_refusal


@dataclass(frozen=True)
class PathReference:
    """A path a scenario names, and where: checked against the disk on every run, because
    a symbolic link can change without the scenario file changing (so never cached)."""

    value: str
    path: JsonPath
    line: int
    col: int

    def to_record(self) -> list[Any]:
        return [self.value, list(self.path), self.line, self.col]

    @classmethod
    def from_record(cls, record: list[Any]) -> PathReference:
        return cls(record[0], tuple(record[1]), record[2], record[3])


def source_queries(data: dict[str, Any]) -> Iterator[Finding]:
    # imported here: the SQL parser takes a tenth of a second to load, and most files
    # (and every cached run) have no query to parse
    from opsbook.edit.sources.sqlcheck import refuse_query

    for index, metric in enumerate(dicts(data, "metrics")):
        query = text_at(metric.get("source"), "query")
        refused = refuse_query(query) if query is not None else None
        if refused is not None:
            yield Finding(refused.code, ("metrics", index, "source", "query"), refused.args)


def prepare_query_checks() -> None:
    """The SQL parser loaded now rather than at the first query checked (serve does it
    while idle, see ``source_queries``)."""
    from opsbook.edit.sources.sqlcheck import refuse_query

    refuse_query("SELECT 1")


def path_references(document: LoadedDocument) -> tuple[PathReference, ...]:
    """Every file path the scenario names (today: the CSV sources)."""
    if document.root is None:
        return ()
    found = []
    for index, metric in enumerate(dicts(document.data, "metrics")):
        value = text_at(metric.get("source"), "path")
        if value:
            path: JsonPath = ("metrics", index, "source", "path")
            line, col = node_position(find_node(document.root, path))
            found.append(PathReference(value, path, line, col))
    return tuple(found)


def check_path_references(
    file: str, references: tuple[PathReference, ...], root: Path, base: Path | None = None
) -> list[Diagnostic]:
    """Paths relative to the scenario file ``file`` (shown relative to ``base``, by default
    the working directory) that lead outside ``root``."""
    found = []
    folder = (base / file if base else Path(file)).parent
    for reference in references:
        code = path_refusal(reference.value, folder, root)
        if code is not None:
            args = {"path": reference.value}
            found.append(
                Diagnostic(
                    code, Severity.ERROR, file, reference.line, reference.col, reference.path, args
                )
            )
    return found
