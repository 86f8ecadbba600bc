"""Draws a PostSpec: the flower, a panel placed away from the bloom, the message and the tag line."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter

from generator import fonts
from generator.flowers import background
from generator.errors import LayoutError
from generator.layout import Box, TextBlock, fit_text, greedy_lines, require_fit
from generator.spec import PostSpec
from generator.typeset import draw_line
from generator.styles import CONTRAST_TARGET, Style, get_style, worst_contrast

BASELINE = 0.95  # first baseline below a line's top, in font sizes: room for Ў, Й and accents
TAG_JOINER = "  "


@dataclass
class Rendered:
    image: Image.Image
    backdrop: Image.Image  # the picture with its panel, before any text: what the text is read against
    panel: Box
    message_box: Box
    tag_box: Box
    text_colour: tuple[int, int, int]
    contrast: float
    message: TextBlock
    ink: list[tuple[int, int, int, int]] = field(default_factory=list)  # each drawn line's ink box


@dataclass(frozen=True)
class _Plan:
    panel: Box
    message_box: Box
    tag_box: Box
    message: TextBlock
    tag_lines: tuple[str, ...]
    tag_size: int
    rule: Box


def render(spec: PostSpec) -> Rendered:
    style = get_style(spec.style)
    canvas = background(spec.flower, spec.format.size)
    plan = plan_layout(spec, style, canvas.focus)
    frosted = _frosted(spec.flower, spec.format.size, style).crop(_corners(plan.panel))
    panel = _tinted_for_contrast(frosted, plan, style)
    backdrop = canvas.image.copy()
    backdrop.paste(panel, (plan.panel.left, plan.panel.top), _rounded_mask(panel.size, style, spec.format.size))
    image = backdrop.copy()
    ink = _draw_text(image, plan, spec, style)
    if spec.debug:
        _draw_debug(image, spec, plan, canvas.focus)
    contrast = worst_contrast(style.text_colour, _text_region(backdrop, plan))
    return Rendered(image, backdrop, plan.panel, plan.message_box, plan.tag_box, style.text_colour, contrast,
                    plan.message, ink)


@dataclass(frozen=True)
class _Room:
    """The space a format and style give the text, before the message is fitted into it."""

    safe: Box
    padding: int
    panel_width: int
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
        return round(self.tag_size * 1.25) * len(self.tag_lines)


def check_fits(spec: PostSpec) -> None:
    """Raise LayoutError now if the message cannot be set legibly in this format (no pixels touched)."""
    room = _room(spec, get_style(spec.style))
    message_chain, _ = _chains(spec)
    try:
        require_fit(spec.message, room.text_width, room.message_height, room.min_size, message_chain.measure)
    except LayoutError as error:
        raise LayoutError(f"{spec.format.name}: {error}") from None


def _room(spec: PostSpec, style: Style) -> _Room:
    width, height = spec.format.size
    safe = Box(*spec.format.safe_zone.box(spec.format.size))
    padding = round(style.padding * min(width, height))
    panel_width, max_panel_height = _panel_limits(spec, style, safe)
    text_width = panel_width - 2 * padding
    message_chain, tag_chain = _chains(spec)
    _require_bidi_support(spec.message, message_chain)
    tag_size = max(round(style.tag_text * width), 1)
    tag_lines = tuple(greedy_lines(TAG_JOINER.join(spec.tags), text_width, tag_size, tag_chain.measure))
    gap = round(tag_size * 0.7)
    rule_height = max(2, round(width / 400))
    tag_height = round(tag_size * 1.25) * len(tag_lines)
    message_height = max_panel_height - 2 * padding - 2 * gap - rule_height - tag_height
    min_size = round(style.min_text * width)
    return _Room(safe, padding, panel_width, text_width, message_height, min_size,
                 max(min_size, round(style.max_text * width)), tag_lines, tag_size, gap, rule_height)


def plan_layout(spec: PostSpec, style: Style, focus: tuple[float, float]) -> _Plan:
    """Pure geometry: where the panel, message, rule and tags go for this format and focal point."""
    room = _room(spec, style)
    message_chain, _ = _chains(spec)
    try:
        message = fit_text(spec.message, room.text_width, room.message_height, room.min_size, room.max_size,
                           message_chain.measure)
    except LayoutError as error:
        raise LayoutError(f"{spec.format.name}: {error}") from None
    panel_height = 2 * room.padding + message.height + 2 * room.gap + room.rule_height + room.tag_height
    panel = _place_panel(spec, room.safe, room.panel_width, panel_height, focus)
    message_box = Box(panel.left + room.padding, panel.top + room.padding, panel.right - room.padding,
                      panel.top + room.padding + message.height)
    rule_top = message_box.bottom + room.gap
    rule_width = round(room.text_width * 0.12)
    centre = (panel.left + panel.right) // 2
    rule = Box(centre - rule_width // 2, rule_top, centre + rule_width // 2, rule_top + room.rule_height)
    tag_top = rule.bottom + room.gap
    tag_box = Box(message_box.left, tag_top, message_box.right, tag_top + room.tag_height)
    return _Plan(panel, message_box, tag_box, message, room.tag_lines, room.tag_size, rule)


def _chains(spec: PostSpec) -> tuple[fonts.FontChain, fonts.FontChain]:
    return fonts.chain_for(fonts.MESSAGE_WEIGHT, spec.font), fonts.chain_for(fonts.TAG_WEIGHT)


def _require_bidi_support(text: str, chain: fonts.FontChain) -> None:
    if not fonts.has_raqm() and any(run.rtl for run in chain.runs(text)):
        raise LayoutError("right-to-left text needs Pillow with libraqm (FriBiDi and HarfBuzz) to be shaped and "
                          "ordered correctly; install Pillow's official wheels, which include it")


def _panel_limits(spec: PostSpec, style: Style, safe: Box) -> tuple[int, int]:
    if spec.format.orientation == "landscape":
        return round(safe.width * style.side_share), safe.height
    return safe.width, round(safe.height * style.panel_share)


def _place_panel(spec: PostSpec, safe: Box, panel_width: int, panel_height: int,
                 focus: tuple[float, float]) -> Box:
    """Put the panel on the side of the picture the bloom is not on."""
    if spec.format.orientation == "landscape":
        top = safe.top + (safe.height - panel_height) // 2
        left = safe.right - panel_width if focus[0] < 0.5 else safe.left
        return Box(left, top, left + panel_width, top + panel_height)
    top = safe.bottom - panel_height if focus[1] < 0.5 else safe.top
    return Box(safe.left, top, safe.left + panel_width, top + panel_height)


def _tinted_for_contrast(frosted: Image.Image, plan: _Plan, style: Style) -> Image.Image:
    """The panel at the lowest opacity, from the style's own upwards, at which every pixel behind the text
    gives it AA contrast. Only the panel's pixels are tried, not the whole picture."""
    tint = Image.new("RGB", frosted.size, style.panel_colour)
    text_area = _text_region_in_panel(plan)
    opacity = style.panel_opacity
    while True:
        panel = Image.blend(frosted, tint, min(opacity, 1.0))
        if opacity >= 1.0 or worst_contrast(style.text_colour, panel.crop(text_area)) >= CONTRAST_TARGET:
            return panel
        opacity = round(opacity + 0.05, 2)


def _corners(box: Box) -> tuple[int, int, int, int]:
    return (box.left, box.top, box.right, box.bottom)


def _text_region(image: Image.Image, plan: _Plan) -> Image.Image:
    return image.crop((plan.message_box.left, plan.message_box.top, plan.message_box.right, plan.tag_box.bottom))


def _text_region_in_panel(plan: _Plan) -> tuple[int, int, int, int]:
    left, top = plan.panel.left, plan.panel.top
    return (plan.message_box.left - left, plan.message_box.top - top, plan.message_box.right - left,
            plan.tag_box.bottom - top)


@lru_cache(maxsize=8)
def _frosted(flower, size: tuple[int, int], style: Style) -> Image.Image:
    """The whole picture blurred like frosted glass, once per flower, size and style (a batch reuses it)."""
    canvas = background(flower, size)
    return canvas.image.filter(ImageFilter.GaussianBlur(style.blur * canvas.image.width))


@lru_cache(maxsize=32)
def _rounded_mask(size: tuple[int, int], style: Style, canvas: tuple[int, int]) -> Image.Image:
    mask = Image.new("L", size, 0)
    radius = round(style.corner_radius * min(canvas))
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius, fill=255)
    return mask


def _draw_text(image: Image.Image, plan: _Plan, spec: PostSpec, style: Style) -> list[tuple[int, int, int, int]]:
    message_chain, tag_chain = _chains(spec)
    centre = (plan.message_box.left + plan.message_box.right) / 2
    ink = _draw_lines(image, message_chain, plan.message.lines, plan.message.size, plan.message.line_height,
                      centre, plan.message_box.top, style.text_colour)
    ImageDraw.Draw(image).rectangle((plan.rule.left, plan.rule.top, plan.rule.right - 1, plan.rule.bottom - 1),
                                    fill=style.accent_colour)
    ink += _draw_lines(image, tag_chain, plan.tag_lines, plan.tag_size, round(plan.tag_size * 1.25), centre,
                       plan.tag_box.top, style.text_colour)
    return ink


def _draw_lines(image, chain, lines, size, line_height, centre, top, colour) -> list[tuple[int, int, int, int]]:
    """Centred lines; a right-to-left paragraph keeps its own visual order inside each line."""
    rtl = chain.is_rtl(" ".join(lines))
    ink = []
    for index, line in enumerate(lines):
        left = centre - chain.measure(line, size) / 2
        baseline = top + index * line_height + round(size * BASELINE)
        ink.append(draw_line(image, chain, line, size, left, baseline, colour, rtl))
    return ink


def _draw_debug(image: Image.Image, spec: PostSpec, plan: _Plan, focus: tuple[float, float]) -> None:
    draw = ImageDraw.Draw(image)
    safe = spec.format.safe_zone.box(spec.format.size)
    draw.rectangle(safe, outline=(0, 255, 255), width=3)
    for box, colour in ((plan.panel, (255, 200, 0)), (plan.message_box, (255, 0, 255)), (plan.tag_box, (0, 255, 0))):
        draw.rectangle((box.left, box.top, box.right - 1, box.bottom - 1), outline=colour, width=2)
    x, y = focus[0] * image.width, focus[1] * image.height
    draw.ellipse((x - 14, y - 14, x + 14, y + 14), outline=(255, 0, 0), width=4)
