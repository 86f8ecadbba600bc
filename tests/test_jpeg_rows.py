"""A post's JPEG encoded by rows of blocks: only the rows it drew on are encoded, and the file is byte for
byte the whole image's encode, whatever was encoded before it."""

from __future__ import annotations

import io
import random

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from generator import jpeg_rows
from generator.errors import LayoutError
from generator.flowers import background, resolve_flower
from generator.kit import load_kit, with_kit
from generator.posts import render_post
from generator.spec import PostRequest, plan_posts
from generator.styles import STYLES
from tests.test_kit import write_kit, write_logo, KIT


@pytest.fixture(autouse=True)
def nothing_learned():
    jpeg_rows._learned.cache_clear()
    yield
    jpeg_rows._learned.cache_clear()


def picture(size: tuple[int, int], seed: int) -> Image.Image:
    """Noise over gradients and shapes: every row's bytes differ, and some rows cost many bytes."""
    rng = random.Random(seed)
    image = Image.radial_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        draw.ellipse((x - 30, y - 20, x + 30, y + 20), fill=tuple(rng.randrange(256) for _ in range(3)))
    noise = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    return Image.blend(image, noise, 0.3)


def drawn_over(base: Image.Image, top: int, bottom: int, seed: int) -> Image.Image:
    """`base` with something new in rows [top, bottom) only."""
    image = base.copy()
    if bottom > top:
        image.paste(picture((base.width, bottom - top), seed), (0, top))
    return image


@st.composite
def cases(draw):
    size = (draw(st.integers(1, 260)), draw(st.integers(1, 200)))
    bands = draw(st.lists(st.tuples(st.integers(0, size[1]), st.integers(0, size[1])), min_size=1, max_size=4))
    return size, [(min(band), max(band)) for band in bands], draw(st.integers(0, 10**6))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
@example(((1, 9), [(8, 8), (8, 8)], 0))  # an empty band on the last row of blocks: once encoded as no rows at all
def test_each_post_is_the_whole_images_encode_byte_for_byte(case) -> None:
    """Posts over one picture, one after another, each drawing on its own band: every file equals the
    whole image's encode, whichever rows were learned from the posts before it."""
    size, bands, seed = case
    jpeg_rows._learned.cache_clear()
    base = picture(size, seed)
    for number, (top, bottom) in enumerate(bands):
        image = drawn_over(base, top, bottom, seed + number + 1)
        ours = jpeg_rows.encode(image, 90, jpeg_rows.Shared("picture", top, bottom))
        assert ours == jpeg_rows.encode(image, 90), (size, bands, number)


def test_a_post_over_learned_rows_encodes_only_its_band(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first post encodes everything; each next one its band, widened to take in the rows outside it
    that no post has left undrawn yet; once all are known, only its band."""
    base = picture((1080, 1350), 1)
    encoded = []
    real = jpeg_rows._whole_jpeg
    monkeypatch.setattr(jpeg_rows, "_whole_jpeg", lambda image, quality: encoded.append(image.size) or real(image, quality))
    for number, (top, bottom) in enumerate([(900, 1300), (950, 1250), (960, 1240), (960, 1240)]):
        image = drawn_over(base, top, bottom, number + 2)
        ours = jpeg_rows.encode(image, 90, jpeg_rows.Shared("picture", top, bottom))
        assert ours == real(image, 90)
    # rows of blocks: all 169; the first band's 112 to 163 (900 // 8 to ceil(1300 / 8)); the second's 118 to
    # 157; then the band's own 120 to 155
    assert encoded == [(1080, 1350), (1080, (163 - 112) * 8), (1080, (157 - 118) * 8), (1080, (155 - 120) * 8)]


def test_rows_learned_for_one_key_are_not_used_for_another() -> None:
    first, second = picture((200, 160), 1), picture((200, 160), 2)
    jpeg_rows.encode(first, 90, jpeg_rows.Shared("first", 40, 80))
    assert jpeg_rows.encode(second, 90, jpeg_rows.Shared("second", 40, 80)) == jpeg_rows.encode(second, 90)
    at_other_quality = jpeg_rows.encode(first, 80, jpeg_rows.Shared("first", 40, 80))
    assert at_other_quality == jpeg_rows.encode(first, 80)


def test_the_file_restarts_after_every_row_and_decodes_to_the_same_pixels() -> None:
    image = picture((1080, 1350), 5)
    plain = io.BytesIO()
    image.save(plain, "JPEG", quality=90, subsampling="4:4:4")
    ours = jpeg_rows.encode(image, 90)
    assert b"\xff\xdd\x00\x04" + (1080 // 8).to_bytes(2, "big") in ours  # DRI: a restart every 135 blocks
    assert sum(ours.count(bytes((0xFF, marker))) for marker in range(0xD0, 0xD8)) == -(-1350 // 8) - 1
    assert Image.open(io.BytesIO(ours)).tobytes() == Image.open(plain).tobytes()
    assert len(ours) < len(plain.getvalue()) * 1.002


def test_what_is_learned_stays_within_its_budget() -> None:
    for key in range(60):
        image = picture((1080, 1350), key)
        jpeg_rows.encode(image, 90, jpeg_rows.Shared(key, 0, 8))
    info = jpeg_rows._learned.cache_info()
    assert info.bytes <= info.max_bytes and info.entries < 60


# --- the renderer's drawn rows, every style ---------------------------------------------------------------

MESSAGES = [("be", "Дзякуй вам, медыкі 🌷 Мы памятаем кожнага"),
            ("ar", "شكراً لكم أيها الأطباء 🌷 نحن معكم"),
            ("en", "Freedom for the medics who stood by their patients. We will keep saying their names "
                   "until every one of them is home again.")]


@pytest.fixture
def logo_kit(tmp_path):
    (tmp_path / "art").mkdir()
    write_logo(tmp_path / "art" / "logo.png")
    return load_kit(write_kit(tmp_path, KIT.replace('position = "top-left"', 'position = "bottom-right"')))


def specs_for(style: str, flower: str, kit=None):
    for language, message in MESSAGES:
        request = PostRequest(flower=flower, message=message, language=language, formats=("all",), style=style)
        if kit is not None:
            request = with_kit(request, kit, {"style", "language"})
        try:
            yield from plan_posts(request)
        except LayoutError:
            continue


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("flower", ["poppy", "chamomile-meadow", "grow:tulip:3"])
def test_outside_its_drawn_rows_a_post_is_its_flowers_picture(style: str, flower: str, logo_kit) -> None:
    """Every format and style, three scripts with emoji, a logo: the rows the renderer says it left alone
    are the background's, pixel for pixel, and the post's file is the whole image's encode."""
    from generator.compose import render

    checked = 0
    for kit in (None, logo_kit):
        for spec in specs_for(style, flower, kit):
            try:
                rendered = render(spec)
            except LayoutError:
                continue
            if rendered.drawn_rows is None:
                assert rendered.window is not None  # only the frame's paper covers the whole canvas
                continue
            top, bottom = rendered.drawn_rows
            picture = background(spec.flower, spec.format.size).image
            width, height = spec.format.size
            for box in ((0, 0, width, top), (0, bottom, width, height)):
                assert rendered.image.crop(box).tobytes() == picture.crop(box).tobytes(), (spec.format.name, box)
            assert render_post(spec).image_bytes == jpeg_rows.encode(rendered.image, 90), spec.format.name
            checked += 1
    assert checked or STYLES[style].surface == "frame"


def test_a_campaigns_posts_on_one_flower_are_made_alike_in_any_order() -> None:
    """The same posts made in two orders, and each alone after a clean start: the same bytes."""
    flower = resolve_flower("cornflower")
    specs = [spec for language, message in MESSAGES
             for spec in plan_posts(PostRequest(flower=flower, message=message, language=language,
                                                formats=("instagram-portrait", "x")))]
    forwards = {spec: render_post(spec).image_bytes for spec in specs}
    jpeg_rows._learned.cache_clear()
    backwards = {spec: render_post(spec).image_bytes for spec in reversed(specs)}
    alone = {}
    for spec in specs:
        jpeg_rows._learned.cache_clear()
        alone[spec] = render_post(spec).image_bytes
    assert forwards == backwards == alone


def test_an_uploaded_photo_teaches_nothing() -> None:
    from generator.flowers.upload import uploaded_flower

    buffer = io.BytesIO()
    picture((1200, 1000), 3).save(buffer, "JPEG", quality=92)
    flower = uploaded_flower(buffer.getvalue(), "phone.jpg")
    [spec] = plan_posts(PostRequest(flower=flower, message="Thank you", formats=("instagram-square",)))
    render_post(spec)
    assert jpeg_rows._learned.cache_info().entries == 0


def test_a_photo_edited_between_posts_is_never_mixed_with_its_old_rows(tmp_path) -> None:
    """A photo file read again after its background left the cache: the post is all the new picture, not the
    new one in its band and the old one around it."""
    from generator.compose import render
    from generator.flowers import _cached_background

    path = tmp_path / "photo.jpg"
    picture((1200, 1500), 1).save(path, quality=92)
    [spec] = plan_posts(PostRequest(flower=str(path), message="Thank you", formats=("instagram-portrait",)))
    render_post(spec)
    picture((1200, 1500), 2).save(path, quality=92)
    _cached_background.cache_clear()  # as when a long run's other flowers push it out
    assert render_post(spec).image_bytes == jpeg_rows.encode(render(spec).image, 90)


def test_drawn_rows_that_run_backwards_are_refused() -> None:
    with pytest.raises(ValueError, match="backwards"):
        jpeg_rows.encode(picture((64, 64), 1), 90, jpeg_rows.Shared("picture", 40, 20))
