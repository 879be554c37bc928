"""The schemas are the contract: valid JSON Schema 2020-12, documented in both languages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from opsbook.check.loader import load_document
from opsbook.check.schema import SCENARIO_SCHEMA, _fast_validator, validate_document, validator_for

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = sorted((ROOT / "schema").glob("*.schema.json"))
HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3}")


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schema_is_valid_against_its_metaschema(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(path.name)
    jsonschema.Draft202012Validator.check_schema(schema)


def _properties(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{where}.{name}", sub
        for key, sub in node.items():
            if key != "if":  # a condition's properties are tests, not documented fields
                yield from _properties(sub, f"{where}/{key}")
    elif isinstance(node, list):
        for index, sub in enumerate(node):
            yield from _properties(sub, f"{where}[{index}]")


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_property_has_a_chinese_and_english_title_and_description(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    problems = []
    for where, prop in _properties(schema):
        title, description = prop.get("title", ""), prop.get("description", "")
        if not (HAN.search(title) and LATIN.search(title) and " · " in title):
            problems.append(f"{where}: title {title!r}")
        if not (HAN.search(description) and LATIN.search(description)):
            problems.append(f"{where}: description {description!r}")
    assert problems == []


def test_scenario_schema_carries_every_template_column() -> None:
    schema = json.loads((ROOT / "schema" / SCENARIO_SCHEMA).read_text(encoding="utf-8"))
    props = schema["properties"]
    item = lambda name: props[name]["items"]["properties"]  # noqa: E731
    assert {
        "business_goal",
        "goal",
        "user_group",
        "pain_point",
        "journey",
        "success_criteria",
    } <= set(props["needs"]["properties"])
    assert {
        "strategy",
        "action",
        "owner",
        "due",
        "repeat",
        "resources",
        "standard",
        "status",
    } <= set(item("actions"))
    assert {"target", "warn_at", "direction", "source", "observations", "owner"} <= set(
        item("metrics")
    )
    assert {"problem", "cause", "fix", "owner", "due", "status"} <= set(item("anomalies"))
    assert {"period", "attainment", "worked", "problems", "measures", "owner"} <= set(
        item("reviews")
    )
    assert {"step", "standard"} <= set(item("sop"))
    assert {"cycle", "tags", "industry", "module", "owner", "waivers"} <= set(props)


def _case_documents() -> list[Path]:
    return sorted(p for p in (ROOT / "tests" / "cases").rglob("*.yaml") if p.name != "team.yaml")


def test_fast_validator_agrees_with_jsonschema_on_every_case() -> None:
    """jsonschema-rs only decides that a file is valid; it must never pass a file that
    jsonschema would reject."""
    fast = _fast_validator(SCENARIO_SCHEMA)
    assert fast is not None
    slow = validator_for(SCENARIO_SCHEMA)
    checked = 0
    for path in [*_case_documents(), *sorted((ROOT / "scenarios").glob("*-*.yaml"))]:
        document = load_document(str(path), path.read_bytes())
        if document.root is None:
            continue
        checked += 1
        assert fast.is_valid(document.data) == slow.is_valid(document.data), path
    assert checked >= 20


@pytest.mark.parametrize(
    ("value", "blank"),
    [
        ("", True),
        ("   ", True),
        ("\u3000\u3000", True),
        (" \t\n", True),
        ("a", False),
        ("\u3000新用户", False),
    ],
)
def test_both_validators_refuse_blank_text_alike(value: str, blank: bool) -> None:
    """jsonschema (Python ``re``) and jsonschema-rs (Rust ``regex``) both count the
    full-width space as a space, so they agree on what is blank."""
    path = ROOT / "tests" / "cases" / "valid" / "minimal" / "minimal.yaml"
    document = load_document(str(path), path.read_bytes())
    document.data["actions"][0]["strategy"] = value
    fast = _fast_validator(SCENARIO_SCHEMA)
    assert fast is not None
    assert fast.is_valid(document.data) is not blank
    assert validator_for(SCENARIO_SCHEMA).is_valid(document.data) is not blank


def test_blank_text_is_one_problem_with_its_own_code() -> None:
    path = ROOT / "tests" / "cases" / "valid" / "minimal" / "minimal.yaml"
    text = path.read_text(encoding="utf-8").replace("title: 新用户首单转化", 'title: " "')
    document = load_document("minimal.yaml", text.encode())
    [problem] = validate_document(document, SCENARIO_SCHEMA)
    assert (problem.code, problem.line, problem.col, problem.path) == (
        "schema.blank",
        3,
        8,
        ("title",),
    )
    assert problem.args["title"] == {"en": "Title", "zh-CN": "场景名称"}


def test_text_fields_with_a_length_limit_still_have_it() -> None:
    schema = json.loads((ROOT / "schema" / SCENARIO_SCHEMA).read_text(encoding="utf-8"))
    assert schema["properties"]["title"]["maxLength"] == 120
    assert "minLength" not in schema["properties"]["title"]  # the blank pattern covers ""
