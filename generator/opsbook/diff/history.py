"""Scenarios as they were at a git revision: the input of ``opsbook diff`` and of the pack's
"since the last review" section.

A revision's scenario folder (and team directory) is extracted from git into a temporary
folder and loaded by :func:`opsbook.model.catalog.load_catalog`, the same door every output goes
through, so a revision is judged exactly as ``opsbook check`` would have judged it then. A
revision whose files are broken yields no catalog and a check result with its errors, never an
exception. File names in the results are relative to the project root (``scenarios/x.yaml``)
whether they came from git or from the work tree, so the two sides of a diff can be matched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from opsbook.check.diagnostics import Diagnostic
from opsbook.check.run import TEAM_FILE_NAME, CheckResult, UsageError
from opsbook.model import Team
from opsbook.model.catalog import Catalog, load_catalog
from opsbook.support.cache import Cache

WORK_TREE = "WORKTREE"
"""The revision name of the files on disk, uncommitted changes included."""

_BASE_CANDIDATES = ("origin/main", "main", "origin/master", "master")
_GIT_TIMEOUT = 120
_SCRATCH_MIN_FREE = 512 * 1024 * 1024


class RevisionError(UsageError):
    """Not a git repository, or a revision git does not know (exit code 2)."""


def git(repo: Path, *args: str, binary: bool = False) -> str | bytes:
    """Run git in ``repo``; a failure raises :class:`RevisionError` with git's own words."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args],
            capture_output=True,
            env=env,
            timeout=_GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise RevisionError("git is not installed (opsbook diff needs it)") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout if binary else done.stdout.decode("utf-8", "replace").strip()


def _git_text(repo: Path, *args: str) -> str:
    result = git(repo, *args)
    assert isinstance(result, str)
    return result


def ensure_repository(repo: Path) -> None:
    try:
        _git_text(repo, "rev-parse", "--git-dir")
    except RevisionError:
        raise RevisionError(f"{repo} is not inside a git repository") from None


def resolve_revision(repo: Path, revision: str) -> str:
    """The commit id of ``revision``; :data:`WORK_TREE` stays as it is."""
    if revision == WORK_TREE:
        return revision
    try:
        return _git_text(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except RevisionError:
        raise RevisionError(f"unknown revision '{revision}'") from None


def default_base(repo: Path) -> str:
    """Where the current branch left the main line: ``git merge-base origin/main HEAD``.

    Falls back to ``main`` (and ``master``) when there is no remote, then to ``HEAD~1``, then
    to ``HEAD`` itself (a repository with one commit: the diff shows uncommitted changes).
    """
    for candidate in _BASE_CANDIDATES:
        try:
            return _git_text(repo, "merge-base", candidate, "HEAD")
        except RevisionError:
            continue
    if _git_text(repo, "rev-parse", "--is-shallow-repository") == "true":
        raise RevisionError(
            "this is a shallow clone: the merge base with main is not in it; fetch the history "
            "(actions/checkout: fetch-depth: 0) or name the base revision"
        )
    for candidate in ("HEAD~1", "HEAD"):
        try:
            return resolve_revision(repo, candidate)
        except RevisionError:
            continue
    raise RevisionError("the repository has no commits yet: name the revisions to compare")


def short_name(repo: Path, revision: str) -> str:
    """A revision as people read it: ``WORKTREE`` or an abbreviated commit id."""
    if revision == WORK_TREE:
        return revision
    return _git_text(repo, "rev-parse", "--short", revision)


def catalog_at_revision(
    repo: Path,
    revision: str,
    *,
    as_of: dt.date,
    scenarios: str = "scenarios",
    team: str | None = None,
    cache: Cache | None = None,
) -> tuple[Catalog | None, CheckResult]:
    """The catalog of ``repo`` at ``revision`` (:data:`WORK_TREE`: the files on disk).

    ``scenarios`` and ``team`` are paths relative to the project root ``repo``. A revision
    without the scenario folder gives an empty catalog: everything after it is "added".
    """
    ensure_repository(repo)
    if revision == WORK_TREE:
        return _load(repo, repo, scenarios, team, as_of, cache)
    commit = resolve_revision(repo, revision)
    prefix = _git_text(repo, "rev-parse", "--show-prefix")
    with tempfile.TemporaryDirectory(prefix="opsbook-rev-", dir=_scratch()) as folder:
        root = Path(folder)
        wanted = [scenarios] + ([team] if team else [])
        present = [p for p in wanted if _exists_at(repo, commit, prefix + p)]
        if scenarios not in present:
            return _empty(as_of), CheckResult(files=(), diagnostics=())
        _extract(repo, commit, [prefix + p for p in present], root)
        return _load(root / prefix, root / prefix, scenarios, team, as_of, cache)


def _scratch() -> str | None:
    """Where to unpack a revision: memory (``/dev/shm``) when it has room, because creating a
    thousand small files on a disk costs seconds and in memory a tenth of that; else the
    default temporary folder."""
    shm = Path("/dev/shm")
    try:
        roomy = shutil.disk_usage(shm).free > _SCRATCH_MIN_FREE
    except OSError:
        return None
    return str(shm) if roomy and os.access(shm, os.W_OK | os.X_OK) else None


def _exists_at(repo: Path, commit: str, path: str) -> bool:
    try:
        git(repo, "cat-file", "-e", f"{commit}:{path.rstrip('/')}")
    except RevisionError:
        return False
    return True


def _extract(repo: Path, commit: str, paths: list[str], into: Path) -> None:
    """``git archive`` the paths into ``into``; the tar is unpacked with the safe "data" filter
    (no absolute paths, no links out of the folder, no device files)."""
    data = git(repo, "archive", "--format=tar", commit, "--", *paths, binary=True)
    assert isinstance(data, bytes)
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            archive.extractall(into, filter="data")
    except tarfile.TarError as error:  # e.g. a symbolic link that leaves the repository
        raise RevisionError(f"cannot read the scenarios of {commit[:12]}: {error}") from None


def _load(
    root: Path,
    project: Path,
    scenarios: str,
    team: str | None,
    as_of: dt.date,
    cache: Cache | None,
) -> tuple[Catalog | None, CheckResult]:
    folder = project / scenarios
    team_file = project / team if team else folder / TEAM_FILE_NAME
    if not folder.exists():
        return _empty(as_of), CheckResult(files=(), diagnostics=())
    catalog, result = load_catalog(
        [folder], as_of=as_of, team_file=team_file, cache=cache, root=project, base=root
    )
    return _relabel_catalog(catalog, root), _relabel_result(result, root)


def _empty(as_of: dt.date) -> Catalog:
    return Catalog.build(Team("", None, {}, {}), [], as_of)


def relative_name(shown: str, root: Path) -> str:
    """A file name as reported (relative to the working directory, or absolute) made
    relative to ``root``, so that both sides of a comparison name files the same way."""
    try:
        return PurePosixPath(Path(shown).resolve().relative_to(root.resolve())).as_posix()
    except ValueError:
        return shown


def _relabel_result(result: CheckResult, root: Path) -> CheckResult:
    def fix(diagnostic: Diagnostic) -> Diagnostic:
        args = {
            key: relative_name(value, root) if key in ("other", "team_file") else value
            for key, value in diagnostic.args.items()
        }
        return dataclasses.replace(diagnostic, file=relative_name(diagnostic.file, root), args=args)

    return CheckResult(
        files=tuple(relative_name(f, root) for f in result.files),
        diagnostics=tuple(fix(d) for d in result.diagnostics),
    )


def _relabel_catalog(catalog: Catalog | None, root: Path) -> Catalog | None:
    if catalog is None:
        return None
    scenarios = [
        dataclasses.replace(s, file=relative_name(s.file, root)) for s in catalog.scenarios
    ]
    return Catalog.build(catalog.team, scenarios, catalog.as_of)
