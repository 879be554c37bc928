"""Benchmark ``opsbook diff`` on a generated corpus under git.

    python bench/bench_diff.py            # 100 and 1,000 scenarios
    python bench/bench_diff.py 1000       # one size

For each size it generates a corpus (``bench/generate.py``), commits it, then commits a
change to 5% of the scenarios (an actual moves), and times as whole processes (median of three):

- ``check``: ``opsbook check --no-cache`` of the work tree, for scale;
- ``diff revisions``: ``opsbook diff HEAD~1 HEAD`` (both sides extracted from git and checked);
- ``diff work tree``: ``opsbook diff HEAD~1`` (the base from git, the work tree from the cache);
- ``diff --format json``: the same as JSON.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate, take_profile
from harness import median_runtime

_VALUE = re.compile(r"value: ([0-9]+(?:\.[0-9]+)?)")


def _git(cwd: Path, *args: str) -> None:
    identity = ["-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    subprocess.run(["git", *identity, *args], cwd=cwd, check=True, capture_output=True)


def _repository(count: int, workdir: Path, profile: str) -> Path:
    root = generate(count, workdir / f"corpus-{count}", profile).parent
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "corpus")
    files = sorted((root / "scenarios").glob("*.yaml"))
    with_values = [p for p in files if _VALUE.search(p.read_text(encoding="utf-8"))]
    for path in with_values[: max(1, count // 20)]:  # 5%: their last actual moves up by 1
        text = path.read_text(encoding="utf-8")
        last = list(_VALUE.finditer(text))[-1]
        moved = f"value: {float(last.group(1)) + 1:g}"
        path.write_text(text[: last.start()] + moved + text[last.end() :], encoding="utf-8")
    _git(root, "commit", "-q", "-am", "actuals")
    return root


def measure(count: int, workdir: Path, profile: str) -> dict[str, float]:
    cwd = _repository(count, workdir, profile)
    env = dict(os.environ, OPSBOOK_CACHE_DIR=str(workdir / f"cache-{count}"), NO_COLOR="1")
    opsbook = [sys.executable, "-m", "opsbook"]
    return {
        "check": median_runtime([*opsbook, "check", "--no-cache", "scenarios"], env, cwd),
        "diff revisions": median_runtime([*opsbook, "diff", "HEAD~1", "HEAD"], env, cwd),
        "diff work tree": median_runtime([*opsbook, "diff", "HEAD~1"], env, cwd),
        "diff json": median_runtime([*opsbook, "diff", "HEAD~1", "--format", "json"], env, cwd),
    }


def main(argv: list[str]) -> int:
    profile, argv = take_profile(argv)
    sizes = [int(a) for a in argv] or [100, 1000]
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}  profile: {profile}")
    names = ["check", "diff revisions", "diff work tree", "diff json"]
    print(f"{'scenarios':>9}  " + "  ".join(f"{n:>14}" for n in names))
    with tempfile.TemporaryDirectory() as temp:
        for count in sizes:
            r = measure(count, Path(temp), profile)
            print(f"{count:>9}  " + "  ".join(f"{r[n]:>13.2f}s" for n in names))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
