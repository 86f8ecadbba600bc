"""Fonts from pip packages, loaded once per face and size."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from generator.errors import UsageError


@dataclass(frozen=True)
class Face:
    """One font file at one weight (variable fonts are set to the weight on load)."""

    path: Path
    weight: int = 400


@lru_cache(maxsize=None)
def _noto_sans_path() -> Path:
    import fontpkg_noto_sans

    return next(fontpkg_noto_sans.ROOT.glob("files/NotoSans[[]*.ttf"))


def noto_sans(weight: int = 400) -> Face:
    return Face(_noto_sans_path(), weight)


MESSAGE_WEIGHT = 700
TAG_WEIGHT = 600


def user_face(path: str | Path, weight: int = MESSAGE_WEIGHT) -> Face:
    """A font file the user asked for with --font, checked now rather than mid-render."""
    path = Path(path)
    try:
        ImageFont.truetype(str(path), 20)
    except OSError:
        raise UsageError(f"--font {path}: not a TrueType/OpenType font file that can be opened") from None
    return Face(path, weight)


@lru_cache(maxsize=256)
def load(face: Face, size: int) -> ImageFont.FreeTypeFont:
    """The font at `size` pixels; cached because opening a font file costs more than drawing a line."""
    font = ImageFont.truetype(str(face.path), size, layout_engine=ImageFont.Layout.RAQM
                              if _has_raqm() else ImageFont.Layout.BASIC)
    _set_weight(font, face.weight)
    return font


@lru_cache(maxsize=1)
def _has_raqm() -> bool:
    from PIL import features

    return bool(features.check("raqm"))


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


@lru_cache(maxsize=65536)
def text_width(face: Face, size: int, text: str) -> float:
    return load(face, size).getlength(text)
