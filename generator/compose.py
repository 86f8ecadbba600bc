"""Draws a PostSpec: the picture, the surface that carries the text (a card, band, scrim, frame or flag
ribbon, by style), the message, a rule, the tag line, and a campaign's logo.

Geometry first (`plan_layout`, no pixels), then the pixels: the surface is strengthened, step by step,
until every pixel behind the text gives it AA contrast.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import NamedTuple

from PIL import Image, ImageDraw, ImageFilter

from generator import fonts
from generator.caches import MB, bytes_bounded
from generator.errors import MESSAGE_TOO_TALL, LayoutError
from generator.flowers import Background, background
from generator.layout import ASCENT, DESCENT, Box, TextBlock, fit_text, greedy_lines, hyphenator, require_fit
from generator.lookup import Table
from generator.meanwhile import Done
from generator.pictures import (Frosted, Pictures, channel_extremes, frosted, make_meanwhile, unblurred,
                                window_meanwhile)
from generator.spec import PostSpec
from generator.styles import (CONTRAST_TARGET, Placement, Style, contrast_floor, fails_for_certain, style_for,
                              worst_contrast)
from generator.typeset import draw_line, line_extent, rasterize_line

TAG_JOINER = "  "
TAG_SHRINK = 0.75  # the smallest tag line, as a share of the style's tag size
TAG_PITCH = 1.25  # the tag line's line height, in its font sizes
TAG_BASELINE = 0.95  # its first baseline below its top (tags are Latin letters, digits, @, # and _)
OPACITY_STEP = 0.05
SAMPLE_STEP = 4  # the contrast search's quick failing test reads about one pixel in SAMPLE_STEP x SAMPLE_STEP


@dataclass
class Rendered:
    image: Image.Image
    under_text: tuple[Box, Image.Image]  # the backdrop where the text and its shadow went, kept before drawing
    panel: Box  # the text's panel, inside the safe zone
    message_box: Box
    tag_box: Box
    text_colour: tuple[int, int, int]
    message: TextBlock
    ink: list[tuple[int, int, int, int]] = field(default_factory=list)  # each drawn line's ink box
    surface: Box | None = None  # everything the style painted to carry the text (may run to the canvas edges)
    logo: Box | None = None
    opacity: float = 1.0  # the surface opacity the contrast search settled on
    window: Box | None = None  # the frame style's picture window
    full_window: Box | None = None  # the largest it gets in this format: the picture the window is cut from
    # The pixel rows [top, bottom) anything was drawn on: outside them the image is the background whose
    # serial is `picture`, pixel for pixel (a JPEG re-encodes only these rows). None when the frame's paper or
    # the debug overlay covers the whole canvas.
    drawn_rows: tuple[int, int] | None = None
    picture: int | None = None

    @cached_property
    def contrast(self) -> float:
        """The text colour's worst contrast on the backdrop behind the text area: measured when asked, on the
        pixels kept from under the text (a batch never asks; the search has already made sure of AA)."""
        box, pixels = self.under_text
        area = (self.message_box.left, self.message_box.top, self.message_box.right, self.tag_box.bottom)
        return worst_contrast(self.text_colour, pixels.crop((area[0] - box.left, area[1] - box.top,
                                                             area[2] - box.left, area[3] - box.top)))

    @property
    def backdrop(self) -> Image.Image:
        """The picture with its surface (and logo), before any text: what the text is read against. Made on
        demand: copying the whole canvas for every post cost more than the contrast check that reads it."""
        box, pixels = self.under_text
        backdrop = self.image.copy()
        backdrop.paste(pixels, box.corners[:2])
        return backdrop


class _Plan(NamedTuple):  # not a dataclass: an eighth of the import cost, paid by every cold `make`
    panel: Box
    surface: Box
    message_box: Box
    tag_box: Box
    message: TextBlock
    tag_lines: tuple[str, ...]
    tag_size: int
    rule: Box
    edge: str  # the safe zone's side the panel keeps to, with away-x / away-y resolved
    first_baseline: int
    window: Box | None = None  # the frame style's picture window
    full_window: Box | None = None  # the largest it gets in this format (the picture is made once, at this size)

    @property
    def vertical(self) -> bool:
        return self.edge in ("top", "bottom")

    @property
    def text_area(self) -> Box:
        return Box(self.message_box.left, self.message_box.top, self.message_box.right, self.tag_box.bottom)


def render(spec: PostSpec, pictures: Pictures | None = None) -> Rendered:
    """The post's pixels. `pictures`: its canvas and frosted layer as `pictures.make_meanwhile` gives them,
    when the caller has started them already."""
    style = style_for(spec)
    if pictures is None:
        pictures = make_meanwhile(spec.flower, spec.format.size, style.blur, shown=style.shows_canvas)
    elif pictures.blur != style.blur:
        pictures.result()
        raise ValueError(f"pictures made with blur {pictures.blur} for a style blurring {style.blur}")
    window = Done(None)
    try:
        window = window_meanwhile(spec.flower, _largest_window(spec, style))
        plan = plan_layout(spec, style, pictures.focus)
        if not (pictures.done() and window.done()):
            _rasterize_text(plan, spec)
            Image.preinit()  # the encoder's plugins, imported while the picture is still being made
    except BaseException:
        pictures.result()  # the picture's own error comes first, as when it was made before the text
        window.result()
        raise
    canvas, layer = pictures.result()
    base = _base(spec, style, plan, canvas, window.result())
    if layer is None:
        layer = frosted(spec.flower, spec.format.size, style.blur, _layer_reads(plan, style, spec.format.size),
                        pictures.whole_layer) if style.blur else unblurred(base)
    opacity = _opacity_for_contrast(layer, plan, style, spec.format.size)
    backdrop = _PAINTERS[style.surface](base, layer, spec, style, plan, opacity)
    logo = _place_logo(backdrop, spec, plan, style) if spec.logo else None
    reach = Box(0, 0, *spec.format.size) if spec.debug else _text_reach(plan, spec.format.size, plan.message.size)
    under_text = (reach, backdrop.crop(reach.corners))
    image = backdrop  # the text is drawn on it in place
    ink = _draw_text(image, plan, spec, style)
    if spec.debug:
        _draw_debug(image, spec, plan, _focus_point(spec, plan, pictures.focus), logo)
    drawn = None if spec.debug or plan.window else _drawn_rows([*_painted(plan, style, spec.format.size), reach,
                                                               *([logo] if logo else [])], ink)
    return Rendered(image, under_text, plan.panel, plan.message_box, plan.tag_box, style.text_colour, plan.message,
                    ink, plan.surface, logo, opacity, plan.window, plan.full_window, drawn,
                    None if canvas is None else canvas.serial)


def _drawn_rows(boxes: list[Box], ink: list[tuple[int, int, int, int]]) -> tuple[int, int]:
    tops = [box.top for box in boxes] + [top for _, top, _, _ in ink]
    bottoms = [box.bottom for box in boxes] + [bottom for _, _, _, bottom in ink]
    return max(0, min(tops)), max(bottoms)


# --- geometry ----------------------------------------------------------------------------------------------

class _Room(NamedTuple):  # not a dataclass: an eighth of the import cost, paid by every cold `make`
    """The space a format and style give the text, before the message is fitted into it."""

    safe: Box
    placement: Placement
    padding: int
    panel_width: int
    max_panel_height: int
    min_panel_height: int
    text_width: int
    message_height: int
    min_size: int
    max_size: int
    tag_lines: tuple[str, ...]
    tag_size: int
    gap: int
    rule_height: int

    @property
    def tag_height(self) -> int:
        return round(self.tag_size * TAG_PITCH) * len(self.tag_lines)


def check_fits(spec: PostSpec) -> None:
    """Raise LayoutError now if the message cannot be set legibly in this format (no pixels touched)."""
    room = _room(spec, style_for(spec))
    message_chain, _ = _chains(spec)
    try:
        require_fit(spec.message, room.text_width, room.message_height, room.min_size, message_chain.measure,
                    hyphenator(spec.language))
    except LayoutError as error:
        raise error.reworded(f"{spec.format.name}: {error}", format=spec.format.name) from None
    if _has_marks(spec.message):  # stacked marks' ink can overflow a room the lines fit: measured as drawn
        _fit_with_ink(spec, room, message_chain)


def _has_marks(text: str) -> bool:
    return any(unicodedata.category(char) in ("Mn", "Me") for char in text)


def _room(spec: PostSpec, style: Style) -> _Room:
    width, height = spec.format.size
    safe = Box(*spec.format.safe_zone.box(spec.format.size))
    placement = style.layouts.placement(spec.format.orientation)
    padding = round(style.padding * min(width, height))
    if placement.vertical:
        panel_width, max_height = round(safe.width * placement.span), round(safe.height * placement.share)
        min_height = round(safe.height * placement.min_share)
    else:
        panel_width, max_height = round(safe.width * placement.share), round(safe.height * placement.span)
        min_height = 0
    text_width = panel_width - 2 * padding
    message_chain, tag_chain = _chains(spec)
    _require_bidi_support(spec.message, message_chain)
    tag_size = _tag_size(spec.tags, text_width, max(round(style.tag_text * width), 1), tag_chain.measure)
    tag_lines = tuple(greedy_lines(TAG_JOINER.join(spec.tags), text_width, tag_size, tag_chain.measure,
                                   _tag_breaks))
    gap = round(tag_size * 0.7)
    rule_height = max(2, round(width / 400))
    tag_height = round(tag_size * TAG_PITCH) * len(tag_lines)
    message_height = max_height - 2 * padding - 2 * gap - rule_height - tag_height
    min_size = round(style.min_text * width)
    return _Room(safe, placement, padding, panel_width, max_height, min_height, text_width, message_height,
                 min_size, max(min_size, round(style.max_text * width)), tag_lines, tag_size, gap, rule_height)


def plan_layout(spec: PostSpec, style: Style, focus: tuple[float, float] | None) -> _Plan:
    """Pure geometry: where the panel, message, rule and tags go for this format, style and focal point (None
    for a style that does not show the canvas)."""
    room = _room(spec, style)
    message_chain, _ = _chains(spec)
    message, over_top, over_bottom = _fit_with_ink(spec, room, message_chain)
    message_height = message.height + over_top + over_bottom
    content = message_height + 2 * room.gap + room.rule_height + room.tag_height
    panel_height = min(room.max_panel_height, max(room.min_panel_height, content + 2 * room.padding))
    edge = _resolve_edge(room.placement.edge, focus)
    panel = _place_panel(edge, room.safe, room.panel_width, panel_height)
    top = panel.top + max(0, (panel_height - content) // 2)
    message_box = Box(panel.left + room.padding, top, panel.right - room.padding, top + message_height)
    rule_top = message_box.bottom + room.gap
    rule_width = round(room.text_width * 0.12)
    centre = (panel.left + panel.right) // 2
    rule = Box(centre - rule_width // 2, rule_top, centre + rule_width // 2, rule_top + room.rule_height)
    tag_top = rule.bottom + room.gap
    tag_box = Box(message_box.left, tag_top, message_box.right, tag_top + room.tag_height)
    surface = _surface(panel, edge, room.placement.bleed, spec.format.size)
    window = full_window = None
    if not style.shows_canvas:
        window = _window(room.safe, panel, edge)
        full_window = _full_window(room, edge)
    return _Plan(panel, surface, message_box, tag_box, message, room.tag_lines, room.tag_size, rule, edge,
                 top + over_top + round(message.size * ASCENT), window, full_window)


def _fit_with_ink(spec: PostSpec, room: _Room, chain: fonts.FontChain) -> tuple[TextBlock, int, int]:
    """The message fitted so that its ink, marks stacked above or below the lines included, stays in the room:
    if the ink overshoots, the text is fitted again into the room less the overshoot."""
    height = room.message_height
    best = None
    for _ in range(3):
        try:
            message = fit_text(spec.message, room.text_width, height, room.min_size, room.max_size, chain.measure,
                               hyphenator(spec.language), chain.bounds)
        except LayoutError as error:
            if best is None:
                raise error.reworded(f"{spec.format.name}: {error}", format=spec.format.name) from None
            break
        over_top, over_bottom = _overshoot(chain, message)
        excess = message.height + over_top + over_bottom - room.message_height
        if excess <= 0:
            return message, over_top, over_bottom
        best = (message, over_top, over_bottom, excess)
        height -= excess
    message, over_top, over_bottom, excess = best
    if excess <= room.padding // 2:  # a few pixels of ink may reach into the panel's padding
        return message, over_top, over_bottom
    raise LayoutError(f"{spec.format.name}: the message's stacked accents or marks make it {excess} px too tall "
                      f"to fit; remove some of them or shorten the message", MESSAGE_TOO_TALL, format=spec.format.name)


def _overshoot(chain: fonts.FontChain, message: TextBlock) -> tuple[int, int]:
    """Pixels by which the first line's ink rises above, and the last line's falls below, the room every
    script is given (a stack of Arabic marks, say): the box grows so that no ink ever leaves it."""
    if not message.lines:
        return 0, 0
    above, _ = line_extent(chain, message.lines[0], message.size)
    _, below = line_extent(chain, message.lines[-1], message.size)
    return (max(0, math.ceil(above - round(message.size * ASCENT))),
            max(0, math.ceil(below - round(message.size * DESCENT))))


def _tag_size(tags: tuple[str, ...], width: int, size: int, measure) -> int:
    """The tag line's size, a little smaller when that keeps every tag whole: a handle or hashtag cut in two
    reads as two words. Past TAG_SHRINK of the style's size, a tag wider than the box is cut instead."""
    floor = max(1, round(size * TAG_SHRINK))
    widest = max((measure(tag, size) for tag in tags), default=0)
    if widest <= width:
        return size
    fitted = max(floor, int(size * width / widest))
    while fitted > floor and max(measure(tag, fitted) for tag in tags) > width:  # hinting is not quite linear
        fitted -= 1
    return fitted


def _tag_breaks(tag: str) -> list[int]:
    """Where a tag too wide for its box may be cut: between the words of a CamelCase hashtag, at a digit, or
    before a handle's server (@name|@server), never between two letters of one word."""
    return [index for index in range(2, len(tag))
            if (tag[index].isupper() and tag[index - 1].islower()) or (tag[index].isdigit() != tag[index - 1].isdigit())
            or (tag[index] == "@")]


def _chains(spec: PostSpec) -> tuple[fonts.FontChain, fonts.FontChain]:
    return fonts.chain_for(fonts.MESSAGE_WEIGHT, spec.font), fonts.chain_for(fonts.TAG_WEIGHT)


def _require_bidi_support(text: str, chain: fonts.FontChain) -> None:
    if not fonts.has_raqm() and any(run.rtl for run in chain.runs(text)):
        raise LayoutError("right-to-left text needs Pillow with libraqm (FriBiDi and HarfBuzz) to be shaped and "
                          "ordered correctly; install Pillow's official wheels, which include it")


def _largest_window(spec: PostSpec, style: Style) -> Box | None:
    """The frame style's picture window at its largest in this format, known before the message is fitted, so
    that its picture is made meanwhile (None for a style without a window)."""
    if style.shows_canvas:
        return None
    room = _room(spec, style)
    return _full_window(room, _resolve_edge(room.placement.edge, None))


def _full_window(room: _Room, edge: str) -> Box:
    """The window beside the smallest panel the format allows: every window of the format is cut from its
    picture (a side panel's height never moves the window's edge)."""
    return _window(room.safe, _place_panel(edge, room.safe, room.panel_width, room.min_panel_height), edge)


def _resolve_edge(edge: str, focus: tuple[float, float] | None) -> str:
    """away-y / away-x: the side of the picture the bloom is not on (`focus`, the canvas's focal point: None
    for a style that does not show the canvas, whose panel must have a side of its own)."""
    if edge.startswith("away") and focus is None:
        raise ValueError(f"a panel placed {edge} needs the focal point of a canvas this style does not show")
    if edge == "away-y":
        return "bottom" if focus[1] < 0.5 else "top"
    if edge == "away-x":
        return "right" if focus[0] < 0.5 else "left"
    return edge


def _place_panel(edge: str, safe: Box, panel_width: int, panel_height: int) -> Box:
    if edge in ("top", "bottom"):
        left = safe.left + (safe.width - panel_width) // 2
        top = safe.top if edge == "top" else safe.bottom - panel_height
    else:
        top = safe.top + (safe.height - panel_height) // 2
        left = safe.left if edge == "left" else safe.right - panel_width
    return Box(left, top, left + panel_width, top + panel_height)


def _surface(panel: Box, edge: str, bleed: str, size: tuple[int, int]) -> Box:
    """The painted area: the panel itself, or a band across the canvas, or one running out to its edge."""
    if bleed == "none":
        return panel
    width, height = size
    if edge in ("top", "bottom"):
        top, bottom = panel.top, panel.bottom
        if bleed == "edge":
            top, bottom = (0, bottom) if edge == "top" else (top, height)
        return Box(0, top, width, bottom)
    left, right = panel.left, panel.right
    if bleed == "edge":
        left, right = (0, right) if edge == "left" else (left, width)
    return Box(left, 0, right, height)


def _window(safe: Box, panel: Box, edge: str) -> Box:
    """The frame style's picture: the safe zone less the side the text panel takes."""
    return {
        "bottom": Box(safe.left, safe.top, safe.right, panel.top),
        "top": Box(safe.left, panel.bottom, safe.right, safe.bottom),
        "right": Box(safe.left, safe.top, panel.left, safe.bottom),
        "left": Box(panel.right, safe.top, safe.right, safe.bottom),
    }[edge]


# --- pixels ------------------------------------------------------------------------------------------------

def _base(spec: PostSpec, style: Style, plan: _Plan, canvas: Background | None,
          window: Background | None) -> Image.Image:
    """The picture the surface is painted on: the flower's canvas, or for the frame style paper with the flower
    in its window, cut from one picture made at the largest window size (so that a batch of messages of every
    length shares it)."""
    if plan.window is None:
        if canvas is None:
            raise ValueError(f"pictures made without their canvas, for the {style.name} style, which shows it")
        return canvas.image.copy()
    paper = Image.new("RGB", spec.format.size, style.panel_colour)
    paper.paste(window_cut(window.image, window.focus, plan.window, plan.full_window), plan.window.corners[:2])
    return paper


def window_cut(picture: Image.Image, focus: tuple[float, float], window: Box, full: Box) -> Image.Image:
    """The window's share of a picture made at the full window's size, the focal point kept as central as
    the edges allow (an animation cuts its moving frames the same way)."""
    left = _clamp(round(focus[0] * full.width - window.width / 2), 0, full.width - window.width)
    top = _clamp(round(focus[1] * full.height - window.height / 2), 0, full.height - window.height)
    return picture.crop((left, top, left + window.width, top + window.height))


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _opacity_for_contrast(layer: Frosted, plan: _Plan, style: Style, size: tuple[int, int]) -> float:
    """The lowest surface opacity, from the style's own upwards, at which every pixel behind the text gives
    it AA contrast. Only the pixels behind the text (and a margin round it) are tried."""
    margin = max(2, round(style.padding * min(size) / 4))
    area = plan.text_area
    region = (max(plan.panel.left, area.left - margin), max(plan.panel.top, area.top - margin),
              min(plan.panel.right, area.right + margin), min(plan.panel.bottom, area.bottom + margin))
    bounds = layer.channel_bounds(region)
    under = None if bounds else layer.crop(region)
    corners = _channel_corners(bounds or channel_extremes(under))
    sample = None
    opacity = style.panel_opacity
    while opacity < 1.0:
        # The pixel-by-pixel test costs a whole region's passes; the same decision is often certain sooner.
        # Blending only grows with each channel: if the region's fictitious worst pixels pass, every real
        # pixel does. And if a sample of its real pixels fails, the region does.
        tint = _tint_table(style.panel_colour, opacity)
        if contrast_floor(style.text_colour, corners.point(tint)) >= CONTRAST_TARGET:
            return opacity
        sample = layer.sample(region, SAMPLE_STEP) if sample is None else sample
        if not fails_for_certain(style.text_colour, sample.point(tint)):
            under = layer.crop(region) if under is None else under
            if worst_contrast(style.text_colour, under.point(tint)) >= CONTRAST_TARGET:
                return opacity
        opacity = round(opacity + OPACITY_STEP, 2)
    return 1.0


def _channel_corners(extremes: tuple[tuple[int, int], ...]) -> Image.Image:
    """Two fictitious pixels: the lowest red, green and blue of `extremes`, and the highest, for
    contrast_floor: no pixel whose channels lie between them is lighter than the one or darker than the
    other."""
    corners = Image.new("RGB", (2, 1))
    corners.putpixel((0, 0), tuple(low for low, _ in extremes))
    corners.putpixel((1, 0), tuple(high for _, high in extremes))
    return corners


def _tinted(layer: Frosted, box: Box, colour, opacity: float) -> Image.Image:
    region = layer.crop(box.corners)
    if opacity >= 1.0:
        return Image.new("RGB", region.size, colour)
    return region.point(_tint_table(colour, opacity))


@lru_cache(maxsize=256)
def _tint_table(colour: tuple[int, int, int], opacity: float) -> Table:
    """Image.blend(image, a plain `colour` image, opacity) as a table for image.point(), byte for byte: the
    blend works on each byte alone, so blending the 256 values once gives every pixel's result. A lookup
    costs a fraction of the blend's float arithmetic, and no plain image is made."""
    ramp = Image.new("RGB", (256, 1))
    ramp.putdata([(value, value, value) for value in range(256)])
    blended = Image.blend(ramp, Image.new("RGB", ramp.size, colour), opacity).tobytes()
    return Table(blended[3 * value + band] for band in range(3) for value in range(256))


def _paint_panel(base, layer, spec: PostSpec, style: Style, plan: _Plan, opacity: float) -> Image.Image:
    box = plan.surface
    tinted = _tinted(layer, box, style.panel_colour, opacity)
    if not style.corner_radius:
        base.paste(tinted, box.corners[:2])
        return base
    size = (box.width, box.height)
    mask = _rounded_mask(size, style.corner_radius, spec.format.size)
    solid_top, solid_bottom = _solid_rows(size, style.corner_radius, spec.format.size)
    # Only the rows with rounded corners need the mask: a pixel pasted through a full mask is the pasted
    # pixel, so the rest goes in as a plain copy, and the corner rows are blended against what was there.
    edges = [(0, solid_top), (solid_bottom, box.height)]
    behind = [base.crop((box.left, box.top + top, box.right, box.top + bottom)) for top, bottom in edges]
    base.paste(tinted, box.corners[:2])
    for (top, bottom), pixels in zip(edges, behind):
        if bottom > top:
            pixels.paste(tinted.crop((0, top, box.width, bottom)), (0, 0), mask.crop((0, top, box.width, bottom)))
            base.paste(pixels, (box.left, box.top + top))
    return base


def _paint_band(base, layer, spec: PostSpec, style: Style, plan: _Plan, opacity: float) -> Image.Image:
    """A band across the canvas (or a column down it), with an accent line along its inner edge."""
    _paint_panel(base, layer, spec, style, plan, opacity)
    thickness = max(2, round(style.edge_line * min(spec.format.size))) if style.edge_line else 0
    if thickness:
        box = plan.surface
        line = {"bottom": (box.left, box.top, box.right, box.top + thickness),
                "top": (box.left, box.bottom - thickness, box.right, box.bottom),
                "right": (box.left, box.top, box.left + thickness, box.bottom),
                "left": (box.right - thickness, box.top, box.right, box.bottom)}[plan.edge]
        ImageDraw.Draw(base).rectangle((line[0], line[1], line[2] - 1, line[3] - 1), fill=style.accent_colour)
    return base


def _paint_scrim(base, layer, spec: PostSpec, style: Style, plan: _Plan, opacity: float) -> Image.Image:
    """No panel: the picture darkens from the canvas edge, fully behind the text, then fades out."""
    box, fade = _scrim_box(plan, style, spec.format.size)
    plateau = plan.surface.height if plan.vertical else plan.surface.width
    mask = _scrim_mask((box.width, box.height), plan.edge, plateau, fade, round(opacity * 255))
    base.paste(Image.new("RGB", mask.size, style.panel_colour), box.corners, mask)  # faster than a colour fill
    return base


def _scrim_box(plan: _Plan, style: Style, size: tuple[int, int]) -> tuple[Box, int]:
    """The scrim's surface grown by its fade towards the picture, and the fade's length."""
    width, height = size
    box = plan.surface
    fade = round(style.fade * (height if plan.vertical else width))
    return {"bottom": Box(box.left, max(0, box.top - fade), box.right, box.bottom),
            "top": Box(box.left, box.top, box.right, min(height, box.bottom + fade)),
            "right": Box(max(0, box.left - fade), box.top, box.right, box.bottom),
            "left": Box(box.left, box.top, min(width, box.right + fade), box.bottom)}[plan.edge], fade


def _painted(plan: _Plan, style: Style, size: tuple[int, int]) -> list[Box]:
    """Every box the style's painter changes (see _PAINTERS)."""
    if style.surface == "scrim":
        return [_scrim_box(plan, style, size)[0]]
    if style.surface == "flag":
        red, whites = _flag_stripes(plan, style, size)
        return [red, *(white for white in whites if white.width > 0 and white.height > 0)]
    return [plan.surface]


def _paint_frame(base, layer, spec: PostSpec, style: Style, plan: _Plan, opacity: float) -> Image.Image:
    """The paper and the picture in it are the base already; a hairline keeps the picture's edge crisp."""
    window = plan.window
    shade = tuple(round(c * 0.86) for c in style.panel_colour)
    ImageDraw.Draw(base).rectangle((window.left - 1, window.top - 1, window.right, window.bottom), outline=shade)
    return base


def _paint_flag(base, layer, spec: PostSpec, style: Style, plan: _Plan, opacity: float) -> Image.Image:
    """White, red, white: the text on the red stripe, white stripes above and below it."""
    red, whites = _flag_stripes(plan, style, spec.format.size)
    for white in whites:
        if white.width > 0 and white.height > 0:
            base.paste(_tinted(layer, white, style.ground_colour, style.ground_opacity), white.corners[:2])
    base.paste(_tinted(layer, red, style.panel_colour, opacity), red.corners[:2])
    return base


def _flag_stripes(plan: _Plan, style: Style, size: tuple[int, int]) -> tuple[Box, tuple[Box, Box]]:
    """The flag's red stripe (behind the text) and the white stripe either side of it."""
    width, height = size
    red = Box(plan.surface.left, plan.panel.top, plan.surface.right, plan.panel.bottom)
    if plan.vertical:  # the outer stripe runs to the canvas edge, the inner one matches it up to a limit
        outer = red.top if plan.edge == "top" else height - red.bottom
        stripe = max(2, min(outer, round(style.stripe * min(width, height))))
        above, below = (outer, stripe) if plan.edge == "top" else (stripe, outer)
        whites = (Box(red.left, red.top - above, red.right, red.top),
                  Box(red.left, red.bottom, red.right, red.bottom + below))
    else:
        whites = (Box(red.left, 0, red.right, red.top), Box(red.left, red.bottom, red.right, height))
    return red, whites


_PAINTERS = {"panel": _paint_panel, "band": _paint_band, "scrim": _paint_scrim, "frame": _paint_frame,
             "flag": _paint_flag}


def _layer_reads(plan: _Plan, style: Style, size: tuple[int, int]) -> Box:
    """Everything the painters and the contrast search read of the frosted layer: the surface (a card or
    band holds its panel, where the search looks), or the flag's three stripes."""
    boxes = [plan.panel, plan.surface]
    if style.surface == "flag":
        red, whites = _flag_stripes(plan, style, size)
        boxes += [red, *(white for white in whites if white.width > 0 and white.height > 0)]
    return Box(min(box.left for box in boxes), min(box.top for box in boxes),
               max(box.right for box in boxes), max(box.bottom for box in boxes))


@bytes_bounded(8 * MB)
def _rounded_mask(size: tuple[int, int], corner_radius: float, canvas: tuple[int, int]) -> Image.Image:
    mask = Image.new("L", size, 0)
    radius = round(corner_radius * min(canvas))
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius, fill=255)
    return mask


@lru_cache(maxsize=64)
def _solid_rows(size: tuple[int, int], corner_radius: float, canvas: tuple[int, int]) -> tuple[int, int]:
    """The rows of the rounded mask that are opaque from edge to edge: from the first to the last whose
    leftmost pixel is (the corners are the only rounding), checked; (0, 0) if there are none."""
    mask = _rounded_mask(size, corner_radius, canvas)
    rows = [row for row, value in enumerate(mask.crop((0, 0, 1, size[1])).tobytes()) if value == 255]
    if not rows or mask.crop((0, rows[0], size[0], rows[-1] + 1)).getextrema() != (255, 255):
        return 0, 0
    return rows[0], rows[-1] + 1


@bytes_bounded(8 * MB)
def _scrim_mask(size: tuple[int, int], edge: str, plateau: int, fade: int, strength: int) -> Image.Image:
    """Full strength from the canvas edge over `plateau` pixels (to the panel's inner edge), then a smooth
    fall to nothing over `fade` pixels."""
    length = size[1] if edge in ("top", "bottom") else size[0]
    values = []
    for index in range(length):
        from_edge = index if edge in ("top", "left") else length - 1 - index
        t = min(1.0, (from_edge - plateau + 1) / fade) if from_edge >= plateau and fade else 0.0
        values.append(round(strength * (1 - t * t * (3 - 2 * t))))
    ramp = Image.new("L", (1, length) if edge in ("top", "bottom") else (length, 1))
    ramp.putdata(values)
    return ramp.resize(size, Image.Resampling.NEAREST)


# --- text and logo -----------------------------------------------------------------------------------------

def _draw_text(image: Image.Image, plan: _Plan, spec: PostSpec, style: Style) -> list[tuple[int, int, int, int]]:
    message, tags = _text_blocks(plan, spec)
    centre = _centre(plan)
    if style.shadow:
        _draw_shadow(image, plan, style, (message, tags), centre)
    ink = _draw_lines(image, message, centre, style.text_colour)
    ImageDraw.Draw(image).rectangle((plan.rule.left, plan.rule.top, plan.rule.right - 1, plan.rule.bottom - 1),
                                    fill=style.accent_colour)
    return ink + _draw_lines(image, tags, centre, style.text_colour)


def _text_blocks(plan: _Plan, spec: PostSpec) -> tuple[tuple, tuple]:
    """The message and the tag line, each as (font chain, lines, size, line pitch, first baseline)."""
    message_chain, tag_chain = _chains(spec)
    return ((message_chain, plan.message.lines, plan.message.size, plan.message.line_height, plan.first_baseline),
            (tag_chain, plan.tag_lines, plan.tag_size, round(plan.tag_size * TAG_PITCH),
             plan.tag_box.top + round(plan.tag_size * TAG_BASELINE)))


def _centre(plan: _Plan) -> float:
    return (plan.message_box.left + plan.message_box.right) / 2


def _line_starts(block: tuple, centre: float, dy: int = 0):
    """Each of a block's lines, centred: its text, left edge and baseline, and whether its paragraph runs right
    to left (it keeps its own visual order inside each line)."""
    chain, lines, size, pitch, first_baseline = block
    rtl = chain.is_rtl(" ".join(lines))
    for index, line in enumerate(lines):
        yield line, centre - chain.measure(line, size) / 2, first_baseline + dy + index * pitch, rtl


def _draw_lines(image, block: tuple, centre: float, colour, dy: int = 0) -> list[tuple[int, int, int, int]]:
    chain, _, size, _, _ = block
    return [draw_line(image, chain, line, size, left, baseline, colour, rtl)
            for line, left, baseline, rtl in _line_starts(block, centre, dy)]


def _rasterize_text(plan: _Plan, spec: PostSpec) -> None:
    """Rasterize the text's runs ahead, for `_draw_text` to find kept, while the picture is still being made
    (the shadow draws the same runs, shifted by whole pixels)."""
    for block in _text_blocks(plan, spec):
        chain, _, size, _, _ = block
        for line, left, baseline, rtl in _line_starts(block, _centre(plan)):
            rasterize_line(chain, line, size, left, baseline, rtl)


def _text_reach(plan: _Plan, size: tuple[int, int], overhang: int = 0) -> Box:
    """The text area grown by the shadow's spread, and by `overhang` for ink allowed past its box."""
    margin = 3 * max(2, round(plan.message.size * 0.08)) + overhang
    area = plan.text_area
    return Box(max(0, area.left - margin), max(0, area.top - margin),
               min(size[0], area.right + margin), min(size[1], area.bottom + margin))


def _draw_shadow(image, plan: _Plan, style: Style, blocks: tuple[tuple, tuple], centre: float) -> None:
    """A soft dark shadow under the letters: it settles them on a busy picture (contrast is already met)."""
    spread = max(2, round(plan.message.size * 0.08))
    box = _text_reach(plan, image.size)
    mask = Image.new("L", (box.width, box.height), 0)
    dx, dy = -box.left + spread // 2, -box.top + spread // 2
    for block in blocks:
        _draw_lines(mask, block, centre + dx, 255, dy)
    small = mask.reduce(2).filter(ImageFilter.GaussianBlur(spread / 2))  # a soft shadow loses nothing at half size
    mask = small.resize(mask.size, Image.Resampling.BILINEAR).point(_shadow_table(style.shadow))
    image.paste(Image.new("RGB", mask.size), box.corners, mask)


@lru_cache(maxsize=8)
def _shadow_table(strength: float) -> Table:
    return Table(round(value * strength) for value in range(256))


def _place_logo(image: Image.Image, spec: PostSpec, plan: _Plan, style: Style) -> Box:
    """The kit's logo in its corner of the safe zone, or the nearest corner clear of the text's surface."""
    logo = spec.logo
    picture = _logo_image(str(logo.path), logo.digest)
    safe = Box(*spec.format.safe_zone.box(spec.format.size))
    width = round(logo.width * spec.format.width)
    height = round(width * picture.height / picture.width)
    limit = round(safe.height * 0.22)
    if height > limit:
        width, height = round(width * limit / height), limit
    keep_clear = [plan.panel] + ([plan.surface] if style.surface in ("band", "flag") else [])
    vertical, horizontal = logo.position.split("-")
    flip = {"top": "bottom", "bottom": "top", "left": "right", "right": "left"}
    candidates = [(vertical, horizontal), (flip[vertical], horizontal), (vertical, flip[horizontal]),
                  (flip[vertical], flip[horizontal])]
    boxes = [_corner_box(safe, width, height, v, h) for v, h in candidates]
    box = next((b for b in boxes if not any(b.overlaps(clear) for clear in keep_clear)), boxes[0])
    scaled = picture.resize((width, height), Image.Resampling.LANCZOS)
    image.paste(scaled, box.corners[:2], scaled)
    return box


def _corner_box(safe: Box, width: int, height: int, vertical: str, horizontal: str) -> Box:
    left = safe.left if horizontal == "left" else safe.right - width
    top = safe.top if vertical == "top" else safe.bottom - height
    return Box(left, top, left + width, top + height)


@bytes_bounded(8 * MB)
def _logo_image(path: str, digest: str) -> Image.Image:
    from generator.kit import open_logo

    return open_logo(path)


# --- debugging ---------------------------------------------------------------------------------------------

def _focus_point(spec: PostSpec, plan: _Plan, focus: tuple[float, float]) -> tuple[float, float]:
    if plan.window is None:
        return focus[0] * spec.format.width, focus[1] * spec.format.height
    window, full = plan.window, plan.full_window
    inner = background(spec.flower, (full.width, full.height)).focus
    left = _clamp(round(inner[0] * full.width - window.width / 2), 0, full.width - window.width)
    top = _clamp(round(inner[1] * full.height - window.height / 2), 0, full.height - window.height)
    return window.left + inner[0] * full.width - left, window.top + inner[1] * full.height - top


def _draw_debug(image: Image.Image, spec: PostSpec, plan: _Plan, focus: tuple[float, float], logo: Box | None) -> None:
    draw = ImageDraw.Draw(image)
    safe = spec.format.safe_zone.box(spec.format.size)
    draw.rectangle(safe, outline=(0, 255, 255), width=3)
    boxes = [(plan.surface, (255, 255, 0)), (plan.panel, (255, 160, 0)), (plan.message_box, (255, 0, 255)),
             (plan.tag_box, (0, 255, 0))]
    boxes += [(logo, (40, 120, 255))] if logo else []
    boxes += [(plan.window, (255, 255, 255))] if plan.window else []
    for box, colour in boxes:
        draw.rectangle((box.left, box.top, box.right - 1, box.bottom - 1), outline=colour, width=2)
    x, y = focus
    draw.ellipse((x - 14, y - 14, x + 14, y + 14), outline=(255, 0, 0), width=4)
