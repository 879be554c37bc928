"""Loading keeps what the user wrote and refuses hostile input with a located error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from opsbook.check.loader import MAX_BYTES, load_document


def test_values_keep_their_yaml_1_2_meaning() -> None:
    text = "a: no\nb: 0755\nc: 2026-06-10\nd: 06:10\ne: 1.5\nf: true\ng: ~\nh: '7'\ni: -3\nj: 1e3\n"
    document = load_document("f.yaml", text.encode())
    assert document.data == {
        "a": "no", "b": "0755", "c": "2026-06-10", "d": "06:10", "e": 1.5,
        "f": True, "g": None, "h": "7", "i": -3, "j": 1000.0,
    }  # fmt: skip
    assert not isinstance(document.data["c"], dt.date)
    assert document.diagnostics == []


def test_explicit_standard_tags_are_honoured() -> None:
    document = load_document("f.yaml", b"a: !!str 5\nb: !!int '7'\nc: !!float '1.5'\n")
    assert document.data == {"a": "5", "b": 7, "c": 1.5}


@pytest.mark.parametrize(
    ("raw", "code", "line", "col"),
    [
        (b"a: 1\na: 2\n", "load.duplicate-key", 2, 1),
        (b"a: !!python/name:os.system x\n", "load.tag", 1, 4),
        (b"a: !!binary aGk=\n", "load.tag", 1, 4),
        (b"a: !custom x\n", "load.tag", 1, 4),
        (b"a:\n\tb: 1\n", "load.tab", 2, 1),
        (b"a: &x [*x]\n", "load.alias-cycle", 1, 4),
        (b"<<: {a: 1}\n", "load.merge-key", 1, 1),
        (b"? [a]\n: 1\n", "load.complex-key", 1, 3),
        (b"a: \x07\n", "load.syntax", 1, 4),
        (b"a: 1\n---\nb: 2\n", "load.multiple-documents", 2, 1),
        (b"   \n# only a comment\n", "load.empty", 1, 1),
        (b"a: 1\nb: \xe4\xb8\n", "load.encoding", 2, 4),
        (b"\xff\xfea\x00", "load.utf16", 1, 1),
        (b"\xff\xfe\x00\x00a\x00\x00\x00", "load.encoding", 1, 1),
        (b"[" * 70 + b"]" * 70, "load.too-deep", 1, 65),
    ],
)
def test_hostile_input_gives_a_located_error(raw: bytes, code: str, line: int, col: int) -> None:
    document = load_document("f.yaml", raw)
    located = [(d.code, d.line, d.col) for d in document.diagnostics]
    assert (code, line, col) in located


def test_block_nesting_deeper_than_the_limit() -> None:
    text = "".join(" " * i + f"k{i}:\n" for i in range(80)) + " " * 80 + "v\n"
    codes = {d.code for d in load_document("f.yaml", text.encode()).diagnostics}
    assert codes == {"load.too-deep"}


def test_alias_bomb_stops_at_the_budget() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    document = load_document("bomb.yaml", "\n".join(lines).encode())
    assert [d.code for d in document.diagnostics] == ["load.alias-limit"]


def test_huge_file_is_refused_before_parsing() -> None:
    raw = b"a: '" + b"x" * MAX_BYTES + b"'\n"
    document = load_document("big.yaml", raw)
    assert [(d.code, d.line, d.col) for d in document.diagnostics] == [("load.too-large", 1, 1)]
    assert document.root is None


def test_bom_is_a_warning_and_the_content_still_loads() -> None:
    document = load_document("f.yaml", b"\xef\xbb\xbfa: 1\n")
    assert document.data == {"a": 1}
    assert [(d.code, d.severity.value) for d in document.diagnostics] == [("load.bom", "warning")]


def test_huge_file_through_the_cli(tmp_path: Path, run_opsbook) -> None:
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "team.yaml").write_bytes(
        (Path(__file__).parent / "cases" / "team.yaml").read_bytes()
    )
    (scenarios / "big.yaml").write_bytes(b"id: '" + b"x" * (2 * MAX_BYTES) + b"'\n")
    result = run_opsbook("check", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith(
        "scenarios/big.yaml:1:1: error[load.too-large] the file is 2097159 bytes; the limit is 1048576\n"
    )


@pytest.mark.parametrize(
    ("text", "code", "line", "col"),
    [
        ("id: x\ntitle：新用户\nindustry: e\n", "load.fullwidth-colon", 2, 6),
        ("id：x\ntitle: 新用户\n", "load.fullwidth-colon", 1, 3),
        ("id: x\nowner： ops.li\n", "load.fullwidth-colon", 2, 6),
        ("needs：\n  goal: a\n", "load.fullwidth-colon", 1, 6),
        ("actions:\n  - id：a\n    strategy: s\n", "load.fullwidth-colon", 2, 7),
        ("a:\n  b: 1\n  c ：2\n  d: 3\n", "load.fullwidth-colon", 3, 5),
        ("id: x\ntitle:\u3000新用户\nindustry: e\n", "load.fullwidth-space", 2, 7),
        ("needs:\n\u3000\u3000goal: x\n", "load.fullwidth-space", 2, 1),
        ("needs:\n  goal: a\n  \u3000user_group: b\n", "load.fullwidth-space", 3, 3),
        ("actions:\n\u3000- id: a\n", "load.fullwidth-space", 2, 1),
        ("a: 1\ntitle\u3000: x\n", "load.fullwidth-space", 2, 6),
    ],
)
def test_chinese_typing_mistakes_are_located_exactly(
    text: str, code: str, line: int, col: int
) -> None:
    document = load_document("f.yaml", text.encode())
    assert [(d.code, d.line, d.col) for d in document.diagnostics] == [(code, line, col)]
    assert document.root is None  # nothing else is checked on a misread tree


def test_every_mistyped_line_is_reported_not_only_the_first() -> None:
    text = "id: x\ntitle：a\nmodule: b\nowner： c\nsummary:\u3000d\n"
    document = load_document("f.yaml", text.encode())
    located = [(d.code, d.line) for d in document.diagnostics]
    assert located == [
        ("load.fullwidth-colon", 2),
        ("load.fullwidth-colon", 4),
        ("load.fullwidth-space", 5),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "goal: 首单转化率：20%\n",
        "title: '标题：副标题'\n",
        "note: |\n  注意：这里是正文\n",
        "a: [x：y]\n",
        "b: 备注:\u3000全角空格在值里\n",
    ],
)
def test_fullwidth_characters_inside_values_are_text(text: str) -> None:
    document = load_document("f.yaml", text.encode())
    assert document.diagnostics == []
    assert document.ok


@pytest.mark.parametrize(
    ("encoding", "variant"),
    [("utf-16-le", "little-endian, no BOM"), ("utf-16-be", "big-endian, no BOM")],
)
def test_utf16_without_bom_is_named(encoding: str, variant: str) -> None:
    for text in ("id: x\ntitle: 新用户首单转化\n", "id: x\ntitle: ascii only\n"):
        document = load_document("f.yaml", text.encode(encoding))
        [problem] = document.diagnostics
        assert (problem.code, problem.line, problem.col) == ("load.utf16", 1, 1)
        assert problem.args["variant"]["en"] == variant


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_is_named_at_its_first_chinese_character(encoding: str) -> None:
    raw = "id: x\ntitle: 新用户首单转化\n".encode(encoding)
    [problem] = load_document("f.yaml", raw).diagnostics
    assert (problem.code, problem.line, problem.col) == ("load.gbk", 2, 8)


def test_damaged_utf8_is_not_mistaken_for_gbk() -> None:
    raw = "id: x\ntitle: 新用户首单转化\nmodule: 用户增长\n".encode().replace(b"\xe9\xa6", b"\xff")
    [problem] = load_document("f.yaml", raw).diagnostics
    assert (problem.code, problem.line, problem.col) == ("load.encoding", 2, 11)
