"""One vocabulary: every state has one word per language, and every output's table takes it
from ``opsbook.i18n.vocabulary`` (the site, the charts, the pack); the shipped outputs show it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, opsbook_env
from opsbook.charts.labels import chart_labels
from opsbook.i18n.vocabulary import PHRASES, STATES
from opsbook.pack.labels import enum_label
from opsbook.site.render.labels import Labels
from site_support import run, shipped_site  # noqa: F401  (a fixture)

LANGS = ("en", "zh-CN")
SITE_KIND = {"industry": "industry", "alert": "alert", "cadence": "cadence",
             "action-status": "status", "anomaly-status": "status"}  # fmt: skip
PACK_KIND = {"industry": "industry", "alert": "alert", "action-status": "action-status",
             "anomaly-status": "anomaly-status", "scenario-status": "scenario-status",
             "cadence": "repeat"}  # fmt: skip
CHART_KINDS = ("industry", "action-status", "cadence")


def _cases() -> list[tuple[str, str, str]]:
    return [(kind, code, lang) for kind in STATES for code in STATES[kind] for lang in LANGS]


@pytest.mark.parametrize(("kind", "code", "lang"), _cases())
def test_every_output_table_uses_the_one_word(kind: str, code: str, lang: str) -> None:
    expected = STATES[kind][code].get(lang)
    if kind in SITE_KIND:
        assert Labels(lang).enum(SITE_KIND[kind], code) == expected
    if kind in PACK_KIND:
        assert enum_label(PACK_KIND[kind], code, lang) == expected
    if kind in CHART_KINDS or (kind == "alert" and code != "stale"):
        assert chart_labels(lang)[code] == expected


def test_the_words_that_disagreed_are_one() -> None:
    assert chart_labels("en")["ok"] == Labels("en").enum("alert", "ok") == "On track"
    assert chart_labels("zh-CN")["by_industry"] == Labels("zh-CN")["by_industry"] == "按行业达成率"
    assert (
        Labels("zh-CN").enum("status", "overdue")
        == enum_label("action-status", "overdue", "zh-CN")
        == "已逾期"
    )
    assert PHRASES["overdue-days"].get("zh-CN") == "已逾期 {days} 天（{due} 起）"


def test_the_shipped_site_and_pack_show_the_same_overdue_words(
    shipped_site: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    page = shipped_site / "site" / "scenarios" / "ecommerce-new-user-first-order" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "已逾期 10 天（2026-06-12 起）" in html
    assert "已延期" not in html
    import subprocess

    done = run("pack", "--no-charts", "--id", "ecommerce-new-user-first-order", "-o",
               str(tmp_path / "x.pdf"), cwd=ROOT, env=opsbook_env(tmp_path))  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = subprocess.run(["pdftotext", str(tmp_path / "x.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    flat = re.sub(r"\s+", "", text)
    assert "已逾期10天（2026-06-12起）" in flat
    svg = (
        shipped_site / "site" / "charts" / "portfolio" / "achievement-by-industry.svg"
    ).read_text(encoding="utf-8")
    assert "按行业达成率" in svg and "正常" in svg
