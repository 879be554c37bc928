"""The MkDocs plugin ``opsbook``: the generated knowledge base as virtual files.

The only package that imports MkDocs. It loads and checks the scenarios, asks
:mod:`opsbook.site.generate` for the generated files and hands them to MkDocs with
``File.generated`` — nothing is written into ``docs_dir`` — and builds the navigation
(industry → module → scenario). ``opsbook build`` and ``opsbook serve`` call
:func:`run_build` and :func:`run_serve` (``commands``); plain ``mkdocs build`` works the same way.

Invalid scenarios fail a build with the diagnostics of ``opsbook check``. Under ``serve``
they do not stop the server: every generated page shows the diagnostics until the files are
fixed, so the browser never shows a stale page.
"""

from opsbook.mkdocs_plugin.commands import run_build, run_serve
from opsbook.mkdocs_plugin.plugin import OpsbookConfig, OpsbookPlugin

__all__ = ["OpsbookConfig", "OpsbookPlugin", "run_build", "run_serve"]
