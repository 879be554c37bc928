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


def searched_sections(html: str) -> list[tuple[str | None, list[str], list[str]]]:
    """What Material's search parser keeps of ``html``: each indexed section's id, title
    and text."""
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.feed(html)
    parser.close()
    return [(s.id, s.title, s.text) for s in parser.data if not s.is_excluded()]


KEPT = '<h1 id="t">Title</h1>\n<p>Intro <strong>words</strong></p>\n'
ROWS = "<table>\n<tbody>\n" + "<tr><td>row</td><td>x<br>y</td></tr>\n" * 40 + "</tbody>\n</table>\n"


def test_the_body_of_a_section_search_leaves_out_is_not_parsed() -> None:
    from opsbook.mkdocs_plugin.search import searchable_html

    html = (
        f'{KEPT}<h2 data-search-exclude id="a">Roll-up</h2>\n{ROWS}'
        f'<h2 id="b">Kept</h2>\n<p>kept text</p>\n'
        f'<h3 id="c" data-search-exclude="">Also out</h3>\n{ROWS}<p>more</p>\n'
    )
    trimmed = searchable_html(html)
    assert "row" not in trimmed and "Roll-up" in trimmed and "Also out" in trimmed
    assert searched_sections(trimmed) == searched_sections(html)
    assert [s[0] for s in searched_sections(html)] == [None, "b"]


def test_a_body_that_could_change_what_search_finds_stays() -> None:
    from opsbook.mkdocs_plugin.search import searchable_html

    out = '<h2 id="a" data-search-exclude>Out</h2>\n'
    bodies = [
        "<div>\n<p>an element left open</p>\n",  # the next section would be inside it
        "<p>closed</p></div>\n<p>after</p>\n",  # closes an element opened before
        "<div data-search-exclude><p>x</p></div><div><p>y</p></div>\n",  # Material's skip set
        "<!-- <p> --><p>a comment</p>\n",
        "<script>var a = '<p>';</script>\n",
        "<p>a stray < sign</p>\n",
    ]
    for body in bodies:
        html = f"{KEPT}<div>{out}{body}<h2 id='b'>Next</h2><p>next</p></div>\n"
        assert body in searchable_html(html), body
        assert searched_sections(searchable_html(html)) == searched_sections(html), body
    # an excluded heading without an id opens no section: its body is the section before's
    html = f"{KEPT}<h2 data-search-exclude>Out</h2>\n<p>still the intro's</p>\n"
    assert searchable_html(html) == html
    # nor does a value that merely names the attribute exclude anything
    html = f'{KEPT}<h2 id="a" title="data-search-exclude">In</h2>\n<p>indexed</p>\n'
    assert searchable_html(html) == html
