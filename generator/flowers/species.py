"""The blooms themselves: one painter per species, drawing a flower head in its own unit space.

Each painter takes an RGBA layer, a `Frame` (where the bloom sits and how big it is), the bloom's colours
and a seeded random generator, and paints only the head; stems and leaves belong to the scene.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise

from PIL import Image, ImageDraw

from generator.flowers.painting import (
    Color,
    Frame,
    Point,
    Shading,
    Stroke,
    blade_outline,
    cubic_bezier,
    lerp_point,
    mix,
    paint_dots,
    paint_shape,
    paint_soft_shadow,
    paint_tube,
    polar,
    rotate,
    shade,
    with_alpha,
)
from generator.flowers.scenery import LeafStyle

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


@dataclass(frozen=True)
class BloomColors:
    """The colours of one bloom: petals from base to edge, and its centre."""

    name: str  # the colour word used in descriptions ("blue", "white", "red")
    base: Color
    body: Color
    edge: Color
    centre: Color
    centre_light: Color
    accent: Color


Painter = Callable[[Image.Image, Frame, BloomColors, random.Random], None]


# --- cornflower ----------------------------------------------------------------------------------------


def paint_cornflower(layer: Image.Image, frame: Frame, colors: BloomColors, rng: random.Random) -> None:
    count = rng.randint(9, 11)
    start = rng.uniform(0, math.tau)
    underside = frame.points(circle(0.55))  # dark blue behind the florets, so gaps between them are not holes
    paint_shape(layer, underside, frame.point(0, 0), Shading(shade(colors.base, -0.3), colors.base, shadow=0.0))
    rings = [(1.0, 0.0, 0.22, 0.0), (0.86, 0.5, 0.28, 0.0), (0.5, 0.25, 0.35, 0.35)]
    for reach, offset, shadow, darker in rings:  # reach, angular offset in florets, shadow, darkening
        tones = replace(colors, edge=mix(colors.edge, colors.base, darker))
        for i in range(count):
            angle = start + (i + offset + rng.uniform(-0.18, 0.18)) * math.tau / count
            _cornflower_floret(layer, frame, tones, rng, angle, reach * rng.uniform(0.9, 1.04), shadow)
    _cornflower_centre(layer, frame, colors, rng)


def _cornflower_floret(
    layer: Image.Image,
    frame: Frame,
    colors: BloomColors,
    rng: random.Random,
    angle: float,
    reach: float,
    shadow: float,
) -> None:
    """A funnel floret: a narrow tube flaring into a fan that ends in five to seven ragged teeth."""
    base_r, length = 0.12, reach - 0.12
    flare = rng.uniform(0.32, 0.4) * length
    steps = (0.0, 0.25, 0.45, 0.6, 0.72, 0.82)
    left_side = [(base_r + length * t, -(0.03 + flare * t**2.0)) for t in steps]
    right_side = [(x, -y) for x, y in left_side]
    outline_local = left_side + _ragged_edge(rng, base_r + length * 0.82, left_side[-1][1], length) + right_side[::-1]
    outline = frame.points(rotate(outline_local, angle))
    throat = frame.point(*polar(angle, base_r + length * 0.3))
    veins = []
    for v in range(-3, 4):
        spread = v / 3 * flare * 0.75
        path = [(base_r + 0.03, v * 0.004), (base_r + length * 0.45, spread * 0.25), (base_r + length * 0.86, spread)]
        veins.append(Stroke(frame.points(rotate(path, angle)), with_alpha(colors.base, 0.22), frame.length(0.006)))
    tint = rng.uniform(-0.05, 0.07) + 0.1 * frame.light_on(angle)
    funnel = [(base_r + length * 0.1, 0.0), (base_r + length * 0.55, 0.0), (base_r + length * 0.8, 0.0)]
    inside = [
        Stroke(
            frame.points(rotate(funnel, angle)), with_alpha(shade(colors.base, -0.1), 0.45), frame.length(flare * 0.45)
        )
    ]
    paint_shape(
        layer,
        outline,
        throat,
        Shading(
            shade(colors.base, tint * 0.5),
            shade(colors.edge, tint),
            falloff=1.4,
            rim=shade(colors.edge, 0.15),
            rim_width=frame.length(0.015),
            shadow=shadow,
        ),
        under=inside,
        over=veins,
    )


def _ragged_edge(rng: random.Random, x0: float, half_width: float, length: float) -> list[Point]:
    """The toothed end of a cornflower floret, from one side to the other: irregular, sharp teeth."""
    teeth = rng.randint(5, 7)
    bounds = [0.0] + [(k + rng.uniform(-0.22, 0.22)) / teeth for k in range(1, teeth)] + [1.0]
    edge: list[Point] = []
    for k, (a, b) in enumerate(pairwise(bounds)):
        mid = (a + b) / 2 + rng.uniform(-0.12, 0.12) * (b - a)
        bulge = 1 - (2 * mid - 1) ** 2  # the middle teeth reach furthest, so the fan end is rounded
        tip_x = x0 + length * (0.07 + 0.1 * bulge + rng.uniform(-0.025, 0.025))
        edge.append((tip_x, half_width * (1 - 2 * mid) * 1.08))
        if k < teeth - 1:
            edge.append((x0 + length * rng.uniform(-0.02, 0.03), half_width * (1 - 2 * b)))
    return edge


def _cornflower_centre(layer: Image.Image, frame: Frame, colors: BloomColors, rng: random.Random) -> None:
    disc = frame.points(polar(a * math.tau / 40, 0.16) for a in range(40))
    paint_shape(layer, disc, frame.point(0.03, 0.04), Shading(shade(colors.centre, -0.4), colors.centre, shadow=0.5))
    count = 70
    for i in range(count):
        angle = i * GOLDEN_ANGLE + rng.uniform(-0.3, 0.3)
        r = 0.14 * math.sqrt((i + 0.5) / count)
        tip = polar(angle, r + rng.uniform(0.02, 0.06))
        root = polar(angle, r * 0.4)
        light = mix(shade(colors.centre, -0.1), colors.body, rng.uniform(0.1, 0.35) + 0.25 * r / 0.14)
        _line(layer, frame.points([root, tip]), with_alpha(light, 0.85), frame.length(rng.uniform(0.012, 0.024)))
        anther = with_alpha(mix(colors.accent, colors.centre_light, rng.uniform(0.0, 0.35)), 0.95)
        paint_dots(layer, frame.points([tip]), frame.length(rng.uniform(0.008, 0.016)), anther, frame.squash)


def _line(layer: Image.Image, pts: list[Point], color: tuple[int, int, int, int], width: float) -> None:
    ImageDraw.Draw(layer, "RGBA").line(pts, fill=color, width=max(1, round(width)))


def circle(radius: float, centre: Point = (0.0, 0.0), steps: int = 48) -> list[Point]:
    return [polar(k * math.tau / steps, radius, centre) for k in range(steps)]


def _bend(pts: list[Point], amount: float, length: float) -> list[Point]:
    """Curve a shape that points along +x sideways, more towards its tip (a petal that is not flat)."""
    return [(x, y + amount * (x / length) ** 2 * length) for x, y in pts]


# --- chamomile -----------------------------------------------------------------------------------------


def paint_chamomile(layer: Image.Image, frame: Frame, colors: BloomColors, rng: random.Random) -> None:
    count = rng.randint(18, 22)
    start = rng.uniform(0, math.tau)
    order = list(range(0, count, 2)) + list(range(1, count, 2))  # every other ray lies on top
    for n, i in enumerate(order):
        angle = start + (i + rng.uniform(-0.2, 0.2)) * math.tau / count
        _chamomile_ray(layer, frame, colors, rng, angle, 0.2 if n < count // 2 else 0.3)
    paint_soft_shadow(layer, frame.points(circle(0.27, (0.04, 0.05))), 0.45, frame.length(0.06))
    _domed_disc(layer, frame, colors, rng, radius=0.25, florets=150)


def _chamomile_ray(
    layer: Image.Image, frame: Frame, colors: BloomColors, rng: random.Random, angle: float, shadow: float
) -> None:
    root, length = 0.18, rng.uniform(0.74, 0.84)
    width = rng.uniform(0.16, 0.2)
    profile = [(0.0, 0.35), (0.2, 0.85), (0.55, 1.0), (0.88, 0.9), (1.0, 0.55)]
    half = blade_outline(length, width, profile, steps=14)
    left, right = half[:15], half[15:]
    tip = [
        (length + 0.012, -width * 0.22),
        (length - 0.02, -width * 0.1),
        (length + 0.01, 0.03 * width),
        (length - 0.018, width * 0.14),
        (length + 0.008, width * 0.24),
    ]
    outline = _bend(left + tip + right, rng.uniform(-0.12, 0.12), length)
    outline = [(x + root, y) for x, y in outline]
    veins = [
        Stroke(
            frame.points(rotate([(root + 0.05, w * width), (root + length * 0.9, w * width * 1.1)], angle)),
            with_alpha(colors.base, 0.22),
            frame.length(0.006),
        )
        for w in (-0.22, 0.0, 0.22)
    ]
    paint_shape(
        layer,
        frame.points(rotate(outline, angle)),
        frame.point(*polar(angle, root)),
        Shading(
            colors.base,
            shade(colors.edge, rng.uniform(-0.03, 0.0) + 0.05 * min(0.0, frame.light_on(angle))),
            falloff=1.8,
            shadow=shadow,
        ),
        over=veins,
    )


def _domed_disc(
    layer: Image.Image, frame: Frame, colors: BloomColors, rng: random.Random, radius: float, florets: int
) -> None:
    """A yellow dome of tiny florets in a sunflower-like spiral, lit from the upper left."""
    paint_shape(
        layer,
        frame.points(circle(radius)),
        frame.point(-radius * 0.35, -radius * 0.4),
        Shading(colors.centre_light, colors.centre, falloff=0.8, shadow=0.5),
    )
    spacing = radius / math.sqrt(florets)
    for k in range(florets):
        r = spacing * math.sqrt(k + 0.5)
        x, y = polar(k * GOLDEN_ANGLE, r)
        lit = 0.5 - (x * -0.6 + y * -0.8) / radius * 0.5  # 0 on the lit side, 1 on the shaded side
        dot = frame.length(spacing * (0.42 - 0.12 * (r / radius) ** 2))
        tone = mix(shade(colors.centre_light, 0.2), shade(colors.centre, -0.25), lit)
        paint_dots(
            layer,
            frame.points([(x + spacing * 0.15, y + spacing * 0.15)]),
            dot,
            with_alpha(shade(tone, -0.3), 0.5),
            frame.squash,
        )
        paint_dots(layer, frame.points([(x, y)]), dot * 0.8, with_alpha(tone, 0.9), frame.squash)


# --- poppy ---------------------------------------------------------------------------------------------


def paint_poppy(layer: Image.Image, frame: Frame, colors: BloomColors, rng: random.Random) -> None:
    start = rng.uniform(0, math.tau)
    petals = [(0.0, 1.0, 0.2), (math.pi, 0.97, 0.25), (math.pi / 2, 0.9, 0.4), (-math.pi / 2, 0.88, 0.4)]
    for offset, reach, shadow in petals:
        angle = start + offset + rng.uniform(-0.15, 0.15)
        _broad_petal(layer, frame, colors, rng, angle, reach, width=1.5, crinkle=0.05, shadow=shadow, blotch=True)
    _poppy_centre(layer, frame, colors, rng)


def _broad_petal(
    layer: Image.Image,
    frame: Frame,
    colors: BloomColors,
    rng: random.Random,
    angle: float,
    reach: float,
    width: float,
    crinkle: float,
    shadow: float,
    blotch: bool = False,
    root: float = 0.02,
    veins: float = 0.12,
) -> None:
    """A wide, fan-shaped petal (poppy, rose): rounded, its edge waved, fine crinkles running to the rim."""
    length = reach - root
    profile = [(0.0, 0.12), (0.25, 0.62), (0.55, 0.93), (0.8, 1.0), (0.93, 0.8), (1.0, 0.3)]
    outline = blade_outline(length, width * length, profile, steps=36)
    waves = rng.uniform(4, 7)
    phase = rng.uniform(0, math.tau)
    wavy = []
    for x, y in outline:
        t = x / length
        wobble = (
            crinkle * length * t**2 * (math.sin(waves * math.atan2(y, x + 0.3) * 3 + phase) + rng.uniform(-0.4, 0.4))
        )
        wavy.append((x + root + wobble, y * (1 + wobble * 0.5)))
    under = []
    for k in range(24):
        u = (k / 23 - 0.5) * 1.8
        tone = shade(colors.body, 0.18) if k % 2 else shade(colors.base, -0.1)
        path = [
            (root + 0.02, 0.0),
            (root + length * 0.5, u * width * length * 0.22),
            (root + length * 0.98, u * width * length * 0.42),
        ]
        under.append(Stroke(frame.points(rotate(path, angle)), with_alpha(tone, 0.3), frame.length(0.03)))
    if blotch:
        path = [(root, 0.0), (root + length * 0.22, 0.0)]
        under.append(
            Stroke(frame.points(rotate(path, angle)), with_alpha(colors.accent, 0.95), frame.length(0.2 * width))
        )
    over = []
    for _ in range(16):
        u = rng.uniform(-0.9, 0.9)
        bend = rng.uniform(-0.04, 0.04)
        path = cubic_bezier(
            (root + length * 0.15, u * 0.05),
            (root + length * 0.5, u * width * length * 0.2 + bend),
            (root + length * 0.7, u * width * length * 0.3 - bend),
            (root + length * 0.95, u * width * length * 0.42),
            8,
        )
        over.append(
            Stroke(frame.points(rotate(path, angle)), with_alpha(shade(colors.base, -0.2), veins), frame.length(0.006))
        )
    paint_shape(
        layer,
        frame.points(rotate(wavy, angle)),
        frame.point(*polar(angle, root)),
        Shading(
            colors.base,
            shade(colors.edge, 0.08 * frame.light_on(angle)),
            falloff=0.7,
            rim=shade(colors.edge, 0.12),
            rim_width=frame.length(0.03),
            shadow=shadow,
        ),
        under=under,
        over=over,
    )


def _poppy_centre(layer: Image.Image, frame: Frame, colors: BloomColors, rng: random.Random) -> None:
    draw = ImageDraw.Draw(layer, "RGBA")
    for _ in range(90):
        angle = rng.uniform(0, math.tau)
        r_end = rng.uniform(0.16, 0.27)
        root, tip = polar(angle, 0.08), polar(angle + rng.uniform(-0.15, 0.15), r_end)
        draw.line(
            frame.points([root, tip]),
            fill=with_alpha(shade(colors.accent, 0.12), 0.9),
            width=max(1, round(frame.length(0.007))),
        )
        paint_dots(
            layer,
            frame.points([tip]),
            frame.length(rng.uniform(0.012, 0.02)),
            with_alpha(colors.accent, 0.95),
            frame.squash,
        )
    paint_shape(
        layer,
        frame.points(circle(0.115)),
        frame.point(-0.04, -0.05),
        Shading(colors.centre_light, colors.centre, falloff=0.9, shadow=0.5),
    )
    rays = rng.randint(8, 11)
    for k in range(rays):
        angle = k * math.tau / rays
        draw.line(
            frame.points([(0, 0), polar(angle, 0.1)]),
            fill=with_alpha((60, 30, 55), 0.85),
            width=max(1, round(frame.length(0.018))),
        )
    paint_dots(layer, [frame.point(0, 0)], frame.length(0.025), with_alpha((70, 40, 60), 1.0), frame.squash)


# --- sunflower -----------------------------------------------------------------------------------------


def paint_sunflower(layer: Image.Image, frame: Frame, colors: BloomColors, rng: random.Random) -> None:
    count = rng.randint(21, 26)
    start = rng.uniform(0, math.tau)
    for reach, offset, shadow in ((1.0, 0.0, 0.2), (0.9, 0.5, 0.3)):
        for i in range(count):
            angle = start + (i + offset + rng.uniform(-0.2, 0.2)) * math.tau / count
            _sunflower_ray(layer, frame, colors, rng, angle, reach * rng.uniform(0.9, 1.04), shadow)
    paint_soft_shadow(layer, frame.points(circle(0.47, (0.03, 0.04))), 0.5, frame.length(0.05))
    _seed_head(layer, frame, colors, rng, radius=0.44)


def _sunflower_ray(
    layer: Image.Image, frame: Frame, colors: BloomColors, rng: random.Random, angle: float, reach: float, shadow: float
) -> None:
    root = 0.36
    length = reach - root
    width = rng.uniform(0.14, 0.19)
    profile = [(0.0, 0.45), (0.3, 0.95), (0.5, 1.0), (0.8, 0.65), (1.0, 0.0)]
    outline = _bend(blade_outline(length, width, profile, steps=16), rng.uniform(-0.15, 0.15), length)
    outline = [(x + root, y) for x, y in outline]
    over = [
        Stroke(
            frame.points(
                rotate(
                    [
                        (root + 0.03, w * width),
                        (root + length * 0.5, w * width * 1.3),
                        (root + length * 0.85, w * width * 0.6),
                    ],
                    angle,
                )
            ),
            with_alpha(shade(colors.base, -0.1), 0.25),
            frame.length(0.005),
        )
        for w in (-0.25, -0.08, 0.08, 0.25)
    ]
    fold = [
        Stroke(
            frame.points(rotate([(root + 0.02, 0.0), (root + length * 0.9, 0.0)], angle)),
            with_alpha(colors.base, 0.35),
            frame.length(0.02),
        )
    ]
    paint_shape(
        layer,
        frame.points(rotate(outline, angle)),
        frame.point(*polar(angle, root)),
        Shading(
            colors.base,
            shade(colors.edge, rng.uniform(-0.05, 0.03) + 0.08 * frame.light_on(angle)),
            falloff=1.1,
            shadow=shadow,
        ),
        under=fold,
        over=over,
    )


def _seed_head(layer: Image.Image, frame: Frame, colors: BloomColors, rng: random.Random, radius: float) -> None:
    """The big disc: dark seeds packed in the golden-angle spiral, a ring of open florets at the rim."""
    paint_shape(
        layer,
        frame.points(circle(radius)),
        frame.point(0, 0),
        Shading(shade(colors.centre, -0.25), colors.accent, falloff=1.3, shadow=0.5),
    )
    pixels = frame.length(radius)
    count = int(max(120, min(1100, (pixels / 5.5) ** 2)))
    spacing = radius / math.sqrt(count)
    for k in range(count):
        r = spacing * math.sqrt(k + 0.5)
        x, y = polar(k * GOLDEN_ANGLE, r)
        depth = r / radius
        lit = 0.5 - (x * -0.6 + y * -0.8) / radius * 0.5
        if depth > 0.86:
            tone = mix(colors.accent, shade(colors.base, -0.1), (depth - 0.86) / 0.14)
        else:
            tone = mix(shade(colors.centre_light, -0.35), colors.centre_light, min(1.0, depth * 1.6))
        tone = shade(tone, 0.12 - 0.3 * lit)
        dot = frame.length(spacing * 0.45)
        paint_dots(layer, frame.points([(x, y)]), dot, with_alpha(tone, 0.95), frame.squash)
        if 0.3 < depth < 0.86:
            paint_dots(
                layer,
                frame.points([(x - spacing * 0.12, y - spacing * 0.12)]),
                dot * 0.35,
                with_alpha(shade(tone, 0.3), 0.6),
                frame.squash,
            )


# --- rose ----------------------------------------------------------------------------------------------


def paint_rose(layer: Image.Image, frame: Frame, colors: BloomColors, rng: random.Random) -> None:
    start = rng.uniform(0, math.tau)
    outer = rng.randint(5, 6)
    for i in range(outer):
        angle = start + (i + rng.uniform(-0.15, 0.15)) * math.tau / outer
        _broad_petal(
            layer,
            frame,
            colors,
            rng,
            angle,
            rng.uniform(0.92, 1.0),
            width=1.25,
            crinkle=0.02,
            shadow=0.3,
            root=0.05,
            veins=0.05,
        )
    for i in range(5):
        angle = start + (i + 0.5 + rng.uniform(-0.15, 0.15)) * math.tau / 5
        _broad_petal(
            layer,
            frame,
            colors,
            rng,
            angle,
            rng.uniform(0.74, 0.82),
            width=1.3,
            crinkle=0.02,
            shadow=0.45,
            root=0.05,
            veins=0.05,
        )
    paint_shape(
        layer, frame.points(circle(0.4)), frame.point(0, 0), Shading(shade(colors.base, -0.5), colors.base, shadow=0.4)
    )
    turns = 14
    for i in range(turns):
        t = i / (turns - 1)
        angle = start + i * 2.4 + rng.uniform(-0.15, 0.15)
        radius = 0.08 + 0.56 * (1 - t) ** 1.2
        _rose_cup_petal(layer, frame, colors, rng, angle, radius, t)
    paint_dots(
        layer, [frame.point(0.0, 0.0)], frame.length(0.03), with_alpha(shade(colors.base, -0.45), 0.9), frame.squash
    )


def _rose_cup_petal(
    layer: Image.Image, frame: Frame, colors: BloomColors, rng: random.Random, angle: float, radius: float, depth: float
) -> None:
    """An inner petal seen from above: its rim winds inwards like a short spiral, so that the petals
    together swirl into the centre; the rolled rim catches the light, the inside falls into shadow."""
    span = rng.uniform(3.2, 4.0)
    steps = 30
    wobble = rng.uniform(0, math.tau)
    rim = []
    for k in range(steps + 1):
        u = k / steps
        r = radius * (1 - 0.42 * u) * (1 + 0.035 * math.sin(5 * u + wobble))
        rim.append(polar(angle + span * u, r))
    inner = []
    for k in range(steps, -1, -1):
        depth_in = 0.5 * math.sin(math.pi * k / steps) ** 0.4  # the band tapers to nothing at both ends
        inner.append((rim[k][0] * (1 - depth_in), rim[k][1] * (1 - depth_in)))
    rim_tone = shade(colors.edge, 0.15 + 0.15 * depth)
    rim_width = frame.length(0.012 + 0.025 * radius)
    under = [Stroke(frame.points(rim[2:-3]), with_alpha(rim_tone, 1.0), rim_width * 2.2)]
    over = [Stroke(frame.points(rim[3:-4]), with_alpha(shade(rim_tone, 0.2), 0.5), rim_width * 0.6)]
    core = frame.point(*polar(angle + span * 0.35, radius * 0.55))
    paint_shape(
        layer,
        frame.points(rim + inner),
        core,
        Shading(shade(colors.base, -0.3 - 0.2 * depth), colors.body, falloff=0.8, shadow=0.55),
        under=under,
        over=over,
    )


# --- carnation -----------------------------------------------------------------------------------------


def paint_carnation(layer: Image.Image, frame: Frame, colors: BloomColors, rng: random.Random) -> None:
    rings = [(10, 1.0, 0.3), (9, 0.84, 0.45), (8, 0.66, 0.5), (7, 0.48, 0.55)]
    for count, reach, shadow in rings:
        start = rng.uniform(0, math.tau)
        for i in range(count):
            angle = start + (i + rng.uniform(-0.3, 0.3)) * math.tau / count
            _frilled_petal(layer, frame, colors, rng, angle, reach * rng.uniform(0.88, 1.05), shadow)
    for _ in range(7):  # the crumpled heart: small petals facing every way, not meeting in one point
        origin = polar(rng.uniform(0, math.tau), rng.uniform(0.03, 0.13))
        angle = rng.uniform(0, math.tau)
        _frilled_petal(
            layer, frame, colors, rng, angle, rng.uniform(0.17, 0.27), 0.5, origin, span=rng.uniform(1.3, 2.0)
        )


def _frilled_petal(
    layer: Image.Image,
    frame: Frame,
    colors: BloomColors,
    rng: random.Random,
    angle: float,
    reach: float,
    shadow: float,
    origin: Point = (0.0, 0.0),
    span: float | None = None,
) -> None:
    """A carnation petal: a fan whose outer edge is cut into many small ruffled teeth."""
    span = rng.uniform(0.75, 1.05) if span is None else span
    teeth = rng.randint(9, 13)
    base = polar(angle, 0.02, origin)
    edge = []
    points = teeth * 2
    waves = rng.uniform(2, 3.5)
    phase = rng.uniform(0, math.tau)
    for k in range(points + 1):
        u = k / points
        a = angle - span / 2 + span * u
        ruffle = 0.07 * reach * math.sin(waves * math.tau * u + phase)
        r = (
            reach * (0.9 + 0.1 * math.sin(math.pi * u))
            + ruffle
            - (0.05 * reach * rng.uniform(0.5, 1.3) if k % 2 else 0.0)
        )
        edge.append(polar(a, r, origin))
    outline = [base, *edge]
    over = []
    for k in range(7):
        u = (k + 0.5) / 7
        a = angle - span * 0.4 + span * 0.8 * u
        over.append(
            Stroke(
                frame.points([polar(angle, 0.06 * reach, origin), polar(a, reach * 0.85, origin)]),
                with_alpha(shade(colors.base, -0.15), 0.14),
                frame.length(0.006),
            )
        )
    picotee = colors.accent != colors.edge  # a white carnation with a fine red edge
    rim = colors.accent if picotee else shade(colors.edge, 0.15)
    rim_width = frame.length(0.012 if picotee else 0.025)
    paint_shape(
        layer,
        frame.points(outline),
        frame.point(*base),
        Shading(
            colors.base,
            shade(colors.edge, rng.uniform(-0.05, 0.05) + 0.08 * frame.light_on(angle)),
            falloff=0.9,
            rim=rim,
            rim_width=rim_width,
            shadow=shadow,
        ),
        over=over,
    )


# --- tulip (side view) ---------------------------------------------------------------------------------


def paint_tulip(layer: Image.Image, frame: Frame, colors: BloomColors, rng: random.Random) -> None:
    """A closed cup seen from the side: the tips of the inner petals peek out behind the three outer ones."""
    inside = replace(colors, base=shade(colors.base, -0.2), body=colors.base, edge=shade(colors.body, -0.08))
    for x, tilt in ((-0.12, -0.1), (0.13, 0.11)):
        _tulip_petal(layer, frame, inside, rng, x, tilt, width=0.6, height=1.52, shadow=0.2)
    for x, tilt in ((-0.24, -0.09), (0.25, 0.1)):
        _tulip_petal(layer, frame, colors, rng, x, tilt, width=0.74, height=1.44, shadow=0.35)
    _tulip_petal(layer, frame, colors, rng, 0.0, rng.uniform(-0.04, 0.04), width=0.82, height=1.4, shadow=0.5)


def _tulip_petal(
    layer: Image.Image,
    frame: Frame,
    colors: BloomColors,
    rng: random.Random,
    x: float,
    tilt: float,
    width: float,
    height: float,
    shadow: float,
) -> None:
    bottom = (x * 0.35, 0.6)
    profile = [(0.0, 0.3), (0.14, 0.8), (0.45, 1.0), (0.75, 0.88), (0.93, 0.48), (1.0, 0.0)]
    outline = blade_outline(height, width, profile, steps=44)
    outline = rotate(outline, -math.pi / 2 + tilt)
    outline = [(px + bottom[0], py + bottom[1]) for px, py in outline]
    axis = rotate([(0.0, 0.0), (height, 0.0)], -math.pi / 2 + tilt)
    top = (axis[1][0] + bottom[0], axis[1][1] + bottom[1])

    def along(t: float, side: float) -> Point:
        px, py = lerp_point(bottom, top, t)
        return (px + side * width * math.cos(tilt), py + side * width * math.sin(tilt))

    lit = 1 if frame.flip else -1  # the side of the petal towards the light, in the bloom's own space
    under = [
        Stroke(
            frame.points([along(0.15, lit * 0.14), along(0.55, lit * 0.18), along(0.85, lit * 0.1)]),
            with_alpha(shade(colors.edge, 0.35), 0.7),
            frame.length(0.22 * width),
        ),
        Stroke(
            frame.points([along(0.1, -lit * 0.36), along(0.6, -lit * 0.4), along(0.9, -lit * 0.22)]),
            with_alpha(shade(colors.base, -0.2), 0.55),
            frame.length(0.22 * width),
        ),
    ]
    over = [
        Stroke(
            frame.points([along(0.08, side * 0.05), along(0.5, side * 0.2), along(0.88, side * 0.1)]),
            with_alpha(shade(colors.base, -0.2), 0.1),
            frame.length(0.006),
        )
        for side in (-1.5, -0.8, -0.3, 0.3, 0.8, 1.5)
    ]
    paint_shape(
        layer,
        frame.points(outline),
        frame.point(*bottom),
        Shading(
            colors.base,
            shade(colors.edge, rng.uniform(-0.05, 0.05)),
            falloff=0.75,
            rim=shade(colors.edge, 0.1),
            rim_width=frame.length(0.02),
            shadow=shadow,
        ),
        under=under,
        over=over,
    )


# --- lily of the valley (a whole arching sprig) --------------------------------------------------------


def paint_lily_of_the_valley(layer: Image.Image, frame: Frame, colors: BloomColors, rng: random.Random) -> None:
    """An arching flower stalk with little white bells hanging under it, largest first, buds at the tip."""
    side = 1  # the scene mirrors the frame for a sprig arching the other way
    start, end = (-0.35 * side, 0.95), (0.8 * side, 0.15)
    arch = cubic_bezier(start, (-0.3 * side, -0.5), (0.45 * side, -0.7), end, 40)
    stalk = frame.points(arch)
    paint_tube(layer, stalk, [frame.length(0.03 - 0.015 * k / 40) for k in range(41)], colors.accent)
    bells = rng.randint(6, 8)
    draw = ImageDraw.Draw(layer, "RGBA")
    for k in range(bells):
        t = 0.32 + 0.64 * k / (bells - 1)
        index = round(t * 40)
        anchor = arch[index]
        size = 0.29 * (1 - 0.55 * k / (bells - 1)) * rng.uniform(0.92, 1.05)
        hang = (anchor[0] + side * size * 0.1, anchor[1] + size * 0.3 + 0.05)
        pedicel = cubic_bezier(anchor, (anchor[0] + side * 0.05, anchor[1]), (hang[0], hang[1] - 0.1), hang, 8)
        draw.line(frame.points(pedicel), fill=with_alpha(colors.accent, 1.0), width=max(1, round(frame.length(0.01))))
        if k >= bells - 2:
            bud = mix(colors.body, colors.accent, 0.45 if k == bells - 1 else 0.2)
            paint_shape(
                layer,
                frame.points(circle(size * 0.32, (hang[0], hang[1] + size * 0.25))),
                frame.point(hang[0] - size * 0.1, hang[1] + size * 0.1),
                Shading(shade(bud, 0.3), shade(bud, -0.15), shadow=0.2),
            )
        else:
            _bell(layer, frame, colors, rng, hang, size)


_BELL_SIDE = ((0.0, 0.0), (0.2, 0.03), (0.36, 0.11), (0.46, 0.25), (0.5, 0.42), (0.52, 0.6), (0.56, 0.74))


def _bell(layer: Image.Image, frame: Frame, colors: BloomColors, rng: random.Random, top: Point, size: float) -> None:
    """A round bell opening downwards, its rim turned out in small pointed lobes."""
    tx, ty = top
    rim: list[Point] = []
    tips = [0.62, 0.31, 0.0, -0.31, -0.62]
    for k, x in enumerate(tips):
        rim.append((x * 1.06, 0.95 - 0.1 * abs(x) / 0.62))
        if k < len(tips) - 1:
            rim.append(((x + tips[k + 1]) / 2, 0.8))
    right = list(_BELL_SIDE)
    left = [(-x, y) for x, y in reversed(_BELL_SIDE)]
    outline = [(tx + x * size, ty + y * size) for x, y in right + rim + left]
    opening = [
        Stroke(
            frame.points(
                [(tx - 0.42 * size, ty + 0.8 * size), (tx, ty + 0.86 * size), (tx + 0.42 * size, ty + 0.8 * size)]
            ),
            with_alpha(shade(colors.base, -0.15), 0.85),
            frame.length(size * 0.1),
        )
    ]
    paint_shape(
        layer,
        frame.points(outline),
        frame.point(tx - 0.15 * size, ty + 0.32 * size),
        Shading(colors.edge, colors.base, falloff=0.6, shadow=0.35),
        under=opening,
    )


# --- the species table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Species:
    """What the painter knows about a flower: how to draw its head, its colours and how the plant grows."""

    name: str
    painter: Painter
    natural: tuple[BloomColors, ...]  # one is chosen per picture
    white: BloomColors
    red: BloomColors
    stem: Color
    stem_width: float  # in head radii
    leaf: LeafStyle
    leaves: tuple[int, int]  # how many leaves a stem carries
    size: float  # head size relative to the standard bloom
    singular: str  # "{} cornflower": the colour words go in the braces
    plural: str
    side_view: bool = False  # drawn from the side (its stem meets the head at the bottom, not the centre)
    attach: Point = (0.0, 0.0)  # where the stem meets the head, in the head's unit space
    centre: Point = (0.0, 0.0)  # the visual middle of the head, in its unit space (where the eye lands)


_LANCE = ((0.0, 0.25), (0.2, 0.8), (0.5, 1.0), (0.8, 0.6), (1.0, 0.0))
_OVATE = ((0.0, 0.35), (0.25, 0.95), (0.5, 1.0), (0.8, 0.6), (1.0, 0.0))
_HEART = ((0.0, 0.7), (0.15, 1.0), (0.45, 0.9), (0.8, 0.45), (1.0, 0.0))
_STRAP = ((0.0, 0.7), (0.3, 1.0), (0.7, 0.8), (0.92, 0.35), (1.0, 0.0))


def _colors(
    name: str,
    base: Color,
    body: Color,
    edge: Color,
    centre: Color = (0, 0, 0),
    centre_light: Color = (0, 0, 0),
    accent: Color | None = None,
) -> BloomColors:
    return BloomColors(name, base, body, edge, centre, centre_light, edge if accent is None else accent)


_CORNFLOWER_CENTRE = ((55, 20, 80), (100, 62, 175), (30, 12, 50))
_YELLOW_DISC = ((225, 150, 20), (255, 222, 80), (200, 140, 20))
_POPPY_CENTRE = ((110, 130, 90), (190, 200, 150), (22, 14, 22))
_SUNFLOWER_HEAD = ((75, 45, 18), (95, 60, 25), (150, 85, 20))
_LILY_GREEN = (95, 135, 60)
_FLAG_RED = ((130, 12, 28), (200, 32, 48), (226, 62, 72))

SPECIES: dict[str, Species] = {
    "cornflower": Species(
        "cornflower",
        paint_cornflower,
        natural=(
            _colors("blue", (52, 28, 128), (45, 85, 215), (72, 118, 240), *_CORNFLOWER_CENTRE),
            _colors("blue", (60, 30, 135), (58, 92, 222), (92, 132, 244), *_CORNFLOWER_CENTRE),
        ),
        white=_colors("white", (160, 165, 195), (238, 238, 246), (252, 252, 255), *_CORNFLOWER_CENTRE),
        red=_colors("red", (105, 10, 40), (196, 30, 52), (222, 62, 74), (60, 10, 30), (120, 30, 60), (35, 8, 20)),
        stem=(92, 128, 84),
        stem_width=0.045,
        leaf=LeafStyle("blade", 1.3, 0.1, _LANCE, color=(110, 140, 100)),
        leaves=(1, 2),
        size=0.92,
        singular="{} cornflower",
        plural="{} cornflowers",
    ),
    "chamomile": Species(
        "chamomile",
        paint_chamomile,
        natural=(_colors("white", (185, 190, 170), (245, 245, 238), (253, 253, 250), *_YELLOW_DISC),),
        white=_colors("white", (185, 190, 170), (245, 245, 238), (253, 253, 250), *_YELLOW_DISC),
        red=_colors("red", (135, 14, 30), (200, 34, 50), (224, 62, 72), *_YELLOW_DISC),
        stem=(98, 140, 72),
        stem_width=0.035,
        leaf=LeafStyle("feather", 1.1, 0.3, _LANCE, color=(100, 145, 75)),
        leaves=(2, 3),
        size=0.85,
        singular="{} chamomile flower",
        plural="{} chamomile flowers",
    ),
    "poppy": Species(
        "poppy",
        paint_poppy,
        natural=(_colors("red", (140, 5, 15), (215, 30, 25), (238, 72, 45), *_POPPY_CENTRE),),
        white=_colors("white", (196, 196, 186), (244, 243, 237), (252, 251, 248), *_POPPY_CENTRE),
        red=_colors("red", (140, 5, 15), (210, 28, 30), (234, 66, 50), *_POPPY_CENTRE),
        stem=(104, 138, 78),
        stem_width=0.035,
        leaf=LeafStyle("blade", 1.0, 0.32, _OVATE, lobes=3, teeth=9, color=(98, 132, 82)),
        leaves=(1, 2),
        size=1.0,
        singular="{} poppy",
        plural="{} poppies",
    ),
    "tulip": Species(
        "tulip",
        paint_tulip,
        natural=(
            _colors("red", (140, 15, 30), (205, 35, 45), (235, 85, 80)),
            _colors("pink", (178, 60, 110), (230, 120, 160), (246, 176, 200)),
            _colors("yellow", (210, 140, 20), (245, 195, 45), (252, 222, 92)),
        ),
        white=_colors("white", (196, 204, 184), (244, 245, 238), (253, 253, 250)),
        red=_colors("red", *_FLAG_RED),
        stem=(96, 140, 90),
        stem_width=0.07,
        leaf=LeafStyle("blade", 2.1, 0.24, _STRAP, color=(98, 140, 100), from_ground=True),
        leaves=(2, 2),
        size=0.9,
        side_view=True,
        attach=(0.0, 0.55),
        centre=(0.0, -0.2),
        singular="{} tulip",
        plural="{} tulips",
    ),
    "rose": Species(
        "rose",
        paint_rose,
        natural=(
            _colors("red", (95, 5, 25), (170, 18, 45), (215, 58, 80)),
            _colors("pink", (170, 60, 90), (225, 120, 150), (245, 175, 195)),
        ),
        white=_colors("white", (200, 196, 180), (244, 240, 230), (253, 252, 247)),
        red=_colors("red", (100, 6, 24), (184, 22, 44), (222, 62, 80)),
        stem=(72, 106, 62),
        stem_width=0.05,
        leaf=LeafStyle("compound", 1.1, 0.55, _OVATE, teeth=10, color=(64, 104, 58)),
        leaves=(1, 2),
        size=0.9,
        singular="{} rose",
        plural="{} roses",
    ),
    "carnation": Species(
        "carnation",
        paint_carnation,
        natural=(
            _colors("pink", (170, 44, 92), (232, 110, 152), (248, 162, 192)),
            _colors("red", (130, 10, 30), (200, 30, 50), (225, 70, 85)),
        ),
        white=_colors("white", (206, 202, 194), (246, 244, 238), (253, 252, 250)),
        red=_colors("red", *_FLAG_RED),
        stem=(110, 150, 130),
        stem_width=0.045,
        leaf=LeafStyle("blade", 1.2, 0.08, _LANCE, color=(112, 150, 136)),
        leaves=(2, 2),
        size=0.85,
        singular="{} carnation",
        plural="{} carnations",
    ),
    "lily-of-the-valley": Species(
        "lily-of-the-valley",
        paint_lily_of_the_valley,
        natural=(_colors("white", (190, 202, 185), (240, 243, 236), (255, 255, 252), accent=_LILY_GREEN),),
        white=_colors("white", (190, 202, 185), (240, 243, 236), (255, 255, 252), accent=_LILY_GREEN),
        red=_colors("red", (150, 30, 50), (208, 62, 82), (232, 108, 118), accent=_LILY_GREEN),
        stem=_LILY_GREEN,
        stem_width=0.03,
        leaf=LeafStyle("blade", 1.45, 0.3, _STRAP, color=(70, 120, 60), from_ground=True),
        leaves=(2, 2),
        size=1.45,
        side_view=True,
        attach=(-0.35, 0.95),
        centre=(0.25, 0.05),
        singular="sprig of {} lily of the valley",
        plural="sprigs of {} lily of the valley",
    ),
    "sunflower": Species(
        "sunflower",
        paint_sunflower,
        natural=(_colors("yellow", (225, 130, 10), (250, 190, 30), (255, 212, 55), *_SUNFLOWER_HEAD),),
        white=_colors("white", (214, 200, 156), (244, 238, 214), (252, 250, 238), *_SUNFLOWER_HEAD),
        red=_colors("red", (110, 18, 16), (168, 36, 26), (196, 62, 36), *_SUNFLOWER_HEAD),
        stem=(96, 130, 60),
        stem_width=0.1,
        leaf=LeafStyle("blade", 1.0, 0.75, _HEART, teeth=12, color=(84, 120, 50)),
        leaves=(1, 2),
        size=1.05,
        singular="{} sunflower",
        plural="{} sunflowers",
    ),
}
