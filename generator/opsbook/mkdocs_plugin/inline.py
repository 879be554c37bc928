"""Python-Markdown's inline step, trying on each text only the patterns that can match it.

Python-Markdown tries every inline pattern (code, escapes, six kinds of link and image,
autolinks, line breaks, raw HTML, entities, emphasis) on every run of text, one regular
expression search and several Python calls each. A generated page is mostly table cells —
a name, a date, a percentage, a status badge — and on a cold build of 1,000 realistic
scenarios those fruitless tries were a quarter of all conversion (14 s of 52 s of CPU).

Each of Python-Markdown's own patterns cannot match a text that lacks a certain character
(a link needs ``[``, raw HTML ``<``, emphasis its delimiter). :class:`AbsentPatternsSkipped`
looks once at which of those characters a text holds and tries only the patterns they allow,
in Python-Markdown's order; a pattern it does not know (another extension's, or one a later
Python-Markdown changed) is tried on every text, as before. The HTML is the same, byte for
byte: a skipped pattern is one whose search would have found nothing.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown, inlinepatterns, util
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor
from mkdocs.config.defaults import MkDocsConfig

# Python-Markdown's patterns (as of 3.11), each with a character every match contains: the
# expressions are compared verbatim, so a changed one is simply tried on every text
_NEEDS = {
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": "`",  # code span
    r"\\(.)": "\\",  # escaped character
    r"(?<!\!)\[": "[",  # link and reference
    r"\!\[": "[",  # image and image reference
    r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>": "<",  # autolink
    r"<([^<> !]+@[^@<> ]+)>": "<",  # automatic email link
    r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)": "&",  # entity
    (  # raw HTML: a tag, comment, processing instruction or CDATA, each opened by ``<``
        r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|"""
        r"""[^\s"'=<>]++))?+)*+\s*+/?|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|"""
        r"!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)"
    ): "<",
    r"  \n": "\n",  # line break
}


def needed_characters(pattern: Any) -> str | None:
    """Characters of which every match of ``pattern`` holds at least one; None when not known."""
    if type(pattern) is inlinepatterns.DelimiterProcessor:
        return "".join(token[0] for token in pattern.tokens)  # emphasis: its delimiters
    if type(pattern).__module__ != inlinepatterns.__name__:
        return None
    return _NEEDS.get(pattern.getCompiledRegExp().pattern)


class AbsentPatternsSkipped(InlineProcessor):
    """Python-Markdown's inline step (see the module's docstring)."""

    def run(self, tree: Element, ancestors: list[str] | None = None) -> Element:
        self._patterns = list(self.inlinePatterns)
        self._needs = [needed_characters(pattern) for pattern in self._patterns]
        known = "".join(sorted({c for needs in self._needs if needs for c in needs}))
        self._held = re.compile(f"[{re.escape(known)}]" if known else "(?!)")
        self._to_try: dict[frozenset[str], tuple[int, ...]] = {}
        return super().run(tree, ancestors)

    def _patterns_for(self, held: frozenset[str]) -> tuple[int, ...]:
        """The indexes of the patterns that can match a text holding ``held`` (of the
        characters the patterns need), in order."""
        found = self._to_try.get(held)
        if found is None:
            found = tuple(
                index
                for index, needs in enumerate(self._needs)
                if needs is None or not held.isdisjoint(needs)
            )
            self._to_try[held] = found
        return found

    # Python-Markdown's private method, replaced: it tries every pattern from ``start`` on,
    # each again after every match (from past the match) until it matches no more
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if isinstance(data, util.AtomicString):
            return data
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        for index in self._patterns_for(frozenset(self._held.findall(data))):
            if index < patternIndex:
                continue
            matched, start = True, 0
            while matched:
                data, matched, start = apply(self._patterns[index], data, index, start)
        return data


class QuickInlineExtension(Extension):
    """Registers :class:`AbsentPatternsSkipped` in place of Python-Markdown's inline step."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(AbsentPatternsSkipped(md), "inline", 20)


def with_quick_inline(config: MkDocsConfig) -> None:
    """Every page of the site converted with :class:`QuickInlineExtension`, once."""
    extensions = config.markdown_extensions
    if not any(isinstance(extension, QuickInlineExtension) for extension in extensions):
        extensions.append(QuickInlineExtension())
