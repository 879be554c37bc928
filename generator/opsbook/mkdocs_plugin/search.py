"""Material's search index: written compactly, and the settings its entries depend on."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Collection, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from opsbook.mkdocs_plugin.mkdocs_api import installed_version
from opsbook.site.pagecache import decode_entries
from opsbook.site.searchindex import compact_entries, compact_search_index, index_separator


def readable_json(generate: Callable[..., str]) -> Callable[..., str]:
    """The search index with Chinese as UTF-8 rather than ``\\uXXXX`` escapes: the same JSON,
    less than half the bytes (every Han character and jieba's U+200B separators took six),
    and without marks that change no search (:mod:`opsbook.site.searchindex`)."""

    def generate_readable(*args: Any, **kwargs: Any) -> str:
        data = compact_search_index(json.loads(generate(*args, **kwargs)))
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    return generate_readable


class ServedSearchIndex:
    """Material's search index for ``serve``, as :func:`readable_json` gives it, written
    again after each edit from each entry's JSON, kept from one write to the next: at 1,000
    scenarios, encoding the whole index again (as Material's JSON, read back, compacted and
    encoded again) took more than a second, for the entries of the few pages rebuilt."""

    def __init__(self, index: Any) -> None:
        self._index = index
        self._known: dict[int, tuple[Any, str]] = {}  # id(entry) → (entry, its JSON)

    def generate(self, *args: Any, **kwargs: Any) -> str:
        keys = ("lang", "separator", "pipeline", "fields")
        config = {key: self._index.config[key] for key in keys}
        separator = index_separator(config)
        known: dict[int, tuple[Any, str]] = {}
        for entry in self._index.entries:
            found = self._known.get(id(entry))
            if found is None or found[0] is not entry:  # the entry itself, not a successor
                found = (entry, _entry_json(entry, separator))
            known[id(entry)] = found
        self._known = known
        docs = ",".join(encoded for _, encoded in known.values())
        return '{"config":' + _compact_json(config) + ',"docs":[' + docs + "]}"


def _entry_json(entry: Any, separator: re.Pattern[str] | None) -> str:
    """One entry as :func:`readable_json` writes it: through Material's JSON (``default=str``),
    compacted."""
    copied = json.loads(json.dumps(entry, default=str))
    if separator is not None:
        compact_entries([copied], separator)
    return _compact_json(copied)


def merged_with_previous(
    index: Any, generate: Callable[..., str], pages: Callable[[], Collection[str]]
) -> Callable[..., str]:
    """Material's ``generate_search_index`` for ``serve``'s dirty rebuilds, merging right:
    Material takes out the previous entries of only the first page built again (and of
    every page whose address starts with its address), so a rebuild of several pages left
    their old entries beside the new ones, and kept those of removed pages. ``pages``: the
    address of every page of this build."""

    def generate_merged(prev: Any = None) -> str:
        if prev is not None and prev is not index:
            built, present = {page_of(entry) for entry in index.entries}, set(pages())
            kept = [e for e in prev.entries if page_of(e) not in built and page_of(e) in present]
            index.entries = kept + index.entries
        return generate(None)

    return generate_merged


def page_of(entry: Mapping[str, Any]) -> str:
    """The address of the page a search entry belongs to (the home page's is "")."""
    return str(entry["location"]).split("#", 1)[0]


class StreamedSearchIndex:
    """Material's search index for a build, written a page at a time.

    Material writes ``search/search_index.json`` from one string, the whole index: at 5,000
    pages 35 MB of text, held as str and as bytes at once at the very end of the build (its
    peak). Instead each page's entries stay compressed until :meth:`write` streams them into
    the file, decoded and compacted one page at a time; Material is handed an empty index
    (``generate``), which :meth:`write` replaces once Material has written it. The file is
    the JSON :func:`readable_json` gives.
    """

    PATH = "search/search_index.json"

    def __init__(self, index: Any, pages: list[bytes]) -> None:
        self._index = index
        self._pages = pages
        self._config: dict[str, Any] | None = None  # set once Material asked for the index

    def generate(self, *args: Any, **kwargs: Any) -> str:
        keys = ("lang", "separator", "pipeline", "fields")
        self._config = {key: self._index.config[key] for key in keys}
        return _compact_json({"config": self._config, "docs": []})

    def write(self, site_dir: str) -> None:
        """The index into the site, when Material wrote one this build."""
        if self._config is None:
            return
        separator = index_separator(self._config)
        with (Path(site_dir) / self.PATH).open("w", encoding="utf-8") as target:
            target.write('{"config":' + _compact_json(self._config) + ',"docs":[')
            first = True
            for blob in self._pages:
                decoded = decode_entries(blob)
                if separator is not None:
                    compact_entries(decoded, separator)
                entries = _compact_json(decoded)[1:-1]  # without the brackets
                if entries:
                    target.write(entries if first else "," + entries)
                    first = False
            target.write("]}")
        self._config = None


def _compact_json(value: Any) -> str:
    # as Material writes its index (separators, default=str), with Chinese as it is
    return json.dumps(value, separators=(",", ":"), default=str, ensure_ascii=False)


def search_settings(settings: Mapping[str, Any], user_dictionary: Path | None) -> str:
    chosen = {name: settings.get(name) for name in ("lang", "separator", "pipeline", "fields")}
    dictionaries = []
    for path in (settings.get("jieba_dict"), settings.get("jieba_dict_user"), user_dictionary):
        if path and Path(path).is_file():
            dictionaries.append(hashlib.sha256(Path(path).read_bytes()).hexdigest())
    versions = [installed_version("mkdocs-material"), installed_version("jieba")]
    return json.dumps([chosen, dictionaries, versions], sort_keys=True, default=str)


# A heading Material's search leaves out (its section with it), up to the end of its tag;
# the start of the next heading; any tag (attribute values quoted or bare, as HTMLParser
# reads them); what Material's parser treats other than as plain elements and text.
_EXCLUDED_HEADING = re.compile(r"<h([1-6])\b[^>]*\bdata-search-exclude\b[^>]*>", re.I)
_NEXT_HEADING = re.compile(r"<h[1-6][\s/>]", re.I)
_TAG = re.compile(r"""<(/?)([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_UNSAFE = re.compile(r"<[!?]|data-search-exclude|<(?:script|style|object)\b", re.I)
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)  # as Material's parser: not put on its stack


def searchable_html(html: str) -> str:
    """``html`` as Material's search parser indexes it, without the bodies of the sections
    it leaves out (``data-search-exclude`` on their heading): the roll-ups' long tables
    (the dashboard's, a thousand sections of the SOP library) were parsed only to be
    dropped, the largest part of serve's first rebuild of a roll-up. A body goes only when
    taking it out cannot change what the parser finds: its elements all close inside it, in
    order, and it holds no heading, no exclusion, no script, style, object, comment or
    declaration; else it stays (Material's ``Parser``: an excluded section's text is
    dropped, and such a body neither opens a section nor leaves an element open)."""
    kept: list[str] = []
    done = 0
    for heading in _EXCLUDED_HEADING.finditer(html):
        if heading.start() < done or not _opens_excluded_section(heading[0]):
            continue
        close = html.find(f"</h{heading[1]}>", heading.end())
        if close < 0:
            break
        start = close + len("</hx>")
        following = _NEXT_HEADING.search(html, start)
        end = following.start() if following else len(html)
        if end > start and _droppable(html, start, end):
            kept.append(html[done:start])
            done = end
    if not kept:
        return html
    kept.append(html[done:])
    return "".join(kept)


def _opens_excluded_section(tag: str) -> bool:
    """Whether the heading's start tag, read as Material's parser reads it, opens a section
    (it has an ``id``) that search leaves out (not merely a value that says so)."""
    found: dict[str, str | None] = {}

    class StartTag(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.update(attrs)

    reader = StartTag()
    reader.feed(tag)
    reader.close()
    return "id" in found and "data-search-exclude" in found


def _droppable(html: str, start: int, end: int) -> bool:
    """Whether ``html[start:end]`` is whole elements and text only (see
    :func:`searchable_html`)."""
    if _UNSAFE.search(html, start, end):
        return False
    open_tags: list[str] = []
    tags = 0
    for tag in _TAG.finditer(html, start, end):
        tags += 1
        name = tag[2].lower()
        if tag[1]:
            if not open_tags or open_tags.pop() != name:
                return False
        elif name not in _VOID and not tag[3].endswith("/"):
            open_tags.append(name)
    return not open_tags and html.count("<", start, end) == tags
