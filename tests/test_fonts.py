"""Font discovery and glyph coverage, against the fonts really installed (fonts-noto-cjk)."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

from opsbook.support.fonts import (
    FontChoice,
    FontError,
    find_cjk_font,
    missing_glyphs,
    require_glyphs,
)

NOTO_REGULAR = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_BOLD = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
DEJAVU = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def test_the_first_preferred_cjk_family_is_found_with_its_bold_face() -> None:
    assert find_cjk_font() == FontChoice(
        "Noto Sans CJK SC", NOTO_REGULAR, NOTO_BOLD, covers_cjk=True, regular_index=2,
        bold_index=2,
    )  # fmt: skip


def test_a_family_named_in_mkdocs_yml_is_matched_without_regard_to_case() -> None:
    serif = find_cjk_font("noto serif cjk sc")
    assert (serif.family, serif.regular.name, serif.bold and serif.bold.name) == (
        "Noto Serif CJK SC", "NotoSerifCJK-Regular.ttc", "NotoSerifCJK-Bold.ttc",
    )  # fmt: skip
    assert serif.covers_cjk


def test_a_font_file_picks_the_simplified_chinese_face_of_a_collection() -> None:
    choice = find_cjk_font(str(NOTO_REGULAR))
    assert (choice.family, choice.regular_index, choice.bold) == ("Noto Sans CJK SC", 2, NOTO_BOLD)


def test_a_named_font_that_is_not_installed_is_refused_with_what_is() -> None:
    with pytest.raises(FontError) as error:
        find_cjk_font("No Such Sans", lang="en")
    assert str(error.value).startswith(
        "the font 'No Such Sans' named in mkdocs.yml (plugins: - opsbook: {font: ...}) is not "
        "installed; installed fonts that have Chinese glyphs: 'Noto Sans CJK SC', "
        "'Noto Sans CJK TC', "
    )
    assert str(error.value).endswith(
        "; fix: name one of these, or install 'No Such Sans' (Debian/Ubuntu: "
        "sudo apt-get install fonts-noto-cjk gives 'Noto Sans CJK SC')"
    )
    with pytest.raises(FontError) as error:
        find_cjk_font("fonts/missing.otf", lang="zh-CN")
    assert str(error.value) == (
        "mkdocs.yml 中指定的字体文件“fonts/missing.otf”（plugins: - opsbook: {font: ...}）不存在；"
        "修复：改正路径，或改为已安装的字体名称，如“Noto Sans CJK SC”"
    )


def test_coverage_is_read_from_the_font_itself() -> None:
    latin = FontChoice("DejaVu Sans", DEJAVU, None, covers_cjk=False)
    assert missing_glyphs("达成率 90%\n", latin) == ("达", "成", "率")
    assert missing_glyphs("达成率 90%", find_cjk_font()) == ()
    require_glyphs(["Target 20%", "\t\u200b"], latin, lang="en")  # spaces need no glyph
    with pytest.raises(FontError) as error:
        require_glyphs(["ok", "emoji 🙂 here"], latin, lang="en")
    assert str(error.value) == (
        f"the font 'DejaVu Sans' ({DEJAVU}) has no glyph for '🙂' (U+1F642) in the text "
        "'emoji 🙂 here'; fix: name an installed font that has these characters in mkdocs.yml "
        '(`plugins: - opsbook: {font: "..."}`), or remove them from the text'
    )
