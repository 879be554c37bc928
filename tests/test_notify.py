"""``opsbook notify`` against real servers on loopback: Feishu, DingTalk and WeCom bots that
check signatures, sizes and rates as the platforms do, a JSON webhook and an SMTP server."""

from __future__ import annotations

import email
import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from email.policy import default as email_policy
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from conftest import ROOT, SHIPPED_AS_OF, opsbook_env
from notify_servers import MailServer, Platform, PlatformServer

Run = Callable[..., subprocess.CompletedProcess[str]]
SECRETS = {
    "feishu": "feishu-signing-s3cret",
    "dingtalk": "SECdingtalk-s3cret",
    "webhook": "hook-s3cret",
}
ENV = {"feishu": "OPSBOOK_FEISHU", "dingtalk": "OPSBOOK_DINGTALK", "wecom": "OPSBOOK_WECOM",
       "webhook": "OPSBOOK_HOOK"}  # fmt: skip
# The first alert of the shipped scenarios: its headline metric (first-order conversion,
# 90%) is on track; the coupon redemption rate is the worst core metric and sets the level.
ALERT = "[Critical] 新用户首单转化 — 新人券核销率: actual 29.5%, target ≥ 40%, achievement 73.8%"
OVERDUE = "新用户首单转化 — 下单必填项精简至3项 · "


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "scenarios", root / "scenarios")
    return root


def _configure(root: Path, channels: list[dict[str, Any]], **extra: Any) -> None:
    notify = {
        "site_url": "https://ops.example.com/",
        "pack_url": "https://ops.example.com/review.pdf",
    }
    options = {"scenarios": "scenarios", "team": "scenarios/team.yaml", "lang": "zh-CN",
               "as_of": SHIPPED_AS_OF, "notify": {**notify, "channels": channels, **extra}}  # fmt: skip
    config = {"site_name": "t", "plugins": [{"opsbook": options}]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def _channel(kind: str, name: str | None = None, **options: Any) -> dict[str, Any]:
    entry = {"name": name or kind, "kind": kind, "webhook_env": f"{ENV[kind]}_WEBHOOK"}
    if kind in SECRETS:
        entry["secret_env"] = f"{ENV[kind]}_SECRET"
    return {**entry, "backoff_seconds": 0.1, **options}


def _environment(
    tmp_path: Path, servers: dict[str, PlatformServer], **extra: str
) -> dict[str, str]:
    values = {}
    for kind, server in servers.items():
        values[f"{ENV[kind]}_WEBHOOK"] = server.url
        if kind in SECRETS:
            values[f"{ENV[kind]}_SECRET"] = SECRETS[kind]
    return opsbook_env(tmp_path, **(values | extra))


def _notify(
    run: Run, root: Path, env: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    """Run the command; whatever happens, no secret value is ever printed."""
    done = run("notify", *args, cwd=root, env=env)
    for name, value in env.items():
        if name.startswith("OPSBOOK_") and name != "OPSBOOK_CACHE_DIR":
            secret = value.rsplit("/", 1)[-1] if name.endswith("_WEBHOOK") else value
            assert secret not in done.stdout + done.stderr, name
    return done


@pytest.fixture
def servers() -> Iterator[dict[str, PlatformServer]]:
    platforms = {
        "feishu": Platform("feishu", secret=SECRETS["feishu"]),
        "dingtalk": Platform("dingtalk", secret=SECRETS["dingtalk"]),
        "wecom": Platform("wecom"),
        "webhook": Platform("webhook", secret=SECRETS["webhook"]),
    }
    with ExitStack() as stack:
        yield {k: stack.enter_context(PlatformServer(p)) for k, p in platforms.items()}


def _feishu_lines(message: dict[str, Any]) -> list[str]:
    (post,) = message["content"]["post"].values()
    return ["".join(e.get("text") or f"@{e.get('user_id')}" for e in p) for p in post["content"]]


def _mail_server_channel(port: int) -> dict[str, Any]:
    return {"name": "mail", "kind": "email", "host": "127.0.0.1", "port": port,
            "security": "none", "from": "ops@example.com", "to": ["team@example.com"]}  # fmt: skip


def test_the_weekly_digest_reaches_every_platform(
    run_opsbook: Run, project: Path, tmp_path: Path, servers: dict[str, PlatformServer]
) -> None:
    with MailServer() as mail:
        _configure(project, [_channel(k) for k in servers] + [_mail_server_channel(mail.port)])
        done = _notify(
            run_opsbook,
            project,
            _environment(tmp_path, servers),
            "--digest",
            "weekly",
            "--lang",
            "en",
        )
        messages = mail.messages
    received = {k: s.platform.received for k, s in servers.items()}
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        "Summary:\n  feishu (feishu): sent 1 message(s)\n  dingtalk (dingtalk): sent 1 message(s)\n"
        f"  wecom (wecom): sent {len(received['wecom'])} message(s)\n"
        "  webhook (webhook): sent 1 message(s)\n  mail (email): sent 1 message(s)\n"
    )
    feishu = _feishu_lines(received["feishu"][0])
    owner_id = "@ou_18e89c8575299a72a4421b350da727a8"  # 李娜, the scenario's owner
    assert feishu[0:3] == [
        "Alerts (5)",
        f"• {ALERT} ecommerce-new-user-first-order",
        f"acts: {owner_id} (scenario owner) · data: 徐涛",
    ]
    assert (
        f"• {OVERDUE}@ou_d4b1bc3e22a27e6a86adf2beca0e5803 · 10 d overdue (since 2026-06-12)"
        in feishu
    )
    links = [
        e
        for p in received["feishu"][0]["content"]["post"]["en_us"]["content"]
        for e in p
        if e["tag"] == "a"
    ]
    assert links[0]["href"] == "https://ops.example.com/scenarios/ecommerce-new-user-first-order/"
    assert links[-1] == {
        "tag": "a",
        "text": "Review pack",
        "href": "https://ops.example.com/review.pdf",
    }
    ding = received["dingtalk"][0]
    assert (
        "- \\[Critical\\] 新用户首单转化 — 新人券核销率: actual 29.5%" in ding["markdown"]["text"]
    )
    assert "acts: @ops_li (scenario owner) · data: 徐涛" in ding["markdown"]["text"]
    assert "ops_li" in ding["at"]["atUserIds"] and ding["at"]["isAtAll"] is False
    wecom = "\n".join(m["markdown"]["content"] for m in received["wecom"])
    assert "acts: <@ops_li> (scenario owner) · data: 徐涛" in wecom
    schema = json.loads(
        (ROOT / "schema" / "notify-webhook.schema.json").read_text(encoding="utf-8")
    )
    (payload,) = received["webhook"]
    jsonschema.validate(payload, schema, format_checker=jsonschema.FormatChecker())
    assert payload["lines"][1]["text"] == f"{ALERT} ecommerce-new-user-first-order"
    assert payload["lines"][2] == {"style": "text", "text": "acts: @李娜 (scenario owner) · data: 徐涛",
                                   "mentions": ["ops.li"], "links": []}  # fmt: skip
    ((recipients, raw),) = messages
    message = email.message_from_bytes(raw, policy=email_policy)
    assert recipients == ["team@example.com"]
    assert message["Subject"] == "Weekly review · 星河增长运营中心 · 2026-06-22"
    assert (
        f"  • {ALERT} ecommerce-new-user-first-order <https://ops.example.com/scenarios/ecommerce-new-user-first-order/>\n"
        in message.get_content()
    )


def test_daily_reminders_mention_each_person(
    run_opsbook: Run, project: Path, tmp_path: Path, servers: dict[str, PlatformServer]
) -> None:
    _configure(project, [_channel("feishu"), _channel("dingtalk")])
    done = _notify(run_opsbook, project, _environment(tmp_path, servers), "--digest", "daily")
    assert (done.returncode, done.stderr) == (0, "")
    assert (
        done.stdout
        == "汇总：\n  feishu（feishu）：已发送 9 条\n  dingtalk（dingtalk）：已发送 9 条\n"
    )
    first = _feishu_lines(servers["feishu"].platform.received[0])
    assert first == [
        "@ou_d4b1bc3e22a27e6a86adf2beca0e5803 请今天更新以下事项的进度。",  # 孙浩
        "已逾期 (2)",
        "• 新用户首单转化 — 下单必填项精简至3项 · 孙浩 · 已逾期 10 天（2026-06-12 起）",
        "• 试用客户付费转化 — 产品内上线新手引导清单（导入数据→邀请成员→创建首个项目） · 孙浩 · "
        "已逾期 7 天（2026-06-15 起）",
        "链接",
        "• 孙浩",
    ]
    titles = [m["markdown"]["title"] for m in servers["dingtalk"].platform.received]
    assert titles[0] == "孙浩 的待办提醒 · 2026-06-22"
    for message in servers["dingtalk"].platform.received:
        (user,) = message["at"]["atUserIds"]
        assert message["markdown"]["text"].split("\n\n")[1].startswith(f"@{user} 请今天更新")


def test_a_long_digest_is_split_in_order_within_the_limit(
    run_opsbook: Run, project: Path, tmp_path: Path, servers: dict[str, PlatformServer]
) -> None:
    _configure(project, [_channel("wecom"), _channel("webhook")])
    done = _notify(
        run_opsbook, project, _environment(tmp_path, servers), "--digest", "weekly", "--lang", "en"
    )
    assert done.returncode == 0, done.stderr
    parts = [m["markdown"]["content"] for m in servers["wecom"].platform.received]
    total = len(parts)
    assert total >= 2
    assert all(len(p.encode("utf-8")) <= 4096 for p in parts)
    titles = [p.split("\n", 1)[0] for p in parts]
    assert titles == [
        f"**Weekly review · 星河增长运营中心 · 2026-06-22 ({n}/{total})**"
        for n in range(1, total + 1)
    ]
    body = [line for p in parts for line in p.split("\n")[1:]]
    (whole,) = servers["webhook"].platform.received
    assert len(body) == len(whole["lines"])  # no line lost, none cut
    headings = [line for line in body if line.startswith("**")]
    assert headings == ["**Alerts (5)**", "**Overdue (14)**", "**Due this week (6)**",
                        "**Since the last review**", "**Links**"]  # fmt: skip


def test_the_client_keeps_to_the_rate_and_retries_when_refused(
    run_opsbook: Run, project: Path, tmp_path: Path
) -> None:
    polite, eager = Platform("wecom", rate=(3, 2.0)), Platform("wecom", rate=(3, 2.0))
    with PlatformServer(polite) as first, PlatformServer(eager) as second:
        _configure(project, [
            _channel("wecom", "polite", rate_limit={"messages": 3, "seconds": 2}),
            {**_channel("wecom", "eager", rate_limit={"messages": 100, "seconds": 1}),
             "webhook_env": "OPSBOOK_WECOM2_WEBHOOK", "backoff_seconds": 0.5, "tries": 5},
        ])  # fmt: skip
        env = _environment(tmp_path, {"wecom": first}, OPSBOOK_WECOM2_WEBHOOK=second.url)
        done = _notify(run_opsbook, project, env, "--digest", "daily", "--lang", "en")
    assert (done.returncode, done.stderr) == (0, "")
    assert (
        done.stdout
        == "Summary:\n  polite (wecom): sent 9 message(s)\n  eager (wecom): sent 9 message(s)\n"
    )
    assert polite.refused == [] and len(polite.received) == 9
    assert eager.refused and {r["errcode"] for r in eager.refused} == {45009}
    assert len(eager.received) == 9


def test_http_errors_are_retried_then_reported(
    run_opsbook: Run, project: Path, tmp_path: Path
) -> None:
    flaky = Platform("webhook", fail_next=[503, 429])
    down = Platform("webhook", fail_next=[500] * 10)
    with PlatformServer(flaky) as first, PlatformServer(down) as second:
        _configure(project, [
            {**_channel("webhook", "flaky"), "secret_env": None},
            {"name": "down", "kind": "webhook", "webhook_env": "DOWN_URL", "tries": 3, "backoff_seconds": 0.1},
        ])  # fmt: skip
        env = opsbook_env(tmp_path, OPSBOOK_HOOK_WEBHOOK=first.url, DOWN_URL=second.url)
        done = _notify(run_opsbook, project, env, "--digest", "weekly", "--lang", "en")
    assert done.returncode == 1
    assert done.stderr == "Error: channel 'down': the server answered HTTP 500 (after 3 tries)\n"
    assert done.stdout == (
        "Summary:\n  flaky (webhook): sent 1 message(s)\n"
        "  down (webhook): sent 0 message(s); failed: the server answered HTTP 500 (after 3 tries)\n"
    )
    assert len(flaky.received) == 1 and down.fail_next == [500] * 7


def test_a_bad_signature_is_reported_and_the_other_channels_still_send(
    run_opsbook: Run, project: Path, tmp_path: Path, servers: dict[str, PlatformServer]
) -> None:
    _configure(project, [_channel("feishu"), _channel("dingtalk"), _channel("webhook")])
    env = _environment(tmp_path, servers, OPSBOOK_FEISHU_SECRET="not-the-secret",
                       OPSBOOK_DINGTALK_SECRET="SECnot-the-secret")  # fmt: skip
    done = _notify(run_opsbook, project, env, "--digest", "weekly", "--lang", "en")
    feishu_reason = ("the platform rejected the signature (19021: sign match fail or timestamp is "
                     "not within one hour from current time); check OPSBOOK_FEISHU_SECRET and the "
                     "machine's clock")  # fmt: skip
    ding_reason = ("the platform rejected the signature (310000: sign not match); check "
                   "OPSBOOK_DINGTALK_SECRET and the machine's clock")  # fmt: skip
    assert done.returncode == 1
    assert done.stderr == (f"Error: channel 'feishu': {feishu_reason}\n"
                           f"Error: channel 'dingtalk': {ding_reason}\n")  # fmt: skip
    assert done.stdout == (
        f"Summary:\n  feishu (feishu): sent 0 message(s); failed: {feishu_reason}\n"
        f"  dingtalk (dingtalk): sent 0 message(s); failed: {ding_reason}\n"
        "  webhook (webhook): sent 1 message(s)\n"
    )
    assert len(servers["webhook"].platform.received) == 1
    assert servers["feishu"].platform.received == []


def test_configuration_errors_are_reported_together(
    run_opsbook: Run, project: Path, tmp_path: Path, servers: dict[str, PlatformServer]
) -> None:
    _configure(project, [
        {"name": "slack", "kind": "slack", "webhook_env": "X"},
        {"name": "ding", "kind": "dingtalk", "webhook_env": "OPSBOOK_MISSING_WEBHOOK"},
        {"name": "plain", "kind": "wecom", "webhook_env": "OPSBOOK_PLAIN_WEBHOOK"},
        _channel("webhook"),
    ])  # fmt: skip
    env = _environment(tmp_path, {"webhook": servers["webhook"]},
                       OPSBOOK_PLAIN_WEBHOOK="http://qyapi.example.com/cgi-bin/webhook/send?key=k3y-plain")  # fmt: skip
    done = _notify(run_opsbook, project, env, "--digest", "weekly", "--lang", "en")
    assert done.returncode == 1
    assert done.stderr == (
        "Error: channel 'slack': unknown kind 'slack'; use one of feishu, dingtalk, wecom, webhook, email\n"
        "Error: channel 'ding': the environment variable OPSBOOK_MISSING_WEBHOOK (webhook_env) is not set\n"
        "Error: channel 'plain': the webhook in OPSBOOK_PLAIN_WEBHOOK must use https:// "
        "(http:// is allowed only for 127.0.0.1 and localhost)\n"
    )
    assert done.stdout == (
        "Summary:\n  webhook (webhook): sent 1 message(s)\n  slack: not sent: configuration error\n"
        "  ding: not sent: configuration error\n  plain: not sent: configuration error\n"
    )
    zh = _notify(run_opsbook, project, env, "--digest", "weekly", "--channel", "slack")
    assert (zh.returncode, zh.stdout) == (1, "")
    assert (
        zh.stderr
        == "错误：通道“slack”：未知类型“slack”；可选 feishu, dingtalk, wecom, webhook, email\n"
    )


def test_a_person_without_a_chat_id_is_named(
    run_opsbook: Run, project: Path, tmp_path: Path, servers: dict[str, PlatformServer]
) -> None:
    team = project / "scenarios" / "team.yaml"
    text = team.read_text(encoding="utf-8")
    team.write_text(text.replace(", wecom: eng_sun}", "}"), encoding="utf-8")
    _configure(project, [_channel("wecom"), _channel("feishu")])
    done = _notify(
        run_opsbook, project, _environment(tmp_path, servers), "--digest", "daily", "--lang", "en"
    )
    assert done.returncode == 1
    assert done.stderr == (
        "Error: channel 'wecom': 孙浩 (eng.sun) has no wecom in the team directory; "
        "their reminder was not sent\n"
    )
    assert (
        done.stdout
        == "Summary:\n  wecom (wecom): sent 8 message(s)\n  feishu (feishu): sent 9 message(s)\n"
    )


def test_dry_run_shows_the_bodies_and_sends_nothing(
    run_opsbook: Run, project: Path, tmp_path: Path, servers: dict[str, PlatformServer]
) -> None:
    _configure(project, [_channel("feishu"), _channel("webhook")])
    env = _environment(tmp_path, servers)
    done = _notify(run_opsbook, project, env, "--digest", "weekly", "--dry-run", "--lang", "en")
    assert (done.returncode, done.stderr) == (0, "")
    port = servers["feishu"].server.server_address[1]
    header = (
        f"── feishu (feishu) → http://127.0.0.1:{port}/open-apis/bot/v2/hook/•••• · message 1/1\n"
    )
    assert done.stdout.startswith(header + '{\n  "msg_type": "post",\n')
    assert f'"text": "{ALERT}"' in done.stdout
    assert done.stdout.endswith(
        "Summary:\n  feishu (feishu): would send 1 message(s)\n  webhook (webhook): would send 1 message(s)\n"
    )
    assert '"sign"' not in done.stdout
    assert all(s.platform.received == [] for s in servers.values())
    again = _notify(run_opsbook, project, env, "--digest", "weekly", "--dry-run", "--lang", "en")
    assert again.stdout == done.stdout  # deterministic


def test_the_team_sample_carries_chat_ids() -> None:
    team = yaml.safe_load((ROOT / "scenarios" / "team.yaml").read_text(encoding="utf-8"))
    assert all(
        set(p["chat"]) == {"feishu", "dingtalk", "dingtalk_mobile", "wecom"} for p in team["people"]
    )
