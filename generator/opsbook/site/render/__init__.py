"""Markdown pages from the model, through Jinja2 templates that escape by default.

Every ``{{ value }}`` in a template is escaped for Markdown-with-HTML (``escape.md_text``)
unless the value is already ``Markup`` — which only our own helpers and macros produce
(links to our pages, badges built from fixed words). User text is only ever a template *value*, never a
template: ``{{ 7*7 }}`` in a scenario stays those eight characters.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Mapping
from functools import cache, lru_cache
from typing import Any

import jinja2
from markupsafe import Markup

from opsbook.i18n.numerals import change, percent, with_unit
from opsbook.i18n.numerals import number as _number
from opsbook.site.render.escape import html_text, md_text, safe_id, yaml_string
from opsbook.site.render.fragments import Once, render_every_time
from opsbook.site.render.labels import Labels

TEMPLATE_PACKAGE = "opsbook.site.render"


def number(value: float | None) -> str:
    return "—" if value is None else _number(value)


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    return md_text(value)


def iso(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


def day(value: dt.date | None) -> Markup:
    """A date in a table cell: kept on one line (a narrow column would break it at a hyphen)."""
    if value is None:
        return Markup("—")
    return Markup('<span class="ob-date">{}</span>').format(value.isoformat())


def relative_link(page: str, target: str) -> Markup:
    """A link from one generated file to another, relative, as MkDocs validates them."""
    return Markup(_relative(target, posixpath.dirname(page) or "."))


@lru_cache(maxsize=65536)
def _relative(target: str, start: str) -> str:
    # posixpath.relpath asks the OS for the working directory every time: a roll-up page
    # of 1,000 scenarios links thousands of times among a few hundred pages
    return posixpath.relpath(target, start)


@cache
def environment() -> jinja2.Environment:
    """One environment for all pages; language and page come in through the context."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(TEMPLATE_PACKAGE, "templates"),
        # _finalize escapes plain strings for Markdown-with-HTML and marks them Markup; the
        # autoescape pass after it then leaves them alone, and macro output stays Markup.
        autoescape=True,
        finalize=_finalize,
        extensions=["jinja2.ext.do"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        number=number, unit=with_unit, change=change, percent=percent, iso=iso, day=day,
        html=html_text, yaml=yaml_string, cell=md_text, id=safe_id,
    )  # fmt: skip
    return env


def load_templates() -> None:
    """Every page template compiled now rather than when first rendered (serve does it
    while idle: a warm build takes the scenario pages from the cache, so the first edit
    compiled the scenario page's templates, 0.1 s)."""
    env = environment()
    for name in env.list_templates(extensions=["j2"]):
        env.get_template(name)


def render_page(
    template: str,
    page: str,
    lang: str,
    context: Mapping[str, Any],
    once: Once = render_every_time,
) -> bytes:
    """Render one page; ``page`` is its path in the docs tree (for relative links);
    ``once``: the rows kept from the page's last render (see :mod:`.fragments`)."""
    labels = Labels(lang)
    text = (
        environment()
        .get_template(template)
        .render(
            **context,
            L=labels,
            lang=lang,
            page=page,
            link=lambda target: relative_link(page, target),
            once=once,
        )
    )
    return text.encode("utf-8")
