"""The theme's files the published site never loads, left out of it.

Material copies every file of its ``assets`` folder into every site: the source maps of its
scripts (1.3 MB, fetched only by a browser's developer tools) and the search's word
splitters for 30 languages (0.9 MB, of which a site loads those of its search languages).
They were 2.2 of the 2.5 MB of assets each site published.

What the search loads is what Material's search worker asks for: for each language of the
search plugin's ``lang`` other than English ``min/lunr.<lang>.min.js``, ``tinyseg.js`` for
Japanese and ``wordcut.js`` for Hindi and Thai, and always ``min/lunr.stemmer.support``
and ``min/lunr.multi``. When the languages are unknown (no search plugin, or one that is not
Material's), every splitter stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from opsbook.mkdocs_plugin.mkdocs_api import search_plugin

_LUNR = "assets/javascripts/lunr/"
_ALWAYS = frozenset({"min/lunr.stemmer.support.min.js", "min/lunr.multi.min.js"})
_SPLITTERS = {"ja": "tinyseg.js", "hi": "wordcut.js", "th": "wordcut.js"}
_LANGUAGE_FILE = re.compile(r"min/lunr\.([a-z]{2,3})\.min\.js")


def search_languages(config: MkDocsConfig) -> list[str] | None:
    """The search plugin's languages, or None when it is not there to say."""
    languages = getattr(search_plugin(config), "config", {}).get("lang")
    return list(languages) if languages else None


def loaded_lunr_files(languages: Iterable[str]) -> set[str]:
    """The files under ``assets/javascripts/lunr/`` the search of ``languages`` loads."""
    wanted = set(_ALWAYS)
    for language in languages:
        if language in _SPLITTERS:
            wanted.add(_SPLITTERS[language])
        if language != "en":
            wanted.add(f"min/lunr.{language}.min.js")
    return wanted


def _unloaded(file: File, lunr: set[str] | None) -> bool:
    path = file.src_uri
    if not path.startswith("assets/"):
        return False
    if path.endswith(".map"):
        return True
    if lunr is None or not path.startswith(_LUNR):
        return False
    name = path.removeprefix(_LUNR)
    splitter = bool(_LANGUAGE_FILE.fullmatch(name)) or name in _SPLITTERS.values()
    return splitter and name not in lunr


def without_unloaded_theme_assets(files: Files, config: MkDocsConfig) -> Files:
    """``files`` without the theme's files that no page of the site loads (see above)."""
    custom = config.theme.custom_dir  # the project's own overrides are published as they are
    # MkDocs gives each theme file the theme folder it came from, as theme.dirs names it
    theme_dirs = {d for d in config.theme.dirs if d != custom}
    languages = search_languages(config)
    lunr = loaded_lunr_files(languages) if languages is not None else None
    for file in list(files):
        if file.src_dir in theme_dirs and _unloaded(file, lunr):
            files.remove(file)
    return files
