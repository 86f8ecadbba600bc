"""A grown flower growing on screen: its painted pieces, each moved by its own stage of growth.

The still is painted once, taken apart (generator.flowers.grow.grow_parts); every frame lays the pieces
back over the backdrop, each transformed by where it is in its growth:
- the stem rises from below the picture, carrying the bud; leaves unfold from where they join the stem;
- the bud swells; the petals (florets, rays) unfold one after another, outer ones first, each opening
  from a narrow, upright, slightly twisted fold;
- the neighbouring flowers (and the soft ones behind) start a little later;
- everything sways gently in a breeze that dies away before the picture settles.
At growth 1 every piece is back where it was painted, so the picture is the still's own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image

from generator.flowers.grow import GrowingParts, Plant
from generator.flowers.painting import vignette_mask
from generator.flowers.pieces import Piece
from generator.motion import affine
from generator.motion.timeline import ease_in_out, ease_out, smoothstep, sway

NEIGHBOUR_DELAY = 0.16  # each further front flower starts this much later (a fraction of the growth)
MIDDLE_SPAN = (0.22, 0.7)  # the soft flowers behind come up over this part of the growth
SWAY_ANGLE = 0.02  # radians at the stem's foot: the head of a tall stem moves a few pixels
PETALS_FROM, PETALS_SPAN = 0.34, 0.36  # petals start to open here (a flower's own growth), spread over this
PETAL_OPENING = 0.3  # how long one petal takes to open
BUD_GREEN = (66, 112, 50)  # a folded petal is tinged with the green of the bud's sepals
BUD_TINT = 0.7


@dataclass(frozen=True)
class _Stage:
    """One flower's own growth at a moment: 0 (not yet up) to 1 (as painted)."""

    growth: float
    rise: float  # how far the stem has come up, 0..1
    bud: float  # the head's size, as a fraction of its painted size
    lean: float  # sway, radians about the stem's foot


class GrowingPicture:
    def __init__(self, parts: GrowingParts) -> None:
        self.parts = parts
        self.size = parts.size
        self._darkening = vignette_mask(parts.size, parts.vignette)
        self._black = Image.new("RGB", parts.size)
        self._heads = _head_counts(parts.pieces)
        self._premultiplied = [piece.sprite.convert("RGBa") for piece in parts.pieces]
        self._behind = parts.backdrop.copy()  # backdrop and the soft middle, once the middle is in place
        self._behind.alpha_composite(parts.middle)
        self._behind_dark = self._darkened(self._behind)

    def frame(self, growth: float, clock: float) -> Image.Image:
        """The picture at `growth` 0..1 (1: the still's own pixels)."""
        if growth >= 1.0 and clock < 0:
            return self.parts.image
        stages = [self._stage(index, plant, growth, clock) for index, plant in enumerate(self.parts.plants)]
        middle = ease_out(_local(growth, MIDDLE_SPAN[0], MIDDLE_SPAN[1]))
        if middle < 1.0:
            canvas = self.parts.backdrop.copy()
            self._lay_middle(canvas, middle)
            for piece, premultiplied in zip(self.parts.pieces, self._premultiplied):
                self._lay(canvas, piece, premultiplied, stages, (0, 0))
            return self._darkened(canvas)
        # Only the flowers move: lay them on a patch of what is behind them, darken that patch, paste it.
        placed = [(piece, premultiplied, self._piece_map(piece, stages))
                  for piece, premultiplied in zip(self.parts.pieces, self._premultiplied)]
        region = _union(self._extent(piece, mapping) for piece, _, (mapping, opacity, _) in placed if opacity > 0)
        frame = self._behind_dark.copy()
        if region is None:
            return frame
        patch = self._behind.crop(region)
        for piece, premultiplied, mapped in placed:
            self._lay(patch, piece, premultiplied, stages, region[:2], mapped)
        frame.paste(self._darkened(patch, region), region[:2])
        return frame

    def _darkened(self, canvas: Image.Image, region=None) -> Image.Image:
        """The vignette of the still, over the whole canvas or the patch of it at `region`."""
        mask = self._darkening if region is None else self._darkening.crop(region)
        black = self._black if region is None else Image.new("RGB", canvas.size)
        return Image.composite(black, canvas.convert("RGB"), mask)

    def _extent(self, piece: Piece, mapping: affine.Affine) -> tuple[int, int, int, int] | None:
        width, height = piece.sprite.size
        ox, oy = piece.origin
        corners = [affine.apply(mapping, (ox + x, oy + y)) for x in (0, width) for y in (0, height)]
        left = max(0, math.floor(min(c[0] for c in corners)))
        top = max(0, math.floor(min(c[1] for c in corners)))
        right = min(self.size[0], math.ceil(max(c[0] for c in corners)) + 1)
        bottom = min(self.size[1], math.ceil(max(c[1] for c in corners)) + 1)
        return (left, top, right, bottom) if right > left and bottom > top else None

    # --- stages ------------------------------------------------------------------------------------------

    def _stage(self, index: int, plant: Plant, growth: float, clock: float) -> _Stage:
        delay = NEIGHBOUR_DELAY * index if index else 0.0
        own = _local(growth, delay)
        lean = SWAY_ANGLE * sway(clock, 1.7 * index) * (-1 if plant.flip else 1)
        return _Stage(own, ease_out(own / 0.55), 0.28 + 0.72 * smoothstep((own - 0.08) / 0.6), lean)

    def _plant_map(self, plant: Plant, stage: _Stage) -> affine.Affine:
        """The whole plant: raised from below the picture, leaning in the breeze about its foot."""
        height = self.size[1]
        travel = max(0.0, height * 1.06 - (plant.head[1] - 1.3 * plant.radius))
        lift = affine.translate(0.0, round((1 - stage.rise) * travel))  # whole pixels: no resampling
        return affine.then(affine.rotation(stage.lean, plant.base), lift)

    def _piece_map(self, piece: Piece, stages: list[_Stage]) -> tuple[affine.Affine, float, float]:
        """Where a piece is drawn (a map from its painted place), how opaque it is and how green (in bud)."""
        owner = piece.owner if 0 <= piece.owner < len(stages) else 0
        stage, plant = stages[owner], self.parts.plants[owner]
        plant_map = self._plant_map(plant, stage)
        if piece.kind == "head":
            unfolding, opening = self._unfolding(piece, plant, stage)
            return affine.then(unfolding, plant_map), 1.0, BUD_TINT * (1 - opening) ** 2
        if piece.kind in ("leaf", "filler"):
            opening = ease_out((stage.growth - 0.15 - 0.1 * min(piece.order, 4)) / 0.4)
            unfold = affine.then(affine.scaling(0.08 + 0.92 * opening, piece.anchor),
                                 affine.rotation((1 - opening) * -0.5, piece.anchor))
            return affine.then(unfold, plant_map), smoothstep(opening * 4), 0.0
        if piece.kind == "grass":
            return affine.translate(0, (1 - ease_out(growth_of(stages))) * self.size[1] * 0.12), 1.0, 0.0
        return plant_map, 1.0, 0.0  # the stem, a ribbon

    def _unfolding(self, piece: Piece, plant: Plant, stage: _Stage) -> tuple[affine.Affine, float]:
        """A petal opening: from a narrow fold standing up in the bud (short when seen from above, a little
        twisted) to lying open as painted. What lies at the heart grows in place: what was painted under
        the petals opens with the whole flower, the disc and stamens on top of them come last."""
        count = max(1, self._heads.get(piece.owner, 1))
        bud = affine.scaling(stage.bud, plant.head)
        dx, dy = piece.centre[0] - plant.head[0], piece.centre[1] - plant.head[1]
        if math.hypot(dx, dy) < 0.22 * plant.radius:
            if piece.order < count / 2:
                opening = ease_in_out((stage.growth - PETALS_FROM) / (PETALS_SPAN + PETAL_OPENING))
            else:
                opening = ease_in_out((stage.growth - PETALS_FROM - PETALS_SPAN * 0.75) / PETAL_OPENING)
            return affine.then(affine.scaling(0.3 + 0.7 * opening, plant.head), bud), opening
        start = PETALS_FROM + PETALS_SPAN * piece.order / count
        opening = ease_in_out((stage.growth - start) / PETAL_OPENING)
        twist = (1 - opening) * 0.55 * (-1 if plant.flip else 1)
        fold = affine.stretch(0.22 + 0.78 * opening, 0.45 + 0.55 * opening, math.atan2(dy, dx), plant.head)
        return affine.then(affine.then(fold, affine.rotation(twist, plant.head)), bud), opening

    # --- pixels ------------------------------------------------------------------------------------------

    def _lay_middle(self, canvas: Image.Image, shown: float) -> None:
        if shown <= 0.0:
            return
        middle = self.parts.middle
        layer = Image.new("RGBA", middle.size, (0, 0, 0, 0))
        layer.paste(middle, (0, round((1 - shown) * middle.height * 0.18)))
        alpha = layer.getchannel("A").point(lambda v: round(v * shown))
        layer.putalpha(alpha)
        canvas.alpha_composite(layer)

    def _lay(self, canvas: Image.Image, piece: Piece, premultiplied: Image.Image, stages: list[_Stage],
             offset: tuple[int, int], mapped=None) -> None:
        """Draw one piece onto `canvas`, which shows the picture from `offset` on."""
        mapping, opacity, tint = mapped or self._piece_map(piece, stages)
        if opacity <= 0.0:
            return
        ox, oy = piece.origin
        shift = _whole_shift(mapping)
        if shift is not None and opacity >= 1.0 and tint <= 0.0:  # moved, not turned or scaled: no resampling
            x, y = ox + shift[0] - offset[0], oy + shift[1] - offset[1]
            _composite_clipped(canvas, piece.sprite, (x, y))
            return
        extent = self._extent(piece, mapping)
        if extent is None:
            return
        left, top = max(offset[0], extent[0]), max(offset[1], extent[1])
        right, bottom = min(offset[0] + canvas.width, extent[2]), min(offset[1] + canvas.height, extent[3])
        if right - left < 1 or bottom - top < 1:
            return
        # output pixel (x, y) of the patch shows sprite pixel inverse(mapping)(x + left, y + top) - origin
        back = affine.then(affine.then(affine.translate(left, top), affine.inverse(mapping)), affine.translate(-ox, -oy))
        patch = premultiplied.transform((right - left, bottom - top), Image.Transform.AFFINE, back,
                                                         Image.Resampling.BILINEAR).convert("RGBA")
        alpha = patch.getchannel("A")
        if tint > 0.0:
            patch = Image.blend(patch, Image.new("RGBA", patch.size, (*BUD_GREEN, 255)), tint)
            patch.putalpha(alpha)
        if opacity < 1.0:
            patch.putalpha(alpha.point(lambda v: round(v * opacity)))
        canvas.alpha_composite(patch, (left - offset[0], top - offset[1]))


def growth_of(stages: list[_Stage]) -> float:
    return stages[0].growth if stages else 1.0


def _local(growth: float, delay: float, end: float = 1.0) -> float:
    """A flower's own growth when it starts `delay` late and finishes at `end`."""
    return min(1.0, max(0.0, (growth - delay) / (end - delay)))


def _whole_shift(mapping: affine.Affine) -> tuple[int, int] | None:
    """The whole-pixel move `mapping` makes, if it only moves (by less than a tenth of a pixel off whole)."""
    a, b, c, d, e, f = mapping
    if abs(a - 1) > 1e-6 or abs(b) > 1e-6 or abs(d) > 1e-6 or abs(e - 1) > 1e-6:
        return None
    if abs(c - round(c)) > 0.1 or abs(f - round(f)) > 0.1:
        return None
    return round(c), round(f)


def _composite_clipped(canvas: Image.Image, sprite: Image.Image, at: tuple[int, int]) -> None:
    x, y = at
    left, top = max(0, -x), max(0, -y)
    right, bottom = min(sprite.width, canvas.width - x), min(sprite.height, canvas.height - y)
    if right > left and bottom > top:
        canvas.alpha_composite(sprite, (x + left, y + top), (left, top, right, bottom))


def _union(boxes) -> tuple[int, int, int, int] | None:
    boxes = [box for box in boxes if box is not None]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _head_counts(pieces: tuple[Piece, ...]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for piece in pieces:
        if piece.kind == "head":
            counts[piece.owner] = counts.get(piece.owner, 0) + 1
    return counts
