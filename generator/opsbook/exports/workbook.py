"""``opsbook export --format xlsx``: the four templates and the anomaly log as one workbook.

One sheet per table, one row per item with its ids, headers in the workbook's language.
Input columns (statuses, actuals, review rows) are white and what ``import-xlsx`` reads back;
stored values shown for context are light grey; columns opsbook computes are darker grey and
say so in their header. Alerts and overdue items are coloured by conditional formats, status
cells offer a drop-down list. The bytes depend only on the catalog and the language: the
workbook properties and every zip entry carry a timestamp derived from the as-of date.

Written with XlsxWriter, a row at a time (its constant-memory mode); openpyxl reads the
workbook back (``import-xlsx``). openpyxl's write-only mode took 18 s of a cold build's CPU
at 1,000 realistic scenarios for the 225,000 cells; XlsxWriter writes them in a fraction.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from opsbook.exports.tables import (
    SHEETS,
    Column,
    Kind,
    Role,
    Sheet,
    as_of_datetime,
    choice_labels,
    display,
)
from opsbook.model.catalog import Catalog
from opsbook.site.render.labels import Labels
from opsbook.support.text import display_width as text_width

FONT_NAME = "Microsoft YaHei"  # has CJK glyphs on Windows; other systems substitute theirs
HEADER = {
    "font_name": FONT_NAME, "bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E79",
    "valign": "vcenter", "text_wrap": True, "bottom": 1, "bottom_color": "#BFBFBF",
}  # fmt: skip
FILLS = {Role.COMPUTED: "#D9D9D9", Role.READ: "#F2F2F2"}
CRITICAL = {"bg_color": "#F8CBAD"}
WARNING = {"bg_color": "#FFE699"}
OVERDUE = {"font_color": "#C00000", "bold": True, "bg_color": "#FCE4D6"}
A4 = 9  # XlsxWriter's paper size number
MIN_WIDTH, MAX_WIDTH = 8, 48
LINE_HEIGHT = 16  # points per line of 11-point text
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
# First characters that make a spreadsheet read typed text as a formula (OWASP, CSV injection)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {Kind.DATE: "yyyy-mm-dd", Kind.PERCENT: "0.0%", Kind.NUMBER: "General"}
ABOUT = {
    "en": ("about", [
        "opsbook workbook, evaluated on {as_of}.",
        "White columns are inputs: edit statuses, actuals (with their date and cause) and "
        "review rows, then run: opsbook import-xlsx FILE",
        "Light grey columns come from the scenario files: edit them there.",
        "Dark grey columns marked (computed) are derived by opsbook and never imported.",
        "Ids (scenario id, item id) identify each row: do not change them.",
        "In T4, add a review as a new row with the scenario id and the period.",
    ]),
    "zh-CN": ("说明", [
        "opsbook 工作簿，数据截至 {as_of}。",
        "白色列为可填写列：状态、实际值（含更新日期和偏差原因）和复盘行；"
        "修改后运行：opsbook import-xlsx 文件名",
        "浅灰色列来自场景文件，请在场景文件中修改。",
        "标注（计算）的深灰色列由 opsbook 计算，不会导入。",
        "id 列（场景 id、条目 id）用于识别每一行，请勿修改。",
        "在 T4 中新增复盘：新增一行，填写场景 id 和周期。",
    ]),
}  # fmt: skip


def display_width(value: Any) -> int:
    """Columns a value takes: CJK characters count double; the longest line counts."""
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    text = value if isinstance(value, str) else str(value)
    return max(text_width(line) for line in text.split("\n"))


def build_workbook(catalog: Catalog, lang: str, output: io.BytesIO) -> None:
    """The workbook, written to ``output`` a row at a time: XlsxWriter's constant-memory
    mode keeps one row, not every cell (190 MiB at 5,000 scenarios as objects), each
    sheet's rows in a file of a scratch folder that goes however the writing ends (an
    interrupted build leaves nothing behind). Everything a row needs (column widths,
    styles) is measured in a first pass over the rows."""
    labels = Labels(lang)
    with tempfile.TemporaryDirectory(prefix="opsbook-xlsx-", ignore_cleanup_errors=True) as scratch:
        options = {
            "constant_memory": True, "tmpdir": scratch,
            "strings_to_numbers": False, "strings_to_urls": False,
        }  # fmt: skip
        workbook = Workbook(output, options)
        for sheet in SHEETS:
            _write_sheet(
                workbook, workbook.add_worksheet(sheet.title(lang)), sheet, catalog, labels
            )
        _write_about(workbook, catalog, lang)
        workbook.set_properties({
            "title": catalog.team.name, "author": "opsbook",
            "created": as_of_datetime(catalog.as_of),
        })  # fmt: skip
        workbook.close()


@dataclass(frozen=True)
class _Layout:
    """What the first pass over a sheet's rows learns: how many there are and how wide
    each column's widest value is (headers included)."""

    rows: int
    widest: list[int]

    @property
    def last(self) -> int:
        """The last row the sheet's ranges cover: the header and at least one data row."""
        return max(self.rows + 1, 2)

    def width(self, index: int) -> float:
        return min(MAX_WIDTH, max(MIN_WIDTH, self.widest[index] + 2))


@dataclass(frozen=True)
class _ColumnStyle:
    """A column's data cells' look, and the same with Excel's leading apostrophe."""

    plain: Format
    as_text: Format
    wrap: bool


def _sheet_values(sheet: Sheet, catalog: Catalog, labels: Labels) -> Iterator[list[Any]]:
    for row in sheet.rows(catalog, labels):
        yield [display(c, row.get(c.key), labels) for c in sheet.columns]


def _measure(sheet: Sheet, catalog: Catalog, labels: Labels, header: list[str]) -> _Layout:
    widest = [display_width(text) for text in header]
    rows = 0
    for values in _sheet_values(sheet, catalog, labels):
        rows += 1
        widest = [max(w, display_width(v)) for w, v in zip(widest, values, strict=True)]
    return _Layout(rows, widest)


def _write_sheet(
    workbook: Workbook, ws: Worksheet, sheet: Sheet, catalog: Catalog, labels: Labels
) -> None:
    """Everything about the sheet is set first, then the header, then the rows in order."""
    columns = sheet.columns
    header = [c.header(labels.lang) for c in columns]
    layout = _measure(sheet, catalog, labels, header)
    widths = [layout.width(i) for i in range(len(columns))]
    for index, width in enumerate(widths):
        ws.set_column(index, index, width)  # stored with Excel's padding: shows ``width``
    ws.freeze_panes(1, 2)
    _print_setup(ws)
    ws.autofilter(0, 0, layout.last - 1, len(columns) - 1)
    _validations(ws, columns, labels, layout.last)
    _highlights(workbook, ws, columns, labels, layout.last)
    ws.set_row(0, 30)
    heading = workbook.add_format(HEADER)
    for index, text in enumerate(header):
        ws.write_string(0, index, text, heading)
    styles = [_column_style(workbook, column, layout, i) for i, column in enumerate(columns)]
    wraps = [style.wrap for style in styles]
    for row, values in enumerate(_sheet_values(sheet, catalog, labels), start=1):
        lines = _lines_needed(values, widths, wraps)
        if lines > 1:
            ws.set_row(row, LINE_HEIGHT * lines)
        for index, (value, style) in enumerate(zip(values, styles, strict=True)):
            _write_cell(ws, row, index, value, style)


def _lines_needed(values: list[Any], widths: list[float], wraps: list[bool]) -> int:
    """Lines of the row's tallest wrapped cell. Spreadsheet programs do not all fit row
    heights on opening (LibreOffice keeps one line), so the heights are written, estimated
    from the same display widths as the columns."""
    lines = 1
    for value, width, wrap in zip(values, widths, wraps, strict=True):
        if value is None or not wrap:
            continue
        usable = max(1.0, width - 1)
        text = value if isinstance(value, str) else str(value)
        needed = sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))
        lines = max(lines, needed)
    return lines


def _column_style(workbook: Workbook, column: Column, layout: _Layout, index: int) -> _ColumnStyle:
    """The look of every data cell in the column."""
    wrap = column.kind in (Kind.TEXT, Kind.LINES) and layout.widest[index] > MAX_WIDTH
    wrap = wrap or column.kind is Kind.LINES
    look: dict[str, Any] = {"font_name": FONT_NAME, "valign": "top", "text_wrap": wrap}
    if column.role in FILLS:
        look["bg_color"] = FILLS[column.role]
    if column.kind in FORMATS:
        look["num_format"] = FORMATS[column.kind]
    plain = workbook.add_format(look)
    return _ColumnStyle(plain, workbook.add_format({**look, "quote_prefix": True}), wrap)


def _write_cell(ws: Worksheet, row: int, column: int, value: Any, style: _ColumnStyle) -> None:
    """A data cell, written even when empty: what someone types there gets the column's
    look. Text is always written as text: see :func:`_as_text`."""
    if value is None:
        ws.write_blank(row, column, None, style.plain)
    elif isinstance(value, str):
        ws.write_string(row, column, value, _as_text(value, style))
    elif isinstance(value, bool):
        ws.write_boolean(row, column, value, style.plain)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, column, value, style.plain)
    else:
        ws.write_number(row, column, value, style.plain)


def _as_text(value: str, style: _ColumnStyle) -> Format:
    """Text from a scenario that looks like a formula stays text (OWASP ASVS 5.0 1.2.10,
    CWE-1236): it is written as a string cell, so no spreadsheet evaluates it on opening,
    and marked with a quote prefix (Excel's leading apostrophe, which is not part of the
    value), so it stays text when someone edits the cell. What a reader sees, and what
    ``import-xlsx`` reads back, is the text unchanged."""
    return style.as_text if value.startswith(FORMULA_PREFIXES) else style.plain


def _print_setup(ws: Worksheet) -> None:
    """Printed for a review meeting: landscape, all columns on one page width, the header
    row repeated on every page."""
    ws.set_landscape()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)


def _validations(ws: Worksheet, columns: Sequence[Column], labels: Labels, last: int) -> None:
    """Drop-down lists for the status and kind inputs."""
    for index, column in enumerate(columns):
        if column.role is not Role.INPUT or column.kind not in (
            Kind.ACTION_STATUS, Kind.ANOMALY_STATUS, Kind.REVIEW_KIND,
        ):  # fmt: skip
            continue
        choices = choice_labels(column.kind, labels)
        rule = {
            "validate": "list", "source": list(choices), "ignore_blank": True,
            "show_error": True, "error_message": ", ".join(choices),
        }  # fmt: skip
        ws.data_validation(1, index, max(last, 2) + 200 - 1, index, rule)  # room for new rows


def _highlights(
    workbook: Workbook, ws: Worksheet, columns: Sequence[Column], labels: Labels, last: int
) -> None:
    """Critical and warning alerts, overdue and stale rows: coloured by conditional formats,
    so the colours follow the values if someone sorts or filters the sheet."""
    span = (1, 0, last - 1, len(columns) - 1)
    for index, column in enumerate(columns):
        letter = xl_col_to_name(index)
        if column.kind is Kind.ALERT:
            for value, look in (("critical", CRITICAL), ("warning", WARNING)):
                text = labels.enum("alert", value)
                rule = {"criteria": f'=${letter}2="{text}"', "format": workbook.add_format(look)}
                ws.conditional_format(*span, {"type": "formula", **rule})
        elif column.kind is Kind.FLAG:
            rule = {"criteria": f'=${letter}2<>""', "format": workbook.add_format(OVERDUE)}
            ws.conditional_format(*span, {"type": "formula", **rule})


def _write_about(workbook: Workbook, catalog: Catalog, lang: str) -> None:
    title, lines = ABOUT["zh-CN" if lang == "zh-CN" else "en"]
    ws = workbook.add_worksheet(title)
    ws.set_column(0, 0, 100)
    first = workbook.add_format({"font_name": FONT_NAME, "bold": True, "font_size": 13})
    for number, line in enumerate(lines):
        text = line.format(as_of=catalog.as_of.isoformat())
        ws.write_string(number, 0, text, first if number == 0 else None)


def normalise_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """The same workbook, with every zip entry and the "modified" property dated ``stamp``
    (XlsxWriter dates the entries 1980-01-01 and "modified" as "created"): a download's
    date says which as-of date it shows."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rf"\g<1>{stamp.isoformat()}Z\g<2>".encode(), content)
            target.writestr(entry, content)
    return out.getvalue()


def workbook_bytes(catalog: Catalog, lang: str) -> bytes:
    buffer = io.BytesIO()
    build_workbook(catalog, lang, buffer)
    return normalise_zip(buffer.getvalue(), as_of_datetime(catalog.as_of))


def export_xlsx(request: Any) -> list[Path]:
    """``opsbook export --format xlsx -o FILE``."""
    from opsbook.support.atomic import write_file

    write_file(request.output, workbook_bytes(request.catalog, request.lang))
    return [request.output]
