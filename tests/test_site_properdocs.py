"""The shipped site built by ProperDocs (the MkDocs 1.6 fork) with the opsbook plugin.

ProperDocs is the supported engine for the day MkDocs Material is no longer maintained (see
site/guide/engines.md). It reads the same mkdocs.yml and runs the same plugins, so the site it
builds must be the MkDocs build, file for file, but for the ``generator`` meta tag that names
the engine. Both engines live in one environment: ProperDocs is the ``properdocs`` module and
command, and sends ``mkdocs.*`` imports to itself only inside its own process.
"""

# ruff: noqa: F811  (fixtures imported from site_support are arguments of the tests)
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from site_support import env_for, once, shared_dir, shipped_site  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _build_with_properdocs(folder: Path, cache_root: Path) -> None:
    properdocs = Path(sys.executable).with_name("properdocs")
    result = subprocess.run(
        [os.fspath(properdocs), "build", "-f", "mkdocs.yml", "-d", os.fspath(folder / "site")],
        cwd=ROOT, env=env_for(cache_root), capture_output=True, text=True, encoding="utf-8",
        timeout=600, check=False,
    )  # fmt: skip
    (folder / "stderr").write_text(result.stdout + result.stderr, encoding="utf-8")
    (folder / "returncode").write_text(str(result.returncode))


@pytest.fixture(scope="session")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory, shipped_site: Path) -> Path:
    """``properdocs build`` of the shipped project, once per run (after the MkDocs build, so
    the charts come from the shared cache)."""
    cache_root = shared_dir(tmp_path_factory)
    return once(
        tmp_path_factory, "properdocs-build", lambda f: _build_with_properdocs(f, cache_root)
    )


def _files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*")) if p.is_file()}


def test_properdocs_builds_the_shipped_site_with_the_plugin(properdocs_site: Path) -> None:
    log = (properdocs_site / "stderr").read_text(encoding="utf-8")
    assert (properdocs_site / "returncode").read_text() == "0", log
    assert re.search(r"opsbook: 10 scenarios checked in [\d.]+ s", log), log
    html = properdocs_site / "site" / "scenarios" / "ecommerce-new-user-first-order" / "index.html"
    text = html.read_text(encoding="utf-8")
    assert "<h1" in text and "新用户首单转化" in text and "执行监控（T3）" in text
    guide = (properdocs_site / "site" / "guide" / "method" / "index.html").read_text("utf-8")
    assert '<meta name="generator" content="mkdocs-ProperDocs 1.6.7, mkdocs-material-' in guide


def test_properdocs_writes_the_same_pages_as_mkdocs(
    properdocs_site: Path, shipped_site: Path
) -> None:
    mkdocs_files = _files(shipped_site / "site")
    properdocs_files = _files(properdocs_site / "site")
    assert sorted(properdocs_files) == sorted(mkdocs_files)
    assert sum(name.endswith(".html") for name in mkdocs_files) > 50
    different = [
        name
        for name, path in mkdocs_files.items()
        if GENERATOR.sub(b"", path.read_bytes())
        != GENERATOR.sub(b"", properdocs_files[name].read_bytes())
    ]
    assert different == []


def test_properdocs_indexes_the_same_segmented_chinese_words(
    properdocs_site: Path, shipped_site: Path
) -> None:
    index = (properdocs_site / "site" / "search" / "search_index.json").read_text("utf-8")
    assert index == (shipped_site / "site" / "search" / "search_index.json").read_text("utf-8")
    assert "​首单​" in index  # jieba's words, set apart by zero-width spaces
