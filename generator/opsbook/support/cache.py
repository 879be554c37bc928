"""A content-addressed cache of results: check results, rendered charts.

Keys are hashes of everything a result depends on (file bytes, schema, team directory,
opsbook's version…), so an entry can never be stale: a change anywhere gives a new key.
The store is one SQLite file under ``$OPSBOOK_CACHE_DIR`` (default ``~/.cache/opsbook``),
shared by ``check``, ``build``, ``serve`` and ``pack`` and by every checkout on the machine.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from opsbook import __version__

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (namespace, key)
) WITHOUT ROWID
"""
_BATCH = 500


def default_cache_dir() -> Path:
    explicit = os.environ.get("OPSBOOK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "opsbook"


@functools.cache
def code_fingerprint() -> bytes:
    """A hash of opsbook's own code, templates and schemas.

    Results depend on the code that made them as much as on their inputs; the version
    number alone would let a development checkout reuse results of older code.
    """
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".j2", ".typ", ".json", ".yaml", ".css"}:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.digest()


def content_key(*parts: bytes | str) -> str:
    """A key for a result that depends on exactly these inputs (and opsbook's code)."""
    digest = hashlib.sha256(code_fingerprint())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


class Cache:
    """Namespaced key → bytes store; a disabled cache remembers nothing."""

    def __init__(self, directory: Path | None) -> None:
        self._path = directory / "cache.sqlite3" if directory is not None else None

    @classmethod
    def disabled(cls) -> Cache:
        return cls(None)

    @property
    def enabled(self) -> bool:
        return self._path is not None

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        assert self._path is not None
        self._path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self._path, timeout=30)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(_SCHEMA)
            with connection:
                yield connection
        finally:
            connection.close()

    def get_many(self, namespace: str, keys: Iterable[str]) -> dict[str, bytes]:
        return dict(self._select("key, value", namespace, keys))

    def present(self, namespace: str, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` have an entry, without reading their values."""
        return {key for (key,) in self._select("key", namespace, keys)}

    def _select(self, columns: str, namespace: str, keys: Iterable[str]) -> Iterator[Any]:
        """``columns`` of the entries of ``keys`` that exist, in batches SQLite accepts."""
        wanted = list(dict.fromkeys(keys))
        if not self.enabled or not wanted:
            return
        with self._connect() as connection:
            for start in range(0, len(wanted), _BATCH):
                batch = wanted[start : start + _BATCH]
                marks = ",".join("?" * len(batch))
                yield from connection.execute(
                    f"SELECT {columns} FROM entries WHERE namespace = ? AND key IN ({marks})",
                    (namespace, *batch),
                )

    def put_many(self, namespace: str, items: Mapping[str, bytes]) -> None:
        if not self.enabled or not items:
            return
        rows = [(namespace, key, value) for key, value in items.items()]
        with self._connect() as connection:
            connection.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", rows)

    def get(self, namespace: str, key: str) -> bytes | None:
        return self.get_many(namespace, [key]).get(key)

    def put(self, namespace: str, key: str, value: bytes) -> None:
        self.put_many(namespace, {key: value})


class RememberingCache(Cache):
    """A cache that also keeps in memory every entry it read or wrote, for a long-lived
    process that asks for the same entries again and again (``serve`` rebuilds after each
    save): an edit then reads only what changed, not a thousand rows from disk."""

    def __init__(self, directory: Path | None) -> None:
        super().__init__(directory)
        self._memory: dict[tuple[str, str], bytes] = {}

    def get_many(self, namespace: str, keys: Iterable[str]) -> dict[str, bytes]:
        wanted = list(dict.fromkeys(keys))
        found = {k: self._memory[namespace, k] for k in wanted if (namespace, k) in self._memory}
        fetched = super().get_many(namespace, [k for k in wanted if k not in found])
        self._memory.update({(namespace, k): v for k, v in fetched.items()})
        return found | fetched

    def present(self, namespace: str, keys: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(keys))
        known = {k for k in wanted if (namespace, k) in self._memory}
        return known | super().present(namespace, [k for k in wanted if k not in known])

    def put_many(self, namespace: str, items: Mapping[str, bytes]) -> None:
        super().put_many(namespace, items)
        if self.enabled:
            self._memory.update({(namespace, k): v for k, v in items.items()})
