"""What ``opsbook check`` says about references, dates, the rules, waivers, paths and SQL."""

from __future__ import annotations

from collections.abc import Mapping

from opsbook.i18n.catalog.base import Entry, Text, entry

RULES: Mapping[str, Entry] = {
    # Cross-references
    "ref.owner": entry(
        "'{person}' is not in the team directory",
        "“{person}”不在团队名录中",
        "{suggestion}",
        "{suggestion}",
    ),
    "ref.module": entry(
        "'{module}' is not a module in the team directory",
        "“{module}”不是团队名录中的业务模块",
        "{suggestion}",
        "{suggestion}",
    ),
    "ref.no-team": entry(
        "the team directory is missing",
        "找不到团队名录",
        "create {team_file} with the team's people (id, name, role, department)",
        "请创建 {team_file}，列出团队成员（id、姓名、角色、部门）",
    ),
    "ref.department": entry(
        "department '{department}' is not listed under departments",
        "部门“{department}”不在 departments 列表中",
        "add it to departments or use one of: {known}",
        "请把它加入 departments，或使用：{known}",
    ),
    "ref.metric": entry(
        "'{ref}' is not a metric of this scenario",
        "“{ref}”不是本场景的指标",
        "metrics defined here: {known}",
        "本场景定义的指标：{known}",
    ),
    "ref.action": entry(
        "'{ref}' is not an action of this scenario",
        "“{ref}”不是本场景的行动",
        "actions defined here: {known}",
        "本场景定义的行动：{known}",
    ),
    "ref.action-in-history": entry(
        "action '{ref}' was moved into the history of the closed cycle {start} – {end}",
        "行动“{ref}”已随周期 {start} – {end} 移入历史",
        "an anomaly of the current cycle refers to a current action ({known}); "
        "close the anomaly or drop its action reference",
        "当前周期的异常应关联当前行动（{known}）；请关闭该异常或删除其 action 引用",
    ),
    "ref.duplicate-id": entry(
        "id '{id}' is used twice (first on line {first_line})",
        "id“{id}”重复（第一次在第 {first_line} 行）",
        "give each {kind} its own id",
        "每个{kind}需要唯一的 id",
    ),
    "ref.duplicate-scenario": entry(
        "scenario id '{id}' is also used by {other}",
        "场景 id“{id}”已被 {other} 使用",
        "every scenario needs its own id",
        "每个场景需要唯一的 id",
    ),
    "ref.file-name": entry(
        "'{id}' does not match the file name '{stem}.yaml'",
        "“{id}”与文件名“{stem}.yaml”不一致",
        "rename the file to {id}.yaml, or change the id to {stem}",
        "请把文件改名为 {id}.yaml，或把 id 改为 {stem}",
    ),
    "date.order": entry(
        "{later_key} {later} is before {earlier_key} {earlier}",
        "{later_key}（{later}）早于 {earlier_key}（{earlier}）",
        "swap or correct the dates",
        "请更正日期",
    ),
    "date.outside-cycle": entry(
        "due date {date} is outside the cycle {start} – {end}",
        "截止日期 {date} 不在周期 {start} – {end} 内",
        "move it into the cycle, or plan it in the next cycle's scenario",
        "请调整到周期内，或放入下一周期的场景",
    ),
    "history.order": entry(
        "closed cycle starts {start}, before the previous closed cycle ends ({previous})",
        "已关闭周期开始于 {start}，早于上一个已关闭周期的结束日期（{previous}）",
        "list closed cycles oldest first; they never overlap",
        "请按时间先后排列已关闭周期，周期之间不能重叠",
    ),
    "history.after-current": entry(
        "closed cycle ends {end}, not before the current cycle starts ({current})",
        "已关闭周期结束于 {end}，不早于当前周期的开始日期（{current}）",
        "a closed cycle ends before the current one starts: correct the dates, "
        "or start the next cycle with opsbook cycle next",
        "已关闭周期须在当前周期开始前结束：请更正日期，或用 opsbook cycle next 开始下一周期",
    ),
    # The five rules of execution
    "rule.one-goal": entry(
        "the goal sets {count} targets: {goal}",
        "目标包含 {count} 个指标值：{goal}",
        "one scenario, one goal: split it into separate scenarios",
        "一个场景一个目标：请拆分为多个场景",
    ),
    "rule.max-steps": entry(
        "{what} has {count} steps; the method allows at most 5",
        "{what}有 {count} 步，方法要求最多 5 步",
        "merge or drop steps so the process stays executable",
        "请合并或删减步骤，保持流程简单可执行",
    ),
    "rule.action-when": entry(
        "the action has neither a due date nor a repeat",
        "行动既没有截止日期也没有重复频率",
        "add 'due: YYYY-MM-DD', or 'repeat: daily' for recurring work",
        "请添加“due: YYYY-MM-DD”，周期性工作用“repeat: daily”",
    ),
    "rule.vague-standard": entry(
        "the standard {value} is vague: '{word}' with no number",
        "标准 {value} 不可衡量：有“{word}”但没有数字",
        "say what is measured, e.g. 'weekly Q&A in the group, 100% answered'",
        "请写成可衡量的标准，如“每周群内答疑，100%回复”",
    ),
    "rule.core-metrics": entry(
        "the scenario has {count} core metrics; the method asks for 1–3",
        "场景有 {count} 个核心指标，方法要求 1–3 个",
        "keep the 1–3 that decide success; mark the others 'core: false'",
        "保留决定成败的 1–3 个，其余标记“core: false”",
    ),
    "rule.metric-source": entry(
        "core metric '{metric}' is counted by hand (source: manual)",
        "核心指标“{metric}”靠手工统计（source: manual）",
        "pull it from a system: 'kind: sql' or 'kind: csv'",
        "请从系统取数：“kind: sql”或“kind: csv”",
    ),
    "rule.owner-person": entry(
        "owner '{owner}' is a department, not a person",
        "负责人“{owner}”是部门，不是个人",
        "name the one person who answers for it (责任到人)",
        "请指定一位具体负责人（责任到人）",
    ),
    "rule.cadence": entry(
        "cadence '{cadence}' is longer than two weeks",
        "复盘节奏“{cadence}”超过两周",
        "small iterations every 1–2 weeks: use weekly or biweekly",
        "小迭代每 1–2 周一次：请用 weekly 或 biweekly",
    ),
    "waiver.unused": entry(
        "the waiver for '{rule}' is not needed: the rule passes",
        "对“{rule}”的豁免没有必要：规则已通过",
        "remove the waiver",
        "请删除该豁免",
    ),
    "waiver.unknown-rule": entry(
        "there is no rule '{rule}'",
        "没有规则“{rule}”",
        "rules: {known}",
        "可用规则：{known}",
    ),
    # Boundaries: paths and SQL
    "path.absolute": entry(
        "'{path}' is an absolute path",
        "“{path}”是绝对路径",
        "write the path relative to the scenario file; it must stay inside the project root "
        "(the folder holding mkdocs.yml, else the working directory)",
        "请写相对于场景文件的路径；它必须位于项目根目录之内（含 mkdocs.yml 的目录，否则为当前工作目录）",
    ),
    "path.outside": entry(
        "'{path}' leads outside the project root",
        "“{path}”指向项目根目录之外",
        "keep data files inside the project root (the folder holding mkdocs.yml, else the "
        "working directory); opsbook reads nothing outside it",
        "请把数据文件放在项目根目录之内（含 mkdocs.yml 的目录，否则为当前工作目录）；"
        "opsbook 不读取根目录之外的任何文件",
    ),
    "path.link-outside": entry(
        "'{path}' goes through a symbolic link that leads outside the project root",
        "“{path}”经由符号链接指向项目根目录之外",
        "replace the link with the file itself, inside the project root (the folder holding "
        "mkdocs.yml, else the working directory)",
        "请用文件本身替换该链接，并放在项目根目录之内（含 mkdocs.yml 的目录，否则为当前工作目录）",
    ),
    "path.file-outside": entry(
        "this file is outside the project root; it was not read",
        "此文件位于项目根目录之外；未读取其内容",
        "check it from the project that holds it, or move it into this project's root (the "
        "folder holding mkdocs.yml, else the working directory); a folder that is a symbolic "
        "link to another place does not count as inside",
        "请在它所属的项目中检查，或把它移到本项目根目录之内（含 mkdocs.yml 的目录，否则为当前"
        "工作目录）；指向别处的符号链接目录不算在根目录之内",
    ),
    "path.file-link-outside": entry(
        "this file is a symbolic link to a place outside the project root; it was not read",
        "此文件是指向项目根目录之外的符号链接；未读取其内容",
        "replace the link with the file itself, inside the project root (the folder holding "
        "mkdocs.yml, else the working directory)",
        "请用文件本身替换该链接，并放在项目根目录之内（含 mkdocs.yml 的目录，否则为当前工作目录）",
    ),
    "sql.unparseable": entry(
        "the query is not SQL opsbook can read: {reason} (line {line}, column {column} of "
        "the query)",
        "无法解析该查询：{reason}（查询第 {line} 行第 {column} 列）",
        "write one SELECT statement, e.g. SELECT day AS date, n AS value FROM t WHERE day "
        "BETWEEN :start AND :end",
        "请写一条 SELECT 语句，如 SELECT day AS date, n AS value FROM t WHERE day BETWEEN "
        ":start AND :end",
    ),
    "sql.statements": entry(
        "the query holds {count} statements; exactly one is allowed",
        "查询包含 {count} 条语句；只允许一条",
        "write a single SELECT (or WITH … SELECT); remove the other statements and semicolons",
        "请只写一条 SELECT（或 WITH … SELECT）；删除其他语句和分号",
    ),
    "sql.not-select": entry(
        "the query is {kind}, not SELECT; only SELECT (or WITH … SELECT) is allowed",
        "查询是 {kind} 语句；只允许 SELECT（或 WITH … SELECT）",
        "opsbook only reads: metric queries never write, attach files or change settings",
        "opsbook 只读取数据：指标查询不能写入、附加文件或修改设置",
    ),
    "sql.writes": entry(
        "the query contains {kind}, which writes or locks",
        "查询包含 {kind}，会写入或加锁",
        "a metric query only reads: remove it and select the rows instead",
        "指标查询只能读取：请删除它，只查询所需的行",
    ),
    "sql.function": entry(
        "the query calls {name}(), which can reach outside the database or change the session",
        "查询调用了 {name}()，它可能访问数据库之外的资源或修改会话",
        "a metric query only reads tables: remove the call",
        "指标查询只能读取表：请删除该调用",
    ),
}

SUMMARY: Mapping[str, Text] = {
    "clean": Text("{files} file(s) checked: no problems", "已检查 {files} 个文件：没有问题"),
    "problems": Text(
        "{errors} error(s), {warnings} warning(s) in {bad} of {files} file(s)",
        "{files} 个文件中有 {bad} 个存在问题：{errors} 个错误，{warnings} 个警告",
    ),
    "hint": Text("hint", "提示"),
    "more": Text(
        "… and {count} more {label} in this file (--format json lists them all)",
        "… 本文件还有 {count} 个 {label} 未列出（--format json 会全部列出）",
    ),
}
