"""The result cache, and the remembering one ``serve`` keeps between rebuilds."""

from __future__ import annotations

from pathlib import Path

from opsbook.support.cache import Cache, RememberingCache


def test_a_remembering_cache_reads_each_entry_from_disk_once(tmp_path: Path) -> None:
    Cache(tmp_path).put_many("pages", {"a": b"1", "b": b"2"})
    remembering = RememberingCache(tmp_path)
    assert remembering.get_many("pages", ["a", "b", "c"]) == {"a": b"1", "b": b"2"}
    (tmp_path / "cache.sqlite3").unlink()  # from now on, only memory can answer
    assert remembering.get_many("pages", ["a", "b", "c"]) == {"a": b"1", "b": b"2"}
    assert remembering.get_many("charts", ["a"]) == {}  # namespaces stay apart


def test_a_remembering_cache_writes_through_to_disk(tmp_path: Path) -> None:
    remembering = RememberingCache(tmp_path)
    remembering.put_many("pages", {"a": b"1"})
    assert Cache(tmp_path).get("pages", "a") == b"1"
    assert remembering.get("pages", "a") == b"1"


def test_a_disabled_remembering_cache_remembers_nothing() -> None:
    remembering = RememberingCache(None)
    remembering.put_many("pages", {"a": b"1"})
    assert remembering.get_many("pages", ["a"]) == {}
