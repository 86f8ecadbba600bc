"""Procedural flowers: a seeded painter that grows a flower picture at any size, deterministically.

    grow("cornflower", seed=3, size=(1080, 1350), composition="bouquet", palette="white-red-white")

The same arguments always give the same pixels. Pictures leave a calm area for text (usually the top third,
or one side of a landscape picture); `focus` says where the main bloom is.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field

from PIL import Image

from generator.describe import Picture
from generator.errors import UsageError
from generator.flowers.painting import Color, Frame, Point, mix, sketchy, vignette
from generator.flowers.pieces import Piece, PieceRecorder, recording
from generator.flowers.scenery import (
    LeafStyle,
    Mood,
    depth_blur,
    leaf_color,
    paint_backdrop,
    paint_grass,
    paint_leaf,
    paint_ribbon,
    paint_stem,
    stem_path,
)
from generator.flowers.species import SPECIES as _SPECIES
from generator.flowers.species import BloomColors, Species

SPECIES: tuple[str, ...] = tuple(_SPECIES)
COMPOSITIONS: tuple[str, ...] = ("single", "bouquet", "meadow")
PALETTES: tuple[str, ...] = ("natural", "white-red-white")

MIN_SIDE, MAX_SIDE = 64, 6000
_SUPERSAMPLE_UP_TO = 10_000_000  # pixels; above this, edges drawn at the picture's own size are fine enough

_MOODS: dict[str, Mood] = {
    mood.name: mood
    for mood in (
        Mood(
            "morning",
            "in soft morning light",
            sky=((0.0, (190, 210, 226)), (0.42, (224, 231, 226)), (0.62, (182, 204, 168)), (1.0, (98, 136, 84))),
            foliage=((118, 152, 96), (96, 134, 80), (140, 170, 110), (80, 112, 66)),
            bokeh=((255, 255, 245), (240, 248, 225), (255, 245, 215)),
            glow_color=(255, 250, 232),
            glow_at=(0.2, 0.05),
            glow_strength=0.55,
            vignette=0.22,
            daylight=1.0,
            dark=False,
        ),
        Mood(
            "golden",
            "in warm evening sunlight",
            sky=((0.0, (246, 220, 176)), (0.4, (240, 204, 158)), (0.62, (196, 168, 108)), (1.0, (108, 102, 58))),
            foliage=((150, 140, 70), (120, 122, 62), (170, 152, 82), (110, 112, 60)),
            bokeh=((255, 236, 190), (255, 220, 160), (255, 246, 220)),
            glow_color=(255, 238, 196),
            glow_at=(0.85, 0.08),
            glow_strength=0.7,
            vignette=0.28,
            daylight=0.95,
            dark=False,
        ),
        Mood(
            "dusk",
            "against a dark evening garden",
            sky=((0.0, (18, 28, 46)), (0.45, (34, 48, 66)), (0.62, (24, 42, 38)), (1.0, (10, 18, 16))),
            foliage=((30, 52, 40), (24, 42, 34), (40, 62, 48), (34, 46, 50)),
            bokeh=((255, 212, 150), (170, 190, 255), (255, 240, 214)),
            glow_color=(150, 112, 96),
            glow_at=(0.75, 0.42),
            glow_strength=0.4,
            vignette=0.35,
            daylight=0.55,
            dark=True,
        ),
        Mood(
            "forest",
            "in the shade of a green garden",
            sky=((0.0, (22, 40, 32)), (0.5, (32, 58, 42)), (1.0, (10, 24, 16))),
            foliage=((38, 70, 46), (28, 56, 36), (52, 84, 52), (24, 46, 30)),
            bokeh=((200, 232, 160), (255, 250, 220), (170, 210, 140)),
            glow_color=(120, 154, 92),
            glow_at=(0.3, 0.12),
            glow_strength=0.45,
            vignette=0.35,
            daylight=0.6,
            dark=True,
        ),
        Mood(
            "mist",
            "on a calm, misty background",
            sky=((0.0, (234, 236, 232)), (0.5, (222, 227, 220)), (1.0, (192, 202, 190))),
            foliage=((170, 188, 166), (186, 200, 180), (156, 176, 152)),
            bokeh=((255, 255, 255), (246, 246, 240)),
            glow_color=(255, 255, 255),
            glow_at=(0.5, 0.05),
            glow_strength=0.5,
            vignette=0.14,
            daylight=1.0,
            dark=False,
        ),
        Mood(
            "linen",
            "on a calm, linen-coloured background",
            sky=((0.0, (242, 234, 222)), (0.5, (232, 222, 206)), (1.0, (204, 190, 172))),
            foliage=((196, 186, 164), (184, 176, 150), (176, 180, 152)),
            bokeh=((255, 250, 240), (255, 244, 228)),
            glow_color=(255, 250, 240),
            glow_at=(0.3, 0.06),
            glow_strength=0.5,
            vignette=0.16,
            daylight=1.0,
            dark=False,
        ),
        Mood(
            "charcoal",
            "on a calm, dark background",
            sky=((0.0, (42, 42, 48)), (0.5, (32, 32, 38)), (1.0, (16, 16, 20))),
            foliage=((46, 56, 50), (40, 48, 44), (54, 60, 58)),
            bokeh=((255, 255, 255), (236, 80, 92)),
            glow_color=(90, 88, 96),
            glow_at=(0.5, 0.12),
            glow_strength=0.45,
            vignette=0.3,
            daylight=0.6,
            dark=True,
        ),
    )
}
_PALETTE_MOODS: dict[str, tuple[str, ...]] = {
    "natural": ("morning", "golden", "dusk", "forest"),
    "white-red-white": ("mist", "linen", "charcoal"),
}
_RIBBONS: dict[str, tuple[Color, Color]] = {
    "natural": ((236, 226, 206), (214, 200, 176)),
    "white-red-white": ((250, 250, 247), (200, 32, 48)),
}
_BOUQUET_LEAF = LeafStyle("blade", 1.0, 0.22, ((0.0, 0.3), (0.3, 1.0), (0.7, 0.8), (1.0, 0.0)), color=(80, 126, 70))
_COUNT_WORDS = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}


@dataclass(frozen=True)
class GrownFlower:
    image: Image.Image  # mode "RGB", exactly the requested size
    focus: tuple[float, float]  # centre of the main bloom(s), as fractions (x, y) of width and height
    description: str  # a short English phrase for listings; alt text in any language comes from `picture()`


@dataclass(frozen=True)
class Plant:
    """Where one front flower stands, for animation: its stem's foot, its head's centre and size."""

    base: Point
    head: Point
    radius: float
    flip: bool


@dataclass(frozen=True)
class GrowingParts:
    """A grown picture taken apart so it can grow on screen (generator.motion.growth puts it together)."""

    size: tuple[int, int]
    backdrop: Image.Image  # RGBA: sky, far garden and light, behind everything
    middle: Image.Image  # RGBA: the soft, out-of-focus blooms behind the focal plane
    pieces: tuple[Piece, ...]  # the sharp front layer, piece by piece, in painting order
    plants: tuple[Plant, ...]  # one per front bloom (a piece's owner)
    vignette: float
    image: Image.Image  # the finished picture, exactly as grow() paints it


@dataclass
class _Bloom:
    """One flower planned in output pixels: its head, its stem and how sharp it is."""

    x: float
    y: float
    radius: float
    colors: BloomColors
    angle: float = 0.0
    squash: float = 1.0
    flip: bool = False
    stem: list[Point] = field(default_factory=list)
    leaves: int = 0

    def frame(self, scale: float) -> Frame:
        return Frame(self.x * scale, self.y * scale, self.radius * scale, self.angle, self.squash, self.flip)


@dataclass
class _Plan:
    """A whole picture before painting: blooms by depth, plus what ties them together."""

    front: list[_Bloom]
    middle: list[_Bloom]
    focus: Point  # output pixels
    horizon: float  # fraction of the height where the blurred ground begins
    far_count: int
    ribbon: tuple[Point, float] | None = None  # knot position and size
    grass: bool = False
    fillers: list[tuple[Point, float, float]] = field(default_factory=list)  # bouquet greenery: base, angle, length


def _planned(species: str, seed: int, size: tuple[int, int], composition: str, palette: str):
    """The checked choices, and what the seeded generator decides before painting (the same for `grow`, its
    parts and its description): kind, plan, mood, colours, and the generator to paint on with."""
    _check_choice("flower species", species, SPECIES)
    _check_choice("composition", composition, COMPOSITIONS)
    _check_choice("palette", palette, PALETTES)
    width, height = _checked_size(size)
    kind = _SPECIES[species]
    rng = random.Random(f"{species}|{seed}|{composition}|{palette}")
    mood = _MOODS[rng.choice(_PALETTE_MOODS[palette])]
    colours = _bloom_colours(kind, palette, rng)
    plan = _PLANNERS[composition](kind, (width, height), colours, rng)
    return kind, plan, mood, colours, rng


def grow(
    species: str,
    seed: int = 0,
    size: tuple[int, int] = (1080, 1350),
    composition: str = "single",
    palette: str = "natural",
) -> GrownFlower:
    """Grow a flower picture: deterministic for the same arguments, painted at exactly `size`."""
    kind, plan, mood, colours, rng = _planned(species, seed, size, composition, palette)
    width, height = size
    image = _paint(kind, plan, (width, height), mood, colours, palette, rng)[0]
    focus = (_clamp01(plan.focus[0] / width), _clamp01(plan.focus[1] / height))
    return GrownFlower(image, focus, _describe(kind, composition, palette, mood, plan))


def grow_parts(
    species: str,
    seed: int = 0,
    size: tuple[int, int] = (1080, 1350),
    composition: str = "single",
    palette: str = "natural",
) -> GrowingParts:
    """The picture `grow` paints with the same arguments, kept in parts: backdrop, soft middle, front pieces."""
    kind, plan, mood, colours, rng = _planned(species, seed, size, composition, palette)
    width, height = size
    image, backdrop, middle, pieces = _paint(kind, plan, (width, height), mood, colours, palette, rng, record=True)
    plants = tuple(Plant(b.stem[-1] if b.stem else (b.x, height * 1.04), b.frame(1.0).point(*kind.centre),
                         b.radius, b.flip) for b in plan.front)
    return GrowingParts((width, height), backdrop, middle, tuple(pieces), plants, mood.vignette, image)


def describe(species: str, seed: int = 0, size: tuple[int, int] = (1080, 1350), composition: str = "single",
             palette: str = "natural") -> str:
    """What `grow` with the same arguments paints, in English words, without painting it (for listings)."""
    kind, plan, mood, _, _ = _planned(species, seed, size, composition, palette)
    return _describe(kind, composition, palette, mood, plan)


def picture(species: str, seed: int = 0, size: tuple[int, int] = (1080, 1350), composition: str = "single",
            palette: str = "natural") -> Picture:
    """What `grow` with the same arguments paints, as facts any language can phrase (for alt text)."""
    _, plan, mood, _, _ = _planned(species, seed, size, composition, palette)
    if composition == "single":
        main = plan.front[0].colors.name
        behind = sorted({b.colors.name for b in plan.middle} - {main}, key=_flag_order)
        return Picture("drawing", species, composition, (main,), tuple(behind) if palette == "white-red-white" else (),
                       mood=mood.name)
    colours = tuple(sorted({b.colors.name for b in plan.front}, key=_flag_order))
    ribbon = None if plan.ribbon is None else "white-red-white" if palette == "white-red-white" else "linen"
    return Picture("drawing", species, composition, colours, count=len(plan.front) if composition == "bouquet" else 0,
                   ribbon=ribbon, mood=mood.name)


def encode_bundled_jpeg(image: Image.Image) -> bytes:
    """The exact JPEG encoding of the bundled flowers: fixed quality and subsampling, no metadata at all."""
    clean = Image.new("RGB", image.size)
    clean.paste(image.convert("RGB"))  # a fresh image: nothing in image.info (a comment, say) is carried over
    buffer = io.BytesIO()
    clean.save(buffer, "JPEG", quality=88, optimize=False, progressive=False, subsampling=2)
    return buffer.getvalue()


# --- arguments -----------------------------------------------------------------------------------------


def _check_choice(what: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise UsageError(f"unknown {what} {value!r}; choose one of: {', '.join(choices)}")


def _checked_size(size: object) -> tuple[int, int]:
    if (
        not isinstance(size, (tuple, list))
        or len(size) != 2
        or not all(isinstance(side, int) and not isinstance(side, bool) for side in size)
    ):
        raise UsageError(f"flower size {size!r} is not two whole numbers of pixels; use e.g. (1080, 1350)")
    width, height = size
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise UsageError(
            f"flower size {width}x{height} is out of range; each side must be {MIN_SIDE} to {MAX_SIDE} pixels"
        )
    return width, height


def _clamp01(value: float) -> float:
    return max(0.0, min(1.0, value))


# --- colours -------------------------------------------------------------------------------------------


def _bloom_colours(kind: Species, palette: str, rng: random.Random) -> list[BloomColors]:
    """The colours to cycle through for this picture's blooms, the main bloom's first."""
    if palette == "white-red-white":
        pair = [kind.white, kind.red]
        return pair if rng.random() < 0.5 else pair[::-1]
    return [rng.choice(kind.natural)]


# --- layout --------------------------------------------------------------------------------------------


def _hero(size: tuple[int, int], rng: random.Random) -> tuple[float, float, float]:
    """Where the main bloom goes and how big a standard bloom is, leaving calm room for the text:
    the top third of a portrait or square picture, one side of a landscape one."""
    width, height = size
    aspect = height / width
    if aspect >= 1.15:
        scale = 0.3 * width
        return width * (0.5 + rng.uniform(-0.05, 0.05)), max(height * 0.6, height * 0.34 + scale), scale
    if aspect >= 0.87:
        scale = 0.27 * min(width, height)
        return width * (0.5 + rng.uniform(-0.05, 0.05)), height * 0.63, scale
    scale = 0.36 * height
    side = 0.66 if rng.random() < 0.5 else 0.34
    return width * (side + rng.uniform(-0.03, 0.03)), height * 0.53, scale


def _head_at(
    kind: Species, centre: Point, radius: float, colors: BloomColors, rng: random.Random, lean: float | None = None
) -> _Bloom:
    """A bloom whose visual middle lands on `centre`; `lean` tilts a side-view head outwards."""
    if kind.side_view:
        angle, squash = rng.uniform(-0.12, 0.12) if lean is None else lean, 1.0
    else:
        angle, squash = rng.uniform(-0.4, 0.4), rng.uniform(0.8, 0.97)
    flip = rng.random() < 0.5 if lean is None else lean < 0
    bloom = _Bloom(0.0, 0.0, radius, colors, angle, squash, flip)
    offset = bloom.frame(1.0).point(*kind.centre)
    bloom.x, bloom.y = centre[0] - offset[0], centre[1] - offset[1]
    return bloom


def _attach(kind: Species, bloom: _Bloom) -> Point:
    return bloom.frame(1.0).point(*kind.attach)


def _plan_single(kind: Species, size: tuple[int, int], colours: list[BloomColors], rng: random.Random) -> _Plan:
    height = size[1]
    hx, hy, scale = _hero(size, rng)
    main = _head_at(kind, (hx, hy), scale * kind.size, colours[0], rng)
    top = _attach(kind, main)
    main.stem = stem_path(top, (top[0] + rng.uniform(-0.15, 0.15) * scale, height * 1.04), rng.uniform(-0.3, 0.3))
    main.leaves = rng.randint(*kind.leaves)
    echoes = _echoes(kind, size, colours, rng, [(hx, hy, scale * 1.1)], rng.randint(2, 4), scale * kind.size)
    return _Plan([main], echoes, (hx, hy), horizon=0.55, far_count=30)


def _plan_bouquet(kind: Species, size: tuple[int, int], colours: list[BloomColors], rng: random.Random) -> _Plan:
    height = size[1]
    hx, hy, scale = _hero(size, rng)
    count = rng.randint(3, 5) if kind.size > 1 else rng.randint(3, 7)
    radius_scale = scale * kind.size * (0.76 - 0.04 * count)
    spread = radius_scale * (0.75 + 0.28 * count) * (0.65 if kind.side_view else 1.0)
    centres = _scatter(rng, count, (hx, hy - scale * 0.1), spread, radius_scale * 1.35)
    gather = (hx + rng.uniform(-0.05, 0.05) * scale, min(max(c[1] for c in centres) + scale * 0.75, height * 0.87))
    blooms = []
    for k, centre in enumerate(sorted(centres, key=lambda c: c[1])):
        radius = radius_scale * rng.uniform(0.88, 1.08)
        lean = (centre[0] - hx) / spread * 0.3 if kind.side_view else None
        bloom = _head_at(kind, centre, radius, colours[k % len(colours)], rng, lean)
        top = _attach(kind, bloom)
        through = stem_path(top, gather, rng.uniform(-0.15, 0.15), 24)
        below = (gather[0] + (top[0] - hx) * 0.12, height * 1.05)
        bloom.stem = through + stem_path(gather, below, 0.0, 8)[1:]
        blooms.append(bloom)
    fillers = []
    leafy = 0.75 if kind.leaf.from_ground else 1.0  # long-leaved plants bring plenty of their own
    for k in range(rng.randint(2, 4) if kind.leaf.from_ground else rng.randint(4, 7)):
        angle = -math.pi / 2 + (k / 3 - 1) * 0.75 + rng.uniform(-0.2, 0.2)
        fillers.append((gather, angle, (gather[1] - hy + spread) * rng.uniform(0.75, 1.0) * leafy))
    taken = [(b.x, b.y, b.radius) for b in blooms]
    echoes = _echoes(kind, size, colours, rng, taken, rng.randint(1, 3), scale * kind.size * 0.85)
    focus = (sum(b.x for b in blooms) / count, sum(b.y for b in blooms) / count)
    return _Plan(blooms, echoes, focus, horizon=0.6, far_count=20, ribbon=(gather, scale * 0.42), fillers=fillers)


def _plan_meadow(kind: Species, size: tuple[int, int], colours: list[BloomColors], rng: random.Random) -> _Plan:
    width, height = size
    hx, hy, scale = _hero(size, rng)
    horizon = 0.46 if height >= width else 0.42
    main = _head_at(kind, (hx, hy), scale * kind.size * 0.66, colours[0], rng)
    main.stem = stem_path(_attach(kind, main), (main.x, height * 1.04), rng.uniform(-0.25, 0.25))
    main.leaves = rng.randint(*kind.leaves)
    front = [main]
    columns = _echo_columns(size, hx)
    for k in range(rng.randint(1, 3)):
        radius = scale * kind.size * rng.uniform(0.36, 0.5)
        for _ in range(30):
            x = rng.uniform(*columns) * width
            y = hy + rng.uniform(0.1, 0.9) * scale
            if all(math.hypot(x - b.x, y - b.y) > (b.radius + radius) * 0.95 for b in front):
                break
        bloom = _head_at(kind, (x, y), radius, colours[(k + 1) % len(colours)], rng)
        bloom.stem = stem_path(_attach(kind, bloom), (bloom.x, height * 1.04), rng.uniform(-0.3, 0.3))
        bloom.leaves = rng.randint(0, 1)
        front.append(bloom)
    middle = []
    for k in range(rng.randint(14, 22)):
        depth = rng.random()
        y = height * (horizon + 0.03 + depth * (0.76 - horizon))
        radius = scale * kind.size * (0.08 + 0.24 * depth) * rng.uniform(0.85, 1.15)
        bloom = _head_at(kind, (rng.uniform(-0.02, 1.02) * width, y), radius, colours[k % len(colours)], rng)
        bloom.stem = stem_path(_attach(kind, bloom), (bloom.x, height * 1.04), rng.uniform(-0.2, 0.2), 16)
        middle.append(bloom)
    middle.sort(key=lambda b: b.y)
    front.sort(key=lambda b: b.y)
    return _Plan(front, middle, (hx, hy), horizon=horizon, far_count=160, grass=True)


def _echoes(
    kind: Species,
    size: tuple[int, int],
    colours: list[BloomColors],
    rng: random.Random,
    taken: list[tuple[float, float, float]],
    count: int,
    largest: float,
) -> list[_Bloom]:
    """Out-of-focus blooms behind the main ones, in the other colour of a two-colour palette."""
    height = size[1]
    columns = _echo_columns(size, sum(t[0] for t in taken) / len(taken))
    echoes: list[_Bloom] = []
    for k in range(count):
        radius = largest * rng.uniform(0.3, 0.5)
        x, y = _free_spot(rng, size, taken + [(e.x, e.y, e.radius) for e in echoes], radius, columns, (0.45, 0.9))
        echo = _head_at(kind, (x, y), radius, colours[(k + 1) % len(colours)], rng)
        bottom = (x + rng.uniform(-0.2, 0.2) * radius, height * 1.04)
        echo.stem = stem_path(_attach(kind, echo), bottom, rng.uniform(-0.3, 0.3))
        echoes.append(echo)
    return echoes


def _echo_columns(size: tuple[int, int], hero_x: float) -> tuple[float, float]:
    """Where background blooms may go across the width: anywhere, except in a landscape picture, whose far
    side from the main bloom is kept for the text."""
    width, height = size
    if height / width >= 0.87:
        return (0.04, 0.96)
    return (0.45, 0.98) if hero_x > width / 2 else (0.02, 0.55)


def _free_spot(
    rng: random.Random,
    size: tuple[int, int],
    taken: list[tuple[float, float, float]],
    radius: float,
    columns: tuple[float, float],
    band: tuple[float, float],
) -> Point:
    """A place for a bloom of `radius` within `columns` and `band` (fractions of the width and height), as
    far from the `taken` circles (x, y, radius) as a few tries can find."""
    width, height = size
    best, best_room = (width / 2, height * band[1]), -math.inf
    for _ in range(24):
        x, y = rng.uniform(*columns) * width, rng.uniform(*band) * height
        room = min(math.hypot(x - tx, y - ty) - tr - radius for tx, ty, tr in taken)
        if room > best_room:
            best, best_room = (x, y), room
        if room > 0:
            break
    return best


def _scatter(rng: random.Random, count: int, centre: Point, spread: float, gap: float) -> list[Point]:
    """`count` points in an upturned dome around `centre`, no two closer than `gap` (when there is room)."""
    points = [centre]
    while len(points) < count:
        best, best_gap = centre, -1.0
        for _ in range(24):
            angle = rng.uniform(math.pi * 0.9, math.pi * 2.1)
            r = spread * math.sqrt(rng.uniform(0.25, 1.0))
            candidate = (centre[0] + math.cos(angle) * r, centre[1] + math.sin(angle) * r * 0.75 + spread * 0.15)
            nearest = min(math.hypot(candidate[0] - p[0], candidate[1] - p[1]) for p in points)
            if nearest > best_gap:
                best, best_gap = candidate, nearest
            if nearest >= gap:
                break
        points.append(best)
    return points


_PLANNERS = {"single": _plan_single, "bouquet": _plan_bouquet, "meadow": _plan_meadow}


# --- painting ------------------------------------------------------------------------------------------


def _paint(
    kind: Species,
    plan: _Plan,
    size: tuple[int, int],
    mood: Mood,
    colours: list[BloomColors],
    palette: str,
    rng: random.Random,
    record: bool = False,
):
    """The finished picture; when recording, also its backdrop, middle layer and front pieces."""
    far_colours = [c.body for c in colours] + [c.edge for c in colours]
    backdrop = paint_backdrop(size, mood, rng, plan.horizon, far_colours, plan.far_count).convert("RGBA")
    image = backdrop.copy() if record else backdrop
    middle = _paint_middle(kind, plan, size, mood, rng)
    image.alpha_composite(middle)
    front, pieces = _paint_front(kind, plan, size, mood, palette, rng, record)
    image.alpha_composite(front)
    return vignette(image.convert("RGB"), mood.vignette), backdrop, middle, pieces


def _paint_middle(kind: Species, plan: _Plan, size: tuple[int, int], mood: Mood, rng: random.Random) -> Image.Image:
    """Blooms behind the focal plane: painted at half size and blurred, as a lens would show them."""
    width, height = size
    scale = 0.5
    layer = Image.new("RGBA", (max(1, round(width * scale)), max(1, round(height * scale))), (0, 0, 0, 0))
    haze = mood.sky[len(mood.sky) // 2][1]
    if plan.grass:
        _paint_grass_band(layer, rng, plan.horizon + 0.03, mood, dense=True)
    with sketchy():
        for bloom in plan.middle:
            _paint_plant(layer, scale, kind, bloom, _hazed(bloom.colors, haze, 0.2), mood, rng)
    layer = depth_blur(layer, max(0.6, width * scale * 0.009))
    return layer.resize(size, Image.Resampling.BICUBIC)


def _paint_front(
    kind: Species, plan: _Plan, size: tuple[int, int], mood: Mood, palette: str, rng: random.Random,
    record: bool = False,
) -> tuple[Image.Image, list[Piece]]:
    """The sharp flowers, drawn at twice the size and reduced so every edge is smooth (and, when recording,
    taken apart into pieces as they are painted)."""
    width, height = size
    scale = 2 if width * height <= _SUPERSAMPLE_UP_TO else 1
    layer = Image.new("RGBA", (width * scale, height * scale), (0, 0, 0, 0))
    recorder = PieceRecorder(layer, scale) if record else None
    with recording(recorder):
        _paint_front_layer(layer, scale, kind, plan, mood, palette, rng, _marker(recorder))
    pieces = recorder.finish() if recorder else []
    return (layer.reduce(scale) if scale > 1 else layer), pieces


def _marker(recorder: PieceRecorder | None):
    return recorder.mark if recorder else (lambda *args, **kwargs: None)


def _paint_front_layer(layer, scale, kind: Species, plan: _Plan, mood: Mood, palette: str, rng: random.Random,
                       mark) -> None:
    for (bx, by), angle, length in plan.fillers:
        mark("filler", -1, (bx, by))
        greenery = kind.leaf if kind.leaf.kind in ("feather", "compound") or kind.leaf.width < 0.15 else _BOUQUET_LEAF
        paint_leaf(
            layer,
            (bx * scale, by * scale),
            angle,
            length * scale * (0.6 if greenery.kind == "compound" else 1.0),
            greenery,
            leaf_color(greenery, mood, rng),
            rng,
        )
    for index, bloom in enumerate(plan.front):
        _paint_stem_and_leaves(layer, scale, kind, bloom, mood, rng,
                               lambda kind_, anchor, region: mark(kind_, index, anchor, region))
    if plan.ribbon is not None:
        (kx, ky), ribbon_size = plan.ribbon
        mark("ribbon", -1, (kx, ky))
        paint_ribbon(layer, (kx * scale, ky * scale), ribbon_size * scale, _RIBBONS[palette], rng)
    for index, bloom in enumerate(plan.front):
        centre, reach = bloom.frame(1.0).point(*kind.centre), bloom.radius * 1.3
        mark("head", index, centre, (centre[0] - reach, centre[1] - reach, centre[0] + reach, centre[1] + reach))
        kind.painter(layer, bloom.frame(scale), bloom.colors, rng)
    if plan.grass:
        mark("grass", -1, (layer.width / scale / 2, layer.height / scale))
        _paint_grass_band(layer, rng, 0.84, mood, dense=False)


def _paint_plant(
    layer: Image.Image, scale: float, kind: Species, bloom: _Bloom, colors: BloomColors, mood: Mood, rng: random.Random
) -> None:
    _paint_stem_and_leaves(layer, scale, kind, bloom, mood, rng)
    frame = bloom.frame(scale)
    kind.painter(layer, frame, colors, rng)


def _paint_stem_and_leaves(
    layer: Image.Image, scale: float, kind: Species, bloom: _Bloom, mood: Mood, rng: random.Random, mark=None
) -> None:
    if not bloom.stem:
        return
    path = [(x * scale, y * scale) for x, y in bloom.stem]
    radius = bloom.radius * scale
    stem_colour = (
        leaf_color(kind.leaf, mood, rng) if kind.leaf.from_ground else mix(kind.stem, (0, 0, 0), 1 - mood.daylight)
    )
    mark = mark or (lambda kind_, anchor, region: None)
    if kind.leaf.from_ground:
        _ground_leaves(layer, kind, bloom, path, radius, mood, rng, mark)
    else:
        _stem_leaves(layer, kind, bloom, path, radius, mood, rng, mark)
    reach = bloom.radius * max(kind.stem_width, 0.05) * 2
    xs, ys = [x for x, _ in bloom.stem], [y for _, y in bloom.stem]
    mark("stem", bloom.stem[-1], (min(xs) - reach, min(ys) - reach, max(xs) + reach, max(ys) + reach))
    paint_stem(layer, path, max(1.0, radius * kind.stem_width), stem_colour)


def _stem_leaves(
    layer: Image.Image, kind: Species, bloom: _Bloom, path: list[Point], radius: float, mood: Mood, rng: random.Random,
    mark,
) -> None:
    side = rng.choice((-1, 1))
    for k in range(bloom.leaves):
        t = rng.uniform(0.3, 0.55) + 0.2 * k
        index = min(len(path) - 2, max(1, round(t * (len(path) - 1))))
        (ax, ay), (bx, by) = path[index], path[index - 1]
        upward = math.atan2(by - ay, bx - ax)
        angle = upward + side * rng.uniform(0.55, 0.95)
        length = radius * kind.leaf.length * rng.uniform(0.8, 1.1)
        mark("leaf", bloom.stem[index], _around(bloom.stem[index], length / _scale_of(path, bloom) * 1.3))
        paint_leaf(layer, path[index], angle, length, kind.leaf, leaf_color(kind.leaf, mood, rng), rng)
        side = -side


def _scale_of(path: list[Point], bloom: _Bloom) -> float:
    """How many layer pixels an output pixel is (the front layer is supersampled)."""
    return path[-1][1] / bloom.stem[-1][1] if bloom.stem[-1][1] else 1.0


def _around(point: Point, reach: float) -> tuple[float, float, float, float]:
    return (point[0] - reach, point[1] - reach, point[0] + reach, point[1] + reach)


def _ground_leaves(
    layer: Image.Image, kind: Species, bloom: _Bloom, path: list[Point], radius: float, mood: Mood, rng: random.Random,
    mark,
) -> None:
    """Long leaves rising from below the picture beside the stem (tulips, lilies of the valley)."""
    bottom = path[-1]
    for k in range(bloom.leaves):
        side = -1 if k % 2 == 0 else 1
        base = (bottom[0] + side * radius * rng.uniform(0.0, 0.15), bottom[1] + radius * 0.1)
        angle = -math.pi / 2 + side * rng.uniform(0.2, 0.4)
        length = radius * kind.leaf.length * rng.uniform(0.8, 1.05)
        bend = side * rng.uniform(0.1, 0.3)
        mark("leaf", bloom.stem[-1], _around(bloom.stem[-1], length / _scale_of(path, bloom) * 1.3))
        paint_leaf(layer, base, angle, length, kind.leaf, leaf_color(kind.leaf, mood, rng), rng, bend)


def _paint_grass_band(layer: Image.Image, rng: random.Random, top: float, mood: Mood, dense: bool) -> None:
    width, height = layer.size
    count = 70 if dense else 14
    region = (-0.05 * width, top * height, 1.05 * width, height * 1.02)
    blade = max(1.0, width * (0.0035 if dense else 0.004))
    paint_grass(layer, rng, region, count, blade, mood.foliage)


def _hazed(colors: BloomColors, haze: Color, amount: float) -> BloomColors:
    """Colours seen through a little air: distant flowers fade towards the sky."""

    def fade(c: Color) -> Color:
        return mix(c, haze, amount)

    return BloomColors(
        colors.name,
        fade(colors.base),
        fade(colors.body),
        fade(colors.edge),
        fade(colors.centre),
        fade(colors.centre_light),
        fade(colors.accent),
    )


# --- words ---------------------------------------------------------------------------------------------


def _describe(kind: Species, composition: str, palette: str, mood: Mood, plan: _Plan) -> str:
    if composition == "single":
        main = plan.front[0]
        subject = _with_article(kind.singular.format(main.colors.name))
        others = sorted({b.colors.name for b in plan.middle} - {main.colors.name})
        if palette == "white-red-white" and others:
            return f"{subject} with {' and '.join(others)} ones behind it, {mood.phrase}"
        return f"{subject} {mood.phrase}"
    colours = " and ".join(sorted({b.colors.name for b in plan.front}, key=_flag_order))
    if composition == "bouquet":
        count = _COUNT_WORDS.get(len(plan.front), str(len(plan.front)))
        ribbon = "a white-red-white ribbon" if palette == "white-red-white" else "a linen ribbon"
        return f"a bouquet of {count} {kind.plural.format(colours)} tied with {ribbon}, {mood.phrase}"
    return f"a meadow of {kind.plural.format(colours)} {mood.phrase}"


def _with_article(phrase: str) -> str:
    return f"{'an' if phrase[0] in 'aeiou' else 'a'} {phrase}"


def _flag_order(colour: str) -> tuple[int, str]:
    """White before red, as the flag reads; any other colour after them."""
    return ({"white": 0, "red": 1}.get(colour, 2), colour)
