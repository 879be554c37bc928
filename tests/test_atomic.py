"""Outputs are replaced whole, with the permissions a plain write would have given them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from opsbook.support import atomic


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_file_is_readable_by_others(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "out" / "review.pdf"
    atomic.write_file(target, b"%PDF-")
    assert target.read_bytes() == b"%PDF-"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["review.pdf"]  # no temporary left


def test_a_replaced_file_keeps_its_mode(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "calendar.ics"
    target.write_bytes(b"old")
    target.chmod(0o600)
    atomic.write_file(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_staging_folder_has_the_mode_of_a_new_folder(tmp_path: Path, umask_022: None) -> None:
    staging = atomic.staging_dir(tmp_path / "site")
    assert staging.parent == tmp_path and staging.name.startswith(".site-")
    assert stat.S_IMODE(staging.stat().st_mode) == 0o755


def test_the_pack_and_the_site_are_world_readable(tmp_path: Path, run_opsbook) -> None:
    """What CI uploads or a web server serves must not be private to the builder."""
    pdf = tmp_path / "review.pdf"
    result = run_opsbook("pack", "-o", str(pdf), "--no-charts", "--id", "saas-renewal-expansion")
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(pdf.stat().st_mode) & 0o044 == 0o044
