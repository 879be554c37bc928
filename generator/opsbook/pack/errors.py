"""Problems that stop a pack from being printed, worded in the user's language.

An error carries a message key and its arguments rather than a finished sentence, so the
command line can say it in Chinese or English, like the diagnostics of ``opsbook check``.
"""

from __future__ import annotations

from collections.abc import Mapping

from opsbook.i18n.messages import Text
from opsbook.support.errors import OpsbookError

MESSAGES: Mapping[str, Text] = {
    "unknown-id": Text(
        "--id: no scenario has the id '{id}'; {hint}",
        "--id：没有 id 为“{id}”的场景；{hint}",
    ),
    "did-you-mean": Text("did you mean '{id}'?", "是不是“{id}”？"),
    "list-ids": Text("known ids: {ids}", "已有的 id：{ids}"),
    "empty": Text(
        "no scenario matches the selection; nothing to print{hints}",
        "没有符合筛选条件的场景，不生成资料{hints}",
    ),
    "known-values": Text(
        "{option} {values}: known values are {known}", "{option} {values}：可选值为 {known}"
    ),
    "bad-period": Text(
        "--period: '{value}' is not a period; write 2026-06-01..2026-06-30, 2026-06 (a month), "
        "2026-Q2 (a quarter) or 2026-W25 (an ISO week)",
        "--period：“{value}”不是有效的时间段；请写成 2026-06-01..2026-06-30、2026-06（月）、"
        "2026-Q2（季度）或 2026-W25（ISO 周）",
    ),
    "reversed-period": Text(
        "--period: {value} ends before it starts", "--period：{value} 的结束日期早于开始日期"
    ),
    "bad-date": Text(
        "{option}: '{value}' is not a date; write YYYY-MM-DD",
        "{option}：“{value}”不是日期；请写成 YYYY-MM-DD",
    ),
    "since-after-as-of": Text(
        "--since {since} is not before the as-of date {as_of}",
        "--since {since} 不早于数据截至日 {as_of}",
    ),
    "bad-revision": Text(
        "--since-rev: cannot read the scenarios at revision '{rev}': {reason}",
        "--since-rev：无法读取版本“{rev}”的场景：{reason}",
    ),
    "typst": Text(
        "the pack template failed to compile: {detail}",
        "资料模板编译失败：{detail}",
    ),
    "write": Text("cannot write {path}: {reason}", "无法写入 {path}：{reason}"),
    "error": Text("error: {detail}", "错误：{detail}"),
    "progress": Text("charts {done}/{total}", "图表 {done}/{total}"),
    "not-written": Text(
        "{path} was not written: fix the problems above and run opsbook pack again",
        "未生成 {path}：请先修正以上问题，再运行 opsbook pack",
    ),
    "written": Text(
        "wrote {path}: {pages} pages, {count} scenarios",
        "已生成 {path}：共 {pages} 页，{count} 个场景",
    ),
    "written-one": Text(
        "wrote {path}: {pages} pages, 1 scenario", "已生成 {path}：共 {pages} 页，1 个场景"
    ),
}


class PackError(OpsbookError):
    """A pack cannot be printed; ``message(lang)`` says why and what to do."""

    def __init__(self, key: str, **args: object) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args

    def message(self, lang: str) -> str:
        values = {k: _render(v, lang) for k, v in self.args_.items()}
        return MESSAGES[self.key].get(lang).format(**values)

    def __str__(self) -> str:
        return self.message("en")


def _render(value: object, lang: str) -> object:
    """Nested errors are rendered in the same language; a list of them as indented lines."""
    if isinstance(value, PackError):
        return value.message(lang)
    if isinstance(value, list):
        return "".join(f"\n  {_render(item, lang)}" for item in value)
    return value
