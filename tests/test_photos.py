"""Supporters' photos: every format and colour case opens upright, in sRGB, without metadata; bad ones fail clearly."""

from __future__ import annotations

import functools
import io
import json
import math
import os
import random
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import PIL
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms, ImageDraw, ImageFilter, features

from generator.errors import PhotoError, UsageError
from generator.flowers import photo
from generator.flowers.crop import cover_box, cover_crop
from generator.flowers.focus import auto_focus, parse_focus
from generator.flowers.photo import MAX_PIXELS, open_photo, open_photo_bytes

CHOOSE = "choose a JPEG, PNG, WebP, HEIC, AVIF, TIFF, GIF or BMP photo"
RED, BLUE, WHITE = (255, 0, 0), (0, 0, 255), (255, 255, 255)
ORIENTATION = 0x0112
PRESET_SIZES = [(1080, 1080), (1080, 1350), (1080, 1920), (1600, 900), (1200, 630), (1200, 627)]

# What a viewer does to the stored pixels for each EXIF orientation, and its inverse (how we store them).
STORE_FOR_ORIENTATION = {
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,
    8: Image.Transpose.ROTATE_270,
}


# --- fixtures made in code -------------------------------------------------------------------------------


def upright_marker(size: tuple[int, int] = (300, 200)) -> Image.Image:
    """Blue with a red block in the top-left corner, so any wrong rotation or flip shows."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 3, size[1] // 3))
    return image


def exif_bytes(orientation: int | None = None, gps: bool = False) -> bytes:
    exif = Image.Exif()
    if orientation:
        exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"  # Make
    if gps:
        exif[0x8825] = {1: "N", 2: (53.0, 54.0, 0.0), 3: "E", 4: (27.0, 33.0, 0.0)}  # Minsk
    return exif.tobytes()


def save(image: Image.Image, path: Path, **options) -> Path:
    image.save(path, **options)
    return path


def near(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 12) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


def assert_clean_rgb(image: Image.Image) -> None:
    assert type(image) is Image.Image  # not the file's image object, with the file's segments kept on it
    assert image.mode == "RGB"
    assert image.info == {}
    assert len(image.getexif()) == 0


def srgb_profile_bytes() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def red_green_swapped_profile() -> bytes:
    """An sRGB profile whose red and green primaries trade places: its (R, G, B) means sRGB's (G, R, B)."""
    data = bytearray(srgb_profile_bytes())
    count = struct.unpack(">I", data[128:132])[0]
    entries = {bytes(data[132 + 12 * i : 136 + 12 * i]): 132 + 12 * i for i in range(count)}
    red, green = entries[b"rXYZ"], entries[b"gXYZ"]
    data[red + 4 : red + 12], data[green + 4 : green + 12] = data[green + 4 : green + 12], data[red + 4 : red + 12]
    data[84:100] = bytes(16)  # the profile ID (an MD5) no longer matches; zero means "not computed"
    return bytes(data)


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(width: int = 40_000, height: int = 40_000) -> bytes:
    """A few hundred bytes whose header promises a gigantic image: refused before anything is decoded."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\0" * (1 + (width + 7) // 8) * 4)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", pixels) + png_chunk(b"IEND", b"")


def flower_scene(
    size: tuple[int, int], at: tuple[float, float], seed: int = 7, background: str = "green"
) -> Image.Image:
    """A noisy field of green/grey leaves and stones with one saturated flower at `at` (fractions)."""
    return _flower_scene(size, at, seed, background).copy()


@functools.cache
def _flower_scene(size: tuple[int, int], at: tuple[float, float], seed: int, background: str) -> Image.Image:
    rng = random.Random(seed)
    width, height = size
    base = {"green": (70, 110, 60), "grey": (120, 125, 118)}[background]
    # Leaves are drawn and softened at quarter size, grain added at half size: both cost a lot at full size.
    leaves = Image.new("RGB", (width // 4, height // 4), base)
    draw = ImageDraw.Draw(leaves)
    for _ in range(120):
        x, y, radius = rng.uniform(0, width / 4), rng.uniform(0, height / 4), rng.uniform(0.005, 0.02) * width
        shade = rng.uniform(0.6, 1.3)
        colour = tuple(max(0, min(255, int(channel * shade) + rng.randint(-15, 15))) for channel in base)
        draw.ellipse((x - radius, y - radius / 2, x + radius, y + radius / 2), fill=colour)
    image = leaves.filter(ImageFilter.GaussianBlur(1)).resize(size, Image.Resampling.BILINEAR)
    grain = [Image.effect_noise((width // 2, height // 2), 28).resize(size) for _ in range(3)]
    image = Image.blend(image, Image.merge("RGB", grain), 0.25)
    draw_flower(ImageDraw.Draw(image), (at[0] * width, at[1] * height), 0.11 * min(size))
    return image


def draw_flower(draw: ImageDraw.ImageDraw, centre: tuple[float, float], radius: float) -> None:
    cx, cy = centre
    for petal in range(8):
        angle = petal * math.pi / 4
        px, py = cx + math.cos(angle) * radius * 0.55, cy + math.sin(angle) * radius * 0.55
        draw.ellipse(
            (px - radius * 0.45, py - radius * 0.45, px + radius * 0.45, py + radius * 0.45), fill=(220, 40, 90)
        )
    draw.ellipse((cx - radius * 0.3, cy - radius * 0.3, cx + radius * 0.3, cy + radius * 0.3), fill=(240, 200, 40))


@pytest.fixture(scope="module")
def big_jpeg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save(Image.new("RGB", (4000, 3000), (90, 140, 80)), tmp_path_factory.mktemp("big") / "big.jpg", quality=85)


# --- orientation and metadata -----------------------------------------------------------------------------


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_exif_orientation_turns_the_photo_upright(tmp_path: Path, orientation: int) -> None:
    upright = upright_marker()
    stored = upright.transpose(STORE_FOR_ORIENTATION[orientation])
    path = save(stored, tmp_path / "turned.jpg", quality=95, exif=exif_bytes(orientation))

    result = open_photo(path)

    assert result.size == upright.size
    assert near(result.getpixel((10, 10)), RED, 30)
    assert near(result.getpixel((result.width - 10, result.height - 10)), BLUE, 30)
    assert_clean_rgb(result)


def test_gps_exif_comments_and_profile_are_dropped(tmp_path: Path) -> None:
    path = save(
        upright_marker(),
        tmp_path / "minsk.jpg",
        exif=exif_bytes(gps=True),
        comment=b"taken at the protest",
        icc_profile=srgb_profile_bytes(),
        xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>secret</x:xmpmeta>",
    )
    assert Image.open(path).getexif().get_ifd(0x8825)  # the fixture really carries GPS

    result = open_photo(path)

    assert_clean_rgb(result)
    written = io.BytesIO()
    result.save(written, "JPEG")
    reread = Image.open(written)
    assert len(reread.getexif()) == 0
    assert not {"exif", "comment", "icc_profile", "xmp"} & set(reread.info)


def test_a_jpeg_needing_no_conversion_keeps_its_pixels_and_none_of_its_metadata(tmp_path: Path) -> None:
    """Upright sRGB already: the decoded pixels are handed on as they are, in an image of their own."""
    path = save(upright_marker(), tmp_path / "plain.jpg", exif=exif_bytes(gps=True), comment=b"at the protest")
    result = open_photo(path)
    assert_clean_rgb(result)
    with Image.open(path) as direct:
        assert result.tobytes() == direct.convert("RGB").tobytes()
    assert not hasattr(result, "applist") and not hasattr(result, "fp")


def test_png_metadata_is_dropped(tmp_path: Path) -> None:
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Author", "someone who should stay anonymous")
    path = save(upright_marker(), tmp_path / "tagged.png", pnginfo=text, exif=exif_bytes(gps=True))

    assert_clean_rgb(open_photo(path))


# --- colour modes -----------------------------------------------------------------------------------------


def test_cmyk_jpeg_becomes_rgb(tmp_path: Path) -> None:
    path = save(Image.new("CMYK", (64, 48), (0, 255, 255, 0)), tmp_path / "print.jpg", quality=95)

    result = open_photo(path)

    assert_clean_rgb(result)
    assert near(result.getpixel((32, 24)), RED, 30)


@pytest.mark.parametrize("suffix", ["png", "tif"])
def test_sixteen_bit_grey_is_scaled_not_clipped_to_white(tmp_path: Path, suffix: str) -> None:
    path = save(Image.new("I;16", (40, 30), 32768), tmp_path / f"scan.{suffix}")
    assert Image.open(path).mode.startswith("I;16")

    result = open_photo(path)

    assert_clean_rgb(result)
    assert near(result.getpixel((20, 15)), (128, 128, 128), 2)


def test_sixteen_bit_black_to_white_ramp_keeps_its_range(tmp_path: Path) -> None:
    ramp = Image.new("I;16", (2, 1))
    ramp.putpixel((0, 0), 0)
    ramp.putpixel((1, 0), 65535)

    result = open_photo(save(ramp, tmp_path / "ramp.png"))

    assert result.getpixel((0, 0)) == (0, 0, 0)
    assert result.getpixel((1, 0)) == WHITE


def test_sixteen_bit_rgb_png_keeps_its_colour() -> None:
    width, height = 4, 2
    row = b"\0" + struct.pack(">HHH", 0x8000, 0x4000, 0xFFFF) * width
    header = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)  # 16 bits per channel, RGB
    data = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(row * height))
    data += png_chunk(b"IEND", b"")

    assert open_photo_bytes(data, "deep.png").getpixel((0, 0)) == (128, 64, 255)


def test_palette_png_with_transparency_is_flattened_onto_white(tmp_path: Path) -> None:
    image = Image.new("P", (20, 10), 0)
    image.putpalette([0, 0, 0, 200, 30, 30] + [0] * 762)
    image.paste(1, (10, 0, 20, 10))
    path = save(image, tmp_path / "sticker.png", transparency=0)

    result = open_photo(path)

    assert_clean_rgb(result)
    assert result.getpixel((2, 5)) == WHITE
    assert result.getpixel((15, 5)) == (200, 30, 30)


@pytest.mark.parametrize(("mode", "colour"), [("L", 90), ("LA", (90, 255)), ("1", 1)])
def test_grey_and_bilevel_photos_become_rgb(tmp_path: Path, mode: str, colour: int | tuple[int, int]) -> None:
    path = save(Image.new(mode, (16, 16), colour), tmp_path / f"grey-{mode}.png")

    result = open_photo(path)

    assert_clean_rgb(result)
    expected = 255 if mode == "1" else 90
    assert result.getpixel((8, 8)) == (expected,) * 3


def test_greyscale_jpeg_becomes_rgb(tmp_path: Path) -> None:
    result = open_photo(save(Image.new("L", (16, 16), 90), tmp_path / "grey.jpg"))

    assert_clean_rgb(result)
    assert near(result.getpixel((8, 8)), (90, 90, 90), 2)


@pytest.mark.parametrize("mode", ["RGBA", "LA"])
def test_transparency_is_flattened_onto_white(tmp_path: Path, mode: str) -> None:
    image = Image.new("RGBA", (20, 10), (0, 0, 0, 0))
    image.paste((40, 40, 40, 255), (10, 0, 20, 10))
    image.paste((0, 0, 0, 128), (0, 0, 5, 10))  # half-transparent black: half way to white
    path = save(image.convert(mode), tmp_path / f"cutout-{mode}.png")

    result = open_photo(path)

    assert_clean_rgb(result)
    assert result.getpixel((7, 5)) == WHITE
    assert result.getpixel((15, 5)) == (40, 40, 40)
    assert near(result.getpixel((2, 5)), (127, 127, 127), 2)


def test_embedded_srgb_profile_leaves_colours_unchanged(tmp_path: Path) -> None:
    colour = (180, 90, 40)
    path = save(Image.new("RGB", (16, 16), colour), tmp_path / "srgb.png", icc_profile=srgb_profile_bytes())

    assert near(open_photo(path).getpixel((8, 8)), colour, 2)


def test_embedded_non_srgb_profile_is_converted_to_srgb(tmp_path: Path) -> None:
    path = save(
        Image.new("RGB", (16, 16), (200, 40, 60)), tmp_path / "swapped.png", icc_profile=red_green_swapped_profile()
    )

    result = open_photo(path)

    assert_clean_rgb(result)
    assert near(result.getpixel((8, 8)), (40, 200, 60), 3)


def test_cmyk_jpeg_with_a_profile_it_does_not_fit_falls_back_gracefully(tmp_path: Path) -> None:
    image = Image.new("CMYK", (16, 16), (0, 255, 255, 0))
    path = save(image, tmp_path / "mismatch.jpg", quality=95, icc_profile=srgb_profile_bytes())

    assert near(open_photo(path).getpixel((8, 8)), RED, 30)


def test_garbage_profile_is_ignored(tmp_path: Path) -> None:
    path = save(
        Image.new("RGB", (16, 16), (10, 120, 200)), tmp_path / "junk-profile.png", icc_profile=b"not a profile" * 20
    )

    assert open_photo(path).getpixel((8, 8)) == (10, 120, 200)


def test_without_imagecms_profiles_are_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = save(
        Image.new("RGB", (16, 16), (200, 40, 60)), tmp_path / "no-cms.png", icc_profile=red_green_swapped_profile()
    )
    # What a Pillow built without littlecms looks like: `from PIL import ImageCms` raises ImportError.
    monkeypatch.delattr(PIL, "ImageCms")
    monkeypatch.setitem(sys.modules, "PIL.ImageCms", None)
    photo._transform_to_srgb.cache_clear()
    try:
        result = open_photo(path)
    finally:
        photo._transform_to_srgb.cache_clear()

    assert result.getpixel((8, 8)) == (200, 40, 60)


def test_lab_tiff_is_converted_to_srgb(tmp_path: Path) -> None:
    path = save(Image.new("LAB", (16, 16), (128, 128, 128)), tmp_path / "lab.tif")  # L*=50, a*=b*=0: mid grey

    result = open_photo(path)

    assert near(result.getpixel((8, 8)), (119, 119, 119), 4)


# --- formats ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("suffix", "options"), [("webp", {"quality": 95}), ("tif", {}), ("png", {}), ("gif", {})])
def test_common_formats_open(tmp_path: Path, suffix: str, options: dict) -> None:
    result = open_photo(save(upright_marker(), tmp_path / f"flower.{suffix}", **options))

    assert_clean_rgb(result)
    assert result.size == (300, 200)
    assert near(result.getpixel((10, 10)), RED, 30)


def test_animated_gif_gives_its_first_frame(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (20, 20), colour) for colour in (RED, BLUE, (0, 255, 0))]
    path = save(frames[0], tmp_path / "blink.gif", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(path).n_frames == 3

    assert open_photo(path).getpixel((10, 10)) == RED


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow has no AVIF support")
def test_avif_opens_upright(tmp_path: Path) -> None:
    stored = upright_marker().transpose(STORE_FOR_ORIENTATION[6])
    path = save(stored, tmp_path / "flower.avif", quality=90, exif=exif_bytes(6))

    result = open_photo(path)

    assert_clean_rgb(result)
    assert result.size == (300, 200)
    assert near(result.getpixel((10, 10)), RED, 40)


def test_avif_without_pillow_support_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import AvifImagePlugin

    avif = io.BytesIO()
    if features.check("avif"):
        upright_marker().save(avif, "AVIF")
    else:
        avif.write(b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf" + bytes(64))
    monkeypatch.setattr(AvifImagePlugin, "SUPPORTED", False)

    with pytest.raises(PhotoError) as caught:
        open_photo_bytes(avif.getvalue(), "new.avif")
    assert str(caught.value) == (
        "photo new.avif: this Pillow was built without AVIF support; upgrade Pillow or export the photo as JPEG"
    )


def test_heic_opens_upright(tmp_path: Path) -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    stored = upright_marker().transpose(STORE_FOR_ORIENTATION[6])
    path = save(stored, tmp_path / "iphone.heic", quality=90, exif=exif_bytes(6, gps=True))

    result = open_photo(path)

    assert_clean_rgb(result)
    assert result.size == (300, 200)
    assert near(result.getpixel((10, 10)), RED, 40)


def test_heic_support_is_loaded_only_when_a_heic_photo_is_opened(tmp_path: Path) -> None:
    pytest.importorskip("pillow_heif")
    jpeg = save(upright_marker(), tmp_path / "a.jpg")
    script = f"""
import sys
from pathlib import Path
from generator.flowers.photo import open_photo_bytes, open_photo
open_photo(Path({str(jpeg)!r}))
assert "pillow_heif" not in sys.modules
import io, pillow_heif
heic = io.BytesIO()
pillow_heif.from_pillow(open_photo(Path({str(jpeg)!r}))).save(heic, quality=80)
del sys.modules["pillow_heif"]
print(open_photo_bytes(heic.getvalue(), "b.heic").size)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=Path(__file__).parents[1]
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(300, 200)"


def test_photo_from_memory_matches_photo_from_disk(tmp_path: Path) -> None:
    path = save(upright_marker().transpose(Image.Transpose.ROTATE_90), tmp_path / "x.jpg", exif=exif_bytes(6))

    from_disk = open_photo(path)
    from_memory = open_photo_bytes(path.read_bytes(), "x.jpg")

    assert from_memory.tobytes() == from_disk.tobytes()
    assert_clean_rgb(from_memory)


# --- reduced decoding -------------------------------------------------------------------------------------


def test_large_jpeg_is_decoded_at_reduced_scale_but_covers_the_target(big_jpeg: Path) -> None:
    result = open_photo(big_jpeg, target=(1080, 1350))

    assert result.width < 4000
    assert result.width >= 1080 and result.height >= 1350


@pytest.mark.parametrize("target", [(1080, 1350), (1600, 900), (1080, 1920)])
def test_reduced_decoding_respects_exif_rotation(tmp_path: Path, target: tuple[int, int]) -> None:
    path = save(
        Image.new("RGB", (4000, 3000), (90, 140, 80)), tmp_path / "portrait.jpg", quality=80, exif=exif_bytes(6)
    )

    result = open_photo(path, target=target)

    assert result.height > result.width  # upright: the phone was held in portrait
    assert result.width >= target[0] and result.height >= target[1]
    assert result.height < 4000 or target == (1600, 900)  # (1600, 900) needs the full 3000 px width


def test_reduced_decoding_makes_a_huge_jpeg_usable(big_jpeg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(photo, "MAX_PIXELS", 5_000_000)  # less than the stored 12 MP, more than what is decoded

    assert open_photo(big_jpeg, target=(1080, 1350)).size == (2000, 1500)
    with pytest.raises(PhotoError, match=r"4000x3000 pixels"):
        open_photo(big_jpeg)


def test_target_is_ignored_for_formats_without_reduced_decoding(tmp_path: Path) -> None:
    path = save(Image.new("RGB", (2400, 2000), (1, 2, 3)), tmp_path / "wide.png")

    assert open_photo(path, target=(1080, 1350)).size == (2400, 2000)


# --- bad photos: one clear line each ----------------------------------------------------------------------


def expect_error(path: Path | str, message: str) -> None:
    with pytest.raises(PhotoError) as caught:
        open_photo(Path(path))
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "holiday.jpg"
    expect_error(path, f"photo {path}: no such file; check the path and the file name")


def test_folder(tmp_path: Path) -> None:
    expect_error(
        tmp_path,
        f"photo {tmp_path}: this is a folder, not a photo; give the path of a {photo.SUPPORTED_FORMATS} file",
    )


def test_empty_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "holiday.jpg").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    expect_error("holiday.jpg", f"photo holiday.jpg: the file is empty; {CHOOSE}")


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file, chmod 000 included"
)
def test_unreadable_file(tmp_path: Path) -> None:
    path = save(upright_marker(), tmp_path / "locked.jpg")
    path.chmod(0)
    try:
        expect_error(path, f"photo {path}: permission denied; make the file readable or copy it somewhere you can read")
    finally:
        path.chmod(0o644)


def test_permission_denied_even_when_running_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = save(upright_marker(), tmp_path / "locked.jpg")

    def refuse(self: Path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    expect_error(path, f"photo {path}: permission denied; make the file readable or copy it somewhere you can read")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "pipe.jpg"
    os.mkfifo(path)
    expect_error(path, f"photo {path}: this is not a regular file (a device or a pipe); {CHOOSE}")


@pytest.mark.parametrize("target", [None, (200, 150)])
def test_truncated_jpeg_is_detected_not_padded_grey(tmp_path: Path, target: tuple[int, int] | None) -> None:
    whole = io.BytesIO()
    flower_scene((800, 600), (0.5, 0.5)).save(whole, "JPEG", quality=90)
    path = tmp_path / "half.jpg"
    path.write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])

    with pytest.raises(PhotoError) as caught:
        open_photo(path, target)
    assert (
        str(caught.value)
        == f"photo {path}: the file is incomplete (truncated); copy, export or download the photo again"
    )


def test_truncated_png_is_detected(tmp_path: Path) -> None:
    whole = io.BytesIO()
    flower_scene((400, 300), (0.5, 0.5)).save(whole, "PNG")
    path = tmp_path / "half.png"
    path.write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])

    with pytest.raises(PhotoError, match=r"^photo .*half\.png: the file is (incomplete|damaged)"):
        open_photo(path)


def test_corrupt_jpeg_data(tmp_path: Path) -> None:
    whole = io.BytesIO()
    upright_marker().save(whole, "JPEG")
    data = whole.getvalue()
    path = tmp_path / "scrambled.jpg"
    path.write_bytes(data[:20] + bytes(random.Random(1).randrange(256) for _ in range(len(data) - 20)))

    with pytest.raises(PhotoError, match=r"^photo .*scrambled\.jpg: the file is (damaged|incomplete)"):
        open_photo(path)


def test_random_bytes_named_like_a_photo(tmp_path: Path) -> None:
    path = tmp_path / "noise.jpg"
    path.write_bytes(bytes(random.Random(2).randrange(256) for _ in range(5000)))
    expect_error(path, f"photo {path}: the file is damaged or not really an image; {CHOOSE}")


def test_text_file(tmp_path: Path) -> None:
    path = tmp_path / "message.txt"
    path.write_text("Stand with Belarus\n")
    expect_error(path, f"photo {path}: the file is not an image; {CHOOSE}")


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("flyer.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        ("logo.svg", b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "SVG"),
        ("logo2.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="10"/>', "SVG"),
        ("clip.mp4", b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom" + bytes(64), "video (MP4/MOV)"),
    ],
)
def test_unsupported_formats_are_named(tmp_path: Path, name: str, content: bytes, kind: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    expect_error(path, f"photo {path}: {kind} files are not supported; {CHOOSE}")


# --- BMP (Windows Paint, scanners, old cameras) and binary Netpbm (scanner software) ------------------------


def bmp_rle8(width: int, height: int, run: int) -> bytes:
    """An 8-bit RLE-compressed BMP of grey runs `run` pixels long (Pillow decodes these in Python)."""
    line = bytearray()
    for start in range(0, width, run):
        line += bytes([min(run, width - start), 7])
    data = (bytes(line) + b"\0\0") * height + b"\0\1"
    palette = b"".join(bytes([i, i, i, 0]) for i in range(256))
    offset = 14 + 40 + len(palette)
    return (b"BM" + struct.pack("<IHHI", offset + len(data), 0, 0, offset)
            + struct.pack("<IiiHHIIiiII", 40, width, height, 1, 8, 1, len(data), 2835, 2835, 256, 0) + palette + data)


def bmp_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A 24-bit BMP header promising 900 megapixels, with almost nothing after it."""
    return (b"BM" + struct.pack("<IHHI", 54 + 16, 0, 0, 54)
            + struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 2835, 2835, 0, 0) + bytes(16))


@pytest.mark.parametrize(("name", "mode"), [
    ("paint.bmp", "RGB"), ("palette.bmp", "P"), ("grey.bmp", "L"), ("line-art.bmp", "1"), ("cut-out.bmp", "RGBA"),
    ("scan.ppm", "RGB"), ("scan.pgm", "L"), ("scan.pbm", "1"),
])
def test_bmp_and_netpbm_photos_open_upright_and_clean(tmp_path: Path, name: str, mode: str) -> None:
    marker = upright_marker()
    picture = marker.convert(mode) if mode != "P" else marker.quantize(8)
    path = save(picture, tmp_path / name)
    image = open_photo(path)
    assert_clean_rgb(image)
    assert image.size == (300, 200)
    expected = picture.convert("RGB")
    for corner in ((10, 10), (290, 190)):  # the red block stays top-left, whatever the pixels became
        assert near(image.getpixel(corner), expected.getpixel(corner), 8)
    assert image.getpixel((10, 10)) != image.getpixel((290, 190)) or mode == "1"


def test_a_bmp_photo_makes_a_post(run, tmp_path: Path) -> None:
    save(flower_scene((1400, 1000), (0.6, 0.4)), tmp_path / "paint.bmp")
    result = run("make", "-f", "paint.bmp", "-m", "Thank you", "--json")
    assert result.exit_code == 0, result.output
    assert Image.open(json.loads(result.stdout)["posts"][0]["image"]).size == (1080, 1080)


def test_a_bmp_upload_opens_in_memory(tmp_path: Path) -> None:
    data = io.BytesIO()
    upright_marker().save(data, "BMP")
    image = open_photo_bytes(data.getvalue(), "paint.bmp")
    assert_clean_rgb(image) is None and near(image.getpixel((10, 10)), RED)


def test_a_bmp_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "bomb.bmp"
    path.write_bytes(bmp_bomb())
    assert path.stat().st_size < 100
    with pytest.raises(PhotoError, match=r"the image is too large .*over the limit of "):
        open_photo(path)


def test_a_truncated_bmp_is_said_to_be_incomplete(tmp_path: Path) -> None:
    whole = save(flower_scene((600, 400), (0.5, 0.5)), tmp_path / "whole.bmp").read_bytes()
    path = tmp_path / "cut.bmp"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(PhotoError, match=r"^photo .*cut\.bmp: the file is (incomplete|damaged)"):
        open_photo(path)


def test_an_rle_bmp_is_refused_before_its_slow_decoder_runs(tmp_path: Path) -> None:
    path = tmp_path / "old.bmp"
    path.write_bytes(bmp_rle8(2000, 1500, 1))
    expect_error(path, f"photo {path}: this is an RLE-compressed BMP, which cannot be read quickly enough; "
                       "save it again as PNG or JPEG (or as an uncompressed 24-bit BMP)")


def test_a_plain_text_netpbm_is_refused_before_its_slow_decoder_runs(tmp_path: Path) -> None:
    path = tmp_path / "scan.ppm"
    path.write_bytes(b"P3\n2 1\n255\n255 0 0 0 0 255\n")
    expect_error(path, f"photo {path}: this is a plain-text (ASCII) Netpbm file, which cannot be read quickly "
                       "enough; save it again as PNG or JPEG (or as an uncompressed 24-bit BMP)")


@pytest.mark.parametrize(("name", "kind"), [("favicon.ico", "icon (ICO)"), ("scan.jp2", "JPEG 2000")])
def test_formats_left_out_on_purpose_are_named(tmp_path: Path, name: str, kind: str) -> None:
    path = save(upright_marker((64, 64)), tmp_path / name)
    expect_error(path, f"photo {path}: {kind} files are not supported; {CHOOSE}")


def test_decompression_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(png_bomb())
    assert path.stat().st_size < 1000

    expect_error(
        path,
        f"photo {path}: the image is too large (over the limit of {MAX_PIXELS:,} pixels); "
        "choose a smaller photo or scale it down",
    )


def test_image_over_our_own_limit_is_refused_before_decoding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = save(Image.new("RGB", (200, 100)), tmp_path / "wide.png")
    monkeypatch.setattr(photo, "MAX_PIXELS", 10_000)

    expect_error(
        path,
        f"photo {path}: the image is too large (200x100 pixels, over the limit of 10,000 pixels); "
        "choose a smaller photo or scale it down",
    )


def test_absurdly_large_file_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = save(upright_marker(), tmp_path / "huge.png")
    monkeypatch.setattr(photo, "MAX_FILE_BYTES", 1_000_000)
    with path.open("ab") as file:
        file.truncate(3_000_000)

    expect_error(
        path,
        f"photo {path}: the file is 3 MB, over the 1 MB limit; choose a smaller photo or export it at a lower quality",
    )


def test_bad_photos_from_memory() -> None:
    cases = {
        b"": "photo upload.jpg: the file is empty; " + CHOOSE,
        b"%PDF-1.4": "photo upload.jpg: PDF files are not supported; " + CHOOSE,
        png_bomb(): f"photo upload.jpg: the image is too large (over the limit of {MAX_PIXELS:,} pixels); "
        "choose a smaller photo or scale it down",
    }
    for data, message in cases.items():
        with pytest.raises(PhotoError) as caught:
            open_photo_bytes(data, "upload.jpg")
        assert str(caught.value) == message


def test_a_file_name_with_control_characters_stays_on_one_line() -> None:
    with pytest.raises(PhotoError) as caught:
        open_photo_bytes(b"hello", "evil\nname\x1b[31m.txt")
    assert str(caught.value) == f"photo evil?name?[31m.txt: the file is not an image; {CHOOSE}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_give_an_image_or_a_photo_error(data: bytes) -> None:
    try:
        result = open_photo_bytes(data, "fuzz.bin")
    except PhotoError as error:
        assert str(error).startswith("photo fuzz.bin: ") and "\n" not in str(error)
    else:
        assert_clean_rgb(result)


@pytest.fixture(scope="module")
def small_photo_files() -> dict[str, bytes]:
    files = {}
    for kind, options in {"JPEG": {}, "PNG": {}, "GIF": {}, "WEBP": {}, "TIFF": {}}.items():
        buffer = io.BytesIO()
        flower_scene((48, 32), (0.5, 0.5)).save(buffer, kind, **options)
        files[kind] = buffer.getvalue()
    return files


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(["JPEG", "PNG", "GIF", "WEBP", "TIFF"]),
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8),
    cut=st.integers(0, 10**6),
)
def test_damaged_real_photos_give_an_image_or_a_photo_error(
    small_photo_files: dict[str, bytes], kind: str, flips: list[tuple[int, int]], cut: int
) -> None:
    data = bytearray(small_photo_files[kind])
    for position, value in flips:
        data[position % len(data)] = value
    data = data[: max(1, cut % (len(data) + 1))]
    try:
        result = open_photo_bytes(bytes(data), "damaged")
    except PhotoError as error:
        assert "\n" not in str(error)
    else:
        assert_clean_rgb(result)


# --- focal point ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("background", ["green", "grey"])
@pytest.mark.parametrize("truth", [(0.8, 0.25), (0.2, 0.7)])
def test_auto_focus_finds_an_off_centre_flower(background: str, truth: tuple[float, float]) -> None:
    image = flower_scene((1600, 1200), truth, background=background)

    x, y = auto_focus(image)

    assert abs(x - truth[0]) <= 0.12 and abs(y - truth[1]) <= 0.12


def test_auto_focus_through_the_photo_pipeline(tmp_path: Path) -> None:
    truth = (0.8, 0.25)
    field = flower_scene((1600, 1200), truth).resize((3200, 2400), Image.Resampling.BILINEAR)
    path = save(field, tmp_path / "field.jpg", quality=88)

    x, y = auto_focus(open_photo(path, target=(1080, 1350)))

    assert abs(x - truth[0]) <= 0.12 and abs(y - truth[1]) <= 0.12


@pytest.mark.parametrize("size", PRESET_SIZES)
def test_cover_crop_on_auto_focus_keeps_the_flower_in_every_preset(size: tuple[int, int]) -> None:
    truth = (0.8, 0.25)
    image = flower_scene((1600, 1200), truth)
    focus = auto_focus(image)

    left, top, right, bottom = cover_box(image.size, size, focus)
    flower_x, flower_y = truth[0] * image.width, truth[1] * image.height

    assert left <= flower_x <= right and top <= flower_y <= bottom
    assert cover_crop(image, size, focus).size == size


@pytest.mark.parametrize("size", [(1, 1), (7, 300), (300, 7)])
@pytest.mark.parametrize("mode", ["RGB", "L", "RGBA", "P"])
def test_auto_focus_copes_with_any_image(size: tuple[int, int], mode: str) -> None:
    x, y = auto_focus(Image.new(mode, size))

    assert 0 <= x <= 1 and 0 <= y <= 1


def test_auto_focus_of_a_plain_picture_is_the_centre() -> None:
    assert auto_focus(Image.new("RGB", (640, 480), (30, 90, 40))) == (0.5, 0.5)


@pytest.mark.parametrize(
    ("text", "expected"), [("0.3,0.6", (0.3, 0.6)), ("0,1", (0.0, 1.0)), (" 0.5 , 0.25 ", (0.5, 0.25))]
)
def test_parse_focus(text: str, expected: tuple[float, float]) -> None:
    assert parse_focus(text) == expected


@pytest.mark.parametrize(
    "text", ["", "0.5", "0.3,0.6,0.1", "a,b", "1.5,0.2", "-0.1,0.5", "nan,0.5", "inf,0", "0.3;0.6"]
)
def test_parse_focus_refuses_anything_else(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_focus(text)
    assert str(caught.value) == f"--focus '{text}': give two fractions between 0 and 1, like 0.3,0.6"
