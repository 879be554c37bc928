"""Reading a workbook exported by opsbook: its sheets, headers and cells, every deviation from
the export named by sheet and cell."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from opsbook.check.diagnostics import Diagnostic, Location
from opsbook.edit.xlsx.rows import Cell, SheetRow, cell_text
from opsbook.exports.tables import SHEETS, Sheet


def read_rows(path: Path, shown: str, problems: list[Diagnostic]) -> Iterator[SheetRow]:
    """Every non-empty data row of every sheet whose header is intact, with its cells
    located. The workbook must have exactly the sheets and headers the export wrote (in
    one language) and no formula anywhere: everything else is a problem, never a guess."""
    workbook = _open_workbook(path, shown, problems)
    if workbook is None:
        return
    lang, sheets = _check_sheets(workbook, shown, problems)
    for ws in workbook.worksheets:
        where = Location(shown, cell=f"{ws.title}!")
        skipped = _check_formulas(ws, where, problems)
        sheet = sheets.get(ws.title)
        if sheet is None or not _check_header(ws, sheet, lang, where, problems):
            continue
        yield from _sheet_rows(ws, sheet, lang, where, skipped, problems)


def _open_workbook(path: Path, shown: str, problems: list[Diagnostic]) -> Any:
    """The workbook with its formulas as formulas (``data_only=False``), so a formula is
    seen and refused rather than read as whatever value it last showed."""
    from openpyxl import load_workbook

    try:
        return load_workbook(path, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        problems.append(
            Diagnostic.at(
                Location(shown), "import.not-xlsx", {"reason": str(error) or type(error).__name__}
            )
        )
        return None


def _sheet_rows(
    ws: Any, sheet: Sheet, lang: str, where: Location, skipped: set[int], problems: list[Diagnostic]
) -> Iterator[SheetRow]:
    width = len(sheet.columns)
    for number, cells in enumerate(ws.iter_rows(min_row=2), start=2):
        if number in skipped or _empty(cells):
            continue
        _check_outside(cells[width:], where, problems)
        located = {
            column.key: Cell(_at(where, cells[index].coordinate), unescaped(cells[index].value))
            for index, column in enumerate(sheet.columns) if index < len(cells)
        }  # fmt: skip
        yield SheetRow(sheet, lang, number, located)


_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescaped(value: Any) -> Any:
    """Text as it was written: a workbook's XML holds a character it cannot (a control
    character such as a carriage return) as ``_xHHHH_``, and a literal ``_x`` before four
    hex digits as ``_x005F_x`` (ECMA-376 ST_Xstring). openpyxl leaves those escapes in the
    inline strings the export writes, so a review's text with a carriage return read back as
    ``_x000D_`` and looked changed. (In a workbook saved again by Excel, openpyxl has already
    turned ``_x005F_x`` into ``_x``: text that really holds ``_x`` and four hex digits then
    reads as the character, the one case this cannot tell apart.)"""
    if not isinstance(value, str) or "_x" not in value:
        return value
    return _ESCAPED.sub(lambda match: chr(int(match[1], 16)), value)


def _at(sheet: Location, coordinate: str) -> Location:
    """The cell ``coordinate`` of the sheet located by ``sheet`` (``Book.xlsx!Sheet!``)."""
    return replace(sheet, cell=sheet.cell + coordinate)


def _empty(cells: Sequence[Any]) -> bool:
    return all(cell_text(c.value) is None for c in cells if not isinstance(c.value, bool))


def _check_outside(cells: Sequence[Any], where: Location, problems: list[Diagnostic]) -> None:
    """A value right of the table has no column: it would be silently left behind."""
    for cell in cells:
        if cell_text(cell.value) is not None:
            problems.append(Diagnostic.at(_at(where, cell.coordinate), "workbook.outside"))


# The workbook's shape: its sheets, their headers, no formulas.


def _expected_titles(lang: str) -> list[str]:
    from opsbook.exports.workbook import ABOUT

    return [sheet.title(lang) for sheet in SHEETS] + [ABOUT[lang][0]]


def _check_sheets(
    workbook: Any, shown: str, problems: list[Diagnostic]
) -> tuple[str, dict[str, Sheet]]:
    """The workbook's language (the one most sheet names are in) and its sheets by title.
    Sheets are matched by name, so a renamed, missing, extra or moved sheet is refused:
    its edits would otherwise be dropped without a word."""
    titles = list(workbook.sheetnames)
    lang = max(("en", "zh-CN"), key=lambda code: len(set(titles) & set(_expected_titles(code))))
    expected = _expected_titles(lang)
    for found in mismatches(titles, expected):
        located = Location(shown, cell="" if found.kind == "missing" else found.found)
        problems.append(
            Diagnostic.at(located, f"workbook.sheet-{found.kind}", found.args(expected))
        )
    return lang, {sheet.title(lang): sheet for sheet in SHEETS if sheet.title(lang) in titles}


def _check_header(
    ws: Any, sheet: Sheet, lang: str, where: Location, problems: list[Diagnostic]
) -> bool:
    """The header row must be the one the export wrote; the rows of a sheet whose columns
    cannot be trusted are not read."""
    from openpyxl.utils import get_column_letter

    cells = list(next(ws.iter_rows(min_row=1, max_row=1), ()))
    header = [cell_text(c.value) or "" for c in cells]
    while header and not header[-1]:
        header.pop()
    expected = [column.header(lang) for column in sheet.columns]
    found = mismatches(header, expected)
    for problem in found:
        cell = _at(where, f"{get_column_letter(problem.position + 1)}1")
        problems.append(
            Diagnostic.at(cell, f"workbook.column-{problem.kind}", problem.args(expected))
        )
    return not found


def _check_formulas(ws: Any, where: Location, problems: list[Diagnostic]) -> set[int]:
    """Every formula is refused, wherever it is: opsbook imports values someone typed,
    never something a spreadsheet computed (or could be made to compute). The rows
    holding one are not read further, so a formula gets this message and no other."""
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    rows: set[int] = set()
    for cells in ws.iter_rows():
        for cell in cells:
            value = cell.value
            if cell.data_type == "f" or isinstance(value, ArrayFormula | DataTableFormula):
                formula = value.text if isinstance(value, ArrayFormula) else str(value)
                args = {"formula": _shorten(formula)}
                problems.append(
                    Diagnostic.at(_at(where, cell.coordinate), "workbook.formula", args)
                )
                rows.add(cell.row)
    return rows


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Mismatch:
    """One way a list of names (sheets, headers) differs from the one exported."""

    kind: str  # "renamed", "missing", "extra" or "order"
    position: int  # where it is (or, missing, where it belongs), from 0
    found: str
    expected: str

    def args(self, expected: Sequence[str]) -> dict[str, Any]:
        return {"found": self.found, "expected": self.expected,
                "position": self.position + 1, "order": ", ".join(expected)}  # fmt: skip


def mismatches(found: Sequence[str], expected: Sequence[str]) -> list[Mismatch]:
    """Names that are not where they were exported. An unknown name where a missing one
    belongs is a rename; a list with the right names in another order is reported once,
    at the first name out of place."""
    seen: set[str] = set()
    extra: list[int] = []
    for index, name in enumerate(found):
        if name not in expected or name in seen:
            extra.append(index)
        seen.add(name)
    missing = [name for name in expected if name not in seen]
    result: list[Mismatch] = []
    for index in extra:
        belongs = expected[index] if index < len(expected) else None
        if belongs is not None and belongs in missing:
            missing.remove(belongs)
            result.append(Mismatch("renamed", index, found[index], belongs))
        else:
            result.append(Mismatch("extra", index, found[index], ""))
    result += [Mismatch("missing", expected.index(name), "", name) for name in missing]
    if not result and list(found) != list(expected):
        index = next(i for i, (a, b) in enumerate(zip(found, expected, strict=True)) if a != b)
        result.append(Mismatch("order", index, found[index], expected[index]))
    return sorted(result, key=lambda m: m.position)
