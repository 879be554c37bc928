"""Shared test helpers: run the real ``opsbook`` command in a subprocess, as users do."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
SHIPPED_AS_OF = "2026-06-22"


def opsbook_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment: English messages, no colour, a private cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPSBOOK_", "LC_", "LANG"))}
    env.update(LANG="C.UTF-8", NO_COLOR="1", OPSBOOK_CACHE_DIR=str(tmp_path / "cache"))
    env.update(extra)
    return env


@pytest.fixture
def run_opsbook(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run_opsbook("check", "scenarios", cwd=...)`` → the finished process (text mode)."""

    def run(
        *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, input: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "opsbook", *args],
            cwd=cwd,
            env=env or opsbook_env(tmp_path),
            input=input,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=600,
            check=False,
        )

    return run
