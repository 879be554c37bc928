"""Benchmark the reporters on a file with many problems: text must keep up with JSON.

    python bench/bench_report.py            # 10,000 bad actions
    python bench/bench_report.py 2000       # another size

It writes one scenario whose ``actions`` list holds ``count`` actions with a bad status
(``doing``), each one a ``schema.enum`` error, and times whole ``opsbook check`` processes
(median of three, no cache, colour off) with ``--format text``, ``json`` and ``github``.
The check itself is the same for all three; the difference is the reporter.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness import median_runtime

TEAM = """\
team: {name: 增长运营中心}
departments:
  - {id: ops, name: 运营部}
people:
  - {id: ops.li, name: 李娜, role: 用户运营经理, department: ops}
"""

HEAD = """\
id: many-problems
title: 新用户首单转化
industry: ecommerce
module: 用户增长
owner: ops.li
cycle: {start: 2026-06-01, end: 2026-06-30, cadence: weekly}
needs:
  business_goal: 季度新用户转化率提升20%
  goal: 首单转化率 ≥ 20%
  user_group: 注册7天内新用户
  pain_point: 对产品价值不清晰
  success_criteria: [first-order-cr]
metrics:
  - {id: first-order-cr, name: 首单转化率, direction: up, target: 20, source: {kind: manual}}
actions:
"""

# Short enough that 10,000 of them stay under the loader's 1 MiB limit.
ACTION = "  - {{id: a{n}, strategy: s, action: a, owner: ops.li, standard: 1, status: doing}}\n"


def write_project(count: int, root: Path) -> Path:
    """A project whose one scenario has ``count`` actions with a bad status."""
    scenarios = root / "scenarios"
    scenarios.mkdir(parents=True)
    (scenarios / "team.yaml").write_text(TEAM, encoding="utf-8")
    body = HEAD + "".join(ACTION.format(n=n) for n in range(count))
    (scenarios / "many-problems.yaml").write_text(body, encoding="utf-8")
    return root


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 10_000
    with tempfile.TemporaryDirectory() as temp:
        project = write_project(count, Path(temp))
        env = dict(os.environ, NO_COLOR="1", OPSBOOK_CACHE_DIR=str(Path(temp) / "cache"))
        print(f"{count} problems in one file  python: {sys.version.split()[0]}")
        for format_name in ("json", "text", "github"):
            command = [sys.executable, "-m", "opsbook", "check", "--no-cache"]
            command += ["--format", format_name]
            seconds = median_runtime(command, env, project)
            print(f"  --format {format_name:<6} {seconds:7.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
