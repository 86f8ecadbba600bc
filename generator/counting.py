"""Counting a caption the way each platform does."""

from __future__ import annotations

import unicodedata

import regex

URL = regex.compile(r"https?://\S+|\bwww\.\S+", regex.IGNORECASE)
GRAPHEME = regex.compile(r"\X")
EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")
X_URL_WEIGHT = 23

# twitter-text v3: code points in these ranges weigh 1; every other code point weighs 2.
_X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))


def graphemes(text: str) -> int:
    return len(GRAPHEME.findall(text))


def x_weighted_length(text: str) -> int:
    """Length as X counts it: light scripts 1, CJK and others 2, an emoji sequence 2, a link 23."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for match in URL.finditer(text):
        total += _x_plain_weight(text[position:match.start()]) + X_URL_WEIGHT
        position = match.end()
    return total + _x_plain_weight(text[position:])


def _x_plain_weight(text: str) -> int:
    total = 0
    for cluster in GRAPHEME.findall(text):
        if EMOJI.search(cluster):
            total += 2
        else:
            total += sum(_x_code_point_weight(char) for char in cluster)
    return total


def _x_code_point_weight(char: str) -> int:
    code = ord(char)
    return 1 if any(low <= code <= high for low, high in _X_LIGHT_RANGES) else 2


COUNTERS = {
    "characters": len,
    "graphemes": graphemes,
    "x-weighted": x_weighted_length,
}


def length(text: str, counting: str) -> int:
    return COUNTERS[counting](text)
