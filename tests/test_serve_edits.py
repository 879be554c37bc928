"""``opsbook serve``: every kind of single-scenario edit shows on its page and on every
roll-up it touches (dashboard, person, industry and module pages, tags, the search index,
the navigation of the pages beside it), read from the served HTML; the old value is gone.
At the end the served roll-ups equal those of a full ``opsbook build`` of the same files."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import ROOT
from site_support import env_for, run
from test_site_serve import fetch, free_port, wait_for

A = "ecommerce-new-user-first-order"  # the scenario every edit changes
PAGE = f"/scenarios/{A}/"


class Served:
    """The shipped project (in English) served by ``opsbook serve``."""

    def __init__(self, project: Path, url: str, log: Path) -> None:
        self.project, self.url, self.log = project, url, log
        self.scenario = project / "scenarios" / f"{A}.yaml"

    def get(self, path: str) -> str:
        return fetch(self.url + path)

    def edit(self, change: Callable[[str], str]) -> None:
        text = self.scenario.read_text(encoding="utf-8")
        changed = change(text)
        assert changed != text
        self.scenario.write_text(changed, encoding="utf-8")

    def settle(self, *conditions: Callable[[], bool]) -> None:
        """Until every condition holds (the page first, then the roll-ups). A page fetched
        while serve rebuilds it can be the bare reload script, without the parts a condition
        looks for (``str.index`` then raises ValueError): that condition does not hold yet."""

        def holds(condition: Callable[[], bool]) -> bool:
            try:
                return condition()
            except ValueError:
                return False

        wait_for(lambda: all(holds(condition) for condition in conditions), timeout=120)

    def full_rebuilds(self) -> int:
        return self.log.read_text(encoding="utf-8").count("Building documentation")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    folder = tmp_path
    project = folder / "project"
    for name in ("scenarios", "site"):
        shutil.copytree(ROOT / name, project / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("lang: zh-CN", "lang: en")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    port = free_port()
    log = folder / "serve.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "opsbook", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project, env=env_for(folder), stdout=subprocess.DEVNULL, stderr=log.open("w"),
        start_new_session=True,
    )  # fmt: skip
    try:
        result = Served(project, f"http://127.0.0.1:{port}", log)
        wait_for(lambda: "<h1" in result.get(PAGE), timeout=300)
        yield result
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def sidebar(html: str) -> str:
    """The primary navigation (the left sidebar) of a page."""
    start = html.index("md-nav--primary")
    return html[start : html.index('<div class="md-content"', start)]


def open_sections(html: str) -> list[str]:
    """The links of the sidebar's open sections (the page's industry, module…), outermost first."""
    opened = r'<li class="md-nav__item md-nav__item--active[^"]*md-nav__item--nested">.*?<a href="([^"]+)"'
    return re.findall(opened, sidebar(html), flags=re.S)


def footer_of(html: str) -> str:
    return html[html.index("<footer") :]


def content_lacks_title(served: Served, path: str) -> Callable[[], bool]:
    """Whether the page at ``path``, laid out, no longer names the scenario in its content
    (its footer may: the scenario can be its neighbour)."""

    def lacks() -> bool:
        html = served.get(path)
        return "</article>" in html and NEW_TITLE not in article(html)

    return lacks


def neighbours_link_to_it(served: Served) -> Callable[[], bool]:
    """Whether the pages before and after PAGE name its new title in their footers."""

    def linked() -> bool:
        neighbours = footer_links(served.get(PAGE))
        return len(neighbours) == 2 and all(
            NEW_TITLE in footer_of(served.get(n)) for n in neighbours
        )

    return linked


def footer_links(html: str) -> list[str]:
    """The site paths of the previous and next page that ``html`` (a scenario page) links."""
    hrefs = re.findall(r'<a href="([^"]+)" class="md-footer__link', footer_of(html))
    return [urllib.parse.urljoin(PAGE, href) for href in hrefs]


def search_entries(served: Served, page: str) -> list[dict[str, str]]:
    """The search index's entries of ``page``, jieba's word breaks taken out."""
    docs = json.loads(served.get("/search/search_index.json"))["docs"]
    location = page.lstrip("/")
    found = [d for d in docs if d["location"].split("#")[0] == location]
    return [{k: str(v).replace("\u200b", "") for k, v in d.items()} for d in found]


OLD_TITLE = re.compile("新用户首单转化(?!率)")  # the metric 首单转化率 keeps its name
NEW_TITLE = "首单冲刺 Q3SPRINT"


def a_title_shows_on_every_roll_up_and_in_the_navigation_of_its_section(
    served: Served,
) -> None:
    rebuilds = served.full_rebuilds()
    served.edit(lambda t: t.replace("title: 新用户首单转化", f"title: {NEW_TITLE}"))
    rollups = ["/", "/industries/", "/industries/ecommerce/", "/industries/ecommerce/user-growth/",
               "/people/ops.li/", "/tags/", "/sop/", "/anomalies/"]  # fmt: skip
    served.settle(
        lambda: NEW_TITLE in served.get(PAGE),
        *[lambda path=path: NEW_TITLE in served.get(path) for path in rollups],
        lambda: NEW_TITLE in [e["title"] for e in search_entries(served, PAGE)],
    )
    for path in [PAGE, *rollups]:
        html = served.get(path)
        assert NEW_TITLE in html and not OLD_TITLE.search(html), path
    assert NEW_TITLE in sidebar(served.get(PAGE)) and not OLD_TITLE.search(
        sidebar(served.get(PAGE))
    )
    neighbours = footer_links(served.get(PAGE))
    assert len(neighbours) == 2, neighbours
    for neighbour in neighbours:  # their footers link back by title
        footer = footer_of(served.get(neighbour))
        assert NEW_TITLE in footer and not OLD_TITLE.search(footer), neighbour
    titles = [e["title"] for e in search_entries(served, PAGE)]
    assert NEW_TITLE in titles and not any(OLD_TITLE.search(t) for t in titles)
    assert served.full_rebuilds() == rebuilds  # the quick path, no full rebuild


def owned_section(html: str) -> str:
    """The "Scenarios owned" table of a person page ("" when they own none)."""
    if 'id="scenarios-owned"' not in html:
        return ""
    start = html.index('id="scenarios-owned"')
    end = html.find("<h2", start)
    return html[start : end if end > 0 else len(html)]


def an_owner_moves_the_scenario_between_person_pages(served: Served) -> None:
    rebuilds = served.full_rebuilds()
    assert A in owned_section(served.get("/people/ops.li/"))
    served.edit(lambda t: t.replace("\nowner: ops.li\n", "\nowner: growth.chen\n"))
    served.settle(
        lambda: "people/growth.chen/" in served.get(PAGE).split("md-content", 1)[1],
        lambda: A in owned_section(served.get("/people/growth.chen/")),
        lambda: A not in owned_section(served.get("/people/ops.li/")),
    )
    assert owned_section(served.get("/people/ops.li/")) == ""  # ops.li owned only this one
    assert served.full_rebuilds() == rebuilds


def tags_show_on_the_tags_page_and_in_the_search_index(served: Served) -> None:
    rebuilds = served.full_rebuilds()
    assert "券包" in served.get("/tags/")
    served.edit(
        lambda t: t.replace("tags: [新人, 首单, 转化率, 券包]", "tags: [新人, 首单, 转化率, Q3TAG]")
    )
    served.settle(
        lambda: "Q3TAG" in served.get(PAGE),
        lambda: "Q3TAG" in served.get("/tags/") and "券包" not in served.get("/tags/"),
        lambda: "Q3TAG" in search_entries(served, PAGE)[0].get("tags", ""),
    )
    tags = served.get("/tags/")
    heading = re.search(r'<h2 id="[^"]*q3tag"', tags, re.I)
    assert heading is not None, tags
    listed = tags[heading.start() :]
    assert f"../scenarios/{A}/" in listed[: listed.find("</ul>")]
    entry = search_entries(served, PAGE)[0]
    assert "Q3TAG" in entry["tags"] and "券包" not in entry["tags"]
    assert served.full_rebuilds() == rebuilds


def a_module_change_moves_the_scenario_and_its_navigation(served: Served) -> None:
    # into retention: user-growth is left empty, its page goes (a full rebuild)
    served.edit(lambda t: t.replace("\nmodule: user-growth\n", "\nmodule: retention\n"))
    served.settle(
        lambda: NEW_TITLE in served.get("/industries/ecommerce/retention/"),
        lambda: not served.get("/industries/ecommerce/user-growth/"),  # 404
    )
    # then into user-tiering: both modules keep a scenario (the quick path)
    rebuilds = served.full_rebuilds()
    served.edit(lambda t: t.replace("\nmodule: retention\n", "\nmodule: user-tiering\n"))
    served.settle(
        lambda: NEW_TITLE in served.get("/industries/ecommerce/user-tiering/"),
        content_lacks_title(served, "/industries/ecommerce/retention/"),
        lambda: open_sections(served.get(PAGE))[-1] == "../../industries/ecommerce/user-tiering/",
        neighbours_link_to_it(served),
    )
    # its new neighbours link to it, and the sidebar opens its new module, not the old one
    assert open_sections(served.get(PAGE)) == [
        "../../industries/", "../../industries/ecommerce/",
        "../../industries/ecommerce/user-tiering/",
    ]  # fmt: skip
    assert served.full_rebuilds() == rebuilds


def an_industry_change_moves_the_scenario_between_industry_pages(served: Served) -> None:
    rebuilds = served.full_rebuilds()
    served.edit(
        lambda t: t.replace(
            "\nindustry: ecommerce\nmodule: user-tiering\n",
            "\nindustry: saas\nmodule: customer-success\n",
        )
    )
    left = "/scenarios/ecommerce-high-repurchase-retention/"  # its old neighbour
    served.settle(
        lambda: NEW_TITLE in served.get("/industries/saas/"),
        lambda: NEW_TITLE in served.get("/industries/saas/customer-success/"),
        content_lacks_title(served, "/industries/ecommerce/"),
        content_lacks_title(served, "/industries/ecommerce/user-tiering/"),
        lambda: (
            open_sections(served.get(PAGE))[1:]
            == [
                "../../industries/saas/",
                "../../industries/saas/customer-success/",
            ]
        ),
        neighbours_link_to_it(served),
        lambda: NEW_TITLE not in served.get(left),
    )
    assert served.full_rebuilds() == rebuilds


def an_observation_shows_on_the_page_and_the_metric_owner_page(served: Served) -> None:
    rebuilds = served.full_rebuilds()
    old = "{date: 2026-06-20, value: 18, cause: 新人券门槛设置过高}"
    assert "18" in served.get("/people/data.xu/")
    served.edit(lambda t: t.replace(old, old.replace("value: 18,", "value: 19.37,")))
    served.settle(
        lambda: "19.37" in served.get(PAGE),
        lambda: "19.37" in served.get("/people/data.xu/"),
    )
    assert served.full_rebuilds() == rebuilds


def a_status_shows_on_the_page(served: Served) -> None:
    rebuilds = served.full_rebuilds()
    assert "ob-status-active" in served.get(PAGE)
    served.edit(
        lambda t: t.replace("\nowner: growth.chen\n", "\nowner: growth.chen\nstatus: closed\n")
    )
    served.settle(lambda: "ob-status-closed" in served.get(PAGE))
    assert "ob-status-active" not in served.get(PAGE).split("md-content", 1)[1].split("<h2")[0]
    assert served.full_rebuilds() == rebuilds


def article(html: str) -> str:
    return html[html.index("<article") : html.index("</article>")]


def without_downloads(html: str) -> str:
    """The data downloads taken out: serve publishes those a build made, and no build ran
    before this serve."""
    html = re.sub(r'<p><a class="md-button[^"]*ob-subscribe.*?</p>', "", html, flags=re.S)
    item = r'<li class="md-nav__item"><a href="#[^"]*" class="md-nav__link">\s*<span[^>]*>\s*'
    html = re.sub(item + DOWNLOADS + r"\s*</span>\s*</a></li>", "", html)
    return re.sub(r'<h2 id="[^"]*">' + DOWNLOADS + "<a .*", "", html, flags=re.S)


DOWNLOADS = "(?:Downloads|数据下载)"  # the heading of a page's data downloads


def the_served_roll_ups_equal_a_full_build(served: Served, tmp_path: Path) -> None:
    built = run("build", "-d", os.fspath(tmp_path / "site"), cwd=served.project,
                env=env_for(served.log.parent))  # fmt: skip
    assert built.returncode == 0, built.stderr
    pages = ["", "industries/", "industries/saas/", "industries/saas/customer-success/",
             "industries/ecommerce/", "industries/ecommerce/retention/",
             "industries/ecommerce/user-tiering/", "people/", "people/ops.li/",
             "people/growth.chen/", "people/data.xu/", "tags/", "sop/", "anomalies/",
             f"scenarios/{A}/", "scenarios/saas-low-activity-reactivation/"]  # fmt: skip
    for page in pages:
        want = (tmp_path / "site" / page / "index.html").read_text(encoding="utf-8")
        got = served.get("/" + page)
        assert without_downloads(article(got)) == without_downloads(article(want)), page
        assert without_downloads(sidebar(got)) == without_downloads(sidebar(want)), page


def test_every_kind_of_edit_reaches_its_page_and_every_roll_up(
    served: Served, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """One server, the edits one after the other: each starts from the last one's site."""
    a_title_shows_on_every_roll_up_and_in_the_navigation_of_its_section(served)
    an_owner_moves_the_scenario_between_person_pages(served)
    tags_show_on_the_tags_page_and_in_the_search_index(served)
    a_module_change_moves_the_scenario_and_its_navigation(served)
    an_industry_change_moves_the_scenario_between_industry_pages(served)
    an_observation_shows_on_the_page_and_the_metric_owner_page(served)
    a_status_shows_on_the_page(served)
    the_served_roll_ups_equal_a_full_build(served, tmp_path_factory.mktemp("built"))


def test_long_roll_ups_are_converted_from_both_ends_and_equal_a_full_build(
    tmp_path: Path,
) -> None:
    """With roll-ups this long (120 realistic scenarios), a title edit's roll-ups are
    converted by a forked process too, from the longest, while serve builds them from the
    shortest; what is served is what a full build makes, search entries included."""
    sys.path.insert(0, os.fspath(ROOT / "bench"))
    from generate import generate

    project = generate(120, tmp_path / "project", "realistic").parent
    scenario = sorted((project / "scenarios").glob("*-zh-*.yaml"))[0]
    text = scenario.read_text(encoding="utf-8")
    sid = scenario.stem
    title = re.search(r"^title: (.*)$", text, re.M)[1]  # type: ignore[index]
    port, log = free_port(), tmp_path / "serve.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "opsbook", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project, env=env_for(tmp_path), stdout=subprocess.DEVNULL, stderr=log.open("w"),
        start_new_session=True,
    )  # fmt: skip
    served = Served(project, f"http://127.0.0.1:{port}", log)
    try:
        wait_for(lambda: "<h1" in served.get(f"/scenarios/{sid}/"), timeout=300)
        scenario.write_text(text.replace(f"title: {title}", f"title: {NEW_TITLE}"), "utf-8")
        wait_for(lambda: "pages rebuilt after" in log.read_text(encoding="utf-8"), timeout=120)
        said = log.read_text(encoding="utf-8")
        converted = re.search(r"opsbook: (\d+) pages converted in a second process", said)
        assert converted and int(converted[1]) >= 1, said
        assert served.full_rebuilds() == 1, said  # the first build alone: the quick path
        pages = ["", "sop/", "anomalies/", "tags/", "industries/", f"scenarios/{sid}/"]
        pages += re.findall(r'href="\.\./\.\./((?:industries|people)/[^"#]+/)"', article(
            served.get(f"/scenarios/{sid}/")
        ))  # its industry, module and people  # fmt: skip
        got = {page: served.get("/" + page) for page in pages}
        got_index = json.loads(served.get("/search/search_index.json"))["docs"]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    built = run("build", "-d", os.fspath(tmp_path / "site"), cwd=project, env=env_for(tmp_path))
    assert built.returncode == 0, built.stderr
    for page in pages:
        want = (tmp_path / "site" / page / "index.html").read_text(encoding="utf-8")
        assert NEW_TITLE in want, page
        assert without_downloads(article(got[page])) == without_downloads(article(want)), page
        assert without_downloads(sidebar(got[page])) == without_downloads(sidebar(want)), page
    index = json.loads((tmp_path / "site/search/search_index.json").read_text(encoding="utf-8"))

    def entries(docs: list[dict[str, str]]) -> list[str]:
        on_pages = [
            d for d in docs
            if d["location"].split("#")[0] in pages
            and not re.fullmatch(DOWNLOADS, d["title"].replace("\u200b", ""))  # jieba's breaks
        ]  # fmt: skip
        return sorted(json.dumps(d, ensure_ascii=False, sort_keys=True) for d in on_pages)

    assert entries(got_index) == entries(index["docs"])
    # nothing the second process stored is found under the Markdown before the edit
    scenario.write_text(text, encoding="utf-8")
    again = run("build", "-d", os.fspath(tmp_path / "again"), cwd=project, env=env_for(tmp_path))
    assert again.returncode == 0, again.stderr
    for page in pages:
        html = (tmp_path / "again" / page / "index.html").read_text(encoding="utf-8")
        assert "<article" in html and NEW_TITLE not in html, page
