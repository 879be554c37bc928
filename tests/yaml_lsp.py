"""A small Language Server Protocol client for yaml-language-server, as an editor drives it.

Only what the editor tests need: start the server over stdio, initialize, send the YAML
settings, open a document and collect the diagnostics it publishes. Every wait has a
deadline, and the server is killed on exit, so a hung server fails a test instead of hanging it.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

ROOT = Path(__file__).resolve().parents[1]
SERVER = ROOT / ".tools" / "node" / "node_modules" / ".bin" / "yaml-language-server"


class LspError(RuntimeError):
    pass


def _read_message(stream: BinaryIO) -> dict[str, Any] | None:
    """One JSON-RPC message (``Content-Length`` framed); ``None`` at end of stream."""
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        name, _, value = line.decode("ascii").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    if length is None:
        raise LspError("a message without Content-Length")
    return json.loads(stream.read(length))


class YamlLanguageServer:
    """``with YamlLanguageServer(root, settings) as server: server.diagnostics(path)``."""

    def __init__(self, root: Path, settings: Mapping[str, Any], timeout: float = 30) -> None:
        self.root = root
        self.settings = dict(settings)
        self.timeout = timeout
        self._next_id = 0
        self._incoming: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> YamlLanguageServer:
        if not SERVER.exists():
            raise LspError(f"{SERVER} is missing: run scripts/install-system-packages.sh")
        self._process = subprocess.Popen(
            [str(SERVER), "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=self.root,
            env={**os.environ, "NODE_NO_WARNINGS": "1"},
        )
        threading.Thread(target=self._reader, daemon=True).start()
        self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": self.root.as_uri(),
                "capabilities": {
                    "workspace": {"configuration": True},
                    "textDocument": {"publishDiagnostics": {"relatedInformation": False}},
                },
                "initializationOptions": {},
            },
        )
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": self.settings}})
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        process = self._process
        if process is None:
            return
        try:
            if process.poll() is None and kind is None:
                self.request("shutdown", None, timeout=5)
                self.notify("exit", None)
                process.wait(timeout=5)
        except (LspError, subprocess.TimeoutExpired, OSError):
            pass
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=5)

    # Wire.

    def _reader(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        try:
            while (message := _read_message(self._process.stdout)) is not None:
                self._incoming.put(message)
        finally:
            self._incoming.put(None)

    def _send(self, message: Mapping[str, Any]) -> None:
        assert self._process is not None and self._process.stdin is not None
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self._process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self._process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: Any, timeout: float | None = None) -> Any:
        self._next_id += 1
        wanted = self._next_id
        self._send({"id": wanted, "method": method, "params": params})
        reply = self._wait(lambda m: m.get("id") == wanted and "method" not in m, timeout)
        if "error" in reply:
            raise LspError(f"{method}: {reply['error']}")
        return reply.get("result")

    def _wait(self, accept: Any, timeout: float | None = None) -> dict[str, Any]:
        """The next message ``accept`` takes, answering the server's own requests meanwhile."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LspError("yaml-language-server did not answer in time")
            try:
                message = self._incoming.get(timeout=remaining)
            except queue.Empty:
                continue
            if message is None:
                raise LspError("yaml-language-server exited")
            if "method" in message and "id" in message:
                self._answer(message)
            elif accept(message):
                return message

    def _answer(self, message: Mapping[str, Any]) -> None:
        """workspace/configuration gets the YAML settings; other requests get null."""
        result: Any = None
        if message["method"] == "workspace/configuration":
            items = message.get("params", {}).get("items", [])
            result = [self.settings if i.get("section") == "yaml" else None for i in items]
        self._send({"id": message["id"], "result": result})

    # What the tests use.

    def open(self, path: Path) -> str:
        uri = path.resolve().as_uri()
        document = {"uri": uri, "languageId": "yaml", "version": 1, "text": path.read_text("utf-8")}
        self.notify("textDocument/didOpen", {"textDocument": document})
        return uri

    def diagnostics(self, paths: list[Path], settle: float = 0.5) -> dict[Path, list[Any]]:
        """Open ``paths`` and return the diagnostics the server publishes for each.

        The server may publish more than once while it loads a schema: once every file has
        had its diagnostics, the last lists published within ``settle`` seconds count.
        """
        uris = {self.open(path): path for path in paths}
        found: dict[Path, list[Any]] = {}

        def published(message: dict[str, Any]) -> bool:
            return (
                message.get("method") == "textDocument/publishDiagnostics"
                and message["params"]["uri"] in uris
            )

        while len(found) < len(uris):
            params = self._wait(published)["params"]
            found[uris[params["uri"]]] = params["diagnostics"]
        while True:
            try:
                params = self._wait(published, timeout=settle)["params"]
            except LspError:
                return found
            found[uris[params["uri"]]] = params["diagnostics"]

    def hover(self, path: Path, line: int, character: int) -> str:
        """The hover text at a 0-based position of an opened document."""
        position = {"line": line, "character": character}
        uri = path.resolve().as_uri()
        result = self.request(
            "textDocument/hover", {"textDocument": {"uri": uri}, "position": position}
        )
        contents = (result or {}).get("contents", "")
        return contents.get("value", "") if isinstance(contents, dict) else str(contents)

    def completion(self, path: Path, line: int, character: int) -> list[dict[str, Any]]:
        """The completion items at a 0-based position of an opened document."""
        position = {"line": line, "character": character}
        uri = path.resolve().as_uri()
        result = self.request(
            "textDocument/completion", {"textDocument": {"uri": uri}, "position": position}
        )
        return result.get("items", []) if isinstance(result, dict) else list(result or [])
