"""Recording a grown picture piece by piece, so that an animation can move each piece on its own.

While a `PieceRecorder` is active, the painter runs exactly as for a still (the same random numbers, the
same pixels); the recorder only looks at what changed on the layer between marks. A mark is set by the
scene (a leaf, a stem, a flower head begins) and by `paint_shape` (every petal or floret is a piece).
Laid over one another in order, the pieces rebuild the layer.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from PIL import Image, ImageChops

from generator.flowers.painting import PIECE_RECORDER, Point


@dataclass(frozen=True)
class Piece:
    """One part of the front layer, at the picture's own size."""

    kind: str  # head, leaf, stem, filler, ribbon or grass
    owner: int  # which front bloom it belongs to (-1: the whole picture)
    order: int  # its place among its owner's pieces of the same kind
    anchor: Point  # what it grows from or turns about: a head's centre, a leaf's base (output pixels)
    origin: tuple[int, int]  # where the sprite's top left corner lies (output pixels)
    sprite: Image.Image  # RGBA, straight alpha

    @property
    def centre(self) -> Point:
        return (self.origin[0] + self.sprite.width / 2, self.origin[1] + self.sprite.height / 2)


class PieceRecorder:
    """Turns the changes on a supersampled `layer` between marks into pieces at 1/`scale` of its size."""

    def __init__(self, layer: Image.Image, scale: int) -> None:
        self.layer, self.scale = layer, scale
        self.pieces: list[Piece] = []
        self._current: tuple[str, int, Point, tuple[int, int, int, int]] | None = None
        self._before: Image.Image | None = None
        self._counts: dict[tuple[str, int], int] = {}

    def mark(self, kind: str, owner: int, anchor: Point, region: tuple[float, float, float, float] | None = None):
        """Close the piece being painted and start a new one; `region` (output pixels) bounds where it paints."""
        self._close()
        box = (0, 0, self.layer.width, self.layer.height)
        if region is not None:
            s = self.scale
            box = (max(0, int(region[0] * s) // 2 * 2), max(0, int(region[1] * s) // 2 * 2),
                   min(self.layer.width, int(region[2] * s) + 2), min(self.layer.height, int(region[3] * s) + 2))
        self._current = (kind, owner, anchor, box)
        self._before = self.layer.crop(box)

    def split(self) -> None:
        """Another piece of the same kind begins (called by paint_shape)."""
        if self._current is not None:
            current = self._current
            self._before = self._close()  # what the layer looks like now is what the next piece starts from
            self._current = current

    def finish(self) -> list[Piece]:
        self._close()
        self._current = None
        return self.pieces

    def _close(self) -> Image.Image | None:
        """Record what changed since the mark as a piece; returns the region as it is now."""
        if self._current is None or self._before is None:
            return None
        kind, owner, anchor, box = self._current
        after = self.layer.crop(box)
        difference = ImageChops.difference(after, self._before)
        bbox = difference.getbbox(alpha_only=False)
        self._before = None
        if bbox is None:
            return after
        s = self.scale
        bbox = (bbox[0] // s * s, bbox[1] // s * s, -(-bbox[2] // s) * s, -(-bbox[3] // s) * s)
        bbox = (bbox[0], bbox[1], min(bbox[2], after.width), min(bbox[3], after.height))
        sprite = after.crop(bbox)
        sprite.putalpha(ImageChops.multiply(sprite.getchannel("A"), _changed_mask(difference.crop(bbox))))
        if s > 1:  # reduce with premultiplied alpha, so transparent pixels lend no colour to the edges
            sprite = sprite.convert("RGBa").reduce(s).convert("RGBA")
        key = (kind, owner)
        order = self._counts.get(key, 0)
        self._counts[key] = order + 1
        origin = ((box[0] + bbox[0]) // s, (box[1] + bbox[1]) // s)
        self.pieces.append(Piece(kind, owner, order, anchor, origin, sprite))
        return after


def _changed_mask(difference: Image.Image) -> Image.Image:
    channels = difference.split()
    merged = channels[0]
    for channel in channels[1:]:
        merged = ImageChops.lighter(merged, channel)
    return merged.point(lambda v: 255 if v else 0)


@contextmanager
def recording(recorder: PieceRecorder | None) -> Iterator[None]:
    """Let paint_shape split pieces for `recorder` inside this block (nothing happens for None)."""
    token = PIECE_RECORDER.set(recorder)
    try:
        yield
    finally:
        PIECE_RECORDER.reset(token)
