"""Everything around the blooms: the soft background, stems, leaves, grass and a bouquet's ribbon."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

from generator.flowers.painting import (
    Color,
    Point,
    Shading,
    Stroke,
    blade_outline,
    cubic_bezier,
    glow,
    mix,
    paint_shape,
    paint_tube,
    rotate,
    shade,
    thick_path,
    vertical_gradient,
    with_alpha,
)


@dataclass(frozen=True)
class Mood:
    """The light and background of a picture."""

    name: str
    phrase: str  # ends the description: "a blue cornflower in soft morning light"
    sky: tuple[tuple[float, Color], ...]  # vertical gradient stops, top to bottom
    foliage: tuple[Color, ...]  # the blurred greenery behind the flowers
    bokeh: tuple[Color, ...]
    glow_color: Color
    glow_at: Point  # fractions of width and height
    glow_strength: float
    vignette: float
    daylight: float  # 1 = leaves and stems in full light, lower in the dusk
    dark: bool


@dataclass(frozen=True)
class LeafStyle:
    kind: str  # "blade" (one simple leaf), "feather" (finely divided), "compound" (leaflets on a stalk)
    length: float  # in bloom radii
    width: float  # fraction of the length
    profile: tuple[tuple[float, float], ...]
    teeth: int = 0  # serrations along each side
    lobes: int = 0  # deep lobes along each side
    color: Color = (86, 128, 64)
    from_ground: bool = False  # tulips and lilies of the valley: long leaves rise from the soil


# --- background ----------------------------------------------------------------------------------------


def paint_backdrop(
    size: tuple[int, int],
    mood: Mood,
    rng: random.Random,
    horizon: float,
    far_flowers: Sequence[Color],
    far_count: int,
) -> Image.Image:
    """The out-of-focus world behind the flowers, painted small and enlarged (it is all blur anyway)."""
    width, height = size
    factor = 4
    small = (max(8, width // factor), max(8, height // factor))
    sw, sh = small
    image = vertical_gradient(small, mood.sky).convert("RGBA")
    masses = Image.new("RGBA", small, (0, 0, 0, 0))
    draw = ImageDraw.Draw(masses, "RGBA")
    for _ in range(28):
        cx = rng.uniform(-0.1, 1.1) * sw
        cy = (horizon + rng.uniform(0.0, 1.0) ** 0.7 * (1.05 - horizon)) * sh
        rx = rng.uniform(0.08, 0.22) * sw
        ry = rx * rng.uniform(0.4, 0.8)
        colour = shade(rng.choice(mood.foliage), rng.uniform(-0.15, 0.1))
        draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=with_alpha(colour, rng.uniform(0.35, 0.7)))
    for _ in range(far_count):
        depth = rng.random() ** 1.6
        cy = (horizon + 0.02 + depth * (1.0 - horizon)) * sh
        cx = rng.uniform(0, 1) * sw
        r = (0.004 + depth * 0.02) * sw
        colour = rng.choice(far_flowers)
        draw.ellipse((cx - r, cy - r * 0.7, cx + r, cy + r * 0.7), fill=with_alpha(colour, rng.uniform(0.5, 0.9)))
    masses = _soft(masses, sw * 0.025)
    image.alpha_composite(masses)
    image.alpha_composite(_bokeh(small, mood, rng, horizon))
    rgb = image.convert("RGB")
    rgb = glow(
        rgb, (mood.glow_at[0] * sw, mood.glow_at[1] * sh), max(sw, sh) * 0.75, mood.glow_color, mood.glow_strength
    )
    rgb = rgb.filter(ImageFilter.GaussianBlur(sw * 0.004))
    return rgb.resize(size, Image.Resampling.BICUBIC)


def _bokeh(size: tuple[int, int], mood: Mood, rng: random.Random, horizon: float) -> Image.Image:
    """Out-of-focus highlights: soft discs with a slightly brighter rim, like a real lens draws them."""
    width, height = size
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer, "RGBA")
    for _ in range(rng.randint(14, 24)):
        y = rng.uniform(0.0, 1.0) ** 1.3 * horizon * 1.35
        r = rng.uniform(0.015, 0.06) * width
        x = rng.uniform(0, 1) * width
        calm = 0.45 if y < 0.33 else 1.0  # keep the usual text area quiet
        alpha = rng.uniform(0.06, 0.2) * calm
        colour = rng.choice(mood.bokeh)
        box = (x - r, y * height - r, x + r, y * height + r)
        draw.ellipse(
            box, fill=with_alpha(colour, alpha), outline=with_alpha(colour, alpha * 1.6), width=max(1, round(r * 0.12))
        )
    return _soft(layer, max(0.6, width * 0.003))


def _soft(layer: Image.Image, radius: float) -> Image.Image:
    """Blur an RGBA layer without dark fringes (blurring premultiplied colour)."""
    return layer.convert("RGBa").filter(ImageFilter.GaussianBlur(radius)).convert("RGBA")


def depth_blur(layer: Image.Image, radius: float) -> Image.Image:
    return _soft(layer, radius) if radius >= 0.3 else layer


# --- stems and leaves ----------------------------------------------------------------------------------


def stem_path(top: Point, bottom: Point, sway: float, steps: int = 30) -> list[Point]:
    """A gently curved stem from the bloom down to below the picture's edge."""
    (tx, ty), (bx, by) = top, bottom
    length = math.hypot(bx - tx, by - ty)
    c1 = (tx + sway * length * 0.25, ty + (by - ty) * 0.35)
    c2 = (bx - sway * length * 0.15, ty + (by - ty) * 0.7)
    return cubic_bezier(top, c1, c2, bottom, steps)


def paint_stem(layer: Image.Image, path: Sequence[Point], width: float, color: Color) -> None:
    widths = [width * (0.85 + 0.3 * i / max(1, len(path) - 1)) for i in range(len(path))]
    paint_tube(layer, path, widths, color)


def paint_leaf(
    layer: Image.Image,
    base: Point,
    angle: float,
    length: float,
    style: LeafStyle,
    color: Color,
    rng: random.Random,
    bend: float | None = None,
) -> None:
    """One leaf from `base` pointing at `angle` (radians, screen coordinates), `length` pixels long;
    `bend` curls its tip sideways (positive: clockwise), random when not given."""
    if style.kind == "feather":
        _feathery_leaf(layer, base, angle, length, color, rng)
    elif style.kind == "compound":
        _compound_leaf(layer, base, angle, length, style, color, rng)
    else:
        _blade_leaf(layer, base, angle, length, style, color, rng, rng.uniform(-0.25, 0.25) if bend is None else bend)


def _blade_leaf(
    layer: Image.Image,
    base: Point,
    angle: float,
    length: float,
    style: LeafStyle,
    color: Color,
    rng: random.Random,
    bend: float,
) -> None:
    width = length * style.width
    outline = _serrated(blade_outline(length, width, style.profile, steps=32), style, length, width)
    outline = _bent(outline, bend, length)
    midrib = _bent([(length * t / 10, 0.0) for t in range(11)], bend, length)
    side = 1 if bend >= 0 else -1
    fold = _bent([(length * t / 10, side * width * 0.18) for t in range(1, 10)], bend, length)
    veins = []
    for k in range(1, 8):
        t = k / 8.5
        for sign in (-1, 1):
            x0 = length * t
            start = (x0, 0.0)
            end = (x0 + length * 0.09, sign * width * 0.4)
            veins.append(_place(_bent([start, end], bend, length), base, angle))
    over = [Stroke(_place(midrib, base, angle), with_alpha(shade(color, 0.25), 0.45), max(1.0, length * 0.006))]
    over += [Stroke(v, with_alpha(shade(color, -0.25), 0.16), max(1.0, length * 0.004)) for v in veins]
    under = [Stroke(_place(fold, base, angle), with_alpha(shade(color, -0.3), 0.55), width * 0.4)]
    paint_shape(
        layer,
        _place(outline, base, angle),
        base,
        Shading(
            shade(color, -0.25),
            shade(color, 0.12),
            falloff=1.0,
            rim=shade(color, 0.2),
            rim_width=max(1.0, length * 0.008),
            shadow=0.3,
        ),
        under=under,
        over=over,
    )


def _serrated(outline: list[Point], style: LeafStyle, length: float, width: float) -> list[Point]:
    """Add teeth or deep lobes to a leaf outline's sides (never to its base or tip)."""
    if not style.teeth and not style.lobes:
        return outline
    out = []
    for x, y in outline:
        t = x / length
        if 0.08 < t < 0.97:
            if style.lobes:
                y *= 0.45 + 0.55 * abs(math.sin(math.pi * style.lobes * t))
            if style.teeth:
                saw = (style.teeth * t) % 1.0
                y += math.copysign(width * 0.06 * saw, y)
        out.append((x, y))
    return out


def _bent(pts: Sequence[Point], bend: float, length: float) -> list[Point]:
    return [(x, y + bend * (x / length) ** 2 * length) for x, y in pts]


def _place(pts: Sequence[Point], base: Point, angle: float) -> list[Point]:
    return [(base[0] + x, base[1] + y) for x, y in rotate(pts, angle)]


def _feathery_leaf(
    layer: Image.Image, base: Point, angle: float, length: float, color: Color, rng: random.Random
) -> None:
    """Chamomile's thread-fine, twice-divided leaf: drawn as branching strokes."""
    draw = ImageDraw.Draw(layer, "RGBA")
    bend = rng.uniform(-0.2, 0.2)
    rachis = _bent([(length * t / 12, 0.0) for t in range(13)], bend, length)
    width = max(1, round(length * 0.018))
    draw.line(_place(rachis, base, angle), fill=with_alpha(color, 1.0), width=width, joint="curve")
    for k in range(2, 12):
        t = k / 12
        x0, y0 = rachis[k]
        reach = length * 0.22 * (1 - t * 0.6)
        for sign in (-1, 1):
            branch_angle = sign * rng.uniform(0.6, 0.9)
            tip = (x0 + math.cos(branch_angle) * reach, y0 + math.sin(branch_angle) * reach)
            tone = shade(color, rng.uniform(-0.15, 0.15))
            draw.line(
                _place([(x0, y0), tip], base, angle), fill=with_alpha(tone, 1.0), width=max(1, round(width * 0.6))
            )
            for f in (0.45, 0.75):
                mx, my = x0 + (tip[0] - x0) * f, y0 + (tip[1] - y0) * f
                twig_angle = branch_angle + sign * 0.7
                twig = (mx + math.cos(twig_angle) * reach * 0.3, my + math.sin(twig_angle) * reach * 0.3)
                draw.line(
                    _place([(mx, my), twig], base, angle), fill=with_alpha(tone, 1.0), width=max(1, round(width * 0.45))
                )


def _compound_leaf(
    layer: Image.Image, base: Point, angle: float, length: float, style: LeafStyle, color: Color, rng: random.Random
) -> None:
    """A rose leaf: a stalk with pairs of toothed leaflets and one at the tip."""
    stalk = [(length * t / 10, 0.0) for t in range(11)]
    paint_tube(layer, _place(stalk, base, angle), [max(1.0, length * 0.02)] * 11, shade(color, -0.1))
    leaflet = LeafStyle("blade", 1.0, style.width, style.profile, teeth=style.teeth, color=color)
    for t, size in ((0.35, 0.42), (0.65, 0.48)):
        for sign in (-1, 1):
            origin = _place([(length * t, 0.0)], base, angle)[0]
            _blade_leaf(
                layer,
                origin,
                angle + sign * 0.9,
                length * size,
                leaflet,
                shade(color, rng.uniform(-0.1, 0.05)),
                rng,
                sign * 0.1,
            )
    tip = _place([(length, 0.0)], base, angle)[0]
    _blade_leaf(layer, tip, angle, length * 0.55, leaflet, color, rng, 0.0)


def leaf_color(style: LeafStyle, mood: Mood, rng: random.Random) -> Color:
    return shade(mix(style.color, (0, 0, 0), 1 - mood.daylight), rng.uniform(-0.06, 0.06))


def paint_grass(
    layer: Image.Image,
    rng: random.Random,
    region: tuple[float, float, float, float],
    count: int,
    blade: float,
    colors: Sequence[Color],
) -> None:
    """Thin curved grass blades rising from the bottom of `region` (left, top, right, bottom in pixels)."""
    left, top, right, bottom = region
    draw = ImageDraw.Draw(layer, "RGBA")
    for _ in range(count):
        x = rng.uniform(left, right)
        height = rng.uniform(0.4, 1.0) * (bottom - top)
        lean = rng.uniform(-0.35, 0.35) * height
        pts = cubic_bezier(
            (x, bottom),
            (x, bottom - height * 0.5),
            (x + lean * 0.5, bottom - height * 0.8),
            (x + lean, bottom - height),
            10,
        )
        widths = [blade * (1 - i / 11) + 0.5 for i in range(11)]
        tone = shade(rng.choice(colors), rng.uniform(-0.2, 0.15))
        draw.polygon(thick_path(pts, widths), fill=with_alpha(tone, 0.85))


# --- the bouquet's ribbon ------------------------------------------------------------------------------


def paint_ribbon(layer: Image.Image, knot: Point, size: float, colors: tuple[Color, Color], rng: random.Random) -> None:
    """A bow: two loops and two tails, each a band of `colors[0]` with a stripe of `colors[1]` down its middle
    (white-red-white when the palette asks for it)."""
    kx, ky = knot
    band = size * 0.16
    loops = []
    for sign in (-1, 1):
        lean = rng.uniform(-0.1, 0.1)
        loop = cubic_bezier(
            (kx, ky),
            (kx + sign * size * 0.75, ky - size * (0.55 + lean)),
            (kx + sign * size * 0.95, ky + size * 0.25),
            (kx, ky),
            26,
        )
        loops.append(loop)
    tails = []
    for sign in (-1, 1):
        end = (kx + sign * size * rng.uniform(0.35, 0.55), ky + size * rng.uniform(0.9, 1.2))
        tails.append(
            cubic_bezier(
                (kx, ky),
                (kx + sign * size * 0.1, ky + size * 0.4),
                (end[0] - sign * size * 0.2, end[1] - size * 0.3),
                end,
                20,
            )
        )
    for path in tails + loops:
        _ribbon_band(layer, path, band, colors)
    knot_shape = [
        (kx + math.cos(a) * band * 0.75, ky + math.sin(a) * band * 0.6) for a in (k * math.tau / 24 for k in range(24))
    ]
    paint_shape(
        layer, knot_shape, (kx - band * 0.2, ky - band * 0.2), Shading(colors[0], shade(colors[0], -0.25), shadow=0.4)
    )


def _ribbon_band(layer: Image.Image, path: Sequence[Point], width: float, colors: tuple[Color, Color]) -> None:
    widths = [width * (0.75 + 0.25 * math.sin(math.pi * i / (len(path) - 1))) for i in range(len(path))]
    stripe = Stroke(path, with_alpha(colors[1], 1.0), width / 3)
    fold = Stroke(path[len(path) // 3 : 2 * len(path) // 3], with_alpha(shade(colors[0], -0.3), 0.35), width * 0.9)
    outline = thick_path(path, widths)
    mid = path[len(path) // 2]
    paint_shape(
        layer, outline, mid, Shading(shade(colors[0], -0.12), colors[0], shadow=0.4), under=[fold], over=[stripe]
    )
