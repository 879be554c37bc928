"""Paths a pull request controls stay inside the project root.

opsbook runs in CI on files anyone with a branch can write, so every path a scenario names
(a CSV source today, anything tomorrow), every scenario file and the team file must lead to
a place inside the project, *after* symbolic links are followed; otherwise a file such as
``/etc/passwd`` would be read and its first line quoted in a message, i.e. in the CI log.

The project root is the nearest folder, from the scenarios folder upwards, that holds
``mkdocs.yml`` (``opsbook build`` and the MkDocs plugin run there); without one, the working
directory when the scenarios are inside it, else the folder that holds the scenarios folder.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath

PROJECT_MARKER = "mkdocs.yml"


def project_root(paths: Sequence[Path], working: Path) -> Path:
    """The project root for the scenarios named by ``paths`` (see the module docstring);
    ``working`` is the folder the command runs in."""
    first = (paths[0] if paths else Path("scenarios")).absolute()  # links not followed yet
    folder = first if first.is_dir() or not first.suffix else first.parent
    for candidate in (folder, *folder.parents):
        if (candidate / PROJECT_MARKER).is_file():
            return candidate.resolve()
    working = working.absolute()
    if folder == working or working in folder.parents:
        return working.resolve()
    return folder.parent.resolve()


def is_absolute(value: str) -> bool:
    """Absolute on any system: ``/x``, ``C:\\x``, ``\\\\server\\share`` and ``~`` are all refused
    (a scenario file is written on one machine and checked on another)."""
    return (
        PurePosixPath(value).is_absolute()
        or PureWindowsPath(value).is_absolute()
        or value.startswith(("\\", "~"))
        or bool(PureWindowsPath(value).drive)
    )


def inside(path: Path, root: Path) -> bool:
    """True when ``path``, every symbolic link followed, is ``root`` or below it."""
    return _below(path.resolve(), root)


def refusal(value: str, base: Path, root: Path) -> str | None:
    """The code refusing ``value``, a path relative to the folder ``base``, or None.

    ``..`` is counted from the real folder of the scenario file; links inside ``value`` are
    judged separately, so the message can say which of the two leads out.
    """
    if is_absolute(value):
        return "path.absolute"
    real_base = base.resolve()
    if not _below(Path(os.path.normpath(real_base / value)), root):
        return "path.outside"
    if not inside(real_base / value, root):
        return "path.link-outside"
    return None


def _below(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
