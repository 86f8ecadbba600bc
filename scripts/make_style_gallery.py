"""Render every visual style on three bundled flowers: a gallery for the README and a preview per style.

    python scripts/make_style_gallery.py [--out docs]

Writes docs/styles.jpg (every style in a column, a flower per row, in English, Belarusian and Arabic) and
docs/styles/STYLE.jpg (that style as an Instagram portrait post and an X post side by side, under 150 KB).
Deterministic: the same assets, fonts and Pillow give the same bytes. Rerun it whenever the bundled flowers
or a style change, and look at the pictures.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import fonts  # noqa: E402
from generator.compose import render  # noqa: E402
from generator.spec import PostRequest, plan_posts  # noqa: E402
from generator.styles import STYLES  # noqa: E402

ROWS = (("cornflower", "en"), ("poppy", "be"), ("chamomile", "ar"))  # a light, a red and a dark picture
TILE = (270, 338)  # a quarter of an Instagram portrait post
GAP = 12
LABEL = 54
BACKGROUND = (44, 44, 48)  # dark, so the polaroid's paper shows its edge
INK = (240, 238, 232)
PREVIEW_HEIGHT = 440
PREVIEW_LIMIT = 150_000


def post(style: str, flower: str, language: str, preset: str) -> Image.Image:
    [spec] = plan_posts(PostRequest(flower=flower, language=language, template="thank-you", formats=(preset,),
                                    style=style))
    return render(spec).image


def gallery() -> Image.Image:
    width = len(STYLES) * TILE[0] + (len(STYLES) + 1) * GAP
    height = LABEL + len(ROWS) * TILE[1] + (len(ROWS) + 1) * GAP
    sheet = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    font = fonts.load(fonts.noto_sans(700), 24)
    for column, style in enumerate(STYLES):
        left = GAP + column * (TILE[0] + GAP)
        draw.text((left + TILE[0] / 2, LABEL / 2 + GAP / 2), style, font=font, fill=INK, anchor="mm")
        for row, (flower, language) in enumerate(ROWS):
            tile = post(style, flower, language, "instagram-portrait").resize(TILE, Image.Resampling.LANCZOS)
            sheet.paste(tile, (left, LABEL + GAP + row * (TILE[1] + GAP)))
    return sheet


def preview(style: str) -> Image.Image:
    pictures = [post(style, "cornflower", "be", "instagram-portrait"), post(style, "poppy", "en", "x")]
    scaled = [p.resize((round(p.width * PREVIEW_HEIGHT / p.height), PREVIEW_HEIGHT), Image.Resampling.LANCZOS)
              for p in pictures]
    sheet = Image.new("RGB", (sum(p.width for p in scaled) + GAP, PREVIEW_HEIGHT), BACKGROUND)
    sheet.paste(scaled[0], (0, 0))
    sheet.paste(scaled[1], (scaled[0].width + GAP, 0))
    return sheet


def jpeg(image: Image.Image, limit: int | None = None) -> bytes:
    """Baseline JPEG, no metadata; the quality steps down until the file is under `limit` bytes."""
    for quality in range(86, 40, -4):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, optimize=True)
        if limit is None or buffer.tell() <= limit:
            return buffer.getvalue()
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for styles.jpg and styles/")
    args = parser.parse_args()
    (args.out / "styles").mkdir(parents=True, exist_ok=True)
    (args.out / "styles.jpg").write_bytes(jpeg(gallery()))
    print(args.out / "styles.jpg")
    for style in STYLES:
        path = args.out / "styles" / f"{style}.jpg"
        path.write_bytes(jpeg(preview(style), PREVIEW_LIMIT))
        print(path)


if __name__ == "__main__":
    main()
