"""Redraws docs/languages.jpg (one post per catalogue language, and one with emoji) and docs/example-square.jpg.

    python scripts/make_language_gallery.py
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from generator import fonts
from generator.compose import render
from generator.messages import languages
from generator.posts import render_post
from generator.spec import PostRequest, plan_posts
from generator.typeset import draw_line

DOCS = Path(__file__).resolve().parent.parent / "docs"
FLOWERS = ["cornflower", "chamomile", "poppy", "tulip-white-red-white", "rose", "sunflower-meadow",
           "carnation", "lily-of-the-valley", "cornflower-meadow", "poppy-meadow", "chamomile-meadow", "rose-white-red-white"]
TILE = (270, 338)
LABEL = 34
COLUMNS = 6


def tiles() -> list[tuple[str, Image.Image]]:
    found = []
    for index, (code, language) in enumerate(sorted(languages().items())):
        [spec] = plan_posts(PostRequest(flower=FLOWERS[index % len(FLOWERS)], template="thank-you", language=code,
                                        formats=("instagram-portrait",)))
        found.append((f"{language.name} · {code}", render(spec).image))
    [spec] = plan_posts(PostRequest(flower=FLOWERS[-1], message="Дзякуй, урачы! 🌼💙 We stand with you ❤️",
                                    formats=("instagram-portrait",)))
    found.append(("with emoji", render(spec).image))
    return found


def gallery() -> bytes:
    found = tiles()
    rows = (len(found) + COLUMNS - 1) // COLUMNS
    sheet = Image.new("RGB", (COLUMNS * (TILE[0] + 12) + 12, rows * (TILE[1] + LABEL + 12) + 12), (34, 34, 38))
    chain = fonts.chain_for(600)  # the labels are in their own scripts too
    for index, (label, image) in enumerate(found):
        x = 12 + (index % COLUMNS) * (TILE[0] + 12)
        y = 12 + (index // COLUMNS) * (TILE[1] + LABEL + 12)
        sheet.paste(image.resize(TILE, Image.Resampling.LANCZOS), (x, y))
        left = x + (TILE[0] - chain.measure(label, 17)) / 2
        draw_line(sheet, chain, label, 17, left, y + TILE[1] + 24, (235, 235, 235), chain.is_rtl(label))
    buffer = io.BytesIO()
    sheet.save(buffer, "JPEG", quality=86, optimize=True)
    return buffer.getvalue()


def main() -> None:
    (DOCS / "languages.jpg").write_bytes(gallery())
    [spec] = plan_posts(PostRequest())
    (DOCS / "example-square.jpg").write_bytes(render_post(spec).image_bytes)
    print("wrote docs/languages.jpg and docs/example-square.jpg")


if __name__ == "__main__":
    main()
