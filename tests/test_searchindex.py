"""The search index loses bytes, not words: the same tokens under the same separator."""

from __future__ import annotations

import re

from opsbook.site.searchindex import compact_search_index, thinned_separators

MATERIAL_SEPARATOR = r"[\s\u200b\u3000\-、。，．？！；]+"
Z = "\u200b"


def tokens(text: str, separator: str = MATERIAL_SEPARATOR) -> list[str]:
    return [t for t in re.split(separator, text) if t]


def test_marks_beside_other_separators_go_and_words_stay_split() -> None:
    text = f"{Z}行业{Z} {Z}内容{Z}平台{Z}，{Z}30{Z}天内{Z}"
    thinned = thinned_separators(text, re.compile(MATERIAL_SEPARATOR))
    assert thinned == f"行业 内容{Z}平台，30{Z}天内"
    assert tokens(thinned) == tokens(text) == ["行业", "内容", "平台", "30", "天内"]


def test_a_separator_that_would_stop_separating_keeps_its_marks() -> None:
    only_marks = r"[\u200b]+|x"  # a space is no separator here
    assert thinned_separators(f"a{Z} {Z}b", re.compile(only_marks)) == f"a{Z} {Z}b"


def test_tags_stay_on_the_page_entry_only() -> None:
    index = {
        "config": {"separator": MATERIAL_SEPARATOR},
        "docs": [
            {"location": "s/", "title": f"新{Z}用户", "text": f"{Z}a{Z} b", "tags": ["t"]},
            {"location": "s/#t1", "title": "T1", "text": "c", "tags": ["t"]},
        ],
    }
    assert compact_search_index(index)["docs"] == [
        {"location": "s/", "title": f"新{Z}用户", "text": "a b", "tags": ["t"]},
        {"location": "s/#t1", "title": "T1", "text": "c"},
    ]


def test_a_separator_python_cannot_read_leaves_the_index_alone() -> None:
    index = {"config": {"separator": r"[\p{Z}]+"}, "docs": [{"location": "a/", "text": f"{Z}x"}]}
    assert compact_search_index(index)["docs"][0]["text"] == f"{Z}x"
