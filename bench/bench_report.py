"""Benchmark the reporters on a file with many problems: text must keep up with JSON.

    python bench/bench_report.py            # 10,000 bad actions
    python bench/bench_report.py 2000       # another size

It writes one scenario whose ``actions`` list holds ``count`` actions with a bad status
(``doing``), each one a ``schema.enum`` error, in two shapes: one action a line (``block``)
and all actions on one line (``flow``: the shape that made the text reporter quadratic).
It times whole ``opsbook check`` processes (median of three, no cache, colour off) with
``--format json``, ``text`` and ``github``. The check is the same for all three formats;
the difference is the reporter.
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
"""

# One schema.enum error each (status: doing), nothing else; short enough that 10,000 of
# them stay under the loader's 1 MiB limit.
ACTION = (
    "{{id: a{n}, strategy: s{n}, action: a, owner: ops.li, repeat: daily, standard: x, "
    "status: doing}}"
)
SHAPES = ("block", "flow")


def write_project(count: int, root: Path, shape: str = "block") -> Path:
    """A project whose one scenario has ``count`` actions with a bad status: one action
    a line (``block``), or all of them on one line (``flow``)."""
    scenarios = root / "scenarios"
    scenarios.mkdir(parents=True)
    (scenarios / "team.yaml").write_text(TEAM, encoding="utf-8")
    actions = [ACTION.format(n=n) for n in range(count)]
    if shape == "block":
        body = HEAD + "actions:\n" + "".join(f"  - {action}\n" for action in actions)
    else:
        body = HEAD + "actions: [" + ", ".join(actions) + "]\n"
    (scenarios / "many-problems.yaml").write_text(body, encoding="utf-8")
    return root


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 10_000
    print(f"{count:,} problems in one file  python: {sys.version.split()[0]}")
    for shape in SHAPES:
        with tempfile.TemporaryDirectory() as temp:
            project = write_project(count, Path(temp), shape)
            env = dict(os.environ, NO_COLOR="1", OPSBOOK_CACHE_DIR=str(Path(temp) / "cache"))
            for format_name in ("json", "text", "github"):
                command = [sys.executable, "-m", "opsbook", "check", "--no-cache"]
                command += ["--format", format_name]
                seconds = median_runtime(command, env, project)
                print(f"  {shape:<5}  --format {format_name:<6} {seconds:7.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
