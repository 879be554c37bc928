"""The files the plugin generated for one build, and the hand-written pages beside them."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opsbook.mkdocs_plugin.spill import SpilledFiles


@dataclass
class Generated:
    files: dict[str, bytes]  # in memory (serve: every file, for its mirror and quick path)
    nav: list[Any] | None
    spilled: SpilledFiles | None = None  # build: the files on disk until MkDocs has them

    def paths(self) -> list[str]:
        on_disk = self.spilled.paths if self.spilled is not None else {}
        return sorted({*self.files, *on_disk})

    def downloads(self) -> set[str]:
        """The data files (exports, calendars): neither pages nor charts."""
        return {p for p in self.paths() if not p.endswith(".md") and not p.startswith("charts/")}

    def page_digests(self) -> dict[str, str]:
        """A hash of each page's Markdown: what its conversion depends on."""
        digests = {
            path: hashlib.sha256(data).hexdigest()
            for path, data in self.files.items()
            if path.endswith(".md")
        }
        return digests | (self.spilled.digests if self.spilled is not None else {})


ENGLISH_SUFFIX = "-en.md"  # ``guide/x-en.md`` is the English text of ``guide/x.md``


def hand_written_pages(docs_dir: Path, generated: Collection[str], lang: str) -> list[Any]:
    """The hand-written pages for the navigation, titled by their first heading.

    A page written in both languages is listed once, in the site's language: a Chinese
    reader's sidebar is not half English. The other text is still built, and each of the
    pair links to the other."""
    if not docs_dir.is_dir():
        return []
    pages = sorted(
        p.relative_to(docs_dir).as_posix()
        for p in docs_dir.rglob("*.md")
        if not any(part.startswith((".", "_")) for part in p.relative_to(docs_dir).parts)
    )
    written = {p for p in pages if p not in generated}
    return [_titled(docs_dir, p) for p in pages if p in written and _in_language(p, written, lang)]


def _in_language(page: str, pages: set[str], lang: str) -> bool:
    """Whether ``page`` is the text of its pair that a reader of ``lang`` sees in the nav."""
    if page.endswith(ENGLISH_SUFFIX):
        return lang == "en" or page.removesuffix(ENGLISH_SUFFIX) + ".md" not in pages
    return lang != "en" or page.removesuffix(".md") + ENGLISH_SUFFIX not in pages


def _titled(docs_dir: Path, page: str) -> Any:
    text = (docs_dir / page).read_text(encoding="utf-8", errors="replace")
    heading = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), "")
    return {heading: page} if heading else page
