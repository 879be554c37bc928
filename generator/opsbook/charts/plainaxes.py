"""matplotlib Axes that never build tick objects, for charts that write their own labels.

Making an Axes builds a template tick for each of its four tick lists (major and minor, x
and y: two tick lines, a grid line and two texts each) and styles them, even when its
locators are ``NullLocator`` and no tick is ever drawn: ~1.5 ms of the ~14 ms a chart
takes. The charts draw their labels as plain texts (see ``opsbook.charts.draw._xticks``), so
:class:`PlainAxes` gives its axes a stand-in template instead.

Use it only with ``NullLocator`` on both axes (``ax.xaxis.set_major_locator(NullLocator())``):
an axis that had ticks to draw would copy the stand-in and fail with an ``AttributeError``,
never draw something else. The drawing is otherwise matplotlib's own, byte for byte.
"""

from __future__ import annotations

from typing import Any

from matplotlib.axes import Axes
from matplotlib.axis import XAxis, YAxis


class _NoTick:
    """Takes the settings an axis hands to its template tick (clip path, tick parameters)
    and nothing else: with no tick location it is never drawn, measured or copied."""

    def set_clip_path(self, *args: Any, **kwargs: Any) -> None:
        pass

    def _apply_params(self, **kwargs: Any) -> None:
        pass


class _PlainXAxis(XAxis):
    def _get_tick(self, major: bool) -> Any:
        return _NoTick()


class _PlainYAxis(YAxis):
    def _get_tick(self, major: bool) -> Any:
        return _NoTick()


class PlainAxes(Axes):
    """``Axes`` whose axes have no tick objects (``fig.add_axes(rect, axes_class=...)``)."""

    def clear(self) -> None:
        super().clear()
        for spine in self.spines.values():
            # what making the template ticks did on the way: place the spines (an axis
            # line at the axes' edge, not at data 0)
            spine.get_spine_transform()

    def _init_axis(self) -> None:
        # matplotlib's _init_axis with the plain axes
        self.xaxis = _PlainXAxis(self, clear=False)
        self.spines.bottom.register_axis(self.xaxis)
        self.spines.top.register_axis(self.xaxis)
        self.yaxis = _PlainYAxis(self, clear=False)
        self.spines.left.register_axis(self.yaxis)
        self.spines.right.register_axis(self.yaxis)
