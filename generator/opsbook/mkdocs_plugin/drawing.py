"""Charts drawn in the background while MkDocs converts the pages."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from mkdocs.exceptions import PluginError

from opsbook.site.charts import Progress


class ChartDrawing:
    """Charts being drawn in a background thread (which waits on the worker processes);
    ``draw(progress, stop)`` puts them where they go and gives their paths, and stops early
    once ``stop`` is set (:meth:`cancel`)."""

    def __init__(
        self, draw: Callable[[Progress, threading.Event], list[str]], planned: list[str]
    ) -> None:
        self._planned = planned
        self._progress = (0, max(len(planned), 1))
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="opsbook-charts")
        self._future = self._pool.submit(draw, self._note, self._stop)
        self._pool.shutdown(wait=False)

    def cancel(self) -> None:
        """The build stopped (Ctrl-C, SIGTERM, an error): the charts not yet drawn are not
        wanted. Without this, the process would wait at its exit for every chart."""
        self._stop.set()

    def _note(self, done: int, total: int) -> None:
        self._progress = (done, total)  # one tuple: read whole by the other thread

    def wait(self, progress: Progress | None) -> list[str]:
        """The charts' paths, once drawn; meanwhile ``progress`` shows how far it is."""
        while progress is not None and not self._future.done():
            progress(*self._progress)
            time.sleep(0.2)
        drawn = self._future.result()
        if progress is not None:
            progress(len(drawn), len(drawn))
        if drawn != self._planned:  # pages link to the planned paths
            raise PluginError("opsbook: the charts drawn are not the charts planned")
        return drawn
