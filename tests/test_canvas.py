"""Charts written straight to SVG (trend, targets, timeline, funnel): every number and label
in the file, Chinese text in the chosen font, user text literal, deterministic bytes, texts
placed where matplotlib places them, hatches that repeat matplotlib's exactly."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from matplotlib.figure import Figure
from matplotlib.font_manager import FontPath, FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.hatch import get_path
from matplotlib.path import Path as MplPath

from conftest import ROOT, SCENARIOS
from opsbook.charts import draw, plan
from opsbook.charts.canvas import Canvas, Faces, Text, path_data
from opsbook.charts.hatch import hatch_tile
from opsbook.model import ScenarioState, evaluate, scenario_from_data
from opsbook.model.catalog import load_catalog
from opsbook.support.fonts import FontChoice, find_cjk_font

AS_OF = dt.date(2026, 6, 22)
SVG = "{http://www.w3.org/2000/svg}"
NASTY = "<script>&\"' $x_1$ {{ 7*7 }} url(#p1) -->"
CANVAS_KINDS = {"trend", "targets", "timeline", "funnel"}


@pytest.fixture(scope="module")
def font() -> FontChoice:
    return find_cjk_font()


def scenario(metric_name: str = "Trial to paid") -> ScenarioState:
    """An English scenario with every canvas kind: a metric far above target (its bar is
    cut at the axis' end), one without data, a bar, a recurring band and a milestone."""
    data = {
        "id": "canvas", "title": "Canvas", "industry": "saas", "module": "Growth",
        "owner": "ann", "cycle": {"start": "2026-06-01", "end": "2026-06-30", "cadence": "weekly"},
        "needs": {
            "business_goal": "g", "goal": "g", "user_group": "u", "pain_point": "p",
            "journey": [{"name": "Trial", "value": 1000}, {"name": "Paid", "value": 180}],
            "success_criteria": ["cr"],
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
            {"id": "cr", "name": metric_name, "unit": "%", "direction": "up", "target": 20,
             "baseline": 12, "source": {"kind": "manual"},
             "observations": [{"date": "2026-06-07", "value": 15},
                              {"date": "2026-06-14", "value": 17.5}]},
            {"id": "leads", "name": "Leads", "direction": "up", "target": 10,
             "source": {"kind": "manual"}, "observations": [{"date": "2026-06-14", "value": 25}]},
            {"id": "nps", "name": "NPS", "direction": "up", "target": 40,
             "source": {"kind": "manual"}},
        ],
    }  # fmt: skip
    return evaluate(scenario_from_data(data), AS_OF)


def charts_of(state: ScenarioState, lang: str, font: FontChoice, paths: bool) -> dict[str, bytes]:
    """The scenario's charts drawn on a canvas (attainment by cycle is matplotlib's)."""
    specs = [spec for spec in plan.scenario_specs(state, lang) if draw.drawn_on_canvas(spec)]
    return dict(zip([s.path for s in specs], draw.draw_batch(specs, font, paths), strict=True))


def texts(svg: bytes) -> list[str]:
    """Every <text> as a reader gets it (its lines joined by a newline)."""
    root = ET.fromstring(svg)
    found = []
    for element in root.iter(f"{SVG}text"):
        spans = element.findall(f"{SVG}tspan")
        found.append("\n".join(s.text or "" for s in spans) if spans else element.text or "")
    return found


def test_every_number_and_label_is_in_the_svg(font: FontChoice) -> None:
    svgs = charts_of(scenario(), "en", font, paths=False)
    assert texts(svgs["charts/canvas/trend-cr.svg"]) == [
        "Trial to paid", "Target 20% · actual 17.5% · achievement 87.5%",
        "As of 06-22", "12.5", "15", "17.5", "20",
        "06-01", "06-08", "06-15", "06-22", "06-29", "15%", "17.5%", "Target 20%", "Value (%)",
        "Target", "Critical zone", "Warning zone", "Baseline", "As of 06-22",
    ]  # fmt: skip
    assert texts(svgs["charts/canvas/trend-nps.svg"])[1:3] == [
        "Target 40 · No data",
        "As of 06-22",
    ]
    assert texts(svgs["charts/canvas/trend-nps.svg"])[12] == "No data"
    assert texts(svgs["charts/canvas/targets.svg"]) == [
        "Target vs actual", "Achievement rate per metric",
        "17.5% / 20% · 87.5%", "25 / 10 · 250%", "No data",
        "0%", "25%", "50%", "75%", "100%", "125%", "150%", "175%", "200%", "Achievement rate (%)",
        "Trial to paid", "Leads", "NPS", "Target (100%)", "Warning level", "Critical level",
    ]  # fmt: skip
    timeline = texts(svgs["charts/canvas/timeline.svg"])
    assert timeline[:3] == ["Action timeline", "3 actions · 06-01 – 06-30", "As of 06-22"]
    assert timeline[3:6] == ["06-10", "recurring (daily)", "milestone 06-15"]
    assert timeline[6:9] == ["<script>&\"' $x_1$ {{ 7*7 }}\nurl(#p1) -->", "Daily tips", "Call"]
    assert timeline[9:] == [
        "06-01", "06-08", "06-15", "06-22", "06-29", "Date (MM-DD)", "Done", "In progress", "Overdue"
    ]  # fmt: skip
    assert texts(svgs["charts/canvas/funnel.svg"]) == [
        "User journey funnel",
        "Overall conversion 18%",
        "1,000",
        "180",
        "↓ 18%",
        "Trial",
        "Paid",
    ]
    # the cut bar shows that it goes on: a white arrow at the axis' end
    assert b'<use href="#m' in svgs["charts/canvas/targets.svg"]


def test_user_text_is_written_literally_never_as_markup(font: FontChoice) -> None:
    svg = charts_of(scenario(NASTY), "en", font, paths=False)["charts/canvas/trend-cr.svg"]
    assert texts(svg)[0] == NASTY
    assert b"&lt;script&gt;&amp;\"' $x_1$ {{ 7*7 }} url(#p1) --&gt;</text>" in svg
    assert b"<script>" not in svg


def test_chinese_is_set_in_the_chosen_font(font: FontChoice) -> None:
    catalog, result = load_catalog([SCENARIOS], as_of=AS_OF)
    assert catalog is not None, result
    state = catalog.state("ecommerce-new-user-first-order")
    svgs = charts_of(state, "zh-CN", font, paths=False)
    trend = svgs["charts/ecommerce-new-user-first-order/trend-first-order-cr.svg"]
    assert ET.fromstring(trend).get("font-family", "").startswith("'Noto Sans CJK SC',")
    assert texts(trend)[:2] == ["首单转化率", "目标 20% · 实际 18% · 达成率 90%"]
    timeline = texts(svgs["charts/ecommerce-new-user-first-order/timeline.svg"])
    assert {"行动甘特图", "已完成", "进行中", "已逾期", "周期性（每日）", "日期（月-日）"} <= set(
        timeline
    )
    # text as outlines: a comment names each string, then one real glyph per character
    outlines = charts_of(state, "zh-CN", font, paths=True)
    drawn = outlines["charts/ecommerce-new-user-first-order/trend-first-order-cr.svg"]
    assert b"<text" not in drawn
    title = re.search(rb"<!-- \xe9\xa6\x96\xe5\x8d\x95\xe8\xbd\xac\xe5\x8c\x96\xe7\x8e\x87 -->"
                      rb"<g [^>]*>(.*?)</g>", drawn)  # fmt: skip
    assert title is not None
    glyphs = re.findall(rb'href="#([^"]+)"', title[1])
    bold = FT2Font(str(font.bold), face_index=font.bold_index)
    expected = [f"NotoSansCJKsc-Bold-{bold.get_char_index(ord(c)):x}" for c in "首单转化率"]
    assert [g.decode() for g in glyphs] == expected
    assert all(bold.get_char_index(ord(c)) != 0 for c in "首单转化率")
    ids = {e.get("id") for e in ET.fromstring(drawn).iter()} - {None}
    assert {r.decode() for r in re.findall(rb'href="#([^"]+)"', drawn)} <= ids


def test_bytes_are_the_same_in_any_batch_and_any_process(font: FontChoice, tmp_path: Path) -> None:
    state = scenario()
    specs = plan.scenario_specs(state, "en")
    alone = [draw.draw_batch([spec], font)[0] for spec in specs]
    assert draw.draw_batch(list(reversed(specs)), font) == list(reversed(alone))
    assert draw.draw_batch(specs, font, False) == [
        draw.draw_batch([s], font, False)[0] for s in specs
    ]
    script = (
        "import sys; sys.path.insert(0, 'tests'); import hashlib, test_canvas as t\n"
        "from opsbook.charts import plan, draw; from opsbook.support.fonts import find_cjk_font\n"
        "specs = plan.scenario_specs(t.scenario(), 'en')\n"
        "for svg in draw.draw_batch(specs, find_cjk_font()): print(hashlib.sha256(svg).hexdigest())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "4321", "HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env, cwd=ROOT
    ).stdout  # fmt: skip
    assert out == "".join(hashlib.sha256(svg).hexdigest() + "\n" for svg in alone)


@pytest.mark.parametrize("va", ["top", "center", "bottom", "baseline", "center_baseline"])
@pytest.mark.parametrize("spacing", [None, 1.35])
def test_texts_sit_where_matplotlib_sets_them(font: FontChoice, va: str, spacing: Any) -> None:
    from matplotlib.backends.backend_svg import RendererSVG

    faces = Faces(font, text_as_paths=False)
    for text in ("目标 Ag", "两行的\n标签 gy"):
        canvas = Canvas(800, 400, faces)
        canvas.text(100, 200, text, Text(12, va=va, spacing=spacing))
        drawn = [float(y) for y in re.findall(rb' y="([-\d.]+)"', canvas.svg())]
        fig = Figure(dpi=72)
        prop = FontProperties(fname=FontPath(str(font.regular), font.regular_index), size=12)
        kwargs = {"linespacing": spacing} if spacing else {}
        label = fig.text(0, 0, text, fontproperties=prop, va=va, **kwargs)
        _, lines, _ = label._get_layout(RendererSVG(800, 400, io.StringIO()))
        expected = [200 - y for _, _, (_, y) in lines]
        assert drawn[-len(expected) :] == pytest.approx(expected, abs=0.06), (text, va)


# CJK and Latin, kerning pairs, a glyph left of its origin (j), marks that do not reach
# the baseline (— …), a space at each end
SHAPED = ["首单转化率 Ag", "Target 90% · actual 82.9%", "AVATAR Ty", "j(f)", "—…", " x "]


@pytest.mark.parametrize("bold", [False, True])
def test_texts_measure_and_are_drawn_as_matplotlib_does(font: FontChoice, bold: bool) -> None:
    from matplotlib.textpath import TextToPath

    faces = Faces(font, text_as_paths=True)
    path = (font.bold, font.bold_index) if bold else (font.regular, font.regular_index)
    prop = FontProperties(fname=FontPath(str(path[0]), path[1]), size=12)
    matplotlib_text = TextToPath()
    for text in SHAPED:
        expected = matplotlib_text.get_text_width_height_descent(text, prop, ismath=False)
        assert faces.measure(text, 12, bold) == pytest.approx(expected, abs=0.005), text
        glyphs, outlines, _ = matplotlib_text.get_glyphs_with_font(
            matplotlib_text._get_font(prop), text
        )
        run = faces.glyph_run(text, bold)
        assert [name for name, _ in run] == [g[0].replace("%20", "_") for g in glyphs], text
        assert [x for _, x in run] == pytest.approx([g[1] for g in glyphs], abs=0.05), text
        for name, _, _, _ in glyphs:
            verts, codes = outlines[name]
            drawn = path_data([(float(x), float(y)) for x, y in verts], codes.tolist())
            assert faces.outline(name.replace("%20", "_")) == drawn, (text, name)


def test_a_character_the_font_lacks_is_its_missing_glyph_box(font: FontChoice) -> None:
    """(matplotlib would draw it from its LastResort font; a box either way)"""
    faces = Faces(font, text_as_paths=True)
    (name, x), *_ = faces.glyph_run("\u0378", False)
    assert (name, x) == ("NotoSansCJKsc-Regular-0", 0.0)
    assert faces.measure("\u0378", 10, False)[0] == 10.0  # its advance: one em
    assert faces.outline(name).startswith("M") and faces.outline(name).endswith("z")


@pytest.mark.parametrize("hatch", ["//", "///", "xx", ".."])
def test_a_small_hatch_tile_repeats_matplotlibs_lines_and_dots(hatch: str) -> None:
    width, height, _ = hatch_tile(hatch)
    assert (width, height) == {"//": (12, 12), "///": (8, 8), "xx": (12, 12), "..": (6, 12)}[hatch]
    path = get_path(hatch, 6)
    points = [(x * 72, 72 - y * 72) for x, y in path.vertices]
    if hatch == "..":  # each dot's centre on the tile's lattice: corners and the middle
        centres = {(round(x, 6) % width, round(y, 6) % height) for x, y in _dot_centres(points)}
        assert len(_dot_centres(points)) == 163  # 7 rows of 13 and 6 rows of 12 in the big tile
        assert centres == {(0, 0), (3, 6)}
        return
    for (x0, y0), (x1, y1) in zip(points[0::2], points[1::2], strict=True):
        rising = (x1 - x0) * (y1 - y0) < 0  # y grows downwards
        constant = x0 + y0 if rising else x0 - y0
        assert round(constant) % width == 0 and abs(constant - round(constant)) < 1e-9


def _dot_centres(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The centres of matplotlib's filled circles (each the unit circle's points, moved)."""
    size = len(MplPath.unit_circle().vertices)
    dots = [points[i : i + size] for i in range(0, len(points), size)]
    return [
        ((min(x for x, _ in d) + max(x for x, _ in d)) / 2,
         (min(y for _, y in d) + max(y for _, y in d)) / 2)
        for d in dots
    ]  # fmt: skip


def test_a_scenarios_charts_are_drawn_on_the_canvas_but_attainment_by_cycle() -> None:
    charts = plan.scenario_plan(scenario(), "en")
    assert {chart.kind for chart in charts} == CANVAS_KINDS
    assert all(draw.drawn_on_canvas(chart.spec) for chart in charts)
    catalog, result = load_catalog([SCENARIOS], as_of=AS_OF)
    assert catalog is not None, result
    cycles = plan.scenario_plan(catalog.state("saas-renewal-expansion"), "en")[-1]
    assert cycles.kind == "cycles" and not draw.drawn_on_canvas(cycles.spec)
