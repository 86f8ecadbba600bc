"""Fonts from pip packages, a fallback chain with per-character coverage, and caching.

Pillow has no font fallback: a character missing from the font is drawn as an empty box. So text is cut
into runs, each set in the first font of the chain that has all its characters, and a character that no
font has is an error, never a box.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from PIL import ImageFont

from generator.caches import MB, bytes_bounded
from generator.errors import CHARACTER_MISSING, LayoutError, UsageError

MESSAGE_WEIGHT = 700
TAG_WEIGHT = 600
FONT_BYTES = 1_000_000  # a loaded variable font at one size once text is set in it, measured (0.95 MB)
EMOJI_STRIKE = 109  # Noto Color Emoji is a bitmap font with one size; runs are drawn at it and scaled
EMOJI_FONT_PATHS = (
    "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",
    "/usr/share/fonts/noto/NotoColorEmoji.ttf",
    "/usr/share/fonts/google-noto-emoji/NotoColorEmoji.ttf",
    "/usr/local/share/fonts/NotoColorEmoji.ttf",
    "/System/Library/Fonts/Apple Color Emoji.ttc",
)


class Face(NamedTuple):  # not a dataclass: an eighth of the import cost, paid by every cold `make`
    """One font file at one weight (variable fonts are set to the weight on load)."""

    path: Path
    weight: int = 400
    bitmap_emoji: bool = False


def _package_font(module: str, pattern: str) -> Path:
    import importlib

    root = importlib.import_module(module).ROOT
    return next(root.glob(f"files/{pattern}"))


@cache
def noto_sans(weight: int = 400) -> Face:
    return Face(_package_font("fontpkg_noto_sans", "NotoSans[[]*.ttf"), weight)


@cache
def noto_sans_arabic(weight: int = 400) -> Face:
    return Face(_package_font("fontpkg_noto_sans_arabic", "NotoSansArabic[[]*.ttf"), weight)


@cache
def emoji_face() -> Face | None:
    """A colour emoji font installed on this machine (SOLIDARITY_EMOJI_FONT overrides), if there is one."""
    candidates = [os.environ.get("SOLIDARITY_EMOJI_FONT", ""), *EMOJI_FONT_PATHS]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Face(Path(candidate), 400, bitmap_emoji=True)
    return None


def user_face(path: str | Path, weight: int = MESSAGE_WEIGHT) -> Face:
    """A font file the user asked for with --font, checked now rather than mid-render."""
    path = Path(path)
    face = Face(path, weight)
    try:
        ImageFont.truetype(str(path), 20)
        coverage(face)
    except Exception:  # Pillow and fontTools each fail in their own ways on a file that is not a usable font
        raise UsageError(f"--font {path}: not a TrueType/OpenType font file that can be opened; "
                         f"use a .ttf or .otf file") from None
    return face



@bytes_bounded(32 * MB, weigh=lambda font: FONT_BYTES)
def load(face: Face, size: int) -> ImageFont.FreeTypeFont:
    """The font at `size` pixels; cached because opening a font file costs more than drawing a line."""
    if face.bitmap_emoji:
        size = EMOJI_STRIKE
    font = ImageFont.truetype(str(face.path), size, layout_engine=_layout_engine())
    _set_weight(font, face.weight)
    return font


@cache
def has_raqm() -> bool:
    from PIL import features

    return bool(features.check("raqm"))


def _layout_engine():
    return ImageFont.Layout.RAQM if has_raqm() else ImageFont.Layout.BASIC


def _set_weight(font: ImageFont.FreeTypeFont, weight: int) -> None:
    try:
        axes = font.get_variation_axes()
    except OSError:  # not a variable font
        return
    values = []
    for axis in axes:
        name = axis["name"].decode("ascii", "replace") if isinstance(axis["name"], bytes) else axis["name"]
        if name.strip().lower() in ("weight", "wght"):
            values.append(max(axis["minimum"], min(axis["maximum"], weight)))
        else:
            values.append(axis["default"])
    font.set_variation_by_axes(values)


@cache
def coverage(face: Face) -> frozenset[int]:
    """The code points the font has glyphs for, read from its cmap table."""
    return _code_points(face.path)


@cache
def _code_points(path: Path) -> frozenset[int]:
    """A font file's cmap, read once: every weight of a variable font has the same characters."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True, fontNumber=0) as font:
        return frozenset(font.getBestCmap() or {})


# --- runs --------------------------------------------------------------------------------------------------

class Run(NamedTuple):  # not a dataclass: an eighth of the import cost, paid by every cold `make`
    text: str
    face: Face
    rtl: bool

    @property
    def emoji(self) -> bool:
        return self.face.bitmap_emoji


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: chain_for hands out one per weight and font
class FontChain:
    """Faces tried in order for each character; a colour emoji face, when installed, for emoji."""

    faces: tuple[Face, ...]
    emoji: Face | None = None

    def runs(self, text: str) -> tuple[Run, ...]:
        return _runs(self, text)

    def measure(self, text: str, size: int) -> float:
        """Width in pixels. Summed word by word: no font here kerns across a space (the tests check the
        sum against whole-line shaping), and words recur across lines, sizes and batch rows."""
        words = text.split(" ")
        return sum(_word_width(self, word, size) for word in words) + (len(words) - 1) * _word_width(self, " ", size)

    def bounds(self, text: str, size: int, known: int) -> tuple[float, float] | None:
        """`measure(text, size)` bounded below and above from the widths at size `known` alone, or None when
        this chain's widths do not scale with the size (see `_scales_linearly`). A glyph's advance and its
        kerning are each rounded to 1/128 px either way, at either size. Each word and space is allowed two
        glyphs a character and two more: a font may decompose a character into several glyphs."""
        if not _scales_linearly(self):
            return None
        ratio = size / known
        estimate = self.measure(text, known) * ratio
        words = len(text.split(" "))
        glyphs = 2 * len(text) + 4 * words  # 2 a character, and 2 for each of the words and the spaces between
        slack = glyphs * (1 + ratio) / 64 + abs(estimate) * 1e-5 + 1e-6  # (and the size's scale, rounded)
        return estimate - slack, estimate + slack

    def is_rtl(self, text: str) -> bool:
        return paragraph_is_rtl(text)


@cache
def _scales_linearly(chain: FontChain) -> bool:
    """Whether every face in the chain sets text at widths proportional to the size, but for rounding. Raqm
    places glyphs at their unhinted advances (tests/test_bounded_fit.py checks it for every bundled message),
    and a bitmap emoji face is measured at its one strike and scaled. A font of the user's may be hinted
    otherwise, and Pillow without Raqm uses hinted advances: those chains are always measured."""
    packaged = {face.path for weight in {face.weight for face in chain.faces}
                for face in (noto_sans(weight), noto_sans_arabic(weight))}
    return has_raqm() and all(face.path in packaged for face in chain.faces) \
        and (chain.emoji is None or chain.emoji.bitmap_emoji)


@cache
def chain_for(weight: int, user: Face | None = None) -> FontChain:
    primary = (Face(user.path, weight),) if user else ()
    return FontChain((*primary, noto_sans(weight), noto_sans_arabic(weight)), emoji_face())


_NEUTRAL_CATEGORIES = ("Z", "P", "S", "N", "C", "M")
_RTL_CLASSES = {"R", "AL"}


def paragraph_is_rtl(text: str) -> bool:
    """The first strong character decides, as in the Unicode bidi algorithm's rule P2."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in _RTL_CLASSES:
            return True
        if direction == "L":
            return False
    return False


def _is_plain_latin(text: str) -> bool:
    return all(" " <= char <= "\u024f" or char in "\n\u2014\u2013\u2019\u2018\u201c\u201d\u2026" for char in text)


@lru_cache(maxsize=4096)
def _runs(chain: FontChain, text: str) -> tuple[Run, ...]:
    # What _runs_by_cluster would find, at a tenth of its cost. Latin text in the bundled Noto Sans needs no
    # look at its character map: reading it (fontTools' import and all) costs a cold `make` 30 ms.
    if (_is_plain_latin(text) and _is_package_noto(chain.faces[0])) or _all_plain(chain.faces[0], text):
        return (Run(text, chain.faces[0], False),) if text else ()
    return _runs_by_cluster(chain, text)


def _runs_by_cluster(chain: FontChain, text: str) -> tuple[Run, ...]:
    """The text cut where the face or the direction changes: each grapheme cluster in the first face that has
    it (a colour emoji face for an emoji), a neutral cluster kept in the current run's face."""
    from generator.counting import grapheme_clusters, is_emoji

    runs: list[Run] = []
    for cluster in grapheme_clusters(text):
        face = _face_for(chain, cluster, runs[-1].face if runs else None, is_emoji(cluster))
        rtl = any(unicodedata.bidirectional(char) in _RTL_CLASSES for char in cluster)
        if runs and runs[-1].face == face and (not rtl or runs[-1].rtl or _is_neutral_run(runs[-1].text)):
            runs[-1] = Run(runs[-1].text + cluster, face, runs[-1].rtl or rtl)
        else:
            runs.append(Run(cluster, face, rtl))
    return tuple(runs)


def _is_package_noto(face: Face) -> bool:
    return face.path == noto_sans(face.weight).path


def _all_plain(face: Face, text: str) -> bool:
    """Whether `face` has every character of `text` and none is right-to-left or can make an emoji. Then the
    first face of a chain gets every grapheme cluster: a cluster covered by the face is given the face if it
    is the chain's first (or the current run's), and it is no emoji without U+FE0F, a wide character or a
    regional indicator (counting.is_emoji). So the text is one left-to-right run in that face."""
    plain, other = _character_kinds(face)
    if plain.issuperset(text):
        return True
    for char in set(text).difference(plain):
        if char in other or not _is_plain(face, char):
            other.add(char)
            return False
        plain.add(char)
    return True


@cache
def _character_kinds(face: Face) -> tuple[set[str], set[str]]:
    """The characters seen so far that `face` draws plainly (see _all_plain), and the others. Each set only
    grows, and a character's kind never changes: two threads racing only work the same one out twice."""
    return set(), set()


def _is_plain(face: Face, char: str) -> bool:
    """A character the face has, or a line break or other control character: always a cluster of its own
    (with CR LF the one exception, both controls), given the current run's face."""
    drawn = ord(char) in coverage(face) or unicodedata.category(char) in ("Cc", "Zl", "Zp")
    return (drawn and not face.bitmap_emoji and char != "\ufe0f" and unicodedata.east_asian_width(char) != "W"
            and unicodedata.bidirectional(char) not in _RTL_CLASSES and not 0x1F1E6 <= ord(char) <= 0x1F1FF)


def is_neutral_text(text: str) -> bool:
    """Only spaces, punctuation, symbols, digits and marks: no letter that gives it a direction."""
    return _is_neutral_run(text)


def _is_neutral_run(text: str) -> bool:
    return all(unicodedata.category(char)[0] in _NEUTRAL_CATEGORIES for char in text)


def _face_for(chain: FontChain, cluster: str, current: Face | None, emoji: bool) -> Face:
    if emoji:
        if chain.emoji is not None:
            return chain.emoji
        raise LayoutError(_missing_message(cluster, "it needs a colour emoji font: install fonts-noto-color-emoji "
                                                    "(or set SOLIDARITY_EMOJI_FONT to one)"),
                          CHARACTER_MISSING, character=cluster)
    if all(unicodedata.category(char) in ("Cc", "Zl", "Zp") or char.isspace() for char in cluster):
        return current if current is not None and not current.bitmap_emoji else chain.faces[0]
    needed = [ord(char) for char in cluster if unicodedata.category(char) not in ("Cf", "Mn") or len(cluster) == 1]
    needed = needed or [ord(cluster[0])]
    if current is not None and not current.bitmap_emoji and _is_neutral_run(cluster) \
            and all(code in coverage(current) for code in needed):
        return current
    for face in (*chain.faces, *((chain.emoji,) if chain.emoji else ())):
        if all(code in coverage(face) for code in needed):
            return face
    raise LayoutError(_missing_message(cluster, "no font here has it; pass --font FILE with a font that does"),
                      CHARACTER_MISSING, character=cluster)


def _missing_message(cluster: str, advice: str) -> str:
    char = next((c for c in cluster if unicodedata.category(c) != "Cf"), cluster[0])
    name = unicodedata.name(char, "unnamed character")
    return f"cannot draw '{cluster}' (U+{ord(char):04X} {name}): {advice}"


@lru_cache(maxsize=16384)  # ~300 bytes an entry; a campaign's unique names would otherwise grow it for ever
def _word_width(chain: FontChain, word: str, size: int) -> float:
    return sum(run_width(run, size) for run in chain.runs(word))


def run_width(run: Run, size: int) -> float:
    return _run_width(run.face, size, run.text, run.rtl)


@lru_cache(maxsize=16384)
def _run_width(face: Face, size: int, text: str, rtl: bool) -> float:
    font = load(face, size)
    width = font.getlength(text, direction=_direction(rtl)) if has_raqm() else font.getlength(text)
    return width * size / EMOJI_STRIKE if face.bitmap_emoji else width


def _direction(rtl: bool) -> str:
    return "rtl" if rtl else "ltr"

