"""``opsbook serve``: live preview that shows diagnostics instead of a stale page, and
recovers when the scenario is fixed."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from site_support import env_for, make_project, run, shipped

SCENARIO = "ecommerce-new-user-first-order"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(condition: Callable[[], bool], timeout: float = 60) -> float:
    """Seconds until ``condition()`` holds; fails after ``timeout``."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if condition():
            return time.monotonic() - start
        time.sleep(0.2)
    pytest.fail(f"not reached within {timeout} s")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    project = make_project(tmp_path / "p", {f"{SCENARIO}.yaml": shipped(SCENARIO)}, lang="en")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "opsbook", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project, env=env_for(tmp_path), stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "serve.log").open("w"), start_new_session=True,
    )  # fmt: skip
    try:
        yield project, f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_serve_shows_diagnostics_while_invalid_and_recovers(served: tuple[Path, str]) -> None:
    project, url = served
    page_url = f"{url}/scenarios/{SCENARIO}/"
    wait_for(lambda: "Action plan (T2)" in fetch(page_url))
    scenario = project / "scenarios" / f"{SCENARIO}.yaml"
    good = scenario.read_text(encoding="utf-8")
    scenario.write_text(good.replace("    due: 2026-06-12", "    due: 2026-06-31"), "utf-8")
    wait_for(lambda: "error[schema.format]" in fetch(page_url))
    page = fetch(page_url)
    assert "is not a valid date" in page and "Action plan (T2)" not in page
    assert "The site is not updated while a scenario is invalid." in fetch(f"{url}/")
    scenario.write_text(good.replace("首单转化率 ≥ 20%", "首单转化率 ≥ 21%"), "utf-8")
    wait_for(lambda: "首单转化率 ≥ 21%" in fetch(page_url))
    assert "error[" not in fetch(page_url)


def test_serve_updates_the_navigation_of_every_page_when_a_title_changes(
    served: tuple[Path, str],
) -> None:
    project, url = served
    guide_url = f"{url}/guide/method-en/"  # hand-written: its own content does not change
    wait_for(lambda: "新用户首单转化" in fetch(guide_url))
    scenario = project / "scenarios" / f"{SCENARIO}.yaml"
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("title: 新用户首单转化", "title: 新用户首单转化提速"), "utf-8")
    wait_for(lambda: "新用户首单转化提速" in fetch(guide_url))
    assert "新用户首单转化提速" in fetch(f"{url}/people/ops.li/")


def article(html: str) -> str:
    return html[html.index("<article") : html.index("</article>")]


def test_an_edited_page_comes_first_as_a_full_build_makes_it_then_its_roll_ups(
    served: tuple[Path, str], tmp_path: Path
) -> None:
    project, url = served
    page_url = f"{url}/scenarios/{SCENARIO}/"
    wait_for(lambda: "Action plan (T2)" in fetch(page_url))
    scenario = project / "scenarios" / f"{SCENARIO}.yaml"
    text = scenario.read_text(encoding="utf-8")
    assert "注册按钮不醒目" in text  # an anomaly's cause: on its page and in the anomaly log
    scenario.write_text(text.replace("注册按钮不醒目", "注册按钮藏在页面底部"), "utf-8")
    wait_for(lambda: "注册按钮藏在页面底部" in fetch(page_url))
    served_page = fetch(page_url)
    wait_for(lambda: "注册按钮藏在页面底部" in fetch(f"{url}/anomalies/"))
    built = run("build", "-d", os.fspath(tmp_path / "built"), cwd=project, env=env_for(tmp_path))
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "built" / "scenarios" / SCENARIO / "index.html").read_text("utf-8")
    assert article(served_page) == article(page)
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    shown = f"opsbook: scenarios/{SCENARIO}.yaml shown after"
    assert shown in log and log.index(shown) < log.rindex("pages rebuilt after")
    assert log.count("Building documentation") == 1  # the roll-ups without a full rebuild


LAID_OUT = re.compile(r"opsbook: (\d+) of (\d+) generated pages laid out from the cache")


def test_the_first_serve_after_a_build_lays_out_every_page_from_the_build(
    tmp_path: Path,
) -> None:
    """Serve publishes the build's downloads (from the cache), so its person pages link to
    their calendars as the build's do, and no generated page is laid out again."""
    project = make_project(tmp_path / "p", {f"{SCENARIO}.yaml": shipped(SCENARIO)}, lang="en")
    config = project / "mkdocs.yml"
    config.write_text("site_url: https://ops.example.com/\n" + config.read_text("utf-8"), "utf-8")
    env = env_for(tmp_path)
    built = run("build", cwd=project, env=env)
    assert built.returncode == 0, built.stderr
    site = project / "build" / "site"
    subscribe = "webcal://ops.example.com/people/ops.li.ics"
    assert subscribe in (site / "people" / "ops.li" / "index.html").read_text("utf-8")
    port, log = free_port(), tmp_path / "serve.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "opsbook", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"),
        start_new_session=True,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(lambda: subscribe in fetch(f"{url}/people/ops.li/"))
        served = fetch(f"{url}/people/ops.li/")
        with urllib.request.urlopen(f"{url}/people/ops.li.ics", timeout=5) as response:
            calendar = response.read()
        # what the first edit would wait for, prepared in the background, and said so
        wait_for(lambda: "opsbook: ready for quick edits" in log.read_text(encoding="utf-8"))
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    built_page = (site / "people" / "ops.li" / "index.html").read_text("utf-8")
    assert article(served) == article(built_page)
    assert calendar == (site / "people" / "ops.li.ics").read_bytes()
    found = LAID_OUT.findall(log.read_text(encoding="utf-8"))
    assert len(found) == 1 and found[0][0] == found[0][1], found


def test_a_second_serve_reuses_the_mirror_and_serves_charts_as_a_build_makes_them(
    tmp_path: Path,
) -> None:
    """Serve mirrors the generated files into its cache and links the charts from there
    into the site rather than copying them: a second serve of the project rewrites no
    mirrored file whose bytes are the same, every chart is served as a build makes it, and
    a chart an edit changes is served new."""
    project = make_project(
        tmp_path / "p", {f"{SCENARIO}.yaml": shipped(SCENARIO)}, lang="en", charts=True
    )
    env = env_for(tmp_path)
    mirrors = tmp_path / "cache" / "serve"

    def serve() -> tuple[subprocess.Popen[bytes], str]:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "opsbook", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project, env=env, stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "serve.log").open("a"), start_new_session=True,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        wait_for(lambda: "<h1" in fetch(f"{url}/scenarios/{SCENARIO}/"), timeout=120)
        return process, url

    def stop(process: subprocess.Popen[bytes]) -> None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)

    process, _ = serve()
    stop(process)
    mirrored = {p: p.stat().st_mtime_ns for p in mirrors.rglob("*") if p.is_file()}
    charts = sorted(p for p in mirrored if p.suffix == ".svg")
    assert charts, sorted(mirrored)
    process, url = serve()
    try:
        assert {p: p.stat().st_mtime_ns for p in mirrored} == mirrored  # none rewritten
        if Path(tempfile.gettempdir()).stat().st_dev == charts[0].stat().st_dev:
            # linked into serve's site (and the first serve's, which SIGTERM left behind)
            assert all(c.stat().st_nlink >= 2 for c in charts), [c.stat().st_nlink for c in charts]
        built = run("build", "-d", os.fspath(tmp_path / "site"), cwd=project, env=env)
        assert built.returncode == 0, built.stderr
        for chart in charts:
            path = chart.relative_to(next(mirrors.iterdir())).as_posix()
            with urllib.request.urlopen(f"{url}/{path}", timeout=5) as response:
                assert response.read() == (tmp_path / "site" / path).read_bytes(), path
        scenario = project / "scenarios" / f"{SCENARIO}.yaml"
        text = scenario.read_text(encoding="utf-8")
        funnel = next(c for c in charts if SCENARIO in c.as_posix() and c.name == "funnel.svg")
        before = funnel.read_bytes()  # its first stage's value changes
        scenario.write_text(re.sub(r"(value: )[0-9.]+", r"\g<1>90000", text, count=1), "utf-8")
        path = funnel.relative_to(next(mirrors.iterdir())).as_posix()

        def served_new() -> bool:
            with urllib.request.urlopen(f"{url}/{path}", timeout=5) as response:
                return response.read() not in (before, b"")

        wait_for(served_new, timeout=120)
        with urllib.request.urlopen(f"{url}/{path}", timeout=5) as response:
            assert response.read() == funnel.read_bytes() != before
    finally:
        stop(process)
