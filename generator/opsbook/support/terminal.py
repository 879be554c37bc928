"""How opsbook writes to the terminal."""

from __future__ import annotations

import os


def color() -> bool | None:
    """Colour on a terminal (click's default), never when NO_COLOR is set (no-color.org)."""
    return False if os.environ.get("NO_COLOR") else None
