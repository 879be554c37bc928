"""Prove that a change leaves every output byte-identical.

    python bench/identical.py record before.json     # at the old commit
    python bench/identical.py compare before.json    # at the new one: exit 1 on any difference

It builds, from the shipped scenarios and from a 200-scenario ``bench/generate.py`` corpus,
everything opsbook writes — the site, the review pack, the workbook, the calendars, the
catalog and the Markdown export — into a temporary folder, and records the SHA-256 of every
file. ``compare`` does the same and lists each file that is new, gone or different.
Refactors that promise "behaviour unchanged" run it before and after.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS_SIZE = 200

# (name, arguments after `opsbook`, the output path relative to the work folder)
OUTPUTS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("site", ("build", "--site-dir", "{out}/site"), "site"),
    ("pack", ("pack", "-o", "{out}/pack.pdf"), "pack.pdf"),
    ("workbook", ("export", "--format", "xlsx", "-o", "{out}/review.xlsx"), "review.xlsx"),
    ("calendar", ("export", "--format", "ics", "-o", "{out}/team.ics"), "team.ics"),
    ("catalog", ("export", "--format", "json", "-o", "{out}/catalog.json"), "catalog.json"),
    ("markdown", ("export", "--format", "markdown", "-o", "{out}/markdown"), "markdown"),
)


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> None:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")


def _digests(path: Path, prefix: str) -> dict[str, str]:
    """``prefix/relative-path`` → SHA-256 of every file at or below ``path``."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return {
        f"{prefix}/{p.relative_to(path).as_posix() if path.is_dir() else path.name}": (
            hashlib.sha256(p.read_bytes()).hexdigest()
        )
        for p in files
    }


def _project_outputs(name: str, project: Path, work: Path, env: dict[str, str]) -> dict[str, str]:
    out = work / name
    out.mkdir()
    found: dict[str, str] = {}
    for kind, arguments, produced in OUTPUTS:
        args = [a.replace("{out}", str(out)) for a in arguments]
        _run([sys.executable, "-m", "opsbook", *args], project, env)
        found |= _digests(out / produced, f"{name}/{kind}")
    return found


def record_all() -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix="opsbook-identical-") as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("OPSBOOK_")}
        env.update(OPSBOOK_CACHE_DIR=str(work / "cache"), NO_MKDOCS_2_WARNING="1")
        corpus = work / "corpus"
        _run(
            [sys.executable, str(ROOT / "bench" / "generate.py"), str(CORPUS_SIZE), str(corpus)],
            ROOT,
            env,
        )
        found = _project_outputs("shipped", ROOT, work, env)
        found |= _project_outputs(f"corpus-{CORPUS_SIZE}", corpus, work, env)
        return found


def compare(before: dict[str, str], after: dict[str, str]) -> list[str]:
    lines = [f"gone: {k}" for k in sorted(before.keys() - after.keys())]
    lines += [f"new: {k}" for k in sorted(after.keys() - before.keys())]
    lines += [
        f"differs: {k}" for k in sorted(before.keys() & after.keys()) if before[k] != after[k]
    ]
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in {"record", "compare"}:
        print(__doc__, file=sys.stderr)
        return 2
    manifest = Path(argv[1])
    found = record_all()
    if argv[0] == "record":
        manifest.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"recorded {len(found)} files in {manifest}")
        return 0
    differences = compare(json.loads(manifest.read_text(encoding="utf-8")), found)
    print("\n".join(differences) or f"identical: all {len(found)} files")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
