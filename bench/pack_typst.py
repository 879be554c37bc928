"""Time the Typst stage of ``opsbook pack`` in isolation, on the exact files of one pack.

    python bench/pack_typst.py dump DIR [opsbook pack options…]   # run in a project folder
    python bench/pack_typst.py time DIR [--template T] [--repeat N] [--pdf OUT]

``dump`` makes the pack as ``opsbook pack`` would (a week's "since", the brief unless
``--full``) and writes what Typst was given into DIR: ``template.typ``, ``inputs.json`` (the
``sys.inputs``: the content as one JSON string and the font's family), ``root/`` (the charts
file and its index) and ``fonts/`` (the pack's font files, linked, and their chart copies).

``time`` compiles DIR's files again, each run in a fresh process (Typst memoizes within a
process, so a second compile there would measure its caches), and prints the CPU seconds
(every thread) and wall seconds of the compile alone. ``--template`` swaps in a variant of
the template, to measure a change before making it.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
from pathlib import Path

COMPILE = """
import json, resource, sys, time
from pathlib import Path
import typst
folder, template, out = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
inputs = json.loads((folder / "inputs.json").read_text(encoding="utf-8"))
fonts = typst.Fonts(include_system_fonts=False, font_paths=[str(folder / "fonts")])
source = template.read_bytes()
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
cpu0, wall0 = cpu(), time.perf_counter()
pdf = typst.compile(source, root=str(folder / "root"), font_paths=fonts,
                    ignore_system_fonts=True, sys_inputs=inputs, format="pdf", pdf_tags=False)
print(cpu() - cpu0, time.perf_counter() - wall0)
if out != "-":
    Path(out).write_bytes(pdf)
"""


def dump(folder: Path, argv: list[str]) -> None:
    """Run ``opsbook pack`` with ``typst.compile`` replaced by a copy of its inputs."""
    import typst

    from opsbook.cli import main as cli_main

    real_compile = typst.compile

    def capture(source: bytes, *, root: str, font_paths: object, sys_inputs: dict, **kw):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        (folder / "template.typ").write_bytes(source)
        (folder / "inputs.json").write_text(json.dumps(sys_inputs), encoding="utf-8")
        shutil.copytree(root, folder / "root")
        fonts = Path(root).parent / "fonts"
        shutil.copytree(fonts, folder / "fonts", symlinks=True)
        return real_compile(source, root=root, font_paths=font_paths, sys_inputs=sys_inputs, **kw)

    typst.compile = capture
    try:
        cli_main(["pack", "-o", str(folder / "pack.pdf"), *argv], standalone_mode=False)
    finally:
        typst.compile = real_compile


def timed(folder: Path, template: Path, pdf: str) -> tuple[float, float]:
    done = subprocess.run(
        [sys.executable, "-c", COMPILE, str(folder), str(template), pdf],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"{template}: {done.stderr.strip()}")
    cpu, wall = done.stdout.split()
    return float(cpu), float(wall)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dump_parser = commands.add_parser("dump")
    dump_parser.add_argument("folder", type=Path)
    time_parser = commands.add_parser("time")
    time_parser.add_argument("folder", type=Path)
    time_parser.add_argument("--template", type=Path)
    time_parser.add_argument("--repeat", type=int, default=3)
    time_parser.add_argument("--pdf", default="-", help="write the PDF here")
    args, rest = parser.parse_known_args(argv)
    if args.command == "dump":
        dump(args.folder.resolve(), rest)
        return 0
    template = args.template or args.folder / "template.typ"
    runs = []
    for _ in range(args.repeat):
        runs.append(timed(args.folder, template, args.pdf))
    cpus = sorted(cpu for cpu, _ in runs)
    walls = sorted(wall for _, wall in runs)
    print(
        f"{template}: CPU {cpus[0]:.2f}–{cpus[-1]:.2f} s (median {cpus[len(cpus) // 2]:.2f}), "
        f"wall {walls[0]:.2f}–{walls[-1]:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
