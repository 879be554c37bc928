"""Benchmark ``opsbook check`` against the bare YAML parse of the same files (the floor).

    python bench/bench_check.py            # 100, 1,000 and 5,000 scenarios
    python bench/bench_check.py 1000       # one size

For each size it generates a corpus (``bench/generate.py``), then times, as whole processes
(what a user waits for), the median of three runs of:

- ``bare parse``: ``yaml.load`` with libyaml's ``CSafeLoader`` over every file, one process;
- ``check cold``: ``opsbook check --no-cache`` (load, schema, rules; parallel workers);
- ``check cold, 1 job``: the same on one core;
- ``check warm``: ``opsbook check`` with the result cache filled by a previous run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate, take_profile
from harness import median_runtime

BARE_PARSE = (
    "import sys, yaml, pathlib\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):\n"
    "    yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)\n"
)


def measure(count: int, workdir: Path, profile: str) -> dict[str, float]:
    scenarios = generate(count, workdir / f"corpus-{count}", profile)
    cwd = scenarios.parent
    env = dict(os.environ, OPSBOOK_CACHE_DIR=str(workdir / f"cache-{count}"), NO_COLOR="1")
    opsbook = [sys.executable, "-m", "opsbook", "check", "scenarios"]
    results = {
        "bare parse": median_runtime([sys.executable, "-c", BARE_PARSE, "scenarios"], env, cwd),
        "check cold": median_runtime([*opsbook, "--no-cache"], env, cwd),
        "check cold, 1 job": median_runtime([*opsbook, "--no-cache", "--jobs", "1"], env, cwd),
    }
    subprocess.run(opsbook, env=env, cwd=cwd, check=False, capture_output=True)
    results["check warm"] = median_runtime(opsbook, env, cwd)
    return results


def main(argv: list[str]) -> int:
    profile, argv = take_profile(argv)
    sizes = [int(a) for a in argv] or [100, 1000, 5000]
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}  profile: {profile}")
    header = f"{'scenarios':>9}  {'bare parse':>10}  {'cold':>8}  {'cold 1 job':>10}  {'warm':>8}  {'cold/bare':>9}"
    print(header)
    with tempfile.TemporaryDirectory() as temp:
        for count in sizes:
            r = measure(count, Path(temp), profile)
            print(
                f"{count:>9}  {r['bare parse']:>9.2f}s  {r['check cold']:>7.2f}s  "
                f"{r['check cold, 1 job']:>9.2f}s  {r['check warm']:>7.2f}s  "
                f"{r['check cold'] / r['bare parse']:>8.2f}×"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
