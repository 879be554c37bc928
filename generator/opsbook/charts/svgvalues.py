"""Attribute values of matplotlib's SVG written shorter: path data, positions, transforms,
styles and the style sheet (see :mod:`opsbook.charts.svgmin`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FONT_FAMILY = "font-family"
_TRANSFORM = re.compile(r"(\w+)\s*\(([^)]*)\)")
_CSS_VALUE_PART = re.compile(
    r"""('[^']*'|"[^"]*")|\s*(,)\s*|(#)([0-9a-fA-F])\4([0-9a-fA-F])\5([0-9a-fA-F])\6\b"""
    r"""|(?<![\w.])0(\.\d)"""
)
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def round_number(number: str) -> str:
    """``number`` to one decimal, written as short as SVG allows (``.5``, ``-3``)."""
    if "." not in number and "e" not in number and "E" not in number:
        return number.lstrip("+") or "0"
    text = f"{float(number):.1f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        return "0"
    if text.startswith("0."):
        return text[1:]
    if text.startswith("-0."):
        return "-" + text[2:]
    return text


# exactly what matplotlib writes: "M 0 420 \nL 800 420 \nz\n" (absolute commands, %f numbers)
_MATPLOTLIB_PATH = re.compile(r"(?:[MLQC](?: -?\d+(?:\.\d+)?)+ \n|z\n)*")
_SEGMENT = re.compile(r"([MLQCz])([^MLQCz]*)")
_ANY_NUMBER_OR_LETTER = re.compile(
    r"[A-DF-Za-df-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
)  # e and E: exponents, no command


def compact_path(data: str) -> str:
    """Path data with rounded numbers, each segment absolute or relative, whichever is
    shorter, a line that keeps the current point's y or x written as ``H x`` or ``V y``
    (``h``/``v``), no repeated command letter and no optional separator.

    Relative segments are what make repeated shapes cheap: a hatch of 169 dots is 169
    copies of one dot, each the same ``c…`` text after a short ``m6 0``. Their offsets are
    taken between the rounded points, so rounding errors never add up along a path.
    The rewrite needs the current point, so it is done for matplotlib's own path data
    (absolute ``M L Q C z``); other data only has its numbers rounded."""
    if not _MATPLOTLIB_PATH.fullmatch(data):
        return _compact_any_path(data)
    segments: list[tuple[str, list[int]]] = []
    for command, arguments in _SEGMENT.findall(data):
        numbers = [_tenths(round_number(n)) for n in arguments.split()]
        size = _ARITY[command]
        if len(numbers) % max(size, 1):
            return _compact_any_path(data)
        segments += (
            [  # one segment at a time
                (command if index == 0 else _REPEATED[command], numbers[index : index + size])
                for index in range(0, len(numbers), size)
            ]
            or [(command, [])]
        )
    writer = _PathWriter(relative=_is_one_shape_repeated(segments))
    for command, numbers in segments:
        if command == "z":
            writer.close()
        else:
            writer.segment(command, numbers)
    return writer.text()


def _is_one_shape_repeated(segments: list[tuple[str, list[int]]]) -> bool:
    """Whether the path is closed copies of one shape at different places (a hatch of dots):
    then every copy is written relative, the same text after its move, which
    :mod:`opsbook.charts.svgrepeats` turns into one shape and its copies."""
    shapes: set[tuple[tuple[str, tuple[int, ...]], ...]] = set()
    copies = 0
    for command, numbers in segments:
        if command == "M":
            copies, start, shape = copies + 1, numbers, []
        elif not copies:
            return False
        elif command == "z":
            shapes.add(tuple(shape))
        else:
            shape.append((command, tuple(_offsets(numbers, *start))))
    return copies >= 8 and len(shapes) == 1 and segments[-1][0] == "z"


_ARITY = {"M": 2, "L": 2, "Q": 4, "C": 6, "z": 1}  # z: one step of nothing
_REPEATED = {"M": "L", "L": "L", "Q": "Q", "C": "C"}  # pairs after a moveto's first: linetos


def _tenths(number: str) -> int:
    """A number rounded to one decimal (see :func:`round_number`) in tenths."""
    return round(float(number) * 10)


def _decimal(tenths: int) -> str:
    """``tenths`` as :func:`round_number` writes it: ``72.6``, ``.6``, ``-.6``, ``6``, ``0``."""
    whole, tenth = divmod(abs(tenths), 10)
    sign = "-" if tenths < 0 else ""
    digits = str(whole) if whole else ""
    return f"{sign}{digits}.{tenth}" if tenth else f"{sign}{whole}"


def _joined_numbers(numbers: list[str], previous: str) -> str:
    """``numbers`` after ``previous`` (the number written last, "" after a letter) with a
    space only where the next one would otherwise run into it: not before a sign, nor
    before a point when the previous number already has one (``.3-.1.4``)."""
    parts = []
    for number in numbers:
        runs_on = not number.startswith("-") and not (number[0] == "." and "." in previous)
        if previous and runs_on:
            parts.append(" ")
        parts.append(number)
        previous = number
    return "".join(parts)


@dataclass
class _PathWriter:
    """Writes segments of absolute points (in tenths) as short as SVG path syntax allows."""

    relative: bool = False  # every drawing segment relative, even where absolute is shorter
    parts: list[str] = field(default_factory=list)
    point: tuple[int, int] = (0, 0)
    start: tuple[int, int] = (0, 0)
    implicit: str = ""  # the command a letter-less number pair would continue
    last_number: str = ""  # "" when a letter was written last

    def segment(self, command: str, values: list[int]) -> None:
        x, y = self.point
        candidates = [(command, values), (command.lower(), _offsets(values, x, y))]
        if command == "L" and values[1] == y:
            candidates = [("H", values[:1]), ("h", [values[0] - x])]
        elif command == "L" and values[0] == x:
            candidates = [("V", values[1:]), ("v", [values[1] - y])]
        if command == "M" and not self.parts:
            candidates = candidates[:1]  # a path starts absolute
        elif self.relative and command != "M":
            candidates = candidates[1:]
        texts = [(self._text(letter, numbers), letter) for letter, numbers in candidates]
        text, letter = min(texts, key=lambda pair: len(pair[0]))  # absolute on a tie
        self.parts.append(text)
        self.implicit = {"M": "L", "m": "l"}.get(letter, letter)
        self.last_number = re.findall(_NUMBER_TEXT, text)[-1]
        self.point = (values[-2], values[-1])
        if command == "M":
            self.start = self.point

    def close(self) -> None:
        self.parts.append("z")
        self.implicit, self.last_number = "", ""
        self.point = self.start

    def _text(self, letter: str, numbers: list[int]) -> str:
        written = [_decimal(n) for n in numbers]
        if letter == self.implicit:  # the same command again: its numbers follow on
            return _joined_numbers(written, self.last_number)
        return letter + _joined_numbers(written, "")

    def text(self) -> str:
        return "".join(self.parts)


_NUMBER_TEXT = r"-?(?:\d+\.?\d*|\.\d+)"


def _offsets(values: list[int], x: int, y: int) -> list[int]:
    """Absolute points as offsets from the current point (x, y)."""
    return [value - (y if index % 2 else x) for index, value in enumerate(values)]


def _compact_any_path(data: str) -> str:
    """Any path data: numbers rounded, separators only where a number needs one."""
    parts: list[str] = []
    previous = ""
    for token in _ANY_NUMBER_OR_LETTER.findall(data):
        if token.isalpha():
            parts.append(token)
            previous = ""
        else:
            token = round_number(token)
            parts.append(_joined_numbers([token], previous))
            previous = token
    return "".join(parts)


# Transforms and styles.


def compact_transform(value: str, *, is_text: bool) -> str | None:
    """Translations rounded; scales, angles and matrices kept exact; a text's
    ``rotate(-0 x y)`` (matplotlib writes it for every label) left out."""
    functions = []
    for match in _TRANSFORM.finditer(value):
        name, arguments = match[1], _NUMBER.findall(match[2])
        if name == "translate":
            arguments = [round_number(a) for a in arguments]
        elif is_text and name == "rotate" and float(arguments[0]) == 0:
            continue
        functions.append(f"{name}({' '.join(arguments)})")
    return " ".join(functions) or None


INITIAL_VALUES = {"text-anchor": "start", "stroke-dashoffset": "0"}  # as matplotlib writes


def compact_style(value: str, family_hoisted: bool, initial_is_inherited: bool) -> str | None:
    """``fill: #ffffff; stroke-width: 0.6`` as ``fill:#fff;stroke-width:.6``, without the
    font list when the root carries it and without a property set to its initial value
    when that is what the element would inherit anyway (no parent sets it)."""
    declarations = style_declarations(value)
    if family_hoisted:  # every text names the same: see _shared_font_family
        declarations.pop(FONT_FAMILY, None)
    if initial_is_inherited:
        for key, initial in INITIAL_VALUES.items():
            if declarations.get(key) == initial:
                del declarations[key]
    parts = [f"{key}:{compact_css_value(v)}" for key, v in declarations.items()]
    return ";".join(parts) or None


def style_declarations(style: str) -> dict[str, str]:
    """CSS declarations in order (a ``;`` inside a quoted font name is not a separator)."""
    result: dict[str, str] = {}
    for part in re.findall(r"""(?:[^;'"]|'[^']*'|"[^"]*")+""", style):
        key, colon, value = part.partition(":")
        if colon:
            result[key.strip()] = value.strip()
    return result


def compact_css_value(value: str) -> str:
    return _CSS_VALUE_PART.sub(_shorter_css_part, value)


def _shorter_css_part(match: re.Match[str]) -> str:
    quoted, comma, hash_sign, red, green, blue, fraction = match.groups()
    if hash_sign:
        return f"#{red}{green}{blue}"
    return quoted or comma or fraction


def css(sheet: str) -> str:
    """matplotlib's style sheet (``*{stroke-linejoin: round; stroke-linecap: butt}``)
    without the optional spaces."""
    sheet = re.sub(r"\s*([{};:,])\s*", r"\1", sheet.strip())
    return sheet.replace(";}", "}")
