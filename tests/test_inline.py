"""Python-Markdown's inline step with the patterns a text cannot match skipped
(``mkdocs_plugin.inline``) gives exactly Python-Markdown's own HTML: every kind of inline
Markdown, user text that looks like Markdown, another extension's pattern, the shipped site."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import markdown
import pytest
from markdown.inlinepatterns import InlineProcessor
from mkdocs.config import load_config

from conftest import ROOT
from opsbook.mkdocs_plugin.inline import (
    AbsentPatternsSkipped,
    QuickInlineExtension,
    needed_characters,
    with_quick_inline,
)
from site_support import env_for, run

EXTENSIONS = ["admonition", "attr_list", "tables", "toc"]
SAMPLES = [
    "plain 文本 only, 95.7% ≥ 14",
    "`code *not em*` and ``two `ticks` `` and \\`escaped\\` and \\\\`x`",
    "\\*not em\\* \\_ \\[not a link\\] \\<b\\> a\\\\b",
    '[link](a.md) [titled](b.md "t") [ref][r] [r] ![img](c.png) ![ref img][r] [![i](d.png)](e.md)',
    '<https://example.com/x> <me@example.com> <span class="ob">b<em>i</em></span> <!-- c -->',
    "&amp; &#35; &#x26; &nope & plain",
    "two spaces  \nthen a break, one space \nno break",
    "*em* **strong** ***both*** _em_ __strong__ snake_case_word 2*3*4 * lone *",
    "**[bold link](a.md)** *`code in em`* [*em in link*](a.md) <b>**html then strong**</b>",
    "| a | [x](a.md) |\n|---|---|\n| *1* | <span>2</span> |\n| 3 &amp; | 4  |",
    "# Heading *em* {#anchor .cls}\n\nPara {: .x }",
    '!!! note "T *em*"\n    body [l](a.md)',
    '数据截至 <span class="ob-date">2026-06-22</span> · 负责人 [谢悦](../people/p.md)',
    "unmatched [bracket and `tick and *star and <angle and &amp",
    "\x02klzzwxh:0\x03 user text holding a placeholder-like run",
    '[r]: https://example.com/ref "Ref"',
]
SOURCE = "\n\n".join(SAMPLES) + "\n\n[r]: https://example.com/ref"


def _convert(text: str, *, quick: bool) -> str:
    extensions: list = [*EXTENSIONS, QuickInlineExtension()] if quick else EXTENSIONS
    md = markdown.Markdown(extensions=extensions, extension_configs={"toc": {"permalink": True}})
    return md.convert(text) + repr(md.toc_tokens)  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", [*SAMPLES, SOURCE])
def test_same_html_as_python_markdown(text: str) -> None:
    assert _convert(text, quick=True) == _convert(text, quick=False)


def test_every_pattern_of_python_markdown_is_known() -> None:
    """Each default pattern has the character it needs (a Python-Markdown that changed one
    stays correct, the changed pattern tried on every text; this says which to look at)."""
    md = markdown.Markdown(extensions=EXTENSIONS)
    needs = {
        entry.name: needed_characters(md.inlinePatterns[entry.name])
        for entry in md.inlinePatterns._priority  # type: ignore[attr-defined]
    }
    assert needs == {
        "backtick": "`", "escape": "\\", "reference": "[", "link": "[", "image_link": "[",
        "image_reference": "[", "short_reference": "[", "short_image_ref": "[",
        "autolink": "<", "automail": "<", "linebreak": "\n", "html": "<", "entity": "&",
        "em_strong": "*_",
    }  # fmt: skip


class _Mentions(InlineProcessor):
    """Another extension's pattern, needing no character the known ones need."""

    def handleMatch(self, m: re.Match[str], data: str):  # type: ignore[no-untyped-def]  # noqa: N802
        element = ElementTree.Element("mark")
        element.text = m.group(1)
        return element, m.start(0), m.end(0)


class _MentionsExtension(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.inlinePatterns.register(_Mentions(r"@(\w+)", md), "mention", 175)


def test_an_unknown_pattern_is_tried_on_every_text() -> None:
    text = "| who |\n|---|\n| @ops 复盘 |\n| [@lead](a.md) *@em* |\n\nplain @owner"
    md = markdown.Markdown(extensions=[*EXTENSIONS, _MentionsExtension()])
    quick = markdown.Markdown(
        extensions=[*EXTENSIONS, _MentionsExtension(), QuickInlineExtension()]
    )
    expected = md.convert(text)
    assert quick.convert(text) == expected
    assert expected.count("<mark>") == 4
    assert needed_characters(quick.inlinePatterns["mention"]) is None


def test_the_plugin_converts_every_page_with_it_once(tmp_path: Path) -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    with_quick_inline(config)
    with_quick_inline(config)  # serve runs on_config again for every rebuild
    quick = [e for e in config.markdown_extensions if isinstance(e, QuickInlineExtension)]
    assert len(quick) == 1
    md = markdown.Markdown(extensions=config.markdown_extensions)
    assert isinstance(md.treeprocessors["inline"], AbsentPatternsSkipped)


def test_the_shipped_site_is_the_same_converted_either_way(tmp_path: Path) -> None:
    """Every page of the shipped knowledge base, exported as Markdown, converted with and
    without the skipping: the same HTML and the same contents."""
    out = tmp_path / "export"
    result = run("export", "-o", str(out), cwd=ROOT, env=env_for(tmp_path))
    assert result.returncode == 0, result.stderr
    pages = sorted((out / "docs").rglob("*.md"))
    assert len(pages) > 40
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert _convert(text, quick=True) == _convert(text, quick=False), page
