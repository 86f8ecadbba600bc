"""Cover-cropping: fill an exact size from any picture, keeping its focal point in frame."""

from __future__ import annotations

from PIL import Image

Focus = tuple[float, float]


def cover_box(source: tuple[int, int], target: tuple[int, int], focus: Focus) -> tuple[float, float, float, float]:
    """The largest box of the target's aspect ratio inside `source`, centred on `focus` as far as it can be."""
    src_w, src_h = source
    tgt_w, tgt_h = target
    scale = min(src_w / tgt_w, src_h / tgt_h)
    box_w, box_h = tgt_w * scale, tgt_h * scale
    left = _clamp(focus[0] * src_w - box_w / 2, 0, src_w - box_w)
    top = _clamp(focus[1] * src_h - box_h / 2, 0, src_h - box_h)
    return (left, top, left + box_w, top + box_h)


def cover_crop(image: Image.Image, size: tuple[int, int], focus: Focus = (0.5, 0.5)) -> Image.Image:
    """`image` scaled and cropped to exactly `size`, the focal point as central as the edges allow."""
    box = cover_box(image.size, size, focus)
    if image.size == size and box == (0, 0, *size):
        return image.copy()
    return image.resize(size, Image.Resampling.BICUBIC, box=box, reducing_gap=3.0)


def focus_after_crop(source: tuple[int, int], target: tuple[int, int], focus: Focus) -> Focus:
    """Where the focal point lands, as fractions of the cropped picture."""
    left, top, right, bottom = cover_box(source, target, focus)
    fx = (focus[0] * source[0] - left) / (right - left)
    fy = (focus[1] * source[1] - top) / (bottom - top)
    return (_clamp(fx, 0.0, 1.0), _clamp(fy, 0.0, 1.0))


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))
