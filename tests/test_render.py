"""What a reader notices on the picture: text inside its box and the safe zone, and legible everywhere."""

from __future__ import annotations

import pytest

from generator.compose import render
from generator.layout import Box
from generator.spec import PostRequest, plan_posts
from generator.styles import MIN_CONTRAST, STYLES, contrast_ratio, relative_luminance

MESSAGES = {
    "en": "Thank you, doctors and nurses of Belarus, for caring for everyone who needed you.",
    "be": "Дзякуй вам, лекары і медсёстры Беларусі! Ўсе мы з вамі — і ў горы, і ў радасці.",
}


def exact_worst_contrast(colour, image) -> float:
    """Pixel by pixel, with no lookup tables: an independent check of the renderer's own arithmetic."""
    text = relative_luminance(colour)
    luminances = [relative_luminance(c) for _, c in image.getcolors(image.width * image.height)]
    return min(contrast_ratio(text, min(luminances)), contrast_ratio(text, max(luminances)))


def specs_for(flower: str, message: str, style: str = "card"):
    return plan_posts(PostRequest(flower=flower, message=message, formats=("all",), style=style))


@pytest.mark.parametrize("language", sorted(MESSAGES))
def test_every_format_keeps_text_in_its_box_and_the_safe_zone(language):
    for spec in specs_for("cornflower", MESSAGES[language]):
        rendered = render(spec)
        assert rendered.image.size == spec.format.size and rendered.image.mode == "RGB"
        safe = Box(*spec.format.safe_zone.box(spec.format.size))
        panel = rendered.panel
        assert safe.contains((panel.left, panel.top, panel.right, panel.bottom)), spec.format.name
        message_lines = len(rendered.message.lines)
        for index, ink in enumerate(rendered.ink):
            box = rendered.message_box if index < message_lines else rendered.tag_box
            assert box.contains(ink), (spec.format.name, index, ink, box)
        assert rendered.message_box.bottom < rendered.tag_box.top  # the tag line never touches the message
        assert rendered.message.size >= round(0.037 * spec.format.width)  # ~40 px at 1080 wide


def test_every_word_of_the_message_is_drawn():
    for spec in specs_for("cornflower", MESSAGES["be"]):
        assert " ".join(render(spec).message.lines).split() == MESSAGES["be"].split()


@pytest.mark.parametrize("style", sorted(STYLES))
def test_contrast_is_at_least_aa_on_light_dark_and_busy_photos(backdrop_photo, style):
    for spec in specs_for(str(backdrop_photo), MESSAGES["en"], style):
        rendered = render(spec)
        for ink in rendered.ink:
            behind = rendered.backdrop.crop(ink)
            assert exact_worst_contrast(rendered.text_colour, behind) >= MIN_CONTRAST, (spec.format.name, ink)
        assert rendered.contrast >= MIN_CONTRAST


def test_panel_sits_away_from_the_bloom(tmp_path):
    from conftest import flower_photo

    top_bloom = tmp_path / "top.png"
    flower_photo(size=(1600, 1600), centre=(0.5, 0.2)).save(top_bloom)
    bottom_bloom = tmp_path / "bottom.png"
    flower_photo(size=(1600, 1600), centre=(0.5, 0.8)).save(bottom_bloom)
    [upper] = plan_posts(PostRequest(flower=str(top_bloom), focus=(0.5, 0.2), formats=("instagram-portrait",)))
    [lower] = plan_posts(PostRequest(flower=str(bottom_bloom), focus=(0.5, 0.8), formats=("instagram-portrait",)))
    assert render(upper).panel.top > 1350 / 2
    assert render(lower).panel.bottom < 1350 / 2


def test_a_tall_flower_in_a_wide_format_keeps_its_bloom_clear_of_the_text():
    from generator.flowers import background

    for name in ("cornflower", "poppy", "tulip-white-red-white"):
        for spec in plan_posts(PostRequest(flower=name, formats=("x", "facebook", "linkedin"))):
            rendered = render(spec)
            focus = background(spec.flower, spec.format.size).focus
            x = focus[0] * spec.format.width
            bloom_radius = 0.18 * spec.format.height
            assert x + bloom_radius < rendered.panel.left, (name, spec.format.name)


@pytest.mark.parametrize("preset", ["instagram-square", "mastodon", "instagram-story"])
def test_a_long_hashtag_is_shrunk_to_stay_whole_and_only_cut_between_its_words(preset):
    from generator.compose import _chains, plan_layout, style_for

    words = ["Solidarity", "With", "The", "Medics", "Of", "Belarus", "Forever", "And", "Always", "Every", "Day",
             "Everywhere", "Across", "The", "Whole", "Wide", "World"]
    for count in range(3, len(words) + 1):
        hashtag = "#" + "".join(words[:count])
        [spec] = plan_posts(PostRequest(message="Thank you", formats=(preset,), hashtags=(hashtag,)))
        style = style_for(spec)
        plan = plan_layout(spec, style, (0.5, 0.5))
        base = round(style.tag_text * spec.format.width)
        fits_at_base = _chains(spec)[1].measure(hashtag, base) <= plan.tag_box.width
        pieces = [piece.rstrip("-") for line in plan.tag_lines for piece in line.split()
                  if piece not in ("@amnesty", "#StandWithBelarus")]
        assert "".join(pieces) == hashtag, plan.tag_lines
        if len(pieces) == 1 and not fits_at_base:
            assert plan.tag_size < base  # kept whole by a slightly smaller tag line
        for piece in pieces[1:]:  # cut only where one of its words begins
            assert piece[:1].isupper(), plan.tag_lines
    assert len(pieces) > 1  # the longest is cut even at the smallest tag size


@pytest.mark.parametrize("mode, colour", [("RGB", (250, 240, 20)), ("L", 255)])
def test_a_line_drawn_again_from_its_kept_glyphs_is_exactly_what_pillow_draws(mode, colour):
    """Runs are rasterized once and the kept masks drawn again (the shadow, the tag line of every post):
    the pixels must be Pillow's own draw.text's, at any sub-pixel position, in either direction, blended
    into a noisy picture, and cut off where the line runs past the picture's edges."""
    from PIL import Image, ImageDraw

    from generator import fonts
    from generator.typeset import draw_line, visual_order

    chain = fonts.chain_for(fonts.MESSAGE_WEIGHT)
    lines = ["Thank you, doctors", "شكرًا لأطباء بيلاروس", "Дзякуй вам"]
    noise = Image.merge(mode, [Image.effect_noise((700, 90), 90) for _ in mode])
    for line in lines:
        for left, baseline in ((10.0, 60.0), (10.37, 60.5), (-3.75, 61.25), (420.6, 101.5), (300.25, 17.75)):
            ours = noise.copy()
            for _ in range(2):  # the second time from the kept masks
                ours.paste(noise)
                draw_line(ours, chain, line, 48, left, baseline, colour, fonts.paragraph_is_rtl(line))
            pillows = noise.copy()
            draw, x = ImageDraw.Draw(pillows), left
            for run in visual_order(chain.runs(line), fonts.paragraph_is_rtl(line)):
                direction = {"direction": "rtl" if run.rtl else "ltr"} if fonts.has_raqm() else {}
                draw.text((x, baseline), run.text, font=fonts.load(run.face, 48), fill=colour, anchor="ls", **direction)
                x += fonts.run_width(run, 48)
            assert ours.tobytes() == pillows.tobytes(), (line, left, baseline)
            assert ours.tobytes() != noise.tobytes()
