"""The 300-post campaign benchmark: our batch at --jobs 1 and 2, a naive Pillow script, and the JPEG floor.

All four run in this one invocation, round after round, so they share the machine's load:

  * ours, jobs 1 / jobs 2 - `solidarity batch` in a fresh process, bundled flowers, 1080x1350 JPEG;
  * naive               - a per-image script: open, resize, load the font, draw, save, every time;
  * encode floor        - a bare loop encoding the same final images to JPEG with our settings
                          (decoded beforehand, outside the timing).

Prints posts per second (medians over the rounds) and the ratios the batch issue asks about:

    python bench/bench_batch.py [--posts 300] [--rounds 3]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NAIVE_SCRIPT = r'''
import csv, sys, textwrap
from pathlib import Path
from PIL import Image, ImageDraw, ImageFont, ImageOps
import fontpkg_noto_sans
from generator.flowers import bundled
campaign, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(exist_ok=True)
font_path = str(next(fontpkg_noto_sans.ROOT.glob("files/NotoSans[[]*.ttf")))
for number, row in enumerate(csv.DictReader(open(campaign, encoding="utf-8"))):
    image = Image.open(bundled()[row["flower"]].path).convert("RGB")
    image = ImageOps.fit(image, (1080, 1350), Image.Resampling.LANCZOS)
    font = ImageFont.truetype(font_path, 56)
    font.set_variation_by_name("Bold")
    draw = ImageDraw.Draw(image)
    draw.rectangle((54, 900, 1026, 1270), fill=(18, 22, 34))
    text = "\n".join(textwrap.wrap(row["message"], 30)) + "\n@amnesty #StandWithBelarus"
    draw.multiline_text((540, 1085), text, font=font, fill="white", anchor="mm", align="center")
    image.save(out / f"{number}.jpg", quality=90)
'''


def write_campaign(path: Path, posts: int, format_name: str = "instagram-portrait") -> None:
    from generator.flowers import bundled
    from generator.messages import languages

    flowers = sorted(bundled())
    messages = [(code, template.id) for code, language in sorted(languages().items()) if code != "ar"
                for template in language.messages.values()]
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["flower", "lang", "template", "var.name", "formats"])
        for number in range(posts):
            code, template = messages[number % len(messages)]
            writer.writerow([flowers[number % len(flowers)], code, template, f"Supporter {number}",
                             format_name])
    _write_naive_rows(path)


def _write_naive_rows(path: Path) -> None:
    """The same posts for the naive script: the messages already rendered, one per row."""
    from generator.messages import find_template

    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    with open(path.with_suffix(".naive.csv"), "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["flower", "message"])
        for row in rows:
            text = find_template(row["template"], row["lang"]).render({"name": row["var.name"]})
            writer.writerow([row["flower"], text.replace("\n", " ")])


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def encode_floor(folder: Path) -> float:
    from PIL import Image

    from generator.export import _encode_once

    images = []
    for path in sorted(folder.glob("*.jpg")):
        with Image.open(path) as image:
            images.append(image.convert("RGB"))
    start = time.perf_counter()
    for image in images:
        _encode_once(image, "jpeg", 90)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    seconds: dict[str, list[float]] = {"ours --jobs 1": [], "ours --jobs 2": [], "naive script": [],
                                       "encode floor": []}
    with tempfile.TemporaryDirectory() as work:
        work_path = Path(work)
        campaign = work_path / "campaign.csv"
        write_campaign(campaign, options.posts)
        batch = [sys.executable, "-m", "generator", "batch", str(campaign), "--force", "-q"]
        for round_number in range(options.rounds):
            seconds["ours --jobs 1"].append(timed([*batch, "-j", "1", "-o", str(work_path / "one")]))
            seconds["ours --jobs 2"].append(timed([*batch, "-j", "2", "-o", str(work_path / "two")]))
            seconds["naive script"].append(timed([sys.executable, "-c", NAIVE_SCRIPT,
                                                  str(campaign.with_suffix(".naive.csv")), str(work_path / "naive")]))
            seconds["encode floor"].append(encode_floor(work_path / "one"))
            print(f"round {round_number + 1}: " + ", ".join(f"{k} {v[-1]:.1f}s" for k, v in seconds.items()),
                  file=sys.stderr)
        made = len(list((work_path / "one").glob("*.jpg")))
    assert made == options.posts, f"expected {options.posts} posts, found {made}"
    rate = {name: options.posts / statistics.median(values) for name, values in seconds.items()}
    print(f"{options.posts} posts, 1080x1350 JPEG, median of {options.rounds} rounds")
    for name, value in rate.items():
        print(f"  {name:<16}{value:8.1f} posts/s   (median {statistics.median(seconds[name]):.1f} s)")
    print(f"  jobs 2 vs naive script:      {rate['ours --jobs 2'] / rate['naive script']:.2f}x  (aim >= 10x)")
    print(f"  jobs 1 vs naive script:      {rate['ours --jobs 1'] / rate['naive script']:.2f}x")
    print(f"  jobs 2 vs jobs 1:            {rate['ours --jobs 2'] / rate['ours --jobs 1']:.2f}x  (aim >= 1.7x)")
    print(f"  jobs 1 time vs encode floor: {rate['encode floor'] / rate['ours --jobs 1']:.2f}x  (aim <= 2.5x)")


if __name__ == "__main__":
    main()
