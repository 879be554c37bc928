"""Whitespace out of finished pages, and nothing else."""

from __future__ import annotations

import random
import re

from opsbook.site import htmlcompact
from opsbook.site.htmlcompact import compact_html, compact_in_pieces


def test_runs_of_whitespace_beside_tags_become_one_character() -> None:
    html = '<ul>\n    \n  <li class="a">\n      文字\n    </li>  <li>x</li>\n</ul>'
    assert compact_html(html) == '<ul><li class="a">\n文字\n</li><li>x</li></ul>'


def test_whitespace_between_inline_elements_stays_a_space() -> None:
    html = '<td><a href="#">x</a>\n  <a href="#">y</a> <span>z</span>\n</td>'
    assert compact_html(html) == '<td><a href="#">x</a>\n<a href="#">y</a> <span>z</span></td>'


def test_angle_brackets_in_text_are_not_taken_for_tags() -> None:
    html = "<p>a >  <b>b</b> <  <div>c</div></p>"
    assert compact_html(html) == "<p>a > <b>b</b> < <div>c</div></p>"


def test_json_scripts_are_compact_utf8_and_still_safe_in_html() -> None:
    html = (
        '<script id="__config" type="application/json">{"a": "\\u641c\\u7d22", '
        '"b": "\\u003c/script\\u003e\\u003cx\\u003e&"}</script>'
    )  # as Jinja's tojson writes it: no "</script>" inside
    assert compact_html(html) == (
        '<script id="__config" type="application/json">'
        '{"a":"搜索","b":"\\u003c/script\\u003e\\u003cx\\u003e\\u0026"}</script>'
    )


def test_text_entities_and_attribute_values_are_left_alone() -> None:
    html = '<title>&lt;b&gt;x&lt;/b&gt;  {{ 7*7 }}</title><img alt="a   b" src="x  y.svg">'
    assert compact_html(html) == html


def test_whitespace_is_kept_where_it_is_content() -> None:
    html = (
        "<pre>  a\n    b  </pre>\n\n<code>  x  </code>\n  <textarea> t\n  </textarea>"
        "<script>\n  if (a > b) {\n    c()\n  }\n</script>  <style>\n  p { }\n</style>"
    )
    expected = (
        "<pre>  a\n    b  </pre>\n<code>  x  </code>\n<textarea> t\n  </textarea>"
        "<script>\n  if (a > b) {\n    c()\n  }\n</script> <style>\n  p { }\n</style>"
    )
    assert compact_html(html) == expected


def test_compacting_twice_changes_nothing_more() -> None:
    html = "<div>\n   <span>  a  </span>\n   </div>"
    once = compact_html(html)
    assert once == "<div><span> a </span></div>"
    assert compact_html(once) == once


# The rules of the module's docstring, written as plainly as possible: compact_html, which
# is written for speed, must give exactly this on any page.
_REFERENCE = re.compile(
    r"(?P<keep><(?P<tag>pre|textarea|code|script|style)\b.*?</(?P=tag)\s*>)"
    r"|(?<=>)(?P<space>\s+)|(?P<ahead>\s+)(?=<)",
    re.DOTALL | re.IGNORECASE,
)
_ANY_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>")


def reference(html: str) -> str:
    def shortened(match: re.Match[str]) -> str:
        if match["keep"] is not None:
            return htmlcompact._compact_json_script(match["keep"])
        start, end = match.span()
        space = match[0]
        if start and html[start - 1] == ">" and html.startswith("<", end):
            after = _ANY_TAG.match(html, end)
            before = _ANY_TAG.fullmatch(html, html.rfind("<", 0, start), start)
            names = {tag[1].lower() for tag in (before, after) if tag is not None}
            if before and after and names & htmlcompact._BLOCKS:
                return ""
        return "\n" if "\n" in space else " "

    return _REFERENCE.sub(shortened, html)


_PARTS = [
    "<div>", "</div>", '<div class="a b">', "<tr>", "</tr>", "<td>", "</td>", "<TD>",
    '<li class="md-nav__item">', "</li>", '<h2 id="x">', "</h2>", "<ul>", "</ul>",
    '<a href="#">', "</a>", "<span>", "</span>", "<b>", "</b>", "<br>", "<img alt='a  b'>",
    "<pre>  a\n <tr> b  </pre>", "<code> x </code>", "<script>\n if (a > b) {}\n</script>",
    '<script type="application/json">{"a": 1, "b": "\\u003c"}</script>',
    "<textarea> t <li>\n</textarea>", "<style> p {} </style>", "<!-- c -->",
    "文字", "text", "a > b", "x < y", "<", ">", "<li_x>", "<h1x>", "&lt;b&gt;",
    " ", "  ", "\n", "\n    ", " \n ", "\t", "\u3000",
]  # fmt: skip


def random_page(rng: random.Random) -> str:
    return "".join(rng.choice(_PARTS) for _ in range(rng.randint(0, 60)))


def test_compacting_gives_exactly_what_the_rules_say() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        html = random_page(rng)
        assert compact_html(html) == reference(html), html


def test_compacting_in_pieces_gives_the_same_page_and_reuses_known_pieces() -> None:
    rng = random.Random(11)
    for _ in range(1500):
        html = random_page(rng)
        first, pieces = compact_in_pieces(html, {})
        assert first == compact_html(html), html
        edited = html + random_page(rng) if rng.random() < 0.5 else random_page(rng) + html
        again, _ = compact_in_pieces(edited, pieces)
        assert again == compact_html(edited), edited


def test_a_known_piece_is_not_compacted_again() -> None:
    rows = "".join(f"<tr>\n<td>{n}</td>\n</tr>\n" for n in range(3))
    html = f"<table>\n{rows}</table>"
    output, pieces = compact_in_pieces(html, {})
    assert output == "<table><tr><td>0</td></tr><tr><td>1</td></tr><tr><td>2</td></tr></table>"
    # each piece is a row and the tag after it; a piece found in what is known is used as is
    middle = "<tr>\n<td>1</td>\n</tr>\n<tr>"
    assert pieces[middle] == "<tr><td>1</td></tr>"
    output, _ = compact_in_pieces(html, {**pieces, middle: "<tr><td>known</td></tr>"})
    assert output == (
        "<table><tr><td>0</td></tr><tr><td>known</td></tr><tr><td>2</td></tr></table>"
    )


def test_the_pieces_of_a_pages_html_alone_serve_its_whole_layout() -> None:
    """Serve compacts a roll-up's converted HTML ahead (``PageMemory.compact_ahead``): its
    rows are the same pieces in the laid-out page, so they are not compacted again."""
    rows = "".join(f"<tr>\n  <td>{n}</td>\n</tr>\n" for n in range(20))
    content = f"<h1>t</h1>\n<table>\n<tbody>\n{rows}</tbody>\n</table>\n"
    page = (
        "<html>\n<body>\n  <nav>\n    <ul>\n      <li>a</li>\n    </ul>\n  </nav>\n"
        f"  <article>\n{content}  </article>\n</body>\n</html>"
    )
    _, pieces = compact_in_pieces(content, {})
    marked = {key: piece.replace("<td>", "<td data-known>") for key, piece in pieces.items()}
    output, _ = compact_in_pieces(page, marked)
    assert output.count("data-known") == 19  # all rows but the last, whose piece runs on
    assert output.replace(" data-known", "") == compact_html(page)
