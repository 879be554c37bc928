"""Worker processes that never outlive the process that started them.

A ``ProcessPoolExecutor`` worker waits on a queue whose write end it holds itself, so when its
owner is killed (``kill -9``, a CI job cancelled, a terminal closed) it waits for ever, and
with it the fork server and the resource tracker of :mod:`multiprocessing`, which stay alive
while any worker does. Each worker here holds the read end of a pipe whose only write end is
the owner's: the kernel closes that end however the owner dies, and a thread in the worker,
blocked on the read, ends the worker at once. The fork server and the resource tracker then
see their own pipes close and exit too. (``prctl(PR_SET_PDEATHSIG)`` would watch the parent
*thread*, and a fork server's workers are not the owner's children at all.)

Workers also ignore Ctrl-C: the terminal sends it to the whole process group, and the owner
alone decides what an interruption stops (a traceback from every worker helps nobody).

One policy decides how many workers the checker and the charts start (:func:`worker_count`)
and how they are started (:func:`pool_context`). :class:`Background` runs one function in a
child process of the same kind (a build's downloads while its pages are made).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess

T = TypeVar("T")

MAX_WORKERS = 8  # the default: more workers than this stopped paying off
MIN_PARALLEL = 40  # tasks below which starting workers (~0.5 s) costs more than it saves
TASKS_PER_WORKER = 4  # a worker given fewer tasks costs more to start than it saves


def worker_count(jobs: int | None, tasks: int) -> int:
    """How many worker processes ``tasks`` tasks get: ``jobs`` when given, else one per core
    up to :data:`MAX_WORKERS`, and no more than one per :data:`TASKS_PER_WORKER` tasks.
    0 means: do the work in this process (one worker, or too few tasks to pay for starting
    any)."""
    wanted = jobs if jobs is not None else min(os.cpu_count() or 1, MAX_WORKERS)
    workers = min(wanted, max(tasks // TASKS_PER_WORKER, 1))
    return workers if workers > 1 and tasks >= MIN_PARALLEL else 0


def pool_context(preload: Sequence[str] = ()) -> BaseContext:
    """How to start workers: fork where it is safe (Linux, no other thread running: measured
    0.9 s to start two chart workers that already hold matplotlib), else a fork server that
    imports ``preload`` once (1.1 s more), else the platform's default (spawn: 3.5 s more).

    Forking a process that runs other threads (``mkdocs serve``) can copy a held lock into
    the child, so the fork server is used there.
    """
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(preload))
        return context
    return multiprocessing.get_context()


@contextlib.contextmanager
def owned_pool(workers: int, context: BaseContext | None = None) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers exit within moments of this process ending."""
    context = context or multiprocessing.get_context()
    reader, writer = context.Pipe(duplex=False)
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=follow_owner,
            initargs=(reader, writer),
        ) as pool:
            yield pool
    finally:
        reader.close()
        writer.close()


def follow_owner(reader: Connection, writer: Connection) -> None:
    """In a child (a pool's worker before its first task, a :class:`Background` or
    ``PagesAhead`` child first of all): drop its copy of the owner's write end (a fork copies
    it), ignore Ctrl-C, leave SIGTERM to its default (not the owner's handler, which a fork
    copies), and leave a thread waiting for the owner's end to close."""
    writer.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_exit_with_owner, args=(reader,), daemon=True).start()


def _exit_with_owner(reader: Connection) -> None:
    with contextlib.suppress(EOFError, OSError):
        reader.recv_bytes()  # nothing is ever sent: this returns when the owner is gone
    os._exit(1)  # not sys.exit: the worker's main thread may be busy with a task


class Background(Generic[T]):
    """``function`` run in a forked child process while this one goes on; :meth:`result`
    waits for its value (or raises its exception). The child exits with its owner, as pool
    workers do, and ignores Ctrl-C. Where forking is not safe (not Linux, other threads
    running: see :func:`pool_context`), ``function`` runs in this process when its result
    is asked for. The value comes back pickled: keep it small (paths, not file contents).
    ``nice``: how much lower the child's priority is, so that it takes what cores this
    process and its workers leave idle rather than slowing them down."""

    def __init__(self, function: Callable[[], T], *, nice: int = 0) -> None:
        self._function: Callable[[], T] | None = function
        self._process: BaseProcess | None = None
        context = pool_context()
        if context.get_start_method() != "fork":
            return
        self._results, results = context.Pipe(duplex=False)
        watched, self._owner = context.Pipe(duplex=False)
        handed = [function]  # emptied once forked (see below)
        process = context.Process(  # type: ignore[attr-defined]
            target=_run_in_background,
            args=(handed, nice, results, watched, self._owner),
            daemon=True,
        )
        process.start()
        results.close()
        watched.close()
        self._process = process
        # The child has its own copy: this process lets go of the function and of what it
        # holds (a build's downloads hold the whole catalog, which otherwise stayed alive
        # here, unused, until every page was converted).
        handed.clear()
        self._function = None

    def result(self) -> T:
        if self._process is None:
            assert self._function is not None  # not forked: kept to run here
            return self._function()
        try:
            succeeded, value = self._results.recv()
        except EOFError:
            succeeded, value = False, RuntimeError("a background process ended without a result")
        finally:
            self._finish()
        if not succeeded:
            raise value
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Not wanted any more (the build stopped): the child is ended at once."""
        if self._process is not None and self._process.is_alive():
            self._process.kill()
        self._finish()

    def _finish(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.join()
        self._results.close()
        self._owner.close()


def _run_in_background(
    handed: list[Callable[[], Any]],
    nice: int,
    results: Connection,
    watched: Connection,
    owner: Connection,
) -> None:
    if nice:
        os.nice(nice)
    follow_owner(watched, owner)
    function = handed.pop()
    try:
        outcome: tuple[bool, Any] = (True, function())
    except BaseException as error:  # handed to the owner, which raises it
        outcome = (False, error)
    try:
        results.send(outcome)
    except Exception as error:  # the value or the exception does not pickle: a text then
        failure = error if outcome[0] else outcome[1]
        results.send((False, RuntimeError("".join(traceback.format_exception(failure)))))
