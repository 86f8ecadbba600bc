"""Visual styles as data, and the contrast arithmetic that keeps their text legible."""

from __future__ import annotations

from dataclasses import dataclass

from generator.errors import UsageError

RGB = tuple[int, int, int]
MIN_CONTRAST = 4.5  # WCAG AA for body text
CONTRAST_TARGET = 4.6  # a little headroom over AA against rounding in encoders


@dataclass(frozen=True)
class Style:
    name: str
    description: str
    panel_colour: RGB
    panel_opacity: float  # the starting opacity; raised until the text reaches CONTRAST_TARGET
    text_colour: RGB
    accent_colour: RGB  # the rule between message and tag line
    blur: float  # frosted-glass blur under the panel, as a fraction of the canvas width
    corner_radius: float  # fraction of the canvas's shorter side
    padding: float  # fraction of the canvas's shorter side
    min_text: float = 0.037  # message size floor, fraction of canvas width (40 px at 1080)
    max_text: float = 0.068  # message size ceiling, fraction of canvas width
    tag_text: float = 0.033  # tag line size floor, fraction of canvas width
    panel_share: float = 0.5  # how much of the safe zone's height (portrait) the panel may take
    side_share: float = 0.58  # how much of the safe zone's width (landscape) the side panel takes


STYLES: dict[str, Style] = {
    style.name: style
    for style in (
        Style("card", "a frosted dark card away from the bloom, white text, a red rule above the tags",
              panel_colour=(18, 22, 34), panel_opacity=0.55, text_colour=(255, 255, 255),
              accent_colour=(218, 41, 28), blur=0.018, corner_radius=0.028, padding=0.05),
        Style("light-card", "a frosted white card away from the bloom, dark text, a red rule above the tags",
              panel_colour=(250, 249, 246), panel_opacity=0.62, text_colour=(22, 24, 32),
              accent_colour=(200, 30, 30), blur=0.018, corner_radius=0.028, padding=0.05),
    )
}

DEFAULT_STYLE = "card"


def get_style(name: str) -> Style:
    try:
        return STYLES[name]
    except KeyError:
        raise UsageError(f"unknown style '{name}'; choose one of: {', '.join(STYLES)}") from None


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: RGB) -> float:
    red, green, blue = (_linear(c) for c in colour[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(luminance_a: float, luminance_b: float) -> float:
    light, dark = max(luminance_a, luminance_b), min(luminance_a, luminance_b)
    return (light + 0.05) / (dark + 0.05)


def worst_contrast(text_colour: RGB, backdrop) -> float:
    """The contrast of `text_colour` against the least favourable pixel of `backdrop` (a PIL RGB image)."""
    darkest, lightest = luminance_extrema(backdrop)
    text = relative_luminance(text_colour)
    return min(contrast_ratio(text, darkest), contrast_ratio(text, lightest))


def luminance_extrema(image) -> tuple[float, float]:
    """The lowest and highest relative luminance among the pixels of an RGB image.

    Channels are linearised through lookup tables and mixed in C: a pixel loop in Python would cost
    a second per panel. The 8-bit rounding (at most 1/255 in luminance) is rounded against us.
    """
    rgb = image.convert("RGB")
    darkest = _mixed_luminance(rgb, _LINEAR_FLOOR).getextrema()[0] / 255
    lightest = _mixed_luminance(rgb, _LINEAR_CEIL).getextrema()[1] / 255
    return max(0.0, darkest - 1 / 255), min(1.0, lightest + 1 / 255)


def _mixed_luminance(rgb, table: list[int]):
    return rgb.point(table * 3).convert("L", (0.2126, 0.7152, 0.0722, 0))


_LINEAR_FLOOR = [int(_linear(c) * 255) for c in range(256)]
_LINEAR_CEIL = [min(255, -int(-_linear(c) * 255 // 1)) for c in range(256)]
