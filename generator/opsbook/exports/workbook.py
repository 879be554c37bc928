"""``opsbook export --format xlsx``: the four templates and the anomaly log as one workbook.

One sheet per table, one row per item with its ids, headers in the workbook's language.
Input columns (statuses, actuals, review rows) are white and what ``import-xlsx`` reads back;
stored values shown for context are light grey; columns opsbook computes are darker grey and
say so in their header. Alerts and overdue items are coloured by conditional formats, status
cells offer a drop-down list. The bytes depend only on the catalog and the language: the
workbook properties and every zip entry carry a timestamp derived from the as-of date.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

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

# openpyxl's WriteOnlyWorksheet, which only a private module names
StreamedSheet = Any
FONT_NAME = "Microsoft YaHei"  # has CJK glyphs on Windows; other systems substitute theirs
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
READ_FILL = PatternFill("solid", fgColor="F2F2F2")
COMPUTED_FILL = PatternFill("solid", fgColor="D9D9D9")
CRITICAL_FILL = PatternFill("solid", fgColor="F8CBAD")
WARNING_FILL = PatternFill("solid", fgColor="FFE699")
OVERDUE_FONT = Font(name=FONT_NAME, color="C00000", bold=True)
OVERDUE_FILL = PatternFill("solid", fgColor="FCE4D6")
THIN = Side(style="thin", color="BFBFBF")
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


def build_workbook(catalog: Catalog, lang: str) -> Workbook:
    """The workbook, streamed: openpyxl's write-only mode writes each row as it comes
    instead of keeping every cell as an object (190 MiB at 5,000 scenarios). Everything a
    row's cells need (column widths, styles) is measured in a first pass over the rows."""
    labels = Labels(lang)
    workbook = Workbook(write_only=True)
    with _discarded_if_interrupted(workbook):
        for sheet in SHEETS:
            _write_sheet(workbook.create_sheet(sheet.title(lang)), sheet, catalog, labels)
        _write_about(workbook, catalog, lang)
    stamp = as_of_datetime(catalog.as_of)
    workbook.properties.creator = "opsbook"
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.lastModifiedBy = "opsbook"
    workbook.properties.title = catalog.team.name
    return workbook


@contextlib.contextmanager
def _discarded_if_interrupted(workbook: Workbook) -> Iterator[None]:
    """Close the sheets of a workbook left half-written or half-saved (Ctrl-C, SIGTERM, an
    error), while their files are still open. Left to the garbage collector at exit, each
    sheet's row writer wrote to its closed file and Python printed a traceback after an
    interrupted build's "Aborted!"."""
    try:
        yield
    except BaseException:
        for sheet in workbook.worksheets:
            with contextlib.suppress(Exception):
                sheet.close()
        raise


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


def _write_sheet(ws: StreamedSheet, sheet: Sheet, catalog: Catalog, labels: Labels) -> None:
    """Everything a streamed sheet writes before or after its rows is set first."""
    columns = sheet.columns
    header = [c.header(labels.lang) for c in columns]
    layout = _measure(sheet, catalog, labels, header)
    for index in range(len(columns)):
        ws.column_dimensions[get_column_letter(index + 1)].width = layout.width(index)
    ws.freeze_panes = "C2"
    _print_setup(ws)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{layout.last}"
    _validations(ws, columns, labels, layout.last)
    _highlights(ws, columns, labels, layout.last)
    ws.row_dimensions[1].height = 30
    ws.append([_header_cell(ws, text) for text in header])
    styles = [_column_style(ws, column, layout, i) for i, column in enumerate(columns)]
    widths = [layout.width(i) for i in range(len(columns))]
    for number, values in enumerate(_sheet_values(sheet, catalog, labels), start=2):
        lines = _lines_needed(values, widths, [s.alignment.wrap_text for s in styles])
        if lines > 1:
            ws.row_dimensions[number].height = LINE_HEIGHT * lines
        ws.append([_styled(ws, value, style) for value, style in zip(values, styles, strict=True)])


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


def _header_cell(ws: StreamedSheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, text)
    cell.font = Font(name=FONT_NAME, bold=True, color="FFFFFF")
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(vertical="center", wrap_text=True)
    cell.border = Border(bottom=THIN)
    return cell


def _column_style(ws: StreamedSheet, column: Column, layout: _Layout, index: int) -> WriteOnlyCell:
    """A cell carrying the style of every data cell in the column (its value unused)."""
    wrap = column.kind in (Kind.TEXT, Kind.LINES) and layout.widest[index] > MAX_WIDTH
    style = WriteOnlyCell(ws)
    style.font = Font(name=FONT_NAME)
    style.alignment = Alignment(vertical="top", wrap_text=wrap or column.kind is Kind.LINES)
    fill = {Role.COMPUTED: COMPUTED_FILL, Role.READ: READ_FILL}.get(column.role)
    if fill is not None:
        style.fill = fill
    if column.kind in FORMATS:
        style.number_format = FORMATS[column.kind]
    return style


def _styled(ws: StreamedSheet, value: Any, style: WriteOnlyCell) -> WriteOnlyCell:
    """A data cell (written even when empty: what someone types there gets the column's
    look). The style record is shared, not assigned again: openpyxl hashes every style
    object assigned, five times slower."""
    cell = WriteOnlyCell(ws, value)
    cell._style = copy.copy(style._style)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        _keep_as_text(cell)
    return cell


def _keep_as_text(cell: WriteOnlyCell) -> None:
    """Text from a scenario that looks like a formula stays text (OWASP ASVS 5.0 1.2.10,
    CWE-1236). openpyxl makes any string starting with ``=`` a formula; the cell is forced
    back to a string cell, so no spreadsheet evaluates it on opening, and marked with a
    quote prefix (Excel's leading apostrophe, which is not part of the value), so it stays
    text when someone edits the cell. What a reader sees, and what ``import-xlsx`` reads
    back, is the text unchanged."""
    cell.data_type = "s"
    cell.quotePrefix = True


def _print_setup(ws: StreamedSheet) -> None:
    """Printed for a review meeting: landscape, all columns on one page width, the header
    row repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"


def _validations(ws: StreamedSheet, columns: Sequence[Column], labels: Labels, last: int) -> None:
    """Drop-down lists for the status and kind inputs."""
    for index, column in enumerate(columns, start=1):
        if column.role is not Role.INPUT or column.kind not in (
            Kind.ACTION_STATUS, Kind.ANOMALY_STATUS, Kind.REVIEW_KIND,
        ):  # fmt: skip
            continue
        choices = choice_labels(column.kind, labels)
        rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        rule.error = ", ".join(choices)
        rule.showErrorMessage = True
        letter = get_column_letter(index)
        rule.add(f"{letter}2:{letter}{max(last, 2) + 200}")  # room for new rows
        ws.data_validations.append(rule)


def _highlights(ws: StreamedSheet, columns: Sequence[Column], labels: Labels, last: int) -> None:
    """Critical and warning alerts, overdue and stale rows: coloured by conditional formats,
    so the colours follow the values if someone sorts or filters the sheet."""
    width = get_column_letter(len(columns))
    span = f"A2:{width}{last}"
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        if column.kind is Kind.ALERT:
            for value, fill in (("critical", CRITICAL_FILL), ("warning", WARNING_FILL)):
                text = labels.enum("alert", value)
                rule = FormulaRule(formula=[f'${letter}2="{text}"'], fill=fill)
                ws.conditional_formatting.add(span, rule)
        elif column.kind is Kind.FLAG:
            rule = FormulaRule(formula=[f'${letter}2<>""'], font=OVERDUE_FONT, fill=OVERDUE_FILL)
            ws.conditional_formatting.add(span, rule)


def _write_about(workbook: Workbook, catalog: Catalog, lang: str) -> None:
    title, lines = ABOUT["zh-CN" if lang == "zh-CN" else "en"]
    ws = workbook.create_sheet(title)
    ws.column_dimensions["A"].width = 100
    for number, line in enumerate(lines):
        cell = WriteOnlyCell(ws, line.format(as_of=catalog.as_of.isoformat()))
        if number == 0:
            cell.font = Font(name=FONT_NAME, bold=True, size=13)
        ws.append([cell])


def normalise_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """The same workbook, with every zip entry and the "modified" property dated ``stamp``:
    openpyxl stamps both with the current time on save, which would make every export
    differ."""
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
    workbook = build_workbook(catalog, lang)
    with _discarded_if_interrupted(workbook):  # saving writes the rows streamed so far
        workbook.save(buffer)
    return normalise_zip(buffer.getvalue(), as_of_datetime(catalog.as_of))


def export_xlsx(request: Any) -> list[Path]:
    """``opsbook export --format xlsx -o FILE``."""
    from opsbook.support.atomic import write_file

    write_file(request.output, workbook_bytes(request.catalog, request.lang))
    return [request.output]
