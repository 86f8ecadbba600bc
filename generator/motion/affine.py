"""2-D affine maps as 6-tuples (a, b, c, d, e, f): x' = a x + b y + c, y' = d x + e y + f."""

from __future__ import annotations

import math

Affine = tuple[float, float, float, float, float, float]
IDENTITY: Affine = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)


def then(first: Affine, second: Affine) -> Affine:
    """`first`, then `second`."""
    a1, b1, c1, d1, e1, f1 = first
    a2, b2, c2, d2, e2, f2 = second
    return (a2 * a1 + b2 * d1, a2 * b1 + b2 * e1, a2 * c1 + b2 * f1 + c2,
            d2 * a1 + e2 * d1, d2 * b1 + e2 * e1, d2 * c1 + e2 * f1 + f2)


def translate(dx: float, dy: float) -> Affine:
    return (1.0, 0.0, dx, 0.0, 1.0, dy)


def about(pivot: tuple[float, float], linear: tuple[float, float, float, float]) -> Affine:
    """The linear map (a, b, d, e) applied around `pivot` instead of the origin."""
    a, b, d, e = linear
    px, py = pivot
    return (a, b, px - a * px - b * py, d, e, py - d * px - e * py)


def rotation(angle: float, pivot: tuple[float, float]) -> Affine:
    cos_a, sin_a = math.cos(angle), math.sin(angle)
    return about(pivot, (cos_a, -sin_a, sin_a, cos_a))


def scaling(factor: float, pivot: tuple[float, float]) -> Affine:
    return about(pivot, (factor, 0.0, 0.0, factor))


def stretch(along: float, across: float, direction: float, pivot: tuple[float, float]) -> Affine:
    """Scale by `along` in the direction `direction` (radians) and by `across` at right angles to it."""
    c, s = math.cos(direction), math.sin(direction)
    a = along * c * c + across * s * s
    b = (along - across) * c * s
    e = along * s * s + across * c * c
    return about(pivot, (a, b, b, e))


def inverse(m: Affine) -> Affine:
    a, b, c, d, e, f = m
    det = a * e - b * d
    ia, ib, id_, ie = e / det, -b / det, -d / det, a / det
    return (ia, ib, -(ia * c + ib * f), id_, ie, -(id_ * c + ie * f))


def apply(m: Affine, point: tuple[float, float]) -> tuple[float, float]:
    a, b, c, d, e, f = m
    x, y = point
    return (a * x + b * y + c, d * x + e * y + f)


def is_identity(m: Affine, tolerance: float = 1e-6) -> bool:
    return all(abs(v - w) <= tolerance for v, w in zip(m, IDENTITY))
