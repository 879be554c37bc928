"""``opsbook diff --format json``: every field of the change tree, rule violations worded."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import fields, is_dataclass
from typing import Any

from opsbook.check.diagnostics import format_path
from opsbook.diff.changes import Changes, Violation
from opsbook.i18n.messages import render
from opsbook.model import Alert


def render_json(changes: Changes, base: str, head: str, lang: str) -> str:
    """Every field of the change tree, in declaration order (stable), with rule violations
    rendered in ``lang``; dates as ISO text."""
    document = {"base": base, "head": head, "lang": lang, **_plain(changes, lang)}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _plain(value: Any, lang: str) -> Any:
    if isinstance(value, Violation):
        return _violation_record(value, lang)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name), lang) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item, lang) for item in value]
    if isinstance(value, Alert):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _violation_record(violation: Violation, lang: str) -> dict[str, Any]:
    d = violation.diagnostic
    message, hint = render(d.code, d.args, lang)
    return {
        "file": d.file, "line": d.line, "col": d.col, "severity": d.severity.value,
        "code": d.code, "path": format_path(d.path), "message": message, "hint": hint,
    }  # fmt: skip
