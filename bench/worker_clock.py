"""Imported in the batch workers' fork server by `bench_batch.py --library`: each worker forked from it times
its library calls (stages.LibraryClock, in its picture threads too) and, as it exits, appends its CPU and
library seconds as a JSON line to the file WORKER_CLOCK_REPORT names."""

from __future__ import annotations

import json
import os
from multiprocessing import util

import generator.batch as batch
from stages import LibraryClock, Stopwatch

_start_worker = batch._start_worker


def _start_timed_worker(*args) -> None:
    _start_worker(*args)
    clock = LibraryClock(Stopwatch())
    clock.install()
    util.Finalize(None, _report, args=(clock,), exitpriority=100)


def _report(clock: LibraryClock) -> None:
    times = os.times()
    with open(os.environ["WORKER_CLOCK_REPORT"], "a", encoding="utf-8") as report:
        report.write(json.dumps({"cpu": times.user + times.system, "library": sum(clock.seconds.values())}) + "\n")


batch._start_worker = _start_timed_worker
