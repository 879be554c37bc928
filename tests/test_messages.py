"""Every diagnostic code has its message and hint in both languages."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from opsbook.i18n.messages import CATALOG, LANGUAGES, TEXTS, detect_language, render

PACKAGE = Path(__file__).resolve().parents[1] / "generator" / "opsbook"
AREAS = (
    "load", "schema", "ref", "rule", "date", "waiver", "path", "sql", "value", "csv", "pull",
    "edit", "import", "workbook", "write", "pack", "notify", "cycle", "history", "build",
)  # fmt: skip
CODE = re.compile(rf"[\"']((?:{'|'.join(AREAS)})\.[a-z0-9]+(?:-[a-z0-9]+)*)[\"']")
# Codes named by their short key inside one stage's module: ``PackError("bad-period")``,
# ``say("weekly-title", …)`` in notify.
SHORT_KEY = {
    "pack": re.compile(r"(?:PackError\(|MESSAGES\[|_message\()\s*\"([a-z]+(?:-[a-z]+)*)\""),
    "notify": re.compile(r"say\(\s*\"([a-z]+(?:-[a-z]+)*)\""),
}
EVERY_CODE = {**CATALOG, **TEXTS}
NOT_CODES = {"path.simplify"}  # a Matplotlib setting, not a message


def _codes_in(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    used = set(CODE.findall(text)) - NOT_CODES
    for area, pattern in SHORT_KEY.items():
        if f"/{area}/" in path.as_posix() or area == "pack":
            used |= {f"{area}.{key}" for key in pattern.findall(text)}
    return used


def test_every_code_used_in_the_source_has_a_message() -> None:
    used: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if "i18n" not in path.parts:
            used |= _codes_in(path)
    assert used - set(EVERY_CODE) == set()
    assert {code.split(".")[0] for code in used} == set(AREAS)
    assert len(used) > 150


def test_no_code_is_worded_twice() -> None:
    assert set(CATALOG) & set(TEXTS) == set()
    assert all(CODE.fullmatch(f'"{code}"') for code in EVERY_CODE)


@pytest.mark.parametrize("code", sorted(TEXTS))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_renders_in_both_languages(code: str, lang: str) -> None:
    assert TEXTS[code].en and TEXTS[code].zh
    message, hint = render(code, {}, lang)  # missing arguments never raise
    assert message and hint == ""


@pytest.mark.parametrize("code", sorted(CATALOG))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_message_and_hint_render_in_both_languages(code: str, lang: str) -> None:
    entry = CATALOG[code]
    assert entry.message.en and entry.message.zh and entry.hint.en and entry.hint.zh
    message, _hint = render(code, {}, lang)  # missing arguments never raise
    assert message


@pytest.mark.parametrize(
    ("explicit", "env", "expected"),
    [
        (None, {"LANG": "zh_CN.UTF-8"}, "zh-CN"),
        (None, {"LANG": "en_US.UTF-8", "OPSBOOK_LANG": "zh-CN"}, "zh-CN"),
        ("en", {"LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh-CN"),
        (None, {}, "en"),
    ],
)
def test_language_detection(explicit: str | None, env: dict[str, str], expected: str) -> None:
    assert detect_language(explicit, env) == expected


def _run_in_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run opsbook with a pseudo-terminal as its output, as a person at a terminal does."""
    main, child = pty.openpty()
    process = subprocess.Popen(
        args, stdout=child, stderr=child, env=env, cwd=Path(__file__).parents[1]
    )
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(main)
    return b"".join(chunks).decode()


def test_text_output_is_coloured_on_a_terminal_unless_no_color(tmp_path: Path) -> None:
    case = Path(__file__).parent / "cases" / "invalid" / "references"
    env = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "OPSBOOK_CACHE_DIR": str(tmp_path)}
    args = [sys.executable, "-m", "opsbook", "check", "--team", "tests/cases/team.yaml", str(case)]
    assert "\x1b[31m" in _run_in_terminal(args, env)
    assert "\x1b[" not in _run_in_terminal(args, {**env, "NO_COLOR": "1"})
