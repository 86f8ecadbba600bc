"""Pure text geometry: wrapping by measured width, choosing a size that fits, balancing lines, hyphenating.

Nothing here touches pixels; widths come from a `measure(text, size)` function the caller supplies, and
hyphenation points from an optional `hyphenate(word)` function (see `hyphenator`).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

from generator.counting import grapheme_clusters
from generator.errors import MESSAGE_TOO_LONG, LayoutError

Measure = Callable[[str, int], float]
Hyphenate = Callable[[str], Sequence[int]]  # the positions inside a word where it may be broken
# Bounds (low, high) on measure(text, size) from the widths at another size (text, size, known), or None
Estimate = Callable[[str, int, int], tuple[float, float] | None]

LINE_PITCH = 1.22  # line height as a multiple of the font size, the same for every script
# The block's first baseline sits ASCENT font sizes below its top, and its last line's ink may reach DESCENT
# below that line's baseline: room for Ў, Й and capital accents above and Latin and Cyrillic descenders below.
# Deeper ink (Arabic م and ي reach 0.4, stacked marks more) grows the renderer's box by what it measures.
ASCENT = 1.0
DESCENT = 0.32
HYPHEN = "-"
GLUE_SLACK = 0.03  # per joint inside a broken word, in font sizes: pieces are measured apart, kerning may differ
# No-break, narrow no-break and figure spaces join what they sit between (French « Merci ! », 10 000):
# they are never a place to break a line, and never tidied into an ordinary space.
NO_BREAK_SPACES = "\u00a0\u202f\u2007"
_BREAKING_SPACES = re.compile(f"[^\\S{NO_BREAK_SPACES}]+")


def words(line: str) -> list[str]:
    """A line's words, split only where a line may break (str.split() would split at no-break spaces too)."""
    return [word for word in _BREAKING_SPACES.split(line) if word]


def collapse_spaces(text: str) -> str:
    """Runs of breaking white space as one space, trimmed; no-break spaces kept exactly."""
    return " ".join(words(text))


class TextBlock(NamedTuple):  # not a dataclass: an eighth of the import cost, paid by every cold `make`
    lines: tuple[str, ...]
    size: int

    @property
    def line_height(self) -> int:
        return round(self.size * LINE_PITCH)

    @property
    def height(self) -> int:
        return block_height(len(self.lines), self.size)


def block_height(line_count: int, size: int) -> int:
    """From the top of the first line's tallest accent to the bottom of the last line's deepest descender."""
    if line_count == 0:
        return 0
    return (line_count - 1) * round(size * LINE_PITCH) + round(size * (ASCENT + DESCENT))


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

    def overlaps(self, other: Box) -> bool:
        return self.left < other.right and other.left < self.right and self.top < other.bottom \
            and other.top < self.bottom

    @property
    def corners(self) -> tuple[int, int, int, int]:
        return (self.left, self.top, self.right, self.bottom)


def require_fit(text: str, width: int, height: int, min_size: int, measure: Measure,
                hyphenate: Hyphenate | None = None) -> None:
    """Raise LayoutError, saying by how much, if `text` cannot wrap into width x height at `min_size`."""
    if wrapped_height(text, width, min_size, measure, hyphenate) > height:
        message, over = _too_long_message(text, width, height, min_size, measure, hyphenate)
        raise LayoutError(message, MESSAGE_TOO_LONG, over=over)


def fit_text(text: str, width: int, height: int, min_size: int, max_size: int, measure: Measure,
             hyphenate: Hyphenate | None = None, estimate: Estimate | None = None) -> TextBlock:
    """The largest size in [min_size, max_size] at which `text` wraps into width x height, lines balanced.

    With `estimate`, a size the search tries is first judged from width bounds at that size, estimated from
    the widths measured at min_size; its widths are measured only when the bounds cannot tell. With bounds
    that hold, the search tries the same sizes and reaches the same size, measuring at about two sizes instead
    of six: the bounds must hold (fonts.FontChain.bounds; tests/test_bounded_fit.py checks them). What is
    measured anyway checks what it can: the size reached must fit, so text never leaves its box, and its
    words' widths must lie in their bounds, which catches widths that do not scale with the size at all (but
    not bounds broken only at a size the search turned down). Either failing, the search is made again,
    measured."""
    require_fit(text, width, height, min_size, measure, hyphenate)
    size = _largest_fitting(text, width, height, min_size, max_size, measure, hyphenate, estimate)
    if estimate is not None and (wrapped_height(text, width, size, measure, hyphenate) > height
                                 or not _bounds_held(text, size, min_size, measure, estimate)):
        size = _largest_fitting(text, width, height, min_size, max_size, measure, hyphenate, None)
    return TextBlock(tuple(balanced_lines(text, width, size, measure, hyphenate)), size)


def _bounds_held(text: str, size: int, known: int, measure: Measure, estimate: Estimate) -> bool:
    """Whether the widths of `text`'s words at `size`, measured, lie in the bounds estimated from `known`."""
    for word in {*words(text), " "}:
        found = estimate(word, size, known)
        if found is not None and not found[0] <= measure(word, size) <= found[1]:
            return False
    return True


def _largest_fitting(text: str, width: int, height: int, min_size: int, max_size: int, measure: Measure,
                     hyphenate: Hyphenate | None, estimate: Estimate | None) -> int:
    low, high = min_size, max_size
    while low < high:  # binary search: the largest size that fits
        middle = (low + high + 1) // 2
        fits = _certain_fit(text, width, height, middle, estimate, min_size) if estimate else None
        if fits is None:
            fits = wrapped_height(text, width, middle, measure, hyphenate) <= height
        low, high = (middle, high) if fits else (low, middle - 1)
    return low


class _Uncertain(Exception):
    """A width's bounds straddle the limit it is compared with: only measuring can tell."""


def _certain_fit(text: str, width: int, height: int, size: int, estimate: Estimate, known: int) -> bool | None:
    """Whether `text` wraps into width x height at `size`, told from bounds on its widths there alone; None
    when they cannot tell, or when a word would be hyphenated (then measuring decides).

    Sound because, when no word is wider than the box, greedy wrapping gives the fewest lines any wrapping
    can, and the fewest lines can only grow with the widths: the line counts at the lower and upper bounds
    bound the measured count. Words are bound together only where the bounds leave no doubt either way."""
    found: dict[str, tuple[float, float] | None] = {}  # a bound word is also a piece: bounded once

    def bounds(piece: str) -> tuple[float, float]:
        if piece not in found:
            found[piece] = estimate(piece, size, known)
        if found[piece] is None:
            raise _Uncertain
        return found[piece]

    def fits_line(piece: str) -> bool:
        low, high = bounds(piece)
        if low <= width < high:
            raise _Uncertain
        return high <= width

    fewest = most = 0
    try:
        for paragraph in paragraphs(text):
            pieces = _bound_words(paragraph, fits_line)
            if not all(fits_line(piece) for piece in pieces):
                return None
            space = bounds(" ")
            widths = [bounds(piece) for piece in pieces]
            fewest += _first_fit_lines([low for low, _ in widths], space[0], width)
            most += _first_fit_lines([high for _, high in widths], space[1], width)
    except _Uncertain:
        return None
    if block_height(most, size) <= height:
        return True
    if block_height(fewest, size) > height:
        return False
    return None


def _first_fit_lines(widths: list[float], space: float, width: int) -> int:
    """The lines `_greedy` makes of pieces this wide, none wider than `width`, with a space between each."""
    lines, line = 1, widths[0]
    for piece in widths[1:]:
        if line + space + piece > width:
            lines, line = lines + 1, piece
        else:
            line += space + piece
    return lines


def wrapped_height(text: str, width: int, size: int, measure: Measure, hyphenate: Hyphenate | None = None) -> int:
    """The height `text` takes at `size`; unbounded when some piece (a single grapheme) is wider than the box."""
    lines = greedy_lines(text, width, size, measure, hyphenate)
    if any(measure(line, size) > width for line in lines):
        return sys.maxsize
    return block_height(len(lines), size)


def greedy_lines(text: str, width: int, size: int, measure: Measure, hyphenate: Hyphenate | None = None) -> list[str]:
    lines: list[str] = []
    for paragraph in paragraphs(text):
        pieces = _Pieces(paragraph, width, size, measure, hyphenate)
        lines.extend(pieces.text(start, end) for start, end in _greedy(pieces, width))
    return lines


def balanced_lines(text: str, width: int, size: int, measure: Measure,
                   hyphenate: Hyphenate | None = None) -> list[str]:
    """Greedy's line count, with the words spread so the lines are as even as they can be: no lone last word
    when another break exists, and a long word hyphenated only where it has to be."""
    lines: list[str] = []
    for paragraph in paragraphs(text):
        pieces = _Pieces(paragraph, width, size, measure, hyphenate)
        count = len(_greedy(pieces, width))
        lines.extend(pieces.text(start, end) for start, end in _balance(pieces, count, width))
    return lines


def paragraphs(text: str) -> list[list[str]]:
    return [found for found in (words(line) for line in text.splitlines()) if found]


class _Pieces:
    """A paragraph as pieces: its words, with any word wider than the box cut at its hyphenation points
    (or, failing those, between graphemes) into pieces glued to the next one.

    A line's width is its pieces plus the spaces between words, plus a hyphen when it ends inside a word.
    This needs `measure` to be additive over spaces, which holds for every font chain here (no kerning
    across a space; tests/test_scripts.py checks it against whole-line shaping).
    """

    def __init__(self, words: list[str], width: int, size: int, measure: Measure, hyphenate: Hyphenate | None):
        self.texts: list[str] = []
        self.joints: list[str | None] = []  # after each piece: None a space, "" glued, HYPHEN glued and hyphenated
        for word in _bound_words(words, lambda text: measure(text, size) <= width):
            if measure(word, size) <= width:
                self.texts.append(word)
                self.joints.append(None)
            else:
                for piece, joint in _word_pieces(word, width, size, measure, hyphenate):
                    self.texts.append(piece)
                    self.joints.append(joint)
        space, slack = measure(" ", size), GLUE_SLACK * size
        hyphen = measure(HYPHEN, size) if HYPHEN in self.joints else 0.0
        self.count = len(self.texts)
        self.prefix = [0.0]
        self.gaps = [0.0]
        for text, joint in zip(self.texts, self.joints):
            self.prefix.append(self.prefix[-1] + measure(text, size))
            self.gaps.append(self.gaps[-1] + (space if joint is None else slack))
        self.tails = [hyphen if joint == HYPHEN else 0.0 for joint in self.joints]

    def width(self, start: int, end: int) -> float:
        tail = self.tails[end - 1] if end < self.count else 0.0
        return self.prefix[end] - self.prefix[start] + self.gaps[end - 1] - self.gaps[start] + tail

    def breaks_word(self, end: int) -> bool:
        return end < self.count and self.joints[end - 1] is not None

    def is_lone_word(self, start: int) -> bool:
        """Whether the pieces from `start` to the end are one whole word (a widow on a line of its own)."""
        return start == self.count - 1 and (start == 0 or self.joints[start - 1] is None) and self.count > 1

    def text(self, start: int, end: int) -> str:
        parts = []
        for index in range(start, end):
            parts.append(self.texts[index])
            joint = self.joints[index]
            if index < end - 1:
                parts.append(" " if joint is None else "")
            elif end < self.count and joint:
                parts.append(joint)
        return "".join(parts)


def _bound_words(words: list[str], fits_line: Callable[[str], bool]) -> list[str]:
    """Words that should not be parted by a line break, joined (with their space) into one: a one-letter
    word and the word after it (Belarusian і, ў, з; English a, I), and a dash or a lone punctuation mark
    and the word before it (or after it, at the start of a paragraph). Only where the pair fits a line."""
    bound: list[str] = []
    glue_next = False
    for word in words:
        lone_mark = all(unicodedata.category(char)[0] in "PS" for char in word)
        if bound and (glue_next or lone_mark) and fits_line(f"{bound[-1]} {word}"):
            bound[-1] = f"{bound[-1]} {word}"
        else:
            bound.append(word)
        last = bound[-1].rsplit(" ", 1)[-1]
        glue_next = (len(last) == 1 and last.isalpha()) or (lone_mark and len(bound) == 1 and bound[-1] == word)
    return bound


def _greedy(pieces: _Pieces, width: int) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    start = 0
    for end in range(1, pieces.count + 1):
        if end - start > 1 and pieces.width(start, end) > width:
            lines.append((start, end - 1))
            start = end - 1
    if pieces.count:
        lines.append((start, pieces.count))
    return lines


def _balance(pieces: _Pieces, count: int, width: int) -> list[tuple[int, int]]:
    """Split into `count` lines minimising the squared slack of every line, the last included, plus a
    penalty for each broken word and a larger one for a lone last word, so either is chosen only when no
    other break of the same line count exists."""
    n = pieces.count
    if count <= 1:
        return [(0, n)]
    hyphen_cost = 0.25 * width ** 2
    widow_cost = (count + 1) * (width ** 2 + hyphen_cost)

    @lru_cache(maxsize=None)
    def best(start: int, lines_left: int) -> tuple[float, tuple[int, ...]]:
        if lines_left == 1:
            line_width = pieces.width(start, n)
            if line_width > width:
                return (float("inf"), ())
            return ((width - line_width) ** 2 + (widow_cost if pieces.is_lone_word(start) else 0.0), ())
        result: tuple[float, tuple[int, ...]] = (float("inf"), ())
        for end in range(start + 1, n - lines_left + 2):
            line_width = pieces.width(start, end)
            if line_width > width and end - start > 1:
                break
            rest_cost, rest_breaks = best(end, lines_left - 1)
            cost = (width - line_width) ** 2 + rest_cost + (hyphen_cost if pieces.breaks_word(end) else 0.0)
            if line_width > width:  # a single piece wider than the box: allowed alone, as greedy allows it
                cost += widow_cost
            if cost < result[0]:
                result = (cost, (end, *rest_breaks))
        return result

    cost, breaks = best(0, count)
    if cost == float("inf"):
        return _greedy(pieces, width)
    bounds = (0, *breaks, n)
    return list(zip(bounds, bounds[1:]))


def _word_pieces(word: str, width: int, size: int, measure: Measure,
                 hyphenate: Hyphenate | None) -> list[tuple[str, str | None]]:
    """A word too wide for the box as glued pieces, each narrow enough to end a line with its hyphen.

    Without a hyphenator every grapheme is a piece and no hyphen is drawn (the pure-geometry default);
    with one, the word breaks at its hyphenation points first and between graphemes only where a
    syllable is still too wide, and a hyphen is drawn wherever letters meet at the break."""
    if hyphenate is None:
        clusters = _joined_clusters(word)
        return [(cluster, "" if index < len(clusters) - 1 else None) for index, cluster in enumerate(clusters)]
    pieces: list[str] = []
    hyphen = measure(HYPHEN, size)
    for syllable in _syllables(word, hyphenate):
        if measure(syllable, size) + hyphen <= width:
            pieces.append(syllable)
        else:
            pieces.extend(_split_word(syllable, width - hyphen, size, measure))
    return [(piece, _joint(piece, pieces[index + 1]) if index < len(pieces) - 1 else None)
            for index, piece in enumerate(pieces)]


def _joint(before: str, after: str) -> str:
    """A hyphen between two letters of a left-to-right script; nothing elsewhere (digits, symbols, Arabic)."""
    left, right = before[-1], after[0]
    if left.isalpha() and right.isalpha() and not (_is_rtl(left) or _is_rtl(right)):
        return HYPHEN
    return ""


def _is_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


@lru_cache(maxsize=1024)
def _syllables(word: str, hyphenate: Hyphenate) -> tuple[str, ...]:
    positions = hyphenate(word)
    bounds = (0, *sorted(p for p in set(positions) if 0 < p < len(word) and not _beside_no_break(word, p)),
              len(word))
    return tuple(word[a:b] for a, b in zip(bounds, bounds[1:]) if b > a)


def _beside_no_break(word: str, position: int) -> bool:
    return word[position - 1] in NO_BREAK_SPACES or word[position] in NO_BREAK_SPACES


def _joined_clusters(word: str) -> list[str]:
    """Grapheme clusters, with a no-break space and the clusters either side of it kept as one."""
    clusters: list[str] = []
    for cluster in grapheme_clusters(word):
        if clusters and (cluster[0] in NO_BREAK_SPACES or clusters[-1][-1] in NO_BREAK_SPACES):
            clusters[-1] += cluster
        else:
            clusters.append(cluster)
    return clusters


def _split_word(word: str, width: float, size: int, measure: Measure) -> list[str]:
    pieces = [""]
    for grapheme in _joined_clusters(word):
        if pieces[-1] and measure(pieces[-1] + grapheme, size) > width:
            pieces.append("")
        pieces[-1] += grapheme
    return pieces


@cache
def hyphenator(language: str) -> Hyphenate:
    """Hyphenation points for words of `language` from pyphen's dictionaries; a language without one gets
    no points, so its long words break between graphemes (still with a hyphen between letters)."""

    def positions(word: str) -> Sequence[int]:
        dictionary = _dictionary(language)
        lowered = word.lower()  # the dictionaries know words in lower case; keep the positions of the original
        return dictionary.positions(lowered if len(lowered) == len(word) else word) if dictionary is not None else ()

    return positions


@cache
def _dictionary(language: str):
    import pyphen  # loaded only when a word is too long for its box

    code = pyphen.language_fallback(language.replace("-", "_"))
    return pyphen.Pyphen(lang=code) if code else None


def _too_long_message(text: str, width: int, height: int, min_size: int, measure: Measure,
                      hyphenate: Hyphenate | None) -> tuple[str, int]:
    words = [word for paragraph in paragraphs(text) for word in paragraph]
    fitting = 0
    low, high = 0, len(words)
    while low < high:  # the most leading words that fit (more words never take fewer lines)
        middle = (low + high + 1) // 2
        if wrapped_height(" ".join(words[:middle]), width, min_size, measure, hyphenate) <= height:
            low = middle
        else:
            high = middle - 1
    fitting = low
    total_chars = len(" ".join(words))
    fitting_chars = len(" ".join(words[:fitting]))
    over = total_chars - fitting_chars
    return (f"message is too long by about {over} characters ({total_chars} given, about {fitting_chars} fit "
            f"at the smallest legible size of {min_size} px); shorten it or pick a taller format"), over
