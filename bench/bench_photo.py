"""Benchmark: a 12 MP phone JPEG to a 1080x1350 post background, our pipeline against the obvious one.

Ours: open_photo with a target (the JPEG decoder works at reduced DCT scale), auto_focus, cover_crop.
Naive: Image.open, full decode, exif_transpose, convert to RGB, ImageOps.fit.

Both run interleaved in one process, on the same file, so machine load affects them alike; the result is
reported as medians and their ratio, never as an absolute promise.

    python bench/bench_photo.py [--rounds 15]
    python bench/bench_photo.py --batch 60 [--jobs 2] [--baseline CHECKOUT]

--batch N times a campaign in which every post has its own 12 MP phone JPEG (N distinct files), through
`solidarity batch` in a fresh process, alternating with the same run from a baseline checkout if given, and
in the same rounds the floor: the bare decode, resize and encode calls each post needs, on one core.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.flowers.crop import cover_crop
from generator.flowers.focus import auto_focus
from generator.flowers.photo import open_photo

PHONE_SIZE = (4032, 3024)
POST_SIZE = (1080, 1350)
ORIENTATION = 0x0112


def phone_photo(size: tuple[int, int] = PHONE_SIZE, seed: int = 2020) -> Image.Image:
    """A meadow with a flower and sensor grain, so it compresses like a real photo (a few MB)."""
    rng = random.Random(seed)
    width, height = size
    meadow = Image.new("RGB", (width // 8, height // 8), (78, 112, 64))
    draw = ImageDraw.Draw(meadow)
    for _ in range(400):
        x, y, r = rng.uniform(0, width / 8), rng.uniform(0, height / 8), rng.uniform(2, 25)
        shade = rng.uniform(0.5, 1.4)
        draw.ellipse((x - r, y - r / 3, x + r, y + r / 3), fill=(int(70 * shade), int(115 * shade), int(55 * shade)))
    draw.ellipse((330, 60, 420, 150), fill=(60, 90, 210))  # a cornflower, off-centre
    draw.ellipse((362, 92, 388, 118), fill=(40, 30, 90))
    image = meadow.filter(ImageFilter.GaussianBlur(1.5)).resize(size, Image.Resampling.BICUBIC)
    return Image.blend(image, _grain(size, rng), 0.12)


def _grain(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """Full-resolution noise, tiled from a few patches (effect_noise on 12 MP is slow)."""
    tiles = [Image.merge("RGB", [Image.effect_noise((256, 256), 40) for _ in range(3)]) for _ in range(4)]
    grain = Image.new("RGB", size)
    for top in range(0, size[1], 256):
        for left in range(0, size[0], 256):
            grain.paste(rng.choice(tiles), (left, top))
    return grain


def save_phone_jpeg(folder: Path, name: str, orientation: int) -> Path:
    """The photo as a phone saves it: landscape (orientation 1) or portrait shot on its side (6)."""
    exif = Image.Exif()
    exif[0x010F] = "Phone"
    if orientation == 6:
        exif[ORIENTATION] = orientation
        # Stored as the sensor saw it: the portrait shot lies on its side, the EXIF tag turns it back.
        image = phone_photo(PHONE_SIZE[::-1]).transpose(Image.Transpose.ROTATE_90)
    else:
        image = phone_photo()
    path = folder / name
    image.save(path, quality=92, exif=exif.tobytes())
    return path


def ours(path: Path) -> Image.Image:
    image = open_photo(path, target=POST_SIZE)
    return cover_crop(image, POST_SIZE, auto_focus(image))


def naive(path: Path) -> Image.Image:
    with Image.open(path) as image:
        image.load()
        upright = ImageOps.exif_transpose(image)
        return ImageOps.fit(upright.convert("RGB"), POST_SIZE)


def interleaved(pipelines: dict[str, Callable[[Path], Image.Image]], path: Path, rounds: int) -> dict[str, list[float]]:
    """Seconds per run for each pipeline, alternating which goes first so neither always runs warm."""
    times: dict[str, list[float]] = {name: [] for name in pipelines}
    for pipeline in pipelines.values():
        pipeline(path)  # warm-up: imports, caches, the file in the page cache
    for round_number in range(rounds):
        order = list(pipelines.items())
        if round_number % 2:
            order.reverse()
        for name, pipeline in order:
            start = time.perf_counter()
            result = pipeline(path)
            times[name].append(time.perf_counter() - start)
            assert result.size == POST_SIZE
    return times


def distinct_photos(folder: Path, count: int) -> list[Path]:
    """`count` different phone JPEGs: one meadow, each with its own bloom placed and coloured apart."""
    rng = random.Random(7)
    base = phone_photo()
    paths = []
    for number in range(count):
        image = base.copy()
        x, y = rng.uniform(400, 3600), rng.uniform(300, 2700)
        ImageDraw.Draw(image).ellipse((x - 250, y - 250, x + 250, y + 250),
                                      fill=(rng.randint(40, 250), rng.randint(20, 120), rng.randint(60, 250)))
        path = folder / f"phone-{number:03d}.jpg"
        image.save(path, quality=92)
        paths.append(path)
    return paths


FLOOR_STAGES = ("decode at our DCT scale", "cover resize", "encode")


def photo_floor(photos: list[Path]) -> dict[str, float]:
    """Seconds for each bare Pillow call a photo post cannot do without, summed over `photos`: the JPEG
    decoded at the scale our pipeline asks for, resized to cover the post as cover_crop does, and the post
    encoded whole at our exact settings. No checks, no text, no files written."""
    from generator import jpeg_rows
    from generator.flowers.crop import cover_box

    taken = dict.fromkeys(FLOOR_STAGES, 0.0)
    for path in photos:
        start = time.perf_counter()
        with Image.open(path) as image:
            image.draft("RGB", POST_SIZE)
            image.load()
            resize_start = time.perf_counter()
            post = image.resize(POST_SIZE, Image.Resampling.BICUBIC, box=cover_box(image.size, POST_SIZE, (0.5, 0.5)),
                                reducing_gap=3.0)
        encode_start = time.perf_counter()
        jpeg_rows.encode(post, 90)
        end = time.perf_counter()
        for stage, seconds in zip(FLOOR_STAGES, (resize_start - start, encode_start - resize_start, end - encode_start)):
            taken[stage] += seconds
    return taken


def batch_run(count: int, jobs: int, rounds: int, baseline: str | None) -> None:
    import csv
    import subprocess

    here = str(Path(__file__).resolve().parents[1])
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        photos = distinct_photos(work, count)
        campaign = work / "photos.csv"
        with open(campaign, "w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(["flower", "message", "formats"])
            for number, photo in enumerate(photos):
                writer.writerow([str(photo), f"Thank you, doctors of Belarus. ({number})", "instagram-portrait"])
        checkouts = {"ours": here, **({"baseline": baseline} if baseline else {})}
        seconds: dict[str, list[float]] = {name: [] for name in checkouts}
        floors: dict[str, list[float]] = {stage: [] for stage in FLOOR_STAGES}
        for round_number in range(rounds):
            order = [*checkouts.items(), ("floor", None)]
            for name, checkout in order if round_number % 2 == 0 else reversed(order):
                if checkout is None:
                    for stage, taken in photo_floor(photos).items():
                        floors[stage].append(taken / count)
                    continue
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "generator", "batch", str(campaign), "-j", str(jobs), "-q",
                                "--force", "-o", str(work / name)], check=True, cwd=checkout,
                               stdout=subprocess.DEVNULL)
                seconds[name].append(time.perf_counter() - start)
        print(f"{count} posts, each from its own 12 MP phone JPEG, --jobs {jobs}, median of {rounds} rounds")
        for name, values in seconds.items():
            print(f"  {name:<10}{count / statistics.median(values):7.1f} posts/s  (median {statistics.median(values):.1f} s)")
        medians = {stage: statistics.median(values) * 1000 for stage, values in floors.items()}
        print("  floor, the bare library calls a post needs on one core (same photos, same rounds): "
              + ", ".join(f"{stage} {value:.1f} ms" for stage, value in medians.items()))
        print(f"  these calls alone allow at most {jobs * 1000 / sum(medians.values()):.1f} posts/s on {jobs} cores")
        if baseline:
            print(f"  ours vs baseline: {statistics.median(seconds['baseline']) / statistics.median(seconds['ours']):.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--batch", type=int, metavar="N", help="time a campaign of N distinct phone photos")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--baseline", metavar="CHECKOUT")
    options = parser.parse_args()
    if options.batch:
        batch_run(options.batch, options.jobs, min(options.rounds, 5), options.baseline)
        return
    rounds = options.rounds
    with tempfile.TemporaryDirectory() as folder:
        cases = {
            "landscape, orientation 1": save_phone_jpeg(Path(folder), "landscape.jpg", 1),
            "portrait, EXIF orientation 6": save_phone_jpeg(Path(folder), "portrait.jpg", 6),
        }
        phone, post = "x".join(map(str, PHONE_SIZE)), "x".join(map(str, POST_SIZE))
        print(f"12 MP phone JPEG {phone} -> {post} post background, {rounds} rounds each, interleaved")
        for label, path in cases.items():
            times = interleaved({"naive": naive, "ours": ours}, path, rounds)
            naive_ms = statistics.median(times["naive"]) * 1000
            ours_ms = statistics.median(times["ours"]) * 1000
            size_mb = path.stat().st_size / 1_000_000
            print(
                f"  {label} ({size_mb:.1f} MB): naive median {naive_ms:.1f} ms, ours median {ours_ms:.1f} ms, "
                f"ratio naive/ours {naive_ms / ours_ms:.2f}x"
            )


if __name__ == "__main__":
    main()
