"""What ``opsbook pull`` and ``opsbook import-xlsx`` say: values, sources, edits."""

from __future__ import annotations

from collections.abc import Mapping

from opsbook.i18n.catalog.base import Text

EDIT: Mapping[str, Text] = {
    # Values in a row
    "value.bad-date": Text(
        "'{value}' is not a date in the format {format} (column '{column}')",
        "“{value}”不是格式为 {format} 的日期（列“{column}”）",
    ),
    "value.bad-number": Text(
        "'{value}' is not a number (column '{column}')",
        "“{value}”不是数字（列“{column}”）",
    ),
    "value.empty": Text("empty value (column '{column}')", "值为空（列“{column}”）"),
    "value.duplicate": Text(
        "duplicate date {date} (also on line {first})",
        "日期 {date} 重复（第 {first} 行已有）",
    ),
    "value.duplicate-row": Text(
        "duplicate date {date} (also in row {first})",
        "日期 {date} 重复（第 {first} 行已有）",
    ),
    # CSV files
    "csv.missing": Text("CSV file not found: {path}", "找不到 CSV 文件：{path}"),
    "csv.unreadable": Text("cannot read {path}: {reason}", "无法读取 {path}：{reason}"),
    "csv.no-column": Text(
        "no column '{column}' (columns: {columns})",
        "没有列“{column}”（现有列：{columns}）",
    ),
    "csv.empty": Text("the file has no header row", "文件没有表头行"),
    # SQL
    "sql.no-env": Text(
        "metric {metric}: environment variable {env} is not set "
        "(it holds the database URL, e.g. postgresql+psycopg://user@host/db)",
        "指标 {metric}：环境变量 {env} 未设置（它保存数据库地址，如 postgresql+psycopg://user@host/db）",
    ),
    "sql.bad-url": Text(
        "metric {metric}: {env} is not a database URL: {reason}",
        "指标 {metric}：{env} 不是有效的数据库地址：{reason}",
    ),
    "sql.no-driver": Text(
        "metric {metric}: no database driver for {url}: {reason}",
        "指标 {metric}：缺少 {url} 的数据库驱动：{reason}",
    ),
    "sql.no-file": Text(
        "metric {metric}: SQLite database {path} (from {env}) does not exist",
        "指标 {metric}：SQLite 数据库 {path}（来自 {env}）不存在",
    ),
    "sql.sqlite-mode": Text(
        "metric {metric}: {env} asks to open the SQLite database with mode={mode}; opsbook "
        "opens it read-only (mode=ro) and never creates or changes a file: remove the mode",
        "指标 {metric}：{env} 要求以 mode={mode} 打开 SQLite 数据库；opsbook 只以只读方式"
        "（mode=ro）打开，从不创建或修改文件：请删除 mode 参数",
    ),
    "sql.connect": Text(
        "metric {metric}: cannot connect to {url} (from {env}): {reason}",
        "指标 {metric}：无法连接 {url}（来自 {env}）：{reason}",
    ),
    "sql.query": Text(
        "metric {metric}: the query failed: {reason}",
        "指标 {metric}：查询失败：{reason}",
    ),
    "sql.params": Text(
        "metric {metric}: the query uses :{name}; only :start and :end (the cycle dates) "
        "are provided",
        "指标 {metric}：查询使用了 :{name}；只提供 :start 和 :end（周期起止日期）",
    ),
    "sql.columns": Text(
        "metric {metric}: the query returns columns ({columns}); it must return "
        "'{date_column}' and '{value_column}' (use AS {date_column}, AS {value_column})",
        "指标 {metric}：查询返回的列为（{columns}）；必须返回“{date_column}”和"
        "“{value_column}”（请用 AS {date_column}、AS {value_column}）",
    ),
    "sql.too-many": Text(
        "metric {metric}: the query returned more than {limit} rows; aggregate in the "
        "database (GROUP BY the date) so only one row per day comes back",
        "指标 {metric}：查询返回超过 {limit} 行；请在数据库中聚合（按日期 GROUP BY），"
        "每天只返回一行",
    ),
    "sql.row": Text("query row {row}: {problem}", "查询结果第 {row} 行：{problem}"),
    "pull.not-read": Text("{problem}; it was not read", "{problem}；未读取"),
    # Pull
    "pull.check-failed": Text(
        "the scenarios have errors; fix them first (opsbook check)",
        "场景文件有错误，请先修复（opsbook check）",
    ),
    "pull.no-match": Text("no metric matches {what}", "没有与 {what} 匹配的指标"),
    "pull.metric": Text(
        "{added} added, {changed} changed, {unchanged} unchanged",
        "新增 {added}，变更 {changed}，未变 {unchanged}",
    ),
    "pull.outside": Text(
        "; {count} row(s) outside the cycle ignored",
        "；忽略周期外 {count} 行",
    ),
    "pull.summary": Text(
        "{metrics} metric(s) pulled: {added} added, {changed} changed, {unchanged} unchanged",
        "已拉取 {metrics} 个指标：新增 {added}，变更 {changed}，未变 {unchanged}",
    ),
    "pull.written": Text("{files} file(s) written", "已写入 {files} 个文件"),
    "pull.dry-run": Text("dry run: nothing written", "试运行：未写入任何文件"),
    "pull.nothing": Text("no file changed", "没有文件变化"),
    "pull.failed": Text(
        "{errors} error(s): nothing written",
        "{errors} 个错误：未写入任何文件",
    ),
    "pull.no-sources": Text(
        "no metric with a csv or sql source selected",
        "所选指标中没有 csv 或 sql 数据源",
    ),
    "edit.invalid": Text(
        "the edited file would not pass the check: {message}",
        "修改后的文件无法通过检查：{message}",
    ),
    "edit.unsafe": Text(
        "opsbook cannot edit this file without changing other lines; edit it by hand",
        "opsbook 无法在不改动其他行的情况下修改此文件，请手动编辑",
    ),
    # import-xlsx
    "import.not-xlsx": Text(
        "not an Excel workbook (.xlsx): {reason}", "不是 Excel 工作簿（.xlsx）：{reason}"
    ),
    "import.no-scenario": Text("there is no scenario '{id}'", "没有场景“{id}”"),
    "import.no-item": Text(
        "scenario '{scenario}' has no item '{id}' in {kind}",
        "场景“{scenario}”的 {kind} 中没有“{id}”",
    ),
    "import.empty": Text("'{column}' is empty", "“{column}”为空"),
    "import.choice": Text("'{value}' is not one of {choices}", "“{value}”不是以下之一：{choices}"),
    "import.date": Text(
        "'{value}' is not a date; write YYYY-MM-DD", "“{value}”不是日期，请写成 YYYY-MM-DD"
    ),
    "import.person": Text(
        "'{value}' is not a person in the team directory",
        "“{value}”不是团队名录中的人员",
    ),
    "import.read-only": Text(
        "column '{column}' is read-only in the workbook; change it in {file}",
        "“{column}”列在工作簿中只读，请在 {file} 中修改",
    ),
    "import.clear": Text(
        "clearing a stored value is not imported; edit the YAML file",
        "不支持通过工作簿清除已有的值，请直接编辑 YAML 文件",
    ),
    "import.actual": Text(
        "an actual needs both its date (Updated) and its value (Actual)",
        "实际值需要同时填写更新日期和实际值",
    ),
    "import.duplicate-row": Text(
        "this row repeats the ids of row {row}", "此行与第 {row} 行的 id 重复"
    ),
    "import.status": Text("{item}: status {old} → {new}", "{item}：状态 {old} → {new}"),
    "import.closed": Text("{item}: closed on {date}", "{item}：关闭日期 {date}"),
    "import.observation": Text("{item}: {date} = {value}", "{item}：{date} = {value}"),
    "import.review-added": Text("{item}: review {period} added", "{item}：新增复盘 {period}"),
    "import.review-updated": Text("{item}: review {period} updated", "{item}：更新复盘 {period}"),
    "import.written": Text(
        "{changes} change(s) written to {files} file(s)",
        "已将 {changes} 项修改写入 {files} 个文件",
    ),
    "edit.error": Text("error", "错误"),
}
