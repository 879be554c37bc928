"""A set of edits to scenario files, verified before anything is written.

Commands that write into the scenarios (``pull``, ``import-xlsx``) open each file once, add
text edits together with the data they mean the file to hold afterwards, and then:

1. apply the edits in memory and re-load the result: it must load as exactly the intended
   data, so a splice can never change anything it was not asked to;
2. check every edited file as ``opsbook check`` would: an edit never produces a file the
   check rejects;
3. only when every file passed, write them all (temporary files, then renames, undone on
   failure): all or nothing.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yaml.nodes import Node

from opsbook.check.diagnostics import Diagnostic, Location, is_error
from opsbook.check.loader import load_document
from opsbook.check.rules import TeamIndex
from opsbook.check.run import TEAM_FILE_NAME, display_path, load_team
from opsbook.edit.yamledit import Edit, apply_edits
from opsbook.support.atomic import replace_files


@dataclass
class OpenFile:
    """One scenario file being edited: its original bytes, node tree and intended data."""

    path: Path
    shown: str
    original: bytes
    text: str
    root: Node
    data: Any
    expected: Any
    edits: list[Edit] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.edits)


@dataclass(frozen=True)
class FileChange:
    path: Path
    shown: str
    original: bytes
    new: bytes

    def diff(self) -> str:
        before = self.original.decode("utf-8").splitlines(keepends=True)
        after = self.new.decode("utf-8").splitlines(keepends=True)
        lines = difflib.unified_diff(before, after, f"a/{self.shown}", f"b/{self.shown}")
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


class ChangeSet:
    def __init__(self, base: Path) -> None:
        self.base = base  # what the files' shown names are relative to
        self._files: dict[Path, OpenFile] = {}

    def open(self, path: Path) -> OpenFile:
        """The file, loaded once; it passed ``opsbook check`` before (callers ensure this)."""
        key = path.resolve()
        if key not in self._files:
            raw = path.read_bytes()
            document = load_document(display_path(path, self.base), raw)
            assert document.root is not None, "callers open only checked files"
            self._files[key] = OpenFile(
                path=path,
                shown=display_path(path, self.base),
                original=raw,
                text=raw.decode("utf-8"),
                root=document.root,
                data=document.data,
                expected=copy.deepcopy(document.data),
            )
        return self._files[key]

    def finish(self, team: TeamIndex | None) -> tuple[list[FileChange], list[Diagnostic]]:
        """Apply, re-load, verify and check every edited file; nothing is written."""
        changes: list[FileChange] = []
        problems: list[Diagnostic] = []
        for item in self._files.values():
            if not item.changed:
                continue
            new_text = apply_edits(item.text, item.edits)
            problem = verify(item, new_text, team)
            if problem is not None:
                problems.append(problem)
            elif new_text != item.text:
                changes.append(FileChange(item.path, item.shown, item.original, new_text.encode()))
        return changes, problems


def verify(item: OpenFile, new_text: str, team: TeamIndex | None) -> Diagnostic | None:
    """The edited text must load as the intended data and pass the check."""
    from opsbook.check.run import check_file

    reloaded = load_document(item.shown, new_text.encode())
    if reloaded.root is None or reloaded.data != item.expected:
        return Diagnostic.at(Location(item.shown), "edit.unsafe")
    errors = [d for d in check_file(item.shown, new_text.encode(), team).diagnostics if is_error(d)]
    if errors:
        first = errors[0]
        where = Location(item.shown, first.line, first.col)
        return Diagnostic.at(where, "edit.invalid", {"message": first})
    return None


def team_index(paths: Sequence[Path], team_file: Path | None, base: Path) -> TeamIndex | None:
    first = paths[0] if paths else Path("scenarios")
    folder = first if first.is_dir() else first.parent
    return load_team(team_file or folder / TEAM_FILE_NAME, base)[0]


def write_changes(changes: Sequence[FileChange]) -> None:
    replace_files({c.path: c.new for c in changes}, {c.path: c.original for c in changes})
