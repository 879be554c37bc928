"""Charts the cache lacks, drawn in worker processes when there are enough of them (see
:mod:`opsbook.support.workers` for the policy), else in this process."""

from __future__ import annotations

import collections
import math
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError, Executor, Future
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from opsbook.charts.draw import draw_batch, drawn_on_canvas
from opsbook.charts.specs import ChartSpec
from opsbook.support.workers import owned_pool, pool_context, worker_count

if TYPE_CHECKING:
    from opsbook.support.fonts import FontChoice

# what a fork server's workers import once, before their first batch
_PRELOAD = ("opsbook.charts.draw", "matplotlib.backends.backend_svg")


def draw_missing(
    missing: Sequence[tuple[str, ChartSpec]],
    style: tuple[FontChoice, bool],
    jobs: int | None,
    total: int,
    report: Callable[[int, int], None],
    deliver: Callable[[dict[str, bytes]], None] | None = None,
    stop: threading.Event | None = None,
) -> tuple[dict[str, bytes], int]:
    """Draw the charts the cache lacks: in worker processes when there are enough of them,
    in this process otherwise or when workers cannot run (no ``/dev/shm`` for the pool's
    semaphores, a worker killed by the system). Once ``stop`` is set (the build that wants
    the charts was interrupted), the batches not yet drawn are dropped: ``CancelledError``."""
    stop = stop or threading.Event()
    # jobs asked for are started for as few charts as before; the default weighs the work
    workers = worker_count(jobs, len(missing) if jobs is not None else _effort(missing))
    batches = list(_batches(missing, workers))
    done = total - len(missing)

    def tick(count: int) -> None:
        nonlocal done
        done += count
        report(done, total)

    if workers:
        try:
            return _render_in_pool(batches, style, workers, tick, deliver, stop), workers
        except (OSError, BrokenProcessPool):  # start again here; progress restarts with it
            done = total - len(missing)
    return _render_here(batches, style, tick, deliver, stop), 0


Batch = list[tuple[str, ChartSpec]]


def _render_here(
    batches: Sequence[Batch],
    style: tuple[FontChoice, bool],
    tick: Callable[[int], None],
    deliver: Callable[[dict[str, bytes]], None] | None,
    stop: threading.Event,
) -> dict[str, bytes]:
    drawn: dict[str, bytes] = {}
    for batch in batches:
        if stop.is_set():
            raise CancelledError
        svgs = draw_batch([spec for _, spec in batch], *style)
        _collect(drawn, dict(zip([key for key, _ in batch], svgs, strict=True)), deliver)
        tick(len(batch))
    return drawn


def _collect(
    drawn: dict[str, bytes],
    batch: dict[str, bytes],
    deliver: Callable[[dict[str, bytes]], None] | None,
) -> None:
    """A batch's charts kept in ``drawn``, or handed to ``deliver`` (not kept) when given."""
    if deliver is None:
        drawn.update(batch)
    elif batch:
        deliver(batch)


def _render_in_pool(
    batches: Sequence[Batch],
    style: tuple[FontChoice, bool],
    workers: int,
    tick: Callable[[int], None],
    deliver: Callable[[dict[str, bytes]], None] | None,
    stop: threading.Event,
) -> dict[str, bytes]:
    drawn: dict[str, bytes] = {}
    with owned_pool(
        workers, pool_context(_PRELOAD)
    ) as pool:  # its workers end when this process does
        futures = collections.deque(
            (batch, pool.submit(draw_batch, [spec for _, spec in batch], *style))
            for batch in batches
        )
        while futures:  # each future let go once read: it holds its charts
            batch, future = futures.popleft()
            svgs = _result_while_wanted(future, pool, stop)
            _collect(drawn, dict(zip([key for key, _ in batch], svgs, strict=True)), deliver)
            tick(len(batch))
    return drawn


def _result_while_wanted(
    future: Future[list[bytes]], pool: Executor, stop: threading.Event
) -> list[bytes]:
    """A batch's charts. When drawn in the background of a build that was interrupted
    (Ctrl-C, SIGTERM, an error: the build sets ``stop``), the batches not yet begun are
    dropped, so that the process exits in a moment instead of once every chart is drawn for
    nobody (at exit, Python waits for the pool's pending work)."""
    while True:
        try:
            return future.result(timeout=0.25)
        except TimeoutError:
            if stop.is_set():
                pool.shutdown(wait=False, cancel_futures=True)
                raise CancelledError from None


_CANVAS_SHARE = 8  # charts drawn on the canvas that cost as much as one drawn with matplotlib


def _effort(missing: Sequence[tuple[str, ChartSpec]]) -> int:
    """The work in charts drawn with matplotlib (~20 ms each; the worker policy's unit): a
    canvas chart takes ~2 ms, and a few hundred of them are drawn sooner than workers start."""
    canvas = sum(1 for _, spec in missing if drawn_on_canvas(spec))
    return len(missing) - canvas + math.ceil(canvas / _CANVAS_SHARE)


def _batches(items: Sequence[tuple[str, ChartSpec]], workers: int) -> Iterator[Batch]:
    """Batches small enough to keep every worker busy to the end (the last batch decides when
    the pool finishes) and to report progress, large enough to amortise sending them and to
    measure each repeated label once (a batch shares its measurements: 64 charts drew in
    four fifths of the time 16 took)."""
    size = max(2, min(64, math.ceil(len(items) / max(workers * 6, 1))))
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
