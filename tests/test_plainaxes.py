"""Plain axes: matplotlib's bytes without its tick objects, and a loud failure if ticks
were wanted after all."""

from __future__ import annotations

import io

import matplotlib.style
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MultipleLocator, NullLocator

from opsbook.charts.plainaxes import PlainAxes

RC = {"svg.hashsalt": "test", "axes.spines.top": False, "xtick.major.size": 0}


def chart(axes_class: type[Axes], *, ticks: bool = False) -> bytes:
    fig = Figure(dpi=72)
    FigureCanvasAgg(fig)
    fig.set_size_inches(5, 3)
    ax = fig.add_axes((0.2, 0.2, 0.7, 0.6), axes_class=axes_class)
    ax.barh([0, 1], [3, 5], color="#0072B2", hatch="//")
    ax.plot([0, 2, 4], [0, 1, 0.5], ls="--")
    ax.axvline(2.5, color="#616161")
    ax.vlines([1, 2], 0, 1, transform=ax.get_xaxis_transform(), lw=0.6)
    ax.text(4, 1, "label", ha="right", clip_on=False)
    ax.set_xlim(20604.5, 20634.5 if ticks else 6)  # far from 0: a spine left at data 0 shows
    if not ticks:
        ax.xaxis.set_major_locator(NullLocator())
        ax.yaxis.set_major_locator(NullLocator())
    else:
        ax.xaxis.set_major_locator(MultipleLocator(10))
    out = io.BytesIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


@pytest.mark.parametrize("fonttype", ["none", "path"])
def test_plain_axes_draw_what_matplotlib_axes_draw(fonttype: str) -> None:
    with matplotlib.style.context(["default", {**RC, "svg.fonttype": fonttype}]):
        plain = chart(PlainAxes)
        assert plain == chart(Axes)
    assert plain.count(b'<g id="patch_') >= 4  # background, bars, spines: all there


def test_plain_axes_refuse_to_draw_ticks() -> None:
    with (
        matplotlib.style.context(["default", RC]),
        pytest.raises(AttributeError),  # the stand-in tick has no lines or labels to copy
    ):
        chart(PlainAxes, ticks=True)
