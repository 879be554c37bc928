"""Compact chart SVG: the same drawing (checked element by element), user text byte for byte,
every reference resolving, deterministic bytes, far fewer of them.

The charts are real opsbook charts drawn by matplotlib without the compaction, in both text
modes, and compared with their compacted form by reading both the way a renderer would:
styles resolved through the style sheet, classes and inheritance, transforms composed,
path data expanded to absolute points.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy
import pytest
import typst
from PIL import Image

from conftest import SCENARIOS
from opsbook.charts import draw as charts
from opsbook.charts import plan, svgmin
from opsbook.charts.specs import AlertsSpec
from opsbook.charts.svgmin import compact_svg
from opsbook.charts.svgvalues import compact_path
from opsbook.model import evaluate, scenario_from_data
from opsbook.model.catalog import load_catalog
from opsbook.support.fonts import find_cjk_font
from site_support import browser  # noqa: F401 (a fixture)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

AS_OF = dt.date(2026, 6, 22)
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
NASTY = "<script>&\"' $x_1$ a b {{ 7*7 }} url(#p1) -->"


def nasty_scenario() -> dict[str, Any]:
    """Every kind of chart, with markup, quotes, dollars and a comment end in user text."""
    return {
        "id": "nasty", "title": NASTY, "industry": "saas", "module": "Growth", "owner": "ann",
        "cycle": {"start": "2026-06-01", "end": "2026-06-30", "cadence": "weekly"},
        "needs": {
            "business_goal": "g", "goal": "g", "user_group": "u", "pain_point": "p",
            "journey": [{"name": NASTY, "value": 1000}, {"name": "Paid & <b>", "value": 180}],
            "success_criteria": ["m"],
        },
        "actions": [
            {"id": "a1", "strategy": "s", "action": NASTY, "owner": "ann", "standard": "x",
             "status": "done", "start": "2026-06-02", "due": "2026-06-10"},
            {"id": "a2", "strategy": "s", "action": "Daily tips", "owner": "ann",
             "standard": "x", "status": "in-progress", "repeat": "daily"},
            {"id": "a3", "strategy": "s", "action": "Call", "owner": "ann", "standard": "x",
             "status": "in-progress", "due": "2026-06-15"},
        ],
        "metrics": [
            {"id": "m", "name": NASTY, "unit": "%", "direction": "up", "target": 20,
             "baseline": 12, "source": {"kind": "manual"},
             "observations": [{"date": "2026-06-07", "value": 15},
                              {"date": "2026-06-14", "value": 17.5}]},
        ],
        "history": [{"cycle": {"start": "2026-05-01", "end": "2026-05-31"},
                     "attainment": [{"metric": "m", "target": 20, "actual": 15,
                                     "achievement": 75}]}],
    }  # fmt: skip


@pytest.fixture(scope="module", params=[False, True], ids=["text", "paths"])
def drawn(request: pytest.FixtureRequest) -> list[tuple[bytes, bytes]]:
    """(matplotlib's SVG, the compacted SVG) of every chart of the nasty scenario, two
    shipped scenarios and the portfolio."""
    catalog, result = load_catalog([SCENARIOS], as_of=AS_OF)
    assert catalog is not None, result
    states = [evaluate(scenario_from_data(nasty_scenario()), AS_OF)]
    states += [catalog.state(s.id) for s in catalog.scenarios[:2]]
    specs = [spec for state in states for spec in plan.scenario_specs(state, "en")]
    specs += plan.portfolio_specs(catalog, "en")
    specs = [spec for spec in specs if not charts.drawn_on_canvas(spec)]  # compact already
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(charts, "compact_svg", lambda svg: svg)
        raw = charts.draw_batch(specs, find_cjk_font(), text_as_paths=request.param)
    return [(svg, compact_svg(svg)) for svg in raw]


def test_charts_draw_the_same_in_far_fewer_bytes(drawn: list[tuple[bytes, bytes]]) -> None:
    text_mode = b"<text" in drawn[0][0]
    for before, after in drawn:
        assert same_ids(render_model(after)) == approx_model(same_ids(render_model(before)))
    ratio = sum(len(a) for _, a in drawn) / sum(len(b) for b, _ in drawn)
    # about 0.45 with text: the hatches that tell statuses apart in greyscale are pattern
    # paths, which compaction shortens less than matplotlib's styled text and groups
    assert ratio < (0.5 if text_mode else 0.75), ratio


def test_user_text_and_comments_are_kept_byte_for_byte(drawn: list[tuple[bytes, bytes]]) -> None:
    for before, after in drawn:
        assert texts(after) == texts(before)
        assert re.findall(rb"<!--.*?-->", after, re.S) == re.findall(rb"<!--.*?-->", before, re.S)
    everything = b"".join(after for _, after in drawn)
    assert b"<script>" not in everything
    # the whole string, where the legend of attainment by cycle names the metric
    if b"<text" in drawn[0][0]:
        assert b"&lt;script&gt;&amp;\"' $x_1$ a b {{ 7*7 }} url(#p1) --&gt;" in everything
        read_back = ["".join(t.itertext()) for _, a in drawn for t in ET.fromstring(a).iter()]
        assert NASTY in read_back
    else:  # outlines: matplotlib names the string in a comment (with "--" split)
        assert b"<!-- &lt;script&gt;&amp;\"' $x_1$ a b {{ 7*7 }} url(#p1) - -&gt; -->" in everything


def test_every_reference_resolves(drawn: list[tuple[bytes, bytes]]) -> None:
    for before, after in drawn:
        ids = {e.get("id") for e in ET.fromstring(after).iter()} - {None}
        assert references(after) <= ids
        # besides a repeated shape and its rows (r0, r1…), each drawn by <use>
        copies = {r for r in references(after) if re.fullmatch(r"r\d+", r)}
        assert len(references(after) - copies) == len(references(before))
        assert references(after)  # clip paths, markers (and glyphs, patterns) are used
        clipped = re.findall(r"url\(#([^)]+)\)", markup(after))
        assert clipped and all(re.fullmatch(r"i\d+", i) for i in clipped)  # no more hashes


def test_compaction_is_deterministic_and_idempotent(drawn: list[tuple[bytes, bytes]]) -> None:
    for before, after in drawn:
        assert compact_svg(before) == after
        assert compact_svg(after) == after


def dotted_alert_bars() -> bytes:
    """matplotlib's SVG of the dashboard's alert counts with a "no data" segment: its dotted
    hatch (the charts drawn on a canvas tile their hatches themselves)."""
    spec = AlertsSpec(
        path="charts/alerts.svg", title="Alerts", subtitle="", x_label="",
        rows=(("Retail", (1, 1, 1, 2)), ("SaaS", (0, 0, 1, 3))),
        legend=("On track", "Warning", "Critical", "No data"),
    )  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(charts, "compact_svg", lambda svg: svg)
        (raw,) = charts.draw_batch([spec], find_cjk_font(), text_as_paths=False)
    return raw


def test_a_repeated_shape_is_drawn_once_and_copied_where_it_was() -> None:
    raw = dotted_alert_bars()
    compact = compact_svg(raw).decode()
    assert "<use href=" in compact  # the hatch's dots: one dot, rows of copies
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(svgmin, "repeats_as_uses", lambda document: document)
        one_path = compact_svg(raw).decode()
    assert "<use href=" not in one_path
    assert len(compact) < 0.5 * len(one_path), (len(compact), len(one_path))
    # the same picture: each run of paths in one style read back as absolute points
    assert same_ids(render_model(compact.encode())) == approx_model(
        same_ids(render_model(one_path.encode()))
    )


@pytest.mark.browser
def test_the_copies_render_as_the_one_path_did_in_chromium_and_typst(
    browser: Browser,  # noqa: F811 (the fixture)
    tmp_path: Path,
) -> None:
    raw = dotted_alert_bars()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(svgmin, "repeats_as_uses", lambda document: document)
        one_path = compact_svg(raw)
    files = {"copies": compact_svg(raw), "one-path": one_path}
    chromium, typeset = {}, {}
    page = browser.new_page(viewport={"width": 1100, "height": 1000}, device_scale_factor=2)
    for name, svg in files.items():
        (tmp_path / f"{name}.svg").write_bytes(svg)
        page.goto((tmp_path / f"{name}.svg").as_uri())
        chromium[name] = grey(page.screenshot())
        source = tmp_path / f"{name}.typ"
        source.write_text(
            f'#set page(width: 820pt, height: auto, margin: 0pt)\n#image("{name}.svg", width: 800pt)\n'
        )
        typeset[name] = grey(typst.compile(str(source), format="png", ppi=200))
    page.close()
    for pixels in (chromium, typeset):  # edges may be smoothed a shade differently
        difference = numpy.abs(pixels["copies"] - pixels["one-path"])
        assert difference.max() <= 8, difference.max()
        assert (pixels["one-path"] < 200).sum() > 10_000  # something dark was drawn


def grey(png: bytes) -> Any:
    return numpy.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=int)


def test_charts_are_stored_compacted() -> None:
    state = evaluate(scenario_from_data(nasty_scenario()), AS_OF)
    specs = [s for s in plan.scenario_specs(state, "en") if not charts.drawn_on_canvas(s)]
    for svg in charts.draw_batch(specs, find_cjk_font()):
        assert compact_svg(svg) == svg
        assert b"<metadata" not in svg and not svg.startswith(b"<?xml")


def test_path_data_is_written_short_with_lines_along_axes_as_h_and_v() -> None:
    assert compact_path("M 0 420 \nL 800 420 \nL 800 0 \nL 0 0 \nz\n") == "M0 420H800V0H0z"
    # after z the current point is the subpath's start again
    assert compact_path("M 1 2 \nL 5 2 \nz\nL 1 7 \n") == "M1 2H5zV7"
    assert compact_path("M -36.123456 36 \nL 36 -0.001 \nL 0.5 -0.004 \n") == "M-36.1 36 36 0H.5"
    assert compact_path("M 1 2 \nC 3 4 5 6.006 7 8 \nQ 1 1 7 9 \n") == "M1 2C3 4 5 6 7 8Q1 1 7 9"
    # a moveto's further pairs are linetos; a repeated command is written once
    assert compact_path("M 0 0 \nL 10 20 \nL 30 50 \n") == "M0 0 10 20 30 50"
    assert (
        compact_path("M 0 0 \nC 1 1 2 2 3 3 \nC 4 4 5 5 6 6 \n") == "M0 0C1 1 2 2 3 3 4 4 5 5 6 6"
    )
    # a point needs no space after a number that has one: ".2.3" is .2 then .3
    assert compact_path("M 0.2 0.3 \nL 1.5 0.5 \n") == "M.2.3 1.5.5"
    # relative where shorter, offsets from the rounded points: no drift along the path
    assert compact_path("M 100.04 100 \nL 101.04 101 \nL 102.04 102 \n") == "M100 100l1 1 1 1"
    assert compact_path("M 500 500 \nL 500.3 520.3 \nz\nM 506 500 \nL 506.3 520.3 \n") == (
        "M500 500l.3 20.3zm6 0 .3 20.3"
    )
    # other path data keeps its commands (relative ones, exponents), numbers rounded
    assert (
        compact_path("m 1e-3 .5 l 2,3 h -4.444 A 1 1 0 0 1 2 2") == "m0 .5l2 3h-4.4A1 1 0 0 1 2 2"
    )


def test_a_hatch_of_dots_is_one_dot_written_once_and_repeated_by_offsets() -> None:
    """matplotlib draws the "not started" hatch as 169 bezier circles in a 72 pt tile; each
    is the same relative text after a short move, about half the absolute text."""
    dot = [(0.2, 0.6), (0.3, 0.5), (0.4, 0.4), (0.5, 0.3), (0.6, 0.2), (0.6, 0.0)]
    subpaths = []
    for x in range(0, 78, 6):
        first, second = (" ".join(f"{x + dx:f} {72 + dy:f}" for dx, dy in half)
                         for half in (dot[:3], dot[3:]))  # fmt: skip
        subpaths.append(f"M {x:f} 72.600000 \nC {first} \nC {second} \nz\n")
    compact = compact_path("".join(subpaths))
    body = "c.2 0 .3-.1.4-.2.1-.1.2-.2.2-.4z"
    assert compact == "M0 72.6" + body + ("m6 0" + body) * 12
    assert path_points(compact) == approx_model(path_points(_absolute("".join(subpaths))))


def _absolute(data: str) -> str:
    """matplotlib's path data as the plain absolute data path_points reads."""
    return re.sub(r"\s+", " ", data).replace(" z ", "z").strip()


def test_font_list_moves_to_the_root_only_when_every_text_shares_it() -> None:
    shared = svg_doc(
        '<text style="font-size: 11px; font-family: \'A B\', sans-serif" x="1">a</text>'
        '<text style="font-family: \'A B\', sans-serif; fill: #ffffff" x="2">b</text>'
    )
    root = ET.fromstring(compact_svg(shared))
    assert root.get("font-family") == "'A B',sans-serif"
    assert [t.get("style") for t in root.iter(f"{SVG}text")] == ["font-size:11px", "fill:#fff"]
    mixed = svg_doc(
        '<text style="font-family: A" x="1">a</text><text style="font-family: B" x="2">b</text>'
    )
    root = ET.fromstring(compact_svg(mixed))
    assert root.get("font-family") is None
    assert [t.get("style") for t in root.iter(f"{SVG}text")] == ["font-family:A", "font-family:B"]
    in_a_group = svg_doc(
        '<g style="font-family: B"><text style="font-family: A" x="1">a</text></g>'
        '<text style="font-family: A" x="2">b</text>'
    )  # the first text would inherit B from its group instead of A from the root
    root = ET.fromstring(compact_svg(in_a_group))
    assert root.get("font-family") is None


def test_groups_go_only_when_they_do_nothing() -> None:
    svg = svg_doc(
        '<g id="figure_1"><g id="patch_1"><path d="M 0 0 \nL 1 1 \n"/></g>'
        '<g id="used"><path d="M 0 0 \nL 2 2 \n"/></g><use xlink:href="#used"/>'
        '<g id="moved" transform="translate(1.23456 0)"><path d="M 0 0 \nL 3 3 \n"/></g></g>'
    )
    out = compact_svg(svg).decode()
    assert 'id="figure_1"' not in out and 'id="patch_1"' not in out and 'id="moved"' not in out
    assert '<g id="used"><path d="M0 0 2 2"/></g><use xlink:href="#used"/>' in out
    assert '<g transform="translate(1.2 0)"><path d="M0 0 3 3"/></g>' in out


def test_hatch_tiles_keep_only_what_draws_and_draw_a_repeated_path_once() -> None:
    hatch = "".join(f"M {x:f} 0 \nL {x + 72:f} 72 \n" for x in range(-36, 42, 6))
    tile = '<pattern id="h{n}" patternUnits="userSpaceOnUse" x="0" y="0" width="72" height="72">'
    svg = svg_doc(
        "<defs>"
        + tile.format(n=1) + '<rect x="0" y="0" width="72" height="72" fill="none"/>'
        f'<path d="{hatch}" style="fill: #d55e00; stroke: #d55e00"/></pattern>'
        + tile.format(n=2) + '<rect x="0" y="0" width="72" height="72" fill="#d55e00"/>'
        f'<path d="{hatch}" style="fill: #d55e00; stroke: #d55e00"/></pattern>'
        '</defs><path d="M 0 0 \nL 9 0 \nL 9 9 \nz\n" style="fill: url(#h1)"/>'
        '<path d="M 0 0 \nL 5 5 \n" style="fill: url(#h2)"/>'
    )  # fmt: skip
    out = compact_svg(svg).decode()
    lines = compact_path(hatch)
    assert (
        '<pattern id="i0" patternUnits="userSpaceOnUse" width="72" height="72">'
        f'<path id="r0" d="{lines}" class="s0"/></pattern>'
        '<pattern id="i1" patternUnits="userSpaceOnUse" width="72" height="72">'
        '<rect width="72" height="72" fill="#d55e00"/><use href="#r0"/></pattern>'
    ) in out
    assert same_ids(render_model(out.encode())) == approx_model(same_ids(render_model(svg)))


def test_initial_values_stay_where_a_parent_could_override_them() -> None:
    svg = svg_doc(
        '<text style="text-anchor: start" x="1">a</text>'
        '<g style="text-anchor: end"><text style="text-anchor: start" x="1">b</text></g>'
    )
    out = compact_svg(svg).decode()
    assert '<text x="1">a</text>' in out
    assert '<text style="text-anchor:start" x="1">b</text>' in out


def test_whitespace_inside_text_elements_is_text() -> None:
    svg = svg_doc('<text x="1"> a  <tspan>b</tspan> \n <tspan>c</tspan> </text>')
    assert b'<text x="1"> a  <tspan>b</tspan> \n <tspan>c</tspan> </text>' in compact_svg(svg)


def svg_doc(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
        '<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="10pt" height="10pt" '
        'viewBox="0 0 10 10" xmlns="http://www.w3.org/2000/svg" version="1.1">\n'
        ' <metadata><dc:format xmlns:dc="x">image/svg+xml</dc:format></metadata>\n'
        f' <defs>\n  <style type="text/css">*{{stroke-linecap: butt}}</style>\n </defs>\n{body}\n'
        "</svg>\n"
    ).encode()


def texts(svg: bytes) -> list[bytes]:
    return re.findall(rb"<text\b[^>]*>(.*?)</text>", svg, re.S)


def same_ids(model: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``model`` with its ids named by order of first mention, so that two documents that
    differ only in their ids' names compare equal."""
    names: dict[str, str] = {}

    def name(found: str) -> str:
        return names.setdefault(found, f"id{len(names)}")

    def in_value(value: str) -> str:
        return re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{name(m[1])})", value)

    for item in model[1:]:
        item["style"] = {k: in_value(v) for k, v in item["style"].items()}
    return model


def markup(svg: bytes) -> str:
    """The document without the user's text or comments."""
    return re.sub(r"<text\b.*?</text>|<!--.*?-->", "", svg.decode(), flags=re.S)


def references(svg: bytes) -> set[str]:
    """The ids that markup points to."""
    return {a or b for a, b in re.findall(r"url\(#([^)]+)\)|href=\"#([^\"]+)\"", markup(svg))}


# Reading an SVG the way a renderer does, for the comparison.

INHERITED = {"fill", "stroke", "stroke-width", "stroke-dasharray", "stroke-dashoffset",
             "font-size", "font-family", "font-weight", "font-style", "text-anchor",
             "fill-opacity", "stroke-opacity", "fill-rule"}  # fmt: skip
INITIAL = {"text-anchor": "start", "stroke-dashoffset": "0"}
STRUCTURE = {"svg", "g", "defs", "style", "metadata"}  # draw nothing themselves


def render_model(svg: bytes) -> list[dict[str, Any]]:
    """Every element that draws, in document order, a ``<use>`` as a copy of what it points
    to (which is not drawn where it is defined): its tag, resolved style, composed
    transform, geometry and text; runs of paths in one style as one path in absolute
    points (one path of many dots draws what many copies of a dot draw)."""
    root = ET.fromstring(svg)
    rules = style_rules(root)
    items = [{"root": {k: root.get(k) for k in ("width", "height", "viewBox")}}]
    initial = {k: normal_value(v) for k, v in INITIAL.items()}
    document = Document(rules, {e.get("id"): e for e in root.iter() if e.get("id")})
    document.targets = {use_target(e) for e in root.iter()} - {None}
    for element, style, matrix in walk(root, document, initial, (1, 0, 0, 1, 0, 0)):
        items.append(item(element, style, matrix))
    return merged_paths(items)


@dataclass
class Document:
    rules: dict[str, dict[str, str]]
    by_id: dict[str, ET.Element]
    targets: set[str | None] = field(default_factory=set)  # what some <use> draws


def use_target(element: ET.Element) -> str | None:
    link = element.get(XLINK) or element.get("href")
    return link[1:] if element.tag == f"{SVG}use" and link else None


def merged_paths(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive paths of one style (and no scale or rotation) as one, in absolute points."""
    result: list[dict[str, Any]] = []
    for current in items:
        if "tag" in current and current["tag"] == f"{SVG}path" and current["matrix"][:4] == (
            1, 0, 0, 1
        ):  # fmt: skip
            e, f = current["matrix"][4:]
            points = [(k, x + e, y + f) for k, x, y in current["geometry"].pop("d", [])]
            current = {**current, "matrix": (1, 0, 0, 1, 0, 0)}
            current["geometry"] = {**current["geometry"], "absolute": points}
            previous = result[-1] if result else {}
            if all(previous.get(k) == current[k] for k in ("tag", "style", "other", "text")) and (
                previous.get("matrix") == current["matrix"]
                and previous["geometry"].keys() == {"absolute"} == current["geometry"].keys()
            ):  # fmt: skip
                previous["geometry"]["absolute"] += points
                continue
        result.append(current)
    return result


def style_rules(root: ET.Element) -> dict[str, dict[str, str]]:
    """Selector (``*`` or ``.name``) → declarations, from the style sheets."""
    rules: dict[str, dict[str, str]] = {}
    for sheet in root.iter(f"{SVG}style"):
        for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", sheet.text or ""):
            rules[selector.strip()] = declarations(body)
    return rules


def declarations(style: str) -> dict[str, str]:
    result = {}
    for part in re.findall(r"""(?:[^;'"]|'[^']*'|"[^"]*")+""", style):
        key, _, value = part.partition(":")
        if value.strip():
            result[key.strip()] = normal_value(value)
    return result


def normal_value(value: str) -> str:
    value = re.sub(r"\s*,\s*", ",", value.strip().lower())
    value = re.sub(r"#([0-9a-f])([0-9a-f])([0-9a-f])\b", r"#\1\1\2\2\3\3", value)
    return re.sub(r"(?<![\w#-])-?(?:\d+\.?\d*|\.\d+)", lambda m: repr(float(m[0])), value)


def walk(
    element: ET.Element, document: Document, inherited: dict[str, str],
    matrix: tuple[float, ...], *, copied: bool = False, in_defs: bool = False,
) -> Iterator[tuple[ET.Element, dict[str, str], tuple[float, ...]]]:  # fmt: skip
    if in_defs and element.get("id") in document.targets and not copied:
        return  # defined, and drawn where it is used
    own = own_style(element, document.rules)
    style = {**{k: v for k, v in inherited.items() if k in INHERITED}, **own}
    matrix = compose(matrix, transform(element))
    tag = element.tag.removeprefix(SVG)
    target = use_target(element)
    if target is not None:
        yield from walk(document.by_id[target], document, style, matrix, copied=True)
        return
    if tag not in STRUCTURE and not draws_nothing(tag, style):
        yield element, style, matrix
    if tag == "metadata" or tag == "text":
        return
    for child in element:
        yield from walk(child, document, style, matrix, in_defs=tag == "defs")
    if tag == "g" or tag == "svg":  # what a group sets that is not inherited must match
        extra = {
            k: v for k, v in own.items() if k not in INHERITED and k not in document.rules["*"]
        }
        if extra:
            yield ET.Element("group-end"), extra, matrix


def draws_nothing(tag: str, style: dict[str, str]) -> bool:
    """A rect that fills with none and has no stroke."""
    return tag == "rect" and style.get("fill") == "none" and style.get("stroke", "none") == "none"


def own_style(element: ET.Element, rules: dict[str, dict[str, str]]) -> dict[str, str]:
    """Presentation attributes < ``*`` rule < class rule < style attribute."""
    style = {
        k: normal_value(v) for k, v in element.attrib.items()
        if k in INHERITED or k in ("clip-path", "opacity")
    }  # fmt: skip
    style.update(rules.get("*", {}))
    for name in (element.get("class") or "").split():
        style.update(rules[f".{name}"])
    style.update(declarations(element.get("style") or ""))
    return style


def transform(element: ET.Element) -> tuple[float, ...]:
    matrix: tuple[float, ...] = (1, 0, 0, 1, 0, 0)
    for name, arguments in re.findall(r"(\w+)\(([^)]*)\)", element.get("transform") or ""):
        values = [float(v) for v in re.split(r"[\s,]+", arguments.strip())]
        matrix = compose(matrix, function_matrix(name, values))
    if element.tag == f"{SVG}use":
        x, y = float(element.get("x") or 0), float(element.get("y") or 0)
        matrix = compose(matrix, (1, 0, 0, 1, x, y))
    return matrix


def function_matrix(name: str, values: list[float]) -> tuple[float, ...]:
    if name == "translate":
        return (1, 0, 0, 1, values[0], values[1] if len(values) > 1 else 0)
    if name == "scale":
        return (values[0], 0, 0, values[-1], 0, 0)
    if name == "matrix":
        return tuple(values)
    assert name == "rotate", name
    angle, cx, cy = math.radians(values[0]), *(values[1:] or [0, 0])
    cos, sin = math.cos(angle), math.sin(angle)
    rotation = compose((1, 0, 0, 1, cx, cy), (cos, sin, -sin, cos, 0, 0))
    return compose(rotation, (1, 0, 0, 1, -cx, -cy))


def compose(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    return (a * n[0] + c * n[1], b * n[0] + d * n[1], a * n[2] + c * n[3], b * n[2] + d * n[3],
            a * n[4] + c * n[5] + e, b * n[4] + d * n[5] + f)  # fmt: skip


def item(element: ET.Element, style: dict[str, str], matrix: tuple[float, ...]) -> dict[str, Any]:
    at_origin = {"x": 0.0, "y": 0.0} if element.tag in (f"{SVG}rect", f"{SVG}pattern") else {}
    geometry = at_origin | {
        k: float(v) for k, v in element.attrib.items()
        if k in ("x", "y", "width", "height") and element.tag != f"{SVG}use"
    }  # fmt: skip
    if element.get("d") is not None:
        geometry["d"] = path_points(element.get("d") or "")
    if element.tag != f"{SVG}text":  # what only text uses
        style = {k: v for k, v in style.items() if not k.startswith(("font-", "text-"))}
    return {
        "tag": element.tag,
        "style": style, "matrix": matrix, "geometry": geometry,
        "text": "".join(element.itertext()) if element.tag == f"{SVG}text" else "",
        "other": {k: v for k, v in element.attrib.items() if k in ("patternUnits", "clipPathUnits")},
    }  # fmt: skip


def path_points(data: str) -> list[tuple[str, float, float]]:
    """Path data as absolute (command, x, y) points: relative commands made absolute, H and
    V expanded, letters repeated (numbers after a moveto's first pair are linetos)."""
    tokens = re.findall(r"[MLHVCQZmlhvcqz]|-?(?:\d+\.?\d*|\.\d+)", data)
    points: list[tuple[str, float, float]] = []
    x = y = start_x = start_y = 0.0
    command, index = "", 0
    while index < len(tokens):
        if tokens[index].isalpha():
            command, index = tokens[index], index + 1
            if command in "Zz":
                points.append(("z", start_x, start_y))
                x, y = start_x, start_y
                continue
        size = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "Q": 4}[command.upper()]
        values = [float(v) for v in tokens[index : index + size]]
        index += size
        if command.islower():  # offsets from the segment's current point
            values = [v + (y if command == "v" or (command != "h" and i % 2) else x)
                      for i, v in enumerate(values)]  # fmt: skip
        if command in "Hh":
            values = [values[0], y]
        elif command in "Vv":
            values = [x, values[0]]
        kind = "L" if command in "MLHVmlhv" and points and command not in "Mm" else command.upper()
        points += [(kind, values[i], values[i + 1]) for i in range(0, len(values), 2)]
        x, y = values[-2], values[-1]
        if command in "Mm":
            start_x, start_y = x, y
            command = "L" if command == "M" else "l"
    return points


def approx_model(expected: list[dict[str, Any]]) -> Any:
    """The model with positions compared to within 0.05 (they are rounded to 0.1) and
    scales and angles exactly (a scale of 0.015625 rounded would fail here)."""
    return _Approx(expected)


class _Approx:
    def __init__(self, expected: Any) -> None:
        self.expected = expected

    def __eq__(self, actual: object) -> bool:
        return _close(self.expected, actual, "")

    def __repr__(self) -> str:
        return f"approximately {self.expected!r}"


def _close(expected: Any, actual: Any, where: str) -> bool:
    if isinstance(expected, float | int) and isinstance(actual, float | int):
        # a matrix's scale and rotation are exact; its offset adds a group's rounded
        # translation to a glyph's (scaled down): two roundings
        # merged paths: a copy's rounded place plus its shape's rounded points
        tolerance = {"linear": 1e-9, "offset": 0.101, "absolute": 0.101}.get(where, 0.0501)
        return abs(expected - actual) <= tolerance
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(
            _close(v, actual[k], k) for k, v in expected.items()
        )
    if isinstance(expected, list | tuple) and isinstance(actual, list | tuple):
        parts = ["linear"] * 4 + ["offset"] * 2 if where == "matrix" else [where] * len(expected)
        return len(expected) == len(actual) and all(
            _close(e, a, part) for e, a, part in zip(expected, actual, parts, strict=False)
        )
    return bool(expected == actual)
