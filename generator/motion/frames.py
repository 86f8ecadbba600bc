"""The frames of one animated post: the moving picture, then the post's own surface and text fading in.

Everything after the picture settles is blended from three images of the still post itself (its picture,
the picture with the text's surface, and the finished post), so the surface is the one whose opacity
the still's contrast search chose and nothing jumps; the last frames are the still post exactly.
"""

from __future__ import annotations

from PIL import Image

from generator.flowers import background
from generator.motion.timeline import Timeline
from generator.spec import PostSpec


class FrameMaker:
    def __init__(self, spec: PostSpec, timeline: Timeline) -> None:
        from generator.compose import render, style_for

        self.spec, self.timeline = spec, timeline
        self.size = spec.format.size
        rendered = render(spec)
        self.final, self.backdrop = rendered.image, rendered.backdrop
        self.window, self.full_window = rendered.window, rendered.full_window  # the frame style's picture window
        full = self.full_window
        source_size = (full.width, full.height) if full is not None else spec.format.size
        self.paper = style_for(spec).panel_colour
        picture = background(spec.flower, source_size)
        self.focus = picture.focus
        self.still_picture = self._placed(picture.image)
        self.source = _moving_picture(spec, picture, source_size)
        self.split = rendered.message_box.bottom + max(1, (rendered.tag_box.top - rendered.message_box.bottom) // 4)

    def frame(self, index: int) -> Image.Image:
        state = self.timeline.state(index)
        picture = self.still_picture
        if state.moving:
            picture = self._placed(self.source.frame(state.motion, state.clock))
            if state.settle > 0:
                picture = Image.blend(picture, self.still_picture, state.settle)
        if state.panel > 0:
            picture = Image.blend(self.still_picture, self.backdrop, state.panel)
        if state.message > 0 or state.tags > 0:
            picture = Image.composite(self.final, picture, self._text_mask(state.message, state.tags))
        return picture

    def _text_mask(self, message: float, tags: float) -> Image.Image:
        mask = Image.new("L", self.size, round(tags * 255))
        mask.paste(round(message * 255), (0, 0, self.size[0], self.split))
        return mask

    def _placed(self, picture: Image.Image) -> Image.Image:
        """The picture as the still's base: the canvas itself, or (frame style) cut into the paper's window
        exactly as the still is."""
        if self.window is None:
            return picture
        from generator.compose import window_cut

        paper = Image.new("RGB", self.size, self.paper)
        paper.paste(window_cut(picture, self.focus, self.window, self.full_window),
                    (self.window.left, self.window.top))
        return paper


def _moving_picture(spec: PostSpec, picture, size: tuple[int, int]):
    if spec.flower.kind == "grown":
        from generator.flowers.grow import grow_parts
        from generator.motion.growth import GrowingPicture

        return GrowingPicture(grow_parts(spec.flower.species, spec.flower.seed, size))
    from generator.motion.pushin import PushIn

    return PushIn(picture.image, picture.focus)
