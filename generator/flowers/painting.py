"""Drawing helpers shared by the flower painter: colours, curves, shaded shapes, tubes and soft light.

Everything here draws with plain Pillow operations on small patches, so a whole picture stays well under a
second. Coordinates are layer pixels unless a `Frame` maps them from a bloom's own unit space.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from PIL import Image, ImageChops, ImageDraw, ImageFilter

Point = tuple[float, float]
Color = tuple[int, int, int]

LIGHT_DIRECTION: Point = (-0.55, -0.83)  # light comes from the upper left in every picture
LIGHT_ANGLE = math.atan2(LIGHT_DIRECTION[1], LIGHT_DIRECTION[0])

_SKETCHY: ContextVar[bool] = ContextVar("sketchy", default=False)
# Set while generator.flowers.pieces records a picture piece by piece (for animation); None otherwise.
PIECE_RECORDER: ContextVar[object | None] = ContextVar("piece_recorder", default=None)


@contextmanager
def sketchy() -> Iterator[None]:
    """Paint without fine detail (shadows, veins) inside this block: for layers that get blurred anyway."""
    token = _SKETCHY.set(True)
    try:
        yield
    finally:
        _SKETCHY.reset(token)


# --- colours -------------------------------------------------------------------------------------------


def mix(a: Color, b: Color, t: float) -> Color:
    """The colour a fraction `t` of the way from `a` to `b`."""
    t = max(0.0, min(1.0, t))
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def shade(color: Color, amount: float) -> Color:
    """Darker (amount < 0, towards black) or lighter (amount > 0, towards white)."""
    return mix(color, (0, 0, 0), -amount) if amount < 0 else mix(color, (255, 255, 255), amount)


def with_alpha(color: Color, alpha: float) -> tuple[int, int, int, int]:
    return (*color, round(max(0.0, min(1.0, alpha)) * 255))


def luminance(color: Color) -> float:
    """Relative luminance (WCAG) of an sRGB colour, 0..1."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# --- geometry ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """Maps a bloom's unit space (centre at 0,0, radius 1, y down) onto layer pixels."""

    x: float
    y: float
    radius: float
    angle: float = 0.0  # radians, clockwise on screen
    squash: float = 1.0  # < 1 tilts the bloom away from the viewer
    flip: bool = False  # mirror left and right

    def point(self, px: float, py: float) -> Point:
        px = -px if self.flip else px
        py *= self.squash
        cos_a, sin_a = math.cos(self.angle), math.sin(self.angle)
        return (self.x + (px * cos_a - py * sin_a) * self.radius, self.y + (px * sin_a + py * cos_a) * self.radius)

    def points(self, pts: Iterable[Point]) -> list[Point]:
        return [self.point(px, py) for px, py in pts]

    def length(self, units: float) -> float:
        return units * self.radius

    def light_on(self, local_angle: float) -> float:
        """How squarely a petal pointing at `local_angle` faces the light: -1 (away) to 1 (towards)."""
        angle = (math.pi - local_angle if self.flip else local_angle) + self.angle
        return math.cos(angle - LIGHT_ANGLE)

    def scaled(self, factor: float) -> Frame:
        """The same bloom on a layer `factor` times as large."""
        return Frame(self.x * factor, self.y * factor, self.radius * factor, self.angle, self.squash, self.flip)


def polar(angle: float, radius: float, centre: Point = (0.0, 0.0)) -> Point:
    return (centre[0] + math.cos(angle) * radius, centre[1] + math.sin(angle) * radius)


def lerp_point(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def cubic_bezier(p0: Point, p1: Point, p2: Point, p3: Point, steps: int = 24) -> list[Point]:
    """Points along a cubic Bézier curve, both ends included."""
    out = []
    for i in range(steps + 1):
        t = i / steps
        u = 1 - t
        a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
        out.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    return out


def rotate(pts: Iterable[Point], angle: float, about: Point = (0.0, 0.0)) -> list[Point]:
    cos_a, sin_a = math.cos(angle), math.sin(angle)
    ax, ay = about
    return [(ax + (x - ax) * cos_a - (y - ay) * sin_a, ay + (x - ax) * sin_a + (y - ay) * cos_a) for x, y in pts]


def shrink_towards(pts: Sequence[Point], core: Point, factor: float) -> list[Point]:
    cx, cy = core
    return [(cx + (x - cx) * factor, cy + (y - cy) * factor) for x, y in pts]


def blade_outline(
    length: float, width: float, profile: Sequence[tuple[float, float]] | None = None, steps: int = 20
) -> list[Point]:
    """A petal or leaf pointing along +x from the origin: half-widths follow `profile` (t, fraction) pairs,
    or a smooth almond shape when none is given. Returns the closed outline, left side then right side."""
    half_widths = [_profile_at(profile, i / steps) * width / 2 for i in range(steps + 1)]
    left = [(length * i / steps, -w) for i, w in enumerate(half_widths)]
    right = [(length * i / steps, w) for i, w in enumerate(half_widths)]
    return left + right[::-1]


def _profile_at(profile: Sequence[tuple[float, float]] | None, t: float) -> float:
    if profile is None:
        return math.sin(math.pi * min(1.0, t)) ** 0.75 if 0 < t < 1 else 0.0
    for (t0, w0), (t1, w1) in pairwise(profile):
        if t0 <= t <= t1:
            f = (t - t0) / (t1 - t0) if t1 > t0 else 0.0
            f = f * f * (3 - 2 * f)  # smoothstep keeps the outline free of kinks
            return w0 + (w1 - w0) * f
    return profile[-1][1]


def thick_path(path: Sequence[Point], widths: Sequence[float]) -> list[Point]:
    """The outline of a stroke of varying width along `path` (one width per point)."""
    left, right = [], []
    for i, (x, y) in enumerate(path):
        ax, ay = path[max(0, i - 1)]
        bx, by = path[min(len(path) - 1, i + 1)]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / norm, dx / norm
        half = widths[i] / 2
        left.append((x + nx * half, y + ny * half))
        right.append((x - nx * half, y - ny * half))
    return left + right[::-1]


def offset_path(path: Sequence[Point], distance: float) -> list[Point]:
    """`path` moved sideways by `distance` (positive = to the left of the direction of travel)."""
    return thick_path(path, [2 * distance] * len(path))[: len(path)]


# --- painting ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stroke:
    """A line drawn inside a shape: points in layer pixels, an RGBA colour, a width in pixels."""

    points: Sequence[Point]
    color: tuple[int, int, int, int]
    width: float


@dataclass(frozen=True)
class Shading:
    """How a shape is coloured: `core` at its core point, fading to `edge` at its outline."""

    core: Color
    edge: Color
    falloff: float = 1.0  # > 1 keeps the core colour close to the core point
    rim: Color | None = None  # a soft line along the outline (a rolled or lit edge)
    rim_width: float = 0.0  # in pixels
    shadow: float = 0.3  # opacity of the soft shadow the shape casts on what lies beneath it
    softness: float = 0.0  # blur of the colour bands, in pixels (0 = automatic)


def paint_shape(
    layer: Image.Image,
    outline: Sequence[Point],
    core: Point,
    shading: Shading,
    under: Sequence[Stroke] = (),
    over: Sequence[Stroke] = (),
    steps: int = 9,
) -> None:
    """Paint a filled, shaded shape onto the RGBA `layer`.

    The gradient comes from nested copies of the outline shrunk towards `core`, blurred into one smooth
    fade; `under` strokes are softened with it (sheens, folds), `over` strokes stay crisp (veins, spots).
    """
    recorder = PIECE_RECORDER.get()
    if recorder is not None:
        recorder.split()  # every shaded shape (a petal, a floret, a disc) starts a piece of its own
    if _SKETCHY.get():
        over, steps, shading = (), 5, Shading(shading.core, shading.edge, shading.falloff, shadow=0.0)
    extent = _extent(outline)
    reach = _shadow_reach(extent)
    box = _patch_box(layer, outline, margin=shading.rim_width + 3 + reach * 2.5)
    if box is None:
        return
    left, top, right, bottom = box
    size = (right - left, bottom - top)
    local = [(x - left, y - top) for x, y in outline]
    local_core = (core[0] - left, core[1] - top)

    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).polygon(local, fill=255)

    # The fade is smooth, so it is painted and blurred at a fraction of the size and enlarged: much faster.
    factor = _working_factor(extent)
    small = (max(1, math.ceil(size[0] / factor)), max(1, math.ceil(size[1] / factor)))
    small_local = [(x / factor, y / factor) for x, y in local]
    small_core = (local_core[0] / factor, local_core[1] / factor)
    colour = Image.new("RGB", small, shading.edge)
    draw = ImageDraw.Draw(colour, "RGBA")
    for k in range(1, steps):
        t = k / steps
        draw.polygon(
            shrink_towards(small_local, small_core, 1 - t), fill=mix(shading.edge, shading.core, t**shading.falloff)
        )
    if shading.rim is not None and shading.rim_width > 0:
        draw.line(
            [*small_local, small_local[0]],
            fill=shading.rim,
            width=max(1, round(shading.rim_width / factor)),
            joint="curve",
        )
    _draw_strokes(draw, under, left, top, factor)
    softness = shading.softness or max(1.0, extent / (steps * 1.6))
    colour = _enlarge(colour.filter(ImageFilter.GaussianBlur(softness / factor)), size, factor)
    _draw_strokes(ImageDraw.Draw(colour, "RGBA"), over, left, top)

    if shading.shadow > 0:
        _cast_shadow(layer, mask, (left, top), shading.shadow, reach)
    # The mask's edge is hard (the layer is supersampled), so a masked paste is an exact "over".
    layer.paste(colour, (left, top), mask)


def _working_factor(extent: float) -> int:
    """How much smaller than full size the soft parts of a shape can be painted without showing."""
    return 4 if extent > 160 else 2


def _enlarge(image: Image.Image, size: tuple[int, int], factor: int) -> Image.Image:
    """Back to `size` from 1/`factor` of it: smoothly up to half size, then by plain pixel doubling, which
    the supersampled layer's final halving undoes exactly (patches start on even pixels)."""
    half = ((size[0] + 1) // 2, (size[1] + 1) // 2)
    if image.size != half:
        image = image.resize(half, Image.Resampling.BILINEAR)
    doubled = image.resize((half[0] * 2, half[1] * 2), Image.Resampling.NEAREST)
    return doubled if doubled.size == size else doubled.crop((0, 0, *size))


def paint_tube(layer: Image.Image, path: Sequence[Point], widths: Sequence[float], color: Color) -> None:
    """A rounded stem: darker on the side away from the light, lighter towards it, in fine bands
    (drawn straight onto the layer; at stem widths the bands read as a smooth roll)."""
    draw = ImageDraw.Draw(layer)
    draw.polygon(thick_path(path, widths), fill=(*shade(color, -0.45), 255))
    mean_width = sum(widths) / len(widths)
    lit_side = _lit_side(path)
    bands = 7
    for k in range(1, bands):
        fraction = 1 - k / bands
        shifted = offset_path(path, lit_side * (1 - fraction) * 0.32 * mean_width)
        tone = shade(color, -0.45 + 0.85 * (k / (bands - 1)) ** 1.3) if k < bands - 1 else shade(color, 0.45)
        draw.line(shifted, fill=(*tone, 255), width=max(1, round(mean_width * fraction)), joint="curve")


def _lit_side(path: Sequence[Point]) -> float:
    """+1 when the left of the path's direction faces the light, else -1."""
    (ax, ay), (bx, by) = path[0], path[-1]
    nx, ny = -(by - ay), bx - ax
    return 1.0 if nx * LIGHT_DIRECTION[0] + ny * LIGHT_DIRECTION[1] > 0 else -1.0


def _draw_strokes(draw: ImageDraw.ImageDraw, strokes: Sequence[Stroke], left: int, top: int, factor: int = 1) -> None:
    for stroke in strokes:
        pts = [((x - left) / factor, (y - top) / factor) for x, y in stroke.points]
        if len(pts) >= 2:
            draw.line(pts, fill=stroke.color, width=max(1, round(stroke.width / factor)), joint="curve")


def _patch_box(layer: Image.Image, outline: Sequence[Point], margin: float) -> tuple[int, int, int, int] | None:
    xs = [p[0] for p in outline]
    ys = [p[1] for p in outline]
    left = max(0, math.floor(min(xs) - margin) // 2 * 2)
    top = max(0, math.floor(min(ys) - margin) // 2 * 2)
    right = min(layer.width, math.ceil(max(xs) + margin))
    bottom = min(layer.height, math.ceil(max(ys) + margin))
    if right - left < 2 or bottom - top < 2:
        return None
    return left, top, right, bottom


def _extent(outline: Sequence[Point]) -> float:
    """The smaller side of the outline's bounding box: a shape's thickness, roughly."""
    xs = [p[0] for p in outline]
    ys = [p[1] for p in outline]
    return max(4.0, min(max(xs) - min(xs), max(ys) - min(ys)))


def _shadow_reach(extent: float) -> float:
    return max(1.5, extent * 0.05)


def _cast_shadow(layer: Image.Image, mask: Image.Image, origin: tuple[int, int], opacity: float, reach: float) -> None:
    """Darken what already lies under a shape, a little down-right of it, never the empty background."""
    box = (origin[0], origin[1], origin[0] + mask.width, origin[1] + mask.height)
    beneath = layer.crop(box).getchannel("A")
    if beneath.getbbox() is None:
        return  # nothing painted there yet: the shadow would fall on empty air
    factor = 4 if reach > 6 else 2
    small = mask.reduce(factor)
    shifted = Image.new("L", small.size, 0)
    shift = (round(-LIGHT_DIRECTION[0] * reach / factor), round(-LIGHT_DIRECTION[1] * reach / factor))
    shifted.paste(small, shift)
    softened = shifted.filter(ImageFilter.GaussianBlur(reach / factor)).point(_scaling_table(opacity))
    softened = _enlarge(softened, mask.size, factor)
    layer.paste(_SHADOW, box, ImageChops.multiply(softened, beneath))


@cache
def _scaling_table(factor: float) -> list[int]:
    return [round(v * factor) for v in range(256)]


_SHADOW = (20, 8, 12, 255)


def paint_soft_shadow(layer: Image.Image, outline: Sequence[Point], opacity: float, reach: float) -> None:
    """A soft shadow in the shape of `outline`, falling only on what is already painted."""
    box = _patch_box(layer, outline, margin=reach * 3)
    if box is None:
        return
    left, top, right, bottom = box
    mask = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(mask).polygon([(x - left, y - top) for x, y in outline], fill=255)
    _cast_shadow(layer, mask, (left, top), opacity, reach)


def paint_dots(
    layer: Image.Image, centres: Iterable[Point], radius: float, color: tuple[int, int, int, int], squash: float = 1.0
) -> None:
    draw = ImageDraw.Draw(layer, "RGBA")
    for x, y in centres:
        draw.ellipse((x - radius, y - radius * squash, x + radius, y + radius * squash), fill=color)


# --- whole-picture effects -----------------------------------------------------------------------------


def vertical_gradient(size: tuple[int, int], stops: Sequence[tuple[float, Color]]) -> Image.Image:
    """An RGB image fading through `stops` (position 0..1 from the top, colour), smooth at any size."""
    width, height = size
    column = Image.new("RGB", (1, 256))
    for y in range(256):
        column.putpixel((0, y), _colour_at(stops, y / 255))
    return column.resize((width, height), Image.Resampling.BICUBIC)


def _colour_at(stops: Sequence[tuple[float, Color]], t: float) -> Color:
    if t <= stops[0][0]:
        return stops[0][1]
    for (t0, c0), (t1, c1) in pairwise(stops):
        if t0 <= t <= t1:
            return mix(c0, c1, (t - t0) / (t1 - t0) if t1 > t0 else 0.0)
    return stops[-1][1]


def radial_mask(size: tuple[int, int], centre: Point, radius: float) -> Image.Image:
    """An L mask: 255 at `centre` fading smoothly to 0 at `radius` pixels."""
    # Pillow's radial gradient is 256 px wide and reaches 181 at its edge midpoints (radius 128).
    disc = Image.radial_gradient("L").point(lambda v: round(255 * (1 - min(1.0, v / 181)) ** 2))
    diameter = max(2, round(radius * 2))
    disc = disc.resize((diameter, diameter), Image.Resampling.BILINEAR)
    out = Image.new("L", size, 0)
    out.paste(disc, (round(centre[0] - radius), round(centre[1] - radius)))
    return out


def glow(image: Image.Image, centre: Point, radius: float, color: Color, strength: float) -> Image.Image:
    """`image` lit by a soft round light (screen-like: it brightens, never darkens)."""
    mask = radial_mask(image.size, centre, radius).point(lambda v: round(v * strength))
    lit = Image.composite(Image.new("RGB", image.size, color), image, mask)
    return ImageChops.lighter(image, lit)


def vignette(image: Image.Image, strength: float, color: Color = (0, 0, 0)) -> Image.Image:
    """Darken the corners gently, which pulls the eye to the middle like a lens does."""
    return Image.composite(Image.new("RGB", image.size, color), image, vignette_mask(image.size, strength))


def vignette_mask(size: tuple[int, int], strength: float) -> Image.Image:
    """How much `vignette` darkens each pixel (an L mask)."""
    small = Image.radial_gradient("L").resize((64, 64), Image.Resampling.BILINEAR)
    curve = small.point(lambda v: round(max(0.0, (v / 255 - 0.45) / 0.75) ** 1.6 * 255 * strength))
    return curve.resize(size, Image.Resampling.BICUBIC)
