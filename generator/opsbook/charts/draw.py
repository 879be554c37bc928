"""Charts as SVG bytes: metric trends, target vs actual, action timelines, funnels, portfolio.

Rendering happens in two steps. First the model is turned into *chart specs*: small frozen
values holding exactly what a chart shows (labels already in the page language, alert levels
from :mod:`opsbook.model`, never recomputed here). Then a spec is drawn with matplotlib.
The split gives three things: the cache key of a chart is its spec (so a chart is redrawn
exactly when something it shows changes), specs are cheap to send to worker processes, and
every text a chart will draw is known before drawing, so :func:`opsbook.support.fonts.require_glyphs`
refuses a font that would print boxes.

Output is deterministic: matplotlib's defaults (not the user's matplotlibrc), fixed figure
sizes and axes positions, fixed ``svg.hashsalt``, no date in the metadata, text as paths (the
SVG looks the same in a browser or in Typst without the font installed). User text is never
parsed as mathtext (``text.parse_math`` off): ``$x_1$`` in a metric name is drawn as typed.

Use::

    font = fonts.find_cjk_font(settings.font, lang=lang)     # FontError: the exact fix
    files = render_all(catalog, lang=lang, font=font, cache=Cache(default_cache_dir()))
    # {"charts/<scenario-id>/trend-<metric-id>.svg" | targets | timeline | funnel,
    #  "charts/portfolio/achievement-by-industry.svg" | achievement-by-owner | alerts: bytes}
    result = render_charts(...)  # the same, with RenderStats (what was drawn) and the keys

``scenario_charts`` and ``portfolio_charts`` draw one scenario's or the dashboard's charts in
this process; ``ALERT_COLORS`` and ``STATUS_COLORS`` are the colours, for pages to match.
"""

from __future__ import annotations

import collections
import datetime as dt
import importlib
import io
import itertools
import math
import os
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import CancelledError, Executor, Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from opsbook.charts.svgmin import compact_svg
from opsbook.i18n.numerals import number, percent, with_unit
from opsbook.model import Action, Cycle, MetricState, ScenarioState, alert_level
from opsbook.support.cache import Cache, content_key
from opsbook.support.fonts import FontChoice, require_glyphs
from opsbook.support.workers import owned_pool

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    from opsbook.charts.svgcanvas import TextSizes
    from opsbook.model.catalog import Catalog

CHART_CODE_VERSION = "10"  # bump when a change in this module changes the drawn bytes
CACHE_NAMESPACE = "charts"
PX = 1 / 72  # SVG user units are points: 800 pt wide gives an 800-unit viewBox
WIDTH = 800

# Okabe–Ito colours (safe for colour-blind readers), the same meaning as on the site.
ALERT_COLORS: Mapping[str, str] = {
    "ok": "#009E73", "warning": "#E69F00", "critical": "#D55E00", "no-data": "#9E9E9E",
}  # fmt: skip
STATUS_COLORS: Mapping[str, str] = {
    "done": "#009E73", "in-progress": "#0072B2", "not-started": "#9E9E9E", "delayed": "#D55E00",
}  # fmt: skip
INK = "#212121"
MUTED = "#616161"
GRID = "#E0E0E0"
LINE = "#0072B2"

_RC: Mapping[str, Any] = {
    "svg.fonttype": "path",
    "svg.hashsalt": "opsbook",
    "text.parse_math": False,
    "text.usetex": False,
    "axes.unicode_minus": False,
    "path.simplify": True,
    "font.size": 12,
    "axes.edgecolor": GRID,
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.major.size": 0,
    "ytick.major.size": 0,
    "axes.grid": False,
    "hatch.linewidth": 0.8,
}

# Every word the charts draw, (English, 简体中文).
_LABELS: Mapping[str, tuple[str, str]] = {
    "trend_sub": (
        "Target {target} · actual {actual} · achievement {rate}",
        "目标 {target} · 实际 {actual} · 达成率 {rate}",
    ),
    "trend_sub_empty": ("Target {target} · no data yet", "目标 {target} · 暂无数据"),
    "target": ("Target", "目标"),
    "baseline": ("Baseline", "基线"),
    "warning_band": ("Warning zone", "预警区间"),
    "critical_zone": ("Critical zone", "严重区间"),
    "as_of": ("As of {date}", "截至 {date}"),
    "no_data": ("No data yet", "暂无数据"),
    "value_axis": ("Value ({unit})", "数值（{unit}）"),
    "value_axis_plain": ("Value", "数值"),
    "date_axis": ("Date (MM-DD)", "日期（月-日）"),
    "targets": ("Target vs actual", "目标与实际"),
    "targets_sub": ("Achievement rate per metric", "各指标达成率"),
    "achievement_axis": ("Achievement rate (%)", "达成率（%）"),
    "target_line": ("Target (100%)", "目标（100%）"),
    "warn_mark": ("Warning level", "预警线"),
    "critical_mark": ("Critical level", "严重线"),
    "actual_of_target": ("{actual} / {target} · {rate}", "{actual} / {target} · {rate}"),
    "met": ("met", "达标"),
    "not_met": ("not met", "未达标"),
    "timeline": ("Action timeline", "行动甘特图"),
    "timeline_sub": ("{count} actions · {cycle}", "{count} 项行动 · {cycle}"),
    "recurring": ("recurring ({repeat})", "周期性（{repeat}）"),
    "milestone": ("milestone", "里程碑"),
    "funnel": ("User journey funnel", "用户旅程漏斗"),
    "funnel_sub": ("Overall conversion {rate}", "整体转化率 {rate}"),
    "by_industry": ("Achievement by industry", "按行业达成率"),
    "by_owner": ("Achievement by owner", "按负责人达成率"),
    "by_sub": (
        "Bar: average achievement of the scenarios' headline metrics · dot: one scenario",
        "条形：各场景首要指标的平均达成率 · 圆点：单个场景",
    ),
    "by_label": ("{rate} · {count} scenarios", "{rate} · {count} 个场景"),
    "by_label_one": ("{rate} · 1 scenario", "{rate} · 1 个场景"),
    "by_more": (
        "showing the {shown} lowest of {total}",
        "仅显示最低的 {shown} 个（共 {total} 个）",
    ),
    "alerts": ("Alerts", "预警概览"),
    "alerts_sub": (
        "Scenarios (by their worst core metric) and core metrics, by alert level",
        "场景（按最差的核心指标计）与核心指标的预警分布",
    ),
    "alerts_scenarios": ("Scenarios", "场景"),
    "alerts_metrics": ("Core metrics", "核心指标"),
    "count_axis": ("Count", "数量"),
    "ok": ("OK", "正常"),
    "warning": ("Warning", "预警"),
    "critical": ("Critical", "严重"),
    "no-data": ("No data", "无数据"),
    "done": ("Done", "已完成"),
    "in-progress": ("In progress", "进行中"),
    "not-started": ("Not started", "未开始"),
    "delayed": ("Delayed", "已延期"),
    "daily": ("daily", "每日"),
    "weekly": ("weekly", "每周"),
    "biweekly": ("every two weeks", "每两周"),
    "monthly": ("monthly", "每月"),
    "ecommerce": ("E-commerce", "电商"),
    "saas": ("SaaS", "SaaS"),
    "local-services": ("Local services", "本地生活"),
    "content": ("Content platforms", "内容平台"),
    "other": ("Other", "其他"),
}


def chart_labels(lang: str) -> dict[str, str]:
    """Every label, legend and axis title of the charts in ``lang`` (zh-CN or English);
    ``"_lang"`` holds the language itself (number formats follow it: 万/亿 or k/M)."""
    pick = 1 if lang == "zh-CN" else 0
    labels = {key: pair[pick] for key, pair in _LABELS.items()}
    labels["_lang"] = "zh-CN" if pick else "en"
    return labels


# Specs: what a chart shows, as plain values.


@dataclass(frozen=True)
class Point:
    day: dt.date
    value: float
    label: str
    alert: str


@dataclass(frozen=True)
class TrendSpec:
    path: str
    title: str
    subtitle: str
    y_label: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    as_of_label: str
    target: float
    target_label: str
    warn_band: tuple[float, float] | None  # values where the alert is "warning"
    critical_band: tuple[float, float] | None  # the critical side beyond it (an open end is inf)
    baseline: float | None
    points: tuple[Point, ...]
    legend: tuple[str, ...]  # target, baseline, warning zone, critical zone, as-of
    empty_label: str
    y_range: tuple[float, float] = (0.0, 1.0)
    y_ticks: tuple[tuple[float, str], ...] = ()


@dataclass(frozen=True)
class TargetRow:
    name: str
    achievement: float | None  # a ratio, 1.0 = target
    alert: str
    label: str
    warn_at: float
    critical_at: float


@dataclass(frozen=True)
class TargetsSpec:
    path: str
    title: str
    subtitle: str
    x_label: str
    rows: tuple[TargetRow, ...]
    legend: tuple[str, ...]  # target line, warning level, critical level


@dataclass(frozen=True)
class TimelineBar:
    label: str
    kind: str  # "bar", "band" (recurring) or "milestone"
    start: dt.date
    end: dt.date  # inclusive
    status: str
    note: str


@dataclass(frozen=True)
class TimelineSpec:
    path: str
    title: str
    subtitle: str
    x_label: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    as_of_label: str
    bars: tuple[TimelineBar, ...]
    legend: tuple[tuple[str, str], ...]  # (status, label)


@dataclass(frozen=True)
class FunnelSpec:
    path: str
    title: str
    subtitle: str
    stages: tuple[tuple[str, float], ...]
    values: tuple[str, ...]  # formatted stage values
    conversions: tuple[str, ...]  # between stage i and i+1


@dataclass(frozen=True)
class GroupRow:
    label: str
    mean: float | None  # ratio
    dots: tuple[tuple[float, str], ...]  # (ratio, alert) per scenario with data
    note: str


@dataclass(frozen=True)
class GroupSpec:
    path: str
    title: str
    subtitle: str
    x_label: str
    rows: tuple[GroupRow, ...]
    footnote: str
    legend: tuple[str, ...]  # target line, then the dots: ok, warning, critical


@dataclass(frozen=True)
class AlertsSpec:
    path: str
    title: str
    subtitle: str
    x_label: str
    rows: tuple[tuple[str, tuple[int, ...]], ...]  # (label, counts per alert of ALERT_ORDER)
    legend: tuple[str, ...]


ChartSpec = TrendSpec | TargetsSpec | TimelineSpec | FunnelSpec | GroupSpec | AlertsSpec
ALERT_ORDER = ("ok", "warning", "critical", "no-data")
STATUS_ORDER = ("done", "in-progress", "not-started", "delayed")


def spec_texts(spec: ChartSpec) -> list[str]:
    """Every string the chart draws (the font must have all of their characters)."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, tuple | list):
            for item in value:
                walk(item)
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                if name not in ("path", "kind", "status", "alert"):
                    walk(getattr(value, name))

    walk(spec)
    return found


def spec_key(spec: ChartSpec, lang: str, font: FontChoice, text_as_paths: bool = True) -> str:
    """The cache key of one chart: its spec, the font files, the text mode, matplotlib's
    version and this code's."""
    return _key_maker(lang, font, text_as_paths)(spec)


def _key_maker(lang: str, font: FontChoice, text_as_paths: bool) -> Callable[[ChartSpec], str]:
    """Keys for many specs, sharing the part that does not depend on the spec.

    A spec's ``repr`` is a complete, stable serialisation (frozen dataclasses of strings,
    numbers, dates and tuples: no sets, no addresses) and ten times cheaper than JSON of
    ``asdict``: a warm build of 1,000 scenarios computes 5,000 keys.
    """
    import matplotlib  # lazy: only rendering needs matplotlib loaded

    mode = "paths" if text_as_paths else "text"
    common = (CHART_CODE_VERSION, matplotlib.__version__, lang, _font_identity(font), mode)
    prefix = content_key(CACHE_NAMESPACE, *common)
    return lambda spec: content_key(prefix, repr(spec))


def _font_identity(font: FontChoice) -> str:
    parts = [font.family]
    for path, index in ((font.regular, font.regular_index), (font.bold, font.bold_index)):
        if path is not None:
            stat = path.stat()
            parts.append(f"{path}#{index}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


# Text helpers.


def _char_width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _width(text: str) -> int:
    """Display width: Chinese characters count as two columns."""
    return sum(map(_char_width, text))


def _fitting(text: str, width: int) -> int:
    """How many leading characters of ``text`` fit in ``width`` columns."""
    used = 0
    for index, char in enumerate(text):
        used += _char_width(char)
        if used > width:
            return index
    return len(text)


def _clean(text: str) -> str:
    """User text on one line: newlines and tabs become spaces."""
    return " ".join(text.split())


def ellipsize(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns with an ellipsis."""
    text = _clean(text)
    if len(text) * 2 <= width or _width(text) <= width:  # the first test is the cheap one
        return text
    return text[: _fitting(text, width - 1)].rstrip() + "…"


def wrap(text: str, width: int, lines: int = 2) -> str:
    """``text`` wrapped to ``lines`` lines of ``width`` columns, the last one ellipsized.

    Latin text breaks at a space; Chinese (no spaces between words) anywhere."""
    text = _clean(text)
    if len(text) * 2 <= width:
        return text
    result: list[str] = []
    while text and len(result) < lines - 1 and _width(text) > width:
        cut = _break_at(text, max(_fitting(text, width), 1))
        result.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        result.append(ellipsize(text, width))
    return "\n".join(result)


def _break_at(text: str, cut: int) -> int:
    """Move a line break back so that no line starts with closing punctuation (避头点) and
    no number or Latin word is split (30, Excel); a word longer than the line is still cut."""
    while 1 < cut < len(text) and text[cut] in _NO_LINE_START:
        cut -= 1
    start = cut
    while 0 < start < len(text) and _word_char(text[start - 1]) and _word_char(text[start]):
        start -= 1
    return start if start > 0 else cut


def _word_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "._-/:+%")


_NO_LINE_START = frozenset("，。、；：！？）》」』”’,.;:!?)]}…%")


_COMPACT = {"en": ((1e9, "B"), (1e6, "M"), (1e3, "k")), "zh-CN": ((1e8, "亿"), (1e4, "万"))}


def fmt_compact(value: float, labels: Mapping[str, str]) -> str:
    """Axis numbers short enough for the margin: 2.8M / 280万 from 100,000 up."""
    if abs(value) < 100_000:
        return number(value)
    for size, suffix in _COMPACT[labels["_lang"]]:
        if abs(value) >= size:
            return f"{number(round(value / size, 2))}{suffix}"
    return number(value)


def _mmdd(day: dt.date) -> str:
    return day.strftime("%m-%d")


# Building the specs of a scenario.


def scenario_specs(state: ScenarioState, lang: str) -> list[ChartSpec]:
    labels = chart_labels(lang)
    base = f"charts/{state.scenario.id}"
    specs: list[ChartSpec] = [_trend_spec(state, m, labels, base) for m in state.metrics]
    if state.metrics:
        specs.append(_targets_spec(state, labels, base))
    if state.scenario.actions:
        specs.append(_timeline_spec(state, labels, base))
    funnel = _funnel_spec(state, labels, base)
    if funnel is not None:
        specs.append(funnel)
    return specs


_TREND_KEYS = ("target", "baseline", "warning_band", "critical_zone")


def _trend_subtitle(ms: MetricState, labels: Mapping[str, str]) -> str:
    target = with_unit(ms.metric.target, ms.metric.unit)
    if ms.actual is None:
        return labels["trend_sub_empty"].format(target=target)
    actual, rate = with_unit(ms.actual, ms.metric.unit), percent(ms.achievement)
    return labels["trend_sub"].format(target=target, actual=actual, rate=rate)


def _trend_spec(
    state: ScenarioState, ms: MetricState, labels: Mapping[str, str], base: str
) -> TrendSpec:
    metric, cycle = ms.metric, state.scenario.cycle
    target_text = with_unit(metric.target, metric.unit)
    subtitle = _trend_subtitle(ms, labels)
    points = tuple(
        Point(o.date, o.value, with_unit(o.value, metric.unit), alert_level(metric, o.value).value)
        for o in metric.observations_until(state.as_of)
    )
    warn, critical = _bands(metric.direction, metric.target, metric.warn_at, metric.critical_at)
    y_range = _trend_range(metric.target, metric.baseline, warn, points)
    days = [p.day for p in points]
    return TrendSpec(
        path=f"{base}/trend-{metric.id}.svg",
        title=ellipsize(metric.name, 70),
        subtitle=ellipsize(subtitle, 110),
        y_label=labels["value_axis"].format(unit=metric.unit)
        if metric.unit
        else labels["value_axis_plain"],
        start=min([cycle.start, *days]),  # observations before the cycle (a baseline period)
        end=max([cycle.end, *days]),
        as_of=state.as_of,
        as_of_label=labels["as_of"].format(date=_mmdd(state.as_of)),
        target=metric.target,
        target_label=f"{labels['target']} {target_text}",
        warn_band=warn,
        critical_band=critical,
        baseline=metric.baseline,
        points=points,
        legend=(*(labels[k] for k in _TREND_KEYS), labels["as_of"].format(date=_mmdd(state.as_of))),
        empty_label=labels["no_data"],
        y_range=y_range,
        y_ticks=_value_ticks(*y_range, labels),
    )


def _bands(
    direction: str, target: float, warn_at: float, critical_at: float
) -> tuple[tuple[float, float] | None, tuple[float, float] | None]:
    """The values where a metric warns and where it is critical (see ``model.alert_level``).

    Higher-is-better: achievement = actual / target, so warning is between
    ``target × critical_at`` and ``target × warn_at`` and critical below. Lower-is-better:
    achievement = target / actual, so warning is between ``target / warn_at`` and
    ``target / critical_at`` and critical above.
    """
    if target <= 0:
        return None, None
    if direction == "up":
        low, high = target * critical_at, target * warn_at
        return (low, high), (-math.inf, low)
    low = target / warn_at if warn_at > 0 else math.inf
    high = target / critical_at if critical_at > 0 else math.inf
    return (low, high), ((high, math.inf) if math.isfinite(high) else None)


def _targets_spec(state: ScenarioState, labels: Mapping[str, str], base: str) -> TargetsSpec:
    rows = []
    for ms in state.metrics:
        metric = ms.metric
        if ms.actual is None:
            label = labels["no_data"]
        else:
            rate = percent(ms.achievement)
            if ms.achievement is None:
                rate = labels["met"] if ms.met else labels["not_met"]
            label = labels["actual_of_target"].format(
                actual=with_unit(ms.actual, metric.unit),
                target=with_unit(metric.target, metric.unit), rate=rate,
            )  # fmt: skip
        rows.append(
            TargetRow(
                wrap(metric.name, 22),
                ms.achievement,
                ms.alert.value,
                label,
                metric.warn_at,
                metric.critical_at,
            )
        )
    return TargetsSpec(
        path=f"{base}/targets.svg",
        title=labels["targets"],
        subtitle=labels["targets_sub"],
        x_label=labels["achievement_axis"],
        rows=tuple(rows),
        legend=(labels["target_line"], labels["warn_mark"], labels["critical_mark"]),
    )


def _bar_spec(
    action: Action, cycle: Cycle, as_of: dt.date, labels: Mapping[str, str]
) -> TimelineBar:
    """Start → due as a bar; a recurring action as a band to the cycle's end; an action
    with only a due date as a milestone. Coloured by the status on the as-of date."""
    label, status = wrap(action.action, 28), action.effective_status(as_of)
    if action.repeat:
        note = labels["recurring"].format(repeat=labels.get(action.repeat, action.repeat))
        start, end = action.start or cycle.start, action.due or cycle.end
        return TimelineBar(label, "band", start, end, status, note)
    if action.start and action.due:
        return TimelineBar(label, "bar", action.start, action.due, status, _mmdd(action.due))
    due = action.due or cycle.end
    return TimelineBar(label, "milestone", due, due, status, f"{labels['milestone']} {_mmdd(due)}")


def _timeline_spec(state: ScenarioState, labels: Mapping[str, str], base: str) -> TimelineSpec:
    cycle = state.scenario.cycle
    bars = [_bar_spec(a, cycle, state.as_of, labels) for a in state.scenario.actions]
    starts = [b.start for b in bars] + [cycle.start]
    ends = [b.end for b in bars] + [cycle.end]
    cycle_text = f"{_mmdd(cycle.start)} – {_mmdd(cycle.end)}"
    return TimelineSpec(
        path=f"{base}/timeline.svg",
        title=labels["timeline"],
        subtitle=labels["timeline_sub"].format(count=len(bars), cycle=cycle_text),
        x_label=labels["date_axis"],
        start=min(starts),
        end=max(ends),
        as_of=state.as_of,
        as_of_label=labels["as_of"].format(date=_mmdd(state.as_of)),
        bars=tuple(bars),
        legend=tuple((s, labels[s]) for s in STATUS_ORDER),
    )


def _funnel_spec(state: ScenarioState, labels: Mapping[str, str], base: str) -> FunnelSpec | None:
    journey = state.scenario.needs.journey
    if len(journey) < 2 or any(stage.value is None for stage in journey):
        return None
    stages = tuple((wrap(s.name, 16), float(s.value)) for s in journey)  # type: ignore[arg-type]
    conversions = tuple(
        f"↓ {percent(b / a) if a > 0 else '—'}" for (_, a), (_, b) in itertools.pairwise(stages)
    )
    first, last = stages[0][1], stages[-1][1]
    overall = percent(last / first) if first > 0 else "—"
    return FunnelSpec(
        path=f"{base}/funnel.svg",
        title=labels["funnel"],
        subtitle=labels["funnel_sub"].format(rate=overall),
        stages=stages,
        values=tuple(number(v) for _, v in stages),
        conversions=conversions,
    )


# Building the portfolio specs.


def catalog_specs(catalog: Catalog, lang: str) -> list[ChartSpec]:
    """Every chart of the catalog: each scenario's, then the dashboard's."""
    states = [catalog.state(s.id) for s in catalog.scenarios]
    specs = [spec for state in states for spec in scenario_specs(state, lang)]
    return specs + portfolio_specs(catalog, lang)


def portfolio_specs(catalog: Catalog, lang: str) -> list[ChartSpec]:
    labels = chart_labels(lang)
    states = [catalog.state(s.id) for s in catalog.scenarios]
    by_industry: dict[str, list[ScenarioState]] = {}
    by_owner: dict[str, list[ScenarioState]] = {}
    for state in states:
        by_industry.setdefault(state.scenario.industry, []).append(state)
        by_owner.setdefault(state.scenario.owner, []).append(state)
    industry_rows = [
        _group_row(labels.get(key, key), group, labels) for key, group in by_industry.items()
    ]
    owner_rows = sorted(  # lowest achievement first: who needs help is on top
        (_group_row(catalog.team.name_of(key), group, labels) for key, group in by_owner.items()),
        key=lambda row: (row.mean is None, row.mean or 0.0, row.label),
    )
    return [
        _group_spec("achievement-by-industry", labels["by_industry"], industry_rows, labels),
        _group_spec("achievement-by-owner", labels["by_owner"], owner_rows, labels),
        _alerts_spec(states, labels),
    ]


MAX_GROUP_ROWS = 20


def _group_row(label: str, states: Sequence[ScenarioState], labels: Mapping[str, str]) -> GroupRow:
    dots = tuple(
        (h.achievement, h.alert.value)
        for s in states
        if (h := s.headline) is not None and h.achievement is not None
    )
    mean = sum(r for r, _ in dots) / len(dots) if dots else None
    key = "by_label_one" if len(states) == 1 else "by_label"
    note = labels[key].format(rate=percent(mean), count=len(states))
    return GroupRow(wrap(label, 20), mean, tuple(sorted(dots)), note)


def _group_spec(
    name: str, title: str, rows: list[GroupRow], labels: Mapping[str, str]
) -> GroupSpec:
    footnote = ""
    if len(rows) > MAX_GROUP_ROWS:
        footnote = labels["by_more"].format(shown=MAX_GROUP_ROWS, total=len(rows))
        rows = sorted(rows, key=lambda r: (r.mean is None, r.mean or 0.0))[:MAX_GROUP_ROWS]
    return GroupSpec(
        path=f"charts/portfolio/{name}.svg",
        title=title,
        subtitle=labels["by_sub"],
        x_label=labels["achievement_axis"],
        rows=tuple(rows),
        footnote=footnote,
        legend=(labels["target_line"], labels["ok"], labels["warning"], labels["critical"]),
    )


def _alerts_spec(states: Sequence[ScenarioState], labels: Mapping[str, str]) -> AlertsSpec:
    scenario_alerts = [s.alert.value for s in states]
    metric_alerts = [m.alert.value for s in states for m in s.metrics if m.metric.core]
    rows = (
        (ellipsize(labels["alerts_scenarios"], 14), tuple(map(scenario_alerts.count, ALERT_ORDER))),
        (ellipsize(labels["alerts_metrics"], 14), tuple(map(metric_alerts.count, ALERT_ORDER))),
    )
    return AlertsSpec(
        path="charts/portfolio/alerts.svg",
        title=labels["alerts"],
        subtitle=labels["alerts_sub"],
        x_label=labels["count_axis"],
        rows=rows,
        legend=tuple(labels[a] for a in ALERT_ORDER),
    )


# Drawing.


class _Fonts:
    """FontProperties for the chosen font (the right face of a .ttc), by size and weight."""

    def __init__(self, font: FontChoice, sizes: TextSizes) -> None:
        from matplotlib.font_manager import FontPath, FontProperties
        from matplotlib.textpath import TextToPath

        self._props = FontProperties
        self._measure = TextToPath()
        self._sizes = sizes
        self._regular = FontPath(str(font.regular), font.regular_index)
        self._bold = FontPath(str(font.bold), font.bold_index) if font.bold else self._regular

    def __call__(self, size: float = 12, *, bold: bool = False) -> FontProperties:
        # the weight only matters for <text> output (CSS font-weight); the file decides glyphs
        face = self._bold if bold else self._regular
        return self._props(fname=face, size=size, weight="bold" if bold else "normal")

    def text_width(self, text: str, prop: FontProperties) -> float:
        """Width of ``text`` in pixels (points: the SVG unit) as it will be drawn."""
        measure = self._measure.get_text_width_height_descent
        width, _, _ = self._sizes.get(text, prop, False, measure)
        return float(width)


def _header(fig: Figure, fonts: _Fonts, height: float, title: str, subtitle: str) -> None:
    """Title and subtitle, left-aligned at fixed pixel offsets from the top."""
    fig.text(
        16 / WIDTH, 1 - 14 / height, title, fontproperties=fonts(16, bold=True),
        color=INK, va="top",
    )  # fmt: skip
    if subtitle:
        fig.text(
            16 / WIDTH, 1 - 40 / height, subtitle, fontproperties=fonts(12),
            color=MUTED, va="top",
        )  # fmt: skip


def _axes(fig: Figure, height: float, left: float, right: float, top: float, bottom: float) -> Axes:
    """Axes at a fixed pixel box: the same layout every time, no layout engine needed.

    Plain axes: no tick objects (``_xticks`` and ``_yticks`` write the labels), ~10% less
    CPU a chart."""
    from opsbook.charts.plainaxes import PlainAxes

    box = (left / WIDTH, bottom / height, 1 - (left + right) / WIDTH, 1 - (top + bottom) / height)
    return fig.add_axes(box, axes_class=PlainAxes)


def _xticks(
    ax: Axes, ticks: Sequence[float], labels: Sequence[str], fonts: _Fonts, *, grid: bool = False,
    title: str = "",
) -> None:  # fmt: skip
    """Labels under the x axis (and grid lines), drawn as plain text and one line collection.

    matplotlib's own ticks build five artists per tick; dropping them for our fixed ticks
    measured ~10% less CPU a chart. ``title`` is the axis title, below the labels.
    """
    from matplotlib.ticker import NullLocator
    from matplotlib.transforms import offset_copy

    ax.xaxis.set_major_locator(NullLocator())
    below = offset_copy(ax.get_xaxis_transform(), fig=ax.figure, y=-5, units="points")
    for tick, label in zip(ticks, labels, strict=True):
        ax.text(tick, 0, label, transform=below, ha="center", va="top", color=MUTED,
                fontproperties=fonts(11))  # fmt: skip
    if grid:
        ax.vlines(ticks, 0, 1, transform=ax.get_xaxis_transform(), colors=GRID, lw=0.6, zorder=0.5)
    if title:
        under = offset_copy(ax.transAxes, fig=ax.figure, y=-22, units="points")
        ax.text(0.5, 0, title, transform=under, ha="center", va="top", color=MUTED,
                fontproperties=fonts(11))  # fmt: skip


def _yticks(
    ax: Axes, ticks: Sequence[float], labels: Sequence[str], fonts: _Fonts, *, grid: bool = False,
    size: float = 11, color: str = MUTED,
) -> None:  # fmt: skip
    """Labels left of the y axis (and grid lines), as :func:`_xticks` draws them."""
    from matplotlib.ticker import NullLocator
    from matplotlib.transforms import offset_copy

    ax.yaxis.set_major_locator(NullLocator())
    left = offset_copy(ax.get_yaxis_transform(), fig=ax.figure, x=-6, units="points")
    for tick, label in zip(ticks, labels, strict=True):
        ax.text(0, tick, label, transform=left, ha="right", va="center", color=color,
                fontproperties=fonts(size), linespacing=1.35)  # fmt: skip
    if grid:
        ax.hlines(ticks, 0, 1, transform=ax.get_yaxis_transform(), colors=GRID, lw=0.6, zorder=0.5)


def _date_ticks(start: dt.date, end: dt.date) -> list[dt.date]:
    """Ticks every day, week or month-ish, always including the first and last day."""
    days = (end - start).days
    step = 1 if days <= 10 else 7 if days <= 70 else max(7, round(days / 8 / 7) * 7)
    ticks = [start + dt.timedelta(days=i) for i in range(0, days + 1, step)]
    if (end - ticks[-1]).days >= max(2, step // 2):
        ticks.append(end)
    return ticks


def _set_date_axis(
    ax: Axes, start: dt.date, end: dt.date, fonts: _Fonts, label: str, *, grid: bool = False
) -> None:
    from matplotlib.dates import date2num

    ticks = _date_ticks(start, end)
    _xticks(ax, [date2num(t) for t in ticks], [_mmdd(t) for t in ticks], fonts, grid=grid,
            title=label)  # fmt: skip
    ax.set_xlim(date2num(start) - 0.5, date2num(end) + 0.5)


_KEY, _KEY_GAP, _ITEM_GAP, _LEGEND_Y = 22.0, 6.0, 20.0, 16.0  # pixels


def _legend(fig: Figure, fonts: _Fonts, handles: list[Any], labels: list[str], y: float) -> None:
    """One centred row of keys and labels, ``y`` pixels above the bottom edge.

    Laid out by hand from measured text widths: matplotlib's legend machinery measured
    2–3 ms a chart more here.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    width, height = fig.get_size_inches() * 72
    prop = fonts(11)
    widths = [fonts.text_width(label, prop) for label in labels]
    total = sum(_KEY + _KEY_GAP + w for w in widths) + _ITEM_GAP * (len(labels) - 1)
    x, row = (width - total) / 2, _LEGEND_Y + y
    for handle, label, text_width in zip(handles, labels, widths, strict=True):
        if isinstance(handle, Line2D):
            marker = handle.get_marker() not in ("None", None, "")
            xs = [x + _KEY / 2] if marker else [x, x + _KEY]
            handle.set_data([v / width for v in xs], [row / height] * len(xs))
            handle.set_transform(fig.transFigure)
            fig.add_artist(handle)
        else:
            fig.add_artist(
                Rectangle(
                    (x / width, (row - 5) / height), _KEY / width, 10 / height,
                    transform=fig.transFigure, facecolor=handle.get_facecolor(), lw=0,
                )
            )  # fmt: skip
        fig.text(
            (x + _KEY + _KEY_GAP) / width, row / height, label, ha="left", va="center_baseline",
            color=INK, fontproperties=prop,
        )  # fmt: skip
        x += _KEY + _KEY_GAP + text_width + _ITEM_GAP


def _draw_trend(fig: Figure, spec: TrendSpec, fonts: _Fonts) -> None:
    from matplotlib.dates import date2num
    from matplotlib.lines import Line2D

    height = 420
    fig.set_size_inches(WIDTH * PX, height * PX)
    _header(fig, fonts, height, spec.title, spec.subtitle)
    ax = _axes(fig, height, left=76, right=24, top=92, bottom=70)
    low, high = spec.y_range
    handles, names = [Line2D([], [], color=INK, lw=1.4, ls="--")], [spec.legend[0]]
    for band, key, label in (
        (spec.critical_band, "critical", spec.legend[3]), (spec.warn_band, "warning", spec.legend[2])
    ):  # fmt: skip
        if band:
            handles.append(_zone(ax, band, (low, high), ALERT_COLORS[key]))
            names.append(label)
    ax.axhline(spec.target, color=INK, lw=1.4, ls="--", zorder=3)
    ax.annotate(  # at the right end: the part of the cycle after the as-of date is empty
        spec.target_label, xy=(1, spec.target), xycoords=ax.get_yaxis_transform(),
        xytext=(-4, 4), textcoords="offset points", ha="right", va="bottom", color=INK,
        fontproperties=fonts(11, bold=True), zorder=5,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5, "alpha": 0.8},
    )  # fmt: skip
    if spec.baseline is not None and low <= spec.baseline <= high:
        ax.axhline(spec.baseline, color=MUTED, lw=1, ls=":", zorder=3)
        handles.append(Line2D([], [], color=MUTED, lw=1, ls=":"))
        names.append(spec.legend[1])
    _trend_points(ax, spec, fonts)
    if spec.start <= spec.as_of <= spec.end:
        _as_of_line(ax, date2num(spec.as_of), spec.as_of_label, fonts)
        handles.append(Line2D([], [], color=MUTED, lw=1.2, ls="-."))
        names.append(spec.legend[4])
    ax.set_ylim(low, high)
    _yticks(
        ax, [t for t, _ in spec.y_ticks], [label for _, label in spec.y_ticks], fonts, grid=True
    )
    fig.text(  # the unit reads horizontally above the value axis (rotated Chinese reads badly)
        16 / WIDTH, 1 - 84 / 420, spec.y_label, ha="left", va="bottom", color=MUTED,
        fontproperties=fonts(11),
    )  # fmt: skip
    _set_date_axis(ax, spec.start, spec.end, fonts, "")
    _legend(fig, fonts, handles, names, 0.0)


def _zone(ax: Axes, band: tuple[float, float], view: tuple[float, float], color: str) -> Any:
    """Shade the values of ``band`` (clipped to the view); the legend key that shows it."""
    from matplotlib.patches import Patch

    alpha = 0.08 if color == ALERT_COLORS["critical"] else 0.18  # red reads stronger than amber
    ax.axhspan(max(band[0], view[0]), min(band[1], view[1]), color=color, alpha=alpha, lw=0)
    return Patch(color=color, alpha=alpha * 1.8)


def _trend_range(
    target: float,
    baseline: float | None,
    warn_band: tuple[float, float] | None,
    points: Sequence[Point],
) -> tuple[float, float]:
    """The value axis: every point, the target, the baseline and the warning zone, padded
    (and starting at zero when every value is positive and zero is near)."""
    values = [target] + [p.value for p in points]
    if baseline is not None:
        values.append(baseline)
    if warn_band:
        values += [v for v in warn_band if math.isfinite(v)]
    low, high = min(values), max(values)
    pad = (high - low) * 0.15 or abs(high) * 0.2 or 1.0
    bottom = low - pad
    if low >= 0 and bottom < 0:
        bottom = 0.0
    return bottom, high + pad


def _value_ticks(
    low: float, high: float, labels: Mapping[str, str]
) -> tuple[tuple[float, str], ...]:
    from matplotlib.ticker import MaxNLocator  # lazy: only chart building needs matplotlib

    ticks = [float(t) for t in MaxNLocator(nbins=5).tick_values(low, high) if low <= t <= high]
    return tuple((t, fmt_compact(t, labels)) for t in ticks)


def _trend_points(ax: Axes, spec: TrendSpec, fonts: _Fonts) -> None:
    from matplotlib.dates import date2num

    if not spec.points:
        ax.text(
            0.5, 0.5, spec.empty_label, transform=ax.transAxes, ha="center", va="center",
            color=MUTED, fontproperties=fonts(14), zorder=8,
            bbox={"facecolor": "white", "edgecolor": GRID, "boxstyle": "round,pad=0.6"},
        )  # fmt: skip
        return
    xs = [date2num(p.day) for p in spec.points]
    ys = [p.value for p in spec.points]
    ax.plot(xs, ys, color=LINE, lw=2.2, zorder=4, solid_capstyle="round")
    colors = [ALERT_COLORS[p.alert] for p in spec.points]
    ax.scatter(xs, ys, s=64, c=colors, edgecolors="white", linewidths=1.5, zorder=6)
    labelled = range(len(xs)) if len(xs) <= 12 else (0, len(xs) - 1)
    for i in labelled:
        ax.annotate(
            spec.points[i].label, (xs[i], ys[i]), xytext=(0, 9), textcoords="offset points",
            ha="center", va="bottom", fontproperties=fonts(11, bold=True), color=INK, zorder=7,
        )  # fmt: skip


def _as_of_line(ax: Axes, x: float, label: str, fonts: _Fonts) -> None:
    ax.axvline(x, color=MUTED, lw=1.2, ls="-.", zorder=2)
    ax.text(
        x, 1.0, f"{label} ", transform=ax.get_xaxis_transform(), ha="right", va="bottom",
        color=MUTED, fontproperties=fonts(10),
    )  # fmt: skip


def _draw_targets(fig: Figure, spec: TargetsSpec, fonts: _Fonts) -> None:
    from matplotlib.lines import Line2D

    height = 150 + 52 * len(spec.rows)
    fig.set_size_inches(WIDTH * PX, height * PX)
    _header(fig, fonts, height, spec.title, spec.subtitle)
    ax = _axes(fig, height, left=190, right=200, top=80, bottom=74)
    ratios = [r.achievement for r in spec.rows if r.achievement is not None]
    x_max = min(200.0, max([120.0] + [r * 100 + 10 for r in ratios]))
    for y, row in enumerate(spec.rows):
        _target_row(ax, y, row, x_max, fonts)
    _percent_axes(ax, x_max, [r.name for r in spec.rows], spec.x_label, fonts)
    handles = [
        Line2D([], [], color=INK, lw=1.4, ls="--"),
        Line2D([], [], color=ALERT_COLORS["warning"], lw=0, marker="|", ms=12, mew=2.5),
        Line2D([], [], color=ALERT_COLORS["critical"], lw=0, marker="|", ms=12, mew=2.5),
    ]
    _legend(fig, fonts, handles, list(spec.legend), 0.0)


def _percent_axes(ax: Axes, x_max: float, rows: Sequence[str], x_label: str, fonts: _Fonts) -> None:
    """An achievement axis (0 to ``x_max`` %, the 100% target line) with one row per label."""
    ax.axvline(100, color=INK, lw=1.4, ls="--", zorder=3)
    ax.set_xlim(0, x_max)
    ax.set_ylim(max(len(rows), 1) - 0.5, -0.5)
    ticks = list(range(0, int(x_max) + 1, 25))
    _xticks(ax, ticks, [f"{t}%" for t in ticks], fonts, grid=True, title=x_label)
    _yticks(ax, range(len(rows)), rows, fonts, size=12, color=INK)


def _target_row(ax: Axes, y: int, row: TargetRow, x_max: float, fonts: _Fonts) -> None:
    color = ALERT_COLORS[row.alert]
    value = row.achievement * 100 if row.achievement is not None else 0.0
    ax.barh(y, min(value, x_max), height=0.56, color=color, zorder=2)
    if value > x_max:  # clipped: show that the bar goes on
        ax.plot([x_max * 0.985], [y], marker=">", ms=7, color="white", zorder=3)
    for level, key in ((row.warn_at, "warning"), (row.critical_at, "critical")):
        if row.alert != "no-data" and 0 < level * 100 < x_max:
            ax.plot([level * 100] * 2, [y - 0.36, y + 0.36], color=ALERT_COLORS[key], lw=2.5)
    ax.text(
        x_max * 1.02, y, row.label, ha="left", va="center", color=INK, clip_on=False,
        fontproperties=fonts(11, bold=row.alert in ("warning", "critical")),
    )  # fmt: skip


def _draw_timeline(fig: Figure, spec: TimelineSpec, fonts: _Fonts) -> None:
    from matplotlib.dates import date2num
    from matplotlib.patches import Patch

    height = 168 + 38 * len(spec.bars)
    fig.set_size_inches(WIDTH * PX, height * PX)
    _header(fig, fonts, height, spec.title, spec.subtitle)
    ax = _axes(fig, height, left=230, right=60, top=84, bottom=80)
    for y, bar in enumerate(spec.bars):
        _timeline_bar(ax, y, bar, fonts)
    ax.set_ylim(len(spec.bars) - 0.4, -0.6)
    _yticks(ax, range(len(spec.bars)), [b.label for b in spec.bars], fonts, color=INK)
    _set_date_axis(ax, spec.start, spec.end, fonts, spec.x_label, grid=True)
    if spec.start <= spec.as_of <= spec.end:
        _as_of_line(ax, date2num(spec.as_of), spec.as_of_label, fonts)
    handles = [Patch(color=STATUS_COLORS[s]) for s, _ in spec.legend]
    _legend(fig, fonts, handles, [label for _, label in spec.legend], 0.0)


def _timeline_bar(ax: Axes, y: int, bar: TimelineBar, fonts: _Fonts) -> None:
    from matplotlib.dates import date2num

    color = STATUS_COLORS.get(bar.status, STATUS_COLORS["not-started"])
    start, end = date2num(bar.start), date2num(bar.end)
    if bar.kind == "milestone":
        ax.scatter([start], [y], marker="D", s=110, color=color, zorder=4, edgecolors="white")
        x_note = start + 0.9
    elif bar.kind == "band":  # recurring: a hatched band, the note inside it
        ax.barh(
            y, end - start + 1, left=start - 0.5, height=0.5, facecolor=_tint(color),
            hatch="///", edgecolor=color, lw=0, zorder=2,
        )  # fmt: skip
        ax.text(
            start, y, bar.note, ha="left", va="center", color=INK, fontproperties=fonts(10),
            zorder=5, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5, "alpha": 0.85},
        )  # fmt: skip
        return
    else:
        ax.barh(y, end - start + 1, left=start - 0.5, height=0.5, color=color, zorder=2)
        x_note = end + 0.7
    ax.text(
        x_note, y, bar.note, ha="left", va="center", color=MUTED, fontproperties=fonts(10),
        clip_on=False, zorder=5,
    )  # fmt: skip


def _tint(color: str, amount: float = 0.75) -> str:
    """``color`` mixed with white (``amount`` of white)."""
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02X}" for c in rgb)


def _draw_funnel(fig: Figure, spec: FunnelSpec, fonts: _Fonts) -> None:
    count = len(spec.stages)
    height = 120 + 62 * count
    fig.set_size_inches(WIDTH * PX, height * PX)
    _header(fig, fonts, height, spec.title, spec.subtitle)
    ax = _axes(fig, height, left=150, right=120, top=76, bottom=24)
    top = max(v for _, v in spec.stages) or 1.0
    shades = _blues(count)
    for y, ((_, value), text) in enumerate(zip(spec.stages, spec.values, strict=True)):
        width = max(value / top, 0.004)
        ax.barh(y, width, left=(1 - width) / 2, height=0.72, color=shades[y], zorder=2)
        inside = width > 0.18
        ax.text(
            0.5 if inside else 0.5 + width / 2 + 0.01, y, text, ha="center" if inside else "left",
            va="center", color="white" if inside and y < count * 0.7 else INK,
            fontproperties=fonts(12, bold=True),
        )  # fmt: skip
    for y, rate in enumerate(spec.conversions):
        ax.text(
            1.03, y + 0.5, rate, ha="left", va="center", color=MUTED,
            fontproperties=fonts(11), clip_on=False,
        )  # fmt: skip
    ax.set_xlim(0, 1)
    ax.set_ylim(count - 0.5, -0.5)
    _yticks(ax, range(count), [name for name, _ in spec.stages], fonts, size=12, color=INK)
    _xticks(ax, [], [], fonts)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _blues(count: int) -> list[str]:
    """Light to dark blue shades, darkest first (the widest stage)."""
    start, stop = (0, 114, 178), (166, 206, 227)
    shades = []
    for i in range(count):
        t = i / max(count - 1, 1)
        rgb = (round(a + (b - a) * t) for a, b in zip(start, stop, strict=True))
        shades.append("#{:02X}{:02X}{:02X}".format(*rgb))
    return shades


def _draw_groups(fig: Figure, spec: GroupSpec, fonts: _Fonts) -> None:
    from matplotlib.lines import Line2D

    count = max(len(spec.rows), 1)
    height = 160 + 40 * count
    fig.set_size_inches(WIDTH * PX, height * PX)
    _header(fig, fonts, height, spec.title, spec.subtitle)
    ax = _axes(fig, height, left=170, right=170, top=80, bottom=80)
    ratios = [r.mean for r in spec.rows if r.mean is not None]
    ratios += [d for r in spec.rows for d, _ in r.dots]
    x_max = min(200.0, max([120.0] + [r * 100 + 10 for r in ratios]))
    for y, row in enumerate(spec.rows):
        if row.mean is not None:
            ax.barh(y, min(row.mean * 100, x_max), height=0.6, color="#CFE3F1", zorder=2)
        xs = [min(d * 100, x_max) for d, _ in row.dots]
        ax.scatter(
            xs, [y] * len(xs), s=40, c=[ALERT_COLORS[a] for _, a in row.dots],
            edgecolors="white", linewidths=1, zorder=4,
        )  # fmt: skip
        ax.text(
            x_max * 1.02, y, row.note, ha="left", va="center", color=INK, clip_on=False,
            fontproperties=fonts(11),
        )  # fmt: skip
    _percent_axes(ax, x_max, [r.label for r in spec.rows], spec.x_label, fonts)
    if spec.footnote:
        fig.text(1 - 16 / WIDTH, 1 - 40 / height, spec.footnote, ha="right", va="top",
                 color=MUTED, fontproperties=fonts(10))  # fmt: skip
    handles = [Line2D([], [], color=INK, lw=1.4, ls="--")] + [
        Line2D([], [], lw=0, marker="o", ms=7, color=ALERT_COLORS[a], mec="white")
        for a in ("ok", "warning", "critical")
    ]
    _legend(fig, fonts, handles, list(spec.legend), 0.0)


def _draw_alerts(fig: Figure, spec: AlertsSpec, fonts: _Fonts) -> None:
    from matplotlib.patches import Patch

    height = 150 + 58 * len(spec.rows)
    fig.set_size_inches(WIDTH * PX, height * PX)
    _header(fig, fonts, height, spec.title, spec.subtitle)
    ax = _axes(fig, height, left=120, right=40, top=80, bottom=70)
    for y, (_, counts) in enumerate(spec.rows):
        total = sum(counts) or 1
        left = 0.0
        for alert, count in zip(ALERT_ORDER, counts, strict=True):
            share = count / total * 100
            if count:
                ax.barh(y, share, left=left, height=0.6, color=ALERT_COLORS[alert], zorder=2,
                        edgecolor="white", lw=1.5)  # fmt: skip
            if share >= 4:
                ax.text(left + share / 2, y, str(count), ha="center", va="center",
                        color="white", fontproperties=fonts(12, bold=True))  # fmt: skip
            left += share
    ax.set_xlim(0, 100)
    ax.set_ylim(len(spec.rows) - 0.5, -0.5)
    _xticks(ax, [0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"], fonts)
    _yticks(ax, range(len(spec.rows)), [label for label, _ in spec.rows], fonts, size=12, color=INK)
    handles = [Patch(color=ALERT_COLORS[a]) for a in ALERT_ORDER]
    _legend(fig, fonts, handles, list(spec.legend), 0.0)


_DRAW: Mapping[type, Callable[[Any, Any, _Fonts], None]] = {
    TrendSpec: _draw_trend,
    TargetsSpec: _draw_targets,
    TimelineSpec: _draw_timeline,
    FunnelSpec: _draw_funnel,
    GroupSpec: _draw_groups,
    AlertsSpec: _draw_alerts,
}


def _render_batch(
    specs: Sequence[ChartSpec], font: FontChoice, text_as_paths: bool = True
) -> list[bytes]:
    """Draw specs to SVG bytes with matplotlib's defaults (never the user's matplotlibrc)
    plus ours, inside a context: no global setting is changed."""
    import matplotlib.style
    from matplotlib.figure import Figure

    from opsbook.charts.svgcanvas import MeasuringCanvas, TextSizes

    out = []
    with matplotlib.style.context(["default", _rc(font, text_as_paths)], after_reset=True):
        sizes = TextSizes()  # a tick label or legend entry is measured once per batch
        fonts = _Fonts(font, sizes)
        for spec in specs:
            # a new figure: clearing a used one first clears its axes, which costs more
            fig = Figure(dpi=72)
            MeasuringCanvas(fig, sizes)
            _DRAW[type(spec)](fig, spec, fonts)
            buffer = io.BytesIO()
            fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
            out.append(compact_svg(buffer.getvalue()))  # the same picture in fewer bytes
    return out


def _rc(font: FontChoice, text_as_paths: bool) -> dict[str, Any]:
    """Our settings; with text as ``<text>`` elements, the CSS font list the SVG names
    (the chosen family first, then the usual Chinese system fonts)."""
    if text_as_paths:
        return dict(_RC)
    families = list(dict.fromkeys([font.family, *_CSS_FALLBACK]))
    return {**_RC, "svg.fonttype": "none", "font.family": "sans-serif", "font.sans-serif": families}


_CSS_FALLBACK = ("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei")


# Public API.


@dataclass(frozen=True)
class RenderStats:
    charts: int  # charts returned
    rendered: int  # charts drawn in this call (the rest came from the cache)
    workers: int  # worker processes used (0: drawn in this process)
    seconds: float
    rendered_paths: tuple[str, ...] = ()  # which charts were drawn, in catalog order


@dataclass(frozen=True)
class ChartRender:
    files: dict[str, bytes]
    stats: RenderStats = field(default_factory=lambda: RenderStats(0, 0, 0, 0.0))
    keys: Mapping[str, str] = field(default_factory=dict)  # path → cache key of its content

    def known(self) -> dict[str, bytes]:
        """Cache key → SVG, for ``render_charts(reuse=...)``."""
        return {key: self.files[path] for path, key in self.keys.items() if path in self.files}


def check_fonts(specs: Iterable[ChartSpec], font: FontChoice, lang: str) -> None:
    """Refuse a font that would draw boxes (raises :class:`opsbook.support.fonts.FontError`)."""
    require_glyphs((t for spec in specs for t in spec_texts(spec)), font, lang=lang)


def scenario_charts(
    state: ScenarioState, *, lang: str, font: FontChoice, text_as_paths: bool = True
) -> dict[str, bytes]:
    """Every chart of one scenario: ``{"charts/<id>/<name>.svg": svg bytes}``."""
    return _draw_now(scenario_specs(state, lang), lang, font, text_as_paths)


def portfolio_charts(
    catalog: Catalog, *, lang: str, font: FontChoice, text_as_paths: bool = True
) -> dict[str, bytes]:
    """The dashboard's charts: achievement by industry and by owner, alert counts."""
    return _draw_now(portfolio_specs(catalog, lang), lang, font, text_as_paths)


def prepare_drawing_here() -> None:
    """Import what drawing in this process needs (matplotlib: half a second). ``serve``
    draws its charts in worker processes, then an edited scenario's charts in its own:
    done ahead, in the background, the first edit does not wait for it."""
    for module in ("matplotlib.figure", "matplotlib.style", "opsbook.charts.svgcanvas"):
        importlib.import_module(module)


def _draw_now(
    specs: Sequence[ChartSpec], lang: str, font: FontChoice, text_as_paths: bool
) -> dict[str, bytes]:
    check_fonts(specs, font, lang)
    drawn = _render_batch(specs, font, text_as_paths)
    return {spec.path: svg for spec, svg in zip(specs, drawn, strict=True)}


def render_all(
    catalog: Catalog,
    *,
    lang: str,
    font: FontChoice,
    cache: Cache | None = None,
    jobs: int | None = None,
    text_as_paths: bool = True,
) -> dict[str, bytes]:
    """Every chart of the catalog (see :func:`render_charts`)."""
    return render_charts(
        catalog, lang=lang, font=font, cache=cache, jobs=jobs, text_as_paths=text_as_paths
    ).files


class RenderOptions(TypedDict, total=False):
    """How :func:`render_charts` and :func:`render_specs` draw (see the former)."""

    cache: Cache | None
    jobs: int | None
    progress: Callable[[int, int], None] | None
    text_as_paths: bool
    reuse: ChartRender | None
    sink: Callable[[str, bytes], None] | None


def render_charts(
    catalog: Catalog, *, lang: str, font: FontChoice, **options: Unpack[RenderOptions]
) -> ChartRender:
    """Every chart of the catalog, with what it cost.

    Charts found in ``cache`` are not drawn again (a warm build draws nothing); the others
    are drawn in ``jobs`` worker processes (default: one per core; 1 draws in this process)
    and stored. ``progress(done, total)`` is called as charts are finished.

    ``text_as_paths`` (default) draws every glyph as an outline: the SVG looks the same
    everywhere, without the font, but weighs ~45 KB. ``False`` writes ``<text>`` elements
    naming the font (CSS fallbacks: the usual Chinese system fonts): ~4 KB, selectable
    text, drawn by the reader's fonts (browsers; Typst with the pack's fonts).

    ``reuse`` is the previous result (``mkdocs serve`` after an edit): its charts whose key
    is unchanged are taken from memory without reading the cache.

    ``sink(path, svg)``: takes each chart instead of the result (whose ``files`` is then
    empty), as soon as it is drawn or read; charts are then never all in memory (at 5,000
    scenarios, 25,000 charts weigh 90 MB).
    """
    return render_specs(catalog_specs(catalog, lang), lang=lang, font=font, **options)


def render_specs(
    specs: Sequence[ChartSpec],
    *,
    lang: str,
    font: FontChoice,
    cache: Cache | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    text_as_paths: bool = True,
    reuse: ChartRender | None = None,
    sink: Callable[[str, bytes], None] | None = None,
) -> ChartRender:
    """:func:`render_charts` of specs made beforehand (:func:`catalog_specs`): drawing
    them needs nothing else of the catalog, which a caller may then let go."""
    started = time.perf_counter()
    keys = list(map(_key_maker(lang, font, text_as_paths), specs))
    cache = cache or Cache.disabled()
    if sink is not None:
        charts = list(zip(keys, specs, strict=True))
        return _render_to_sink(charts, lang, (font, text_as_paths), cache, jobs, progress, sink)
    found = reuse.known() if reuse is not None else {}
    found.update(cache.get_many(CACHE_NAMESPACE, [key for key in keys if key not in found]))
    missing = [(key, spec) for key, spec in zip(keys, specs, strict=True) if key not in found]
    check_fonts((spec for _, spec in missing), font, lang)
    report = progress or (lambda done, total: None)
    report(len(specs) - len(missing), len(specs))
    drawn, workers = _render_missing(missing, (font, text_as_paths), jobs, len(specs), report)
    cache.put_many(CACHE_NAMESPACE, drawn)
    files = {spec.path: found.get(key) or drawn[key] for key, spec in zip(keys, specs, strict=True)}
    redrawn = tuple(spec.path for key, spec in zip(keys, specs, strict=True) if key in drawn)
    stats = RenderStats(len(files), len(drawn), workers, time.perf_counter() - started, redrawn)
    return ChartRender(
        files, stats, {spec.path: key for key, spec in zip(keys, specs, strict=True)}
    )


_SEND_BATCH = 500  # charts stored or read from the cache in one query for a sink
Sink = Callable[[str, bytes], None]


def _render_to_sink(
    charts: list[tuple[str, ChartSpec]],
    lang: str,
    style: tuple[FontChoice, bool],
    cache: Cache,
    jobs: int | None,
    progress: Callable[[int, int], None] | None,
    sink: Sink,
) -> ChartRender:
    """:func:`render_charts` with a sink: drawn charts stored and handed over a few hundred
    at a time, cached ones read a few hundred at a time."""
    started = time.perf_counter()
    present = cache.present(CACHE_NAMESPACE, [key for key, _ in charts])
    missing = [(key, spec) for key, spec in charts if key not in present]
    check_fonts((spec for _, spec in missing), style[0], lang)
    report = progress or (lambda done, total: None)
    report(len(charts) - len(missing), len(charts))
    paths = {key: spec.path for key, spec in missing}
    pending: dict[str, bytes] = {}

    def deliver(drawn: dict[str, bytes]) -> None:
        pending.update(drawn)
        if len(pending) >= _SEND_BATCH or not drawn:
            cache.put_many(CACHE_NAMESPACE, pending)
            for key, svg in pending.items():
                sink(paths[key], svg)
            pending.clear()

    _, workers = _render_missing(missing, style, jobs, len(charts), report, deliver)
    deliver({})  # the last few
    _send_stored([(key, spec) for key, spec in charts if key in present], cache, sink)
    redrawn = tuple(paths.values())
    stats = RenderStats(len(charts), len(missing), workers, time.perf_counter() - started, redrawn)
    return ChartRender({}, stats, {spec.path: key for key, spec in charts})


def _send_stored(stored: list[tuple[str, ChartSpec]], cache: Cache, sink: Sink) -> None:
    for start in range(0, len(stored), _SEND_BATCH):
        batch = stored[start : start + _SEND_BATCH]
        svgs = cache.get_many(CACHE_NAMESPACE, [key for key, _ in batch])
        for key, spec in batch:
            sink(spec.path, svgs[key])


_MIN_PARALLEL = 40  # below this, starting workers (~0.5 s) costs more than it saves


def _render_missing(
    missing: Sequence[tuple[str, ChartSpec]],
    style: tuple[FontChoice, bool],
    jobs: int | None,
    total: int,
    report: Callable[[int, int], None],
    deliver: Callable[[dict[str, bytes]], None] | None = None,
) -> tuple[dict[str, bytes], int]:
    """Draw the charts the cache lacks: in worker processes when there are enough of them,
    in this process otherwise or when workers cannot run (no ``/dev/shm`` for the pool's
    semaphores, a worker killed by the system)."""
    workers = min(jobs or os.cpu_count() or 1, max(len(missing) // 4, 1))
    batches = list(_batches(missing, workers))
    done = total - len(missing)

    def tick(count: int) -> None:
        nonlocal done
        done += count
        report(done, total)

    if workers > 1 and len(missing) >= _MIN_PARALLEL:
        try:
            return _render_in_pool(batches, style, workers, tick, deliver), workers
        except (OSError, BrokenProcessPool):  # start again here; progress restarts with it
            done = total - len(missing)
    return _render_here(batches, style, tick, deliver), 0


Batch = list[tuple[str, ChartSpec]]


def _render_here(
    batches: Sequence[Batch],
    style: tuple[FontChoice, bool],
    tick: Callable[[int], None],
    deliver: Callable[[dict[str, bytes]], None] | None = None,
) -> dict[str, bytes]:
    drawn: dict[str, bytes] = {}
    for batch in batches:
        svgs = _render_batch([spec for _, spec in batch], *style)
        _collect(drawn, dict(zip([key for key, _ in batch], svgs, strict=True)), deliver)
        tick(len(batch))
    return drawn


def _collect(
    drawn: dict[str, bytes],
    batch: dict[str, bytes],
    deliver: Callable[[dict[str, bytes]], None] | None,
) -> None:
    """A batch's charts kept in ``drawn``, or handed to ``deliver`` (not kept) when given."""
    if deliver is None:
        drawn.update(batch)
    elif batch:
        deliver(batch)


def _render_in_pool(
    batches: Sequence[Batch],
    style: tuple[FontChoice, bool],
    workers: int,
    tick: Callable[[int], None],
    deliver: Callable[[dict[str, bytes]], None] | None = None,
) -> dict[str, bytes]:
    drawn: dict[str, bytes] = {}
    with owned_pool(workers, _pool_context()) as pool:  # its workers end when this process does
        futures = collections.deque(
            (batch, pool.submit(_render_batch, [spec for _, spec in batch], *style))
            for batch in batches
        )
        while futures:  # each future let go once read: it holds its charts
            batch, future = futures.popleft()
            svgs = _result_while_wanted(future, pool)
            _collect(drawn, dict(zip([key for key, _ in batch], svgs, strict=True)), deliver)
            tick(len(batch))
    return drawn


def _result_while_wanted(future: Future[list[bytes]], pool: Executor) -> list[bytes]:
    """A batch's charts. When drawn in the background of an interrupted build (Ctrl-C,
    SIGTERM: the main thread has ended), the batches not yet begun are dropped, so that the
    process exits in a moment instead of once every chart is drawn for nobody."""
    while True:
        try:
            return future.result(timeout=0.25)
        except TimeoutError:
            if _exiting():
                pool.shutdown(wait=False, cancel_futures=True)
                raise CancelledError from None


def _exiting() -> bool:
    """The interpreter is shutting down: the main thread has ended and is about to wait for
    this thread. ``threading`` says so only in a private flag (set before its exit hooks run,
    where ``main_thread().is_alive()`` is still true); the public test covers the rest."""
    shutting_down = bool(getattr(threading, "_SHUTTING_DOWN", False))
    return shutting_down or not threading.main_thread().is_alive()


def _pool_context() -> BaseContext:
    """How to start workers: fork where it is safe (Linux, no other thread running: measured
    0.9 s to start two workers that already hold matplotlib), else a fork server that
    imports this module once (1.1 s more), else the platform's default (spawn: 3.5 s more).

    Forking a process that runs other threads (``mkdocs serve``) can copy a held lock into
    the child, so the fork server is used there.
    """
    import multiprocessing
    import sys

    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["opsbook.charts.draw", "matplotlib.backends.backend_svg"])
        return context
    return multiprocessing.get_context()


def _batches(items: Sequence[tuple[str, ChartSpec]], workers: int) -> Iterator[Batch]:
    """Batches small enough to keep every worker busy to the end (the last batch decides when
    the pool finishes) and to report progress, large enough to amortise sending them."""
    size = max(2, min(16, math.ceil(len(items) / max(workers * 6, 1))))
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
