"""Typesetting: the content and the charts go into the Typst template, a PDF comes out.

The template reads everything from ``sys.inputs``: the content as one JSON string and each
chart as an SVG string under its path, so nothing the user wrote is ever parsed as Typst
markup. Typst sees only the chosen font's files (linked into a private folder) and its own
embedded fonts, never the system's: the PDF does not depend on what else is installed, and
the text check of :func:`opsbook.pack.check_coverage` covers exactly the font that prints.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from opsbook.fonts import FontChoice
from opsbook.pack.errors import PackError

TEMPLATE = "template.typ"


def template_source() -> bytes:
    return resources.files("opsbook.pack").joinpath(TEMPLATE).read_bytes()


def typeset(content: Mapping[str, Any], charts: Mapping[str, bytes], *, font: FontChoice) -> bytes:
    """The PDF for ``content``; byte-identical for identical inputs (no dates, fixed fonts)."""
    import typst  # heavy: only the commands that print need it

    with _font_folder(font) as folder:
        fonts = typst.Fonts(include_system_fonts=False, font_paths=[str(folder)])
        inputs = {key: svg.decode("utf-8") for key, svg in charts.items()}
        inputs["data"] = json.dumps(content, ensure_ascii=False, sort_keys=True)
        inputs["font"] = _typst_family(fonts, font)
        try:
            return typst.compile(
                template_source(), font_paths=fonts, ignore_system_fonts=True, sys_inputs=inputs,
                format="pdf",
            )  # fmt: skip
        except typst.TypstError as error:  # a bug in the template, never the user's text
            detail = (error.diagnostic or error.message).strip()
            raise PackError("typst", detail=detail) from None


@contextmanager
def _font_folder(font: FontChoice) -> Iterator[Path]:
    """A folder holding only the font's regular and bold files (as links, not copies)."""
    files = [font.regular] + ([font.bold] if font.bold else [])
    with tempfile.TemporaryDirectory(prefix="opsbook-fonts-") as folder:
        for number, path in enumerate(dict.fromkeys(files)):
            target = Path(folder) / f"{number}{path.suffix}"
            try:
                target.symlink_to(path.resolve())
            except OSError:  # no symlinks (Windows without developer mode): fall back to copies
                target.write_bytes(path.read_bytes())
        yield Path(folder)


def _typst_family(fonts: Any, font: FontChoice) -> str:
    """The family name Typst knows the regular face by (it may differ from fontconfig's)."""
    regular = str(font.regular.resolve())
    for info in fonts.fonts():
        same_file = info.path is not None and str(Path(info.path).resolve()) == regular
        if same_file and info.index == font.regular_index:
            return str(info.family)
    return font.family
