"""What ``opsbook cycle close`` and ``opsbook cycle next`` say."""

from __future__ import annotations

from collections.abc import Mapping

from opsbook.i18n.catalog.base import Text

CYCLE: Mapping[str, Text] = {
    "cycle.unknown-id": Text(
        "no scenario with id '{id}' (scenarios: {known})",
        "没有 id 为“{id}”的场景（现有场景：{known}）",
    ),
    "cycle.no-selection": Text(
        "name a scenario id, or use --all",
        "请指定场景 id，或使用 --all",
    ),
    "cycle.not-ended": Text(
        "the cycle ends {end}, not before the as-of date {as_of}; close it after it has ended "
        "(or pass --as-of)",
        "周期于 {end} 结束，未早于评估日期 {as_of}；请在周期结束后再关闭（或使用 --as-of）",
    ),
    "cycle.already-closed": Text(
        "the cycle starting {start} is already closed; start the next one with opsbook cycle next",
        "开始于 {start} 的周期已关闭；请用 opsbook cycle next 开始下一周期",
    ),
    "cycle.not-closed": Text(
        "the cycle {start} – {end} is not closed yet; run opsbook cycle close first",
        "周期 {start} – {end} 尚未关闭；请先运行 opsbook cycle close",
    ),
    "cycle.start-too-early": Text(
        "--start {start} is not after the closed cycle's end {end}",
        "--start {start} 不晚于已关闭周期的结束日期 {end}",
    ),
    "cycle.unknown-metric": Text(
        "--target: '{metric}' is not a metric of this scenario (metrics: {known})",
        "--target：“{metric}”不是本场景的指标（现有指标：{known}）",
    ),
    "cycle.bad-target": Text(
        "--target '{value}' is not METRIC=NUMBER, e.g. nrr=112",
        "--target “{value}”不是“指标=数值”的形式，例如 nrr=112",
    ),
    "cycle.bad-date": Text(
        "--start '{value}' is not a date in the format YYYY-MM-DD",
        "--start “{value}”不是 YYYY-MM-DD 格式的日期",
    ),
    "cycle.nothing-carried": Text(
        "every action is done, so none carries over and the next cycle would have no action: "
        "add the next cycle's first action, then run again",
        "所有行动均已完成，没有可结转的行动，下一周期将没有行动：请先添加下一周期的第一个行动，再运行",
    ),
    "cycle.none-ended": Text(
        "no open cycle has ended by {as_of}; nothing to close",
        "截至 {as_of} 没有已结束且未关闭的周期；无需关闭",
    ),
    "cycle.closed": Text("{id}: cycle {start} – {end} closed", "{id}：周期 {start} – {end} 已关闭"),
    "cycle.started": Text(
        "{id}: next cycle {start} – {end} started", "{id}：下一周期 {start} – {end} 已开始"
    ),
    "cycle.failed": Text("{errors} error(s); nothing written", "{errors} 个错误；未写入任何文件"),
}
