"""``opsbook pack``: the printed review pack, read back with real PDF tools (poppler, Pillow).

The Chinese and English packs of the shipped scenarios are printed once per module and shared
by the tests that only read them; tests that change the input print from their own copy.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import shutil
import struct
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from conftest import ROOT, SCENARIOS, SHIPPED_AS_OF, opsbook_env

Run = Callable[..., subprocess.CompletedProcess[str]]
INJECTION = "标题 #set page(width: 1cm) *粗* $x^2$ ] @ref <lab> \\ `c` _i_ {b} #strong[s]"


def opsbook(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opsbook", *args],
        cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=600,
        check=False,
    )  # fmt: skip


def tool(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def pages_text(pdf: Path, layout: bool = False) -> list[str]:
    """The text of every page (pdftotext separates pages with form feeds)."""
    text = tool("pdftotext", *(["-layout"] if layout else []), str(pdf), "-")
    return text.split("\f")[:-1]


def flat(text: str) -> str:
    """Text without whitespace: Typst spaces Chinese from Latin, pdftotext keeps or drops it."""
    return re.sub(r"\s+", "", text)


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)$", tool("pdfinfo", str(pdf)), re.M)[1])  # type: ignore[index]


def in_order(text: str, *needles: str) -> None:
    """Every needle appears in ``text``, each after the previous one."""
    position = 0
    for needle in needles:
        found = text.find(needle, position)
        assert found >= 0, f"{needle!r} not found after position {position}"
        position = found + len(needle)


def project(tmp_path: Path) -> Path:
    """A copy of the shipped project (scenarios and mkdocs.yml) to change freely."""
    root = tmp_path / "project"
    shutil.copytree(SCENARIOS, root / "scenarios")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("pack")
    return folder, opsbook_env(folder)


@pytest.fixture(scope="module")
def zh_pack(shared: tuple[Path, dict[str, str]]) -> Path:
    folder, env = shared
    done = opsbook("pack", "-o", str(folder / "review.pdf"), "--since", "2026-06-15", "--full",
                   cwd=ROOT, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    pages = page_count(folder / "review.pdf")
    assert done.stdout == f"已生成 {folder / 'review.pdf'}：共 {pages} 页，10 个场景\n"
    return folder / "review.pdf"


@pytest.fixture(scope="module")
def en_pack(shared: tuple[Path, dict[str, str]]) -> Path:
    folder, env = shared
    done = opsbook("pack", "--lang", "en", "-o", str(folder / "en.pdf"), "--no-charts", "--full",
                   cwd=ROOT, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return folder / "en.pdf"


# The Chinese pack of the shipped scenarios, with the full records (--full): the brief's own
# tests are in test_pack_brief.py.


def test_cover_contents_and_summary_come_first_in_order(zh_pack: Path) -> None:
    pages = pages_text(zh_pack)
    in_order(flat(pages[0]), "运营复盘资料", "星河增长运营中心", "运营复盘会议资料", "周期",
             "2026-06-01–2026-06-30", "数据截至", "2026-06-22", "场景数", "严重", "预警",
             "逾期", "未关闭异常")  # fmt: skip
    in_order(flat(pages[1]), "目录", "待决策事项", "逾期/本周到期", "概览", "自上次复盘以来",
             "高复购用户留存", "新创作者冷启动", "附录：场景完整记录", "电商", "高复购用户留存",
             "新用户首单转化", "流失用户召回", "SaaS", "本地生活", "内容平台", "新创作者冷启动")  # fmt: skip
    summary = next(p for p in pages_text(zh_pack, layout=True) if "\n概览\n" in p)
    row = next(line for line in summary.splitlines() if line.startswith("新用户首单转化"))
    # the level stands beside the core metric that set it, not the first success criterion
    assert row.split() == ["新用户首单转化", "新人券核销率", "≥", "40%", "29.5%", "73.8%", "严重", "3",
                           str(_page_of(zh_pack, "新用户首单转化"))]  # fmt: skip


def _page_of(pdf: Path, title: str, *, appendix: bool = False) -> int:
    """The page a scenario starts on: its title line (under the industry heading); in the
    brief (its one page), or with ``appendix`` its full record."""
    found = [
        number
        for number, text in enumerate(pages_text(pdf), start=1)
        if number > 3 and title in [line.strip() for line in text.splitlines() if line.strip()][:4]
    ]
    assert len(found) >= (2 if appendix else 1), f"{title} has no page"
    return found[1] if appendix else found[0]  # its running header names it on later pages


def test_contents_and_summary_lead_to_each_scenarios_page(zh_pack: Path) -> None:
    """The contents print the page each scenario (and its industry) starts on, and both the
    contents and the summary link there."""
    from pypdf import PdfReader

    printed: dict[str, int] = {}
    brief: dict[str, int] = {}
    for line in pages_text(zh_pack)[1].splitlines():
        if found := re.fullmatch(r"(\S.*?)[ .]+(\d+)", line.strip()):
            if found[1] in printed:  # listed twice: its brief page, then its full record
                brief[found[1]] = printed[found[1]]
            printed[found[1]] = int(found[2])
    all_pages = set(printed.values()) | set(brief.values())
    titles = ["高复购用户留存", "新用户首单转化", "流失用户召回", "Renewal and expansion of key accounts",
              "低活跃客户激活", "试用客户付费转化", "会员社群复购", "门店团购引流",
              "腰部创作者商业化变现", "新创作者冷启动"]  # fmt: skip
    starts = {title: _page_of(zh_pack, title, appendix=True) for title in titles}
    assert {title: printed[title] for title in titles} == starts
    brief_pages = {title: _page_of(zh_pack, title) for title in titles}
    assert {title: brief[title] for title in titles} == brief_pages
    # an industry's entry leads to its first scenario's page
    assert printed["电商"] == min(starts[title] for title in titles[:3])
    assert printed["SaaS"] == min(starts[title] for title in titles[3:6])
    assert "概览" in pages_text(zh_pack)[printed["概览"] - 1]

    reader = PdfReader(zh_pack)
    named = {
        str(name): reader.get_destination_page_number(dest) + 1
        for name, dest in reader.named_destinations.items()
    }

    def link_targets(page: int) -> set[int]:
        annotations = reader.pages[page - 1].get("/Annots") or []
        return {named[str(annotation.get_object()["/Dest"])] for annotation in annotations}

    assert link_targets(2) == all_pages
    assert set(brief_pages.values()) <= link_targets(printed["概览"])


def test_every_page_but_the_cover_says_page_x_of_y(zh_pack: Path) -> None:
    total = page_count(zh_pack)
    pages = pages_text(zh_pack)
    assert len(pages) == total > 30
    assert "页" not in flat(pages[0])[-12:]
    for number, text in enumerate(pages[1:], start=2):
        assert re.findall(r"第(\d+)页/共(\d+)页", flat(text)) == [(str(number), str(total))]
    info = tool("pdfinfo", str(zh_pack))
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)$", info, re.M)
    assert re.search(r"^Title:\s+运营复盘会议资料$", info, re.M)


def test_scenario_section_has_the_four_templates_in_order(zh_pack: Path) -> None:
    start = _page_of(zh_pack, "新用户首单转化", appendix=True)
    pages = pages_text(zh_pack, layout=True)[start - 1 : start + 3]
    text = "\n".join(pages)
    in_order(flat(text), "新用户首单转化", "行业：电商", "负责人：李娜", "严重", "73.8%", "新人券核销率·达成率",
             "T1·场景需求分析", "业务目标", "季度新用户转化率提升20%", "核心痛点",
             "成功标准", "首单转化率、新人券核销率",
             "T2·运营流程设计", "策略", "具体动作", "负责人", "时间节点", "资源", "交付标准",
             "状态", "简化下单流", "下单必填项精简至3项", "孙浩", "2026-06-12", "5人天",
             "已逾期", "已逾期10天（2026-06-12起）", "短信触达", "每日",
             "T3·执行监控", "首单转化率", "≥20%", "18%", "90%", "正常", "新人券门槛设置过高",
             "徐涛", "2026-06-20", "新人券核销率", "73.8%", "严重",
             "异常与延期", "注册转化率低", "注册按钮不醒目", "王芳", "2026-06-18", "已逾期4天（2026-06-18起）",
             "T4·效果评估与优化", "2026-06-01–", "首单转化率18%（目标",
             "简化下单流程使转化率", "降低券门槛至10元",
             "标准作业流程（SOP）", "注册即发放新人券包")  # fmt: skip
    # the running header names the scenario on each of its pages
    for page in pages_text(zh_pack, layout=True)[start - 1 : start + 1]:
        assert page.splitlines()[0].split() == ["星河增长运营中心", "·", "运营复盘会议资料",
                                                "新用户首单转化"]  # fmt: skip


def test_since_the_last_review_lists_what_moved(zh_pack: Path) -> None:
    text = flat("\n".join(pages_text(zh_pack, layout=True)))
    in_order(text, "自上次复盘以来", "2026-06-15至2026-06-22的变化。", "指标变动",
             "新用户首单转化", "首单转化率", "17.1%", "18%", "+0.9个百分点", "90%", "正常",
             "状态变化", "新用户首单转化", "注册页主按钮改为高对比色", "未开始", "已逾期",
             "新增异常", "腰部创作者商业化变现", "开通橱窗的创作者46%从未挂车", "孙浩",
             "2026-06-26")  # fmt: skip


def test_cjk_font_is_embedded_with_a_real_bold_face(zh_pack: Path) -> None:
    fonts = tool("pdffonts", str(zh_pack)).splitlines()[2:]
    assert all(line.split()[-5:-3] == ["yes", "yes"] for line in fonts), "embedded, subset"
    embedded = {line.split()[0].split("+", 1)[1] for line in fonts}
    # only the chosen font: no character fell back to another one
    assert embedded == {"NotoSansCJKsc-Regular-Identity-H", "NotoSansCJKsc-Bold-Identity-H"}


def test_chart_text_is_real_text(zh_pack: Path) -> None:
    """Charts keep their words as text, not outlines: searchable, copyable, and set in the
    pack's font (the test above proves no other font is embedded). Every string below is
    drawn only by a chart: the funnel, the action timeline, the targets."""
    start = _page_of(zh_pack, "新用户首单转化", appendix=True)
    text = flat("\n".join(pages_text(zh_pack)[start - 1 : start + 2]))
    in_order(text, "用户旅程漏斗", "整体转化率2.7%", "曝光", "行动甘特图", "4项行动",
             "目标与实际", "各指标达成率", "首单转化率18%/20%")  # fmt: skip


def test_chart_text_prints_in_the_packs_font_whatever_family_the_svg_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An SVG names the family as fontconfig spells it; Typst may know the font by another
    name. Typst then falls back to the pack's text font, never to a font of its own."""
    from opsbook.charts import draw as charts
    from opsbook.model.catalog import load_catalog
    from opsbook.pack import PackOptions, Selection, make_pack
    from opsbook.support import fonts

    renamed = dataclasses.replace(fonts.find_cjk_font(lang="zh-CN"), family="Not Known To Typst")
    monkeypatch.setattr(fonts, "find_cjk_font", lambda *args, **kwargs: renamed)
    monkeypatch.setattr(charts, "_CSS_FALLBACK", ())  # no other family to fall back on
    catalog, _ = load_catalog([SCENARIOS], as_of=dt.date.fromisoformat(SHIPPED_AS_OF))
    assert catalog is not None
    selection = Selection(ids=("ecommerce-new-user-first-order",))
    drawn = charts.scenario_charts(catalog.state(selection.ids[0]), lang="zh-CN", font=renamed,
                                   text_as_paths=False)  # fmt: skip
    assert all(b"Not Known To Typst" in svg and b"Noto" not in svg for svg in drawn.values())
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(
        make_pack(catalog, PackOptions(lang="zh-CN", selection=selection, full=True, jobs=1)).pdf
    )
    fonts_used = {
        line.split()[0].split("+", 1)[1] for line in tool("pdffonts", str(pdf)).splitlines()[2:]
    }
    assert fonts_used == {"NotoSansCJKsc-Regular-Identity-H", "NotoSansCJKsc-Bold-Identity-H"}
    in_order(flat("".join(pages_text(pdf))), "用户旅程漏斗", "整体转化率2.7%", "行动甘特图")


def test_charts_are_embedded_as_vector_drawings(zh_pack: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(zh_pack)
    start = _page_of(zh_pack, "新用户首单转化")
    forms = [
        name
        for page in reader.pages[start - 1 : start + 2]
        for name, ref in (page["/Resources"].get("/XObject") or {}).items()
        if ref.get_object()["/Subtype"] == "/Form"
    ]
    assert len(forms) >= 4  # funnel, timeline, targets, one trend per metric
    subtypes = set(re.findall(rb"/Subtype\s*/(\w+)", zh_pack.read_bytes()))
    assert b"Form" in subtypes and b"Image" not in subtypes  # no chart was turned into pixels


def test_a_rendered_page_is_not_blank(zh_pack: Path, tmp_path: Path) -> None:
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "3", "-l", "3", str(zh_pack),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    assert image.size == (331, 468)
    assert ImageStat.Stat(image).stddev[0] > 25
    dark = sum(image.histogram()[:128])
    assert 0.01 < dark / (image.width * image.height) < 0.5


def test_the_same_input_gives_a_byte_identical_pdf(
    zh_pack: Path, shared: tuple[Path, dict[str, str]]
) -> None:
    folder, env = shared
    again = folder / "again.pdf"
    done = opsbook("pack", "-o", str(again), "--since", "2026-06-15", "--full", "--no-cache",
                   cwd=ROOT, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert again.read_bytes() == zh_pack.read_bytes()


# English.


def test_english_pack(en_pack: Path) -> None:
    pages = pages_text(en_pack)
    total = len(pages)
    in_order(flat(pages[0]), "REVIEWPACK", "星河增长运营中心", "Operationsreview", "Period",
             "Dataasof", "Scenarios", "Critical", "Warning", "Overdue")  # fmt: skip
    assert pages[1].strip().endswith(f"Page 2 of {total}")
    text = "\n".join(pages)
    in_order(text, "Contents", "Decisions needed", "Summary", "Since the last review", "Changes from 2026-06-15 to "
             "2026-06-22.", "E-commerce", "T1 · Needs analysis", "Business goal",
             "T2 · Operations plan", "Overdue", "T3 · Execution monitoring",
             "Anomalies and delays", "T4 · Evaluation and optimisation",
             "Standard operating procedure")  # fmt: skip
    assert "Net revenue retention" in text and "Renewal and expansion of key accounts" in text
    assert "CNY80,000;Discount" in flat(text)  # money in English: the currency code


# Selection.


def test_selection_by_industry_and_tag(run_opsbook: Run, tmp_path: Path) -> None:
    out = tmp_path / "saas.pdf"
    done = run_opsbook("pack", "-o", str(out), "--industry", "saas", "--no-since", "--no-charts")
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("3 个场景\n")
    text = flat(tool("pdftotext", str(out), "-"))
    assert "低活跃客户激活" in text and "试用客户付费转化" in text
    assert "新用户首单转化" not in text and "自上次复盘以来" not in text
    assert "行业：SaaS" in text  # the cover names the selection

    done = run_opsbook("pack", "-o", str(out), "--tag", "券包", "--owner", "李娜", "--no-charts")
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("1 个场景\n")


def test_empty_selection_is_an_error_naming_known_values(run_opsbook: Run, tmp_path: Path) -> None:
    out = tmp_path / "none.pdf"
    done = run_opsbook("pack", "--lang", "en", "-o", str(out), "--tag", "no-such-tag")
    assert done.returncode == 1
    assert done.stderr.startswith(
        "error: no scenario matches the selection; nothing to print\n"
        "  --tag no-such-tag: known values are "
    )
    assert not out.exists()
    done = run_opsbook("pack", "--lang", "en", "-o", str(out), "--id", "ecommerce-new-user")
    assert done.returncode == 1
    assert done.stderr == (
        "error: --id: no scenario has the id 'ecommerce-new-user'; "
        "did you mean 'ecommerce-new-user-first-order'?\n"
    )
    done = run_opsbook("pack", "--lang", "en", "-o", str(out), "--period", "2026-13")
    assert done.returncode == 2
    assert "--period: '2026-13' is not a period" in done.stderr
    assert not out.exists()


def test_period_selects_scenarios_whose_cycle_overlaps(run_opsbook: Run, tmp_path: Path) -> None:
    out = tmp_path / "p.pdf"
    done = run_opsbook("pack", "--lang", "en", "-o", str(out), "--period", "2026-05")
    assert done.returncode == 1 and "no scenario matches" in done.stderr
    done = run_opsbook("pack", "-o", str(out), "--period", "2026-W25", "--no-charts")
    assert done.returncode == 0, done.stderr
    assert "2026-06-15–2026-06-21" in flat(pages_text(out)[0])


# Input that must not print, or must print literally.


def test_invalid_scenario_prints_diagnostics_and_writes_nothing(
    run_opsbook: Run, tmp_path: Path
) -> None:
    root = project(tmp_path)
    broken = root / "scenarios" / "ecommerce-new-user-first-order.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("due: 2026-06-10", "due: 06-31"),
        encoding="utf-8",
    )
    out = root / "review.pdf"
    out.write_bytes(b"the previous pack")
    done = run_opsbook("pack", "--lang", "en", "-o", "review.pdf", cwd=root)
    assert done.returncode == 1
    assert re.search(
        r"^scenarios/ecommerce-new-user-first-order\.yaml:\d+:\d+: error\[schema\.\w+\] "
        r"actions\[0\]\.due: '06-31'",
        done.stderr,
        re.M,
    ), done.stderr
    assert done.stderr.endswith(
        "review.pdf was not written: fix the problems above and run opsbook pack again\n"
    )
    assert out.read_bytes() == b"the previous pack"
    assert [p.name for p in root.iterdir() if p.name.startswith(".review")] == []


def test_user_text_prints_literally(run_opsbook: Run, tmp_path: Path) -> None:
    root = project(tmp_path)
    scenario = root / "scenarios" / "ecommerce-new-user-first-order.yaml"
    quoted = INJECTION.replace("\\", "\\\\")
    scenario.write_text(
        scenario.read_text(encoding="utf-8").replace("title: 新用户首单转化", f'title: "{quoted}"'),
        encoding="utf-8",
    )
    done = run_opsbook("pack", "-o", "x.pdf", "--id", "ecommerce-new-user-first-order",
                       "--title", INJECTION + " 封面", "--no-charts", cwd=root)  # fmt: skip
    assert done.returncode == 0, done.stderr
    pages = pages_text(root / "x.pdf")
    assert flat(INJECTION + " 封面") in flat(pages[0])
    assert flat(INJECTION) in flat(pages[-1])  # the scenario's own page: its title
    assert page_count(root / "x.pdf") < 12  # `#set page(width: 1cm)` did not run


def test_long_unbreakable_text_stays_inside_the_page(run_opsbook: Run, tmp_path: Path) -> None:
    root = project(tmp_path)
    scenario = root / "scenarios" / "ecommerce-new-user-first-order.yaml"
    token = "SKU" + "0123456789ABCDEFGHIJ" * 4
    url = "https://example.com/" + "/".join(["a-rather-long-path-segment"] * 6)
    text = scenario.read_text(encoding="utf-8")
    text = text.replace("standard: 触达率 ≥ 90%", f"standard: 触达率 ≥ 90% {token}", 1)
    text = text.replace("action: 下单必填项精简至3项", f"action: 下单必填项精简至3项 {url}")
    scenario.write_text(text, encoding="utf-8")
    done = run_opsbook("pack", "-o", "x.pdf", "--id", "ecommerce-new-user-first-order",
                       "--no-charts", "--no-since", "--full", cwd=root)  # fmt: skip
    assert done.returncode == 0, done.stderr
    words = tool("pdftotext", "-bbox", str(root / "x.pdf"), "-")
    right_edges = [
        float(x) for x in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"', words)
    ]
    assert max(right_edges) <= 595.28 - 18 * 72 / 25.4 + 1  # the right margin (18 mm)
    extracted = flat(tool("pdftotext", str(root / "x.pdf"), "-")).replace("\u200b", "")
    assert token in extracted
    # the URL breaks after "/" and at its hyphens (which pdftotext joins back without them)
    assert url.replace("-", "") in extracted.replace("-", "")


# Fonts.


def test_a_font_without_chinese_glyphs_is_refused(run_opsbook: Run, tmp_path: Path) -> None:
    import matplotlib

    root = project(tmp_path)
    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    settings = root / "mkdocs.yml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            "      lang: zh-CN", f"      lang: zh-CN\n      font: {dejavu}"
        ),
        encoding="utf-8",
    )
    done = run_opsbook("pack", "--lang", "en", "-o", "x.pdf", "--no-charts", cwd=root)
    assert done.returncode == 1
    assert re.match(r"error: the font '[^']+' \(\S+DejaVuSans\.ttf\) has no glyph for '",
                    done.stderr), done.stderr  # fmt: skip
    assert "sudo apt-get install fonts-noto-cjk" in done.stderr
    assert not (root / "x.pdf").exists()


def test_the_charts_font_is_the_packs_font_without_layout_tables(tmp_path: Path) -> None:
    """The copy the charts' text is set in: the same glyphs, widths and PostScript name (the
    PDF lists the pack's font), no GSUB/GPOS (the cost of shaping thousands of labels), a
    family of its own (the body text keeps the real font), a valid file."""
    from fontTools.ttLib import TTFont

    from opsbook.pack.chartfont import CHART_FAMILY, write_chart_fonts
    from opsbook.support import fonts

    font = fonts.find_cjk_font(lang="zh-CN")
    copies = write_chart_fonts(font, tmp_path)
    faces = [(font.regular, font.regular_index), (font.bold, font.bold_index)]
    assert len(copies) == (2 if font.bold else 1)
    for copy, (path, index) in zip(copies, faces, strict=False):
        original, chart = TTFont(path, fontNumber=index), TTFont(copy, checkChecksums=2)
        assert {"GSUB", "GPOS", "GDEF"} & set(original.keys()), "a font with layout tables"
        assert not {"GSUB", "GPOS", "GDEF"} & set(chart.keys())
        assert chart["hmtx"].metrics == original["hmtx"].metrics
        assert chart["cmap"].getBestCmap() == original["cmap"].getBestCmap()
        assert chart["name"].getDebugName(1) == CHART_FAMILY
        assert chart["name"].getDebugName(6) == original["name"].getDebugName(6)
        assert chart["OS/2"].usWeightClass == original["OS/2"].usWeightClass
        data = copy.read_bytes()
        words = struct.unpack(f">{len(data) // 4}I", data + b"\0" * (-len(data) % 4))
        assert sum(words) & 0xFFFFFFFF == 0xB1B0AFBA  # the whole-file checksum


def test_charts_name_their_font_first_and_keep_the_rest_as_fallbacks() -> None:
    from opsbook.pack.chartfont import name_chart_font

    svg = (b'<svg font-family="\'Noto Sans CJK SC\',sans-serif"><style>.a{font-family: X}'
           b'</style><text style="font-size:9px;font-family:Y">1</text></svg>')  # fmt: skip
    assert name_chart_font(svg, "F") == (
        b"<svg font-family=\"'F','Noto Sans CJK SC',sans-serif\"><style>.a{font-family: 'F',X}"
        b"</style><text style=\"font-size:9px;font-family:'F',Y\">1</text></svg>"
    )


def test_a_font_file_that_cannot_be_copied_leaves_the_charts_font_alone(tmp_path: Path) -> None:
    from opsbook.pack.chartfont import write_chart_fonts
    from opsbook.support import fonts

    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"wOFF" + bytes(64))  # a web font: not a font file Typst reads
    font = dataclasses.replace(fonts.find_cjk_font(lang="zh-CN"), bold=broken, bold_index=0)
    folder = tmp_path / "fonts"
    folder.mkdir()
    assert write_chart_fonts(font, folder) == []
    assert list(folder.iterdir()) == []


# Since the last review, between git revisions.


def test_since_revision_compares_with_the_files_at_that_commit(
    run_opsbook: Run, tmp_path: Path
) -> None:
    root = project(tmp_path)
    env = {"GIT_AUTHOR_DATE": "2026-06-15T09:00:00Z", "GIT_COMMITTER_DATE": "2026-06-15T09:00:00Z"}
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run(
        [*git, "commit", "-q", "-m", "last review"], check=True, env={**os.environ, **env}
    )
    scenario = root / "scenarios" / "saas-renewal-expansion.yaml"
    scenario.write_text(
        scenario.read_text(encoding="utf-8").replace(
            "- {date: 2026-06-21, value: 106.2}", "- {date: 2026-06-21, value: 98}"
        ),
        encoding="utf-8",
    )
    done = run_opsbook("pack", "--lang", "en", "-o", "x.pdf", "--since-rev", "HEAD",
                       "--id", "saas-renewal-expansion", "--no-charts", cwd=root)  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = " ".join(" ".join(pages_text(root / "x.pdf", layout=True)).split())
    in_order(text, "Since the last review", "Changes from revision ", " (2026-06-15) to the "
             "current files (as of 2026-06-22).", "New alerts", "Renewal and expansion of key",
             "Net revenue retention", "On track", "Warning", "98%", "89.1%", "Metrics moved",
             "Net revenue retention", "105%", "98%", "−7 pp", "89.1%", "Warning",
             "Gross revenue churn", "6.1%", "5.4%", "−0.7 pp", "Status changes",
             "Build an ROI report template", "In progress", "Overdue",
             "ROI reports cannot show usage per department", "Open", "Overdue")  # fmt: skip


def test_a_table_that_breaks_across_pages_repeats_its_header(
    run_opsbook: Run, tmp_path: Path
) -> None:
    root = project(tmp_path)
    scenario = root / "scenarios" / "ecommerce-new-user-first-order.yaml"
    actions = "".join(
        f"  - id: extra-{n}\n    strategy: 短信触达\n    action: 第 {n} 批老用户短信唤醒\n"
        f"    owner: mkt.liu\n    due: 2026-06-{10 + n % 20:02d}\n    standard: 触达率 ≥ 90%\n"
        f"    status: done\n"
        for n in range(40)
    )
    text = scenario.read_text(encoding="utf-8").replace("\nmetrics:\n", f"{actions}\nmetrics:\n")
    scenario.write_text(text, encoding="utf-8")
    done = run_opsbook("pack", "-o", "x.pdf", "--id", "ecommerce-new-user-first-order",
                       "--no-charts", "--no-since", "--full", cwd=root)  # fmt: skip
    assert done.returncode == 0, done.stderr
    pages = [
        p for p in pages_text(root / "x.pdf", layout=True) if "第 39 批" in p or "第 0 批" in p
    ]
    assert len(pages) >= 2  # the action table spans pages
    header = ["策略", "具体动作", "负责人", "时间节点", "资源", "交付标准", "状态"]
    for page in pages:
        assert any(line.split() == header for line in page.splitlines()), page[:300]


def test_since_options_are_checked(run_opsbook: Run, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    done = run_opsbook("pack", "--lang", "en", "-o", str(out), "--since", "2026-06-22")
    assert done.returncode == 2
    assert "--since 2026-06-22 is not before the as-of date 2026-06-22" in done.stderr
    done = run_opsbook("pack", "--lang", "en", "-o", str(out), "--since", "last week")
    assert done.returncode == 2
    assert "--since: 'last week' is not a date; write YYYY-MM-DD" in done.stderr
    root = project(tmp_path)
    subprocess.run(["git", "-C", str(root), "init", "-q"], check=True)
    done = run_opsbook("pack", "--lang", "en", "-o", "x.pdf", "--since-rev", "nope", cwd=root)
    assert done.returncode == 2
    assert "unknown revision 'nope'" in done.stderr
    assert not out.exists() and not (root / "x.pdf").exists()
