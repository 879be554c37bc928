"""The ``opsbook`` entry of ``mkdocs.yml``."""

from __future__ import annotations

import datetime as dt

from mkdocs.config import base
from mkdocs.config import config_options as c


class OpsbookConfig(base.Config):
    """The ``opsbook`` entry of ``mkdocs.yml`` (the same keys ``config.read_project_settings``
    reads for ``opsbook pack`` and the exports)."""

    scenarios = c.Type(str, default="scenarios")
    team = c.Optional(c.Type(str))
    lang = c.Choice(("zh-CN", "en"), default="zh-CN")
    as_of = c.Optional(c.Type((str, dt.date)))
    font = c.Optional(c.Type(str))
    charts = c.Type(bool, default=True)
    chart_text = c.Choice(("text", "paths"), default="text")  # paths: no font needed, 5× size
    jobs = c.Optional(c.Type(int))
    minify = c.Type(bool, default=True)  # whitespace out of the HTML: pages 30% smaller
    navigation = c.Type(bool, default=True)  # false: keep the nav written in mkdocs.yml
    cache = c.Type(bool, default=True)
    notify = c.Optional(c.Type(dict))  # opsbook notify's channels (read by opsbook.notify)
