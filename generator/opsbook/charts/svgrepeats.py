"""A path made of one shape repeated many times, written as that shape once and its copies.

matplotlib draws the dotted hatch that marks "not started" and "no data" as one path of 169
small circles in each 72 pt pattern tile: after :func:`~opsbook.charts.svgvalues.compact_path`
every circle is the same relative text after a short move (``m6 0c.2 0 .3-.1…z``), and that
still made a fifth of a timeline chart's bytes. SVG's ``<use>`` draws a copy of an element
moved by its ``x`` and ``y``, so :func:`repeats_as_uses` writes

- the shape once, at the first copy's place, in a ``<defs>`` (defined, not drawn there);
- a row of copies (those on one horizontal line) once, as a group of ``<use>``, and every
  row of the same spacing as a ``<use>`` of that group;

which draws the same outlines at the same places, in the same style (the shape keeps the
path's own ``class`` or ``style``; what it inherits comes from where each copy is used, the
path's own parent). Only relative shapes are copied this way (no absolute command letter
after the move), since only those draw the same outline wherever they start; only paths
without an id and whose style points to nothing (a clip path, pattern or mask in user space
would move with each copy); and only when the result is shorter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from opsbook.charts.svgvalues import round_number

_REPEATED_PATH = re.compile(r'<path d="(M[^"]*z)"([^>]*)/>')
_MOVE = re.compile(r"([Mm])(-?(?:\d+\.?\d*|\.\d+))\s?(-?(?:\d+\.?\d*|\.\d+))(?=[a-df-z])")
_ID = re.compile(r'\bid="([^"]*)"')
_CLASS = re.compile(r'\bclass="([^"]*)"')
_RULE = re.compile(r"\.([\w-]+)\{([^}]*)\}")
_MINIMUM_COPIES = 8  # fewer copies gain too little to be worth the indirection

Point = tuple[int, int]  # in tenths of a unit: the compacted path's own precision


def repeats_as_uses(document: str) -> str:
    """``document`` (compacted SVG) with each path of one repeated shape as uses of it."""
    names = _free_names(document)
    rules = dict(_RULE.findall(document))

    def replaced(match: re.Match[str]) -> str:
        repeats = _repeats(match[1])
        if repeats is None or not _movable(match[2], rules):
            return match[0]
        shape, points = repeats
        written = _as_uses(shape, points, match[2], names)
        return written if len(written) < len(match[0]) else match[0]

    return _REPEATED_PATH.sub(replaced, document)


_PATH_TAG = re.compile(r'<path d="[^"]*"[^>]*/>')
_LONG_ENOUGH = 100  # a shorter path costs less written again than named and used


def duplicates_as_uses(document: str) -> str:
    """``document`` with each path drawn again exactly (same data, same style) as a ``<use>``
    of its first drawing: the legend's hatch tile draws what the band's draws, on a
    background. In place, a copy inherits what the path did (a ``<use>`` stands where the
    path stood), and nothing it draws is positioned by what is around it."""
    tags = [t for t in _PATH_TAG.findall(document) if len(t) >= _LONG_ENOUGH and "id=" not in t]
    counts: dict[str, int] = {}
    for tag in tags:
        counts[tag] = counts.get(tag, 0) + 1
    repeated = [tag for tag, count in counts.items() if count > 1]
    if not repeated:
        return document
    names = _free_names(document)
    for tag in repeated:
        name = next(names)
        first = document.index(tag)
        named = f'<path id="{name}"{tag[len("<path") :]}'
        rest = document[first + len(tag) :].replace(tag, f'<use href="#{name}"/>')
        document = document[:first] + named + rest
    return document


def _free_names(document: str) -> Iterator[str]:
    taken = set(_ID.findall(document))
    return (f"r{n}" for n in range(10**6) if f"r{n}" not in taken)


def _movable(attributes: str, rules: dict[str, str]) -> bool:
    """Whether a copy elsewhere draws the same: no id, and nothing in user space."""
    if "id=" in attributes:
        return False
    classes = _CLASS.search(attributes)
    names = classes[1].split() if classes else []
    return "url(" not in attributes and all("url(" not in rules.get(n, "url(") for n in names)


def _repeats(data: str) -> tuple[str, list[Point]] | None:
    """(the shape's relative data, where each copy starts) when ``data`` is one shape
    drawn again and again, each copy a closed subpath; else None."""
    subpaths = data.split("z")[:-1]
    if len(subpaths) < _MINIMUM_COPIES:
        return None
    points: list[Point] = []
    shape = None
    for subpath in subpaths:
        move = _MOVE.match(subpath)
        body = subpath[move.end() :] if move else ""
        if move is None or (points and shape != body) or (not points and move[1] == "m"):
            return None
        shape = body
        x, y = _tenths(move[2]), _tenths(move[3])
        # after z, a relative move starts from the previous copy's start
        start = points[-1] if points and move[1] == "m" else (0, 0)
        points.append((start[0] + x, start[1] + y))
    if shape is None or any(letter.isupper() for letter in re.findall(r"[a-zA-Z]", shape)):
        return None
    return shape + "z", points


def _as_uses(shape: str, points: Sequence[Point], attributes: str, names: Iterator[str]) -> str:
    """The shape at ``points[0]`` in a ``<defs>`` with one group per distinct row, and the
    rows placed by ``<use>``."""
    first = points[0]
    shape_name = next(names)
    rows: dict[int, list[int]] = {}
    for x, y in points:
        rows.setdefault(y, []).append(x)
    row_names: dict[tuple[int, ...], str] = {}
    groups, placed = [], []
    for y, xs in rows.items():
        spacing = tuple(x - xs[0] for x in xs)
        if spacing not in row_names:
            row_names[spacing] = next(names)
            copies = "".join(_use(shape_name, dx, 0) for dx in spacing)
            groups.append(f'<g id="{row_names[spacing]}">{copies}</g>')
        placed.append(_use(row_names[spacing], xs[0] - first[0], y - first[1]))
    definition = f'<path id="{shape_name}" d="M{_text(first[0])} {_text(first[1])}{shape}"'
    return f"<defs>{definition}{attributes}/>{''.join(groups)}</defs>{''.join(placed)}"


def _use(name: str, dx: int, dy: int) -> str:
    position = "".join(f' {axis}="{_text(v)}"' for axis, v in (("x", dx), ("y", dy)) if v)
    return f'<use href="#{name}"{position}/>'


def _tenths(number: str) -> int:
    return round(float(number) * 10)


def _text(tenths: int) -> str:
    return round_number(f"{tenths / 10:.1f}")
