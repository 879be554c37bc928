"""Settings that several commands share, resolved once from flags and the environment."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping


class SettingError(ValueError):
    """A setting has a value opsbook cannot use; the message says which and why."""


def resolve_as_of(value: str | None, environ: Mapping[str, str] | None = None) -> dt.date:
    """The date the outputs are computed for.

    ``--as-of`` wins; otherwise ``SOURCE_DATE_EPOCH`` (reproducible builds) gives the UTC
    date; otherwise today. Overdue and stale states depend on it, so it is always explicit
    in what opsbook produces.
    """
    env = os.environ if environ is None else environ
    if value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise SettingError(f"--as-of: '{value}' is not a date; write YYYY-MM-DD") from None
    epoch = env.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError):
            raise SettingError(f"SOURCE_DATE_EPOCH: '{epoch}' is not a Unix timestamp") from None
    return dt.date.today()
