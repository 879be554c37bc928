"""A chart's text alternative: its title and every number it shows, for readers without the
picture (screen readers, a failed image, a text-only search result)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from opsbook.charts.specs import (
    AlertsSpec,
    ChartSpec,
    FunnelSpec,
    GroupSpec,
    TargetsSpec,
    TimelineSpec,
    TrendSpec,
)
from opsbook.charts.text import mmdd
from opsbook.i18n.numerals import percent


def alt_text(spec: ChartSpec, lang: str, subject: str) -> str:
    """``title · subtitle: item; item…`` in the page language, every drawn value stated;
    ``subject`` (what the chart is about) stands in for a missing title."""
    chinese = lang.lower().startswith("zh")
    colon, items_sep = ("：", "；") if chinese else (": ", "; ")
    list_sep = _ZH_LIST if chinese else _EN_LIST
    head = " · ".join(part for part in (spec.title or subject, spec.subtitle) if part)
    items = _ITEMS[type(spec)](spec, list_sep)
    return head + colon + items_sep.join(items) if items else head


_ZH_LIST, _EN_LIST = "，", ", "  # between the items of a list in brackets


def _trend(spec: TrendSpec, _sep: str) -> list[str]:
    return [f"{mmdd(p.day)} {p.label}" for p in spec.points] or [spec.empty_label]


def _targets(spec: TargetsSpec, _sep: str) -> list[str]:
    return [f"{row.name} {row.label}" for row in spec.rows]


def _timeline(spec: TimelineSpec, _sep: str) -> list[str]:
    words = dict(spec.legend)
    return [
        " ".join(part for part in (bar.label, words.get(bar.status, ""), bar.note) if part)
        for bar in spec.bars
    ]


def _funnel(spec: FunnelSpec, _sep: str) -> list[str]:
    conversions = [*spec.conversions, ""]
    return [
        " ".join(part for part in (name, value, step) if part)
        for (name, _), value, step in zip(spec.stages, spec.values, conversions, strict=False)
    ]


def _groups(spec: GroupSpec, sep: str) -> list[str]:
    """Each row's mean, then each scenario's dot: its level's word and its achievement."""
    words = dict(zip(("ok", "warning", "critical"), spec.legend[1:], strict=False))

    def dots_of(dots: tuple[tuple[float, str], ...]) -> list[str]:
        return [f"{words.get(alert, alert)} {percent(ratio)}" for ratio, alert in dots]

    return [
        f"{row.label} {row.note}{_bracketed(dots_of(row.dots), sep)}"
        if row.dots
        else f"{row.label} {row.note}"
        for row in spec.rows
    ]


def _bracketed(items: list[str], sep: str) -> str:
    opening, closing = ("（", "）") if sep == _ZH_LIST else (" (", ")")
    return opening + sep.join(items) + closing


def _alerts(spec: AlertsSpec, sep: str) -> list[str]:
    return [
        label
        + " "
        + sep.join(f"{name} {count}" for name, count in zip(spec.legend, counts, strict=False))
        for label, counts in spec.rows
    ]


_ITEMS: Mapping[type, Callable[[Any, str], list[str]]] = {
    TrendSpec: _trend,
    TargetsSpec: _targets,
    TimelineSpec: _timeline,
    FunnelSpec: _funnel,
    GroupSpec: _groups,
    AlertsSpec: _alerts,
}
