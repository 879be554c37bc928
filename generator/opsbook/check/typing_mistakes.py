"""The usual Chinese typing mistakes behind a file that does not load, each with its own
located message: a full-width colon or space where YAML wants a half-width one, a file saved
as GBK or UTF-16. Looked for only once a file has failed to load (see :mod:`.loader`)."""

from __future__ import annotations

import re
from typing import Any

from opsbook.check.diagnostics import Diagnostic, Severity

UTF16_VARIANTS = {
    "le-bom": {"en": "little-endian, with BOM", "zh-CN": "小端序，带 BOM"},
    "be-bom": {"en": "big-endian, with BOM", "zh-CN": "大端序，带 BOM"},
    "le": {"en": "little-endian, no BOM", "zh-CN": "小端序，无 BOM"},
    "be": {"en": "big-endian, no BOM", "zh-CN": "大端序，无 BOM"},
}
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
FULLWIDTH_SPACE = "\u3000"
# What comes before a key on its line: indentation and list dashes (a full-width space among
# them is a typing mistake, since YAML does not count it as indentation).
_KEY_PREFIX = re.compile(r"[ \u3000]*(?:-[ \u3000]+)*")
# A key typed with the Chinese input method on: 'title：…' or 'title:\u3000…'. Keys in
# opsbook's schemas are ASCII, so a value that merely contains '：' never matches.
_FULLWIDTH_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]*)[ \u3000]*(：|:\u3000)")
FULLWIDTH_INDENT = {"en": "in the indentation", "zh-CN": "的缩进中"}
WHERE_FULLWIDTH = {
    "indent": FULLWIDTH_INDENT,
    "after-colon": {"en": "right after the colon", "zh-CN": "的冒号后面"},
    "key": {"en": "in a key", "zh-CN": "的键名中"},
}


def located(file: str, code: str, line: int, col: int, /, **args: Any) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, file, line, col, (), args)


def misencoded(file: str, raw: bytes, error: UnicodeDecodeError) -> Diagnostic:
    """Why a file is not UTF-8: saved as UTF-16 or GBK (what Chinese Windows editors
    default to), or just a stray byte."""
    variant = utf16_variant(raw)
    if variant is not None:
        return located(file, "load.utf16", 1, 1, variant=UTF16_VARIANTS[variant])
    line = raw.count(b"\n", 0, error.start) + 1
    line_start = raw.rfind(b"\n", 0, error.start) + 1
    col = len(raw[line_start : error.start].decode("utf-8")) + 1  # characters, not bytes
    if _looks_like_gbk(raw):
        return located(file, "load.gbk", line, col)
    return located(file, "load.encoding", line, col, byte=raw[error.start : error.start + 1].hex())


def utf16_variant(raw: bytes) -> str | None:
    """``le`` or ``be`` when BOM-less bytes are UTF-16: text with ASCII in it (keys, dates,
    indentation) has a zero byte in every other position."""
    sample = raw[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) < len(sample) // 10 or min(even, odd) * 4 > max(even, odd):
        return None
    variant = "le" if odd > even else "be"
    try:
        raw[: len(raw) // 2 * 2].decode(f"utf-16-{variant}")
    except UnicodeDecodeError:
        return None
    return variant


def _looks_like_gbk(raw: bytes) -> bool:
    """GB18030 (a superset of GBK and GB2312) decodes it into Chinese (two characters at
    least: one could be a cut UTF-8 sequence), and it is not mostly UTF-8 Chinese with a
    few damaged bytes."""
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    as_utf8 = raw.decode("utf-8", errors="replace")
    damaged_utf8 = len(_HAN.findall(as_utf8)) > as_utf8.count("\ufffd")
    return not damaged_utf8 and len(_HAN.findall(text)) >= 2


def explain_failure(
    file: str, raw: bytes, text: str, problems: list[Diagnostic]
) -> list[Diagnostic]:
    """A YAML error explained by its likely cause, when there is one: UTF-16 without BOM
    (ASCII-only UTF-16 is valid UTF-8 full of zero bytes), or keys typed with the Chinese
    input method on. Runs only for files that did not parse."""
    if not any(d.code == "load.syntax" for d in problems):
        return problems
    if "\x00" in text:
        variant = utf16_variant(raw)
        if variant is not None:
            return [located(file, "load.utf16", 1, 1, variant=UTF16_VARIANTS[variant])]
    mistakes = typing_mistakes(file, text)
    if not mistakes:
        return problems
    return [d for d in problems if d.code != "load.syntax"] + mistakes


def typing_mistakes(file: str, text: str) -> list[Diagnostic]:
    """Every line whose key is typed with a full-width colon or a full-width space."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        mistake = fullwidth_mistake(line)
        if mistake is not None:
            code, index, args = mistake
            found.append(located(file, code, number, index + 1, line=number, **args))
    return found


def fullwidth_mistake(line: str) -> tuple[str, int, dict[str, Any]] | None:
    """The code, 0-based column and arguments of a full-width typing mistake in the key
    part of a line: ``　title: x``, ``title：x`` or ``title:　x``."""
    prefix = _KEY_PREFIX.match(line)
    end = prefix.end() if prefix else 0
    if FULLWIDTH_SPACE in line[:end]:
        return (
            "load.fullwidth-space",
            line.index(FULLWIDTH_SPACE),
            {"where": WHERE_FULLWIDTH["indent"]},
        )
    key = _FULLWIDTH_KEY.match(line, end)
    if key is None:
        return None
    if key.group(2) == "：":
        return "load.fullwidth-colon", key.start(2), {"key": key.group(1)}
    return "load.fullwidth-space", key.start(2) + 1, {"where": WHERE_FULLWIDTH["after-colon"]}
