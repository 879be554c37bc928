"""matplotlib's SVG output for many figures, measuring each distinct text once.

matplotlib measures every text it lays out (alignment, bounding boxes) by shaping it with
FreeType, and remembers the sizes per *renderer*; ``savefig`` makes a new renderer for every
figure, so the same tick label, legend entry or title is shaped again in every chart. With a
CFF font such as Noto Sans CJK that shaping was the largest single cost of drawing a chart
(~4 ms of ~18 ms). :class:`MeasuringCanvas` keeps the sizes in a :class:`TextSizes` shared
by the figures of a batch.

The sizes depend only on the string, the font properties and the math mode (that is
matplotlib's own cache key, dpi aside: the SVG renderer measures at 72 dpi always), so the
bytes written are the same as matplotlib's.

Use::

    sizes = TextSizes()
    for ...:
        fig = Figure(dpi=72)
        MeasuringCanvas(fig, sizes)
        ...  # draw
        fig.savefig(buffer, format="svg")
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from matplotlib import cbook
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

Size = tuple[float, float, float]  # width, height, descent in points
Measure = Callable[[str, "FontProperties", Any], Size]  # text, font, math mode → size


class TextSizes:
    """Text → (width, height, descent), for one set of matplotlib settings."""

    def __init__(self) -> None:
        self._sizes: dict[tuple[Any, ...], Size] = {}

    def get(self, text: str, prop: FontProperties, ismath: Any, measure: Measure) -> Size:
        """The size of ``text`` in ``prop``; ``measure(text, prop, ismath)`` if unknown."""
        key = (text, ismath, *_font_key(prop))
        size = self._sizes.get(key)
        if size is None:
            size = self._sizes[key] = measure(text, prop, ismath)
        return size


def _font_key(prop: FontProperties) -> tuple[Any, ...]:
    """What ``FontProperties.__hash__`` covers: a snapshot (the object is mutable)."""
    return (
        tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
        prop.get_stretch(), prop.get_size(), prop.get_file(), prop.get_math_fontfamily(),
    )  # fmt: skip


class _MeasuringRenderer(RendererSVG):
    def __init__(self, *args: Any, sizes: TextSizes, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sizes = sizes

    def get_text_width_height_descent(self, s: str, prop: FontProperties, ismath: Any) -> Size:
        return self._sizes.get(s, prop, ismath, super().get_text_width_height_descent)


class MeasuringCanvas(FigureCanvasSVG):
    """The SVG canvas of ``figure``, measuring texts through ``sizes``."""

    def __init__(self, figure: Figure, sizes: TextSizes) -> None:
        super().__init__(figure)
        self._sizes = sizes

    def print_svg(
        self,
        filename: Any,
        *,
        bbox_inches_restore: Any = None,
        metadata: Any = None,
        **ignored: Any,  # dpi, colours, orientation: matplotlib's print_svg drops them too
    ) -> None:
        """matplotlib's ``FigureCanvasSVG.print_svg`` (3.8 to 3.11), with the renderer
        that remembers text sizes; ``filename`` is a path or a text or binary file."""
        with cbook.open_file_cm(filename, "w", encoding="utf-8") as handle:
            if not cbook.file_requires_unicode(handle):
                handle = codecs.getwriter("utf-8")(handle)
            dpi = self.figure.dpi
            self.figure.dpi = 72
            width, height = self.figure.get_size_inches()
            svg = _MeasuringRenderer(
                width * 72, height * 72, handle, image_dpi=dpi, metadata=metadata,
                sizes=self._sizes,
            )  # fmt: skip
            renderer = MixedModeRenderer(
                self.figure, width, height, dpi, svg, bbox_inches_restore=bbox_inches_restore
            )
            self.figure.draw(renderer)
            renderer.finalize()
