"""Pages converted and laid out ahead, in a second process, while MkDocs does them in this.

MkDocs converts a site's pages one after another in one process, then lays them out one
after another; on a cold build of 1,000 realistic scenarios that was over half of the
build, one core busy and the other idle once the charts were drawn. For each of the two
stages a forked child now takes the pages from the last one backwards while MkDocs goes
forwards from the first; what the child makes (a page's HTML, its search entries, its laid
out output) comes back through a pipe and is used as if the page cache had held it. The two
stop where they meet: the child reads how far MkDocs has come from a shared counter before
each page.

The child runs MkDocs' own steps for a page and hands back only what the page cache would
have stored: a page whose conversion or layout logged a warning is not sent, so MkDocs does it
again here and the warning is shown once. The child writes no file of the site, exits with
its owner (the pipe it watches closes however the owner ends), ignores Ctrl-C and is ended
by :meth:`PagesAhead.stop`.

Forking while the chart drawing's thread runs is safe here: the child uses nothing that
thread holds (it only waits on its worker processes) and leaves by ``os._exit``.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import warnings
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from opsbook.support.workers import follow_owner

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

MIN_PAGES = 100  # fewer pages to do than this: a second process costs more than it saves
# …unless their Markdown is this long: serve's roll-ups after an edit (the dashboard alone is
# 1.5 MB at 1,000 scenarios), where forking costs ~0.01 s and converting them up to seconds
MIN_MARKDOWN = 200_000

Deliver = Callable[[str, str, bytes], None]  # (namespace, key, value) as the cache takes it
Prepare = Callable[[Deliver], None]  # once in the child: what would be stored goes to Deliver
Work = Callable[["Page"], None]  # converts or lays out one page


class PagesAhead:
    """The child doing ``work`` on ``pages`` (in MkDocs' order) from the end; :meth:`reached`
    tells it where MkDocs is, :meth:`collect` takes what it has sent."""

    def __init__(self, pages: Sequence[Page], prepare: Prepare, work: Work) -> None:
        context = multiprocessing.get_context("fork")
        self._position = {page.file.src_uri: index for index, page in enumerate(pages)}
        self._reached: Any = context.RawValue("i", -1)  # shared: read by the child
        self._in_hand: Any = context.RawValue("i", -1)  # shared: set by the child
        shared = (self._reached, self._in_hand)
        self._received, sent = context.Pipe(duplex=False)
        watched, self._owner = context.Pipe(duplex=False)
        self._process: BaseProcess | None = context.Process(  # type: ignore[attr-defined]
            target=_work_backwards,
            args=(list(pages), prepare, work, shared, (sent, watched, self._owner)),
            daemon=True,
        )
        self._process.start()
        sent.close()
        watched.close()

    def reached(self, src: str) -> None:
        """MkDocs starts converting or laying out ``src``: the child leaves it and those
        before it."""
        index = self._position.get(src)
        if index is not None and index > self._reached.value:
            self._reached.value = index

    def in_hand(self, src: str) -> bool:
        """Whether the child is working on ``src`` now."""
        index = self._position.get(src)
        return self._process is not None and index is not None and self._in_hand.value == index

    def wait_for(self, src: str, deliver: Deliver) -> None:
        """Until the child is done with ``src`` (or has ended), what it sends handed to
        ``deliver``."""
        while self._process is not None and self.in_hand(src) and self._process.is_alive():
            with contextlib.suppress(EOFError, OSError):
                if self._received.poll(0.01):
                    deliver(*self._received.recv())
        self.collect(deliver)

    def collect(self, deliver: Deliver) -> None:
        """Whatever the child has sent so far, handed to ``deliver``."""
        if self._process is None:
            return
        with contextlib.suppress(EOFError, OSError):
            while self._received.poll():
                deliver(*self._received.recv())

    def finish(self, deliver: Deliver) -> None:
        """MkDocs has converted every page: the child ends after its page in hand, and what
        it sent (search entries of pages MkDocs has yet to lay out too) goes to ``deliver``."""
        if self._process is None:
            return
        self._reached.value = len(self._position)
        with contextlib.suppress(EOFError, OSError):
            while True:  # until the child closes its end, leaving
                deliver(*self._received.recv())
        self.stop()

    def stop(self) -> None:
        """The build stopped (or the child is done): the child is ended."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.is_alive():
            process.kill()
        process.join()
        self._received.close()
        self._owner.close()


def worth_a_second_process(pages: int, markdown: int = 0) -> bool:
    """On Linux (fork), with a second core and enough pages to do (or enough ``markdown``,
    in bytes, to convert)."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and (os.cpu_count() or 1) > 1
        and (pages >= MIN_PAGES or markdown >= MIN_MARKDOWN)
    )


def convert_alone(page: Page, config: MkDocsConfig, files: Files) -> None:
    """In a child working ahead: MkDocs' own steps for one page up to its HTML (read, its
    plugins' Markdown event, converted); the page memory delivers what it stores."""
    vars(page).pop("render", None)  # a conversion the page memory set for other Markdown
    page.read_source(config)
    page.markdown = config.plugins.on_page_markdown(
        page.markdown, page=page, config=config, files=files
    )
    page.render(config, files)


def _work_backwards(
    pages: list[Page],
    prepare: Prepare,
    work: Work,
    shared: tuple[Any, Any],
    pipes: tuple[Connection, Connection, Connection],
) -> None:
    reached, in_hand = shared
    sent, watched, owner = pipes
    follow_owner(watched, owner)
    _keep_quiet()
    prepare(lambda namespace, key, value: sent.send((namespace, key, value)))
    for index in range(len(pages) - 1, -1, -1):
        if index <= reached.value:
            break  # MkDocs has come this far: the rest is done there
        in_hand.value = index
        work(pages[index])
    in_hand.value = -1
    sent.close()


def _keep_quiet() -> None:
    """The child shows nothing: MkDocs converts a page that warned again and warns itself.
    Records still reach the handlers opsbook adds while converting (to count warnings)."""
    for name in ("", "mkdocs"):
        logging.getLogger(name).handlers.clear()
    logging.lastResort = None
    warnings.simplefilter("ignore")
