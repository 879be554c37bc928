"""What ``opsbook check`` says about reading a file and its shape (load. and schema. codes)."""

from __future__ import annotations

from collections.abc import Mapping

from opsbook.i18n.catalog.base import Entry, entry

LOADING: Mapping[str, Entry] = {
    # Loading
    "load.too-large": entry(
        "the file is {size} bytes; the limit is {limit}",
        "文件有 {size} 字节，超过上限 {limit}",
        "keep one scenario per file; move bulk data to a CSV source",
        "每个文件只放一个场景；大量数据请放到 CSV 数据源",
    ),
    "load.encoding": entry(
        "the file is not UTF-8 text (byte 0x{byte})",
        "文件不是 UTF-8 文本（字节 0x{byte}）",
        "save the file as UTF-8 (in VS Code: 'Save with Encoding' → UTF-8)",
        "请将文件另存为 UTF-8 编码（VS Code：“通过编码保存”→ UTF-8）",
    ),
    "load.bom": entry(
        "the file starts with a byte-order mark (BOM)",
        "文件以字节顺序标记（BOM）开头",
        "save it as UTF-8 without BOM",
        "请另存为不带 BOM 的 UTF-8",
    ),
    "load.tab": entry(
        "a tab character is used for indentation",
        "使用了制表符（Tab）缩进",
        "YAML indents with spaces only: replace the tab with spaces",
        "YAML 只能用空格缩进：请把 Tab 换成空格",
    ),
    "load.syntax": entry(
        "YAML syntax error: {problem}",
        "YAML 语法错误：{problem}",
        "check the indentation, colons, quotes and brackets here and on the line before",
        "请检查此处及上一行的缩进、冒号、引号和括号",
    ),
    "load.too-deep": entry(
        "values are nested more than {limit} levels deep",
        "嵌套超过 {limit} 层",
        "a scenario never needs this: look for unclosed brackets",
        "场景文件不需要这么深的嵌套：请检查是否有未闭合的括号",
    ),
    "load.alias-limit": entry(
        "aliases expand to more than {limit} values",
        "别名展开后超过 {limit} 个值",
        "write the values out instead of using aliases (*name)",
        "请直接写出内容，不要使用别名（*name）",
    ),
    "load.alias-cycle": entry(
        "an alias refers to the value that contains it",
        "别名引用了包含它自身的值",
        "write the values out instead of using aliases (*name)",
        "请直接写出内容，不要使用别名（*name）",
    ),
    "load.multiple-documents": entry(
        "the file holds more than one YAML document ('---')",
        "文件包含多个 YAML 文档（“---”）",
        "keep one scenario per file",
        "每个文件只放一个场景",
    ),
    "load.empty": entry(
        "the file is empty",
        "文件是空的",
        "start from a template: opsbook new",
        "可以用 opsbook new 从模板开始",
    ),
    "load.duplicate-key": entry(
        "key '{key}' appears twice (first on line {first_line})",
        "键“{key}”重复出现（第一次在第 {first_line} 行）",
        "remove one of them: YAML would silently keep only one",
        "请删除其中一个：YAML 会悄悄丢掉其中一个的值",
    ),
    "load.tag": entry(
        "tag '{tag}' is not allowed",
        "不允许使用标签“{tag}”",
        "scenario files hold plain data only: remove the tag",
        "场景文件只能包含普通数据：请删除该标签",
    ),
    "load.merge-key": entry(
        "merge keys ('<<') are not supported",
        "不支持合并键（“<<”）",
        "write the keys out",
        "请直接写出各个键",
    ),
    "load.complex-key": entry(
        "a key must be plain text",
        "键必须是普通文本",
        "write the key as text followed by a colon",
        "请把键写成文本加冒号的形式",
    ),
    # Schema
    "schema.required": entry(
        "missing required key '{key}'",
        "缺少必填项“{key}”",
        "add '{key}:' ({title})",
        "请添加“{key}:”（{title}）",
    ),
    "schema.unknown-key": entry(
        "unknown key '{key}'",
        "未知的键“{key}”",
        "{suggestion}",
        "{suggestion}",
    ),
    "schema.enum": entry(
        "{value} is not one of {allowed}",
        "{value} 不是以下取值之一：{allowed}",
        "{suggestion}",
        "{suggestion}",
    ),
    "schema.type": entry(
        "{value} is {actual}; expected {expected}",
        "{value} 是{actual}，应为{expected}",
        "{advice}",
        "{advice}",
    ),
    "schema.empty": entry(
        "the value is empty; expected {expected}",
        "值为空，应为{expected}",
        "fill in the value, or remove the key",
        "请填写该值，或删除这个键",
    ),
    "schema.format": entry(
        "{value} is not a valid date",
        "{value} 不是有效的日期",
        "write YYYY-MM-DD with a real day, e.g. 2026-06-10",
        "请写成 YYYY-MM-DD 且是真实存在的日期，如 2026-06-10",
    ),
    "schema.email": entry(
        "{value} is not an email address",
        "{value} 不是有效的邮箱地址",
        "write it as name@example.com",
        "请写成 name@example.com 的形式",
    ),
    "schema.pattern": entry(
        "{value} is not in the required form",
        "{value} 的格式不正确",
        "{advice}",
        "{advice}",
    ),
    "schema.range": entry(
        "{value} is out of range: it must be {bound}",
        "{value} 超出范围：必须{bound}",
        "{advice}",
        "{advice}",
    ),
    "schema.count": entry(
        "has {count} item(s); it needs {bound}",
        "有 {count} 项，需要{bound}",
        "see the method: opsbook's site, page 'Method'",
        "参见站点“方法”页",
    ),
    "schema.length": entry(
        "{value} is too {which}: {bound}",
        "{value} 长度不符：{bound}",
        "shorten or complete the text",
        "请调整文字长度",
    ),
    "schema.unique": entry(
        "the list contains the same item twice",
        "列表中有重复项",
        "remove the duplicate",
        "请删除重复项",
    ),
    "schema.invalid": entry(
        "the value is invalid: {detail}",
        "该值无效：{detail}",
        "compare with the schema: schema/scenario.schema.json",
        "请对照 schema/scenario.schema.json",
    ),
    # Chinese typing mistakes and blank text
    "load.fullwidth-colon": entry(
        "line {line} uses the full-width colon '：' as the key separator after '{key}'",
        "第 {line} 行把全角冒号“：”当成了“{key}”的分隔符",
        "type the half-width ':' and a space: '{key}: …' (switch the input method to "
        "English punctuation); a '：' inside a value is fine",
        "请改为半角“:”加空格：“{key}: …”（可把输入法切换为英文标点）；值里面的“：”不受影响",
    ),
    "load.fullwidth-space": entry(
        "line {line} has a full-width space (U+3000) {where}",
        "第 {line} 行{where}有全角空格（U+3000）",
        "YAML only understands half-width spaces: retype it as an ordinary space "
        "(most input methods switch full-width off with Shift+Space)",
        "YAML 只认半角空格：请改成普通空格（多数输入法用 Shift+空格 切换全角/半角）",
    ),
    "load.gbk": entry(
        "the file is saved in GBK (GB2312/GB18030), not UTF-8",
        "文件是 GBK（GB2312/GB18030）编码，不是 UTF-8",
        "save it as UTF-8 — VS Code: click 'GBK' in the status bar → 'Save with Encoding' → "
        "UTF-8; Notepad: Save As → Encoding: UTF-8; Notepad++: Encoding → Convert to UTF-8; "
        "WPS: Save As → encoding UTF-8",
        "请另存为 UTF-8 编码——VS Code：点击状态栏的“GBK”→“通过编码保存”→ UTF-8；"
        "记事本：另存为 → 编码选 UTF-8；Notepad++：编码 → 转为 UTF-8 编码；WPS：另存为 → 编码选 UTF-8",
    ),
    "load.utf16": entry(
        "the file is saved as UTF-16 ({variant}), not UTF-8",
        "文件是 UTF-16（{variant}）编码，不是 UTF-8",
        "save it as UTF-8 — VS Code: 'Save with Encoding' → UTF-8; Notepad: Save As → "
        "Encoding: UTF-8 (not 'Unicode'); Notepad++: Encoding → Convert to UTF-8",
        "请另存为 UTF-8 编码——VS Code：“通过编码保存”→ UTF-8；记事本：另存为 → 编码选 UTF-8"
        "（不要选“Unicode”）；Notepad++：编码 → 转为 UTF-8 编码",
    ),
    "schema.blank": entry(
        "the text is blank",
        "内容是空白的",
        "fill in '{title}'; spaces alone (half- or full-width) do not count",
        "请填写“{title}”；只有空格（半角或全角）不算填写",
    ),
}
