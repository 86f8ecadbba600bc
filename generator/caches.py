"""Caches bounded by the memory they hold, not by how many entries they have.

A count says nothing about memory: eight backgrounds are 9 MB at 1080x1080 and 50 MB at 1080x1920, and a
hosted page sees every flower in every size. `bytes_bounded(max_bytes)` keeps the most recently used
results whose estimated sizes add up to at most `max_bytes` (a result larger than that is returned but not
kept), so a long-running worker's memory stays flat whatever it is asked for.

The wrapper is safe to call from several threads: the table is guarded by a lock, and a result is computed
outside it (two threads may compute the same result once each; both get a correct one).
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, NamedTuple

ENTRY_OVERHEAD = 200  # the table's own bytes per entry: key tuple, links, the result's object header


class CacheInfo(NamedTuple):
    hits: int
    misses: int
    entries: int
    bytes: int
    max_bytes: int


def size_of(value: Any) -> int:
    """An estimate of the bytes `value` holds: pixels for images, length for bytes and text."""
    if value is None or isinstance(value, (bool, int, float)):
        return 16
    if isinstance(value, (bytes, bytearray, memoryview)):
        return len(value)
    if isinstance(value, str):
        return 50 + len(value) * 4
    if hasattr(value, "getbands") and hasattr(value, "size"):  # a PIL image
        width, height = value.size
        return width * height * _pixel_bytes(value) + 1000
    if isinstance(value, (tuple, list, frozenset, set)):
        return 56 + sum(size_of(item) for item in value)
    if isinstance(value, dict):
        return 240 + sum(size_of(key) + size_of(item) for key, item in value.items())
    if hasattr(value, "__dataclass_fields__"):
        return 100 + sum(size_of(getattr(value, name)) for name in value.__dataclass_fields__)
    return 100


def _pixel_bytes(image) -> int:
    """Pillow keeps a pixel of two or more bands (RGB and LA too) in four bytes; of one band in one byte, but
    for the 16- and 32-bit modes."""
    if len(image.getbands()) > 1 or image.mode in ("I", "F"):
        return 4
    return 2 if image.mode.startswith("I;16") else 1


class BytesBoundedTable:
    """Values kept under keys, the most recently used first, within `max_bytes` as weighed by `weigh`."""

    def __init__(self, max_bytes: int, weigh: Callable[[Any], int] = size_of):
        self.max_bytes, self.weigh = max_bytes, weigh
        self._entries: OrderedDict[Any, tuple[Any, int]] = OrderedDict()
        self._bytes = self._hits = self._misses = 0
        self._lock = threading.Lock()

    def peek(self, key):
        """The result kept under `key`, or None; nothing is computed."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self._misses += 1
                return None
            self._entries.move_to_end(key)
            self._hits += 1
            return found[0]

    def put(self, key, value) -> None:
        """Keep `value` under `key` (if it fits the budget at all)."""
        cost = self.weigh(value) + size_of(key) + ENTRY_OVERHEAD
        if cost <= self.max_bytes:
            self._keep(key, value, cost)

    def _keep(self, key, value, cost: int) -> None:
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._bytes -= previous[1]
            self._entries[key] = (value, cost)
            self._bytes += cost
            while self._bytes > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def cache_info(self) -> CacheInfo:
        with self._lock:
            return CacheInfo(self._hits, self._misses, len(self._entries), self._bytes, self.max_bytes)

    def cache_clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = self._hits = self._misses = 0


class BytesBoundedCache(BytesBoundedTable):
    def __init__(self, function: Callable, max_bytes: int, weigh: Callable[[Any], int],
                 key: Callable[..., Any] | None = None):
        super().__init__(max_bytes, weigh)
        self.function, self.key = function, key
        functools.update_wrapper(self, function)

    def __call__(self, *args, **kwargs):
        key = self._key(args, kwargs)
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self._hits += 1
                return found[0]
            self._misses += 1
        value = self.function(*args, **kwargs)
        self.put(key, value)
        return value

    def kept(self, *args, **kwargs):
        """What a call with these arguments would answer from the table, or None; nothing is computed or
        counted."""
        key = self._key(args, kwargs)
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def _key(self, args: tuple, kwargs: dict):
        if self.key is not None:
            return self.key(*args, **kwargs)
        return (args, tuple(sorted(kwargs.items()))) if kwargs else args


def bytes_bounded(max_bytes: int, weigh: Callable[[Any], int] = size_of, key: Callable[..., Any] | None = None):
    """Decorate a pure function: keep its recent results within `max_bytes`, as weighed by `weigh`; `key`
    (called with the arguments) names a result when some arguments do not change it."""

    def decorate(function: Callable) -> BytesBoundedCache:
        return BytesBoundedCache(function, max_bytes, weigh, key)

    return decorate


MB = 1_000_000
