"""Lookup tables for Image.point(), made once.

Given a list, Pillow rounds every entry again on each call: 768 for an RGB image, which took longer than
looking up a whole panel's pixels, and far longer than a two-pixel image's. A `Table` hands its entries,
already whole numbers, straight to Pillow's point operation: the same bytes, without the rounding.
"""

from __future__ import annotations

from collections.abc import Iterable

from PIL import Image


class Table(Image.ImagePointHandler):
    """256 entries (0-255) for each band of the images it maps."""

    def __init__(self, entries: Iterable[int]):
        self.entries = [int(entry) for entry in entries]
        if not all(0 <= entry <= 255 for entry in self.entries) or len(self.entries) % 256:
            raise ValueError("a lookup table holds 256 entries from 0 to 255 for each band")

    def point(self, image: Image.Image) -> Image.Image:  # what image.point(self) calls, the image loaded
        return image._new(image.im.point(self.entries, None))
