"""``opsbook check``: load, validate and apply the rules to every file, reporting all problems.

Each scenario file is checked on its own (load → schema → rules), which makes the result a
pure function of the file's bytes, the schemas and the team directory: results are cached by
the hash of those inputs, and files not in the cache are checked in parallel processes.
Only the checks that span files (one id, one scenario) run on the whole set.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opsbook.check.diagnostics import Diagnostic, Severity, promote_warnings, sort_diagnostics
from opsbook.check.loader import find_node, load_document, node_position
from opsbook.check.rules import TeamIndex, check_scenario, check_team
from opsbook.check.rules_paths import PathReference, check_path_references, path_references
from opsbook.check.schema import SCENARIO_SCHEMA, TEAM_SCHEMA, schema_dir, validate_document
from opsbook.edit.sources.confine import inside, project_root
from opsbook.support.cache import Cache, content_key
from opsbook.support.errors import OpsbookUsageError
from opsbook.support.workers import owned_pool, worker_count

TEAM_FILE_NAME = "team.yaml"
SCENARIO_SUFFIXES = (".yaml", ".yml")
_CACHE_NAMESPACE = "check"


class UsageError(OpsbookUsageError):
    """A problem with how opsbook was called (exit code 2), not with the scenarios."""


@dataclass(frozen=True)
class CheckedFile:
    """One file's check result, and its values when it has no error (so that building the
    model never parses the file a second time, and a cached file is not parsed at all).

    The values stay encoded (JSON, as the cache stores them) until the model is built from
    them, one file at a time: decoded, 5,000 files' values were some 200 MiB held at once,
    and as many bytes pickled back from the checking processes."""

    file: str
    scenario_id: str | None
    id_line: int
    diagnostics: tuple[Diagnostic, ...]
    data: bytes | None = None  # the values as JSON; see decode_values
    references: tuple[PathReference, ...] = ()  # judged against the disk on every run

    def to_bytes(self) -> bytes:
        """A JSON line of the result, then its values' JSON as it is (none: ``null``)."""
        record = {
            "file": self.file,
            "scenario_id": self.scenario_id,
            "id_line": self.id_line,
            "diagnostics": [d.to_record() for d in self.diagnostics],
            "references": [r.to_record() for r in self.references],
        }
        values = b"null" if self.data is None else self.data
        return json.dumps(record, ensure_ascii=False).encode() + b"\n" + values

    @classmethod
    def from_bytes(cls, data: bytes) -> CheckedFile:
        line, _, values = data.partition(b"\n")  # JSON text has no raw line break
        record = json.loads(line)
        diagnostics = tuple(Diagnostic.from_record(d) for d in record["diagnostics"])
        references = tuple(PathReference.from_record(r) for r in record["references"])
        return cls(
            record["file"],
            record["scenario_id"],
            record["id_line"],
            diagnostics,
            None if values == b"null" else values,
            references,
        )


def encode_values(values: Any) -> bytes:
    return json.dumps(values, ensure_ascii=False).encode()


def decode_values(encoded: bytes) -> Any:
    return json.loads(encoded)


class EncodedValues(Mapping[str, Any]):
    """File → its values, decoded each time one is asked for (see :class:`CheckedFile`):
    going through them decodes one file at a time."""

    def __init__(self, encoded: Mapping[str, bytes]) -> None:
        self._encoded = dict(encoded)

    def __getitem__(self, file: str) -> Any:
        return decode_values(self._encoded[file])

    def __iter__(self) -> Iterator[str]:
        return iter(self._encoded)

    def __len__(self) -> int:
        return len(self._encoded)


@dataclass(frozen=True)
class CheckResult:
    files: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    # The values of every file without errors (file → data) and of the team directory:
    # what the model is built from, so nothing is parsed twice.
    data: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    team_data: Any = field(default=None, compare=False, repr=False)

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    @property
    def ok(self) -> bool:
        return self.errors == 0


def display_path(path: Path, base: Path) -> str:
    """Paths as the user typed them: relative to ``base`` (the folder the command runs in,
    the project root for the site) when inside it."""
    return display_paths([path], base)[0]


def display_paths(paths: Iterable[Path], base: Path) -> list[str]:
    """``display_path`` of each path, ``base`` resolved once (a thousand files are shown
    on every check and every save under serve)."""
    resolved = base.resolve()
    return [_relative_or_as_given(path, resolved) for path in paths]


def _relative_or_as_given(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def find_scenario_files(paths: Sequence[Path]) -> list[Path]:
    """The scenario files named or contained in ``paths`` (team directories excluded)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*")
                if p.suffix in SCENARIO_SUFFIXES and p.name != TEAM_FILE_NAME and p.is_file()
            )  # fmt: skip
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"no such file or directory: {path}")
    return list(dict.fromkeys(found))


def find_team_file(paths: Sequence[Path]) -> Path:
    """The team directory beside the scenarios: ``<dir>/team.yaml`` of the first path."""
    first = paths[0] if paths else Path("scenarios")
    folder = first if first.is_dir() else first.parent
    return folder / TEAM_FILE_NAME


def check_paths(
    paths: Sequence[Path],
    *,
    team_file: Path | None = None,
    cache: Cache | None = None,
    strict: bool = False,
    jobs: int | None = None,
    root: Path | None = None,
    base: Path,
) -> CheckResult:
    """Check the scenarios under ``paths`` and their team directory; files are shown
    relative to ``base`` (the folder the command runs in, the project root for the site).

    Nothing outside the project ``root`` (by default :func:`project_root` of ``paths``) is
    read: scenario and team files that lead out of it, symbolic links followed, are refused
    unread, and so are the paths the scenarios name.
    """
    root = (root or project_root(paths, base)).resolve()
    files, refused = _inside_root(find_scenario_files(paths), root, base)
    team_path = team_file or find_team_file(paths)
    team, team_raw, team_diagnostics, team_data = _load_team_inside(team_path, root, base)
    checked = check_files(files, team, team_raw, cache or Cache.disabled(), jobs, base=base)
    team_diagnostics = [d for d in team_diagnostics if d not in refused]  # named twice
    diagnostics = [*refused, *team_diagnostics, *_cross_file(checked)]
    for item in checked:
        diagnostics += item.diagnostics
        diagnostics += check_path_references(item.file, item.references, root, base)
    if strict:
        diagnostics = promote_warnings(diagnostics)
    shown = [display_path(team_path, base)] if team_path.exists() else []
    return CheckResult(
        files=_once([*shown, *(item.file for item in checked), *(d.file for d in refused)]),
        diagnostics=tuple(sort_diagnostics(diagnostics)),
        data=EncodedValues({item.file: item.data for item in checked if item.data is not None}),
        team_data=team_data,
    )


def _once(files: list[str]) -> tuple[str, ...]:
    """Each file once: a team file named as a scenario too is one file."""
    return tuple(dict.fromkeys(files))


def _inside_root(
    files: Sequence[Path], root: Path, base: Path
) -> tuple[list[Path], list[Diagnostic]]:
    """The files inside ``root``, and a refusal for each of the others."""
    # One pass: asking each file whether it is among the kept ones made this quadratic
    # (12.5 million path comparisons for 5,000 files).
    kept: list[Path] = []
    refused: list[Diagnostic] = []
    for path in files:
        if inside(path, root):
            kept.append(path)
        else:
            refused.append(_outside_file(path, base))
    return kept, refused


def _outside_file(path: Path, base: Path) -> Diagnostic:
    """Located at the file alone: it is not read, not even to show a line of it."""
    code = "path.file-link-outside" if path.is_symlink() else "path.file-outside"
    return Diagnostic.at(display_path(path, base), code)


def _load_team_inside(
    path: Path, root: Path, base: Path
) -> tuple[TeamIndex | None, bytes, list[Diagnostic], Any]:
    if path.exists() and not inside(path, root):
        return None, b"", [_outside_file(path, base)], None
    return load_team(path, base)


def load_team(path: Path, base: Path) -> tuple[TeamIndex | None, bytes, list[Diagnostic], Any]:
    """The team directory: its index for the rules, raw bytes, problems and values."""
    shown = display_path(path, base)
    if not path.is_file():
        missing = Diagnostic("ref.no-team", Severity.ERROR, shown, 1, 1, (), {"team_file": shown})
        return None, b"", [missing], None
    raw = path.read_bytes()
    document = load_document(shown, raw)
    diagnostics = list(document.diagnostics)
    if document.root is None:
        return None, raw, diagnostics, None
    diagnostics += validate_document(document, TEAM_SCHEMA)
    diagnostics += check_team(document)
    return TeamIndex.from_data(document.data, shown), raw, diagnostics, document.data


def check_file(shown: str, raw: bytes, team: TeamIndex | None) -> CheckedFile:
    """Load, validate and apply the rules to one scenario file."""
    document = load_document(shown, raw)
    diagnostics = list(document.diagnostics)
    scenario_id, id_line = None, 0
    references = path_references(document)
    if document.root is not None:
        diagnostics += _without_echoes(validate_document(document, SCENARIO_SCHEMA), diagnostics)
        diagnostics += check_scenario(document, team, Path(shown).stem)
        if isinstance(document.data, dict) and isinstance(document.data.get("id"), str):
            scenario_id = document.data["id"]
            id_line = node_position(find_node(document.root, ("id",)))[0]
    clean = not any(d.severity is Severity.ERROR for d in diagnostics)
    return CheckedFile(
        shown,
        scenario_id,
        id_line,
        tuple(diagnostics),
        encode_values(document.data) if clean else None,
        references,
    )


def _without_echoes(found: list[Diagnostic], load_problems: list[Diagnostic]) -> list[Diagnostic]:
    """Drop schema errors about a value the loader already refused (a forbidden tag leaves
    an empty value behind; saying it is also empty would only repeat the problem)."""
    refused = {(d.line, d.col) for d in load_problems}
    return [d for d in found if (d.line, d.col) not in refused]


def _context_key(team_raw: bytes) -> str:
    """Everything besides the file itself that a file's result depends on."""
    folder = schema_dir()
    schemas = (folder / SCENARIO_SCHEMA).read_bytes() + (folder / TEAM_SCHEMA).read_bytes()
    return content_key(schemas, team_raw)


def check_files(
    files: Sequence[Path],
    team: TeamIndex | None,
    team_raw: bytes,
    cache: Cache,
    jobs: int | None,
    *,
    base: Path,
) -> list[CheckedFile]:
    """Each file's result, from the cache or checked now. A file's bytes are held only
    while its key is made, and again while it is checked: not every file's at once (the
    scenarios' whole text) for as long as the check runs."""
    context = _context_key(team_raw)
    shown = display_paths(files, base)
    keys = [
        content_key(context, name, path.read_bytes())
        for name, path in zip(shown, files, strict=True)
    ]
    cached = cache.get_many(_CACHE_NAMESPACE, keys)
    missing = [index for index, key in enumerate(keys) if key not in cached]
    inputs = [(shown[index], files[index].read_bytes()) for index in missing]
    fresh = _run_checks(inputs, team, jobs)
    cache.put_many(
        _CACHE_NAMESPACE,
        {
            content_key(context, name, raw): result.to_bytes()  # the bytes checked
            for (name, raw), result in zip(inputs, fresh, strict=True)
        },
    )
    del inputs
    results = dict(zip(missing, fresh, strict=True))
    return [
        results[index] if index in results else CheckedFile.from_bytes(cached.pop(key))
        for index, key in enumerate(keys)
    ]


def _run_checks(
    items: Sequence[tuple[str, bytes]], team: TeamIndex | None, jobs: int | None
) -> list[CheckedFile]:
    workers = worker_count(jobs, len(items))
    if not workers:
        return [check_file(shown, raw, team) for shown, raw in items]
    with owned_pool(workers) as pool:  # its workers end when this process does
        shown, raw = zip(*items, strict=True)
        chunk = max(1, len(items) // (workers * 4))
        return list(pool.map(check_file, shown, raw, [team] * len(items), chunksize=chunk))


def _cross_file(checked: Iterable[CheckedFile]) -> list[Diagnostic]:
    """Scenario ids are unique across the whole knowledge base."""
    first: dict[str, CheckedFile] = {}
    problems: list[Diagnostic] = []
    for item in checked:
        if item.scenario_id is None:
            continue
        if item.scenario_id in first:
            args = {"id": item.scenario_id, "other": first[item.scenario_id].file}
            problems.append(
                Diagnostic(
                    "ref.duplicate-scenario",
                    Severity.ERROR,
                    item.file,
                    item.id_line,
                    5,
                    ("id",),
                    args,
                )
            )
        else:
            first[item.scenario_id] = item
    return problems
