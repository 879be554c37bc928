"""Generate a corpus of N scenarios for the benchmarks.

    python bench/generate.py 1000 bench/out/corpus-1000
    python bench/generate.py --profile realistic [--seed S] 1000 bench/out/realistic-1000

writes ``OUTDIR/scenarios/*.yaml`` (plus ``team.yaml`` and the CSV data files) and a
``OUTDIR/mkdocs.yml`` so the corpus can be checked, built and packed like a real project.
Each scenario is one of the shipped scenarios with a new id, module and title and its
numbers moved by a seeded random walk, so the files have the real size, shape and language
mix, and the same N always gives the same bytes (the ``shipped`` profile, the default).
The ``realistic`` profile (``bench/realistic.py``) writes scenarios shaped like a real
team's instead: quarter and half-year cycles with weekly observations, 60 people, 40 modules.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "scenarios"

# Module ids with their names (zh, en); the ids the shipped team directory lacks are added
# to the corpus's copy of it, so every scenario names a listed module.
MODULES = {
    "ecommerce": [
        ("user-growth", "用户增长", "User growth"),
        ("membership", "会员运营", "Membership"),
        ("user-retention", "用户留存", "User retention"),
        ("winback", "流失召回", "Win-back"),
        ("big-promotions", "大促运营", "Big promotions"),
        ("private-traffic", "私域运营", "Private traffic"),
        ("categories", "品类运营", "Categories"),
    ],
    "saas": [
        ("customer-success", "客户成功", "Customer success"),
        ("trial-conversion", "试用转化", "Trial conversion"),
        ("renewals", "续费管理", "Renewals"),
        ("expansion", "增购拓展", "Expansion"),
        ("customer-training", "客户培训", "Customer training"),
        ("account-health", "健康度运营", "Account health"),
    ],
    "local-services": [
        ("store-traffic", "门店引流", "Store traffic"),
        ("group-buying", "团购运营", "Group buying"),
        ("member-repurchase", "会员复购", "Member repurchase"),
        ("communities", "社群运营", "Communities"),
        ("in-store-experience", "到店体验", "In-store experience"),
        ("reputation", "口碑运营", "Reputation"),
    ],
    "content": [
        ("creator-ecosystem", "创作者生态", "Creator ecosystem"),
        ("cold-start", "冷启动扶持", "Cold start"),
        ("monetization", "商业化", "Monetization"),
        ("content-quality", "内容质量", "Content quality"),
        ("follower-growth", "涨粉运营", "Follower growth"),
        ("live-streaming", "直播运营", "Live streaming"),
    ],
}
OTHER_MODULE = ("general", "综合运营", "General operations")
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
    modules = MODULES.get(industry, [OTHER_MODULE])
    module, _, _ = modules[number % len(modules)]
    text = re.sub(rf"^id: {re.escape(old_id)}$", f"id: {new_id}", text, count=1, flags=re.M)
    text = re.sub(r"^module: .*$", f"module: {module}", text, count=1, flags=re.M)
    text = re.sub(r"^(title: .*)$", rf"\1 #{number}", text, count=1, flags=re.M)
    return new_id, _jitter(text, rng)


PROFILES = ("shipped", "realistic")


def generate(count: int, out: Path, profile: str = "shipped", seed: int | None = None) -> Path:
    """Write ``count`` scenarios of ``profile`` into ``out`` and return its scenarios folder
    (``seed`` defaults to ``count``)."""
    scenarios = out / "scenarios"
    if out.exists():
        shutil.rmtree(out)
    scenarios.mkdir(parents=True)
    seed = count if seed is None else seed
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if profile == "realistic":
        import realistic

        realistic.write(count, scenarios, seed)
        mkdocs = realistic.mkdocs_yml(mkdocs)
    else:
        _shipped(count, scenarios, seed)
    (out / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    if (ROOT / "site").is_dir():
        shutil.copytree(ROOT / "site", out / "site")
    return scenarios


def _shipped(count: int, scenarios: Path, seed: int) -> None:
    (scenarios / "team.yaml").write_text(
        _with_modules((SHIPPED / "team.yaml").read_text(encoding="utf-8")), encoding="utf-8"
    )
    if (SHIPPED / "data").is_dir():
        shutil.copytree(SHIPPED / "data", scenarios / "data")
    rng = random.Random(seed)
    templates = _templates()
    for number in range(count):
        new_id, text = variant(templates[number % len(templates)], number, rng)
        (scenarios / f"{new_id}.yaml").write_text(text, encoding="utf-8")


def _with_modules(team: str) -> str:
    """The shipped team directory with every module of ``MODULES`` in its modules list."""
    listed = set(re.findall(r"^  - \{id: ([a-z0-9-]+), name:", team, re.M))
    lines = [
        f"  - {{id: {module_id}, name: {name}, name_en: {name_en}, industry: {industry}}}\n"
        for industry, modules in (*MODULES.items(), ("other", [OTHER_MODULE]))
        for module_id, name, name_en in modules
        if module_id not in listed
    ]
    return team.replace("modules:\n", "modules:\n" + "".join(dict.fromkeys(lines)), 1)


def add_profile_option(parser: argparse.ArgumentParser) -> None:
    """``--profile``, shared by the benchmark scripts."""
    parser.add_argument("--profile", choices=PROFILES, default="shipped",
                        help="shipped: the shipped scenarios renamed (default); "
                        "realistic: quarter and half-year cycles, 60 people")  # fmt: skip


def take_profile(argv: list[str]) -> tuple[str, list[str]]:
    """(profile, the other arguments) of a benchmark's command line: ``--profile NAME``
    anywhere in it, ``shipped`` without one."""
    parser = argparse.ArgumentParser(add_help=False)
    add_profile_option(parser)
    known, rest = parser.parse_known_args(argv)
    return known.profile, rest


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python bench/generate.py")
    add_profile_option(parser)
    parser.add_argument("--seed", type=int, help="random seed (default: N)")
    parser.add_argument("count", type=int, metavar="N")
    parser.add_argument("outdir", type=Path, metavar="OUTDIR")
    args = parser.parse_args(argv)
    folder = generate(args.count, args.outdir, args.profile, args.seed)
    print(f"{args.count} {args.profile} scenarios in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
