"""What ``opsbook pack`` says (pack. codes)."""

from __future__ import annotations

from collections.abc import Mapping

from opsbook.i18n.catalog.base import Text

PACK: Mapping[str, Text] = {
    "pack.unknown-id": Text(
        "--id: no scenario has the id '{id}'; {hint}",
        "--id：没有 id 为“{id}”的场景；{hint}",
    ),
    "pack.did-you-mean": Text("did you mean '{id}'?", "是不是“{id}”？"),
    "pack.list-ids": Text("known ids: {ids}", "已有的 id：{ids}"),
    "pack.empty": Text(
        "no scenario matches the selection; nothing to print{hints}",
        "没有符合筛选条件的场景，不生成资料{hints}",
    ),
    "pack.known-values": Text(
        "{option} {values}: known values are {known}", "{option} {values}：可选值为 {known}"
    ),
    "pack.bad-period": Text(
        "--period: '{value}' is not a period; write 2026-06-01..2026-06-30, 2026-06 (a month), "
        "2026-Q2 (a quarter) or 2026-W25 (an ISO week)",
        "--period：“{value}”不是有效的时间段；请写成 2026-06-01..2026-06-30、2026-06（月）、"
        "2026-Q2（季度）或 2026-W25（ISO 周）",
    ),
    "pack.reversed-period": Text(
        "--period: {value} ends before it starts", "--period：{value} 的结束日期早于开始日期"
    ),
    "pack.bad-date": Text(
        "{option}: '{value}' is not a date; write YYYY-MM-DD",
        "{option}：“{value}”不是日期；请写成 YYYY-MM-DD",
    ),
    "pack.since-after-as-of": Text(
        "--since {since} is not before the as-of date {as_of}",
        "--since {since} 不早于数据截至日 {as_of}",
    ),
    "pack.bad-revision": Text(
        "--since-rev: cannot read the scenarios at revision '{rev}': {reason}",
        "--since-rev：无法读取版本“{rev}”的场景：{reason}",
    ),
    "pack.typst": Text(
        "the pack template failed to compile: {detail}",
        "资料模板编译失败：{detail}",
    ),
    "pack.write": Text("cannot write {path}: {reason}", "无法写入 {path}：{reason}"),
    "pack.error": Text("error: {detail}", "错误：{detail}"),
    "pack.progress": Text("charts {done}/{total}", "图表 {done}/{total}"),
    "pack.not-written": Text(
        "{path} was not written: fix the problems above and run opsbook pack again",
        "未生成 {path}：请先修正以上问题，再运行 opsbook pack",
    ),
    "pack.written": Text(
        "wrote {path}: {pages} pages, {count} scenarios",
        "已生成 {path}：共 {pages} 页，{count} 个场景",
    ),
    "pack.written-one": Text(
        "wrote {path}: {pages} pages, 1 scenario", "已生成 {path}：共 {pages} 页，1 个场景"
    ),
}
