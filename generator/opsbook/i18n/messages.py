"""Every message opsbook prints about a problem, in English and Chinese.

One entry per diagnostic code: the message and the hint, as ``str.format`` templates over the
diagnostic's arguments. Keeping all wording here means a translator edits one file, and a test
can prove that every code has both languages.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

LANGUAGES = ("en", "zh-CN")


@dataclass(frozen=True)
class Text:
    en: str
    zh: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh-CN" else self.en


@dataclass(frozen=True)
class Entry:
    message: Text
    hint: Text


def _e(en: str, zh: str, hint_en: str, hint_zh: str) -> Entry:
    return Entry(Text(en, zh), Text(hint_en, hint_zh))


CATALOG: Mapping[str, Entry] = {
    # Loading
    "load.too-large": _e(
        "the file is {size} bytes; the limit is {limit}",
        "文件有 {size} 字节，超过上限 {limit}",
        "keep one scenario per file; move bulk data to a CSV source",
        "每个文件只放一个场景；大量数据请放到 CSV 数据源",
    ),
    "load.encoding": _e(
        "the file is not UTF-8 text (byte 0x{byte})",
        "文件不是 UTF-8 文本（字节 0x{byte}）",
        "save the file as UTF-8 (in VS Code: 'Save with Encoding' → UTF-8)",
        "请将文件另存为 UTF-8 编码（VS Code：“通过编码保存”→ UTF-8）",
    ),
    "load.bom": _e(
        "the file starts with a byte-order mark (BOM)",
        "文件以字节顺序标记（BOM）开头",
        "save it as UTF-8 without BOM",
        "请另存为不带 BOM 的 UTF-8",
    ),
    "load.tab": _e(
        "a tab character is used for indentation",
        "使用了制表符（Tab）缩进",
        "YAML indents with spaces only: replace the tab with spaces",
        "YAML 只能用空格缩进：请把 Tab 换成空格",
    ),
    "load.syntax": _e(
        "YAML syntax error: {problem}",
        "YAML 语法错误：{problem}",
        "check the indentation, colons, quotes and brackets here and on the line before",
        "请检查此处及上一行的缩进、冒号、引号和括号",
    ),
    "load.too-deep": _e(
        "values are nested more than {limit} levels deep",
        "嵌套超过 {limit} 层",
        "a scenario never needs this: look for unclosed brackets",
        "场景文件不需要这么深的嵌套：请检查是否有未闭合的括号",
    ),
    "load.alias-limit": _e(
        "aliases expand to more than {limit} values",
        "别名展开后超过 {limit} 个值",
        "write the values out instead of using aliases (*name)",
        "请直接写出内容，不要使用别名（*name）",
    ),
    "load.alias-cycle": _e(
        "an alias refers to the value that contains it",
        "别名引用了包含它自身的值",
        "write the values out instead of using aliases (*name)",
        "请直接写出内容，不要使用别名（*name）",
    ),
    "load.multiple-documents": _e(
        "the file holds more than one YAML document ('---')",
        "文件包含多个 YAML 文档（“---”）",
        "keep one scenario per file",
        "每个文件只放一个场景",
    ),
    "load.empty": _e(
        "the file is empty",
        "文件是空的",
        "start from a template: opsbook new",
        "可以用 opsbook new 从模板开始",
    ),
    "load.duplicate-key": _e(
        "key '{key}' appears twice (first on line {first_line})",
        "键“{key}”重复出现（第一次在第 {first_line} 行）",
        "remove one of them: YAML would silently keep only one",
        "请删除其中一个：YAML 会悄悄丢掉其中一个的值",
    ),
    "load.tag": _e(
        "tag '{tag}' is not allowed",
        "不允许使用标签“{tag}”",
        "scenario files hold plain data only: remove the tag",
        "场景文件只能包含普通数据：请删除该标签",
    ),
    "load.merge-key": _e(
        "merge keys ('<<') are not supported",
        "不支持合并键（“<<”）",
        "write the keys out",
        "请直接写出各个键",
    ),
    "load.complex-key": _e(
        "a key must be plain text",
        "键必须是普通文本",
        "write the key as text followed by a colon",
        "请把键写成文本加冒号的形式",
    ),
    # Schema
    "schema.required": _e(
        "missing required key '{key}'",
        "缺少必填项“{key}”",
        "add '{key}:' ({title})",
        "请添加“{key}:”（{title}）",
    ),
    "schema.unknown-key": _e(
        "unknown key '{key}'",
        "未知的键“{key}”",
        "{suggestion}",
        "{suggestion}",
    ),
    "schema.enum": _e(
        "{value} is not one of {allowed}",
        "{value} 不是以下取值之一：{allowed}",
        "{suggestion}",
        "{suggestion}",
    ),
    "schema.type": _e(
        "{value} is {actual}; expected {expected}",
        "{value} 是{actual}，应为{expected}",
        "{advice}",
        "{advice}",
    ),
    "schema.empty": _e(
        "the value is empty; expected {expected}",
        "值为空，应为{expected}",
        "fill in the value, or remove the key",
        "请填写该值，或删除这个键",
    ),
    "schema.format": _e(
        "{value} is not a valid date",
        "{value} 不是有效的日期",
        "write YYYY-MM-DD with a real day, e.g. 2026-06-10",
        "请写成 YYYY-MM-DD 且是真实存在的日期，如 2026-06-10",
    ),
    "schema.email": _e(
        "{value} is not an email address",
        "{value} 不是有效的邮箱地址",
        "write it as name@example.com",
        "请写成 name@example.com 的形式",
    ),
    "schema.pattern": _e(
        "{value} is not in the required form",
        "{value} 的格式不正确",
        "{advice}",
        "{advice}",
    ),
    "schema.range": _e(
        "{value} is out of range: it must be {bound}",
        "{value} 超出范围：必须{bound}",
        "{advice}",
        "{advice}",
    ),
    "schema.count": _e(
        "has {count} item(s); it needs {bound}",
        "有 {count} 项，需要{bound}",
        "see the method: opsbook's site, page 'Method'",
        "参见站点“方法”页",
    ),
    "schema.length": _e(
        "{value} is too {which}: {bound}",
        "{value} 长度不符：{bound}",
        "shorten or complete the text",
        "请调整文字长度",
    ),
    "schema.unique": _e(
        "the list contains the same item twice",
        "列表中有重复项",
        "remove the duplicate",
        "请删除重复项",
    ),
    "schema.invalid": _e(
        "the value is invalid: {detail}",
        "该值无效：{detail}",
        "compare with the schema: schema/scenario.schema.json",
        "请对照 schema/scenario.schema.json",
    ),
    # Cross-references
    "ref.owner": _e(
        "'{person}' is not in the team directory",
        "“{person}”不在团队名录中",
        "{suggestion}",
        "{suggestion}",
    ),
    "ref.no-team": _e(
        "the team directory is missing",
        "找不到团队名录",
        "create {team_file} with the team's people (id, name, role, department)",
        "请创建 {team_file}，列出团队成员（id、姓名、角色、部门）",
    ),
    "ref.department": _e(
        "department '{department}' is not listed under departments",
        "部门“{department}”不在 departments 列表中",
        "add it to departments or use one of: {known}",
        "请把它加入 departments，或使用：{known}",
    ),
    "ref.metric": _e(
        "'{ref}' is not a metric of this scenario",
        "“{ref}”不是本场景的指标",
        "metrics defined here: {known}",
        "本场景定义的指标：{known}",
    ),
    "ref.action": _e(
        "'{ref}' is not an action of this scenario",
        "“{ref}”不是本场景的行动",
        "actions defined here: {known}",
        "本场景定义的行动：{known}",
    ),
    "ref.duplicate-id": _e(
        "id '{id}' is used twice (first on line {first_line})",
        "id“{id}”重复（第一次在第 {first_line} 行）",
        "give each {kind} its own id",
        "每个{kind}需要唯一的 id",
    ),
    "ref.duplicate-scenario": _e(
        "scenario id '{id}' is also used by {other}",
        "场景 id“{id}”已被 {other} 使用",
        "every scenario needs its own id",
        "每个场景需要唯一的 id",
    ),
    "ref.file-name": _e(
        "'{id}' does not match the file name '{stem}.yaml'",
        "“{id}”与文件名“{stem}.yaml”不一致",
        "rename the file to {id}.yaml, or change the id to {stem}",
        "请把文件改名为 {id}.yaml，或把 id 改为 {stem}",
    ),
    "date.order": _e(
        "{later_key} {later} is before {earlier_key} {earlier}",
        "{later_key}（{later}）早于 {earlier_key}（{earlier}）",
        "swap or correct the dates",
        "请更正日期",
    ),
    "date.outside-cycle": _e(
        "due date {date} is outside the cycle {start} – {end}",
        "截止日期 {date} 不在周期 {start} – {end} 内",
        "move it into the cycle, or plan it in the next cycle's scenario",
        "请调整到周期内，或放入下一周期的场景",
    ),
    # The five rules of execution
    "rule.one-goal": _e(
        "the goal sets {count} targets: {goal}",
        "目标包含 {count} 个指标值：{goal}",
        "one scenario, one goal: split it into separate scenarios",
        "一个场景一个目标：请拆分为多个场景",
    ),
    "rule.max-steps": _e(
        "{what} has {count} steps; the method allows at most 5",
        "{what}有 {count} 步，方法要求最多 5 步",
        "merge or drop steps so the process stays executable",
        "请合并或删减步骤，保持流程简单可执行",
    ),
    "rule.action-when": _e(
        "the action has neither a due date nor a repeat",
        "行动既没有截止日期也没有重复频率",
        "add 'due: YYYY-MM-DD', or 'repeat: daily' for recurring work",
        "请添加“due: YYYY-MM-DD”，周期性工作用“repeat: daily”",
    ),
    "rule.vague-standard": _e(
        "the standard {value} is vague: '{word}' with no number",
        "标准 {value} 不可衡量：有“{word}”但没有数字",
        "say what is measured, e.g. 'weekly Q&A in the group, 100% answered'",
        "请写成可衡量的标准，如“每周群内答疑，100%回复”",
    ),
    "rule.core-metrics": _e(
        "the scenario has {count} core metrics; the method asks for 1–3",
        "场景有 {count} 个核心指标，方法要求 1–3 个",
        "keep the 1–3 that decide success; mark the others 'core: false'",
        "保留决定成败的 1–3 个，其余标记“core: false”",
    ),
    "rule.metric-source": _e(
        "core metric '{metric}' is counted by hand (source: manual)",
        "核心指标“{metric}”靠手工统计（source: manual）",
        "pull it from a system: 'kind: sql' or 'kind: csv'",
        "请从系统取数：“kind: sql”或“kind: csv”",
    ),
    "rule.owner-person": _e(
        "owner '{owner}' is a department, not a person",
        "负责人“{owner}”是部门，不是个人",
        "name the one person who answers for it (责任到人)",
        "请指定一位具体负责人（责任到人）",
    ),
    "rule.cadence": _e(
        "cadence '{cadence}' is longer than two weeks",
        "复盘节奏“{cadence}”超过两周",
        "small iterations every 1–2 weeks: use weekly or biweekly",
        "小迭代每 1–2 周一次：请用 weekly 或 biweekly",
    ),
    "waiver.unused": _e(
        "the waiver for '{rule}' is not needed: the rule passes",
        "对“{rule}”的豁免没有必要：规则已通过",
        "remove the waiver",
        "请删除该豁免",
    ),
    "waiver.unknown-rule": _e(
        "there is no rule '{rule}'",
        "没有规则“{rule}”",
        "rules: {known}",
        "可用规则：{known}",
    ),
    # Boundaries: paths and SQL
    "path.absolute": _e(
        "'{path}' is an absolute path",
        "“{path}”是绝对路径",
        "write the path relative to the scenario file; it must stay inside the project root "
        "(the folder holding mkdocs.yml, else the working directory)",
        "请写相对于场景文件的路径；它必须位于项目根目录之内（含 mkdocs.yml 的目录，否则为当前工作目录）",
    ),
    "path.outside": _e(
        "'{path}' leads outside the project root",
        "“{path}”指向项目根目录之外",
        "keep data files inside the project root (the folder holding mkdocs.yml, else the "
        "working directory); opsbook reads nothing outside it",
        "请把数据文件放在项目根目录之内（含 mkdocs.yml 的目录，否则为当前工作目录）；"
        "opsbook 不读取根目录之外的任何文件",
    ),
    "path.link-outside": _e(
        "'{path}' goes through a symbolic link that leads outside the project root",
        "“{path}”经由符号链接指向项目根目录之外",
        "replace the link with the file itself, inside the project root (the folder holding "
        "mkdocs.yml, else the working directory)",
        "请用文件本身替换该链接，并放在项目根目录之内（含 mkdocs.yml 的目录，否则为当前工作目录）",
    ),
    "path.file-outside": _e(
        "this file is a symbolic link to a place outside the project root; it was not read",
        "此文件是指向项目根目录之外的符号链接；未读取其内容",
        "replace the link with the file itself, inside the project root (the folder holding "
        "mkdocs.yml, else the working directory)",
        "请用文件本身替换该链接，并放在项目根目录之内（含 mkdocs.yml 的目录，否则为当前工作目录）",
    ),
    "sql.unparseable": _e(
        "the query is not SQL opsbook can read: {reason} (line {line}, column {column} of "
        "the query)",
        "无法解析该查询：{reason}（查询第 {line} 行第 {column} 列）",
        "write one SELECT statement, e.g. SELECT day AS date, n AS value FROM t WHERE day "
        "BETWEEN :start AND :end",
        "请写一条 SELECT 语句，如 SELECT day AS date, n AS value FROM t WHERE day BETWEEN "
        ":start AND :end",
    ),
    "sql.statements": _e(
        "the query holds {count} statements; exactly one is allowed",
        "查询包含 {count} 条语句；只允许一条",
        "write a single SELECT (or WITH … SELECT); remove the other statements and semicolons",
        "请只写一条 SELECT（或 WITH … SELECT）；删除其他语句和分号",
    ),
    "sql.not-select": _e(
        "the query is {kind}, not SELECT; only SELECT (or WITH … SELECT) is allowed",
        "查询是 {kind} 语句；只允许 SELECT（或 WITH … SELECT）",
        "opsbook only reads: metric queries never write, attach files or change settings",
        "opsbook 只读取数据：指标查询不能写入、附加文件或修改设置",
    ),
    "sql.writes": _e(
        "the query contains {kind}, which writes or locks",
        "查询包含 {kind}，会写入或加锁",
        "a metric query only reads: remove it and select the rows instead",
        "指标查询只能读取：请删除它，只查询所需的行",
    ),
    "sql.function": _e(
        "the query calls {name}(), which can reach outside the database or change the session",
        "查询调用了 {name}()，它可能访问数据库之外的资源或修改会话",
        "a metric query only reads tables: remove the call",
        "指标查询只能读取表：请删除该调用",
    ),
    # Chinese typing mistakes and blank text
    "load.fullwidth-colon": _e(
        "line {line} uses the full-width colon '：' as the key separator after '{key}'",
        "第 {line} 行把全角冒号“：”当成了“{key}”的分隔符",
        "type the half-width ':' and a space: '{key}: …' (switch the input method to "
        "English punctuation); a '：' inside a value is fine",
        "请改为半角“:”加空格：“{key}: …”（可把输入法切换为英文标点）；值里面的“：”不受影响",
    ),
    "load.fullwidth-space": _e(
        "line {line} has a full-width space (U+3000) {where}",
        "第 {line} 行{where}有全角空格（U+3000）",
        "YAML only understands half-width spaces: retype it as an ordinary space "
        "(most input methods switch full-width off with Shift+Space)",
        "YAML 只认半角空格：请改成普通空格（多数输入法用 Shift+空格 切换全角/半角）",
    ),
    "load.gbk": _e(
        "the file is saved in GBK (GB2312/GB18030), not UTF-8",
        "文件是 GBK（GB2312/GB18030）编码，不是 UTF-8",
        "save it as UTF-8 — VS Code: click 'GBK' in the status bar → 'Save with Encoding' → "
        "UTF-8; Notepad: Save As → Encoding: UTF-8; Notepad++: Encoding → Convert to UTF-8; "
        "WPS: Save As → encoding UTF-8",
        "请另存为 UTF-8 编码——VS Code：点击状态栏的“GBK”→“通过编码保存”→ UTF-8；"
        "记事本：另存为 → 编码选 UTF-8；Notepad++：编码 → 转为 UTF-8 编码；WPS：另存为 → 编码选 UTF-8",
    ),
    "load.utf16": _e(
        "the file is saved as UTF-16 ({variant}), not UTF-8",
        "文件是 UTF-16（{variant}）编码，不是 UTF-8",
        "save it as UTF-8 — VS Code: 'Save with Encoding' → UTF-8; Notepad: Save As → "
        "Encoding: UTF-8 (not 'Unicode'); Notepad++: Encoding → Convert to UTF-8",
        "请另存为 UTF-8 编码——VS Code：“通过编码保存”→ UTF-8；记事本：另存为 → 编码选 UTF-8"
        "（不要选“Unicode”）；Notepad++：编码 → 转为 UTF-8 编码",
    ),
    "schema.blank": _e(
        "the text is blank",
        "内容是空白的",
        "fill in '{title}'; spaces alone (half- or full-width) do not count",
        "请填写“{title}”；只有空格（半角或全角）不算填写",
    ),
}

SUMMARY = {
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


def render(code: str, args: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """The message and hint of a diagnostic, in ``lang``."""
    entry = CATALOG[code]
    values = {key: _localise(value, lang) for key, value in args.items()}
    message = entry.message.get(lang).format_map(_Defaulting(values))
    hint = entry.hint.get(lang).format_map(_Defaulting(values))
    return message, hint


def _localise(value: Any, lang: str) -> Any:
    """Arguments may carry both languages as ``{"en": …, "zh-CN": …}``."""
    if isinstance(value, Mapping) and "en" in value:
        return value.get(lang, value["en"])
    return value


class _Defaulting(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def detect_language(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """``--lang`` first, then ``OPSBOOK_LANG``, then the locale variables; English otherwise."""
    env = os.environ if environ is None else environ
    candidates = [explicit, env.get("OPSBOOK_LANG")]
    candidates += [env.get(name) for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")]
    for candidate in candidates:
        if candidate:
            return "zh-CN" if candidate.lower().startswith("zh") else "en"
    return "en"
