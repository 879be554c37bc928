"""``opsbook export --format markdown``: golden pages, and a tree Zensical builds as it is.

The exported Markdown is byte for byte what the MkDocs plugin hands to MkDocs, so the golden
files pin the generated pages. Update them only on purpose:
``OPSBOOK_UPDATE_GOLDEN=1 pytest tests/test_site_export.py``.
"""

# ruff: noqa: F811  (fixtures imported from site_support are arguments of the tests)
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from site_support import shipped_export, shipped_site  # noqa: F401  (fixtures)

GOLDEN = ROOT / "tests" / "golden" / "site"
GOLDEN_PAGES = [
    "scenarios/ecommerce-new-user-first-order.md",
    "scenarios/saas-renewal-expansion.md",
    "scenarios/local-store-groupbuy-traffic.md",
    "index.md",
    "people/data.xu.md",
]


def test_the_export_succeeds(shipped_export: Path) -> None:
    stderr = (shipped_export / "stderr").read_text()
    assert (shipped_export / "returncode").read_text() == "0", stderr
    assert stderr.startswith("opsbook：已导出 ") and "个文件，位于" in stderr


@pytest.mark.parametrize("path", GOLDEN_PAGES)
def test_generated_pages_match_the_golden_files(shipped_export: Path, path: str) -> None:
    produced = (shipped_export / "export" / "docs" / path).read_bytes()
    golden = GOLDEN / path
    if os.environ.get("OPSBOOK_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(produced)
    assert golden.is_file(), f"no golden file {golden}: run with OPSBOOK_UPDATE_GOLDEN=1"
    assert produced.decode() == golden.read_text(encoding="utf-8")


def test_the_export_config_needs_no_opsbook_plugin(shipped_export: Path) -> None:
    config = yaml.safe_load((shipped_export / "export" / "mkdocs.yml").read_text())
    assert config["docs_dir"] == "docs"
    assert config["theme"]["language"] == "zh"
    assert config["theme"]["font"] is False
    names = [p if isinstance(p, str) else next(iter(p)) for p in config["plugins"]]
    assert names == ["search", "tags"]
    assert config["nav"][0] == {"运营看板": "index.md"}
    hand_written = shipped_export / "export" / "docs" / "guide" / "method.md"
    assert hand_written.read_bytes() == (ROOT / "site" / "guide" / "method.md").read_bytes()


def test_zensical_builds_the_exported_tree(shipped_export: Path, tmp_path: Path) -> None:
    tree = tmp_path / "export"
    shutil.copytree(shipped_export / "export", tree)
    zensical = Path(sys.executable).with_name("zensical")
    result = subprocess.run(
        [os.fspath(zensical), "build", "--strict"],
        cwd=tree, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    html = tree / "site" / "scenarios" / "ecommerce-new-user-first-order" / "index.html"
    text = html.read_text(encoding="utf-8")
    assert "新用户首单转化" in text and "执行监控（T3）" in text
    assert (tree / "site" / "charts" / "ecommerce-new-user-first-order" / "funnel.svg").is_file()


def test_an_export_never_replaces_a_folder_it_did_not_write(run_opsbook, tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    result = run_opsbook("export", "--format", "markdown", "-o", str(target))
    assert result.returncode == 2
    assert "exists and is not an opsbook export; choose another folder" in result.stderr
    assert (target / "notes.txt").read_text() == "keep me"


def test_an_unknown_format_is_a_usage_error(run_opsbook, tmp_path: Path) -> None:
    result = run_opsbook("export", "--format", "docx", "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "--format: choose one of " in result.stderr and "markdown" in result.stderr
