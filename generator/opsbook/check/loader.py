"""Loading YAML so that nothing changes meaning and every value keeps its place.

PyYAML's safe loader follows YAML 1.1: ``no`` becomes ``False``, ``2026-06-10`` a date,
``06:10`` the number 370 and ``0755`` an octal number. opsbook composes the node tree with
libyaml and builds values itself, by the YAML 1.2 core rules: only ``true``/``false`` are
booleans, only plain decimal numbers are numbers, everything else stays the text the user
wrote. The node tree is kept, so any path inside the document can be turned into a line and
column when a problem has to be reported.

Hostile input is refused with a located error instead of a hang, a crash or a traceback:
oversized files, deep nesting (libyaml recurses in C and would crash the process), alias
bombs and alias cycles, unknown tags such as ``!!python/object``, non-UTF-8 bytes.
The usual Chinese typing mistakes (a full-width colon or space where YAML wants a half-width
one, a file saved as GBK or UTF-16) get their own located message, found only once a file
has failed to load, so files that load pay nothing for it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from opsbook.check.diagnostics import Diagnostic, JsonPath, Severity
from opsbook.check.typing_mistakes import (
    FULLWIDTH_SPACE,
    UTF16_VARIANTS,
    WHERE_FULLWIDTH,
    explain_failure,
    located,
    misencoded,
)

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 100_000

_PLAIN = "!plain"
_STR, _INT, _FLOAT = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_BOOL, _NULL = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"
_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"

_INT_RE = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_UTF16_BOMS = {b"\xff\xfe": "le-bom", b"\xfe\xff": "be-bom"}


class _PlainResolver(yaml.resolver.BaseResolver):
    """Tags every untagged plain scalar ``!plain`` so opsbook resolves it, not YAML 1.1.

    ``resolve`` is replaced outright: PyYAML's generic version costs more than libyaml's
    whole parse, and opsbook needs none of its regular-expression machinery.
    """

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _SEQ if kind is SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


def _composer_class() -> type:
    try:
        from yaml._yaml import CParser
    except ImportError:  # pure-Python PyYAML: slower, same behaviour
        from yaml.composer import Composer
        from yaml.parser import Parser
        from yaml.reader import Reader
        from yaml.scanner import Scanner

        class PureComposer(Reader, Scanner, Parser, Composer, _PlainResolver):
            def __init__(self, stream: str) -> None:
                Reader.__init__(self, stream)
                Scanner.__init__(self)
                Parser.__init__(self)
                Composer.__init__(self)
                _PlainResolver.__init__(self)

        return PureComposer

    class FastComposer(CParser, _PlainResolver):  # type: ignore[misc,valid-type]
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _PlainResolver.__init__(self)

    return FastComposer


_COMPOSER = _composer_class()


@dataclass(frozen=True)
class LoadedDocument:
    """A file's values, its node tree (for locating problems) and its loading problems."""

    file: str
    data: Any
    root: Node | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.root is not None and not any(
            d.severity is Severity.ERROR for d in self.diagnostics
        )


def load_document(file: str, raw: bytes) -> LoadedDocument:
    """Decode, compose and construct one YAML file; problems come back as diagnostics."""
    problems: list[Diagnostic] = []
    text = _decode(file, raw, problems)
    if text is None:
        return LoadedDocument(file, None, None, problems)
    root = _compose(file, text, problems)
    if root is None:
        return LoadedDocument(file, None, None, explain_failure(file, raw, text, problems))
    builder = _Builder(file)
    data = builder.build(root)
    if builder.misread:  # the tree does not have the shape the user meant: say only why
        return LoadedDocument(file, None, None, problems + builder.problems)
    return LoadedDocument(file, data, root, problems + builder.problems)


def _decode(file: str, raw: bytes, problems: list[Diagnostic]) -> str | None:
    if len(raw) > MAX_BYTES:
        problems.append(located(file, "load.too-large", 1, 1, size=len(raw), limit=MAX_BYTES))
        return None
    if raw.startswith(_UTF32_BOMS):
        problems.append(located(file, "load.encoding", 1, 1, byte=raw[:4].hex(" ")))
        return None
    if raw[:2] in _UTF16_BOMS:
        variant = UTF16_VARIANTS[_UTF16_BOMS[raw[:2]]]
        problems.append(located(file, "load.utf16", 1, 1, variant=variant))
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Diagnostic("load.bom", Severity.WARNING, file, 1, 1))
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.append(misencoded(file, raw, error))
        return None


def _flow_depth_problem(text: str) -> tuple[int, int] | None:
    """Where flow brackets nest deeper than MAX_DEPTH, if they do.

    Block nesting is bounded by the file size (each level costs a column of indentation),
    but ``[[[[…`` is not, and libyaml's composer would overflow the C stack on it.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    for match in re.finditer(r"[\[\]{}]", text):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_DEPTH:
            start = match.start()
            line = text.count("\n", 0, start) + 1
            return line, start - (text.rfind("\n", 0, start) + 1) + 1
    return None


def _compose(file: str, text: str, problems: list[Diagnostic]) -> Node | None:
    too_deep = _flow_depth_problem(text)
    if too_deep:
        problems.append(located(file, "load.too-deep", *too_deep, limit=MAX_DEPTH))
        return None
    try:
        root = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as error:
        problems.append(_syntax_problem(file, text, error))
        return None
    except yaml.YAMLError as error:  # reader errors: control characters
        position = getattr(error, "position", 0) or 0
        line = text.count("\n", 0, position) + 1
        col = position - (text.rfind("\n", 0, position) + 1) + 1
        problems.append(located(file, "load.syntax", line, col, problem=str(error).split("\n")[0]))
        return None
    if root is None:
        problems.append(located(file, "load.empty", 1, 1))
    return root


def _syntax_problem(file: str, text: str, error: yaml.MarkedYAMLError) -> Diagnostic:
    mark = error.problem_mark or error.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = error.problem or error.context or "invalid YAML"
    if "expected a single document" in (error.context or ""):
        return located(file, "load.multiple-documents", line, col)
    if mark and text[mark.index : mark.index + 1] == "\t":
        return located(file, "load.tab", line, col)
    context_mark = error.context_mark
    if error.context and context_mark and context_mark is not mark:
        problem += f" ({error.context} started on line {context_mark.line + 1})"
    return located(file, "load.syntax", line, col, problem=problem)


def node_position(node: Node) -> tuple[int, int]:
    """1-based line and column where a node starts."""
    return node.start_mark.line + 1, node.start_mark.column + 1


def node_end(node: Node) -> tuple[int, int]:
    """1-based line and column just past the node's last character (its ``end_mark``)."""
    return node.end_mark.line + 1, node.end_mark.column + 1


def node_diagnostic(
    file: str, code: str, node: Node, path: JsonPath = (), args: Mapping[str, Any] | None = None
) -> Diagnostic:
    """An error spanning ``node``, from its start to its end."""
    (line, col), (end_line, end_col) = node_position(node), node_end(node)
    return Diagnostic(code, Severity.ERROR, file, line, col, path, args or {},
                      end_line=end_line, end_col=end_col)  # fmt: skip


class _Builder:
    """Builds Python values from a node tree, collecting every problem on the way."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Diagnostic] = []
        self._values = 0
        self._active: set[int] = set()
        self._exhausted = False
        self.misread = False  # a key typed with a full-width space: the nesting is not meant

    def _report(self, code: str, node: Node, **args: Any) -> None:
        self.problems.append(node_diagnostic(self.file, code, node, (), args))

    def build(self, node: Node, depth: int = 0) -> Any:
        self._values += 1
        if self._values > MAX_VALUES:
            if not self._exhausted:
                self._exhausted = True
                # the count runs out at whichever value comes next: not the problem's span
                line, col = node_position(node)
                self.problems.append(
                    located(self.file, "load.alias-limit", line, col, limit=MAX_VALUES)
                )
            return None
        if depth > MAX_DEPTH:
            self._report("load.too-deep", node, limit=MAX_DEPTH)
            return None
        if id(node) in self._active:
            self._report("load.alias-cycle", node)
            return None
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        self._active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return self._sequence(node, depth)
            return self._mapping(node, depth)
        finally:
            self._active.discard(id(node))

    def _check_tag(self, node: Node, default: str) -> bool:
        if node.tag in (default, _PLAIN):
            return True
        self._report("load.tag", node, tag=node.tag.replace("tag:yaml.org,2002:", "!!"))
        return False

    def _sequence(self, node: SequenceNode, depth: int) -> list[Any] | None:
        if not self._check_tag(node, _SEQ):
            return None
        return [self.build(item, depth + 1) for item in node.value]

    def _mapping(self, node: MappingNode, depth: int) -> dict[str, Any] | None:
        if not self._check_tag(node, _MAP):
            return None
        result: dict[str, Any] = {}
        first_seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if key is None:
                continue
            if key in first_seen:
                line, _ = node_position(first_seen[key])
                self._report("load.duplicate-key", key_node, key=key, first_line=line)
                continue
            first_seen[key] = key_node
            result[key] = self.build(value_node, depth + 1)
        return result

    def _key(self, node: Node) -> str | None:
        if not isinstance(node, ScalarNode):
            self._report("load.complex-key", node)
            return None
        if node.tag == "tag:yaml.org,2002:merge" or (node.tag == _PLAIN and node.value == "<<"):
            self._report("load.merge-key", node)
            return None
        if node.tag not in (_PLAIN, _STR):
            self._report("load.tag", node, tag=node.tag.replace("tag:yaml.org,2002:", "!!"))
            return None
        if FULLWIDTH_SPACE in node.value:
            self._fullwidth_key(node)
        return node.value

    def _fullwidth_key(self, node: ScalarNode) -> None:
        """YAML reads a full-width space in the indentation as part of the key, so the key
        and everything under it land at the wrong level."""
        self.misread = True
        index = node.value.index(FULLWIDTH_SPACE)
        where = WHERE_FULLWIDTH["indent" if not node.value[:index].strip() else "key"]
        line, col = node_position(node)
        col += index + (1 if node.style else 0)  # past the opening quote
        self.problems.append(
            located(self.file, "load.fullwidth-space", line, col, line=line, where=where)
        )

    def _scalar(self, node: ScalarNode) -> Any:
        value = node.value
        if node.tag == _PLAIN:
            return resolve_plain(value)
        if node.tag == _STR:
            return value
        explicit = {_INT: _INT_RE, _FLOAT: _FLOAT_RE}.get(node.tag)
        if explicit is not None and explicit.match(value):
            return int(value) if node.tag == _INT else float(value)
        if node.tag == _BOOL and value in _BOOLS:
            return _BOOLS[value]
        if node.tag == _NULL and value in _NULLS:
            return None
        self._report("load.tag", node, tag=node.tag.replace("tag:yaml.org,2002:", "!!"))
        return None


def resolve_plain(value: str) -> Any:
    """YAML 1.2 core resolution of an untagged plain scalar; anything else stays text."""
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if _INT_RE.match(value):
        return int(value)
    if _FLOAT_RE.match(value):
        return float(value)
    return value


def find_node(root: Node, path: JsonPath, *, key: bool = False) -> Node:
    """The node at ``path`` (or its key, with ``key=True``); the nearest existing ancestor
    when the path goes further than the document does."""
    node = root
    for index, part in enumerate(path):
        last = index == len(path) - 1
        child = _child(node, part, key=key and last)
        if child is None:
            return node
        node = child
    return node


def _child(node: Node, part: str | int, *, key: bool) -> Node | None:
    if isinstance(node, MappingNode) and isinstance(part, str):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == part:
                return key_node if key else value_node
    if isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None
