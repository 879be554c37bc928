"""Files other outputs publish with the site (see ``SiteSettings.contributors``), cached:
a contributor runs again only when the catalog or its own code changed."""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opsbook.support.cache import Cache, content_key

if TYPE_CHECKING:
    from opsbook.model.catalog import Catalog
    from opsbook.site.generate import SiteSettings

Files = dict[str, bytes]
# a contributor gives its files as a mapping, or one (path, bytes) pair at a time
Contributor = Callable[
    ["Catalog", "SiteSettings"], Mapping[str, bytes] | Iterable[tuple[str, bytes]]
]
Spill = Callable[[str, bytes], None]  # takes a file's bytes elsewhere (disk), by its path

_CONTRIB_NAMESPACE = "site-contributed"


def contributed_files(
    catalog: Catalog, settings: SiteSettings, cache: Cache, spill: Spill | None = None
) -> Files:
    """Files from the contributors named in the settings (exports published with the site),
    from the cache when neither the catalog nor the contributor's code changed.

    ``spill``: each file is handed to it as soon as it is at hand, and only its path is in
    the result (with empty bytes): at 5,000 scenarios the calendars and data files weigh
    170 MB, which a build then never holds all at once."""
    files: Files = {}
    fingerprint = None
    for name in settings.contributors:
        module_name, _, function_name = name.partition(":")
        module = importlib.import_module(module_name)
        contributor: Contributor = getattr(module, function_name)
        fingerprint = fingerprint or _catalog_fingerprint(catalog, settings)
        key = content_key(fingerprint, name, _code_digest(module))
        made = _remembered_contribution(cache, key, spill)
        if made is None:
            made = _fresh_contribution(cache, key, contributor(catalog, settings), spill)
        files.update(made)
    return files


def planned_paths(catalog: Catalog, settings: SiteSettings) -> list[str] | None:
    """The paths the contributors will give, when each says so without making its files
    (a ``planned_paths(catalog, settings)`` attribute of the contributor); else None. Pages
    that link to the files can then be made while the files are still being made."""
    paths: set[str] = set()
    for name in settings.contributors:
        module_name, _, function_name = name.partition(":")
        contributor = getattr(importlib.import_module(module_name), function_name)
        planner = getattr(contributor, "planned_paths", None)
        if planner is None:
            return None
        paths.update(planner(catalog, settings))
    return sorted(paths)


def remembered_files(catalog: Catalog, settings: SiteSettings, cache: Cache) -> Files | None:
    """The contributed files of exactly this catalog and these settings when the cache has
    them all (a build made them), else None: nothing is made here."""
    files: Files = {}
    fingerprint = _catalog_fingerprint(catalog, settings) if settings.contributors else ""
    for name in settings.contributors:
        module = importlib.import_module(name.partition(":")[0])
        key = content_key(fingerprint, name, _code_digest(module))
        made = _remembered_contribution(cache, key, None)
        if made is None:
            return None
        files.update(made)
    return files


def _remembered_contribution(cache: Cache, key: str, spill: Spill | None) -> Files | None:
    """A contribution from the cache, one file read at a time; None when any is missing."""
    listing = cache.get(_CONTRIB_NAMESPACE, key)
    if listing is None:
        return None
    paths: list[str] = json.loads(listing)
    keys = {path: content_key(key, path) for path in paths}
    if len(cache.present(_CONTRIB_NAMESPACE, keys.values())) != len(keys):
        return None
    files: Files = {}
    for path in paths:
        data = cache.get(_CONTRIB_NAMESPACE, keys[path])
        if data is None:  # removed since the look-up (another process pruning the cache)
            return None
        files[path] = spilled(spill, path, data)
    return files


def _fresh_contribution(
    cache: Cache,
    key: str,
    made: Mapping[str, bytes] | Iterable[tuple[str, bytes]],
    spill: Spill | None,
) -> Files:
    """Stored one file per entry as each comes (a single packed entry was one more copy of
    them all), the list of paths last: a listing is only ever found with its files."""
    files: Files = {}
    for path, data in made.items() if isinstance(made, Mapping) else made:
        cache.put(_CONTRIB_NAMESPACE, content_key(key, path), data)
        files[path] = spilled(spill, path, data)
    cache.put(_CONTRIB_NAMESPACE, key, json.dumps(sorted(files)).encode())
    return dict(sorted(files.items()))


def spilled(spill: Spill | None, path: str, data: bytes) -> bytes:
    if spill is None:
        return data
    spill(path, data)
    return b""


def _catalog_fingerprint(catalog: Catalog, settings: SiteSettings) -> str:
    """Everything a contributor can see: the model (frozen dataclasses: repr is their
    complete, deterministic value), the as-of date and the settings. A scenario at a time:
    the repr of all 5,000 at once was an 80 MiB string."""
    scenarios = hashlib.sha256()
    for scenario in catalog.scenarios:
        scenarios.update(repr(scenario).encode() + b"\0")
    return content_key(
        repr(catalog.team), scenarios.hexdigest(), catalog.as_of.isoformat(),
        # the site's address: calendar events link to their pages under it
        repr((settings.lang, settings.font, settings.site_name)),
        str(settings.options.get("site_url") or ""),
    )  # fmt: skip


def _code_digest(module: Any) -> str:
    """The source of the contributor's package: a code change is a cache miss."""
    folder = Path(module.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()
