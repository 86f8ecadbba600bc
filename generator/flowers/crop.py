"""Cover-cropping: fill an exact size from any picture, keeping its focal point in frame."""

from __future__ import annotations

from PIL import Image

Focus = tuple[float, float]


THIRDS = (0.38, 0.62)  # where a focal point off the centre line is placed: near a third, leaving room for text


def cover_box(source: tuple[int, int], target: tuple[int, int], focus: Focus,
              anchor: Focus = (0.5, 0.5)) -> tuple[float, float, float, float]:
    """The largest box of the target's aspect ratio inside `source` that puts `focus` at `anchor` (fractions
    of the box) as nearly as the edges allow."""
    src_w, src_h = source
    tgt_w, tgt_h = target
    scale = min(src_w / tgt_w, src_h / tgt_h)
    box_w, box_h = tgt_w * scale, tgt_h * scale
    left = _clamp(focus[0] * src_w - anchor[0] * box_w, 0, src_w - box_w)
    top = _clamp(focus[1] * src_h - anchor[1] * box_h, 0, src_h - box_h)
    return (left, top, left + box_w, top + box_h)


def thirds_anchor(focus: Focus, target: tuple[int, int]) -> Focus:
    """Where the focal point should sit in the crop: on the third away from where the text will go
    (portrait and square: above or below the bloom; landscape: beside it)."""
    def third(value: float) -> float:
        return THIRDS[0] if value < 0.5 else THIRDS[1]

    if target[0] > target[1]:
        return (third(focus[0]), 0.5)
    return (0.5, third(focus[1]))


def cover_crop(image: Image.Image, size: tuple[int, int], focus: Focus = (0.5, 0.5),
               anchor: Focus = (0.5, 0.5)) -> Image.Image:
    """`image` scaled and cropped to exactly `size`, the focal point at `anchor` as nearly as the edges allow."""
    box = cover_box(image.size, size, focus, anchor)
    if image.size == size and box == (0, 0, *size):
        return image.copy()
    return image.resize(size, Image.Resampling.BICUBIC, box=box, reducing_gap=3.0)


def focus_after_crop(source: tuple[int, int], target: tuple[int, int], focus: Focus,
                     anchor: Focus = (0.5, 0.5)) -> Focus:
    """Where the focal point lands, as fractions of the cropped picture."""
    left, top, right, bottom = cover_box(source, target, focus, anchor)
    fx = (focus[0] * source[0] - left) / (right - left)
    fy = (focus[1] * source[1] - top) / (bottom - top)
    return (_clamp(fx, 0.0, 1.0), _clamp(fy, 0.0, 1.0))


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


SPLIT_MIN_TARGET_RATIO = 1.5  # landscape formats: 16:9 and wider
SPLIT_MAX_SOURCE_RATIO = 0.9  # portrait pictures
SPLIT_FEATHER = 0.14  # the soft edge between the picture and its blurred surround, as a share of its width


def needs_split(source: tuple[int, int], target: tuple[int, int]) -> bool:
    """A tall picture in a wide format: cover-cropping would blow the bloom up to fill the width and leave
    no room beside it for the text, so the whole picture goes on one side instead."""
    return target[0] / target[1] >= SPLIT_MIN_TARGET_RATIO and source[0] / source[1] <= SPLIT_MAX_SOURCE_RATIO


def split_composition(image: Image.Image, size: tuple[int, int], focus: Focus) -> Image.Image:
    """The whole picture at full height on the left, melting into a soft blur of itself on the right."""
    from PIL import ImageFilter

    width, height = size
    surround = cover_crop(image, (max(1, width // 8), max(1, height // 8)), focus)
    surround = surround.filter(ImageFilter.GaussianBlur(2)).resize(size, Image.Resampling.BICUBIC)
    picture = image.resize((_split_width(image.size, size), height), Image.Resampling.BICUBIC, reducing_gap=3.0)
    surround.paste(picture, (0, 0), _feather_mask(picture.size))
    return surround


def _split_width(source: tuple[int, int], size: tuple[int, int]) -> int:
    return min(size[0], round(source[0] * size[1] / source[1]))


def composed_focus(source: tuple[int, int], target: tuple[int, int], focus: Focus) -> Focus:
    """Where the focal point lands on the canvas composed from a `source`-sized picture (split or
    cover-cropped), as fractions of it: geometry alone, known before any pixel is resized."""
    if needs_split(source, target):
        return (_clamp(focus[0] * _split_width(source, target) / target[0], 0.0, 1.0), focus[1])
    return focus_after_crop(source, target, focus, thirds_anchor(focus, target))


def _feather_mask(size: tuple[int, int]) -> Image.Image:
    """Opaque, fading to transparent over the right-hand SPLIT_FEATHER of the width."""
    width, height = size
    feather = max(1, round(width * SPLIT_FEATHER))
    ramp = Image.linear_gradient("L").rotate(-90, expand=True).resize((feather, height))  # 255 -> 0, left to right
    mask = Image.new("L", size, 255)
    mask.paste(ramp, (width - feather, 0))
    return mask
