"""The search dictionary: domain words from the scenarios' own text, for jieba."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from opsbook.support.cache import Cache, content_key

if TYPE_CHECKING:
    from opsbook.model.catalog import Catalog

_TERMS_NAMESPACE = "search-terms"
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_SUFFIXES = frozenset("率额数量值度比")


def search_terms(catalog: Catalog, cache: Cache | None = None) -> list[str]:
    """Domain words for jieba, from the scenarios' own text, so search keeps them whole.

    Short names (tags, modules, metric names, journey stages) are words as they stand.
    Longer metric names are cut by jieba and a trailing one-character measure word is joined
    to the word before it (新人券核销率 → 核销率), since that is what people search for.
    The cuts are cached: jieba's dictionary is 50 MB in memory, and a warm build whose
    search entries all come from the cache never needs it.
    """
    short: set[str] = set()
    long: set[str] = set()
    for scenario in catalog.scenarios:
        module = catalog.team.module_name(scenario.module, "zh-CN")
        names = [module, *scenario.tags, *(s.name for s in scenario.needs.journey)]
        names += [m.name for m in scenario.metrics]
        for name in names:
            for run in _HAN_RUN.findall(name):
                (short if 2 <= len(run) <= 4 else long).add(run)
    return sorted(short | set(_cut_terms(sorted(long), cache or Cache.disabled())))


def _cut_terms(runs: list[str], cache: Cache) -> list[str]:
    from importlib import metadata

    key = content_key("jieba-terms", metadata.version("jieba"), "\n".join(runs))
    stored = cache.get(_TERMS_NAMESPACE, key)
    if stored is not None:
        return list(json.loads(stored))
    import jieba

    terms = sorted({t for run in runs for t in _joined_words(list(jieba.cut(run, HMM=False)))})
    cache.put(_TERMS_NAMESPACE, key, json.dumps(terms, ensure_ascii=False).encode())
    return terms


def _joined_words(words: list[str]) -> Iterable[str]:
    for before, word in itertools.pairwise(words):
        if len(word) == 1 and word in _SUFFIXES and 1 < len(before) <= 3:
            yield before + word


def jieba_user_dictionary(catalog: Catalog, cache: Cache | None = None) -> bytes:
    """jieba's user dictionary format: "word frequency" per line."""
    return "".join(f"{term} 5000\n" for term in search_terms(catalog, cache)).encode("utf-8")
