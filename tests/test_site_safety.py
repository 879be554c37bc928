"""User text is data: a hostile scenario renders literally; invalid scenarios stop the build
with the located diagnostics of ``opsbook check``."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from site_support import env_for, make_project, run, shipped

TITLE = "<script>alert(1)</script> {{ 7*7 }}"
MODULE = "Growth | *bold* <b>x</b>"
PAIN = "[x](javascript:alert(3)) and $x$ and \\(y\\)"
ACTION = "cell | with pipe\nand a newline\n# heading\n- item"
STRATEGY = "*star* _under_ `tick` {% raw %} &amp; \\ back"
METRIC = "$x$ rate <i>"
TAG = "<img src=x onerror=alert(2)>"


def hostile_scenario() -> str:
    """The shipped first-order scenario with hostile text in every kind of place."""
    text = shipped("ecommerce-new-user-first-order")
    replacements = {
        "id: ecommerce-new-user-first-order": "id: injection",
        "title: 新用户首单转化": f"title: {yaml_quote(TITLE)}",
        "tags: [新人, 首单, 转化率, 券包]": f"tags: [{yaml_quote(TAG)}, {yaml_quote('{{ 7*7 }}')}]",
        "  pain_point: 对产品价值不清晰，决策犹豫": f"  pain_point: {yaml_quote(PAIN)}",
        "    action: 下单必填项精简至3项": f"    action: {yaml_quote(ACTION)}",
        "    strategy: 短信触达": f"    strategy: {yaml_quote(STRATEGY)}",
        "    name: 首单转化率": f"    name: {yaml_quote(METRIC)}",
    }
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def yaml_quote(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


class _Text(HTMLParser):
    """The text a browser shows in <article>, and every element that is there."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "article":
            self.depth += 1
        if tag == "br" and self.depth:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    project = make_project(folder / "project", {"injection.yaml": hostile_scenario()}, lang="en")
    # the module's English name is what an English site shows for module: user-growth
    team = project / "scenarios" / "team.yaml"
    listed = "{id: user-growth, name: 用户增长, name_en: User growth, industry: ecommerce}"
    hostile = (
        f"{{id: user-growth, name: 用户增长, name_en: {yaml_quote(MODULE)}, industry: ecommerce}}"
    )
    assert listed in team.read_text(encoding="utf-8")
    team.write_text(team.read_text(encoding="utf-8").replace(listed, hostile), encoding="utf-8")
    result = run("build", cwd=project, env=env_for(folder))
    assert result.returncode == 0, result.stderr
    return project / "build" / "site"


def parse(path: Path) -> _Text:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_hostile_text_shows_literally_on_the_scenario_page(hostile_site: Path) -> None:
    page = parse(hostile_site / "scenarios" / "injection" / "index.html")
    for text in (TITLE, MODULE, PAIN, STRATEGY, METRIC, "{{ 7*7 }}"):
        assert text in page.text, text
    # the newline stays inside its table cell as a line break, nothing becomes a block
    assert "cell | with pipe\nand a newline\n# heading\n- item" in page.text
    assert "49" not in page.text.split("Needs analysis")[0]


def test_hostile_text_creates_no_element_and_no_link(hostile_site: Path) -> None:
    for html_file in hostile_site.rglob("*.html"):
        tags = parse(html_file).tags
        scripts = [a for t, a in tags if t == "script" and not a.get("src") and a.get("type")]
        assert not any(t == "img" and a.get("src") == "x" for t, a in tags), html_file
        assert not any(t in ("b", "i") for t, _ in tags), html_file
        links = [a.get("href") or "" for t, a in tags if t == "a"]
        assert not any(link.lower().startswith("javascript") for link in links), html_file
        assert not scripts or all(a.get("type") != "text/javascript" for a in scripts)
    raw = (hostile_site / "scenarios" / "injection" / "index.html").read_text()
    assert "<script>alert(1)" not in raw and "<em>" not in raw.split("<article")[1]


def test_hostile_text_is_escaped_in_the_navigation_title_and_tags(hostile_site: Path) -> None:
    raw = (hostile_site / "scenarios" / "injection" / "index.html").read_text()
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} - 测试知识库</title>" in raw
    tags_page = (hostile_site / "tags" / "index.html").read_text()
    assert "&lt;img src=x onerror=alert(2)&gt;" in tags_page
    assert not re.search(r"<img[^>]*src=x", tags_page)


def test_an_invalid_scenario_fails_the_build_with_located_diagnostics(tmp_path: Path) -> None:
    broken = shipped("ecommerce-new-user-first-order").replace(
        "    due: 2026-06-12", "    due: 2026-06-31"
    )
    project = make_project(tmp_path / "p", {"ecommerce-new-user-first-order.yaml": broken})
    (project / "build" / "site").mkdir(parents=True)
    (project / "build" / "site" / "previous.html").write_text("the last good site")
    line = broken.splitlines().index("    due: 2026-06-31") + 1
    result = run("build", "--lang", "en", cwd=project, env=env_for(tmp_path))
    assert result.returncode == 1
    assert (
        f"scenarios/ecommerce-new-user-first-order.yaml:{line}:10: error[schema.format] "
        "actions[1].due: '2026-06-31' is not a valid date"
    ) in result.stderr
    assert "1 error(s), 0 warning(s) in 1 of 2 file(s)" in result.stderr
    # the previous site is left as it was
    assert (project / "build" / "site" / "previous.html").read_text() == "the last good site"


def test_plain_mkdocs_build_fails_the_same_way(tmp_path: Path) -> None:
    import subprocess
    import sys

    broken = shipped("ecommerce-new-user-first-order").replace("owner: ops.li", "owner: nobody", 1)
    project = make_project(tmp_path / "p", {"ecommerce-new-user-first-order.yaml": broken})
    env = env_for(tmp_path) | {"OPSBOOK_LANG": "en"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    line = broken.splitlines().index("owner: nobody") + 1
    assert (
        f"scenarios/ecommerce-new-user-first-order.yaml:{line}:8: error[ref.owner]" in result.stderr
    )
    assert "'nobody' is not in the team directory" in result.stderr
    assert not (project / "build" / "site").exists()
