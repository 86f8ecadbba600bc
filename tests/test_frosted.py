"""The frosted layer under an uploaded photo's surface: made only where the post reads it, with the bytes
the whole-canvas blur gives there."""

from __future__ import annotations

import io
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFilter

from generator import compose, pictures
from generator.flowers.upload import uploaded_flower
from generator.errors import LayoutError
from generator.layout import Box
from generator.spec import PostRequest, plan_posts
from generator.styles import STYLES

PRESET_SIZES = [(1080, 1080), (1080, 1350), (1080, 1440), (1080, 1920), (1600, 900), (1200, 630), (1200, 627)]


def picture(size: tuple[int, int], seed: int) -> Image.Image:
    """Noise, shapes and hard edges, so a pixel read from the wrong place shows."""
    rng = random.Random(seed)
    width, height = size
    image = Image.merge("RGB", [Image.effect_noise(size, rng.choice((10, 60, 120))) for _ in range(3)])
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.uniform(-20, width), rng.uniform(-20, height)
        draw.rectangle((x, y, x + rng.uniform(1, width / 2), y + rng.uniform(1, height / 2)),
                       fill=tuple(rng.randrange(256) for _ in range(3)))
    return image


def assert_same_part(image: Image.Image, blur: float, want: Box) -> None:
    part = pictures._frosted_part(image, blur, want).image
    assert part.box == want
    assert part.image.size == (want.width, want.height)
    assert part.image.tobytes() == pictures._frosted_whole(image, blur).image.crop(want.corners).tobytes()


def boxes(size: tuple[int, int]):
    width, height = size

    @st.composite
    def box(draw) -> Box:
        kind = draw(st.sampled_from(["any", "band", "column", "edge", "tiny"]))
        left = draw(st.integers(0, width - 1))
        right = draw(st.integers(left + 1, width))
        top = draw(st.integers(0, height - 1))
        bottom = draw(st.integers(top + 1, height))
        if kind == "band":
            left, right = 0, width
        elif kind == "column":
            top, bottom = 0, height
        elif kind == "edge":  # running out to the far corner
            right, bottom = width, height
        elif kind == "tiny":
            right, bottom = left + 1, top + 1
        return Box(left, top, right, bottom)

    return box()


@st.composite
def cases(draw):
    kind = draw(st.sampled_from(["preset", "any", "power of two"]))
    if kind == "preset":
        size = draw(st.sampled_from(PRESET_SIZES))
        size = (size[0] // 4, size[1] // 4) if draw(st.booleans()) else size  # the real aspect, quicker
    elif kind == "any":
        size = (draw(st.integers(1, 420)), draw(st.integers(1, 420)))
    else:  # a side whose sampling grid is coarse when reduced by 3 (q = side / gcd(side, ceil(side / 3)))
        sides = st.sampled_from([16, 32, 64, 128, 256, 512])
        size = (draw(sides), draw(st.one_of(sides, st.integers(1, 300))))
    # blur * width / 4 picks the reduce factor: cover 1 (no reduce) to 4, and the clamp above 4
    radius = draw(st.one_of(st.floats(0.3, 7.99), st.floats(8, 11.99), st.floats(12, 15.99), st.floats(16, 90)))
    blur = radius / size[0]
    return size, blur, draw(boxes(size)), draw(st.integers(0, 2**16))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_a_part_of_the_blur_is_the_whole_blur_there(case) -> None:
    size, blur, want, seed = case
    assert_same_part(picture(size, seed), blur, want)


@pytest.mark.parametrize("size", PRESET_SIZES)
@pytest.mark.parametrize("blur", sorted({style.blur for style in STYLES.values() if style.blur}))
def test_the_styles_blur_at_every_preset_size_edge_to_edge(size: tuple[int, int], blur: float) -> None:
    """The real sizes and blurs, with parts along each edge (where clamping and partial blocks are) and in
    the middle, at block-aligned and unaligned edges."""
    image = picture(size, sum(size))
    width, height = size
    for want in (Box(0, 0, width, height), Box(0, height // 2 + 1, width, height), Box(0, 0, width, height // 3),
                 Box(width * 3 // 5, 0, width, height), Box(0, 0, width // 3 + 2, height),
                 Box(width // 10 + 3, height // 2 - 1, width - width // 10, height - height // 12),
                 Box(width - 1, height - 1, width, height)):
        assert_same_part(image, blur, want)


@pytest.mark.parametrize("size, radius, want", [((128, 128), 13, Box(100, 0, 128, 128)),
                                                ((1024, 1024), 12, Box(339, 587, 899, 969)),
                                                ((2048, 300), 14, Box(1500, 10, 2048, 300))])
def test_a_power_of_two_side_reduced_by_three_is_cut_exactly(size, radius, want) -> None:
    """Its sampling grid is coarse (q = 512 at 1024), so the resize box starts well before the part wanted:
    the part blurred must reach back to it (it raised "box offset can't be negative")."""
    assert_same_part(picture(size, 7), radius / size[0], want)


def test_a_part_refuses_a_crop_outside_it() -> None:
    part = pictures._Part(Image.new("RGB", (10, 10)), Box(5, 5, 15, 15))
    assert part.crop((6, 7, 15, 15)).size == (9, 8)
    with pytest.raises(ValueError):
        part.crop((4, 5, 10, 10))


def jpeg(size: tuple[int, int], seed: int) -> bytes:
    buffer = io.BytesIO()
    picture(size, seed).filter(ImageFilter.GaussianBlur(1)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def upload():
    return uploaded_flower(jpeg((1500, 1300), 7), "phone.jpg")


def whole_canvas_frosted(flower, size, blur, reads, whole_layer=True):
    """The layer as it was: the whole canvas blurred."""
    return pictures._frosted_whole(compose.background(flower, size).image, blur)


MESSAGES = ["Freedom for political prisoners",
            "We stand with every one of them, and we will not stop saying their names until they are free. " * 2]


@pytest.mark.parametrize("style", [name for name, style in STYLES.items() if style.blur])
def test_an_uploaded_photo_renders_the_same_as_with_the_whole_canvas_blurred(
        upload, style: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every format, a short and a long message: the post's pixels are the ones the whole-canvas layer
    gave (and the part covers every read, or its crop would refuse)."""
    for message in MESSAGES:
        for spec in plan_posts(PostRequest(flower=upload, message=message, formats=("all",), style=style)):
            try:
                ours = compose.render(spec)
            except LayoutError:  # too long for this format: nothing to compare
                continue
            with monkeypatch.context() as patched:
                patched.setattr(compose, "frosted", whole_canvas_frosted)
                theirs = compose.render(spec)
            assert ours.image.tobytes() == theirs.image.tobytes(), (style, spec.format.name, message)
            assert ours.opacity == theirs.opacity
            assert ours.under_text[1].tobytes() == theirs.under_text[1].tobytes()


def test_a_bundled_flower_keeps_its_whole_canvas_cached() -> None:
    from generator.flowers import resolve_flower

    flower = resolve_flower("cornflower")
    size = (1080, 1350)
    layer = pictures.frosted(flower, size, 0.02, Box(0, 0, 10, 10))
    assert layer.canvas == size
    assert pictures.frosted(flower, size, 0.02, Box(0, 0, 10, 10)) is layer


def test_a_photo_file_edited_between_posts_gets_its_new_pictures_frosted_layer(tmp_path) -> None:
    """The kept layer belongs to the background it was blurred from: once the photo is read again (its old
    background gone from the cache), the panel is frosted from the new picture, not the old one."""
    from generator.flowers import _cached_background

    pictures._cached_frosted.cache_clear()
    path = tmp_path / "photo.jpg"
    path.write_bytes(jpeg((1500, 1300), 1))
    [spec] = plan_posts(PostRequest(flower=str(path), message="Thank you", formats=("instagram-portrait",)))
    compose.render(spec)  # the whole canvas's layer is kept
    path.write_bytes(jpeg((1500, 1300), 2))
    _cached_background.cache_clear()  # as when a long run's other flowers push it out
    edited = compose.render(spec).image
    pictures._cached_frosted.cache_clear()
    _cached_background.cache_clear()
    assert edited.tobytes() == compose.render(spec).image.tobytes()


@pytest.mark.parametrize("flower", ["cornflower-meadow", "grow:poppy:4", "photo file"])
def test_a_layer_no_other_post_reads_is_made_for_its_part_alone_with_the_same_pixels(flower: str, tmp_path) -> None:
    """As `make` renders a post whose picture no other post shares: no whole layer is blurred or kept, and
    the pixels are the whole layer's, in every style that frosts, at every post size."""
    if flower == "photo file":
        flower = str(tmp_path / "photo.jpg")
        (tmp_path / "photo.jpg").write_bytes(jpeg((1500, 1300), 3))
    sizes = {}
    for style_name, style in STYLES.items():
        if not style.blur:
            continue
        for spec in plan_posts(PostRequest(flower=flower, message=MESSAGES[0], formats=("all",), style=style_name)):
            if sizes.setdefault((style_name, spec.format.size), spec) is not spec:
                continue  # one format of each size
            pictures._cached_frosted.cache_clear()
            made = pictures.make_meanwhile(spec.flower, spec.format.size, style.blur, whole_layer=False)
            ours = compose.render(spec, made)
            canvas = compose.background(spec.flower, spec.format.size)
            assert pictures._cached_frosted.kept(canvas, style.blur) is None, "a whole layer was made"
            theirs = compose.render(spec)  # as a batch renders it: from the whole canvas's layer, kept
            assert pictures._cached_frosted.kept(canvas, style.blur) is not None
            assert ours.image.tobytes() == theirs.image.tobytes(), (style_name, spec.format.name)
            assert ours.opacity == theirs.opacity


def test_make_keeps_a_whole_layer_only_for_a_picture_two_of_its_posts_share(tmp_path) -> None:
    from generator.posts import make_posts

    pictures._cached_frosted.cache_clear()
    specs = plan_posts(PostRequest(flower="chamomile", formats=("x", "bluesky", "instagram-square")))
    blur = compose.style_for(specs[0]).blur
    assert blur and {spec.format.size for spec in specs} == {(1600, 900), (1080, 1080)}
    def kept() -> dict:
        return {size: pictures._cached_frosted.kept(compose.background(specs[0].flower, size), blur) is not None
                for size in ((1600, 900), (1080, 1080))}

    make_posts(specs, tmp_path)
    assert kept() == {(1600, 900): True, (1080, 1080): False}
    pictures._cached_frosted.cache_clear()
    make_posts(specs, tmp_path / "animated", animated=True)  # each animation renders its post again, whole
    assert kept() == {(1600, 900): True, (1080, 1080): True}


def assert_bounds_hold(layer: pictures.Frosted, corners: tuple[int, int, int, int]) -> None:
    bounds = layer.channel_bounds(corners)
    exact = layer.crop(corners).getextrema()
    if layer.reduced is None:
        assert bounds is None
        return
    for (low, high), (real_low, real_high) in zip(bounds, exact):
        assert low <= real_low and real_high <= high, (corners, bounds, exact)


@st.composite
def inside(draw, box: Box):
    left = draw(st.integers(box.left, box.right - 1))
    top = draw(st.integers(box.top, box.bottom - 1))
    return (left, top, draw(st.integers(left + 1, box.right)), draw(st.integers(top + 1, box.bottom)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.data())
def test_a_frosted_layers_channel_bounds_hold_every_pixel_read(case, data) -> None:
    """The contrast search's first test reads the reduced picture for each channel's low and high under a
    region: no pixel of the layer there may lie outside them (noise and hard edges, so an interpolation
    reaching a pixel further than the bounds read shows)."""
    size, blur, want, seed = case
    image = picture(size, seed)
    assert_bounds_hold(pictures._frosted_whole(image, blur), data.draw(inside(Box(0, 0, *size))))
    assert_bounds_hold(pictures._frosted_part(image, blur, want), data.draw(inside(want)))


def test_a_parts_channel_bounds_refuse_a_region_outside_it_as_its_crop_does() -> None:
    part = pictures._frosted_part(picture((400, 300), 3), 0.05, Box(100, 100, 200, 200))
    assert part.channel_bounds((120, 110, 180, 190)) is not None
    for corners in [(0, 0, 400, 300), (150, 150, 201, 160)]:
        with pytest.raises(ValueError):
            part.channel_bounds(corners)


def test_the_channel_bounds_are_close_to_the_pixels_on_a_smooth_picture() -> None:
    """They are worth reading only if they are nearly the region's own extremes: on a flower, a level or
    two of each."""
    from generator.flowers import resolve_flower

    canvas = compose.background(resolve_flower("chamomile"), (1080, 1350))
    layer = pictures._frosted_whole(canvas.image, 0.018)
    corners = (94, 121, 986, 521)
    for (low, high), (real_low, real_high) in zip(layer.channel_bounds(corners), layer.crop(corners).getextrema()):
        assert real_low - 3 <= low <= real_low and real_high <= high <= real_high + 3
