"""Attribute values of matplotlib's SVG written shorter: path data, positions, transforms,
styles and the style sheet (see :mod:`opsbook.charts.svgmin`)."""

from __future__ import annotations

import re

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
    """Path data with rounded numbers, no optional separator, and a line that keeps the
    current point's y or x written as ``H x`` or ``V y``.

    The ``H``/``V`` rewrite needs the current point, so it is done for matplotlib's own
    path data (absolute ``M L Q C z``); other data only has its numbers rounded."""
    if not _MATPLOTLIB_PATH.fullmatch(data):
        return _compact_any_path(data)
    parts: list[str] = []
    x = y = start_x = start_y = ""
    for command, arguments in _SEGMENT.findall(data):
        if command == "z":
            parts.append("z")
            x, y = start_x, start_y
            continue
        numbers = arguments.split()
        if "." in arguments:
            numbers = [round_number(n) for n in numbers]
        end_x, end_y = numbers[-2], numbers[-1]
        if command == "L" and len(numbers) == 2 and end_y == y:
            parts.append("H" + end_x)
        elif command == "L" and len(numbers) == 2 and end_x == x:
            parts.append("V" + end_y)
        else:
            parts.append(command + " ".join(numbers))
        if command == "M":
            start_x, start_y = end_x, end_y
        x, y = end_x, end_y
    return "".join(parts).replace(" -", "-")


def _compact_any_path(data: str) -> str:
    """Any path data: numbers rounded, separators only where a number needs one."""
    parts: list[str] = []
    previous_is_number = False
    for token in _ANY_NUMBER_OR_LETTER.findall(data):
        is_number = not token.isalpha()
        if is_number:
            token = round_number(token)
            if previous_is_number and not token.startswith("-"):
                parts.append(" ")
        parts.append(token)
        previous_is_number = is_number
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
