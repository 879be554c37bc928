"""Chat platforms on loopback, for ``opsbook notify`` tests: each checks what its real
counterpart checks (signature by the platform's documented algorithm, timestamp age, body
size, rate) and answers with the platform's real error codes, and records what it accepted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

OK = {"feishu": {"code": 0, "msg": "success", "data": {}}, "dingtalk": {"errcode": 0, "errmsg": "ok"},
      "wecom": {"errcode": 0, "errmsg": "ok"}, "webhook": {"ok": True}}  # fmt: skip


@dataclass
class Platform:
    kind: str  # feishu, dingtalk, wecom or webhook
    token: str = "tok3n-SECRET-in-url"
    secret: str | None = None
    rate: tuple[int, float] = (1000, 60.0)  # at most N messages in any S seconds
    fail_next: list[int] = field(default_factory=list)  # HTTP statuses to answer first
    received: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)  # the error answers given
    stamps: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def path(self) -> str:
        return {
            "feishu": f"/open-apis/bot/v2/hook/{self.token}",
            "dingtalk": f"/robot/send?access_token={self.token}",
            "wecom": f"/cgi-bin/webhook/send?key={self.token}",
            "webhook": f"/hooks/{self.token}",
        }[self.kind]

    def answer(self, path: str, headers: Any, body: bytes) -> tuple[int, dict[str, Any]]:
        with self.lock:
            if self.fail_next:
                return self.fail_next.pop(0), {"error": "try later"}
            error = self._problem(path, headers, body)
            if error is not None:
                self.refused.append(error)
                return 200, error
            self.stamps.append(time.monotonic())
            self.received.append(json.loads(body))
            return 200, OK[self.kind]

    def _problem(self, path: str, headers: Any, body: bytes) -> dict[str, Any] | None:
        url = urllib.parse.urlsplit(path)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        return getattr(self, f"_{self.kind}")(url.path, query, headers, body)

    def _too_fast(self) -> bool:
        count, seconds = self.rate
        return len([t for t in self.stamps if t > time.monotonic() - seconds]) >= count

    def _feishu(self, path: str, query: dict[str, str], headers: Any, body: bytes) -> Any:
        if path != f"/open-apis/bot/v2/hook/{self.token}":
            return {"code": 19001, "msg": "param invalid: incoming webhook access token invalid"}
        if len(body) > 20 * 1024:
            return {"code": 9499, "msg": "Bad Request"}
        data = json.loads(body)
        if self.secret is not None:
            stamp = int(data.get("timestamp", "0"))
            key = f"{stamp}\n{self.secret}".encode()
            expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
            if abs(time.time() - stamp) > 3600 or data.get("sign") != expected:
                return {
                    "code": 19021,
                    "msg": "sign match fail or timestamp is not within one hour from current time",
                }
        if self._too_fast():
            return {"code": 11232, "msg": "frequency limited psm[lark.oapi.app_platform_runtime]"}
        return None

    def _dingtalk(self, path: str, query: dict[str, str], headers: Any, body: bytes) -> Any:
        if path != "/robot/send" or query.get("access_token") != self.token:
            return {"errcode": 300001, "errmsg": "token is not exist"}
        if self.secret is not None:
            stamp = int(query.get("timestamp", "0"))
            message = f"{stamp}\n{self.secret}".encode()
            digest = hmac.new(self.secret.encode(), message, hashlib.sha256).digest()
            if (
                abs(time.time() * 1000 - stamp) > 3600_000
                or query.get("sign") != base64.b64encode(digest).decode()
            ):
                return {"errcode": 310000, "errmsg": "sign not match"}
        if len(body) > 20_000:
            return {"errcode": 460101, "errmsg": "message too long, exceed 20000 bytes"}
        if self._too_fast():
            return {"errcode": 410100, "errmsg": "send too fast, exceed 20 times per minute"}
        return None

    def _wecom(self, path: str, query: dict[str, str], headers: Any, body: bytes) -> Any:
        if path != "/cgi-bin/webhook/send" or query.get("key") != self.token:
            return {"errcode": 93000, "errmsg": "invalid webhook url"}
        content = json.loads(body)["markdown"]["content"]
        if len(content.encode("utf-8")) > 4096:
            return {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"}
        if self._too_fast():
            return {"errcode": 45009, "errmsg": "api freq out of limit"}
        return None

    def _webhook(self, path: str, query: dict[str, str], headers: Any, body: bytes) -> Any:
        if self.secret is not None:
            expected = "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
            if headers.get("X-Opsbook-Signature") != expected:
                return {"error": "bad signature"}
        return None


class PlatformServer:
    """One platform on http://127.0.0.1:<port>, served from a thread."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status, answer = owner.platform.answer(self.path, self.headers, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{self.platform.path}"

    def __enter__(self) -> PlatformServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class MailServer:
    """A real SMTP server (aiosmtpd) on loopback that keeps every message."""

    def __init__(self) -> None:
        self.mailbox = _Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[tuple[list[str], bytes]]:
        return self.mailbox.messages

    def __enter__(self) -> MailServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
