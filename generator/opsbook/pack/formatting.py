"""How numbers, dates, money and people are printed in the pack, in either language."""

from __future__ import annotations

import datetime as dt

from opsbook.i18n.numerals import number, percent, with_unit
from opsbook.model import Metric, Resources, Team
from opsbook.pack.labels import enum_label, label
from opsbook.support.text import char_width

__all__ = ["number", "percent", "with_unit"]  # shared with every output: opsbook.i18n.numerals

_CURRENCY_SIGNS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def target(metric: Metric) -> str:
    """The target with its direction: ``≥ 20%`` for higher-is-better, ``≤ 5%`` otherwise."""
    sign = "≥" if metric.direction == "up" else "≤"
    return f"{sign} {with_unit(metric.target, metric.unit)}"


def date(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


def span(start: dt.date, end: dt.date) -> str:
    return f"{start.isoformat()} – {end.isoformat()}"


def money(amount: float, currency: str, lang: str) -> str:
    sign = _CURRENCY_SIGNS.get(currency)
    if sign and (lang == "zh-CN" or currency != "CNY"):
        return f"{sign}{number(amount)}"
    return f"{currency} {number(amount)}"


def resources(res: Resources, lang: str) -> str:
    parts = []
    if res.budget is not None:
        parts.append(money(res.budget, res.currency, lang))
    if res.dev_days is not None:
        parts.append(label("dev-days", lang, days=number(res.dev_days)))
    parts += res.channels
    if res.note:
        parts.append(res.note)
    return ("；" if lang == "zh-CN" else "; ").join(parts) or "—"


def person(team: Team, person_id: str | None) -> str:
    return team.name_of(person_id) if person_id else "—"


def due(due_date: dt.date | None, repeat: str | None, lang: str) -> str:
    if due_date is not None:
        return due_date.isoformat()
    return enum_label("repeat", repeat, lang) if repeat else "—"


def join(items: tuple[str, ...] | list[str], lang: str) -> str:
    return ("、" if lang == "zh-CN" else ", ").join(items)


def shorten(text: str, columns: int) -> str:
    """At most ``columns`` display columns (a Chinese character takes two), with an ellipsis:
    running headers have one line."""
    flat = " ".join(text.split())
    used = 0
    for index, char in enumerate(flat):
        used += char_width(char)
        if used > columns:
            return flat[:index].rstrip() + "…"
    return flat
