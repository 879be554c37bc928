"""The measuring SVG canvas: matplotlib's exact bytes, each distinct text measured once."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.style
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from opsbook.charts.svgcanvas import MeasuringCanvas, TextSizes

DEJAVU = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
RC = {"svg.hashsalt": "test", "text.parse_math": False}


def draw(fig: Figure, title: str) -> None:
    fig.set_size_inches(4, 3)
    ax = fig.add_axes((0.2, 0.2, 0.7, 0.6))
    ax.plot([0, 1, 2], [2, 0, 1])
    fig.text(0.05, 0.95, title, va="top", fontproperties=FontProperties(fname=DEJAVU, size=14))
    for x in (0, 1, 2):  # the same labels in every figure
        ax.text(x, -0.3, f"0{x}-01", ha="center", va="top", fontsize=9)
    ax.annotate("target & <b>", (1, 1), xytext=(0, 8), textcoords="offset points",
                bbox={"facecolor": "white", "pad": 1.5})  # fmt: skip


def svg(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


@pytest.mark.parametrize("fonttype", ["none", "path"])
def test_the_bytes_are_matplotlibs_and_repeated_texts_are_measured_once(fonttype: str) -> None:
    sizes = TextSizes()
    measured: list[str] = []
    original = sizes.get

    def counting(text: str, prop: FontProperties, ismath: Any, measure: Any) -> Any:
        return original(text, prop, ismath, lambda *a: measured.append(text) or measure(*a))

    sizes.get = counting  # type: ignore[method-assign]
    with matplotlib.style.context(["default", {**RC, "svg.fonttype": fonttype}]):
        for title in ("First chart", "Second chart", "First chart"):
            expected = Figure(dpi=72)
            FigureCanvasAgg(expected)  # savefig switches to matplotlib's own SVG canvas
            draw(expected, title)
            mine = Figure(dpi=72)
            MeasuringCanvas(mine, sizes)
            draw(mine, title)
            assert svg(mine) == svg(expected)
    assert measured.count("00-01") == 1  # three figures, one measurement
    assert measured.count("First chart") == 1
    assert measured.count("Second chart") == 1


def test_sizes_are_kept_per_string_font_and_size() -> None:
    sizes = TextSizes()
    calls: list[tuple[str, float]] = []

    def measure(text: str, prop: FontProperties, ismath: Any) -> tuple[float, float, float]:
        calls.append((text, prop.get_size()))
        return (len(text) * prop.get_size(), 1.0, 0.0)

    prop = FontProperties(fname=DEJAVU, size=10)
    assert sizes.get("ab", prop, False, measure) == (20, 1.0, 0.0)
    assert sizes.get("ab", prop.copy(), False, measure) == (20, 1.0, 0.0)
    prop.set_size(12)  # a mutated property is another key, not a stale hit
    assert sizes.get("ab", prop, False, measure) == (24, 1.0, 0.0)
    assert sizes.get("ab", FontProperties(fname=DEJAVU, size=10, weight="bold"), False, measure)
    assert sizes.get("abc", prop, False, measure) == (36, 1.0, 0.0)
    assert calls == [("ab", 10), ("ab", 12), ("ab", 10), ("abc", 12)]
