"""How numbers are written in every output: site, charts, review pack, diff and exports.

One definition, so the dashboard, the pack and a pull request's summary never disagree about
whether a metric stands at "90%" or "90.0%", or at "3.1天" or "3.1 天".
"""

from __future__ import annotations

import math
import unicodedata

from opsbook.i18n.vocabulary import PHRASES


def number(value: float) -> str:
    """Thousands separators, at most two decimals, no trailing zeros and no float noise:
    120000 → ``120,000``; 15.8 → ``15.8``; 0.1 + 0.2 → ``0.3``."""
    if math.isinf(value) or math.isnan(value):
        return "—"
    rounded = round(float(value), 2)
    if rounded.is_integer():
        return f"{int(rounded):,}"
    return f"{rounded:,.2f}".rstrip("0").rstrip(".")


def with_unit(value: float | None, unit: str) -> str:
    """``18%``, ``30元``, ``3.1天`` (no space before a sign or a Chinese unit), ``12 min``."""
    if value is None:
        return "—"
    if not unit:
        return number(value)
    tight = unit[0] in "%‰°" or unicodedata.east_asian_width(unit[0]) in ("W", "F")
    return f"{number(value)}{'' if tight else ' '}{unit}"


def change(delta: float, unit: str, lang: str) -> str:
    """A signed change in the metric's unit: ``+2.1 pp`` / ``−0.5 个百分点`` for a metric
    measured in % (18% → 20.1% is 2.1 points, not a relative 11.7%), ``+3天``, ``±0``."""
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    if unit == "%":
        return sign + PHRASES["points"].get(lang).format(value=number(abs(delta)))
    return sign + with_unit(abs(delta), unit)


def percent(ratio: float | None) -> str:
    """A ratio as a percentage with at most one decimal: 99.6% must not read as 100% (the
    target is not met), and 90% stays 90%."""
    return "—" if ratio is None else f"{number(round(ratio * 100, 1))}%"
