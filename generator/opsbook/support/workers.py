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
and how they are started (:func:`pool_context`).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

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
            initializer=_watch_owner,
            initargs=(reader, writer),
        ) as pool:
            yield pool
    finally:
        reader.close()
        writer.close()


def _watch_owner(reader: Connection, writer: Connection) -> None:
    """In each worker, before its first task: drop the worker's copy of the write end (a fork
    copies it), ignore Ctrl-C, and leave a thread waiting for the owner's end to close."""
    writer.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_owner, args=(reader,), daemon=True).start()


def _exit_with_owner(reader: Connection) -> None:
    with contextlib.suppress(EOFError, OSError):
        reader.recv_bytes()  # nothing is ever sent: this returns when the owner is gone
    os._exit(1)  # not sys.exit: the worker's main thread may be busy with a task
