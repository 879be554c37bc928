"""A function run in the background: in a forked child, its value or its exception back in
the owner, its priority lowered, ended at once when no longer wanted. Run in a fresh process:
a test runner's own threads make forking unsafe, and Background then runs in-process."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

SCRIPT = """
import gc, multiprocessing, os, threading, time, weakref
from opsbook.support.workers import Background

def check(name, value):
    print(name, value, flush=True)

check("child", Background(os.getpid).result() != os.getpid())
check("value", Background(lambda: {"path": [1, 2]}).result())
check("nice", Background(lambda: os.nice(0), nice=5).result() - os.nice(0))
try:
    Background(lambda: 1 / 0).result()
except ZeroDivisionError as error:
    check("raised", type(error).__name__)
try:
    Background(lambda: threading.Lock()).result()
except RuntimeError as error:
    check("unpicklable", "pickle" in str(error))
class Held:
    pass

def holding(held):
    return lambda: type(held).__name__

held = Held()
gone = weakref.ref(held)
holder = Background(holding(held))
del held
gc.collect()
check("let go once forked", gone() is None)
check("still run", holder.result())
slow = Background(lambda: time.sleep(60))
started = time.monotonic()
slow.cancel()
check("cancelled", time.monotonic() - started < 10)
check("no child left", multiprocessing.active_children() == [])
"""


def test_a_background_function_runs_in_a_child_and_comes_back() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, cwd=ROOT,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "child True",
        "value {'path': [1, 2]}",
        "nice 5",
        "raised ZeroDivisionError",
        "unpicklable True",
        "let go once forked True",
        "still run Held",
        "cancelled True",
        "no child left True",
    ]
    assert done.stderr == ""
