"""Bytes of a built knowledge base by kind of file.

    python bench/site_size.py build/site [OTHER_SITE ...]

prints one column per site: scenario pages, person pages, other pages, charts, calendars
(the team's and each person's), catalog.json and the workbook, the search index, assets
(theme, fonts, scripts) and anything else, in MB (10^6 bytes) and file counts.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath

KINDS: list[tuple[str, Callable[[PurePosixPath], bool]]] = [
    ("scenario pages", lambda p: p.suffix == ".html" and p.parts[0] == "scenarios"),
    ("person pages", lambda p: p.suffix == ".html" and p.parts[0] == "people"),
    ("other pages", lambda p: p.suffix == ".html"),
    ("charts", lambda p: p.suffix == ".svg" and p.parts[0] != "assets"),
    ("person calendars", lambda p: p.suffix == ".ics" and p.parts[0] == "people"),
    ("team calendar", lambda p: p.suffix == ".ics"),
    ("catalog.json", lambda p: str(p) == "catalog.json"),
    ("workbook", lambda p: p.suffix == ".xlsx"),
    ("search index", lambda p: p.parts[0] == "search"),
    ("assets", lambda p: p.parts[0] == "assets"),
    ("other", lambda p: True),
]


def kind_of(relative: PurePosixPath) -> str:
    return next(name for name, matches in KINDS if matches(relative))


def sizes(site: Path) -> dict[str, tuple[int, int]]:
    """kind -> (bytes, files) of every file under ``site``."""
    totals = {name: (0, 0) for name, _ in KINDS}
    for path in site.rglob("*"):
        if path.is_file():
            kind = kind_of(PurePosixPath(path.relative_to(site).as_posix()))
            size, count = totals[kind]
            totals[kind] = (size + path.stat().st_size, count + 1)
    return totals


def table(sites: list[Path]) -> str:
    columns = [sizes(site) for site in sites]
    header = ["kind", *(f"{site} MB (files)" for site in sites)]
    rows = [header]
    for name, _ in [*KINDS, ("total", None)]:
        cells = [name]
        for totals in columns:
            size, count = (
                totals[name]
                if name != "total"
                else (sum(s for s, _ in totals.values()), sum(c for _, c in totals.values()))
            )
            cells.append(f"{size / 1e6:.1f} ({count:,})")
        rows.append(cells)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [" | ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in
                        enumerate(zip(row, widths, strict=True))) for row in rows]  # fmt: skip
    lines.insert(1, "-|-".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if not argv or not all(Path(a).is_dir() for a in argv):
        print("usage: python bench/site_size.py SITE_DIR [SITE_DIR ...]", file=sys.stderr)
        return 2
    print(table([Path(a) for a in argv]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
