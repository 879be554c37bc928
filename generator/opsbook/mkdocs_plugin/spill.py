"""Generated files kept on disk, not in memory, for the length of one build."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path


class SpilledFiles:
    """A build's generated files in a temporary folder, handed to MkDocs by path
    (``File.generated(abs_src_path=…)``), which reads the pages and copies the rest.

    At 5,000 scenarios the pages, charts and data files weighed some 350 MB, held from the
    start of the build to its end when they were in memory; on disk, a page is in memory
    only while it is converted, a chart or data file only while it is written.
    """

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="opsbook-build-"))
        self.paths: dict[str, str] = {}  # docs path → the file holding its bytes
        self.digests: dict[str, str] = {}  # pages: docs path → hash of their Markdown

    def write(self, path: str, data: bytes) -> None:
        Path(self.reserve(path)).write_bytes(data)
        if path.endswith(".md"):
            self.digests[path] = hashlib.sha256(data).hexdigest()

    def reserve(self, path: str) -> str:
        """The file that will hold ``path`` (written later: charts still being drawn)."""
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        self.paths[path] = os.fspath(target)
        return self.paths[path]

    def move_into_site(self, source: str, destination: str) -> str:
        """``source`` (one of these files) renamed to ``destination`` in the site, where
        MkDocs then finds it in place and copies nothing; or left where it is (and its path
        returned) when the two folders are on different file systems."""
        try:
            Path(destination).parent.mkdir(parents=True, exist_ok=True)
            Path(source).replace(destination)
        except OSError:
            return source
        return destination

    def owns(self, path: str) -> bool:
        return Path(path).is_relative_to(self.root)

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
