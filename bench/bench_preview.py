"""Preview latency of the web page, against the bare library render, measured side by side in one run.

Each round posts one preview (a bundled flower, a 1080-px format) through Flask's test client with a new
message, so nothing can be answered from an HTTP cache, and renders the same inputs with the bare
library (`plan_posts` + `render_post`). The two alternate which goes first, so both see the same machine
and the same warm caches. `--photo` adds the same comparison for an uploaded 12-megapixel phone photo.

`--varied` times what a public page sees instead: each preview of its own length (3 to 22 words), and of a
format and a style drawn at random, so that its text is often set at a size, and on a picture, that no
earlier preview left in memory. A new size is a new font face in FreeType, whose first glyph costs its
autohinter's script analysis (10-20 ms); the line after the table counts the faces made after warming up.
Only the page's previews are timed then: a bare render of the same inputs beside each would find them warm.

    python bench/bench_preview.py [--rounds 30] [--format instagram-square] [--photo] [--varied]
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import time

from generator import fonts
from generator.formats import FORMATS
from generator.posts import render_post
from generator.spec import PostRequest, plan_posts
from generator.styles import STYLES
from generator.web import create_app

WORDS = ("thank you doctors and nurses of Belarus we stand with you caring is not a crime solidarity from "
         "friends everywhere").split()


def phone_photo() -> bytes:
    """A 4000x3000 JPEG with some texture, about the size a phone writes."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(5)
    image = Image.new("RGB", (4000, 3000), (92, 130, 78))
    draw = ImageDraw.Draw(image)
    for _ in range(3000):
        x, y, r = rng.uniform(0, 4000), rng.uniform(0, 3000), rng.uniform(10, 90)
        draw.ellipse((x, y, x + r, y + r * 0.7), fill=tuple(rng.randint(40, 220) for _ in range(3)))
    image = image.filter(ImageFilter.GaussianBlur(2))
    draw = ImageDraw.Draw(image)
    draw.ellipse((2500, 800, 3100, 1400), fill=(60, 90, 230))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def measure(rounds: int, format_name: str, photo: bytes | None,
            varied: bool = False) -> tuple[dict[str, list[float]], int]:
    """The timings, and how many font faces were made after warming up."""
    client = create_app().test_client()
    samples: dict[str, list[float]] = {"preview (HTTP)": [], "render_post (bare)": []}
    chosen = {"format": format_name, "style": "card"}

    def preview(message: str) -> float:
        data = {"message": message, **chosen}
        if photo is None:
            data["flower"] = "cornflower"
        else:
            data["photo"] = (io.BytesIO(photo), "phone.jpg")
        start = time.perf_counter()
        response = client.post("/api/preview", data=data, content_type="multipart/form-data")
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.get_data(as_text=True)
        return elapsed

    def bare(message: str) -> float:
        start = time.perf_counter()
        if photo is None:
            flower = "cornflower"
        else:
            from generator.flowers.upload import uploaded_flower

            flower = uploaded_flower(photo, "phone.jpg")
        [spec] = plan_posts(PostRequest(flower=flower, message=message, formats=(chosen["format"],),
                                        style=chosen["style"]))
        render_post(spec)
        return time.perf_counter() - start

    for warm in range(2):  # fonts, the decoded background, .pyc files
        preview(f"warming up {warm}")
        bare(f"warming up {warm}")
    faces = fonts.load.cache_info().misses
    rng = random.Random(11)
    formats, styles = list(FORMATS), list(STYLES)
    for index in range(rounds):
        message = f"Thank you, doctors and nurses of Belarus. We stand with you. (round {index})"
        if varied:  # each its own, drawn at random (not in turn, which no bounded cache could serve)
            message = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 22))).capitalize()
            chosen.update(format=rng.choice(formats), style=rng.choice(styles))
            samples["preview (HTTP)"].append(preview(message))
            continue
        pair = [("preview (HTTP)", preview), ("render_post (bare)", bare)]
        for name, run in pair if index % 2 == 0 else reversed(pair):
            samples[name].append(run(message))
    if varied:
        del samples["render_post (bare)"]
    return samples, fonts.load.cache_info().misses - faces


def report(title: str, samples: dict[str, list[float]]) -> None:
    bare = samples.get("render_post (bare)")
    print(title)
    print(f"  {'':<22}{'median':>10}{'p95':>10}" + (f"{'x bare':>9}" if bare else ""))
    for name, values in samples.items():
        median = statistics.median(values)
        p95 = statistics.quantiles(values, n=20)[-1]
        ratio = f"{median / statistics.median(bare):>9.2f}" if bare else ""
        print(f"  {name:<22}{median * 1000:>8.0f}ms{p95 * 1000:>8.0f}ms{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--format", default="instagram-square")
    parser.add_argument("--photo", action="store_true", help="also time an uploaded 12-megapixel photo")
    parser.add_argument("--varied", action="store_true", help="each preview its own length, format and style")
    args = parser.parse_args()
    if args.varied:
        if args.photo:
            parser.error("--photo times one photo at one format: it does not go with --varied")
        samples, faces = measure(args.rounds, args.format, None, varied=True)
        report(f"bundled flower, a new length, format and style each preview, {args.rounds} rounds", samples)
        print(f"  font faces made: {faces} for {args.rounds} previews; "
              f"kept {fonts.load.cache_info().entries} in {fonts.load.max_bytes / 1e6:.0f} MB")
        return
    report(f"bundled flower, {args.format}, {args.rounds} rounds", measure(args.rounds, args.format, None)[0])
    if args.photo:
        photo = phone_photo()
        report(f"uploaded {len(photo) / 1e6:.1f} MB 12-megapixel photo, {args.format}, {args.rounds} rounds",
               measure(args.rounds, args.format, photo)[0])


if __name__ == "__main__":
    main()
