"""A post's pictures: the flower's canvas, and for a frosted style its frosted-glass layer (for the frame style,
which shows the flower in a window, the window's picture instead).

When they are not kept yet, `make_meanwhile` resizes and blurs the flower on a thread of its own while the
caller fits the post's text: Pillow lets go of the interpreter while it decodes, resizes and blurs. A bundled
flower is only opened on the caller's thread (its size is in the header) and decoded on the picture's, in one
block, so it asks for the interpreter back once: a thread coming back waits for the other's FreeType calls,
which keep it for milliseconds (measured: a bundled decode beside busy Python, 20 ms in one block, 25 ms in
64 kB blocks). A photo the canvas shows is decoded by the caller, which needs its pixels for the focal point.
A caller can start them before it imports the renderer.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from PIL import Image, ImageFilter

from generator.caches import MB, bytes_bounded
from generator.flowers import Background, FlowerChoice, background, close_unread, kept_background, source_image
from generator.flowers.crop import composed_focus
from generator.layout import Box
from generator.meanwhile import Done, Meanwhile


class Pictures:
    """A post's canvas and frosted layer, `result()` once made, and the canvas's focal point at once: the text
    can be placed, and its glyphs rasterized, while the picture is still being resized and blurred. For a
    style that does not show the canvas, (None, None) and no focal point, unless a canvas is kept anyway.
    `whole_layer`: whether a frosted layer still to be made is made for the whole canvas, to be kept."""

    __slots__ = ("focus", "blur", "whole_layer", "_work")

    def __init__(self, focus: tuple[float, float] | None, blur: float, work: Meanwhile | Done,
                 whole_layer: bool = True):
        self.focus, self.blur, self.whole_layer, self._work = focus, blur, whole_layer, work

    def done(self) -> bool:
        return self._work.done()

    def result(self) -> tuple[Background, Frosted | None]:
        return self._work.result()


def make_meanwhile(flower: FlowerChoice, size: tuple[int, int], blur: float, whole_layer: bool = True,
                   shown: bool = True) -> Pictures:
    """The canvas and, for a kept picture with a frosted style (`blur` > 0), its frosted layer (else None):
    being made on a thread of their own, unless both are kept already. `whole_layer=False` when no other
    post will use this canvas's layer (a `make`): one not kept yet is then left to `frosted`, which makes
    only the part the post reads, once its text is placed. `shown=False` for a style that does not show
    the canvas (the frame's, whose panel has a side of its own): nothing is opened or made for it."""
    canvas = kept_background(flower, size)
    if canvas is None and not shown:
        return Pictures(None, blur, Done((None, None)), whole_layer)
    if canvas is None:
        source = source_image(flower, size)
        return Pictures(composed_focus(source[0].size, size, source[1]), blur,
                        Meanwhile(_then_closed, source, _made, flower, size, blur, source, whole_layer), whole_layer)
    layer = _cached_frosted.kept(canvas, blur) if _frosts_whole(flower, blur) else None
    if layer is not None or not _frosts_whole(flower, blur, whole_layer):
        return Pictures(canvas.focus, blur, Done((canvas, layer)), whole_layer)
    return Pictures(canvas.focus, blur, Meanwhile(_with_layer, canvas, blur), whole_layer)


def window_meanwhile(flower: FlowerChoice, full: Box | None) -> Meanwhile | Done:
    """The frame style's picture, made at the largest its window gets (`full`) on a thread of its own, unless
    kept, while the text is fitted and rasterized. Done(None) for a style without a window."""
    if full is None:
        return Done(None)
    size = (full.width, full.height)
    kept = kept_background(flower, size)
    if kept is not None:
        return Done(kept)
    # Opened here, as a canvas is: on the thread, a bundled flower's header would wait for the interpreter
    # through the whole of the text's fitting (measured: 41 ms before its decode could start)
    source = source_image(flower, size)
    return Meanwhile(_then_closed, source, background, flower, size, source)


def _frosts_whole(flower: FlowerChoice, blur: float, whole_layer: bool = True) -> bool:
    """Whether the post's frosted layer is the whole canvas's, kept (an upload's, or one no other post will
    use, is made for the part a post reads, after the text is placed)."""
    return bool(blur) and flower.data is None and whole_layer


def _made(flower: FlowerChoice, size: tuple[int, int], blur: float, source=None,
          whole_layer: bool = True) -> tuple[Background, Frosted | None]:
    canvas = background(flower, size, source)
    return _with_layer(canvas, blur) if _frosts_whole(flower, blur, whole_layer) else (canvas, None)


def _then_closed(source, function, *args):
    """`function(*args)`, then the file of `source`, just opened, closed whether its pixels were read or not
    (a bundled flower is decoded only where they are first read: not at all if its background was made
    meanwhile, or if making it failed first)."""
    try:
        return function(*args)
    finally:
        close_unread(source[0])


def _with_layer(canvas: Background, blur: float) -> tuple[Background, Frosted]:
    return canvas, _cached_frosted(canvas, blur)


def frosted(flower: FlowerChoice, size: tuple[int, int], blur: float, reads: Box,
            whole_layer: bool = True) -> Frosted:
    """The picture blurred like frosted glass. A bundled or grown flower's (or a photo file's) whole canvas
    is blurred once per picture and blur (a batch reuses it); an uploaded photo's is not kept (see
    flowers.background), nor one asked for with `whole_layer=False` (make_meanwhile has handed on a whole one
    kept already), so only the part the post reads (`reads`: what its painters and its contrast search read)
    is made, with the same bytes."""
    canvas = background(flower, size)
    if _frosts_whole(flower, blur, whole_layer):
        return _cached_frosted(canvas, blur)
    return _frosted_part(canvas.image, blur, reads)


class Frosted(NamedTuple):  # not a dataclass: an eighth of the import cost, paid by every cold `make`
    """The layer a surface is tinted from: the blurred picture at the canvas's size, or the part of it a post
    reads (both cropped from in canvas coordinates), with the reduced blurred picture it was upscaled from,
    which bounds its pixels cheaply. A sharp style's layer is the canvas itself (see `unblurred`)."""

    image: _Part
    canvas: tuple[int, int]  # the canvas's size
    reduced: Image.Image | None = None  # None when the blur ran at the canvas's own size
    factor: int = 1  # the canvas was reduced by this, blurred, then upscaled back
    origin: tuple[int, int] = (0, 0)  # where `reduced` starts in the whole reduced picture

    def crop(self, corners: tuple[int, int, int, int]) -> Image.Image:
        return self.image.crop(corners)

    def sample(self, corners: tuple[int, int, int, int], step: int) -> Image.Image:
        return self.image.sample(corners, step)

    def channel_bounds(self, corners: tuple[int, int, int, int]) -> tuple[tuple[int, int], ...] | None:
        """For each of red, green and blue, a low and a high that every pixel of crop(corners) lies between,
        read from the reduced picture (a sixteenth of the pixels at the styles' blurs); None if there is
        none. Each upscaled pixel lies, channel by channel, between the reduced pixels it is interpolated
        from: a BILINEAR resize's weights are none of them negative and add up to one, and Pillow's
        fixed-point rounding of them moves a pixel by far less than the half it rounds to."""
        self.image._inside(corners)  # refused, as crop(corners) would be, beyond the part
        if self.reduced is None:
            return None
        return channel_extremes(self._reduced_under(corners))

    def _reduced_under(self, corners: tuple[int, int, int, int]) -> Image.Image:
        left, top, right, bottom = corners
        x0, x1 = self._taps(0, left, right)
        y0, y1 = self._taps(1, top, bottom)
        return self.reduced.crop((x0, y0, x1, y1))

    def _taps(self, axis: int, start: int, end: int) -> tuple[int, int]:
        """The reduced pixels, [lo, hi) in `reduced`'s own coordinates, that canvas pixels [start, end)
        along `axis` are interpolated from. The whole canvas's upscale centres pixel x at (x + 0.5) * small
        / length and reads the reduced pixels from int(centre - 0.5) to int(centre + 0.5), which lie in
        [start * small // length - 1, end * small // length + 2); a part has the same centres (see
        _upscale_span), and holds every pixel its own pixels read."""
        length = self.canvas[axis]
        small = -(-length // self.factor)
        origin = self.origin[axis]
        return (max(0, start * small // length - 1 - origin),
                min(self.reduced.size[axis], end * small // length + 2 - origin))


def sampled(image: Image.Image, corners: tuple[int, int, int, int], step: int) -> Image.Image:
    """About one pixel in each `step` by `step` of the region (`corners`, inside the image), as it is: a
    NEAREST resize reads only the pixels it keeps, all inside the region, at a fraction of the cost of its
    crop. (The region is cut into whole blocks, `step` to just under twice `step` wide, one pixel each.)"""
    left, top, right, bottom = corners
    if right <= left or bottom <= top:
        return image.crop(corners)  # no pixels: a resize would still read one
    size = (max(1, (right - left) // step), max(1, (bottom - top) // step))
    return image.resize(size, Image.Resampling.NEAREST, box=corners)


def channel_extremes(image: Image.Image) -> tuple[tuple[int, int], ...]:
    """image.getextrema() of an RGB image, from its histogram: one pass over the pixels, where getextrema
    copies each band out and scans it (1.9x as long on a panel: a smooth picture never lets it stop early)."""
    if image.mode != "RGB" or not image.width or not image.height:
        return image.getextrema()
    counts = image.histogram()
    extremes = []
    for band in range(0, 768, 256):
        bins = counts[band:band + 256]
        low = next(value for value, count in enumerate(bins) if count)
        extremes.append((low, 255 - next(value for value, count in enumerate(reversed(bins)) if count)))
    return tuple(extremes)


@bytes_bounded(26 * MB, key=lambda canvas, blur: (canvas.serial, blur))  # 4 portrait layers, reduced pictures and all
def _cached_frosted(canvas, blur: float) -> Frosted:
    return _frosted_whole(canvas.image, blur)


def _blur_factor(radius: float) -> int:
    return max(1, min(4, int(radius // 4)))  # a wide blur keeps no fine detail: blur a reduced copy


def _frosted_whole(image: Image.Image, blur: float) -> Frosted:
    radius = blur * image.width
    factor = _blur_factor(radius)
    small = image.reduce(factor) if factor > 1 else image
    blurred = small.filter(ImageFilter.GaussianBlur(radius / factor))
    if factor == 1:
        return unblurred(blurred)
    whole = _Part(blurred.resize(image.size, Image.Resampling.BILINEAR), Box(0, 0, *image.size))
    return Frosted(whole, image.size, blurred, factor)


def unblurred(image: Image.Image) -> Frosted:
    """`image` itself as a whole canvas's layer, with no reduced picture (a sharp style's, or a blur run at
    the canvas's own size)."""
    return Frosted(_Part(image, Box(0, 0, *image.size)), image.size)


class _Part(NamedTuple):  # not a dataclass: an eighth of the import cost, paid by every cold `make`
    """A part of a canvas-sized picture, cropped from in canvas coordinates like the picture itself."""

    image: Image.Image
    box: Box

    def crop(self, corners: tuple[int, int, int, int]) -> Image.Image:
        return self.image.crop(self._inside(corners))

    def sample(self, corners: tuple[int, int, int, int], step: int) -> Image.Image:
        return sampled(self.image, self._inside(corners), step)

    def _inside(self, corners: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        """`corners` in the part's own pixels."""
        if not self.box.contains(corners):
            raise ValueError(f"{corners} reaches outside the frosted part {self.box.corners}")
        left, top, right, bottom = corners
        return left - self.box.left, top - self.box.top, right - self.box.left, bottom - self.box.top


def _frosted_part(image: Image.Image, blur: float, want: Box) -> Frosted:
    """`_frosted_whole(image, blur).image` inside `want`, byte for byte, from only the picture around it.

    Each stage reads a bounded neighbourhood, so a region grown by that reach gives the same pixels inside:
    reduce averages factor x factor blocks (the region starts on a block edge, and ends on one or at the
    picture's edge, where the last partial block is the same); GaussianBlur is three box passes each way,
    each reading int(box radius) + 1 pixels to a side (the box radius is below the Gaussian's), with the
    edge pixel repeated past the picture's edge only (the region reaches that edge, or keeps its own edges
    more than the reach away); the BILINEAR upscale (of the whole canvas: a horizontal pass, then a
    vertical one) is made as those two passes, each with the whole canvas's scale and sampling centres
    (see _upscale_span)."""
    radius = blur * image.width
    factor = _blur_factor(radius)
    sigma = radius / factor
    reach = 3 * (int(sigma) + 2)  # three passes of int(box radius) + 1, box radius < sigma; one spare
    if factor == 1:
        x0, x1 = max(0, want.left - reach), min(image.width, want.right + reach)
        y0, y1 = max(0, want.top - reach), min(image.height, want.bottom + reach)
        blurred = image.crop((x0, y0, x1, y1)).filter(ImageFilter.GaussianBlur(sigma))
        return Frosted(_Part(blurred.crop((want.left - x0, want.top - y0, want.right - x0, want.bottom - y0)), want),
                       image.size)
    xs = _upscale_span(image.width, factor, want.left, want.right, reach)
    ys = _upscale_span(image.height, factor, want.top, want.bottom, reach)
    part = image.reduce(factor, (xs.read0 * factor, ys.read0 * factor,
                                 min(image.width, xs.read1 * factor), min(image.height, ys.read1 * factor)))
    part = part.filter(ImageFilter.GaussianBlur(sigma))
    rows = part.height
    wide = part.resize((xs.out1 - xs.out0, rows), Image.Resampling.BILINEAR,
                       box=(xs.in0 - xs.read0, 0, xs.in1 - xs.read0, rows))
    up = wide.resize((wide.width, ys.out1 - ys.out0), Image.Resampling.BILINEAR,
                     box=(0, ys.in0 - ys.read0, wide.width, ys.in1 - ys.read0))
    return Frosted(_Part(up.crop((want.left - xs.out0, want.top - ys.out0, want.right - xs.out0,
                                  want.bottom - ys.out0)), want), image.size, part, factor, (xs.read0, ys.read0))


class _Span(NamedTuple):  # not a dataclass: an eighth of the import cost, paid by every cold `make`
    read0: int  # the reduced pixels blurred, [read0, read1)
    read1: int
    out0: int  # the upscaled pixels made, [out0, out1), on the canvas
    out1: int
    in0: int  # the resize box on the reduced picture, [in0, in1)
    in1: int


def _upscale_span(length: int, factor: int, want0: int, want1: int, reach: int) -> _Span:
    """One axis of the part: which reduced pixels to blur and which upscaled ones to make for [want0, want1).

    Pillow's resize works out, per output pixel, centre = in0 + (i + 0.5) * scale, with scale =
    (in1 - in0) / outputs (in0 and in1 pass through float32: integers here, exact), and its taps from the
    centre, clamped to the input's ends. The whole canvas has in0 = 0 and scale = small / length. A part
    keeps that scale only if outputs * small / length is a whole number, i.e. outputs is a multiple of
    q = length / gcd(length, small). When scale is a dyadic fraction (q a power of two) every product and
    sum above is exact, so a part's centres, shifted by where its input starts, are the whole canvas's;
    otherwise the part starts where the canvas does (the same computation, i for i). Either way the
    wanted pixels' taps stay more than the blur's reach inside the blurred part, or at the picture's end
    (clamped alike)."""
    small = -(-length // factor)
    common = math.gcd(length, small)
    q, p = length // common, small // common
    dyadic = q & (q - 1) == 0
    out0 = want0 // q * q if dyadic else 0
    out1 = min(length, -(-want1 // q) * q)
    in0, in1 = out0 * p // q, out1 * p // q
    # a wanted pixel's taps lie within [floor(want0 * scale) - 1, ceil(want1 * scale) + 1)
    tap0 = max(0, want0 * p // q - 2)
    tap1 = min(small, -(-want1 * p // q) + 2)
    read0 = min(in0, max(0, tap0 - reach)) if dyadic else 0  # the resize box starts inside what is blurred
    read1 = min(small, max(in1, tap1 + reach))
    return _Span(read0, read1, out0, out1, in0, in1)
