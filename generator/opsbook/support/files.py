"""Writing files whole: a temporary file beside the target, then one rename or link.

A reader (an editor, MkDocs, a CI step) never sees half a file, and an interrupted run leaves
the old file or none. Temporary files are created with mode 0666 less the umask, like any
file the user creates, so the result is not private by accident (``tempfile`` makes 0600).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _temporary(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def write_atomic(path: Path, data: bytes) -> None:
    """Create or replace ``path``."""
    temporary = _temporary(path.parent, path.name, data)
    try:
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def create_new(path: Path, data: bytes) -> None:
    """Create ``path``; :class:`FileExistsError` if it exists (nothing is replaced)."""
    temporary = _temporary(path.parent, path.name, data)
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: exclusive creation instead
        with path.open("xb") as stream:
            stream.write(data)
    finally:
        temporary.unlink(missing_ok=True)
