"""Typesetting: the content and the charts go into the Typst template, a PDF comes out.

The template reads the content from ``sys.inputs`` as one JSON string, so nothing the user
wrote is ever parsed as Typst markup, and the charts from a private project root: every SVG
back to back in one file, plus a JSON index of where each one starts and ends (no user text
ever becomes a path). Typst sees only the chosen font's files (linked into a private folder),
a copy of them for the charts' text (:mod:`opsbook.pack.chartfont`: the same glyphs, shaped
faster) and its own embedded fonts, never the system's: the PDF does not depend on what else
is installed, the text of the charts (``<text>`` elements) is set in the pack's own font, and
the text check of :func:`opsbook.pack.check_coverage` covers exactly the font that prints.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from opsbook.pack.chartfont import name_chart_font, write_chart_fonts
from opsbook.pack.errors import PackError
from opsbook.support.fonts import FontChoice

TEMPLATE = "template.typ"


def template_source() -> bytes:
    return resources.files("opsbook.pack").joinpath(TEMPLATE).read_bytes()


def typeset(content: Mapping[str, Any], charts: Mapping[str, bytes], *, font: FontChoice) -> bytes:
    """The PDF for ``content``; byte-identical for identical inputs (no dates, fixed fonts)."""
    import typst  # heavy: only the commands that print need it

    with tempfile.TemporaryDirectory(prefix="opsbook-pack-") as folder:
        font_folder = _link_fonts(font, folder)
        if write_chart_fonts(font, font_folder):
            charts = {key: name_chart_font(svg) for key, svg in charts.items()}
        fonts = typst.Fonts(include_system_fonts=False, font_paths=[str(font_folder)])
        root = _write_charts(charts, Path(folder) / "root")
        inputs = {
            "data": json.dumps(content, ensure_ascii=False, sort_keys=True),
            "font": _typst_family(fonts, font),
        }
        try:  # untagged: tags made the text part of a pack 5× larger and poppler warn
            return typst.compile(
                template_source(), root=str(root), font_paths=fonts, ignore_system_fonts=True,
                sys_inputs=inputs, format="pdf", pdf_tags=False,
            )  # fmt: skip
        except typst.TypstError as error:  # a bug in the template, never the user's text
            detail = (error.diagnostic or error.message).strip()
            raise PackError("typst", detail=detail) from None


def _link_fonts(font: FontChoice, folder: str) -> Path:
    """A folder holding only the font's regular and bold files (as links, not copies)."""
    target = Path(folder) / "fonts"
    target.mkdir()
    files = [font.regular] + ([font.bold] if font.bold else [])
    for number, path in enumerate(dict.fromkeys(files)):
        link = target / f"{number}{path.suffix}"
        try:
            link.symlink_to(path.resolve())
        except OSError:  # no symlinks (Windows without developer mode): a copy then
            link.write_bytes(path.read_bytes())
    return target


# The names template.typ reads.
CHARTS_FILE = "charts.svg"  # every chart, one after the other
CHARTS_INDEX = "charts.json"  # {key: [start, end]}: the bytes of each chart in CHARTS_FILE


def _write_charts(charts: Mapping[str, bytes], root: Path) -> Path:
    """The charts under the project root Typst reads images from, as two files.

    Files, not ``sys.inputs`` strings: Typst reads and caches a file once, whereas a large
    inputs dictionary is hashed again and again (a 500-scenario pack took minutes). Two files,
    not one per chart: writing 260 small files and Typst resolving each cost 0.2 s of CPU in a
    50-scenario pack; the template slices the charts out of the one file it reads.
    """
    spans: dict[str, list[int]] = {}
    start = 0
    for key, svg in charts.items():
        spans[key] = [start, start + len(svg)]
        start += len(svg)
    root.mkdir(parents=True, exist_ok=True)
    (root / CHARTS_FILE).write_bytes(b"".join(charts.values()))
    (root / CHARTS_INDEX).write_text(json.dumps(spans, sort_keys=True), encoding="utf-8")
    return root


def _typst_family(fonts: Any, font: FontChoice) -> str:
    """The family name Typst knows the regular face by (it may differ from fontconfig's)."""
    regular = str(font.regular.resolve())
    for info in fonts.fonts():
        same_file = info.path is not None and str(Path(info.path).resolve()) == regular
        if same_file and info.index == font.regular_index:
            return str(info.family)
    return font.family
