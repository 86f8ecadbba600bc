"""Finding where the flower is in a photo, so a crop to any post size keeps it in frame."""

from __future__ import annotations

import functools

from PIL import Image, ImageChops, ImageFilter, ImageOps, ImageStat

from generator.errors import UsageError

Focus = tuple[float, float]

_ANALYSIS_SIDE = 128
# How much each cue counts: flowers differ from their surroundings in colour above all, are usually
# saturated (but so is foliage, which the saturation cue discounts), and carry fine detail.
_DISTINCT_WEIGHT = 0.45
_SATURATION_WEIGHT = 0.35
_EDGE_WEIGHT = 0.20
_CENTRE_PRIOR = 0.25  # a corner scores this much less than the centre, all else equal
_WINDOW_FRACTION = 0.09  # radius of the window a flower is looked for in, as a fraction of the longer side
_MIN_SPREAD = 16  # of 255 levels
_GREEN_HUES = (50, 118)  # Pillow's 0..255 hue scale: roughly 70° to 165°, leaves and grass
_GREEN_EASE = 10  # hue steps over which the discount fades in, so yellow-green is not cut off sharply
_GREEN_KEEPS = 0.3  # how much of a green pixel's saturation still counts


def auto_focus(image: Image.Image) -> Focus:
    """The photo's focal point as fractions (x, y): the most flower-like region, by colour and detail."""
    small = _analysis_copy(image)
    scores = _saliency(small)
    if scores.getextrema()[1] == 0:
        return (0.5, 0.5)
    radius = max(1, round(_WINDOW_FRACTION * max(small.size)))
    x, y = _weighted_centre(scores, _best_window(scores, radius), radius)
    return ((x + 0.5) / small.width, (y + 0.5) / small.height)


def parse_focus(text: str) -> Focus:
    """`X,Y` as given to `--focus`: two fractions between 0 and 1."""
    parts = text.split(",")
    try:
        x, y = (float(part) for part in parts)
    except ValueError:
        raise _bad_focus(text) from None
    if not all(0.0 <= value <= 1.0 for value in (x, y)):  # also refuses nan
        raise _bad_focus(text)
    return (x, y)


def _bad_focus(text: str) -> UsageError:
    shown = "".join(char if char.isprintable() else "?" for char in text)
    return UsageError(f"--focus '{shown}': give two fractions between 0 and 1, like 0.3,0.6")


def _analysis_copy(image: Image.Image) -> Image.Image:
    longer = max(image.size)
    scale = _ANALYSIS_SIDE / longer
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    small = image if image.mode in ("RGB", "RGBA", "L") else image.convert("RGB")
    if longer >= 2 * _ANALYSIS_SIDE:
        small = small.reduce(longer // _ANALYSIS_SIDE)
    small = small if small.mode == "RGB" else small.convert("RGB")
    # Box averaging also averages away sensor noise and grass texture.
    return small.resize(size, Image.Resampling.BOX).filter(ImageFilter.GaussianBlur(1))


def _saliency(small: Image.Image) -> Image.Image:
    """A grey map the size of `small`, brighter where a flower is more likely."""
    cues = [_normalised(cue) for cue in (_colour_distinctness(small), _flower_saturation(small), _edge_energy(small))]
    weights = (_DISTINCT_WEIGHT, _SATURATION_WEIGHT, _EDGE_WEIGHT, 0)
    combined = Image.merge("RGB", cues).convert("L", matrix=weights)
    return ImageChops.multiply(combined, _centre_prior(small.size))


def _normalised(cue: Image.Image) -> Image.Image:
    """How far `cue` rises above its typical level, stretched so each cue counts by its weight alone.

    A cue that is the same everywhere (a meadow saturated all over) says nothing about where the flower is,
    and a weak one (spread below _MIN_SPREAD) is not stretched into a strong one.
    """
    histogram = cue.histogram()
    floor = _percentile(histogram, 0.5)
    spread = max(_percentile(histogram, 0.99) - floor, _MIN_SPREAD)
    return cue.point([max(0, min(255, round((level - floor) * 255 / spread))) for level in range(256)])


def _colour_distinctness(small: Image.Image) -> Image.Image:
    """How far each pixel's colour is from the photo's typical (median) colour, in hue and in brightness."""
    ycc = small.convert("YCbCr")
    typical = tuple(int(value) for value in ImageStat.Stat(ycc).median)
    difference = ImageChops.difference(ycc, Image.new("YCbCr", ycc.size, typical))
    luma, blue, red = difference.split()
    chroma = ImageChops.add(blue, red)
    return ImageChops.add(chroma, luma)


def _flower_saturation(small: Image.Image) -> Image.Image:
    """Saturation times brightness, with green hues discounted: foliage is saturated too."""
    hue, saturation, value = small.convert("HSV").split()
    green_discount = hue.point(_GREEN_DISCOUNT)
    vivid = ImageChops.multiply(saturation, value)
    return ImageChops.multiply(vivid, green_discount)


def _hue_weight(hue: int) -> int:
    """Full weight outside the green band, easing down to _GREEN_KEEPS inside it."""
    low, high = _GREEN_HUES
    depth = min(hue - low, high - hue)
    if depth <= 0:
        return 255
    eased = min(1.0, depth / _GREEN_EASE)
    return round(255 * (1 - (1 - _GREEN_KEEPS) * eased))


_GREEN_DISCOUNT = [_hue_weight(hue) for hue in range(256)]


def _edge_energy(small: Image.Image) -> Image.Image:
    """Local density of detail: petals and stamens against smooth sky or blurred background."""
    edges = small.convert("L").filter(ImageFilter.FIND_EDGES)
    # Pillow leaves a 3x3 kernel's one-pixel border unfiltered, holding raw brightness: blank it.
    edges = ImageOps.expand(ImageOps.crop(edges, 1), 1, fill=0)
    return edges.filter(ImageFilter.BoxBlur(2))


@functools.lru_cache(maxsize=8)
def _centre_prior(size: tuple[int, int]) -> Image.Image:
    """Full weight at the centre, falling gently to 1 - _CENTRE_PRIOR in the corners."""
    width, height = size
    prior = Image.new("L", size)
    prior.putdata([_prior_at((x + 0.5) / width, (y + 0.5) / height) for y in range(height) for x in range(width)])
    return prior


def _prior_at(fx: float, fy: float) -> int:
    distance_squared = ((2 * fx - 1) ** 2 + (2 * fy - 1) ** 2) / 2  # 0 at the centre, 1 in a corner
    return round(255 * (1 - _CENTRE_PRIOR * distance_squared))


def _percentile(histogram: list[int], fraction: float) -> int:
    wanted = fraction * sum(histogram)
    running = 0
    for level, count in enumerate(histogram):
        running += count
        if running >= wanted:
            return level
    return len(histogram) - 1


def _best_window(scores: Image.Image, radius: int) -> tuple[int, int]:
    """The centre of the (2 radius + 1)² window with the highest total score."""
    summed = scores.filter(ImageFilter.BoxBlur(radius)).tobytes()
    best = summed.index(max(summed))
    return (best % scores.width, best // scores.width)


def _weighted_centre(scores: Image.Image, around: tuple[int, int], radius: int) -> tuple[float, float]:
    """The centroid of the strong scores near `around`: the flower's middle rather than the window's."""
    cx, cy = around
    reach = 2 * radius
    left, top = max(0, cx - reach), max(0, cy - reach)
    region = scores.crop((left, top, min(scores.width, cx + reach + 1), min(scores.height, cy + reach + 1)))
    values = region.tobytes()
    threshold = max(values) // 2
    total = sum_x = sum_y = 0
    for index, value in enumerate(values):
        if value > threshold:
            weight = value - threshold
            total += weight
            sum_x += weight * (index % region.width)
            sum_y += weight * (index // region.width)
    if total == 0:
        return (float(cx), float(cy))
    return (left + sum_x / total, top + sum_y / total)
