"""Every word ``opsbook notify`` prints or sends itself (notify. codes)."""

from __future__ import annotations

from collections.abc import Mapping

from opsbook.i18n.catalog.base import Text

NOTIFY: Mapping[str, Text] = {
    # Configuration problems (each names the channel)
    "notify.no-channels": Text(
        "mkdocs.yml: the opsbook plugin has no notify channels; add a notify: channels: list "
        "(see site/guide/notify-en.md)",
        "mkdocs.yml：opsbook 插件下没有配置 notify 通道；请添加 notify: channels: 列表"
        "（见 site/guide/notify.md）",
    ),
    "notify.bad-channel": Text(
        "notify channel #{index}: {reason}", "notify 第 {index} 个通道：{reason}"
    ),
    "notify.unknown-channel": Text(
        "--channel {name}: no such channel; configured: {known}",
        "--channel {name}：没有这个通道；已配置：{known}",
    ),
    "notify.unknown-kind": Text(
        "channel '{channel}': unknown kind '{kind}'; use one of {known}",
        "通道“{channel}”：未知类型“{kind}”；可选 {known}",
    ),
    "notify.missing-field": Text(
        "channel '{channel}': '{field}' is required for kind {kind}",
        "通道“{channel}”：类型 {kind} 必须填写“{field}”",
    ),
    "notify.bad-field": Text(
        "channel '{channel}': '{field}' {reason}", "通道“{channel}”：“{field}”{reason}"
    ),
    "notify.missing-env": Text(
        "channel '{channel}': the environment variable {variable} ({field}) is not set",
        "通道“{channel}”：环境变量 {variable}（{field}）未设置",
    ),
    "notify.not-https": Text(
        "channel '{channel}': the webhook in {variable} must use https:// "
        "(http:// is allowed only for 127.0.0.1 and localhost)",
        "通道“{channel}”：{variable} 中的 webhook 必须使用 https://"
        "（只有 127.0.0.1 与 localhost 可以用 http://）",
    ),
    "notify.no-chat-id": Text(
        "channel '{channel}': {person} ({id}) has no {field} in the team directory; "
        "their reminder was not sent",
        "通道“{channel}”：团队名录中 {person}（{id}）没有 {field}，未发送其提醒",
    ),
    "notify.send-failed": Text("channel '{channel}': {reason}", "通道“{channel}”：{reason}"),
    "notify.error": Text("Error: {detail}", "错误：{detail}"),
    # Reasons a message was not delivered
    "notify.bad-signature": Text(
        "the platform rejected the signature ({code}: {detail}); check {variable} and the "
        "machine's clock",
        "平台拒绝了签名（{code}：{detail}）；请检查 {variable} 与本机时间",
    ),
    "notify.platform-error": Text(
        "the platform answered error {code}: {detail}", "平台返回错误 {code}：{detail}"
    ),
    "notify.http-error": Text("the server answered HTTP {status}", "服务器返回 HTTP {status}"),
    "notify.unreachable": Text(
        "cannot reach {endpoint}: {detail}", "无法连接 {endpoint}：{detail}"
    ),
    "notify.gave-up": Text("{reason} (after {tries} tries)", "{reason}（已尝试 {tries} 次）"),
    "notify.smtp-error": Text("the mail server refused: {detail}", "邮件服务器拒绝：{detail}"),
    # The summary
    "notify.summary": Text("Summary:", "汇总："),
    "notify.sent": Text(
        "  {channel} ({kind}): sent {count} message(s)", "  {channel}（{kind}）：已发送 {count} 条"
    ),
    "notify.would-send": Text(
        "  {channel} ({kind}): would send {count} message(s)",
        "  {channel}（{kind}）：将发送 {count} 条",
    ),
    "notify.failed": Text(
        "  {channel} ({kind}): sent {count} message(s); failed: {reason}",
        "  {channel}（{kind}）：已发送 {count} 条；失败：{reason}",
    ),
    "notify.not-configured": Text(
        "  {channel}: not sent: configuration error", "  {channel}：未发送：配置有误"
    ),
    "notify.dry-run-header": Text(
        "── {channel} ({kind}) → {endpoint} · message {number}/{total}",
        "── {channel}（{kind}）→ {endpoint} · 第 {number}/{total} 条",
    ),
    "notify.not-checked": Text(
        "nothing was sent: the scenarios have problems (run opsbook check)",
        "未发送任何消息：场景文件有问题（请运行 opsbook check）",
    ),
    # What the messages say
    "notify.weekly-title": Text("Weekly review · {team} · {as_of}", "周复盘 · {team} · {as_of}"),
    "notify.daily-title": Text("Reminder for {person} · {as_of}", "{person} 的待办提醒 · {as_of}"),
    "notify.part": Text(" ({number}/{total})", "（{number}/{total}）"),
    "notify.alert-line": Text(
        "[{level}] {scenario} — {metric}: actual {actual}, target {target}, achievement {rate}",
        "【{level}】{scenario} — {metric}：实际 {actual}，目标 {target}，达成率 {rate}",
    ),
    "notify.who-acts": Text(
        "acts: {owner} (scenario owner) · data: {supplier}",
        "处理人：{owner}（场景负责人）· 数据：{supplier}",
    ),
    "notify.item-line": Text(
        "{scenario} — {text} · {owner} · due {due}", "{scenario} — {text} · {owner} · 截止 {due}"
    ),
    "notify.item-overdue": Text(
        "{scenario} — {text} · {owner} · {late}", "{scenario} — {text} · {owner} · {late}"
    ),
    "notify.due-today": Text("Due today", "今天到期"),
    "notify.due-tomorrow": Text("Due tomorrow", "明天到期"),
    "notify.since": Text("Since the last review", "自上次复盘以来"),
    "notify.no-changes": Text("No change.", "没有变化。"),
    "notify.links": Text("Links", "链接"),
    "notify.site": Text("Knowledge base", "运营知识库"),
    "notify.pack": Text("Review pack", "复盘资料"),
    "notify.daily-intro": Text(
        "Please update the progress of your items today.", "请今天更新以下事项的进度。"
    ),
    "notify.nothing-due": Text("Nothing due or overdue.", "没有到期或逾期事项。"),
    "notify.nobody-due": Text(
        "daily: nobody has anything due today, tomorrow or overdue; nothing to send",
        "daily：今天、明天没有到期事项，也没有逾期事项；无需发送",
    ),
}
