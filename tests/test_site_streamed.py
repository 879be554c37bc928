"""A build keeps its generated files on disk, not in memory, until MkDocs has them: the site
gets the same bytes an in-memory generation gives, and nothing is left behind."""

# ruff: noqa: F811  (fixtures imported from site_support are arguments of the tests)
from __future__ import annotations

import os
from pathlib import Path

from site_support import (  # noqa: F401  (fixtures)
    env_for,
    make_project,
    run,
    shipped,
    shipped_export,
    shipped_site,
)


def test_the_sites_charts_and_data_files_are_the_exported_bytes(
    shipped_site: Path,
    shipped_export: Path,
) -> None:
    exported = shipped_export / "export" / "docs"
    site = shipped_site / "site"
    files = [p for p in exported.rglob("*") if p.is_file() and p.suffix != ".md"]
    kinds = {p.suffix for p in files}
    assert {".svg", ".ics", ".json"} <= kinds  # charts and the contributed data files
    different = [
        p.relative_to(exported).as_posix()
        for p in files
        if (site / p.relative_to(exported)).read_bytes() != p.read_bytes()
    ]
    assert different == []


def test_a_build_leaves_no_temporary_files_behind(tmp_path: Path) -> None:
    scenarios = {"ecommerce-new-user-first-order.yaml": shipped("ecommerce-new-user-first-order")}
    folder = make_project(tmp_path / "project", scenarios, charts=True)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = env_for(tmp_path) | {"TMPDIR": os.fspath(temporary)}
    result = run("build", "-d", os.fspath(tmp_path / "site"), cwd=folder, env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "charts").is_dir()
    assert [p.name for p in temporary.iterdir() if p.name.startswith("opsbook")] == []
