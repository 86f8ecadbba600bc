"""Would pyvips or simplejpeg clearly beat Pillow on our two JPEG stages? Side by side, one process, one run.

Stage 1: a 12 MP phone JPEG (4032x3024, q92) to the 1080x1350 RGB Pillow image of its centred 4:5 box. Pillow as
generator.flowers does it: draft("RGB", 1080x1350) (half DCT scale, 2016x1512), load, resize BICUBIC with the box,
reducing_gap 3.0. simplejpeg: decode_jpeg(min_width, min_height) (libjpeg-turbo scaling), fromarray, the same
resize. pyvips: thumbnail(path, 1080, height=1350, crop="centre"), and new_from_file(shrink=2) + crop + resize
(lanczos3, its default, and cubic); "vips" is building and running that into memory, "to Pillow" the copy into
the Pillow image the rest of the pipeline needs. Pixels are compared with Pillow's, per channel R/G/B.
Stage 2: that image with text drawn on it, encoded at q90, 4:4:4 and 4:2:0, copies into numpy or vips included.
pyvips runs with its operation cache off, at concurrency 1 (production runs two processes on two cores) and at
its default, a thread per core: t1 / tN. Each round runs every variant once, the order rotating; ms are medians,
"x Pillow" is Pillow's median over the variant's. A library that is not installed is reported and skipped.

    python bench/bench_libraries.py [--rounds 15]

It needs the libraries it measures, which the project does not depend on: in a venv of its own,
`pip install pillow pyvips pyvips-binary simplejpeg numpy`.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_photo import phone_photo  # noqa: E402  (Pillow only, though bench_photo imports a few generator modules)

POST = (1080, 1350)
PILLOW = "Pillow draft + resize"
THREADS = {"t1": 1, f"t{os.cpu_count()} (default)": os.cpu_count()}
clock = time.perf_counter


def optional(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        print(f"{name}: not installed, skipped")


numpy, pyvips = optional("numpy"), optional("pyvips")
simplejpeg = optional("simplejpeg") if numpy else None  # it decodes to and encodes from numpy arrays
if pyvips:
    pyvips.cache_set_max(0)  # else a repeated thumbnail(path) is answered from vips' operation cache


def cover_box(size: tuple[int, int]) -> tuple[float, float, float, float]:
    """The centred box of the post's aspect ratio, as large as fits (generator.flowers.crop.cover_box)."""
    scale = min(size[0] / POST[0], size[1] / POST[1])
    left, top = max(0.0, (size[0] - POST[0] * scale) / 2), max(0.0, (size[1] - POST[1] * scale) / 2)  # not -1e-13
    return (left, top, left + POST[0] * scale, top + POST[1] * scale)


def pillow_cover(path: Path, parts: dict) -> Image.Image:
    start = clock()
    image = Image.open(path)
    image.draft("RGB", POST)
    image.load()
    parts["decode"], start = clock() - start, clock()
    result = image.resize(POST, Image.Resampling.BICUBIC, box=cover_box(image.size), reducing_gap=3.0)
    parts["resize"] = clock() - start
    return result


def simplejpeg_cover(path: Path, parts: dict) -> Image.Image:
    start = clock()
    array = simplejpeg.decode_jpeg(path.read_bytes(), colorspace="RGB", min_width=POST[0], min_height=POST[1])
    parts["read+decode"], start = clock() - start, clock()
    image = Image.fromarray(array)
    parts["fromarray"], start = clock() - start, clock()
    result = image.resize(POST, Image.Resampling.BICUBIC, box=cover_box(image.size), reducing_gap=3.0)
    parts["resize"] = clock() - start
    return result


def vips_cover(build, threads: int):
    def cover(path: Path, parts: dict) -> Image.Image:
        pyvips.concurrency_set(threads)
        start = clock()
        image = build(str(path))
        data = image.write_to_memory()
        parts["vips"], start = clock() - start, clock()
        result = Image.frombytes("RGB", (image.width, image.height), data)
        parts["to Pillow"] = clock() - start
        return result
    return cover


def shrink_crop_resize(kernel: str):
    def build(path: str):
        image = pyvips.Image.new_from_file(path, access="sequential", shrink=2)
        left, top, right, bottom = (round(v) for v in cover_box((image.width, image.height)))
        image = image.crop(left, top, right - left, bottom - top)
        return image.resize(POST[0] / image.width, vscale=POST[1] / image.height, kernel=kernel)
    return build


def pillow_jpeg(image: Image.Image, subsampling: int) -> bytes:
    image.save(buffer := io.BytesIO(), "JPEG", quality=90, subsampling=subsampling)
    return buffer.getvalue()


def vips_jpeg(image: Image.Image, mode: str, threads: int) -> bytes:
    pyvips.concurrency_set(threads)
    vips_image = pyvips.Image.new_from_memory(image.tobytes(), image.width, image.height, 3, "uchar")
    return vips_image.jpegsave_buffer(Q=90, subsample_mode=mode)


def variants() -> tuple[dict, dict]:
    """Stage 1's variants, name -> cover(path, parts), and stage 2's, name -> encode(image)."""
    covers = {PILLOW: pillow_cover, **({"simplejpeg scaled + Pillow resize": simplejpeg_cover} if simplejpeg else {})}
    builds = {"thumbnail": lambda path: pyvips.Image.thumbnail(path, POST[0], height=POST[1], crop="centre"),
              "shrink=2 lanczos3": shrink_crop_resize("lanczos3"), "shrink=2 cubic": shrink_crop_resize("cubic")}
    for label, threads in THREADS.items() if pyvips else ():
        covers.update({f"vips {name} {label}": vips_cover(build, threads) for name, build in builds.items()})
    coders = {}
    for chroma, subsampling, mode in (("4:4:4", 0, "off"), ("4:2:0", 2, "on")):
        coders[f"Pillow {chroma}"] = lambda image, s=subsampling: pillow_jpeg(image, s)
        if simplejpeg:
            coders[f"simplejpeg {chroma}"] = lambda image, c=chroma.replace(":", ""): simplejpeg.encode_jpeg(
                numpy.asarray(image), quality=90, colorspace="RGB", colorsubsampling=c, fastdct=False)
        for label, threads in THREADS.items() if pyvips else ():
            coders[f"vips {chroma} {label}"] = lambda image, m=mode, t=threads: vips_jpeg(image, m, t)
    return covers, coders


def post_picture(background: Image.Image) -> Image.Image:
    """The background with a card, a message, a rule and a tag line: what a post is when it is encoded."""
    image, big, small = background.copy(), ImageFont.load_default(64), ImageFont.load_default(36)
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 860, 1000, 1220), fill=(250, 248, 244))
    draw.rectangle((120, 1120, 960, 1126), fill=(200, 16, 46))
    draw.multiline_text((120, 900), "Thank you, doctors\nof Belarus.", font=big, fill=(200, 16, 46), spacing=20)
    draw.text((120, 1150), "#solidarity  #flowers", font=small, fill=(40, 40, 40))
    draw.text((84, 84), "12 August", font=big, fill=(255, 255, 255), stroke_width=3, stroke_fill=(0, 0, 0))
    return image


def interleaved(variants: dict, argument, rounds: int) -> tuple[dict, dict]:
    """Median seconds per variant, and the median of each part it reports, the order rotating each round."""
    totals, parts, names = {name: [] for name in variants}, {name: {} for name in variants}, list(variants)
    for round_number in range(rounds):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            start = clock()
            variants[name](argument, found := {})
            totals[name].append(clock() - start)
            for part, seconds in found.items():
                parts[name].setdefault(part, []).append(seconds)
    return ({name: statistics.median(values) for name, values in totals.items()},
            {name: {part: statistics.median(v) for part, v in found.items()} for name, found in parts.items()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    rounds = parser.parse_args().rounds
    versions = [f"Pillow {Image.__version__}", simplejpeg and f"simplejpeg {simplejpeg.__version__}",
                pyvips and f"libvips {pyvips.version(0)}.{pyvips.version(1)}.{pyvips.version(2)}"]
    print(", ".join(filter(None, versions)) + f"; VIPS_CONCURRENCY={os.environ.get('VIPS_CONCURRENCY', 'unset')}, "
          f"{os.cpu_count()} cores; {rounds} rounds, interleaved")
    covers, coders = variants()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "phone.jpg"
        phone_photo().save(path, quality=92)
        results = {name: cover(path, {}) for name, cover in covers.items()}  # warm-up, and the pixels compared
        covers["reading the file alone"] = lambda path, parts: path.read_bytes()
        totals, parts = interleaved(covers, path, rounds)
        print(f"\nStage 1: {path.stat().st_size / 1e6:.1f} MB 4032x3024 JPEG -> {POST[0]}x{POST[1]} cover")
    for name in covers:
        split = ", ".join(f"{part} {seconds * 1000:.1f}" for part, seconds in parts[name].items())
        ratio = f"{totals[PILLOW] / totals[name]:5.2f}x  ({split})" if split else ""
        print(f"  {name:<38}{totals[name] * 1000:7.1f} ms {ratio}")
    print("  difference from Pillow's pixels, R/G/B:" if numpy else "")
    for name in [name for name in results if numpy and name != PILLOW and not name.endswith("(default)")]:
        assert results[name].size == POST and results[name].mode == "RGB", (name, results[name].size)
        delta = numpy.abs(numpy.asarray(results[name], numpy.int16) - numpy.asarray(results[PILLOW], numpy.int16))
        means, peaks = "/".join(f"{v:.2f}" for v in delta.mean(axis=(0, 1))), "/".join(map(str, delta.max(axis=(0, 1))))
        print(f"    {name.removesuffix(' t1'):<36}mean |d| {means}  max {peaks}")

    picture = post_picture(results[PILLOW])
    sizes = {name: len(coder(picture)) for name, coder in coders.items()}
    totals, _ = interleaved({name: lambda image, parts, c=coder: c(image) for name, coder in coders.items()},
                            picture, rounds * 2)
    print(f"\nStage 2: encode the {POST[0]}x{POST[1]} post at q90, {rounds * 2} rounds (copy into numpy/vips included)")
    for name in coders:
        pillow = totals[f"Pillow {name.split()[1]}"]
        print(f"  {name:<30}{totals[name] * 1000:7.2f} ms {pillow / totals[name]:5.2f}x{sizes[name] / 1000:9.1f} kB")


if __name__ == "__main__":
    main()
