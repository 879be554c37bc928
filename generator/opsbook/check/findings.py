"""What a rule finds, before it is located in the document, and the guards rules read
values through: a value of the wrong shape is skipped (the schema has said what is wrong)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from opsbook.check.diagnostics import JsonPath


@dataclass(frozen=True)
class Finding:
    code: str
    path: JsonPath
    args: Mapping[str, Any]
    at_key: bool = False
    related: JsonPath | None = None  # an earlier place the message refers to by line


def dicts(data: Any, key: str) -> list[dict[str, Any]]:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [item if isinstance(item, dict) else {} for item in value]


def text_at(data: Any, key: str) -> str | None:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def date_at(data: Any, key: str) -> dt.date | None:
    text = text_at(data, key)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None
