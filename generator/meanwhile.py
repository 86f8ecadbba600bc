"""Work on a thread of its own while the caller goes on: Pillow lets go of the interpreter while it decodes,
resizes and blurs, so a post's picture is made on one core while its text is fitted on the other."""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable
from typing import Any

# A thread coming back from Pillow waits for the interpreter up to the switch interval: Python's 5 ms is as
# long as a whole decode, and Pillow comes back between every pass of a resize and of a blur.
# While work runs alongside, the interval is 1 ms (measured: a decode beside busy Python, 8 -> 30 ms at
# 5 ms, 12 ms at 1 ms).
SWITCH_INTERVAL = 0.001
_running = 0
_usual_interval = sys.getswitchinterval()
_counting = threading.Lock()


class Meanwhile:
    """`function(*args)` running on its own thread; `result()` waits for it, then returns its value or
    raises its error. Where no thread can be had, the work runs in line instead."""

    def __init__(self, function: Callable[..., Any], *args: Any):
        self._value: Any = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = threading.Thread(target=self._run, args=(function, args),
                                                                 daemon=True)
        try:
            self._thread.start()
        except RuntimeError:  # the system has no thread to give
            self._thread = None
            self._run(function, args)

    def _run(self, function: Callable[..., Any], args: tuple) -> None:
        _one_more(+1)
        try:
            self._value = function(*args)
        except BaseException as error:  # handed to the caller, whatever it was
            self._error = error
        finally:
            _one_more(-1)

    def done(self) -> bool:
        return self._thread is None or not self._thread.is_alive()

    def result(self) -> Any:
        """The work's value, once it has finished. Interrupted while waiting (Ctrl-C, a request's timeout),
        this still lets the work finish before the interruption goes on: no thread outlives its caller."""
        if self._thread is not None:
            try:
                self._thread.join()
            except BaseException:
                while self._thread.is_alive():
                    with contextlib.suppress(BaseException):
                        self._thread.join()
                raise
        if self._error is not None:
            raise self._error
        return self._value


def _one_more(change: int) -> None:
    """Count the threads running work, with the shorter switch interval while there are any."""
    global _running, _usual_interval
    with _counting:
        if _running == 0:
            _usual_interval = sys.getswitchinterval()
        _running += change
        sys.setswitchinterval(min(_usual_interval, SWITCH_INTERVAL) if _running else _usual_interval)


class Done:
    """A result already at hand, answering like a Meanwhile."""

    def __init__(self, value: Any):
        self._value = value

    def done(self) -> bool:
        return True

    def result(self) -> Any:
        return self._value
