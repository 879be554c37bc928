"""Delivery: each platform's signature, a client-side rate limiter, retries with backoff.

Rate limits and transient failures (HTTP 429 and 5xx, the platforms' "too fast" codes) are
retried with exponential backoff; a rejected signature or any other platform error is final.
"""

from __future__ import annotations

import base64
import collections
import hashlib
import hmac
import json
import smtplib
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from opsbook.check.diagnostics import Diagnostic
from opsbook.notify.config import Channel, RateLimit
from opsbook.notify.render import Payload, body_bytes
from opsbook.support.errors import OpsbookError

TIMEOUT = 30  # seconds for one request
REDACTED = "••••"
# The platforms' own codes: (retry: too fast, final: signature rejected), from their docs.
RATE_CODES: Mapping[str, frozenset[int]] = {
    "feishu": frozenset({11232}),
    "dingtalk": frozenset({410100, 130101}),
    "wecom": frozenset({45009}),
}
SIGNATURE_CODES: Mapping[str, frozenset[int]] = {
    "feishu": frozenset({19021}),
    "dingtalk": frozenset({310000}),
}


class _NotifyError(OpsbookError):
    """A delivery problem as a diagnostic (``notify.<key>`` and its arguments, no location),
    worded in the channel's language when shown."""

    def __init__(self, key: str, lang: str, /, **args: object) -> None:
        self.diagnostic = Diagnostic(f"notify.{key}", args=args)
        super().__init__(self.diagnostic.message(lang))


class SendError(_NotifyError):
    """A message could not be delivered; the text says why (no secret in it)."""


class _RetryError(_NotifyError):
    """A transient refusal: try again after a pause."""


def redact_url(url: str) -> str:
    """scheme://host/path-prefix/•••• — the token (last path segment or query) never shows."""
    parts = urllib.parse.urlsplit(url)
    prefix = parts.path.rsplit("/", 1)[0] if parts.path.count("/") > 1 else ""
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{prefix}/{REDACTED}"


def feishu_sign(secret: str, timestamp: int) -> str:
    """Feishu: HMAC-SHA256 keyed with "timestamp\\nsecret" over an empty message, Base64."""
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk: HMAC-SHA256 keyed with the secret over "timestamp\\nsecret", Base64 (the
    caller URL-encodes it into the query)."""
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@dataclass
class Limiter:
    """Sleeps before a send that would exceed any of the channel's limits."""

    limits: tuple[RateLimit, ...]
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    sent: collections.deque[float] = field(default_factory=collections.deque)

    def wait(self) -> None:
        for limit in self.limits:
            recent = [t for t in self.sent if t > self.clock() - limit.seconds]
            if len(recent) >= limit.count:
                # the oldest send in the window must leave it, plus a margin for clock skew
                self.sleep(recent[-limit.count] + limit.seconds - self.clock() + 0.05)
        self.sent.append(self.clock())
        longest = max((limit.seconds for limit in self.limits), default=0.0)
        while self.sent and self.sent[0] < self.clock() - longest:
            self.sent.popleft()


class Sender:
    """Sends the messages of one channel, in order."""

    def __init__(self, channel: Channel, lang: str, sleep: Callable[[float], None] = time.sleep):
        self.channel, self.lang, self.sleep = channel, lang, sleep
        self.limiter = Limiter(channel.limits, sleep)

    @property
    def endpoint(self) -> str:
        if self.channel.mail is not None:
            mail = self.channel.mail
            return f"smtp{'s' if mail.security == 'ssl' else ''}://{mail.host}:{mail.port}"
        return redact_url(self.channel.url or "")

    def send(self, payload: Payload, recipients: tuple[str, ...] = ()) -> None:
        reason: object = ""
        for attempt in range(self.channel.tries):
            if attempt:
                self.sleep(self.channel.backoff * 2 ** (attempt - 1))
            self.limiter.wait()
            try:
                self._deliver(payload, recipients)
                return
            except _RetryError as retry:
                reason = retry.diagnostic
        raise SendError("gave-up", self.lang, reason=reason, tries=self.channel.tries)

    def _deliver(self, payload: Payload, recipients: tuple[str, ...]) -> None:
        if self.channel.kind == "email":
            send_mail(self.channel, payload, recipients, self.lang)
        else:
            self._post(payload)

    def _post(self, payload: Payload) -> None:
        url, body = self._signed(payload)
        request = urllib.request.Request(url, data=body_bytes(body), method="POST")
        request.add_header("Content-Type", "application/json; charset=utf-8")
        if self.channel.kind == "webhook" and self.channel.secret:
            digest = hmac.new(self.channel.secret.encode(), body_bytes(body), hashlib.sha256)
            request.add_header("X-Opsbook-Signature", f"sha256={digest.hexdigest()}")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                answer = response.read()
        except urllib.error.HTTPError as error:
            self._http_error(error.code)
        except (urllib.error.URLError, OSError) as error:
            detail = getattr(error, "reason", error)
            raise SendError(
                "unreachable", self.lang, endpoint=self.endpoint, detail=detail
            ) from None
        else:
            self._check_answer(answer)

    def _signed(self, payload: Payload) -> tuple[str, Payload]:
        url, secret = self.channel.url or "", self.channel.secret
        if not secret:
            return url, payload
        if self.channel.kind == "feishu":
            stamp = int(time.time())
            return url, {"timestamp": str(stamp), "sign": feishu_sign(secret, stamp), **payload}
        if self.channel.kind == "dingtalk":
            stamp = int(time.time() * 1000)
            sign = urllib.parse.quote_plus(dingtalk_sign(secret, stamp))
            joiner = "&" if "?" in url else "?"
            return f"{url}{joiner}timestamp={stamp}&sign={sign}", payload
        return url, payload

    def _http_error(self, status: int) -> None:
        if status == 429 or status >= 500:
            raise _RetryError("http-error", self.lang, status=status)
        raise SendError("http-error", self.lang, status=status)

    def _check_answer(self, answer: bytes) -> None:
        """Feishu, DingTalk and WeCom report errors as JSON with HTTP 200."""
        if self.channel.kind == "webhook":
            return
        try:
            data: Any = json.loads(answer or b"{}")
        except ValueError:
            return
        code = data.get("code", data.get("errcode", 0)) if isinstance(data, dict) else 0
        if not code:
            return
        detail = data.get("msg", data.get("errmsg", ""))
        if code in RATE_CODES.get(self.channel.kind, ()):
            raise _RetryError("platform-error", self.lang, code=code, detail=detail)
        if code in SIGNATURE_CODES.get(self.channel.kind, ()):
            variable = self.channel.secret_variable or "secret_env"
            raise SendError("bad-signature", self.lang, code=code, detail=detail, variable=variable)
        raise SendError("platform-error", self.lang, code=code, detail=detail)


def send_mail(channel: Channel, payload: Payload, recipients: tuple[str, ...], lang: str) -> None:
    mail = channel.mail
    assert mail is not None
    message = EmailMessage()
    message["Subject"] = payload["subject"]
    message["From"] = mail.sender
    message["To"] = ", ".join(recipients)
    message.set_content(payload["text"])
    try:
        with _smtp(mail.host, mail.port, mail.security) as smtp:
            if mail.username and mail.password:
                smtp.login(mail.username, mail.password)
            smtp.send_message(message)
    except smtplib.SMTPResponseException as error:
        detail = f"{error.smtp_code} {error.smtp_error.decode('utf-8', 'replace')}"
        if 400 <= error.smtp_code < 500:  # temporary: try again
            raise _RetryError("smtp-error", lang, detail=detail) from None
        raise SendError("smtp-error", lang, detail=detail) from None
    except (smtplib.SMTPException, OSError) as error:
        raise SendError("smtp-error", lang, detail=error) from None


def _smtp(host: str, port: int, security: str) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if security == "ssl":
        return smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=context)
    smtp = smtplib.SMTP(host, port, timeout=TIMEOUT)
    if security == "starttls":
        smtp.starttls(context=context)
    return smtp
