"""Writing outputs so that a reader never sees half of one: a temporary file or folder
beside the target, renamed over it when complete.

Temporary files and folders are created private (0600/0700); what replaces a target gets
the permissions a plain ``open()`` or ``mkdir`` would have given it under the user's umask,
so a published site or a review pack is readable by the web server or the CI artifact
upload, exactly as if opsbook had written it directly.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_file(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step; an existing file keeps its mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o7777 if path.is_file() else 0o666 & ~_umask()
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        temporary.chmod(mode)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def staging_dir(final: Path) -> Path:
    """A new empty folder beside ``final``, with the mode ``mkdir`` would give ``final``."""
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=final.parent))
    staging.chmod(0o777 & ~_umask())
    return staging
