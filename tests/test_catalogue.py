"""The whole message catalogue, in every language, drawn in every preset; captions and alt text within limits."""

from __future__ import annotations

import pytest

from generator import fonts
from generator.compose import check_fits, render
from generator.errors import LayoutError
from generator.formats import FORMATS
from generator.layout import Box
from generator.messages import check_limit, languages
from generator.spec import PostRequest, plan_posts

LANGUAGES = sorted(languages())


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_message_fits_every_preset_and_its_caption_and_alt_text_the_platform(code):
    for template in languages()[code].messages:
        for variables in ({}, {"name": "Ганна", "city": "Мінск"}):
            for spec in plan_posts(PostRequest(language=code, template=template, variables=variables,
                                               formats=("all",))):  # caption and alt limits are checked here
                check_fits(spec)


@pytest.mark.parametrize("code", LANGUAGES)
def test_one_message_per_language_drawn_in_every_preset_inside_its_box(code):
    template = sorted(languages()[code].messages)[len(code) % 7]
    for spec in plan_posts(PostRequest(language=code, template=template, formats=("all",), flower="poppy")):
        rendered = render(spec)
        safe = Box(*spec.format.safe_zone.box(spec.format.size))
        lines = len(rendered.message.lines)
        for index, ink in enumerate(rendered.ink):
            assert safe.contains(ink), (spec.format.name, index)
            box = rendered.message_box if index < lines else rendered.tag_box
            assert box.contains(ink), (spec.format.name, index, ink, box)


@pytest.mark.parametrize("preset", [f for f in FORMATS.values() if f.caption_limit], ids=lambda f: f.name)
def test_caption_limit_counted_the_platform_way(preset):
    unit = "谢" if preset.counting == "x-weighted" else "ў"  # weighs 2 on X; one character or grapheme elsewhere
    weight = 2 if preset.counting == "x-weighted" else 1
    at_limit = unit * (preset.caption_limit // weight)
    check_limit("caption", at_limit, preset.caption_limit, preset.counting, preset.name)
    with pytest.raises(LayoutError, match=rf"^{preset.name}: the caption is \d+ .*, {weight} over the limit"):
        check_limit("caption", at_limit + unit, preset.caption_limit, preset.counting, preset.name)


@pytest.mark.parametrize("preset", [f for f in FORMATS.values() if f.alt_limit], ids=lambda f: f.name)
def test_alt_text_limit(preset):
    check_limit("alt text", "a" * preset.alt_limit, preset.alt_limit, "characters", preset.name)
    with pytest.raises(LayoutError, match=rf"^{preset.name}: the alt text is {preset.alt_limit + 1} characters"):
        check_limit("alt text", "a" * (preset.alt_limit + 1), preset.alt_limit, "characters", preset.name)


def test_right_to_left_without_raqm_is_a_clear_error_not_garbled_text(monkeypatch):
    [spec] = plan_posts(PostRequest(language="ar", formats=("instagram-square",)))
    monkeypatch.setattr(fonts, "has_raqm", lambda: False)
    with pytest.raises(LayoutError, match="right-to-left text needs Pillow with libraqm"):
        render(spec)
