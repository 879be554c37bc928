"""What ``opsbook import-xlsx`` says about a workbook that is not as it was exported."""

from __future__ import annotations

from collections.abc import Mapping

from opsbook.i18n.catalog.base import Text

WORKBOOK: Mapping[str, Text] = {
    # Boundaries: workbooks
    "workbook.formula": Text(
        "this cell holds a formula ({formula}); opsbook imports only values typed in: type the "
        "value itself (text that starts with = + - @ is typed after an apostrophe: '=…)",
        "此单元格包含公式（{formula}）；opsbook 只导入直接输入的值：请直接填写值"
        "（以 = + - @ 开头的文本请在前面加单引号：'=…）",
    ),
    "workbook.outside": Text(
        "this cell is outside the table (no column header above it) and would not be imported; "
        "clear it",
        "此单元格在表格之外（上方没有列标题），不会被导入，请清空",
    ),
    "workbook.sheet-renamed": Text(
        "sheet '{found}' stands where sheet '{expected}' was exported; rename it back to "
        "'{expected}' (sheets are read by their names)",
        "工作表“{found}”位于导出的“{expected}”的位置；请改回“{expected}”（按名称读取工作表）",
    ),
    "workbook.sheet-missing": Text(
        "the workbook has no sheet '{expected}'; restore it or export a new workbook "
        "(sheets: {order})",
        "工作簿中没有工作表“{expected}”；请恢复该表或重新导出工作簿（工作表：{order}）",
    ),
    "workbook.sheet-extra": Text(
        "sheet '{found}' is not one opsbook exported; remove it (sheets: {order})",
        "工作表“{found}”不是 opsbook 导出的；请删除（工作表：{order}）",
    ),
    "workbook.sheet-order": Text(
        "sheet '{found}' is out of place: sheet {position} must be '{expected}'; keep the "
        "exported order ({order})",
        "工作表“{found}”位置不对：第 {position} 个工作表应为“{expected}”；请保持导出时的顺序"
        "（{order}）",
    ),
    "workbook.column-renamed": Text(
        "the header reads '{found}' where column '{expected}' was exported; rename it back",
        "表头为“{found}”，导出时此处为“{expected}”列；请改回",
    ),
    "workbook.column-missing": Text(
        "the header has no column '{expected}' (column {position} when exported); restore it",
        "表头中没有“{expected}”列（导出时为第 {position} 列）；请恢复",
    ),
    "workbook.column-extra": Text(
        "column '{found}' is not one opsbook exported; remove it",
        "“{found}”列不是 opsbook 导出的；请删除",
    ),
    "workbook.column-order": Text(
        "column '{found}' is out of place: column {position} must be '{expected}'; keep the "
        "exported order ({order})",
        "“{found}”列位置不对：第 {position} 列应为“{expected}”；请保持导出时的顺序（{order}）",
    ),
    "workbook.more": Text(
        "… and {count} more of the same kind as {first} in sheet {sheet}",
        "…… 工作表 {sheet} 中另有 {count} 个与 {first} 同类的问题",
    ),
    "write.failed": Text("cannot write: {reason}", "无法写入：{reason}"),
}
