"""A bundled flower or a photo: a slow, gentle push-in towards its focal point, ending on the still's picture.

The still's picture fills its frame, so the wider view the push-in starts from needs a little more around
it: the picture's own edges, mirrored and softly blurred (they leave the frame long before it settles).
"""

from __future__ import annotations

import math

from PIL import Image, ImageFilter, ImageOps

from generator.motion.timeline import ease_in_out

ZOOM = 1.07  # the first frame shows this much more of the scene, around the focal point


class PushIn:
    def __init__(self, picture: Image.Image, focus: tuple[float, float], zoom: float = ZOOM) -> None:
        self.picture = picture
        self.size = picture.size
        width, height = picture.size
        self.margin = (math.ceil(width * (zoom - 1)) + 2, math.ceil(height * (zoom - 1)) + 2)
        self.extended = _extended(picture, self.margin)
        mx, my = self.margin
        fx, fy = mx + focus[0] * width, my + focus[1] * height
        self.end = (mx, my, mx + width, my + height)
        self.start = tuple(f + (v - f) * zoom for v, f in zip(self.end, (fx, fy, fx, fy)))

    def frame(self, motion: float, clock: float = -1.0) -> Image.Image:
        if motion >= 1.0:
            return self.picture
        e = ease_in_out(motion)
        box = tuple(a + (b - a) * e for a, b in zip(self.start, self.end))
        return self.extended.resize(self.size, Image.Resampling.BILINEAR, box=box)


def _extended(picture: Image.Image, margin: tuple[int, int]) -> Image.Image:
    """`picture` with a mirrored, blurred border of `margin` pixels round it."""
    mx, my = margin
    width, height = picture.size
    mirrored = Image.new("RGB", (width + 2 * mx, height + 2 * my))
    for column in (-1, 0, 1):
        for row in (-1, 0, 1):
            tile = ImageOps.mirror(picture) if column else picture
            tile = ImageOps.flip(tile) if row else tile
            mirrored.paste(tile, (mx + column * width, my + row * height))
    small = mirrored.reduce(4).filter(ImageFilter.GaussianBlur(max(2, width / 120)))
    soft = small.resize(mirrored.size, Image.Resampling.BILINEAR)
    soft.paste(picture, (mx, my))
    return soft
