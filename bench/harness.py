"""What every benchmark here shares: timing whole processes, as a user waits for them."""

from __future__ import annotations

import statistics
import subprocess
import time
from pathlib import Path


def median_runtime(command: list[str], env: dict[str, str], cwd: Path, runs: int = 3) -> float:
    """Median wall time of ``runs`` runs of a command (its output is discarded)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, cwd=cwd, check=False, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)
