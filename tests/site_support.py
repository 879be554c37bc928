"""Helpers for the site tests: one real build shared by all of them, temporary projects, a
local web server.

The shipped scenarios are built once per test run, even under ``pytest -n 2``: the first
worker builds under a file lock in the run's shared temporary folder, the others reuse it.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import http.server
import os
import shutil
import socketserver
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

from conftest import ROOT, opsbook_env

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ARTIFACTS = ROOT / "test-artifacts"


def shared_dir(factory: pytest.TempPathFactory) -> Path:
    """A folder every xdist worker of this run sees (the run's base temp folder)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """``make(folder)`` exactly once per test run; every caller gets the folder."""
    root = shared_dir(factory)
    folder = root / name
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            make(folder)
            (folder / ".done").touch()
    return folder


def run(
    *args: str, cwd: Path, env: dict[str, str], timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opsbook", *args],
        cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8",
        timeout=timeout, check=False,
    )  # fmt: skip


def env_for(folder: Path) -> dict[str, str]:
    return opsbook_env(folder)  # its cache lives in folder/cache


MKDOCS_TEMPLATE = """\
site_name: {site_name}
docs_dir: site
site_dir: build/site
theme:
  name: material
  font: false
extra_css: [assets/stylesheets/opsbook.css]
markdown_extensions: [admonition, attr_list, tables]
plugins:
  - opsbook:
      scenarios: scenarios
      lang: {lang}
      as_of: 2026-06-22
      charts: {charts}
  - search:
      lang: [zh, en]
      pipeline: []
  - tags
"""


def make_project(
    folder: Path,
    scenarios: dict[str, str],
    *,
    lang: str = "zh-CN",
    charts: bool = False,
    site_name: str = "测试知识库",
) -> Path:
    """A small project: the shipped team and hand-written pages, the given scenario files."""
    (folder / "scenarios").mkdir(parents=True)
    shutil.copyfile(ROOT / "scenarios" / "team.yaml", folder / "scenarios" / "team.yaml")
    shutil.copytree(ROOT / "site", folder / "site")
    for name, text in scenarios.items():
        (folder / "scenarios" / name).write_text(text, encoding="utf-8")
    config = MKDOCS_TEMPLATE.format(site_name=site_name, lang=lang, charts=str(charts).lower())
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    return folder


def shipped(name: str) -> str:
    return (ROOT / "scenarios" / f"{name}.yaml").read_text(encoding="utf-8")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """A static web server on a free local port: ``http://127.0.0.1:PORT``."""
    handler = functools.partial(_QuietHandler, directory=os.fspath(root))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()


def _build_shipped(folder: Path, cache_root: Path) -> None:
    result = run("build", "-d", os.fspath(folder / "site"), cwd=ROOT, env=env_for(cache_root))
    (folder / "stdout").write_text(result.stdout, encoding="utf-8")
    (folder / "stderr").write_text(result.stderr, encoding="utf-8")
    (folder / "returncode").write_text(str(result.returncode))


def _export_shipped(folder: Path, cache_root: Path) -> None:
    result = run(
        "export", "--format", "markdown", "-o", os.fspath(folder / "export"),
        cwd=ROOT, env=env_for(cache_root),
    )  # fmt: skip
    (folder / "stderr").write_text(result.stderr, encoding="utf-8")
    (folder / "returncode").write_text(str(result.returncode))


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``opsbook build`` of the shipped project, once per run: the folder holds ``site/``,
    ``stderr`` and ``returncode``."""
    cache_root = shared_dir(tmp_path_factory)
    return once(tmp_path_factory, "shipped-build", lambda f: _build_shipped(f, cache_root))


@pytest.fixture(scope="session")
def shipped_export(tmp_path_factory: pytest.TempPathFactory, shipped_site: Path) -> Path:
    """``opsbook export --format markdown`` of the shipped project, once per run (after the
    build, so the charts come from the shared cache)."""
    cache_root = shared_dir(tmp_path_factory)
    return once(tmp_path_factory, "shipped-export", lambda f: _export_shipped(f, cache_root))


# Browser tests: one Chromium per test module, and the shipped site served over HTTP.


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def base_url(shipped_site: Path) -> Iterator[str]:
    assert (shipped_site / "returncode").read_text() == "0"
    with serve_directory(shipped_site / "site") as url:
        yield url
