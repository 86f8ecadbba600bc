"""Visual styles as data, and the contrast arithmetic that keeps their text legible.

A style says what carries the text (its `surface`), in which colours, and where the text goes in each
orientation (`Layouts`, fractions of the platform's safe zone). compose.py draws it; whatever the colours,
the renderer measures the pixels behind the text and strengthens the surface until the text reaches AA.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from generator.errors import UsageError

if TYPE_CHECKING:
    from generator.spec import PostSpec

RGB = tuple[int, int, int]
MIN_CONTRAST = 4.5  # WCAG AA for body text
CONTRAST_TARGET = 4.6  # a little headroom over AA against rounding in encoders (above 21 ** 0.5: fails_for_certain)

SURFACES = ("panel", "band", "scrim", "frame", "flag")
EDGES = ("top", "bottom", "left", "right", "away-y", "away-x")
BLEEDS = ("none", "across", "edge")


class Placement(NamedTuple):  # not a dataclass: an eighth of the import cost, paid by every cold `make`
    """Where the text panel goes in one orientation, in fractions of the safe zone.

    `edge` is the safe zone's side the panel keeps to: top, bottom, left, right, or away-y / away-x for the
    side (vertical / horizontal) the bloom is not on. `share` is the most of the safe zone the panel may take
    across that side (height for top/bottom, width for left/right) and `min_share` the least; `span` is how
    much of the other dimension it spans. `bleed` says how far the painted surface runs past the panel:
    none, across the whole canvas, or across and out to the canvas edge behind it.
    """

    edge: str
    share: float
    span: float = 1.0
    min_share: float = 0.0
    bleed: str = "none"

    @property
    def vertical(self) -> bool:
        """True when the panel sits at the top or bottom (a row), False for a left or right column."""
        return self.edge in ("top", "bottom", "away-y")


class Layouts(NamedTuple):  # not a dataclass: an eighth of the import cost, paid by every cold `make`
    portrait: Placement
    square: Placement
    landscape: Placement

    def placement(self, orientation: str) -> Placement:
        return getattr(self, orientation)


@dataclass(frozen=True)
class Style:
    name: str
    description: str
    surface: str  # what carries the text: panel, band, scrim, frame (polaroid) or flag (white-red-white)
    layouts: Layouts
    panel_colour: RGB  # the surface the text is set on (the card, band, scrim, paper or red stripe)
    panel_opacity: float  # the starting opacity; raised until the text reaches CONTRAST_TARGET
    text_colour: RGB
    accent_colour: RGB  # the rule between message and tag line, and a band's edge line
    ground_colour: RGB = (255, 255, 255)  # the flag's white stripes
    ground_opacity: float = 0.92
    blur: float = 0.0  # frosted-glass blur under the surface, as a fraction of the canvas width (0: sharp)
    corner_radius: float = 0.0  # fraction of the canvas's shorter side
    padding: float = 0.05  # fraction of the canvas's shorter side
    min_text: float = 0.037  # message size floor, fraction of canvas width (40 px at 1080)
    max_text: float = 0.068  # message size ceiling, fraction of canvas width
    tag_text: float = 0.033  # tag line size, fraction of canvas width
    shadow: float = 0.0  # opacity of a soft shadow under the letters (the scrim's)
    fade: float = 0.0  # how far past the panel a scrim fades out, fraction of the canvas along its axis
    edge_line: float = 0.0  # thickness of an accent line along a band's inner edge, fraction of the shorter side
    stripe: float = 0.0  # thickness of the flag's white stripes, fraction of the shorter side

    @property
    def shows_canvas(self) -> bool:
        """Whether the flower fills the canvas under the surface: all but the frame, which shows it in a window."""
        return self.surface != "frame"


# Where the text goes, per orientation. The card keeps to the side the bloom is not on; a banner and a scrim
# run out to the canvas edge behind the text; the frame's text takes the wide bottom margin (the right one on
# landscape) and the picture the rest; the flag's ribbon crosses the canvas. Landscape columns take 58% of the
# safe width: the longest bundled message, in every language, fits the 1200x627 presets at the minimum size.
_CARD = Layouts(portrait=Placement("away-y", 0.5), square=Placement("away-y", 0.5),
                landscape=Placement("away-x", 0.62))
_BAND = Layouts(portrait=Placement("away-y", 0.45, bleed="edge"), square=Placement("away-y", 0.48, bleed="edge"),
                landscape=Placement("away-x", 0.62, bleed="edge"))
_SCRIM = Layouts(portrait=Placement("away-y", 0.5, bleed="edge"), square=Placement("away-y", 0.5, bleed="edge"),
                 landscape=Placement("away-x", 0.62, bleed="edge"))
_FRAME = Layouts(portrait=Placement("bottom", 0.42, min_share=0.24),
                 square=Placement("bottom", 0.46, min_share=0.28), landscape=Placement("right", 0.62))
_FLAG = Layouts(portrait=Placement("away-y", 0.48, bleed="across"),
                square=Placement("away-y", 0.5, bleed="across"), landscape=Placement("away-x", 0.62, bleed="edge"))

AMNESTY_RED = (218, 41, 28)
FLAG_RED = (190, 30, 45)  # a deep red of the historical white-red-white flag: white text on it reads at 6:1

STYLES: dict[str, Style] = {
    style.name: style
    for style in (
        Style("card", "a frosted dark card away from the bloom, white text, a red rule above the tags",
              "panel", _CARD, panel_colour=(18, 22, 34), panel_opacity=0.55, text_colour=(255, 255, 255),
              accent_colour=AMNESTY_RED, blur=0.018, corner_radius=0.028),
        Style("light-card", "a frosted white card away from the bloom, dark text, a red rule above the tags",
              "panel", _CARD, panel_colour=(250, 249, 246), panel_opacity=0.62, text_colour=(22, 24, 32),
              accent_colour=(200, 30, 30), blur=0.018, corner_radius=0.028),
        Style("banner", "a dark band across the edge away from the bloom (a side column on landscape), "
                        "edged in red",
              "band", _BAND, panel_colour=(24, 24, 28), panel_opacity=0.8, text_colour=(255, 255, 255),
              accent_colour=AMNESTY_RED, blur=0.03, padding=0.045, edge_line=0.007),
        Style("scrim", "no panel: the picture darkens softly towards the text, white letters with a soft shadow",
              "scrim", _SCRIM, panel_colour=(6, 8, 16), panel_opacity=0.5, text_colour=(255, 255, 255),
              accent_colour=AMNESTY_RED, shadow=0.55, fade=0.22),
        Style("polaroid", "the flower whole in a white frame, the message in dark ink on its wide margin",
              "frame", _FRAME, panel_colour=(250, 248, 243), panel_opacity=1.0, text_colour=(30, 30, 34),
              accent_colour=(200, 30, 30), padding=0.045, max_text=0.062),
        Style("white-red-white", "a ribbon in the white-red-white of the historical Belarusian flag, "
                                 "the message in white on the red",
              "flag", _FLAG, panel_colour=FLAG_RED, panel_opacity=0.94, text_colour=(255, 255, 255),
              accent_colour=(255, 255, 255), ground_colour=(255, 255, 255), ground_opacity=0.94, blur=0.02,
              padding=0.045, stripe=0.075),
    )
}

DEFAULT_STYLE = "card"


def get_style(name: str) -> Style:
    try:
        return STYLES[name]
    except KeyError:
        raise UsageError(f"unknown style '{name}'; choose one of: {', '.join(STYLES)}") from None


# --- a campaign's own colours ------------------------------------------------------------------------------

class Palette(NamedTuple):  # not a dataclass: an eighth of the import cost, paid by every cold `make`
    """Colours a campaign kit puts in place of a style's own; None keeps the style's."""

    panel: RGB | None = None
    text: RGB | None = None
    accent: RGB | None = None

    def as_json(self) -> list:
        return [list(colour) if colour else None for colour in (self.panel, self.text, self.accent)]


_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\Z")


def parse_colour(text: str) -> RGB:
    """'#1d1d1b' (or '#fff') as an RGB triple; ValueError for anything else."""
    match = _HEX.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(text)
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def style_for(spec: PostSpec) -> Style:
    """The spec's style in its campaign's colours (if any), with a text colour its surface can carry."""
    return themed(get_style(spec.style), spec.palette)


def themed(style: Style, palette: Palette | None) -> Style:
    """The style in a palette's colours, made legible before any pixel is looked at.

    The surface at full opacity must carry the text at CONTRAST_TARGET by itself, since that is where the
    renderer's opacity search ends. When a kit's text colour cannot reach it on the kit's panel colour, the
    text turns black or white, whichever reads better; and when the panel is a mid-tone on which neither
    quite does, the panel is deepened towards black until white text does.
    """
    if palette is not None:
        style = replace(style, panel_colour=palette.panel or style.panel_colour,
                        text_colour=palette.text or style.text_colour,
                        accent_colour=palette.accent or style.accent_colour)
    text, panel = legible_pair(style.text_colour, style.panel_colour)
    if (text, panel) != (style.text_colour, style.panel_colour):
        style = replace(style, text_colour=text, panel_colour=panel)
    return style


def legible_pair(text: RGB, panel: RGB) -> tuple[RGB, RGB]:
    if solid_contrast(text, panel) >= CONTRAST_TARGET:
        return text, panel
    text = max(((255, 255, 255), (0, 0, 0)), key=lambda candidate: solid_contrast(candidate, panel))
    for step in range(1, 21):
        if solid_contrast(text, panel) >= CONTRAST_TARGET:
            break
        text = (255, 255, 255)
        panel = tuple(round(c * (1 - 0.05 * step)) for c in panel)
    return text, panel


def solid_contrast(colour_a: RGB, colour_b: RGB) -> float:
    return contrast_ratio(relative_luminance(colour_a), relative_luminance(colour_b))


# --- contrast arithmetic -----------------------------------------------------------------------------------

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
    """The contrast of `text_colour` against the least favourable pixel of `backdrop` (a PIL RGB image).

    Text lighter than every pixel is least legible on the lightest, text darker than all on the darkest:
    the other extreme is only measured when the text's luminance lies between them.
    """
    rgb = backdrop if backdrop.mode == "RGB" else backdrop.convert("RGB")
    text = relative_luminance(text_colour)
    if text >= 0.5:
        lightest = _lightest(rgb)
        if text >= lightest:
            return contrast_ratio(text, lightest)
        return min(contrast_ratio(text, lightest), contrast_ratio(text, _darkest(rgb)))
    darkest = _darkest(rgb)
    if text <= darkest:
        return contrast_ratio(text, darkest)
    return min(contrast_ratio(text, darkest), contrast_ratio(text, _lightest(rgb)))


def contrast_floor(text_colour: RGB, corners) -> float:
    """A floor under worst_contrast(text_colour, image) for every image whose pixels lie, channel by
    channel, between the pixels of `corners` (an RGB image of fictitious pixels: the channels' lows and
    highs). Luminance and its lookup route only grow with each channel, so no real pixel is lighter than
    the highs or darker than the lows; 0.0 when the text's luminance lies between them (either may be worse).
    """
    text = relative_luminance(text_colour)
    rgb = corners if corners.mode == "RGB" else corners.convert("RGB")
    extremes = (_lightest, _darkest) if text >= 0.5 else (_darkest, _lightest)  # the likelier side first
    for extreme in extremes:
        luminance = extreme(rgb)
        if (text >= luminance) if extreme is _lightest else (text <= luminance):
            return contrast_ratio(text, luminance)
    return 0.0


def fails_for_certain(text_colour: RGB, sample) -> bool:
    """Whether worst_contrast(text_colour, region) < CONTRAST_TARGET is certain for every region that
    `sample` is some of the pixels of, so that the region's own pixels need not be tried.

    A sample's lightest pixel is no lighter, and its darkest no darker, than the region's. When the whole
    region lies on one side of the text's luminance, the text's worst contrast is with its pixel nearest
    the text's luminance, so the region's is no higher than the sample's. When the region has pixels on
    both sides, the text fails: it would need CONTRAST_TARGET against each, a spread of
    CONTRAST_TARGET ** 2 > 21 between them, wider than luminance gives ((1 + 0.05) / (0 + 0.05)).
    """
    return worst_contrast(text_colour, sample) < CONTRAST_TARGET


def luminance_extrema(image) -> tuple[float, float]:
    """The lowest and highest relative luminance among the pixels of an RGB image.

    Channels are linearised through lookup tables and mixed in C: a pixel loop in Python would cost
    a second per panel. The 8-bit rounding (at most 1/255 in luminance) is rounded against us.
    """
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    return _darkest(rgb), _lightest(rgb)


def _darkest(rgb) -> float:
    return max(0.0, _mixed_luminance(rgb, rounded_up=False).getextrema()[0] / 255 - 1 / 255)


def _lightest(rgb) -> float:
    return min(1.0, _mixed_luminance(rgb, rounded_up=True).getextrema()[1] / 255 + 1 / 255)


def _mixed_luminance(rgb, rounded_up: bool):
    return rgb.point(_linear_tables()[rounded_up]).convert("L", (0.2126, 0.7152, 0.0722, 0))


_LINEAR_FLOOR = [int(_linear(c) * 255) for c in range(256)]
_LINEAR_CEIL = [min(255, -int(-_linear(c) * 255 // 1)) for c in range(256)]


@cache
def _linear_tables():
    """The channels linearised, rounded down and up, as tables for all three bands (made when first used:
    the command line reads styles without drawing, and without importing Pillow)."""
    from generator.lookup import Table

    return Table(_LINEAR_FLOOR * 3), Table(_LINEAR_CEIL * 3)
