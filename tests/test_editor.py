"""Editor integration, proven with the real yaml-language-server (the engine of the VS Code
YAML extension) over its language-server protocol: the modeline alone is enough for a
shipped or scaffolded scenario to validate, for mistakes to be marked on their line and for
hovers to explain a key in both languages."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from opsbook.edit import scaffold
from yaml_lsp import YamlLanguageServer

MODELINE = "# yaml-language-server: $schema=../schema/scenario.schema.json"
# Settings as a fresh VS Code: nothing configured but validation; no schema store download.
SETTINGS = {"validate": True, "hover": True, "completion": True, "schemaStore": {"enable": False}}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "scenarios", root / "scenarios")
    shutil.copytree(ROOT / "schema", root / "schema")
    return root


def test_every_shipped_scenario_starts_with_the_modeline() -> None:
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        expected = (
            MODELINE.replace("scenario.schema", "team.schema")
            if path.name == "team.yaml"
            else MODELINE
        )
        assert first == expected, path


def test_shipped_and_scaffolded_scenarios_have_no_diagnostics(project: Path) -> None:
    folder = project / "scenarios"
    for industry in scaffold.FAMILIES:
        for lang in ("zh-CN", "en"):
            spec = scaffold.NewScenario(
                industry, f"new-{industry}-{lang.lower()}", "T", "ops.li", lang, dt.date(2026, 7, 1)
            )
            target = folder / f"{spec.scenario_id}.yaml"
            modules = scaffold.team_modules(folder / "team.yaml")
            reference = scaffold.schema_reference(target, project)
            target.write_text(scaffold.render(spec, reference, modules))
    paths = sorted(folder.glob("*.yaml"))
    assert len(paths) == 19
    with YamlLanguageServer(project, SETTINGS) as server:
        found = server.diagnostics(paths)
    assert {path.name: diagnostics for path, diagnostics in found.items() if diagnostics} == {}


def _mark(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` by ``new``; the 0-based line it is on."""
    text = path.read_text(encoding="utf-8")
    index = text.index(old)
    path.write_text(text[:index] + new + text[index + len(old) :], encoding="utf-8")
    return text[:index].count("\n")


def test_mistakes_are_marked_on_their_line(project: Path) -> None:
    path = project / "scenarios" / "ecommerce-new-user-first-order.yaml"
    status_line = _mark(path, "    status: in-progress\n", "    status: stuck\n")
    key_line = _mark(path, "    direction: up\n", "    direction: up\n    trget: 20\n") + 1
    with YamlLanguageServer(project, SETTINGS) as server:
        found = server.diagnostics([path])[path]
    marked = sorted((d["range"]["start"]["line"], d["message"]) for d in found)
    assert marked == [
        (
            status_line,
            'Value is not accepted. Valid values: "not-started", "in-progress", "done", "delayed".',
        ),
        (key_line, "Property trget is not allowed."),
    ]
    status = next(d for d in found if d["range"]["start"]["line"] == status_line)
    assert status["range"]["start"]["character"] == len("    status: ")


def test_hover_explains_a_key_in_both_languages(project: Path) -> None:
    path = project / "scenarios" / "ecommerce-new-user-first-order.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines) if text.startswith("    direction: "))
    with YamlLanguageServer(project, SETTINGS) as server:
        server.diagnostics([path])
        text = server.hover(path, line, 6)
    assert text.startswith("#### 方向 · Direction\n\n")
    assert "higher is better" in text


def test_completion_offers_allowed_values_and_missing_keys(project: Path) -> None:
    path = project / "scenarios" / "ecommerce-new-user-first-order.yaml"
    line = _mark(path, "    status: in-progress\n", "    status: \n")
    with YamlLanguageServer(project, SETTINGS) as server:
        server.diagnostics([path])
        values = server.completion(path, line, len("    status: "))
        _mark(path, "    status: \n", "    status: done\n    \n")
        text = path.read_text(encoding="utf-8")
        server.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": path.resolve().as_uri(), "version": 2},
                "contentChanges": [{"text": text}],
            },
        )
        keys = server.completion(path, line + 1, 4)
    assert [item["label"] for item in values] == ["not-started", "in-progress", "done", "delayed"]
    # this action already has every key but these three; each comes with its explanation
    documented = {item["label"]: _text(item.get("documentation")) for item in keys}
    assert documented == {
        "repeat": "周期性行动的频率（代替截止日期）。\n\nHow often a recurring action happens "
        "(instead of a due date).",
        "note": "补充说明。\n\nA remark.",
        "carried_from": "上一周期未完成、结转到本周期的行动：写上一周期的开始日期"
        "（opsbook cycle next 填写）。\n\nAn unfinished action carried over from an earlier "
        "cycle: that cycle's start date (written by opsbook cycle next).",
    }


def _text(documentation: str | dict[str, str] | None) -> str:
    """LSP documentation is plain text or MarkupContent."""
    if isinstance(documentation, dict):
        return documentation["value"]
    return documentation or ""
