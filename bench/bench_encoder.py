"""JPEG settings chosen with numbers: what optimize and 4:4:4 buy in bytes and around the text, and what they cost.

Renders a set of real posts (every style, red and white text on dark, light and red surfaces, several
formats), then encodes each with every candidate setting, interleaved image by image with the order
rotating, so every setting sees the same machine load. For each setting it reports:

  ms         median encode time per post, and its ratio to Pillow's plain libjpeg-turbo encode at q90
             (4:2:0, standard Huffman tables): the fair floor at our quality
  bytes      median file size, and the ratio to our current settings
  text dE    colour error around the text (ink boxes, 6 px margin), CIE76 in Lab: mean and 99th percentile.
             A dE under ~2.3 is about the smallest difference an eye can see side by side.
  red dE     the same, over the red accents (the rule above the tags, the flag's red, banner edges)

Ours is q90 4:4:4 with standard tables and a restart marker after every row of blocks (generator.jpeg_rows),
timed twice: the whole image, as a post on a picture no post has shown yet, and a later post on the same
picture, which encodes only the rows it drew on. simplejpeg (libjpeg-turbo without Pillow's copies) is timed
at the same settings if it is installed.

    python bench/bench_encoder.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageCms, ImageChops, ImageDraw  # noqa: E402

from generator.compose import render  # noqa: E402
from generator.spec import PostRequest, plan_posts  # noqa: E402
from generator.styles import STYLES  # noqa: E402

QUALITY = 90
SETTINGS = {  # name: Pillow save options
    "q90 4:2:0 (floor)": dict(quality=QUALITY),
    "q90 4:2:0 optimize": dict(quality=QUALITY, optimize=True, subsampling="4:2:0"),
    "q90 4:4:4": dict(quality=QUALITY, subsampling="4:4:4"),
    "q90 4:4:4 optimize": dict(quality=QUALITY, optimize=True, subsampling="4:4:4"),
}
CURRENT = "q90 4:4:4 + restarts (ours)"
POSTS = [  # (flower, style, format): light and dark pictures, every surface, red on white and white on red
    ("cornflower", "card", "instagram-portrait"), ("chamomile", "light-card", "instagram-square"),
    ("poppy", "banner", "x"), ("sunflower-meadow", "scrim", "instagram-story"),
    ("rose", "polaroid", "instagram-portrait"), ("tulip-white-red-white", "white-red-white", "facebook"),
    ("carnation", "white-red-white", "instagram-portrait"), ("lily-of-the-valley", "banner", "instagram-square"),
]


def posts() -> list[tuple[Image.Image, Image.Image, Image.Image, tuple | None]]:
    """(post, text mask, red mask, the rows it drew on) for each post."""
    made = []
    for flower, style, format_name in POSTS:
        assert style in STYLES
        [spec] = plan_posts(PostRequest(flower=flower, style=style, formats=(format_name,)))
        rendered = render(spec)
        text = Image.new("L", rendered.image.size, 0)
        draw = ImageDraw.Draw(text)
        for left, top, right, bottom in rendered.ink:
            draw.rectangle((left - 6, top - 6, right + 6, bottom + 6), fill=255)
        made.append((rendered.image, text, _red_mask(rendered.image), rendered.drawn_rows))
    return made


def _red_mask(image: Image.Image) -> Image.Image:
    """Saturated reds (R high, G and B low), grown by 4 px so their edges with white are included."""
    red, green, blue = image.split()
    strong = red.point(lambda v: 255 if v > 150 else 0)
    weak = ImageChops.lighter(green, blue).point(lambda v: 255 if v < 110 else 0)
    from PIL import ImageFilter
    return ImageChops.multiply(strong, weak).filter(ImageFilter.MaxFilter(9))


_SRGB_TO_LAB = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.createProfile("LAB"), "RGB", "LAB")


def delta_e(original: Image.Image, decoded: Image.Image, mask: Image.Image) -> list[float]:
    """CIE76 colour difference per masked pixel (on a 1-in-4 grid: the statistics are the same, 16x faster)."""
    a, b = (ImageCms.applyTransform(image, _SRGB_TO_LAB) for image in (original, decoded))
    width, height = original.size
    pa, pb, pm = a.load(), b.load(), mask.load()
    values = []
    for y in range(0, height, 2):
        for x in range(0, width, 2):
            if pm[x, y]:
                la, aa, ba = pa[x, y]
                lb, ab, bb = pb[x, y]
                # Pillow's LAB: L 0..255 for 0..100; a and b offset by 128
                dl, da, db = (la - lb) * 100 / 255, aa - ab, ba - bb
                values.append((dl * dl + da * da + db * db) ** 0.5)
    return values


def encoders():
    """name -> encode(image, drawn rows): Pillow's settings; ours, the whole image (a post on a picture no
    post has shown yet); ours once the picture's other rows are known (each later post on it), which
    encodes only the rows the post drew on (the whole image where the frame's paper covers it)."""
    from generator import jpeg_rows

    found = {name: (lambda image, drawn, options=options: _pillow(image, options)) for name, options in SETTINGS.items()}
    found[CURRENT] = lambda image, drawn: jpeg_rows.encode(image, QUALITY)
    found["ours, a later post"] = lambda image, drawn: jpeg_rows.encode(
        image, QUALITY, jpeg_rows.Shared(id(image), *drawn) if drawn else None)
    try:
        import numpy
        import simplejpeg
    except ImportError:
        return found
    found["simplejpeg q90 4:4:4"] = lambda image, drawn: simplejpeg.encode_jpeg(
        numpy.asarray(image), quality=QUALITY, colorspace="RGB", colorsubsampling="444", fastdct=False)
    found["simplejpeg q90 4:2:0"] = lambda image, drawn: simplejpeg.encode_jpeg(
        numpy.asarray(image), quality=QUALITY, colorspace="RGB", colorsubsampling="420", fastdct=False)
    return found


def _pillow(image: Image.Image, options: dict) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    made = posts()
    coders = encoders()
    seconds = {name: [] for name in coders}
    sizes = {name: [] for name in coders}
    text_error = {name: [] for name in coders}
    red_error = {name: [] for name in coders}
    for image, text, red, drawn in made:
        for name, coder in coders.items():
            data = coder(image, drawn)  # ours, a later post: this first call learns the other rows
            sizes[name].append(len(data))
            decoded = Image.open(io.BytesIO(data)).convert("RGB")
            text_error[name] += delta_e(image, decoded, text)
            red_error[name] += delta_e(image, decoded, red)
    names = list(coders)
    for round_number in range(rounds):
        for index, (image, _, _, drawn) in enumerate(made):
            shift = (round_number + index) % len(names)
            for name in names[shift:] + names[:shift]:
                start = time.perf_counter()
                coders[name](image, drawn)
                seconds[name].append(time.perf_counter() - start)
    floor = statistics.median(seconds["q90 4:2:0 (floor)"])
    current_bytes = statistics.median(sizes[CURRENT])
    print(f"{len(made)} posts x {rounds} rounds, interleaved; sizes and errors over all {len(made)} posts")
    print(f"  {'setting':<30}{'ms':>7}{'x floor':>9}{'kB':>8}{'x main':>8}{'text dE':>9}{'p99':>6}{'red dE':>8}{'p99':>6}")
    for name in names:
        ms = statistics.median(seconds[name]) * 1000
        kb = statistics.median(sizes[name]) / 1000
        t, r = text_error[name], red_error[name]
        print(f"  {name:<30}{ms:7.2f}{ms / (floor * 1000):9.2f}{kb:8.0f}{kb * 1000 / current_bytes:8.3f}"
              f"{statistics.mean(t):9.2f}{_p99(t):6.1f}{statistics.mean(r) if r else 0:8.2f}{_p99(r):6.1f}")


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[-1] if len(values) > 1 else 0.0


if __name__ == "__main__":
    main()
