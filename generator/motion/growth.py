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
MIDDLE_DELAY = 0.22  # the soft flowers behind
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

    def frame(self, growth: float, clock: float) -> Image.Image:
        """The picture at `growth` 0..1 (1: the still's own pixels)."""
        if growth >= 1.0 and clock < 0:
            return self.parts.image
        canvas = self.parts.backdrop.copy()
        self._lay_middle(canvas, growth)
        stages = [self._stage(index, plant, growth, clock) for index, plant in enumerate(self.parts.plants)]
        for piece, premultiplied in zip(self.parts.pieces, self._premultiplied):
            self._lay(canvas, piece, premultiplied, stages)
        return Image.composite(self._black, canvas.convert("RGB"), self._darkening)

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
        lift = affine.translate(0.0, (1 - stage.rise) * travel)
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

    def _lay_middle(self, canvas: Image.Image, growth: float) -> None:
        shown = ease_out(_local(growth, MIDDLE_DELAY))
        if shown >= 1.0:
            canvas.alpha_composite(self.parts.middle)
            return
        if shown <= 0.0:
            return
        middle = self.parts.middle
        layer = Image.new("RGBA", middle.size, (0, 0, 0, 0))
        layer.paste(middle, (0, round((1 - shown) * middle.height * 0.18)))
        alpha = layer.getchannel("A").point(lambda v: round(v * shown))
        layer.putalpha(alpha)
        canvas.alpha_composite(layer)

    def _lay(self, canvas: Image.Image, piece: Piece, premultiplied: Image.Image, stages: list[_Stage]) -> None:
        mapping, opacity, tint = self._piece_map(piece, stages)
        if opacity <= 0.0:
            return
        if affine.is_identity(mapping) and opacity >= 1.0 and tint <= 0.0:
            canvas.alpha_composite(piece.sprite, piece.origin)
            return
        width, height = piece.sprite.size
        ox, oy = piece.origin
        corners = [affine.apply(mapping, (ox + x, oy + y)) for x in (0, width) for y in (0, height)]
        left = max(0, math.floor(min(c[0] for c in corners)))
        top = max(0, math.floor(min(c[1] for c in corners)))
        right = min(canvas.width, math.ceil(max(c[0] for c in corners)))
        bottom = min(canvas.height, math.ceil(max(c[1] for c in corners)))
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
        canvas.alpha_composite(patch, (left, top))


def growth_of(stages: list[_Stage]) -> float:
    return stages[0].growth if stages else 1.0


def _local(growth: float, delay: float) -> float:
    """A flower's own growth when it starts `delay` late and still finishes with the others."""
    return min(1.0, max(0.0, (growth - delay) / (1 - delay)))


def _head_counts(pieces: tuple[Piece, ...]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for piece in pieces:
        if piece.kind == "head":
            counts[piece.owner] = counts.get(piece.owner, 0) + 1
    return counts
