"""Regenerate the bundled flower pictures in assets/flowers/, byte for byte, and the garden contact sheet.

    python scripts/grow_bundled_flowers.py [--out assets/flowers] [--contact-sheet docs/garden.jpg]

Every picture is grown by generator.flowers.grow with a fixed seed and encoded by the same fixed JPEG
settings, so running this twice gives identical files (on the same Pillow version).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageStat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.flowers import BUNDLED_SIZE  # noqa: E402  (covers 1600x900 and 1080x1920 by cover-cropping)
from generator.flowers.grow import encode_bundled_jpeg, grow, picture  # noqa: E402


@dataclass(frozen=True)
class BundledFlower:
    name: str
    species: str
    seed: int
    composition: str
    palette: str


BUNDLE: tuple[BundledFlower, ...] = (
    BundledFlower("cornflower", "cornflower", 9, "single", "natural"),
    BundledFlower("cornflower-meadow", "cornflower", 11, "meadow", "natural"),
    BundledFlower("cornflower-white-red-white", "cornflower", 10, "bouquet", "white-red-white"),
    BundledFlower("chamomile", "chamomile", 5, "single", "natural"),
    BundledFlower("chamomile-meadow", "chamomile", 3, "meadow", "natural"),
    BundledFlower("chamomile-white-red-white", "chamomile", 4, "bouquet", "white-red-white"),
    BundledFlower("poppy", "poppy", 10, "single", "natural"),
    BundledFlower("poppy-meadow", "poppy", 2, "meadow", "natural"),
    BundledFlower("tulip", "tulip", 4, "bouquet", "natural"),
    BundledFlower("tulip-white-red-white", "tulip", 7, "bouquet", "white-red-white"),
    BundledFlower("rose", "rose", 1, "single", "natural"),
    BundledFlower("rose-white-red-white", "rose", 4, "bouquet", "white-red-white"),
    BundledFlower("carnation", "carnation", 3, "bouquet", "natural"),
    BundledFlower("carnation-white-red-white", "carnation", 11, "bouquet", "white-red-white"),
    BundledFlower("lily-of-the-valley", "lily-of-the-valley", 3, "single", "natural"),
    BundledFlower("lily-of-the-valley-white-red-white", "lily-of-the-valley", 13, "bouquet", "white-red-white"),
    BundledFlower("sunflower", "sunflower", 13, "bouquet", "natural"),
    BundledFlower("sunflower-meadow", "sunflower", 0, "meadow", "natural"),
)


def background_tone(image: Image.Image) -> str:
    """ "light" or "dark": the brightness of the calm upper part of the picture, where text usually goes."""
    grey = image.convert("L").resize((64, 80), Image.Resampling.BOX)
    calm = grey.crop((0, 0, 64, 32))
    return "light" if ImageStat.Stat(calm).mean[0] >= 128 else "dark"


def catalogue_entry(flower: BundledFlower, grown) -> dict[str, object]:
    """The flower's line in flowers.json, from the picture grown for it."""
    return {
        "name": flower.name,
        "file": f"{flower.name}.jpg",
        "species": flower.species,
        "seed": flower.seed,
        "composition": flower.composition,
        "palette": flower.palette,
        "focus": [round(grown.focus[0], 4), round(grown.focus[1], 4)],
        "description": grown.description,
        "tone": background_tone(grown.image),
        "picture": picture(flower.species, flower.seed, BUNDLED_SIZE, flower.composition, flower.palette)._asdict(),
    }


def grow_bundle(out_dir: Path) -> list[dict[str, object]]:
    """Grow every bundled flower into `out_dir` and return the catalogue entries, sorted by name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = []
    for flower in sorted(BUNDLE, key=lambda f: f.name):
        grown = grow(flower.species, flower.seed, BUNDLED_SIZE, flower.composition, flower.palette)
        data = encode_bundled_jpeg(grown.image)
        _write_atomically(out_dir / f"{flower.name}.jpg", data)
        entries.append(catalogue_entry(flower, grown))
        print(f"wrote {out_dir / entries[-1]['file']} ({len(data) // 1024} KiB, {entries[-1]['tone']})")
    catalogue = json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
    _write_atomically(out_dir / "flowers.json", catalogue.encode("utf-8"))
    print(f"wrote {out_dir / 'flowers.json'} ({len(entries)} flowers)")
    return entries


def contact_sheet(out_dir: Path, entries: list[dict[str, object]], columns: int = 4) -> Image.Image:
    """A grid of thumbnails of the bundled garden with each flower's name underneath."""
    thumb_w, thumb_h, caption, gap = 240, 300, 30, 12
    rows = (len(entries) + columns - 1) // columns
    sheet = Image.new("RGB", (gap + columns * (thumb_w + gap), gap + rows * (thumb_h + caption + gap)), (250, 249, 246))
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(15)
    for index, entry in enumerate(entries):
        x = gap + (index % columns) * (thumb_w + gap)
        y = gap + (index // columns) * (thumb_h + caption + gap)
        with Image.open(out_dir / str(entry["file"])) as image:
            sheet.paste(image.convert("RGB").resize((thumb_w, thumb_h), Image.Resampling.LANCZOS), (x, y))
        draw.text(
            (x + thumb_w / 2, y + thumb_h + caption / 2), str(entry["name"]), fill=(40, 40, 40), font=font, anchor="mm"
        )
    return sheet


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the bundled flower pictures and their catalogue.")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "assets" / "flowers", help="folder to write (default: assets/flowers)"
    )
    parser.add_argument(
        "--contact-sheet",
        type=Path,
        default=ROOT / "docs" / "garden.jpg",
        help="contact sheet to write (default: docs/garden.jpg)",
    )
    args = parser.parse_args(argv)
    entries = grow_bundle(args.out)
    sheet = contact_sheet(args.out, entries)
    args.contact_sheet.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    sheet.save(buffer, "JPEG", quality=82, optimize=True, progressive=False, subsampling=2)
    _write_atomically(args.contact_sheet, buffer.getvalue())
    print(f"wrote {args.contact_sheet} ({len(buffer.getvalue()) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
