"""The JSON Schemas (the contract) and the translation of their errors into diagnostics.

jsonschema's own messages are written for programmers (``'doing' is not one of [...]``,
``None is not of type 'object'``). Each error is turned into an opsbook diagnostic located
at the right node: a missing key at the mapping that lacks it, an unknown key at the key
itself, anything else at the offending value; with a hint in the reader's language.
"""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from opsbook.check.diagnostics import Diagnostic, Severity
from opsbook.check.loader import LoadedDocument, find_node, node_diagnostic, node_position
from opsbook.check.typing_mistakes import FULLWIDTH_INDENT, fullwidth_mistake

SCENARIO_SCHEMA = "scenario.schema.json"
TEAM_SCHEMA = "team.schema.json"

# Words people type for an enum value, in both languages; used for "did you mean" hints.
ENUM_SYNONYMS: Mapping[str, str] = {
    "进行中": "in-progress", "执行中": "in-progress", "doing": "in-progress",
    "wip": "in-progress", "ongoing": "in-progress", "已完成": "done", "完成": "done",
    "finished": "done", "complete": "done", "completed": "done", "未开始": "not-started",
    "待开始": "not-started", "todo": "not-started", "延期": "delayed", "已延期": "delayed",
    "late": "delayed", "待处理": "open", "处理中": "in-progress", "已解决": "closed",
    "已关闭": "closed", "resolved": "closed", "fixed": "closed", "每天": "daily",
    "每日": "daily", "每周": "weekly", "双周": "biweekly", "每月": "monthly",
    "每季度": "quarterly", "电商": "ecommerce", "本地生活": "local-services",
    "内容": "content", "越高越好": "up", "越低越好": "down", "higher": "up", "lower": "down",
}  # fmt: skip

_TYPE_NAMES = {
    "object": {"en": "a mapping of keys", "zh-CN": "键值映射"},
    "array": {"en": "a list", "zh-CN": "列表"},
    "string": {"en": "text", "zh-CN": "文本"},
    "number": {"en": "a number", "zh-CN": "数字"},
    "integer": {"en": "a whole number", "zh-CN": "整数"},
    "boolean": {"en": "true or false", "zh-CN": "true 或 false"},
    "null": {"en": "empty", "zh-CN": "空值"},
}


def schema_dir() -> Path:
    """The packaged schemas; in a source checkout, the repository's ``schema/`` folder."""
    packaged = resources.files("opsbook") / "_schema"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "schema"


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    return json.loads((schema_dir() / name).read_text(encoding="utf-8"))


@functools.cache
def validator_for(name: str) -> Draft202012Validator:
    """One compiled validator per schema and process: building it is the expensive part."""
    checker = FormatChecker(formats=["date", "email"])
    return Draft202012Validator(load_schema(name), format_checker=checker)


@functools.cache
def _fast_validator(name: str) -> Any:
    """jsonschema-rs, when installed: it says *whether* a document is valid 50× faster.

    Most documents are valid, so they never reach the slower validator, which is kept
    for what it does best: describing every error of the invalid ones.
    """
    try:
        import jsonschema_rs
    except ImportError:  # an optional accelerator: the results are the same without it
        return None
    return jsonschema_rs.Draft202012Validator(load_schema(name), validate_formats=True)


def validate_document(document: LoadedDocument, schema_name: str) -> list[Diagnostic]:
    """Every schema problem of a loaded document, located and deduplicated."""
    fast = _fast_validator(schema_name)
    if fast is not None and fast.is_valid(document.data):
        return []
    validator = validator_for(schema_name)
    found: dict[tuple[Any, ...], Diagnostic] = {}
    for error in validator.iter_errors(document.data):
        if error.validator == "pattern" and error.validator_value == BLANK_PATTERN:
            error = _named_by_field(error, validator.schema)
        for diagnostic in _translate(error, document):
            identity = (diagnostic.path, diagnostic.code, diagnostic.line, str(diagnostic.args))
            found.setdefault(identity, diagnostic)
    return _without_length_of_blank(list(found.values()))


def _named_by_field(error: ValidationError, root: Mapping[str, Any]) -> ValidationError:
    """``error`` with the title of its field when the keyword that failed is in a shared
    definition (``owner`` → ``$defs/personRef``): "fill in 'Owner'", as the reader knows the
    field, not 'Person'. Local references only: the schemas hold no other."""
    node: Any = root
    title: Any = None
    keys = list(error.absolute_schema_path)[:-1]
    for previous, key in zip([None, *keys], keys, strict=False):
        if isinstance(node, Mapping) and key not in node and "$ref" in node:
            node = _local_reference(root, str(node["$ref"]))
        node = node[key]
        if previous == "properties" and isinstance(node, Mapping):
            title = node.get("title", title)
    if title is not None and isinstance(error.schema, Mapping):
        error.schema = {**error.schema, "title": title}
    return error


def _local_reference(root: Mapping[str, Any], reference: str) -> Any:
    node: Any = root
    for part in reference.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _without_length_of_blank(found: list[Diagnostic]) -> list[Diagnostic]:
    """Blank text that is also too short is one problem: saying it is blank is enough."""
    blank = {d.path for d in found if d.code == "schema.blank"}
    return [d for d in found if not (d.code == "schema.length" and d.path in blank)]


def _translate(error: ValidationError, document: LoadedDocument) -> Iterator[Diagnostic]:
    path = tuple(error.absolute_path)
    keyword = str(error.validator)
    if keyword == "required":
        yield from _missing_keys(error, document, path)
    elif keyword == "additionalProperties":
        yield from _unknown_keys(error, document, path)
    elif keyword == "type" and (typo := _typed_with_fullwidth(error, document, path)):
        yield typo
    else:
        code, args = _value_problem(keyword, error)
        yield _located(document, code, path, args)


def _typed_with_fullwidth(
    error: ValidationError, document: LoadedDocument, path: tuple[Any, ...]
) -> Diagnostic | None:
    """``needs:`` followed by ``goal:\u3000…`` or ``- id：…`` loads as text where a mapping
    was meant: the full-width character is the problem, not the type."""
    if not isinstance(error.instance, str) or error.validator_value not in ("object", "array"):
        return None
    mistake = fullwidth_mistake(error.instance)
    if mistake is None or mistake[2].get("where") == FULLWIDTH_INDENT:
        return None
    code, index, args = mistake
    assert document.root is not None
    node = find_node(document.root, path)
    line, col = node_position(node)
    col += index + (1 if getattr(node, "style", None) else 0)
    return Diagnostic(code, Severity.ERROR, document.file, line, col, path, {"line": line, **args})


def _located(
    document: LoadedDocument,
    code: str,
    path: tuple[Any, ...],
    args: dict[str, Any],
    *,
    key: bool = False,
) -> Diagnostic:
    assert document.root is not None
    node = find_node(document.root, path, key=key)
    return node_diagnostic(document.file, code, node, path, args)


def _missing_keys(
    error: ValidationError, document: LoadedDocument, path: tuple[Any, ...]
) -> Iterator[Diagnostic]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    properties = _enclosing_properties(error)
    for key in error.validator_value:
        if key not in instance:
            title = properties.get(key, {}).get("title", key)
            yield _located(document, "schema.required", path, {"key": key, "title": title})


def _enclosing_properties(error: ValidationError) -> dict[str, Any]:
    """The ``properties`` of the object schema an error belongs to, even when the error
    comes from a conditional (``allOf``/``then``) inside it."""
    if isinstance(error.schema, dict) and "properties" in error.schema:
        return error.schema["properties"]
    properties: dict[str, Any] = {}
    node = load_schema(SCENARIO_SCHEMA)
    for part in error.absolute_schema_path:
        if isinstance(node, dict) and "properties" in node:
            properties = node["properties"]
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    return properties


def _unknown_keys(
    error: ValidationError, document: LoadedDocument, path: tuple[Any, ...]
) -> Iterator[Diagnostic]:
    allowed = sorted(error.schema.get("properties", {}))
    for key in error.instance:
        if key not in allowed:
            args = {"key": key, "suggestion": _did_you_mean(key, allowed)}
            yield _located(document, "schema.unknown-key", (*path, key), args, key=True)


def _did_you_mean(value: str, allowed: list[str]) -> dict[str, str]:
    match = ENUM_SYNONYMS.get(str(value).strip().lower()) or ENUM_SYNONYMS.get(str(value))
    if match not in allowed:
        close = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.6)
        match = close[0] if close else None
    if match:
        return {"en": f"did you mean '{match}'?", "zh-CN": f"是不是“{match}”？"}
    listed = ", ".join(allowed)
    return {"en": f"allowed: {listed}", "zh-CN": f"可用的取值：{listed}"}


def show(value: Any) -> str:
    """A user's value as it appears in a message: quoted text, bare numbers, short."""
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "…"
        return f"'{text}'"
    if value is None:
        return "(empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return "{…}" if isinstance(value, dict) else "[…]"
    return str(value)


def _value_problem(keyword: str, error: ValidationError) -> tuple[str, dict[str, Any]]:
    handler = _VALUE_HANDLERS.get(keyword)
    if handler is None:
        return "schema.invalid", {"detail": error.message}
    return handler(error)


def _enum(error: ValidationError) -> tuple[str, dict[str, Any]]:
    allowed = [str(v) for v in error.validator_value]
    return "schema.enum", {
        "value": show(error.instance),
        "allowed": ", ".join(allowed),
        "suggestion": _did_you_mean(str(error.instance), allowed),
    }


def _type(error: ValidationError) -> tuple[str, dict[str, Any]]:
    expected = error.validator_value
    expected_name = _TYPE_NAMES.get(expected, {"en": str(expected), "zh-CN": str(expected)})
    if error.instance is None:
        return "schema.empty", {"expected": expected_name}
    return "schema.type", {
        "value": show(error.instance),
        "actual": _TYPE_NAMES[_json_type(error.instance)],
        "expected": expected_name,
        "advice": _type_advice(error.instance, expected),
    }


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {dict: "object", list: "array"}.get(type(value), "string")


def _type_advice(value: Any, expected: str) -> dict[str, str]:
    if expected == "boolean" and isinstance(value, str):
        return {
            "en": "YAML 1.1 words such as yes/no/on/off are text in opsbook: write true or false",
            "zh-CN": "opsbook 把 yes/no/on/off 当作文本：请写 true 或 false",
        }
    if expected in ("number", "integer") and isinstance(value, str):
        return {
            "en": "write a plain number without quotes, units or leading zeros, e.g. 20 or 0.9",
            "zh-CN": "请写不带引号、单位和前导零的数字，如 20 或 0.9",
        }
    if expected == "string" and value is not None:
        return {"en": "put the value in quotes", "zh-CN": "请给该值加上引号"}
    return {"en": "fill in the value", "zh-CN": "请填写该值"}


def _format(error: ValidationError) -> tuple[str, dict[str, Any]]:
    if error.validator_value == "email":
        return "schema.email", {"value": show(error.instance)}
    return "schema.format", {"value": show(error.instance)}


BLANK_PATTERN = "\\S"  # the schemas' way of saying "some text, not only spaces"


def _pattern(error: ValidationError) -> tuple[str, dict[str, Any]]:
    pattern = str(error.validator_value)
    if pattern == BLANK_PATTERN:
        return "schema.blank", {"title": _title_in_each_language(error.schema)}
    if pattern.startswith("^[a-z][a-z0-9._-]"):
        advice = {
            "en": "use lowercase letters, digits, dots and hyphens, e.g. ops.li",
            "zh-CN": "请使用小写字母、数字、点和连字符，如 ops.li",
        }
    elif pattern.startswith("^[a-z0-9]+"):
        advice = {
            "en": "use lowercase letters, digits and hyphens, e.g. coupon-pack",
            "zh-CN": "请使用小写字母、数字和连字符，如 coupon-pack",
        }
    else:
        advice = {"en": f"it must match {pattern}", "zh-CN": f"须符合格式 {pattern}"}
    return "schema.pattern", {"value": show(error.instance), "advice": advice}


def _title_in_each_language(schema: Any) -> dict[str, str]:
    """A schema title such as ``场景名称 · Title`` as ``{"en": "Title", "zh-CN": "场景名称"}``."""
    title = schema.get("title", "") if isinstance(schema, dict) else ""
    zh, _, en = title.partition(" · ")
    return {"en": en or zh, "zh-CN": zh}


_BOUNDS = {
    "minimum": ("≥", "不小于"),
    "maximum": ("≤", "不大于"),
    "exclusiveMinimum": (">", "大于"),
    "exclusiveMaximum": ("<", "小于"),
}


def _range(error: ValidationError) -> tuple[str, dict[str, Any]]:
    en, zh = _BOUNDS[str(error.validator)]
    limit = error.validator_value
    advice = {"en": "thresholds are fractions: 0.9 means 90%", "zh-CN": "阈值是比例：0.9 表示 90%"}
    if not str(error.relative_path[-1] if error.relative_path else "").endswith("_at"):
        advice = {"en": "correct the value", "zh-CN": "请更正该值"}
    bound = {"en": f"{en} {limit}", "zh-CN": f"{zh} {limit}"}
    return "schema.range", {"value": show(error.instance), "bound": bound, "advice": advice}


def _count(error: ValidationError) -> tuple[str, dict[str, Any]]:
    limit = error.validator_value
    word = ("at least", "至少") if error.validator == "minItems" else ("at most", "最多")
    bound = {"en": f"{word[0]} {limit}", "zh-CN": f"{word[1]} {limit} 项"}
    return "schema.count", {"count": len(error.instance), "bound": bound}


def _length(error: ValidationError) -> tuple[str, dict[str, Any]]:
    limit = error.validator_value
    if error.validator == "minLength":
        which, bound = (
            "short",
            {"en": f"at least {limit} characters", "zh-CN": f"至少 {limit} 个字"},
        )
    else:
        which, bound = "long", {"en": f"at most {limit} characters", "zh-CN": f"最多 {limit} 个字"}
    return "schema.length", {"value": show(error.instance), "which": which, "bound": bound}


def _unique(error: ValidationError) -> tuple[str, dict[str, Any]]:
    return "schema.unique", {}


_VALUE_HANDLERS = {
    "enum": _enum,
    "type": _type,
    "format": _format,
    "pattern": _pattern,
    "minimum": _range,
    "maximum": _range,
    "exclusiveMinimum": _range,
    "exclusiveMaximum": _range,
    "minItems": _count,
    "maxItems": _count,
    "minLength": _length,
    "maxLength": _length,
    "uniqueItems": _unique,
}
