"""Every style at every preset: text inside its box and the safe zone, AA contrast measured on the pixels,
typography (hyphens, no lone last word, one line height for every script), golden images, and --debug.

Golden images: tests/golden/STYLE-PRESET.png, a quarter-size render of the bundled cornflower. When a look
changes on purpose, regenerate them and look at every one before committing:

    SOLIDARITY_UPDATE_GOLDEN=1 python -m pytest tests/test_styles.py -k golden
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageMath, ImageStat

from generator import fonts
from generator.compose import check_fits, plan_layout, render, style_for
from generator.errors import LayoutError
from generator.flowers import background
from generator.formats import FORMATS
from generator.layout import (ASCENT, DESCENT, HYPHEN, LINE_PITCH, Box, balanced_lines, fit_text, greedy_lines,
                              hyphenator)
from generator.spec import PostRequest, plan_posts
from generator.styles import (BLEEDS, EDGES, MIN_CONTRAST, STYLES, SURFACES, Placement, contrast_ratio,
                              relative_luminance)
from generator.typeset import line_extent

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_PRESETS = ("instagram-portrait", "x", "instagram-story")
GOLDEN_TOLERANCE = 2.0  # mean absolute difference per channel (0-255): font-rendering noise passes; a 0.1 step
# in panel opacity (~3), a 5% change of text size (~9) or of padding (~8) does not
BELARUSIAN = "Дзякуй вам, лекары і медсёстры Беларусі! Ўсе мы з вамі — і ў горы, і ў радасці."
ARABIC = "شكرًا لأطباء بيلاروس وممرضيها، لستم وحدكم."
EMOJI = "Дзякуй 🌼💙 👩‍⚕️"


def spec_for(style: str, preset: str, flower: str = "cornflower", **more):
    [spec] = plan_posts(PostRequest(flower=flower, formats=(preset,), style=style, **more))
    return spec


def exact_luminance_extrema(image: Image.Image) -> tuple[float, float]:
    """Every pixel's relative luminance in floating point, with no lookup tables: an independent check."""
    from generator.styles import _linear

    table = [_linear(c) for c in range(256)]
    red, green, blue = (channel.point(table, "F") for channel in image.convert("RGB").split())
    luminance = ImageMath.lambda_eval(lambda a: a["r"] * 0.2126 + a["g"] * 0.7152 + a["b"] * 0.0722,
                                      r=red, g=green, b=blue)
    return luminance.getextrema()


def exact_worst_contrast(colour, image: Image.Image) -> float:
    darkest, lightest = exact_luminance_extrema(image)
    text = relative_luminance(colour)
    return min(contrast_ratio(text, darkest), contrast_ratio(text, lightest))


def safe_box(spec) -> Box:
    return Box(*spec.format.safe_zone.box(spec.format.size))


# --- the styles as data --------------------------------------------------------------------------------------

def test_at_least_five_styles_each_listed_with_a_line(run):
    assert len(STYLES) >= 5 and {"card", "light-card", "banner", "scrim", "polaroid", "white-red-white"} <= set(STYLES)
    result = run("styles")
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert [line.split()[0] for line in lines] == list(STYLES)
    assert all(len(line.split(None, 1)[1]) > 20 for line in lines)  # a real description on each


@pytest.mark.parametrize("name", sorted(STYLES))
def test_layout_is_data_for_every_orientation(name):
    style = STYLES[name]
    assert style.surface in SURFACES
    for orientation in ("portrait", "square", "landscape"):
        placement = style.layouts.placement(orientation)
        assert isinstance(placement, Placement)
        assert placement.edge in EDGES and placement.bleed in BLEEDS
        assert placement.vertical == (orientation != "landscape")  # rows on tall pictures, a column on wide ones
        assert 0 <= placement.min_share <= placement.share <= 1
        assert 0 < placement.span <= 1


# --- containment: every style, every preset ------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(STYLES))
def test_every_preset_keeps_text_in_its_boxes_and_the_safe_zone(name):
    for preset in FORMATS:
        for message in (BELARUSIAN, ARABIC, *((EMOJI,) if fonts.emoji_face() else ())):
            spec = spec_for(name, preset, message=message)
            rendered = render(spec)
            where = (name, preset, message[:8])
            assert rendered.image.size == spec.format.size, where
            safe = safe_box(spec)
            assert safe.contains(rendered.panel.corners), where
            assert rendered.panel.contains(rendered.message_box.corners), where
            assert rendered.panel.contains(rendered.tag_box.corners), where
            lines = len(rendered.message.lines)
            assert len(rendered.ink) > lines, where  # the tag line is always drawn
            for index, ink in enumerate(rendered.ink):
                box = rendered.message_box if index < lines else rendered.tag_box
                assert box.contains(ink), (*where, index, ink, box)
            assert rendered.message_box.bottom < rendered.tag_box.top - spec.format.width * 0.01, where
            assert rendered.ink[lines - 1][3] < rendered.ink[lines][1], where  # tag ink never touches the message
            assert rendered.message.size >= round(0.037 * spec.format.width), where
            assert " ".join(rendered.message.lines).split() == message.split(), where


@pytest.mark.parametrize("name", sorted(STYLES))
def test_check_fits_agrees_with_render_for_every_bundled_template(name):
    """Batch validation (no pixels) and rendering must never disagree, for every preset and language."""
    from generator.messages import languages

    for code in ("be", "uk", "fr", "ar"):
        for template in languages()[code].messages:
            for spec in plan_posts(PostRequest(formats=("all",), style=name, language=code, template=template)):
                check_fits(spec)  # every bundled message fits every style at every preset
                plan_layout(spec, style_for(spec), (0.5, 0.6))


# --- contrast: measured, not hoped for -----------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(STYLES))
def test_contrast_is_aa_behind_all_the_text_on_light_dark_and_busy_photos(backdrop_photo, name):
    for preset in ("instagram-portrait", "instagram-story", "x", "facebook", "instagram-square"):
        rendered = render(spec_for(name, preset, flower=str(backdrop_photo), message=BELARUSIAN))
        area = rendered.backdrop.crop((rendered.message_box.left, rendered.message_box.top,
                                       rendered.message_box.right, rendered.tag_box.bottom))
        assert exact_worst_contrast(rendered.text_colour, area) >= MIN_CONTRAST, (name, preset)
        for ink in rendered.ink:
            assert exact_worst_contrast(rendered.text_colour, rendered.backdrop.crop(ink)) >= MIN_CONTRAST
        assert rendered.contrast >= MIN_CONTRAST


_channel = st.integers(0, 255)
_colour = st.tuples(_channel, _channel, _channel)


@settings(max_examples=200, deadline=None)
@given(text=_colour, pixels=st.lists(_colour, min_size=1, max_size=12), panel=_colour,
       opacity=st.sampled_from([0.5, 0.55, 0.62, 0.8, 0.94]))
def test_the_quick_contrast_floor_never_passes_what_the_pixels_fail(text, pixels, panel, opacity):
    """The opacity search accepts on the region's fictitious worst pixels alone when they pass: that must
    never be kinder than the pixel-by-pixel test, after the same blend."""
    from generator.compose import _channel_corners
    from generator.pictures import channel_extremes
    from generator.styles import contrast_floor, worst_contrast

    image = Image.new("RGB", (len(pixels), 1))
    image.putdata(pixels)
    blended = Image.blend(image, Image.new("RGB", image.size, panel), opacity)
    corners = _channel_corners(channel_extremes(image))
    floor = contrast_floor(text, Image.blend(corners, Image.new("RGB", corners.size, panel), opacity))
    assert floor <= worst_contrast(text, blended)


@settings(max_examples=500, deadline=None)
@given(text=_colour, pixels=st.lists(_colour, min_size=1, max_size=12), data=st.data())
def test_a_sample_that_fails_is_never_of_a_region_that_passes(text, pixels, data):
    """The opacity search skips the pixel-by-pixel test when a sample of the region's pixels fails for
    certain: the region itself must then fail too, whichever side of the text its pixels lie on."""
    from generator.styles import CONTRAST_TARGET, fails_for_certain, worst_contrast

    region = Image.new("RGB", (len(pixels), 1))
    region.putdata(pixels)
    chosen = data.draw(st.lists(st.sampled_from(pixels), min_size=1, max_size=len(pixels)))
    sample = Image.new("RGB", (len(chosen), 1))
    sample.putdata(chosen)
    if fails_for_certain(text, sample):
        assert worst_contrast(text, region) < CONTRAST_TARGET


@pytest.mark.parametrize("text", [(255, 255, 255), (0, 0, 0), (118, 118, 118), (188, 188, 188), (255, 230, 0),
                                  (230, 30, 40)])
def test_a_sample_that_is_the_whole_region_fails_exactly_when_the_region_does(text) -> None:
    """Every grey and every saturated colour, so that contrasts close to the target on either side of it are
    tried: the shortcut may never call a passing region failed, not even by a hair."""
    from generator.styles import CONTRAST_TARGET, fails_for_certain, worst_contrast

    for value in range(256):
        for pixel in ((value, value, value), (value, 0, 0), (0, value, 0), (0, 0, value), (255, value, value)):
            region = Image.new("RGB", (1, 1), pixel)
            assert fails_for_certain(text, region) == (worst_contrast(text, region) < CONTRAST_TARGET), pixel


def test_no_region_with_pixels_either_side_of_the_text_can_pass() -> None:
    """fails_for_certain's premise: passing both sides would need a spread of CONTRAST_TARGET squared
    between the darkest and the lightest pixel, and luminance spans 21 at most."""
    from generator.styles import CONTRAST_TARGET

    assert CONTRAST_TARGET ** 2 > contrast_ratio(1.0, 0.0) == 21


def test_a_sample_reads_only_the_region() -> None:
    """Bright all round, dark inside: a sample reaching one pixel past the region would be bright."""
    from generator.pictures import sampled

    image = Image.new("RGB", (97, 61), (255, 255, 255))
    for corners in [(10, 7, 50, 40), (0, 0, 5, 3), (13, 17, 14, 18), (40, 20, 97, 61)]:
        image.paste((0, 0, 0), corners)
        for step in (1, 3, 4, 7):
            assert sampled(image, corners, step).getextrema() == ((0, 0),) * 3, (corners, step)
        image.paste((255, 255, 255), corners)
    assert sampled(image, (10, 7, 10, 40), 4).size == (0, 33)  # an empty region has no pixel to give


@settings(max_examples=300, deadline=None)
@given(pixels=st.lists(_colour, min_size=1, max_size=40), width=st.integers(1, 8))
def test_the_channel_extremes_from_the_histogram_are_getextremas(pixels, width):
    from generator.pictures import channel_extremes

    image = Image.new("RGB", (width, -(-len(pixels) // width)), pixels[0])
    image.putdata(pixels)
    assert channel_extremes(image) == image.getextrema()


@settings(max_examples=300, deadline=None)
@given(pixels=st.lists(_colour, min_size=1, max_size=40), colour=_colour,
       opacity=st.one_of(st.sampled_from([0.0, 0.5, 0.55, 0.62, 0.8, 0.94, 0.95, 1.0]), st.floats(0.0, 1.0)))
def test_a_tint_by_table_is_the_blend_byte_for_byte(pixels, colour, opacity):
    from generator.compose import _tint_table

    image = Image.new("RGB", (len(pixels), 1))
    image.putdata(pixels)
    blended = Image.blend(image, Image.new("RGB", image.size, colour), opacity)
    assert image.point(_tint_table(colour, opacity)).tobytes() == blended.tobytes()


@pytest.mark.parametrize("name", ["card", "banner", "white-red-white", "light-card"])
def test_the_surface_opacity_is_the_lowest_that_passes_pixel_by_pixel(backdrop_photo, name):
    from generator.compose import OPACITY_STEP
    from generator.pictures import frosted as _frosted
    from generator.styles import CONTRAST_TARGET, worst_contrast

    spec = spec_for(name, "instagram-portrait", flower=str(backdrop_photo), message=BELARUSIAN)
    rendered, style = render(spec), style_for(spec)
    layer = _frosted(spec.flower, spec.format.size, style.blur, Box(0, 0, *spec.format.size)) if style.blur else \
        background(spec.flower, spec.format.size).image
    margin = max(2, round(style.padding * min(spec.format.size) / 4))  # as the search looks round the text
    panel, text = rendered.panel, (rendered.message_box.left, rendered.message_box.top,
                                   rendered.message_box.right, rendered.tag_box.bottom)
    region = layer.crop((max(panel.left, text[0] - margin), max(panel.top, text[1] - margin),
                         min(panel.right, text[2] + margin), min(panel.bottom, text[3] + margin)))
    tint = Image.new("RGB", region.size, style.panel_colour)
    steps = [round(style.panel_opacity + OPACITY_STEP * n, 2) for n in range(20)]
    lowest = next((o for o in steps if o < 1.0 and worst_contrast(style.text_colour, Image.blend(region, tint, o))
                   >= CONTRAST_TARGET), 1.0)
    assert rendered.opacity == lowest
    assert rendered.contrast == worst_contrast(style.text_colour, rendered.backdrop.crop(text))


@pytest.mark.parametrize("name, easy, hard", [("card", "dark", "light"), ("scrim", "dark", "light")])
def test_the_surface_strengthens_only_as_much_as_the_photo_needs(tmp_path, name, easy, hard):
    photos = {"light": (250, 250, 245), "dark": (8, 8, 12)}
    for tone, colour in photos.items():
        Image.new("RGB", (1600, 1600), colour).save(tmp_path / f"{tone}.png")
    on_easy = render(spec_for(name, "instagram-portrait", flower=str(tmp_path / f"{easy}.png"), message="Thank you"))
    on_hard = render(spec_for(name, "instagram-portrait", flower=str(tmp_path / f"{hard}.png"), message="Thank you"))
    assert on_easy.opacity == STYLES[name].panel_opacity  # an easy photo: the style's own, lightest surface
    assert on_hard.opacity > on_easy.opacity  # a hard one: strengthened until the text reads


def test_a_light_surface_gets_dark_text(backdrop_photo):
    rendered = render(spec_for("light-card", "instagram-square", flower=str(backdrop_photo), message="Thank you"))
    assert relative_luminance(rendered.text_colour) < 0.05
    rendered = render(spec_for("polaroid", "instagram-square", flower=str(backdrop_photo), message="Thank you"))
    assert relative_luminance(rendered.text_colour) < 0.05


def test_polaroid_keeps_the_whole_flower_in_its_window():
    rendered = render(spec_for("polaroid", "instagram-portrait"))
    image = rendered.backdrop
    assert image.getpixel((5, 5)) == STYLES["polaroid"].panel_colour  # paper all round
    assert image.getpixel((5, image.height - 5)) == STYLES["polaroid"].panel_colour
    assert rendered.panel.top > image.height / 2  # text in the wide bottom margin


# --- typography --------------------------------------------------------------------------------------------

def message_measure():
    return fonts.chain_for(fonts.MESSAGE_WEIGHT).measure


@pytest.mark.parametrize("language, word", [
    ("en", "Pneumonoultramicroscopicsilicovolcanoconiosis"),
    ("be", "найвыдатнейшымімедыцынскімісупрацоўнікамі"),
    ("de", "Krankenhausbelegschaftsvertretungsversammlung"),
])
def test_a_long_word_in_a_narrow_box_is_hyphenated_not_cut(language, word):
    measure = message_measure()
    lines = greedy_lines(f"Дзякуй {word}", 420, 40, measure, hyphenator(language))
    assert len(lines) >= 3
    assert all(measure(line, 40) <= 420 for line in lines)
    assert all(line.endswith(HYPHEN) for line in lines[:-1])  # each break inside the word is marked
    assert "".join(line.removesuffix(HYPHEN) for line in lines) == f"Дзякуй {word}"


def test_hyphens_fall_at_dictionary_points():
    import pyphen

    measure = message_measure()
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis"
    points = set(pyphen.Pyphen(lang="en").positions(word.lower()))
    lines = balanced_lines(word, 500, 40, measure, hyphenator("en"))
    cut = 0
    for line in lines[:-1]:
        cut += len(line.removesuffix(HYPHEN))
        assert cut in points, (lines, cut)


def test_a_language_without_a_dictionary_still_gets_a_hyphen_between_letters():
    measure = message_measure()
    lines = greedy_lines("Pneumonoultramicroscopicsilicovolcanoconiosis", 300, 40, measure, hyphenator("xx"))
    assert len(lines) > 1 and all(line.endswith(HYPHEN) for line in lines[:-1])
    assert all(measure(line, 40) <= 300 for line in lines)


def test_rendered_post_draws_the_hyphen(tmp_path):
    word = "Найвыдатнейшымімедыцынскімісупрацоўнікамі"
    rendered = render(spec_for("card", "instagram-portrait", message=f"Дзякуй, {word}!", language="be"))
    assert any(line.endswith(HYPHEN) for line in rendered.message.lines)
    for index, line in enumerate(rendered.message.lines):
        assert rendered.message_box.contains(rendered.ink[index])


@pytest.mark.parametrize("text", [
    "Thank you doctors and nurses of Belarus for caring for everyone",
    "We stand with every Belarusian medic who was dismissed or detained for doing their job",
    "Дзякуй вам, лекары і медсёстры Беларусі, што дапамагалі кожнаму, каму была патрэбна дапамога.",
])
def test_no_lone_last_word_when_a_better_break_exists(text):
    measure = message_measure()
    for width in range(380, 1000, 40):
        greedy = greedy_lines(text, width, 44, measure)
        balanced = balanced_lines(text, width, 44, measure)
        assert len(balanced) == len(greedy)
        if len(balanced) > 1 and len(balanced[-1].split()) == 1:  # a lone last word only when it must be:
            last_two = " ".join(text.split()[-2:])
            assert measure(last_two, 44) > width or len(balanced[-2].split()) == 1, (width, balanced)


def test_one_line_height_for_every_script_and_ink_inside_the_box():
    chain = fonts.chain_for(fonts.MESSAGE_WEIGHT)
    size = 60
    blocks = [fit_text(text, 2000, 1000, size, size, chain.measure)
              for text in ("Thank you", "Дзякуй Ўсім", ARABIC, "Dziękujemy ĄĘŁ")]
    assert {block.line_height for block in blocks} == {round(size * LINE_PITCH)}
    for text in ["Ўсім Й Ё", "ĄĘŚŹ Åå gjpq", "Дзякуй 🌼💙" if fonts.emoji_face() else "Дзякуй"]:
        above, below = line_extent(chain, text, size)  # the room every block keeps is enough for these
        assert above <= size * ASCENT + 1 and below <= size * DESCENT + 1, (text, above, below)
    # Arabic descends deeper (م reaches 0.4): the renderer measures and grows the box rather than let it out
    rendered = render(spec_for("card", "instagram-portrait", message="لستم وحدكم\nلستم وحدكم"))
    assert all(rendered.message_box.contains(ink) for ink in rendered.ink[:2])
    assert rendered.message_box.height > rendered.message.height


# --- property: any message that fits stays in its box at every preset ----------------------------------------

ALPHABET = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "абвгдеёжзійклмнопрстуўфхцчшыьэюяАБВГДЕЁЖЗІЙКЛМНЎЯ'ʼ"
                                "ąęłśźżčšžėį0123456789") + [" "] * 12 + list(".,;:!?—–-()«»\"\n"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(ALPHABET, min_size=1, max_size=260).filter(lambda t: t.strip()),
       name=st.sampled_from(sorted(STYLES)), focus=st.tuples(st.floats(0, 1), st.floats(0, 1)))
def test_any_message_that_fits_keeps_every_line_inside_its_box(text, name, focus):
    chain = fonts.chain_for(fonts.MESSAGE_WEIGHT)
    for preset in FORMATS:
        spec = spec_for(name, preset, message=text, language="be")
        style = style_for(spec)
        try:
            plan = plan_layout(spec, style, focus)
        except LayoutError as error:
            assert "too long" in str(error)
            with pytest.raises(LayoutError):
                check_fits(spec)
            continue
        check_fits(spec)
        assert safe_box(spec).contains(plan.panel.corners)
        box, block = plan.message_box, plan.message
        for index, line in enumerate(block.lines):
            assert chain.measure(line, block.size) <= box.width, (preset, line)
            baseline = plan.first_baseline + index * block.line_height
            above, below = line_extent(chain, line, block.size)
            assert box.top <= baseline - above and baseline + below <= box.bottom, (preset, line)
        drawn = "".join("".join(block.lines).split()).replace(HYPHEN, "")
        assert drawn == "".join(text.split()).replace(HYPHEN, "")  # every character, only hyphens added
        assert plan.message_box.bottom < plan.tag_box.top and plan.tag_lines


# --- golden images -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("preset", GOLDEN_PRESETS)
@pytest.mark.parametrize("name", sorted(STYLES))
def test_golden_image(name, preset):
    rendered = render(spec_for(name, preset, message=BELARUSIAN))
    small = rendered.image.resize((rendered.image.width // 4, rendered.image.height // 4), Image.Resampling.BOX)
    path = GOLDEN / f"{name}-{preset}.png"
    if os.environ.get("SOLIDARITY_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        small.save(path, optimize=True)
        return
    assert path.exists(), f"no golden image {path.name}; make it with SOLIDARITY_UPDATE_GOLDEN=1 and look at it"
    with Image.open(path) as golden:
        difference = ImageChops.difference(small, golden.convert("RGB"))
    mean = sum(ImageStat.Stat(difference).mean) / 3
    assert mean < GOLDEN_TOLERANCE, (f"{path.name} differs by {mean:.2f} on average; if the change is meant, "
                                     f"regenerate with SOLIDARITY_UPDATE_GOLDEN=1 and look at the new image")


# --- debug -------------------------------------------------------------------------------------------------

def test_debug_outlines_the_safe_zone_boxes_and_focal_point():
    spec = spec_for("banner", "instagram-story")
    plain = render(spec)
    debug = render(spec_for("banner", "instagram-story", debug=True))
    safe = safe_box(spec)
    middle = (safe.top + safe.bottom) // 2
    assert debug.image.getpixel((safe.left + 1, middle)) == (0, 255, 255)  # the safe zone
    assert plain.image.getpixel((safe.left + 1, middle)) != (0, 255, 255)
    assert debug.image.getpixel((debug.message_box.left, debug.message_box.top)) == (255, 0, 255)
    assert debug.image.getpixel((debug.tag_box.left, debug.tag_box.top)) == (0, 255, 0)
    focus = background(spec.flower, spec.format.size).focus
    x, y = round(focus[0] * spec.format.width), round(focus[1] * spec.format.height)
    ring = debug.image.crop((x - 16, y - 16, x + 16, y + 16)).getcolors(4096)
    assert any(colour == (255, 0, 0) for _, colour in ring)  # the focal point's ring
