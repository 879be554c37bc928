"""``opsbook pack``'s brief, the default: what a 60-minute review meeting reads.

Read back from the real PDF with poppler (pdftotext, pdftoppm): the cover's three key
messages, the decisions needed, what is overdue or due this week, one page per scenario with
its point as a headline, the page budget, how full the pages are, rows that never split, and
status marks that stay apart in greyscale print.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from PIL import Image, ImageStat

from conftest import ROOT, SCENARIOS, opsbook_env
from test_pack import flat, in_order, opsbook, page_count, pages_text, tool

TITLES = ["高复购用户留存", "新用户首单转化", "流失用户召回", "Renewal and expansion of key accounts",
          "低活跃客户激活", "试用客户付费转化", "会员社群复购", "门店团购引流",
          "腰部创作者商业化变现", "新创作者冷启动"]  # fmt: skip
TOP_MARGIN = 22 * 72 / 25.4  # the template's page margins, in points
BOTTOM_MARGIN = 20 * 72 / 25.4


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("brief")


def _print(folder: Path, name: str, *args: str) -> Path:
    done = opsbook("pack", "-o", str(folder / name), "--since", "2026-06-15", *args,
                   cwd=ROOT, env=opsbook_env(folder))  # fmt: skip
    assert done.returncode == 0, done.stderr
    return folder / name


@pytest.fixture(scope="module")
def zh_brief(folder: Path) -> Path:
    pdf = _print(folder, "brief.pdf")
    return pdf


@pytest.fixture(scope="module")
def en_brief(folder: Path) -> Path:
    return _print(folder, "brief-en.pdf", "--lang", "en")


@pytest.fixture(scope="module")
def zh_full(folder: Path) -> Path:
    return _print(folder, "full.pdf", "--full", "--no-charts")


# ---------------------------------------------------------------- reading pages back


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]

    @property
    def section(self) -> str:
        """The running header's right-hand side: the section (or scenario) the page is in."""
        return " ".join(
            w.text for w in self.words if w.y1 < TOP_MARGIN and w.x0 > self.width / 2
        )  # fmt: skip

    @property
    def fill(self) -> float:
        """How far down the text area the lowest text reaches (header and footer aside)."""
        bottom = self.height - BOTTOM_MARGIN
        body = [w.y1 for w in self.words if w.y0 > TOP_MARGIN and w.y1 <= bottom]
        return (max(body, default=TOP_MARGIN) - TOP_MARGIN) / (bottom - TOP_MARGIN)


def read_pages(pdf: Path) -> list[Page]:
    """Every page's words with their boxes, in points from the top left (pdftotext -bbox)."""
    html = tool("pdftotext", "-bbox", str(pdf), "-")
    pages = []
    for size, body in re.findall(
        r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', html, re.S
    ):
        words = [
            Word(text, *map(float, box))
            for *box, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                body,
            )
        ]
        pages.append(Page(float(size), 841.89, words))
    return pages


def row_word(page: Page, first: str, word: str) -> Word:
    """``word`` on a table row that starts with ``first``."""
    starts = [w.y0 for w in page.words if w.text == first]
    return next(w for w in page.words if w.text == word and any(abs(w.y0 - y) < 6 for y in starts))


# ---------------------------------------------------------------- the brief


def test_the_brief_fits_sixteen_pages_and_says_so(folder: Path, zh_brief: Path) -> None:
    pages = page_count(zh_brief)
    assert pages <= 16
    done = opsbook("pack", "-o", str(folder / "again.pdf"), "--since", "2026-06-15",
                   cwd=ROOT, env=opsbook_env(folder))  # fmt: skip
    assert done.stdout == f"已生成 {folder / 'again.pdf'}：共 {pages} 页，10 个场景\n"
    assert (folder / "again.pdf").read_bytes() == zh_brief.read_bytes()


def test_cover_states_three_key_messages_from_the_data(zh_brief: Path) -> None:
    cover = flat(pages_text(zh_brief)[0])
    in_order(cover, "运营复盘会议资料", "数据截至", "2026-06-22", "本期要点",
             "1", flat("最严重预警：门店团购引流 · 团购退款率 11.2%（目标 ≤ 8%，达成率 71.4%）严重"),
             "2", flat("14 项已逾期（行动 9 项、异常 5 项），最久已逾期 10 天"),
             "3", flat("自上次复盘最大变动：试用客户付费转化 · 试用客户工单首响时长 33 分钟 → 27 分钟"
                       "（达成率 +20.2 个百分点）"))  # fmt: skip


def test_english_cover_messages(en_brief: Path) -> None:
    cover = flat(pages_text(en_brief)[0])
    in_order(cover, "Keymessages",
             flat("Worst alert: 门店团购引流 · 团购退款率 11.2% (target ≤ 8%, 71.4% achieved) "
                  "— Critical"),
             flat("14 items overdue (9 actions, 5 anomalies), the oldest by 10 d"),
             flat("Biggest move since the last review: 试用客户付费转化 · 试用客户工单首响时长 "
                  "33 分钟 → 27 分钟 (achievement +20.2 pp)"))  # fmt: skip


def test_decisions_needed_name_the_scenario_owner_and_the_latest_measure(zh_brief: Path) -> None:
    page = pages_text(zh_brief, layout=True)[1]
    lines = page.splitlines()
    assert lines[0].split() == ["星河增长运营中心", "·", "运营复盘会议资料", "待决策事项"]
    rows = [line.split() for line in lines if line.startswith(("门店团购引流", "低活跃客户激活"))]
    assert rows[:2] == [
        ["门店团购引流", "团购退款率", "11.2%", "≤", "8%", "71.4%", "严重", "林峰", "预约功能", "06-24",
         "前上线"],
        ["低活跃客户激活", "低活跃客户激活率", "22%", "≥", "30%", "73.3%", "严重", "何静", "06-26",
         "前完成剩余", "72", "家诊断"],
    ]  # fmt: skip
    # the metric's owner supplies the data; the scenario's owner acts
    in_order(flat(page), "门店团购引流", "林峰", "数据:徐涛", "低活跃客户激活", "何静", "数据:何静",
             "新用户首单转化", "新人券核销率", "李娜", "数据:徐涛", "流失用户召回", "预警", "赵磊",
             "试用客户付费转化", "试用转付费率", "15.5%", "86.1%", "预警", "黄敏")  # fmt: skip


def test_overdue_and_due_this_week_most_overdue_first(zh_brief: Path) -> None:
    text = flat("\n".join(pages_text(zh_brief, layout=True)[1:3]))
    in_order(text, "逾期/本周到期", "场景", "类型", "事项", "负责人", "截止日期", "状态",
             "低活跃客户激活", "行动", "逐一电话诊断", "何静", "2026-06-12", "已逾期",
             "已逾期10天（2026-06-12起）",
             "新用户首单转化", "异常", "注册转化率低", "王芳", "2026-06-18", "已逾期4天（2026-06-18起）",
             "门店团购引流", "异常", "团购退款率11.8%", "林峰", "2026-06-20", "已逾期2天（2026-06-20起）",
             "新创作者冷启动", "异常", "导师仅到位31名", "马超", "2026-06-24", "本周到期", "2天后到期",
             "高复购用户留存", "行动", "金卡专属权益", "赵磊", "2026-06-26", "本周到期",
             "4天后到期", "概览")  # fmt: skip


def test_one_page_per_scenario_headed_by_its_point(zh_brief: Path) -> None:
    pages = pages_text(zh_brief)
    read = read_pages(zh_brief)
    for title in TITLES:
        # one page, whose running header and heading name it (a title on two lines in the
        # header is joined by a space, like the heading's)
        own = [n for n, page in enumerate(read) if page.section == title]
        assert len(own) == 1, (title, own)
        assert title in [line.strip() for line in pages[own[0]].splitlines()[:4]]
    page = next(p for p in pages if "新用户首单转化\n" in p and "核心指标趋势" in p)
    in_order(flat(page), "新用户首单转化", "行业：电商", "负责人：李娜", "严重",
             flat("首单转化率 18%（目标 20%），连升 2 周；新人券核销率 29.5% 严重，连降 2 周 → "
                  "措施：降低券门槛至 10 元，新增“满 30 元可用”券"),
             "核心指标趋势", "首单转化率", "新人券核销率",  # the trend charts' titles
             "指标", "首单转化率", "≥20%", "18%", "90%", "新人券核销率", "73.8%", "正常", "严重",
             "严重第3周·06-06起",  # how long the alert has fired, under its level
             "未关闭异常", "注册转化率低", "王芳", "已逾期4天（2026-06-18起）",
             "逾期与本周到期的行动", "下单必填项精简至3项", "孙浩", "已逾期10天（2026-06-12起）",
             "最近一次复盘", "优化措施", "降低券门槛至10元")  # fmt: skip
    assert "T1·场景需求分析" not in flat("\n".join(pages))  # the full records: --full only


def test_english_headline(en_brief: Path) -> None:
    text = flat("\n".join(pages_text(en_brief)))
    assert (
        flat(
            "首单转化率 18% (target 20%), up 2 weeks running; 新人券核销率 29.5% (Critical), "
            "down 2 weeks running → measure: 降低券门槛至 10 元，新增“满 30 元可用”券"
        )
        in text
    )
    assert flat("Net revenue retention 106.2% (target 110%), up 2 weeks running") in text
    assert flat("低活跃客户激活率 22% (Critical, target 30%), up 2 weeks running → measure: "
                "06-26 前完成剩余 72 家诊断") in text  # fmt: skip


def test_full_appends_every_scenarios_record(zh_brief: Path, zh_full: Path) -> None:
    brief, full = pages_text(zh_brief), pages_text(zh_full)
    assert len(full) > len(brief) + 20
    text = flat("\n".join(full))
    in_order(text, "最严重预警", "目录", "待决策事项", "逾期/本周到期", "概览", "自上次复盘以来",
             "附录：场景完整记录", "待决策事项", "概览", "新用户首单转化", "最近一次复盘",
             "附录：场景完整记录", "电商", "高复购用户留存", "T1·场景需求分析", "T2·运营流程设计",
             "T3·执行监控", "异常与延期", "T4·效果评估与优化", "标准作业流程（SOP）")  # fmt: skip


def test_no_table_row_splits_across_pages(zh_full: Path) -> None:
    """Every T4 row (the tallest rows) is whole on one page: the start of its first item and
    the end of its last (pdftotext reads a row's cells line by line, interleaved)."""
    pages = [flat(p) for p in pages_text(zh_full)]
    checked = 0
    for path in sorted(SCENARIOS.glob("*.yaml")):
        for review in yaml.safe_load(path.read_text(encoding="utf-8")).get("reviews") or []:
            first, last = flat(review["worked"][0])[:6], flat(review["measures"][-1])[-6:]
            assert any(first in p and last in p for p in pages), (path.name, first, last)
            checked += 1
    assert checked >= 10


def test_no_page_but_a_sections_last_is_under_forty_percent_full(zh_brief: Path) -> None:
    pages = read_pages(zh_brief)
    for number, page in enumerate(pages[1:], start=2):
        last_of_section = number == len(pages) or pages[number].section != page.section
        assert page.section, number
        if not last_of_section or page.section in TITLES:  # a scenario's page: full too
            assert page.fill >= 0.4, (number, page.section, round(page.fill, 2))


def test_fill_helper_measures_the_lowest_text() -> None:
    """The helper itself: an empty page is 0 full, text at the bottom margin is 1."""
    bottom = 841.89 - BOTTOM_MARGIN
    header = Word("x", 400, 40, 420, 50)
    assert Page(595.28, 841.89, [header]).fill == 0
    assert Page(595.28, 841.89, [header, Word("y", 60, bottom - 20, 80, bottom)]).fill == 1
    assert Page(595.28, 841.89, [header]).section == "x"


# ---------------------------------------------------------------- greyscale


def _grey(pdf: Path, page: int, folder: Path) -> Image.Image:
    """The page in greyscale at 144 dpi (2 pixels a point)."""
    subprocess.run(["pdftoppm", "-gray", "-r", "144", "-png", "-f", str(page), "-l", str(page),
                    str(pdf), str(folder / f"grey-{page}")], check=True)  # fmt: skip
    return Image.open(next(folder.glob(f"grey-{page}*.png")))


def _lightness(image: Image.Image, word: Word) -> float:
    """The grey of a word's badge (the median of the word's box and its pill's margin: the
    badge's fill, which covers more of the box than the word and the mark)."""
    box = (2 * (word.x0 - 10), 2 * (word.y0 - 1), 2 * (word.x1 + 2), 2 * (word.y1 + 1))
    return ImageStat.Stat(image.crop(tuple(int(v) for v in box))).median[0]


def test_status_badges_stay_apart_in_greyscale(zh_brief: Path, tmp_path: Path) -> None:
    pages = read_pages(zh_brief)
    decisions, due = pages[1], pages[2]
    summary_number = next(n for n, p in enumerate(pages) if any(w.text == "概览" for w in p.words))
    summary = pages[summary_number]
    critical = _lightness(_grey(zh_brief, 2, tmp_path), row_word(decisions, "门店团购引流", "严重"))
    warning = _lightness(_grey(zh_brief, 2, tmp_path), row_word(decisions, "流失用户召回", "预警"))
    ok = _lightness(
        _grey(zh_brief, summary_number + 1, tmp_path), row_word(summary, "会员社群复购", "正常")
    )
    due_soon = _lightness(_grey(zh_brief, 3, tmp_path), row_word(due, "新创作者冷启动", "本周到期"))
    overdue = _lightness(
        _grey(zh_brief, 2, tmp_path), row_word(decisions, "低活跃客户激活", "已逾期")
    )
    # severe states are solid (light words on a dark badge), cautions tinted, good ones white
    found = (critical, warning, ok, overdue, due_soon)
    assert critical < 110 and overdue < 110, found
    assert warning > critical + 100 and due_soon > overdue + 100, found
    assert ok > warning + 20 and ok > due_soon + 20, found
    # and the words are there for anyone reading without colour
    text = tool("pdftotext", str(zh_brief), "-")
    assert all(word in text for word in ("严重", "预警", "正常", "已逾期", "本周到期"))


def _charts_in_cache(cache: Path) -> int:
    with contextlib.closing(sqlite3.connect(cache / "cache.sqlite3")) as db:
        (count,) = db.execute("SELECT count(*) FROM entries WHERE namespace = 'charts'").fetchone()
    return int(count)


def test_the_brief_draws_only_the_charts_it_prints(tmp_path: Path) -> None:
    """The brief prints one trend per core metric and no other chart, so a cold brief draws
    no other: the full records' charts wait for ``--full``."""
    env = opsbook_env(tmp_path)
    done = opsbook("pack", "-o", str(tmp_path / "brief.pdf"), "--no-since", cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    documents = [
        yaml.safe_load(path.read_text(encoding="utf-8")) for path in SCENARIOS.glob("*.yaml")
    ]
    core = [m for d in documents if "metrics" in d for m in d["metrics"] if m.get("core", True)]
    assert _charts_in_cache(tmp_path / "cache") == len(core) == 20
    done = opsbook("pack", "-o", str(tmp_path / "full.pdf"), "--no-since", "--full", cwd=ROOT,
                   env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert _charts_in_cache(tmp_path / "cache") > 20
