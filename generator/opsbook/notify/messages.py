"""Every word ``opsbook notify`` prints or sends itself, in English and Chinese.

Status and alert names come from the site's labels (:mod:`opsbook.site.render.labels`), so a state
reads the same in the chat as on the site; the rest is worded from the notify. codes of
:mod:`opsbook.i18n.catalog.notify`.
"""

from __future__ import annotations

from opsbook.i18n.messages import say as catalog_say


def say(key: str, lang: str, /, **args: object) -> str:
    return catalog_say(f"notify.{key}", lang, **args)
