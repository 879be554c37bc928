"""What the site build remembers about each generated page between builds.

A warm build of 1,000 scenarios spent most of its time redoing work whose inputs had not
changed: Markdown → HTML for every page, the theme around it, and the search plugin's
segmentation of the same Chinese text. These three results are stored in the cache
(:mod:`opsbook.support.cache`) under keys made of everything they depend on, so a page is converted,
laid out and indexed once, and again only when something it depends on changes.

Engine-agnostic: the MkDocs plugin says what the inputs are and applies the results.
"""

from __future__ import annotations

import contextlib
import json
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from opsbook.support.cache import Cache

RENDERED = "page-html"  # Markdown → HTML of one page
LAID_OUT = "page-out"  # the whole output page: theme, navigation and the page's HTML
INDEXED = "page-search"  # the search plugin's entries for one page
TABLE_ROWS = "table-rows"  # Markdown → HTML of a few rows of a generated page's table

TocToken = dict[str, Any]  # {"level", "id", "name", "children"}, as Python-Markdown's toc


@dataclass(frozen=True)
class RenderedPage:
    """Everything converting a page's Markdown gives: HTML, headings, title, anchors."""

    content: str
    toc: list[TocToken]
    title: str | None
    anchors: list[str]

    def to_bytes(self) -> bytes:
        data = {"content": self.content, "toc": self.toc, "title": self.title}
        return _compress({**data, "anchors": sorted(self.anchors)})

    @classmethod
    def from_bytes(cls, blob: bytes) -> RenderedPage:
        data = _decompress(blob)
        return cls(data["content"], data["toc"], data["title"], data["anchors"])


def _compress(value: Any) -> bytes:
    # level 1: a page compresses to a quarter at a fraction of a millisecond
    return zlib.compress(json.dumps(value, ensure_ascii=False).encode(), 1)


def _decompress(blob: bytes) -> Any:
    return json.loads(zlib.decompress(blob))


def encode_text(text: str) -> bytes:
    return zlib.compress(text.encode(), 1)


def decode_text(blob: bytes) -> str:
    return zlib.decompress(blob).decode()


def encode_entries(entries: Sequence[Mapping[str, Any]]) -> bytes:
    return _compress(list(entries))


def decode_entries(blob: bytes) -> list[dict[str, Any]]:
    return list(_decompress(blob))


_PENDING_BYTES = 16 << 20  # written out once this much waits: not a whole site in memory


class PageStore:
    """Lookups for one build: read in bulk, written in a few large transactions (a SQLite
    transaction per page would cost more than the work it saves)."""

    def __init__(self, cache: Cache) -> None:
        self._cache = cache
        self._found: dict[str, dict[str, bytes]] = {}
        self._fresh: dict[str, dict[str, bytes]] = {}
        self._pending = 0  # bytes in _fresh

    @property
    def enabled(self) -> bool:
        return self._cache.enabled

    def prefetch(self, namespace: str, keys: Sequence[str]) -> None:
        self._found.setdefault(namespace, {}).update(self._cache.get_many(namespace, keys))

    def present(self, namespace: str, keys: Iterable[str]) -> set[str]:
        """Which keys have an entry (in the cache or put in this build), values unread."""
        wanted = list(keys)
        fresh = self._fresh.get(namespace, {})
        known = {k for k in wanted if k in fresh or k in self._found.get(namespace, {})}
        return known | self._cache.present(namespace, [k for k in wanted if k not in known])

    def take(self, namespace: str, key: str) -> bytes | None:
        """The entry, forgotten by this store once taken (each is used once per build; at
        5,000 pages, keeping them all until the end cost hundreds of megabytes)."""
        found = self._found.get(namespace, {}).pop(key, None)
        if found is None:
            found = self._fresh.get(namespace, {}).get(key)
        return found

    def peek(self, namespace: str, keys: Iterable[str]) -> dict[str, bytes]:
        """The entries of ``keys`` in the cache, read without touching this store's own
        lookups (serve reads them from a background thread, see ``PageMemory.compact_ahead``)."""
        return self._cache.get_many(namespace, keys)

    def offer(self, namespace: str, key: str, value: bytes) -> None:
        """An entry made elsewhere in this build (see ``PagesAhead``): found by
        :meth:`take`, and remembered as if it had been made here."""
        self._found.setdefault(namespace, {})[key] = value
        self.put(namespace, key, value)

    def missing(self, namespace: str, keys: Iterable[str]) -> list[str]:
        """Of ``keys``, those neither prefetched nor put in this build."""
        found, fresh = self._found.get(namespace, {}), self._fresh.get(namespace, {})
        return [key for key in keys if key not in found and key not in fresh]

    def put(self, namespace: str, key: str, value: bytes) -> None:
        if self._cache.enabled:
            self._fresh.setdefault(namespace, {})[key] = value
            self._pending += len(value)
            if self._pending > _PENDING_BYTES:
                self.flush()

    def flush(self) -> None:
        for namespace, items in self._fresh.items():
            self._cache.put_many(namespace, items)
        self._fresh.clear()
        self._pending = 0


class ForwardingStore(PageStore):
    """The store of a process doing pages for another (see ``PagesAhead``): it finds what
    ``found`` (its owner's store) had found, reads what it looks up from the owner's cache
    (each read opens its own connection, so a forked child may read too: the pieces of a
    roll-up's tables that an edit left as they were), and hands what it would store to
    ``deliver``."""

    def __init__(self, deliver: Callable[[str, str, bytes], None], found: PageStore) -> None:
        super().__init__(found._cache)
        self._deliver = deliver
        self._found = found._found
        self._held_back: list[tuple[str, str, bytes]] | None = None

    @contextlib.contextmanager
    def held_back(self) -> Iterator[list[tuple[str, str, bytes]]]:
        """What is stored meanwhile is kept in the list given, not delivered: the caller
        delivers it (:meth:`deliver`) or drops it."""
        self._held_back = kept = []
        try:
            yield kept
        finally:
            self._held_back = None

    def deliver(self, entries: Iterable[tuple[str, str, bytes]]) -> None:
        for entry in entries:
            self._deliver(*entry)

    @property
    def enabled(self) -> bool:
        return True

    def present(self, namespace: str, keys: Iterable[str]) -> set[str]:
        return set()

    def put(self, namespace: str, key: str, value: bytes) -> None:
        if self._held_back is not None:
            self._held_back.append((namespace, key, value))
        else:
            self._deliver(namespace, key, value)

    def flush(self) -> None:
        pass
