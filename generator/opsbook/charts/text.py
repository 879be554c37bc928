"""Text fitted to a chart: display widths (a Chinese character is two columns), ellipsis,
wrapping that respects 避头点 and whole words, compact axis numbers, dates as MM-DD."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from opsbook.i18n.numerals import number
from opsbook.support.text import char_width, display_width


def _fitting(text: str, width: int) -> int:
    """How many leading characters of ``text`` fit in ``width`` columns."""
    used = 0
    for index, char in enumerate(text):
        used += char_width(char)
        if used > width:
            return index
    return len(text)


def _clean(text: str) -> str:
    """User text on one line: newlines and tabs become spaces."""
    return " ".join(text.split())


def ellipsize(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns with an ellipsis."""
    text = _clean(text)
    if len(text) * 2 <= width or display_width(text) <= width:  # the first test is the cheap one
        return text
    return text[: _fitting(text, width - 1)].rstrip() + "…"


def wrap(text: str, width: int, lines: int = 2) -> str:
    """``text`` wrapped to ``lines`` lines of ``width`` columns, the last one ellipsized.

    Latin text breaks at a space; Chinese (no spaces between words) anywhere."""
    text = _clean(text)
    if len(text) * 2 <= width:
        return text
    result: list[str] = []
    while text and len(result) < lines - 1 and display_width(text) > width:
        cut = _break_at(text, max(_fitting(text, width), 1))
        result.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        result.append(ellipsize(text, width))
    return "\n".join(result)


def _break_at(text: str, cut: int) -> int:
    """Move a line break back so that no line starts with closing punctuation (避头点) and
    no number or Latin word is split (30, Excel); a word longer than the line is still cut."""
    while 1 < cut < len(text) and text[cut] in _NO_LINE_START:
        cut -= 1
    start = cut
    while 0 < start < len(text) and _word_char(text[start - 1]) and _word_char(text[start]):
        start -= 1
    return start if start > 0 else cut


def _word_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "._-/:+%")


_NO_LINE_START = frozenset("，。、；：！？）》」』”’,.;:!?)]}…%")


_COMPACT = {"en": ((1e9, "B"), (1e6, "M"), (1e3, "k")), "zh-CN": ((1e8, "亿"), (1e4, "万"))}


def fmt_compact(value: float, labels: Mapping[str, str]) -> str:
    """Axis numbers short enough for the margin: 2.8M / 280万 from 100,000 up."""
    if abs(value) < 100_000:
        return number(value)
    for size, suffix in _COMPACT[labels["_lang"]]:
        if abs(value) >= size:
            return f"{number(round(value / size, 2))}{suffix}"
    return number(value)


def mmdd(day: dt.date) -> str:
    return day.strftime("%m-%d")
