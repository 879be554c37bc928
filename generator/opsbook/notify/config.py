"""The channels: the ``notify:`` block of the ``opsbook`` entry in mkdocs.yml.

Secrets (webhook URLs, signing secrets, SMTP passwords) are never written in the file: each
channel names the environment variables that hold them (``webhook_env``, ``secret_env``,
``password_env``), as SQL sources do with ``connection_env``. Every problem in every channel
is collected, so one run reports them all before anything is sent.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from opsbook.notify.messages import say

KINDS = ("feishu", "dingtalk", "wecom", "webhook", "email")
DIGESTS = ("weekly", "daily")
LOOPBACK = ("127.0.0.1", "localhost", "::1")  # plain http/SMTP only here: local tests, relays


@dataclass(frozen=True)
class RateLimit:
    """At most ``count`` messages in any ``seconds``-long window."""

    count: int
    seconds: float


# The platforms' documented limits: Feishu 5/s and 100/min; DingTalk and WeCom 20/min.
DEFAULT_LIMITS: Mapping[str, tuple[RateLimit, ...]] = {
    "feishu": (RateLimit(5, 1.0), RateLimit(100, 60.0)),
    "dingtalk": (RateLimit(20, 60.0),),
    "wecom": (RateLimit(20, 60.0),),
    "webhook": (),
    "email": (),
}


@dataclass(frozen=True)
class Mail:
    host: str
    port: int
    security: str  # ssl, starttls or none
    sender: str
    recipients: tuple[str, ...]
    username: str | None = None
    password: str | None = None


@dataclass(frozen=True)
class Channel:
    name: str
    kind: str
    url: str | None = None
    secret: str | None = None
    secret_variable: str | None = None
    digests: tuple[str, ...] = DIGESTS
    limits: tuple[RateLimit, ...] = ()
    tries: int = 4
    backoff: float = 1.0
    mail: Mail | None = None

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every value that must never be printed."""
        values = [self.url, self.secret, self.mail.password if self.mail else None]
        return tuple(v for v in values if v)


@dataclass(frozen=True)
class NotifySettings:
    channels: tuple[Channel, ...]
    site_url: str | None
    pack_url: str | None
    errors: tuple[tuple[str, str], ...] = ()  # (channel name, message)
    secrets: tuple[str, ...] = field(default=(), repr=False)


class _Problems:
    """The problems of one channel, worded in the user's language."""

    def __init__(self, name: str, kind: str, lang: str) -> None:
        self.name, self.kind, self.lang, self.found = name, kind, lang, []

    def add(self, key: str, **args: object) -> None:
        self.found.append(say(key, self.lang, channel=self.name, kind=self.kind, **args))


def read_settings(
    options: Mapping[str, Any], site_url: str | None, environ: Mapping[str, str], lang: str
) -> NotifySettings:
    block = options.get("notify") or {}
    entries = block.get("channels") if isinstance(block, dict) else None
    if not isinstance(entries, list) or not entries:
        return NotifySettings((), None, None, (("", say("no-channels", lang)),))
    channels: list[Channel] = []
    errors: list[tuple[str, str]] = []
    secrets: list[str] = []
    for index, entry in enumerate(entries, start=1):
        channel, problems = _channel(entry, index, environ, lang)
        secrets += _secret_values(entry, environ)
        errors += [(_name(entry, index), problem) for problem in problems]
        if channel is not None:
            channels.append(channel)
    return NotifySettings(
        tuple(channels), _text(block.get("site_url")) or site_url, _text(block.get("pack_url")),
        tuple(errors), tuple(dict.fromkeys(secrets)),
    )  # fmt: skip


def _text(value: Any) -> str | None:
    return str(value) if value else None


def _name(entry: Any, index: int) -> str:
    if isinstance(entry, dict) and entry.get("name"):
        return str(entry["name"])
    return str(entry.get("kind", f"#{index}")) if isinstance(entry, dict) else f"#{index}"


def _secret_values(entry: Any, environ: Mapping[str, str]) -> list[str]:
    """Whatever the channel's variables hold, even when the channel is broken."""
    if not isinstance(entry, dict):
        return []
    names = [entry.get(k) for k in ("webhook_env", "secret_env", "password_env")]
    return [environ[n] for n in names if isinstance(n, str) and environ.get(n)]


def _channel(
    entry: Any, index: int, environ: Mapping[str, str], lang: str
) -> tuple[Channel | None, list[str]]:
    if not isinstance(entry, dict):
        return None, [say("bad-channel", lang, index=index, reason="not a mapping")]
    name, kind = _name(entry, index), str(entry.get("kind", ""))
    problems = _Problems(name, kind, lang)
    if kind not in KINDS:
        problems.add("unknown-kind", known=", ".join(KINDS))
        return None, problems.found
    secret_variable = entry.get("secret_env")
    common = {
        "name": name, "kind": kind, "digests": _digests(entry, problems),
        "limits": _limits(entry, kind, problems), "tries": _int(entry, "tries", 4, problems),
        "backoff": _float(entry, "backoff_seconds", 1.0, problems),
        "secret": _variable(entry, "secret_env", environ, problems, required=False),
        "secret_variable": secret_variable,
    }  # fmt: skip
    if kind == "email":
        channel = Channel(**common, mail=_mail(entry, environ, problems))
    else:
        channel = Channel(**common, url=_webhook(entry, environ, problems))
    return (None if problems.found else channel), problems.found


def _variable(
    entry: Mapping[str, Any], key: str, environ: Mapping[str, str], problems: _Problems,
    *, required: bool,
) -> str | None:  # fmt: skip
    variable = entry.get(key)
    if variable is None:
        if required:
            problems.add("missing-field", field=key)
        return None
    value = environ.get(str(variable))
    if not value:
        problems.add("missing-env", variable=variable, field=key)
    return value or None


def _webhook(
    entry: Mapping[str, Any], environ: Mapping[str, str], problems: _Problems
) -> str | None:
    url = _variable(entry, "webhook_env", environ, problems, required=True)
    if url is None:
        return None
    parts = urllib.parse.urlsplit(url)
    local = parts.scheme == "http" and parts.hostname in LOOPBACK
    if not (parts.scheme == "https" and parts.hostname) and not local:
        problems.add("not-https", variable=entry["webhook_env"])
    return url


def _mail(entry: Mapping[str, Any], environ: Mapping[str, str], problems: _Problems) -> Mail:
    for key in ("host", "from"):
        if not entry.get(key):
            problems.add("missing-field", field=key)
    security = str(entry.get("security", "starttls"))
    if security not in ("ssl", "starttls", "none"):
        problems.add("bad-field", field="security", reason=": ssl, starttls, none")
    elif security == "none" and entry.get("host") not in LOOPBACK:
        problems.add("bad-field", field="security", reason=": none (127.0.0.1, localhost)")
    default_port = 465 if security == "ssl" else (587 if security == "starttls" else 25)
    to = entry.get("to") or []
    return Mail(
        host=str(entry.get("host", "")), port=_int(entry, "port", default_port, problems),
        security=security, sender=str(entry.get("from", "")),
        recipients=tuple(str(t) for t in (to if isinstance(to, list) else [to])),
        username=_variable(entry, "username_env", environ, problems, required=False),
        password=_variable(entry, "password_env", environ, problems, required=False),
    )  # fmt: skip


def _digests(entry: Mapping[str, Any], problems: _Problems) -> tuple[str, ...]:
    value = entry.get("digests", list(DIGESTS))
    if not isinstance(value, list) or not set(value) <= set(DIGESTS):
        problems.add("bad-field", field="digests", reason=": [weekly, daily]")
        return DIGESTS
    return tuple(value)


def _limits(entry: Mapping[str, Any], kind: str, problems: _Problems) -> tuple[RateLimit, ...]:
    """The platform's limits, or the channel's own (a stricter proxy, a test server)."""
    value = entry.get("rate_limit")
    if value is None:
        return DEFAULT_LIMITS[kind]
    try:
        return (RateLimit(int(value["messages"]), float(value["seconds"])),)
    except (TypeError, KeyError, ValueError):
        problems.add("bad-field", field="rate_limit", reason=": {messages: N, seconds: S}")
        return DEFAULT_LIMITS[kind]


def _int(entry: Mapping[str, Any], key: str, default: int, problems: _Problems) -> int:
    value = entry.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.add("bad-field", field=key, reason=": ≥ 1")
        return default
    return value


def _float(entry: Mapping[str, Any], key: str, default: float, problems: _Problems) -> float:
    value = entry.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        problems.add("bad-field", field=key, reason=": ≥ 0")
        return default
    return float(value)
