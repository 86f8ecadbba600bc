"""Counting a caption the way each platform does."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

URL = re.compile(r"https?://\S+|\bwww\.\S+", re.IGNORECASE)
X_URL_WEIGHT = 23

# twitter-text v3: code points in these ranges weigh 1; every other code point weighs 2.
_X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))


@cache
def _patterns():
    import regex  # the stdlib re has no grapheme clusters or emoji properties; loaded only when counted

    return regex.compile(r"\X"), regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")


def grapheme_clusters(text: str) -> list[str]:
    return _patterns()[0].findall(text)


def is_emoji(cluster: str) -> bool:
    """Whether a grapheme cluster is an emoji: pictographic with emoji presentation, or a flag."""
    if not _patterns()[1].search(cluster):
        return False
    return "\ufe0f" in cluster or any(unicodedata.east_asian_width(c) == "W" for c in cluster) \
        or any(0x1F1E6 <= ord(c) <= 0x1F1FF for c in cluster)


def graphemes(text: str) -> int:
    return len(grapheme_clusters(text))


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
    emoji = _patterns()[1]
    for cluster in grapheme_clusters(text):
        if emoji.search(cluster):
            total += 2
        else:
            total += sum(_x_code_point_weight(char) for char in cluster)
    return total


def _x_code_point_weight(char: str) -> int:
    code = ord(char)
    return 1 if any(low <= code <= high for low, high in _X_LIGHT_RANGES) else 2


def threads_length(text: str) -> int:
    """Length as Threads counts it: characters, but an emoji counts as many as its UTF-8 bytes (Threads API
    docs, "Threads Posts": "Emojis are counted as the number of UTF-8 bytes")."""
    emoji = _patterns()[1]
    return sum(len(cluster.encode("utf-8")) if emoji.search(cluster) else len(cluster)
               for cluster in grapheme_clusters(text))


COUNTERS = {
    "characters": len,
    "graphemes": graphemes,
    "x-weighted": x_weighted_length,
    "threads": threads_length,
}


def length(text: str, counting: str) -> int:
    return COUNTERS[counting](text)
