"""Detailed, noisy pictures (sensor noise, a dense meadow) never crash the export, in any style, format or type.

Issue 12, item 1: an optimized JPEG is written by libjpeg in one piece into Pillow's output buffer, which Pillow
sizes at width x height bytes; noise at 4:4:4 needs about twice that, and the export ended in a traceback.
"""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from generator.export import JPEG_QUALITIES, _encode_once, jpeg_bytes
from generator.formats import FORMATS
from generator.posts import render_post
from generator.spec import PostRequest, plan_posts
from generator.styles import STYLES


def binary_noise(size: tuple[int, int], seed: int = 12, block: int = 1) -> Image.Image:
    """Every channel of every pixel 0 or 255 at random: the most detail a picture can hold."""
    width, height = (-(-size[0] // block), -(-size[1] // block))
    rng = random.Random(seed)
    bits = Image.frombytes("1", (width, height * 3), rng.randbytes((width + 7) // 8 * height * 3)).convert("L")
    image = Image.merge("RGB", [bits.crop((0, i * height, width, (i + 1) * height)) for i in range(3)])
    return image.resize((width * block, height * block), Image.Resampling.NEAREST).crop((0, 0, *size))


@pytest.fixture(scope="module")
def noise_photo(tmp_path_factory):
    """A noise photo as large as the largest preset in each direction, so no preset smooths it by scaling."""
    path = tmp_path_factory.mktemp("noise") / "sensor-noise.png"
    binary_noise((1600, 1920)).save(path, compress_level=1)
    return path


@pytest.mark.parametrize("size", sorted({fmt.size for fmt in FORMATS.values()}))
def test_a_jpeg_of_pure_noise_encodes_at_every_preset_size_and_quality(size):
    noise = binary_noise(size)
    for quality in (JPEG_QUALITIES[0], JPEG_QUALITIES[-1]):
        for smallest in (False, True):  # optimized Huffman tables (meeting a cap) are the case that crashed
            data = _encode_once(noise, "jpeg", quality, smallest=smallest)
            assert len(data) > size[0] * size[1]  # more than Pillow's own buffer guess
            with Image.open(io.BytesIO(data)) as decoded:
                assert decoded.size == size


def test_a_contact_sheet_of_noisy_posts_encodes():
    data = jpeg_bytes(binary_noise((1440, 1100)), quality=85, optimize=True)
    assert Image.open(io.BytesIO(data)).size == (1440, 1100)


@pytest.mark.parametrize("style", sorted(STYLES))
def test_a_noisy_photo_makes_a_jpeg_in_every_format(style, noise_photo):
    specs = plan_posts(PostRequest(flower=str(noise_photo), style=style, formats=("all",)))
    assert len(specs) == len(FORMATS)
    for spec in specs:
        data = render_post(spec).image_bytes
        cap = spec.format.max_bytes
        assert cap is None or len(data) <= cap
        with Image.open(io.BytesIO(data)) as decoded:
            assert decoded.format == "JPEG" and decoded.size == spec.format.size


@pytest.mark.parametrize("image_type", ["png", "webp"])
def test_a_noisy_photo_in_png_and_webp_is_written_or_refused_in_one_line(run, tmp_path, image_type):
    photo = tmp_path / "meadow.png"
    binary_noise((1080, 1080), block=2).save(photo, compress_level=1)
    uncapped = run("make", "-f", str(photo), "-s", "scrim", "-F", "instagram-square", "--image-type", image_type)
    assert uncapped.exit_code == 0, uncapped.output
    capped = run("make", "-f", str(photo), "-s", "card", "-F", "bluesky", "--image-type", image_type, "-o", "capped")
    if capped.exit_code:  # over the 1 MB cap even at the lowest quality: a clear line and nothing written
        assert capped.exit_code == 1 and capped.stderr.startswith("Error: bluesky: the ") and capped.stderr.count("\n") == 1
        assert not (tmp_path / "capped").exists()
    else:
        written = next((tmp_path / "capped").glob(f"*.{'png' if image_type == 'png' else 'webp'}"))
        assert written.stat().st_size <= FORMATS["bluesky"].max_bytes
