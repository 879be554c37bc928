"""Writing outputs so that a reader never sees half of one: a temporary file or folder
beside the target, renamed over it when complete. The one place opsbook writes files whole:
one file (:func:`write_file`), a file that must not exist yet (:func:`create_new`), several
files all or nothing (:func:`replace_files`), and a folder (:func:`replace_folder`).

Temporary files and folders are created private (0600/0700); what replaces a target gets
the permissions a plain ``open()`` or ``mkdir`` would have given it under the user's umask,
so a published site or a review pack is readable by the web server or the CI artifact
upload, exactly as if opsbook had written it directly.

A folder is built by one process at a time (:func:`exclusive_folder`, a lock file beside it);
the holder of the lock removes the staging folders of builds that were killed before they
could remove their own (no live build owns them: it would hold the lock).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from opsbook.support.errors import OpsbookError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; builds of one folder are not serialised
    fcntl = None  # type: ignore[assignment]


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _default_mode(path: Path) -> int:
    """An existing file keeps its mode; a new one gets what ``open()`` would give it."""
    return path.stat().st_mode & 0o7777 if path.is_file() else 0o666 & ~_umask()


def _temporary_beside(path: Path, data: bytes, mode: int) -> Path:
    """``data`` in a new temporary file in the folder of ``path``, with ``mode``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        temporary.chmod(mode)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def write_file(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step; an existing file keeps its mode."""
    temporary = _temporary_beside(path, data, _default_mode(path))
    try:
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def create_new(path: Path, data: bytes) -> None:
    """Create ``path`` whole; :class:`FileExistsError` if it exists (nothing is replaced)."""
    temporary = _temporary_beside(path, data, 0o666 & ~_umask())
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: exclusive creation instead
        with path.open("xb") as stream:
            stream.write(data)
    finally:
        temporary.unlink(missing_ok=True)


class WriteError(OpsbookError, OSError):
    """A file could not be written; every file is back as it was."""


def replace_files(contents: Mapping[Path, bytes], originals: Mapping[Path, bytes]) -> None:
    """Write every file or none: temporary files first, then renames; undo on failure.

    Each file is checked against the bytes it had when it was read, so an edit made by
    someone else in the meantime is never overwritten.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in contents.items():
            if path.read_bytes() != originals[path]:
                raise WriteError(f"{path}: changed on disk while opsbook was working; run again")
            staged.append((path, _temporary_beside(path, data, _default_mode(path))))
    except OSError:
        for _, temporary in staged:
            temporary.unlink(missing_ok=True)
        raise
    _rename_all(staged, originals)


def _rename_all(staged: list[tuple[Path, Path]], originals: Mapping[Path, bytes]) -> None:
    done: list[Path] = []
    try:
        for path, temporary in staged:
            temporary.replace(path)
            done.append(path)
    except OSError:
        for path in done:
            path.write_bytes(originals[path])
        for _, temporary in staged:
            temporary.unlink(missing_ok=True)
        raise


def staging_dir(final: Path) -> Path:
    """A new empty folder beside ``final``, with the mode ``mkdir`` would give ``final``."""
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}-staging-", dir=final.parent))
    staging.chmod(0o777 & ~_umask())
    return staging


def replace_folder(staging: Path, final: Path, *, in_background: bool = False) -> None:
    """``staging`` becomes ``final`` in one rename; the previous ``final`` is moved aside first
    and then deleted, by a detached process when ``in_background``. Deleting thousands of
    files took longer than building them on some disks (16 s of a 23 s site build at 1,000
    scenarios), and nobody needs to wait for it."""
    old = final.with_name(f".{final.name}-old-{os.getpid()}-{time.monotonic_ns()}")
    leftovers = sorted(final.parent.glob(f".{final.name}-old*"))  # of interrupted deletions
    if final.exists():
        final.replace(old)
        leftovers.append(old)
    staging.replace(final)
    if leftovers and in_background:
        _delete_detached(leftovers)
    else:
        _delete(leftovers)


def _delete_detached(folders: list[Path]) -> None:
    code = "import shutil, sys\nfor folder in sys.argv[1:]: shutil.rmtree(folder, True)"
    try:
        subprocess.Popen(
            [sys.executable, "-c", code, *map(os.fspath, folders)], start_new_session=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    except OSError:  # no process to spare: delete them here
        _delete(folders)


def _delete(folders: list[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def _stale_staging(final: Path) -> re.Pattern[str]:
    """Names of staging folders: ``.NAME-staging-*``, and ``.NAME-`` + the eight characters of
    ``mkdtemp`` that earlier versions used."""
    return re.compile(rf"\.{re.escape(final.name)}-(staging-.+|[a-z0-9_]{{8}})")


def remove_stale_staging(final: Path) -> list[Path]:
    """Delete the staging folders beside ``final``; only for the holder of its lock."""
    if not final.parent.is_dir():
        return []
    pattern = _stale_staging(final)
    stale = sorted(
        path
        for path in final.parent.iterdir()
        if pattern.fullmatch(path.name) and path.is_dir() and not path.is_symlink()
    )
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale


def lock_path(final: Path) -> Path:
    return final.parent / f".{final.name}.lock"


@contextlib.contextmanager
def exclusive_folder(final: Path, waiting: Callable[[int | None], None]) -> Iterator[None]:
    """Hold the lock of ``final`` (waiting for another process that holds it, after calling
    ``waiting`` with its pid), and clear the stale staging folders beside it. The lock file
    is never deleted: deleting it would let two processes lock two different files."""
    final.parent.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield
        return
    descriptor = os.open(lock_path(final), os.O_RDWR | os.O_CREAT, 0o666)
    with os.fdopen(descriptor, "r+", encoding="ascii") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting(_holder(lock.read()))
            fcntl.flock(lock, fcntl.LOCK_EX)
        lock.seek(0)
        lock.truncate()
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        remove_stale_staging(final)
        yield  # the lock goes with the file's closing, however this process ends


def _holder(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None
