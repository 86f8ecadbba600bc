"""Frames rendered in worker processes and streamed, in order, to one encoder: never all in memory.

Frames that repeat (the held post at the end) are rendered once. At most a few frames are in flight,
so memory stays flat however long the clip is.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator

from generator.motion.encode import yuv_planes
from generator.motion.frames import FrameMaker

_MAKER: FrameMaker | None = None  # the frame maker, handed to forked workers by inheritance
IN_FLIGHT_PER_WORKER = 2


def default_processes() -> int:
    return max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def frame_planes(maker: FrameMaker, processes: int | None = None,
                 progress: Callable[[int, int], None] | None = None) -> Iterator[tuple[bytes, ...]]:
    """Every frame of the clip as yuv420p planes, in order."""
    count = maker.timeline.frame_count
    states = [maker.timeline.state(index) for index in range(count)]
    fresh = [index for index in range(count) if index == 0 or states[index] != states[index - 1]]
    processes = default_processes() if processes is None else processes
    rendered = _in_workers(maker, fresh, processes) if processes > 1 else (
        (index, yuv_planes(maker.frame(index))) for index in fresh)
    fresh_set = set(fresh)
    planes = None
    for index in range(count):
        if index in fresh_set:
            got, planes = next(rendered)
            assert got == index
        yield planes
        if progress:
            progress(index + 1, count)


def _in_workers(maker: FrameMaker, indices: list[int], processes: int) -> Iterator[tuple[int, tuple[bytes, ...]]]:
    global _MAKER
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    _MAKER = maker  # set before the workers fork: they inherit it instead of unpickling it
    try:
        with context.Pool(processes, initializer=_worker_start, initargs=(maker,) if "fork" not in methods else ()) \
                as pool:
            pending: deque = deque()
            queue = iter(indices)
            for index in queue:
                pending.append(pool.apply_async(_render, (index,)))
                if len(pending) >= processes * IN_FLIGHT_PER_WORKER:
                    break
            while pending:
                yield pending.popleft().get()
                index = next(queue, None)
                if index is not None:
                    pending.append(pool.apply_async(_render, (index,)))
    finally:
        _MAKER = None


def _worker_start(maker: FrameMaker | None = None) -> None:
    global _MAKER
    if maker is not None:
        _MAKER = maker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent()


def _die_with_parent() -> None:
    """If the parent is killed outright, its workers must not linger (Linux: PR_SET_PDEATHSIG)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _render(index: int) -> tuple[int, tuple[bytes, ...]]:
    return index, yuv_planes(_MAKER.frame(index))
