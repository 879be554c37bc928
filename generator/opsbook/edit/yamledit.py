"""Surgical edits of scenario YAML: change a few values, leave every other byte alone.

``opsbook pull`` and ``opsbook import-xlsx`` write into files people edit by hand, with
comments, blank lines, flow mappings and their own quoting. A full round trip through any
YAML library re-emits the whole file and sooner or later moves a comment or re-wraps a line,
so edits here are *splices*: the node to change is located in the original text (the loader
keeps every node's position), and only its characters are replaced. New text (a number, a
quoted string, a list of strings) is rendered by ruamel.yaml, so quoting is always correct.
Callers re-load the edited text and compare it with what they meant to write, so a splice
can never silently change anything else.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from yaml.nodes import MappingNode, Node, SequenceNode

from opsbook.check.diagnostics import JsonPath


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``text[start:end]`` with ``new``; an insertion has ``start == end``."""

    start: int
    end: int
    new: str


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (insertions at one point keep their given order)."""
    ordered = sorted(enumerate(edits), key=lambda item: (item[1].start, item[1].end, item[0]))
    out: list[str] = []
    cursor = 0
    for _, edit in ordered:
        if edit.start < cursor:
            raise ValueError(f"overlapping edits at offset {edit.start}")
        out += [text[cursor : edit.start], edit.new]
        cursor = edit.end
    out.append(text[cursor:])
    return "".join(out)


# Rendering values as YAML text.


def format_number(value: float) -> str:
    """Numbers as people write them: ``18`` rather than ``18.0``, ``17.1`` not ``1.71e1``."""
    if isinstance(value, bool) or not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def _ruamel() -> YAML:
    yaml = YAML()
    yaml.width = 1 << 16  # never wrap: one value, one line
    yaml.allow_unicode = True
    return yaml


def render_scalar(value: Any, flow: bool = False) -> str:
    """A scalar as YAML text that the opsbook loader reads back as the same value.

    ``flow``: the text goes inside ``{…}`` or ``[…]``, where a plain ``,`` or ``}`` would end
    the value; such strings are double-quoted (a JSON string is a valid YAML one).
    """
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    if not isinstance(value, str):
        raise TypeError(f"cannot render {type(value).__name__}")
    stream = io.StringIO()
    _ruamel().dump([value], stream)
    text = stream.getvalue().strip().removeprefix("- ").removesuffix("\n...").strip()
    if flow and text[:1] not in "'\"" and any(ch in text for ch in ",[]{}"):
        return json.dumps(value, ensure_ascii=False)
    return text


def render_flow_map(items: Mapping[str, Any]) -> str:
    return (
        "{"
        + ", ".join(f"{key}: {render_scalar(value, True)}" for key, value in items.items())
        + "}"
    )


def render_flow_seq(values: Sequence[Any]) -> str:
    return "[" + ", ".join(render_scalar(value, True) for value in values) + "]"


# Finding nodes.


def child(node: Node | None, part: str | int) -> Node | None:
    """The child of a mapping (by key) or sequence (by index); ``None`` when absent."""
    if isinstance(node, MappingNode) and isinstance(part, str):
        return next((v for k, v in node.value if k.value == part), None)
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None


def node_at(root: Node, path: JsonPath) -> Node | None:
    node: Node | None = root
    for part in path:
        node = child(node, part)
    return node


def line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def after_line(text: str, node: Node) -> int:
    """The offset just after the line where ``node``'s own text ends (its end mark can lie
    past trailing blank lines and comments, which stay where they are)."""
    end = node.end_mark.index
    while end > 0 and text[end - 1] in " \t\r\n":
        end -= 1
    newline = text.find("\n", end)
    return len(text) if newline < 0 else newline + 1


def newline_of(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


# Edits on mappings and sequences.


def set_scalar(text: str, mapping: MappingNode, key: str, value: Any) -> Edit:
    """Set ``key`` in ``mapping`` to a scalar value: replace it or add it."""
    rendered = render_scalar(value, flow=bool(mapping.flow_style))
    for key_node, value_node in mapping.value:
        if key_node.value == key:
            return Edit(value_node.start_mark.index, value_node.end_mark.index, rendered)
    if mapping.flow_style:
        close = mapping.end_mark.index - 1  # the "}"
        separator = ", " if mapping.value else ""
        return Edit(close, close, f"{separator}{key}: {rendered}")
    last_value = mapping.value[-1][1]
    indent = " " * mapping.value[0][0].start_mark.column
    at = after_line(text, last_value)
    return Edit(at, at, f"{indent}{key}: {rendered}{newline_of(text)}")


def replace_node(text: str, node: Node, rendered_flow: str) -> Edit:
    """Replace a whole value with flow-style text (used for flow values and scalars)."""
    return Edit(node.start_mark.index, node.end_mark.index, rendered_flow)


def replace_block_sequence(text: str, node: SequenceNode, values: Sequence[Any]) -> Edit:
    """Replace the items of a block sequence, keeping its indentation and what follows."""
    first = node.value[0]
    dash = text.rfind("-", 0, first.start_mark.index)
    indent = " " * (dash - line_start(text, dash))
    nl = newline_of(text)
    body = "".join(f"{indent}- {render_scalar(v)}{nl}" for v in values)
    start = line_start(text, dash)
    return Edit(start, after_line(text, node.value[-1]), body)


def item_indent(text: str, sequence: SequenceNode) -> str:
    """The indentation of the dashes of a block sequence."""
    first = sequence.value[0]
    dash = text.rfind("-", 0, first.start_mark.index)
    return " " * (dash - line_start(text, dash))


def render_item(indent: str, item: Mapping[str, Any], flow: bool, nl: str) -> str:
    """One sequence item as lines: ``- {a: 1, b: 2}`` or a block mapping under the dash."""
    if flow:
        return f"{indent}- {render_flow_map(item)}{nl}"
    lines = [f"{key}: {render_scalar(value)}" for key, value in item.items()]
    inner = indent + "  "
    return f"{indent}- {lines[0]}{nl}" + "".join(f"{inner}{line}{nl}" for line in lines[1:])


def insert_items(
    text: str, sequence: SequenceNode, after: Node | None, items: Sequence[Mapping[str, Any]]
) -> Edit:
    """Insert mapping items after the item ``after`` (or first, when ``None``), in the style
    of the sequence and of its existing items."""
    flow_items = bool(sequence.value) and bool(getattr(sequence.value[0], "flow_style", False))
    if sequence.flow_style:
        rendered = ", ".join(render_flow_map(item) for item in items)
        if after is not None:
            return Edit(after.end_mark.index, after.end_mark.index, f", {rendered}")
        at = sequence.start_mark.index + 1  # after "["
        return Edit(at, at, rendered + (", " if sequence.value else ""))
    nl = newline_of(text)
    indent = item_indent(text, sequence)
    body = "".join(render_item(indent, item, flow_items, nl) for item in items)
    if after is not None:
        at = after_line(text, after)
    else:
        first = sequence.value[0]
        at = line_start(text, text.rfind("-", 0, first.start_mark.index))
    return Edit(at, at, body)


def add_key_with_items(
    text: str, mapping: MappingNode, key: str, items: Sequence[Mapping[str, Any]]
) -> Edit:
    """Add ``key:`` with a block sequence of flow mappings at the end of a block mapping."""
    nl = newline_of(text)
    indent = " " * mapping.value[0][0].start_mark.column
    body = f"{indent}{key}:{nl}" + "".join(
        render_item(indent + "  ", item, True, nl) for item in items
    )
    at = after_line(text, mapping.value[-1][1])
    return Edit(at, at, body)
