"""Loading keeps what the user wrote and refuses hostile input with a located error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from opsbook.loader import MAX_BYTES, load_document


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
        (b"\xff\xfea\x00", "load.encoding", 1, 1),
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
