"""Generate a realistic corpus of N scenarios for the benchmarks.

    python bench/generate.py 1000 bench/out/corpus-1000

writes ``OUTDIR/scenarios/*.yaml`` (plus ``team.yaml`` and the CSV data files) and a
``OUTDIR/mkdocs.yml`` so the corpus can be checked, built and packed like a real project.
Each scenario is one of the shipped scenarios with a new id, module and title and its
numbers moved by a seeded random walk, so the files have the real size, shape and language
mix, and the same N always gives the same bytes.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "scenarios"

MODULES = {
    "ecommerce": [
        "用户增长",
        "会员运营",
        "用户留存",
        "流失召回",
        "大促运营",
        "私域运营",
        "品类运营",
    ],
    "saas": ["客户成功", "试用转化", "续费管理", "增购拓展", "客户培训", "健康度运营"],
    "local-services": ["门店引流", "团购运营", "会员复购", "社群运营", "到店体验", "口碑运营"],
    "content": ["创作者生态", "冷启动扶持", "商业化", "内容质量", "涨粉运营", "直播运营"],
}
_VALUE = re.compile(r"(value: )([0-9]+(?:\.[0-9]+)?)")


def _templates() -> list[tuple[str, str, str]]:
    """(id, industry, text) of every shipped scenario."""
    found = []
    for path in sorted(SHIPPED.glob("*.yaml")):
        if path.name == "team.yaml":
            continue
        text = path.read_text(encoding="utf-8")
        industry = re.search(r"^industry: (\S+)", text, re.M)
        found.append((path.stem, industry.group(1) if industry else "other", text))
    return found


def _jitter(text: str, rng: random.Random) -> str:
    def move(match: re.Match[str]) -> str:
        value = float(match.group(2)) * rng.uniform(0.85, 1.15)
        return f"{match.group(1)}{round(value, 1)}"

    return _VALUE.sub(move, text)


def variant(template: tuple[str, str, str], number: int, rng: random.Random) -> tuple[str, str]:
    """A new scenario (id, text) derived from a shipped one."""
    old_id, industry, text = template
    new_id = f"{old_id}-{number:05d}"
    modules = MODULES.get(industry, ["综合运营"])
    module = modules[number % len(modules)]
    text = re.sub(rf"^id: {re.escape(old_id)}$", f"id: {new_id}", text, count=1, flags=re.M)
    text = re.sub(r"^module: .*$", f"module: {module}", text, count=1, flags=re.M)
    text = re.sub(r"^(title: .*)$", rf"\1 #{number}", text, count=1, flags=re.M)
    return new_id, _jitter(text, rng)


def generate(count: int, out: Path) -> Path:
    """Write ``count`` scenarios into ``out`` and return its scenarios folder."""
    scenarios = out / "scenarios"
    if out.exists():
        shutil.rmtree(out)
    scenarios.mkdir(parents=True)
    shutil.copy(SHIPPED / "team.yaml", scenarios / "team.yaml")
    if (SHIPPED / "data").is_dir():
        shutil.copytree(SHIPPED / "data", scenarios / "data")
    rng = random.Random(count)
    templates = _templates()
    for number in range(count):
        new_id, text = variant(templates[number % len(templates)], number, rng)
        (scenarios / f"{new_id}.yaml").write_text(text, encoding="utf-8")
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (out / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    if (ROOT / "site").is_dir():
        shutil.copytree(ROOT / "site", out / "site")
    return scenarios


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print("usage: python bench/generate.py N OUTDIR", file=sys.stderr)
        return 2
    folder = generate(int(argv[0]), Path(argv[1]))
    print(f"{argv[0]} scenarios in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
