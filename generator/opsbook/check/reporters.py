"""How diagnostics are shown: like a compiler on a terminal, as JSON, or as GitHub annotations.

A reporter is chosen by name (:data:`FORMATS`, :func:`report`); each turns a check result
into text.
Text and GitHub output abridge repeated problems (see :data:`SHOWN_PER_KIND`); JSON keeps
every one. The final tally always counts every problem.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from opsbook.check.diagnostics import Diagnostic, Severity, format_path
from opsbook.check.run import CheckResult
from opsbook.i18n.messages import SUMMARY, render
from opsbook.support.text import display_width

Reporter = Callable[[CheckResult, str], str]
_STYLE = {
    Severity.ERROR: {"fg": "red", "bold": True},
    Severity.WARNING: {"fg": "yellow", "bold": True},
}


class _Sources:
    """Source lines of reported files, read once each."""

    def __init__(self, base: Path) -> None:
        self._base = base  # what the shown file names are relative to
        self._lines: dict[str, list[str]] = {}

    def line(self, file: str, number: int) -> str | None:
        if file not in self._lines:
            try:
                path = self._base / file
                text = path.read_bytes().decode("utf-8", errors="replace")
            except OSError:
                text = ""
            self._lines[file] = text.lstrip("\ufeff").splitlines()
        lines = self._lines[file]
        return lines[number - 1] if 0 < number <= len(lines) else None


_MAX_SNIPPET_WIDTH = 100
# How much of a line after the column the underline can look at: enough for a token of
# _MAX_SNIPPET_WIDTH and the separator after it. Every step works on bounded slices of the
# line, so a problem costs the same on a 100-character line as on a megabyte-long one
# (10,000 problems on one flow-style line used to take minutes).
_LOOKAHEAD = _MAX_SNIPPET_WIDTH + 2
_POINT_ONLY = frozenset({
    "load.encoding", "load.syntax", "load.tab", "load.bom", "load.too-deep",
    "load.fullwidth-colon", "load.fullwidth-space", "load.gbk",
})  # fmt: skip


def _snippet(diagnostic: Diagnostic, sources: _Sources) -> list[str]:
    """The offending line with a caret under the offending value, like a compiler."""
    source = sources.line(diagnostic.file, diagnostic.line)
    if source is None or "\x00" in source:
        return []
    start = min(diagnostic.col - 1, len(source))
    token = " " if diagnostic.code in _POINT_ONLY else _underlined(diagnostic, source, start)
    source, start = _window(source, start)
    gutter = " " * len(str(diagnostic.line))
    caret = " " * display_width(source[:start]) + "^" * max(1, display_width(token))
    return [
        f"{gutter} |",
        f"{diagnostic.line} | {source}",
        f"{gutter} | {click.style(caret, fg='cyan')}",
    ]


def _underlined(diagnostic: Diagnostic, source: str, start: int) -> str:
    """The text from the diagnostic's start to its end when both are on this line; a value
    that goes on over more lines (a block) or has no known end is read off the line.

    Blanks that end the line are not underlined (carets past the last visible character
    point at nothing the reader can find: the start alone is marked); blanks between
    visible characters are, as the gap they make is seen."""
    if diagnostic.end_line != diagnostic.line or diagnostic.end_col <= diagnostic.col:
        return _token_at(source, start)
    end = diagnostic.end_col - 1
    span = source[start:end].rstrip() if not source[end:].strip() else source[start:end]
    return (span or " ")[:_MAX_SNIPPET_WIDTH]


def _token_at(source: str, start: int) -> str:
    """The value that starts at ``start``: up to a comment, a key's colon or a flow separator."""
    token = source[start : start + _LOOKAHEAD].split(" #")[0].rstrip() or " "
    if token[0] not in "'\"[{":
        token = token.split(": ")[0]
        if _in_flow(source, start):
            token = re.split(r",\s|[}\]]", token)[0] or " "
    return token[:_MAX_SNIPPET_WIDTH]


def _in_flow(source: str, start: int) -> bool:
    """Whether a bracket opens before ``start`` (searched in C, not sliced, for long lines)."""
    return source.find("{", 0, start) >= 0 or source.find("[", 0, start) >= 0


def _window(source: str, start: int) -> tuple[str, int]:
    """The line, tabs expanded, with ``start`` as a column in it; a long line is cut to a
    window around the column, so a huge line cannot flood the terminal."""
    if len(source) <= _MAX_SNIPPET_WIDTH:
        expanded = source.expandtabs(4)
        column = len(source[:start].expandtabs(4))
        if display_width(expanded) <= _MAX_SNIPPET_WIDTH:
            return expanded, column
        source, start = expanded, column
    begin = max(0, start - 30)
    shown = source[begin : begin + 60].expandtabs(4)
    prefix = "…" if begin else ""
    return f"{prefix}{shown}…", len(source[begin:start].expandtabs(4)) + len(prefix)


SHOWN_PER_KIND = 5
"""Text and GitHub output show the first few problems of one code in one file, then one
line with how many more there are: ten thousand copies of one mistake say nothing the first
five do not, and would bury every other problem (GitHub also shows only the first few
annotations of a step). JSON output keeps every problem: programs want them all."""


@dataclass(frozen=True)
class Omitted:
    """Problems of one kind in one file that are counted, not shown."""

    first: Diagnostic  # the first one not shown
    count: int


def _kind(diagnostic: Diagnostic) -> tuple[str, str, str]:
    return diagnostic.file, diagnostic.severity.value, diagnostic.code


def abridged(diagnostics: Sequence[Diagnostic]) -> Iterator[Diagnostic | Omitted]:
    """The diagnostics to show, each file's ``Omitted`` counts after its last one shown."""
    totals = Counter(_kind(d) for d in diagnostics)
    seen: Counter[tuple[str, str, str]] = Counter()
    pending: dict[tuple[str, str, str], Omitted] = {}
    for diagnostic in diagnostics:
        if pending and diagnostic.file != next(iter(pending))[0]:
            yield from pending.values()
            pending.clear()
        kind = _kind(diagnostic)
        seen[kind] += 1
        if seen[kind] <= SHOWN_PER_KIND:
            yield diagnostic
        elif seen[kind] == SHOWN_PER_KIND + 1:
            pending[kind] = Omitted(diagnostic, totals[kind] - SHOWN_PER_KIND)
    yield from pending.values()


def _headline(diagnostic: Diagnostic, lang: str) -> tuple[str, str]:
    message, hint = render(diagnostic.code, diagnostic.args, lang)
    where = format_path(diagnostic.path)
    location = _location(diagnostic)
    label = click.style(
        f"{diagnostic.severity.value}[{diagnostic.code}]", **_STYLE[diagnostic.severity]
    )
    text = f"{where}: {message}" if where else message
    return f"{click.style(location, bold=True)}: {label} {text}", hint


def _location(diagnostic: Diagnostic) -> str:
    """``file:line:col``, or the file alone for a problem with the whole file (a file that
    was not read has no line to point at)."""
    if not diagnostic.line:
        return diagnostic.file
    return f"{diagnostic.file}:{diagnostic.line}:{diagnostic.col}"


def report_text(result: CheckResult, lang: str, *, base: Path) -> str:
    """``base``: what the result's file names are relative to, to read the lines it quotes."""
    sources = _Sources(base)
    blocks: list[str] = []
    hint_word = SUMMARY["hint"].get(lang)
    for item in abridged(result.diagnostics):
        if isinstance(item, Omitted):
            blocks.append(f"{click.style(item.first.file, bold=True)}: {_more(item, lang)}")
            continue
        headline, hint = _headline(item, lang)
        lines = [headline, *_snippet(item, sources)]
        if hint:
            lines.append(f"{' ' * len(str(item.line))} = {hint_word}: {hint}")
        blocks.append("\n".join(lines))
    blocks.append(_summary(result, lang))
    return "\n\n".join(blocks) + "\n"


def _more(omitted: Omitted, lang: str) -> str:
    first = omitted.first
    label = click.style(f"{first.severity.value}[{first.code}]", **_STYLE[first.severity])
    return SUMMARY["more"].get(lang).format(count=f"{omitted.count:,}", label=label)


def _summary(result: CheckResult, lang: str) -> str:
    files = len(result.files)
    if not result.diagnostics:
        return click.style(SUMMARY["clean"].get(lang).format(files=files), fg="green")
    bad = len({d.file for d in result.diagnostics})
    text = (
        SUMMARY["problems"]
        .get(lang)
        .format(errors=result.errors, warnings=result.warnings, bad=bad, files=files)
    )
    return click.style(text, fg="red" if result.errors else "yellow", bold=True)


def report_json(result: CheckResult, lang: str) -> str:
    records = []
    for diagnostic in result.diagnostics:
        message, hint = render(diagnostic.code, diagnostic.args, lang)
        records.append({
            "file": diagnostic.file,
            "line": diagnostic.line,
            "col": diagnostic.col,
            "severity": diagnostic.severity.value,
            "code": diagnostic.code,
            "path": format_path(diagnostic.path),
            "message": message,
            "hint": hint,
        })  # fmt: skip
    document = {
        "files": list(result.files),
        "errors": result.errors,
        "warnings": result.warnings,
        "diagnostics": records,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report_github(result: CheckResult, lang: str) -> str:
    """Workflow commands: GitHub shows each as an annotation on the YAML line."""
    lines = []
    for item in abridged(result.diagnostics):
        if isinstance(item, Omitted):
            lines.append(_annotation(item.first, click.unstyle(_more(item, lang))))
            continue
        message, hint = render(item.code, item.args, lang)
        where = format_path(item.path)
        body = f"{where}: {message}" if where else message
        if hint:
            body += f"\nhint: {hint}"
        lines.append(_annotation(item, body))
    lines.append(click.unstyle(_summary(result, lang)))
    return "\n".join(lines) + "\n"


def _annotation(diagnostic: Diagnostic, body: str) -> str:
    place = [f"line={diagnostic.line}", f"col={diagnostic.col}"] if diagnostic.line else []
    properties = ",".join([
        f"file={_escape_property(diagnostic.file)}",
        *place,  # none: an annotation on the whole file
        f"title={_escape_property(diagnostic.code)}",
    ])  # fmt: skip
    return f"::{diagnostic.severity.value} {properties}::{_escape_data(body)}"


_UNQUOTED: Mapping[str, Reporter] = {"json": report_json, "github": report_github}
FORMATS = ("text", *_UNQUOTED)


def report(result: CheckResult, output_format: str, lang: str, *, base: Path) -> str:
    """The result in ``output_format``; ``base`` is what its file names are relative to (the
    text report quotes the lines)."""
    if output_format == "text":
        return report_text(result, lang, base=base)
    return _UNQUOTED[output_format](result, lang)
