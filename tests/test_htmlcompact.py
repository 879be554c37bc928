"""Whitespace out of finished pages, and nothing else."""

from __future__ import annotations

from opsbook.site.htmlcompact import compact_html


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
