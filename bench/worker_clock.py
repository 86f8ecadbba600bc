"""Imported in the batch workers' fork server by `bench_batch.py --library`: each worker forked from it times
its stages (stages.Stopwatch, the picture made in line as in stages.py) and, when WORKER_CLOCK_LIBRARY is set,
the CPU of its library calls in each stage (stages.LibraryClock). As it exits, it appends its CPU and both
tables, in seconds, as a JSON line to the file WORKER_CLOCK_REPORT names."""

from __future__ import annotations

import json
import os
from multiprocessing import util

import generator.batch as batch
from stages import LibraryClock, Stopwatch, instrumented

_start_worker = batch._start_worker
_kept = []  # the instrumentation lasts the worker's life: a context left open is undone when collected


def _start_timed_worker(*args) -> None:
    _start_worker(*args)
    watch = Stopwatch()
    stages = instrumented(watch)
    stages.__enter__()
    clock = LibraryClock(watch) if os.environ.get("WORKER_CLOCK_LIBRARY") else None
    if clock:
        clock.install()
    _kept.append(stages)
    util.Finalize(None, _report, args=(watch, clock), exitpriority=100)


def _report(watch: Stopwatch, clock: LibraryClock | None) -> None:
    times = os.times()
    line = {"cpu": times.user + times.system, "stages": dict(watch.seconds),
            "library": dict(clock.seconds) if clock else {}}
    with open(os.environ["WORKER_CLOCK_REPORT"], "a", encoding="utf-8") as report:
        report.write(json.dumps(line) + "\n")


batch._start_worker = _start_timed_worker
