"""Finding a font that can draw the team's text, and proving it can before anything is drawn.

Charts (matplotlib) and the review pack (Typst) both draw boxes instead of Chinese characters
when the font lacks them — Typst without any warning. So opsbook picks a CJK-capable font
itself, lets ``mkdocs.yml`` name one (``plugins: - opsbook: {font: ...}``), and checks the
real glyph coverage of every text it is about to draw, failing with the exact fix.

Discovery asks fontconfig (``fc-list``: fast, always current, knows the face index inside
``.ttc`` collections) and falls back to matplotlib's font list where fontconfig is absent
(Windows, macOS without Homebrew). Nothing is cached between calls: a font installed a
minute ago is found on the next run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from opsbook.i18n.messages import Text
from opsbook.support.errors import OpsbookError

if TYPE_CHECKING:
    from matplotlib.ft2font import FT2Font

# Simplified-Chinese families first, in the order a Chinese reader would prefer them.
CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "PingFang SC",
    "Microsoft YaHei",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "SimHei",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
)
_CJK_SAMPLE = "的一是中文字体"  # frequent Han characters: a font without them is no CJK font
_BOLD_WEIGHT = 200  # fontconfig's FC_WEIGHT_BOLD
_REGULAR_WEIGHT = 80  # FC_WEIGHT_REGULAR
_LIST_LIMIT = 12

_PREFERRED_MISSING = Text(
    "the font '{name}' named in mkdocs.yml (plugins: - opsbook: {{font: ...}}) is not "
    "installed; installed fonts that have Chinese glyphs: {cjk}; fix: name one of these, "
    "or install '{name}' (Debian/Ubuntu: sudo apt-get install fonts-noto-cjk gives "
    "'Noto Sans CJK SC')",
    "mkdocs.yml 中指定的字体“{name}”（plugins: - opsbook: {{font: ...}}）未安装；"
    "已安装且含中文字形的字体：{cjk}；修复：改用其中之一，或安装“{name}”"
    "（Debian/Ubuntu：sudo apt-get install fonts-noto-cjk 可提供“Noto Sans CJK SC”）",
)
_FILE_MISSING = Text(
    "the font file '{path}' named in mkdocs.yml (plugins: - opsbook: {{font: ...}}) does not "
    "exist; fix: correct the path, or name an installed family such as 'Noto Sans CJK SC'",
    "mkdocs.yml 中指定的字体文件“{path}”（plugins: - opsbook: {{font: ...}}）不存在；"
    "修复：改正路径，或改为已安装的字体名称，如“Noto Sans CJK SC”",
)
_MISSING_GLYPHS = Text(
    "the font '{family}' ({file}) has no glyph for {chars} in the text '{text}'{more}; fix: {fix}",
    "字体“{family}”（{file}）缺少文字“{text}”中的字符 {chars}{more}；修复：{fix}",
)
_MORE_TEXTS = Text(" (and {count} more texts)", "（另有 {count} 处文字）")
_FIX_CJK = Text(
    "install a Chinese font with `sudo apt-get install fonts-noto-cjk` (Debian/Ubuntu), "
    "or name an installed font that has these characters in mkdocs.yml: "
    '`plugins: - opsbook: {font: "Noto Sans CJK SC"}`',
    "运行 `sudo apt-get install fonts-noto-cjk` 安装中文字体（Debian/Ubuntu），"
    "或在 mkdocs.yml 中指定一个已安装且包含这些字符的字体："
    '`plugins: - opsbook: {font: "Noto Sans CJK SC"}`',
)
_FIX_OTHER = Text(
    "name an installed font that has these characters in mkdocs.yml "
    '(`plugins: - opsbook: {font: "..."}`), or remove them from the text',
    '在 mkdocs.yml 中指定一个包含这些字符的已安装字体（`plugins: - opsbook: {font: "..."}`），'
    "或从文字中删去这些字符",
)
_NONE = Text("none", "无")


class FontError(OpsbookError):
    """No usable font: the message names the problem and the exact fix, in the asked language."""

    prefix = "opsbook: "


@dataclass(frozen=True)
class FontChoice:
    """One font family as files, with the face inside a ``.ttc`` collection where it matters."""

    family: str
    regular: Path
    bold: Path | None
    covers_cjk: bool
    regular_index: int = 0
    bold_index: int = 0


@dataclass(frozen=True)
class InstalledFace:
    families: tuple[str, ...]  # every name fontconfig knows the face by
    file: Path
    index: int
    weight: int
    upright: bool = True  # neither italic nor oblique
    width: int = 100  # fontconfig's FC_WIDTH_NORMAL; condensed faces are narrower


def find_cjk_font(preferred: str | None = None, *, lang: str = "en") -> FontChoice:
    """The font to draw with: ``preferred`` (a family name or a font file) when given, else
    the first installed family of :data:`CJK_FAMILIES`, else any font with Chinese glyphs,
    else matplotlib's DejaVu Sans with ``covers_cjk=False`` (fine for English-only text;
    :func:`require_glyphs` then explains the fix as soon as Chinese text shows up)."""
    faces = installed_faces()
    if preferred:
        choice = _preferred_choice(preferred.strip(), faces)
        if choice is None:
            path = Path(preferred.strip()).expanduser()
            if path.suffix.lower() in _FONT_SUFFIXES:
                raise FontError(_FILE_MISSING.get(lang).format(path=path))
            raise FontError(_preferred_missing(preferred.strip(), faces, lang))
        return choice
    for family in CJK_FAMILIES:
        choice = _family_choice(family, faces)
        if choice is not None and choice.covers_cjk:
            return choice
    for family in _cjk_families(faces):
        return _family_choice(family, faces) or _fallback_font()
    return _fallback_font()


def require_glyphs(texts: Iterable[str], font: FontChoice, *, lang: str) -> None:
    """Raise :class:`FontError` when a character of ``texts`` is missing from the font.

    Checks the real character map of the regular face (and the bold face, when there is one),
    so "no Chinese font" is caught before a chart or a PDF prints boxes.
    """
    distinct = list(dict.fromkeys(texts))
    absent = set(_missing_chars(set().union(*distinct), font))  # one pass over the font
    if not absent:
        return
    failures = [
        (text, tuple(c for c in dict.fromkeys(text) if c in absent))
        for text in distinct
        if absent.intersection(text)
    ]
    text, missing = failures[0]
    fix = _FIX_CJK if any(_is_cjk(c) for _, chars in failures for c in chars) else _FIX_OTHER
    more = _MORE_TEXTS.get(lang).format(count=len(failures) - 1) if len(failures) > 1 else ""
    raise FontError(
        _MISSING_GLYPHS.get(lang).format(
            family=font.family,
            file=font.regular,
            chars=", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing[:10]),
            text=_shorten(text, 40),
            more=more,
            fix=fix.get(lang),
        )
    )


def missing_glyphs(text: str, font: FontChoice) -> tuple[str, ...]:
    """The characters of ``text`` the font cannot draw (spaces and controls need no glyph)."""
    return _missing_chars(text, font)


# Coverage.


def _missing_chars(text: Iterable[str], font: FontChoice) -> tuple[str, ...]:
    """The characters missing from the font, in order (opening the font files once)."""
    needed = [c for c in dict.fromkeys(text) if _needs_glyph(c)]
    if not needed:
        return ()
    faces = [_open_face(font.regular, font.regular_index)]
    if font.bold is not None:
        faces.append(_open_face(font.bold, font.bold_index))
    return tuple(c for c in needed if any(face.get_char_index(ord(c)) == 0 for face in faces))


def _needs_glyph(char: str) -> bool:
    return not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf")


_CJK_RANGES = (
    (0x2E80, 0x9FFF),  # radicals, CJK punctuation, kana, bopomofo, unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),  # compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms (，：！)
    (0x20000, 0x3FFFF),  # ideograph extensions B and later
)


def _is_cjk(char: str) -> bool:
    """Chinese, Japanese or Korean script (a CJK font fixes it; an emoji needs another)."""
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def _open_face(path: Path, index: int) -> FT2Font:
    from matplotlib.ft2font import FT2Font  # lazy: matplotlib is heavy to import

    return FT2Font(str(path), face_index=index)


def _covers_cjk(path: Path, index: int) -> bool:
    try:
        face = _open_face(path, index)
    except (OSError, RuntimeError, ValueError):
        return False
    return all(face.get_char_index(ord(c)) != 0 for c in _CJK_SAMPLE)


# Choosing.


_FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


def _preferred_choice(preferred: str, faces: Sequence[InstalledFace]) -> FontChoice | None:
    path = Path(preferred).expanduser()
    if path.suffix.lower() in _FONT_SUFFIXES and path.is_file():
        return _file_choice(path, faces)
    return _family_choice(preferred, faces)


def _file_choice(path: Path, faces: Sequence[InstalledFace]) -> FontChoice:
    """A font named by its file: in a collection, the Simplified Chinese face if there is
    one; the family's bold face when that family is installed."""
    first = _open_face(path, 0)
    names = [_open_face(path, i).family_name for i in range(first.num_faces)]
    index = next((i for i, n in enumerate(names) if n.endswith((" SC", " CN"))), 0)
    installed = _family_choice(names[index], faces)
    bold, bold_index = (installed.bold, installed.bold_index) if installed else (None, 0)
    return FontChoice(
        names[index], path, bold, _covers_cjk(path, index), regular_index=index,
        bold_index=bold_index,
    )  # fmt: skip


def _family_choice(family: str, faces: Sequence[InstalledFace]) -> FontChoice | None:
    wanted = family.casefold()
    matching = [f for f in faces if wanted in (name.casefold() for name in f.families)]
    if not matching:
        return None
    regular = min(matching, key=lambda f: _face_rank(f, _REGULAR_WEIGHT))
    bolds = [f for f in matching if f.weight >= _BOLD_WEIGHT]
    bold = min(bolds, key=lambda f: _face_rank(f, _BOLD_WEIGHT), default=None)
    name = next(n for n in regular.families if n.casefold() == wanted)
    return FontChoice(
        family=name,
        regular=regular.file,
        bold=bold.file if bold else None,
        covers_cjk=_covers_cjk(regular.file, regular.index),
        regular_index=regular.index,
        bold_index=bold.index if bold else 0,
    )


def _face_rank(face: InstalledFace, weight: int) -> tuple[bool, int, int, str, int]:
    """Upright, normal width, closest weight first; file and index make the order total."""
    return (
        not face.upright, abs(face.width - 100), abs(face.weight - weight), str(face.file),
        face.index,
    )  # fmt: skip


def _cjk_families(faces: Sequence[InstalledFace]) -> list[str]:
    """Families with Chinese glyphs: the well-known ones in preference order, then the rest
    alphabetically (checked on upright regular faces only)."""
    regular = sorted(
        {(f.families[0], f.file, f.index) for f in faces if f.weight <= _REGULAR_WEIGHT + 20}
    )
    found = dict.fromkeys(name for name, file, index in regular if _covers_cjk(file, index))
    known = {name.casefold(): rank for rank, name in enumerate(CJK_FAMILIES)}
    return sorted(found, key=lambda n: (known.get(n.casefold(), len(known)), n))


def _fallback_font() -> FontChoice:
    import matplotlib  # lazy: matplotlib is heavy to import

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return FontChoice("DejaVu Sans", fonts / "DejaVuSans.ttf", fonts / "DejaVuSans-Bold.ttf", False)


def _preferred_missing(name: str, faces: Sequence[InstalledFace], lang: str) -> str:
    cjk = _cjk_families(faces)
    shown = ", ".join(f"'{n}'" for n in cjk[:_LIST_LIMIT]) or _NONE.get(lang)
    if len(cjk) > _LIST_LIMIT:
        shown += " …"
    return _PREFERRED_MISSING.get(lang).format(name=name, cjk=shown)


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# Discovery.


def installed_faces() -> list[InstalledFace]:
    """Every installed font face: from fontconfig when present, else from matplotlib."""
    faces = _fontconfig_faces()
    return faces if faces is not None else _matplotlib_faces()


_FC_FORMAT = "%{family}\t%{file}\t%{index}\t%{weight}\t%{slant}\t%{width}\n"


def _fontconfig_faces() -> list[InstalledFace] | None:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        output = subprocess.run(
            [fc_list, "--format", _FC_FORMAT, ":scalable=true"],
            capture_output=True, check=True, timeout=60, text=True, encoding="utf-8",
            errors="replace",
        ).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    faces = [face for line in output.splitlines() if (face := _parse_fc_line(line))]
    return sorted(faces, key=lambda f: (str(f.file), f.index))


def _parse_fc_line(line: str) -> InstalledFace | None:
    parts = line.split("\t")
    if len(parts) != 6 or not parts[0] or not parts[1]:
        return None
    families = tuple(n.replace("\\", "") for n in re.split(r"(?<!\\),", parts[0]) if n)
    try:
        index, weight, slant, width = (
            int(float(value or default))
            for value, default in zip(parts[2:], (0, _REGULAR_WEIGHT, 0, 100), strict=True)
        )
    except ValueError:
        return None
    # variable fonts list named instances as (instance << 16) | face; the face is what we open
    return InstalledFace(families, Path(parts[1]), index & 0xFFFF, weight, slant == 0, width)


def _matplotlib_faces() -> list[InstalledFace]:
    from matplotlib import font_manager  # lazy: matplotlib is heavy to import

    faces = []
    for entry in font_manager.fontManager.ttflist:
        weight = entry.weight if isinstance(entry.weight, int) else 400
        # matplotlib weights are CSS (400 regular, 700 bold); map onto fontconfig's scale
        fc_weight = _BOLD_WEIGHT if weight >= 600 else _REGULAR_WEIGHT
        upright = entry.style == "normal"
        width = 100 if entry.stretch == "normal" else 75
        faces.append(
            InstalledFace((entry.name,), Path(entry.fname), entry.index, fc_weight, upright, width)
        )
    return sorted(faces, key=lambda f: (str(f.file), f.index))
