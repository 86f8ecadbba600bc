"""Pure text geometry: wrapping by measured width, choosing a size that fits, balancing lines.

Nothing here touches pixels; widths come from a `measure(text, size)` function the caller supplies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from generator.counting import grapheme_clusters
from generator.errors import LayoutError

Measure = Callable[[str, int], float]

LINE_PITCH = 1.22  # line height as a multiple of the font size, the same for every script


@dataclass(frozen=True)
class TextBlock:
    lines: tuple[str, ...]
    size: int

    @property
    def line_height(self) -> int:
        return round(self.size * LINE_PITCH)

    @property
    def height(self) -> int:
        return self.line_height * len(self.lines)


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    def contains(self, other: tuple[float, float, float, float]) -> bool:
        left, top, right, bottom = other
        return self.left <= left and self.top <= top and right <= self.right and bottom <= self.bottom


def require_fit(text: str, width: int, height: int, min_size: int, measure: Measure) -> None:
    """Raise LayoutError, saying by how much, if `text` cannot wrap into width x height at `min_size`."""
    if wrapped_height(text, width, min_size, measure) > height:
        raise LayoutError(_too_long_message(text, width, height, min_size, measure))


def fit_text(text: str, width: int, height: int, min_size: int, max_size: int, measure: Measure) -> TextBlock:
    """The largest size in [min_size, max_size] at which `text` wraps into width x height, lines balanced."""
    require_fit(text, width, height, min_size, measure)
    low, high = min_size, max_size
    while low < high:  # the largest size that fits
        middle = (low + high + 1) // 2
        if wrapped_height(text, width, middle, measure) <= height:
            low = middle
        else:
            high = middle - 1
    return TextBlock(tuple(balanced_lines(text, width, low, measure)), low)


def wrapped_height(text: str, width: int, size: int, measure: Measure) -> int:
    return len(greedy_lines(text, width, size, measure)) * round(size * LINE_PITCH)


def greedy_lines(text: str, width: int, size: int, measure: Measure) -> list[str]:
    lines: list[str] = []
    for paragraph in paragraphs(text):
        lines.extend(" ".join(line) for line in _greedy(_fitting_words(paragraph, width, size, measure),
                                                         width, size, measure))
    return lines


def balanced_lines(text: str, width: int, size: int, measure: Measure) -> list[str]:
    """Greedy's line count, with the words spread so the lines are as even as they can be (no lone last word)."""
    lines: list[str] = []
    for paragraph in paragraphs(text):
        words = _fitting_words(paragraph, width, size, measure)
        count = len(_greedy(words, width, size, measure))
        lines.extend(" ".join(line) for line in _balance(words, count, width, size, measure))
    return lines


def paragraphs(text: str) -> list[list[str]]:
    return [line.split() for line in text.strip().splitlines() if line.strip()]


class _Widths:
    """Word widths and prefix sums: a line's width is its words plus the spaces between them.

    This needs `measure` to be additive over spaces, which holds for every font chain here (no kerning
    across a space; tests/test_scripts.py checks it against whole-line shaping).
    """

    def __init__(self, words: list[str], size: int, measure: Measure):
        self.space = measure(" ", size)
        self.prefix = [0.0]
        for word in words:
            self.prefix.append(self.prefix[-1] + measure(word, size))

    def line(self, start: int, end: int) -> float:
        return self.prefix[end] - self.prefix[start] + (end - start - 1) * self.space


def _greedy(words: list[str], width: int, size: int, measure: Measure) -> list[list[str]]:
    widths = _Widths(words, size, measure)
    lines: list[list[str]] = []
    start = 0
    for end in range(1, len(words) + 1):
        if end - start > 1 and widths.line(start, end) > width:
            lines.append(words[start:end - 1])
            start = end - 1
    if words:
        lines.append(words[start:])
    return lines


def _balance(words: list[str], count: int, width: int, size: int, measure: Measure) -> list[list[str]]:
    """Split `words` into `count` lines minimising the squared slack of every line, the last included."""
    n = len(words)
    if count <= 1:
        return [words]
    widths = _Widths(words, size, measure)

    @lru_cache(maxsize=None)
    def best(start: int, lines_left: int) -> tuple[float, tuple[int, ...]]:
        if lines_left == 1:
            line_width = widths.line(start, n)
            return ((width - line_width) ** 2, ()) if line_width <= width else (float("inf"), ())
        result: tuple[float, tuple[int, ...]] = (float("inf"), ())
        for end in range(start + 1, n - lines_left + 2):
            line_width = widths.line(start, end)
            if line_width > width:
                break
            rest_cost, rest_breaks = best(end, lines_left - 1)
            cost = (width - line_width) ** 2 + rest_cost
            if cost < result[0]:
                result = (cost, (end, *rest_breaks))
        return result

    cost, breaks = best(0, count)
    if cost == float("inf"):
        return _greedy(words, width, size, measure)
    bounds = (0, *breaks, n)
    return [words[a:b] for a, b in zip(bounds, bounds[1:])]


def _fitting_words(words: list[str], width: int, size: int, measure: Measure) -> list[str]:
    """Words, with any word wider than the box cut into pieces that fit (whole graphemes only)."""
    pieces: list[str] = []
    for word in words:
        pieces.extend([word] if measure(word, size) <= width else _split_word(word, width, size, measure))
    return pieces


def _split_word(word: str, width: int, size: int, measure: Measure) -> list[str]:
    pieces = [""]
    for grapheme in grapheme_clusters(word):
        if pieces[-1] and measure(pieces[-1] + grapheme, size) > width:
            pieces.append("")
        pieces[-1] += grapheme
    return pieces


def _too_long_message(text: str, width: int, height: int, min_size: int, measure: Measure) -> str:
    words = [word for paragraph in paragraphs(text) for word in paragraph]
    fitting = 0
    for count in range(len(words), 0, -1):
        if wrapped_height(" ".join(words[:count]), width, min_size, measure) <= height:
            fitting = count
            break
    total_chars = len(" ".join(words))
    fitting_chars = len(" ".join(words[:fitting]))
    over = total_chars - fitting_chars
    return (f"message is too long by about {over} characters ({total_chars} given, about {fitting_chars} fit "
            f"at the smallest legible size of {min_size} px); shorten it or pick a taller format")
