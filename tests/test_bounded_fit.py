"""Choosing a message's size from width bounds instead of measuring at every size the search tries.

The search must reach the same size as measuring everywhere, so the bounds must hold: checked here for every
word of every bundled message, in both weights, and the whole fit compared with the measured one."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ImageFont

from generator import fonts
from generator.errors import LayoutError
from generator.layout import fit_text, hyphenator
from generator.messages import languages

EMOJI = ("🌷", "💙🤍", "👩🏽‍⚕️", "🇧🇾")


def bundled_words() -> list[str]:
    words = set()
    for language in languages().values():
        for template in language.messages.values():
            words.update(template.render({name: "Алеся" for name in template.variables}).split())
    return sorted(words) + list(EMOJI if fonts.emoji_face() else ())


def bundled_messages() -> list[tuple[str, str]]:
    return [(code, template.render({name: "Алеся" for name in template.variables}))
            for code, language in sorted(languages().items()) for template in language.messages.values()]


WORDS = bundled_words()
CHAINS = [fonts.chain_for(fonts.MESSAGE_WEIGHT), fonts.chain_for(fonts.TAG_WEIGHT)]
needs_raqm = pytest.mark.skipif(not fonts.has_raqm(), reason="widths scale with the size only under Raqm")


@needs_raqm
@pytest.mark.parametrize("chain", CHAINS, ids=["message", "tags"])
@pytest.mark.parametrize("known", [13, 40])
def test_the_bounds_hold_for_every_bundled_word(chain, known):
    outside = []
    for index, word in enumerate(WORDS):
        for size in range(known + 1 + index % 7, 4 * known, 29):  # a spread of sizes, different for each word
            low, high = chain.bounds(word, size, known)
            if not low <= chain.measure(word, size) <= high:
                outside.append((word, size, low, chain.measure(word, size), high))
    assert not outside, outside[:5]


@needs_raqm
def test_the_bounds_hold_for_whole_lines_and_smaller_sizes():
    chain = CHAINS[0]
    for _, message in bundled_messages():
        for line in message.splitlines():
            for size, known in ((21, 40), (57, 40), (96, 54), (33, 13)):
                low, high = chain.bounds(line, size, known)
                assert low <= chain.measure(line, size) <= high, (line, size, known)


@needs_raqm
def test_the_bounds_are_tight_enough_to_decide():
    """A bound as wide as the line would decide nothing and cost the estimate for nothing."""
    chain = CHAINS[0]
    low, high = chain.bounds("Дзякуй медыкам Беларусі за іх мужнасць", 62, 40)
    assert high - low < 0.01 * chain.measure("Дзякуй медыкам Беларусі за іх мужнасць", 62)


@needs_raqm
@pytest.mark.parametrize("code,message", bundled_messages()[::3])
def test_every_bundled_message_fits_to_the_same_size_either_way(code, message):
    chain = CHAINS[0]
    for width, height, min_size, max_size in ((832, 420, 40, 73), (560, 900, 30, 90), (300, 240, 12, 40)):
        measured = _fit(message, width, height, min_size, max_size, chain, code, estimate=None)
        assert _fit(message, width, height, min_size, max_size, chain, code, chain.bounds) == measured


@needs_raqm
@settings(max_examples=60, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=30), breaks=st.sets(st.integers(0, 29)),
       width=st.integers(120, 1000), height=st.integers(60, 1200), min_size=st.integers(8, 40),
       span=st.integers(0, 70), language=st.sampled_from(["be", "en", "ar", "de"]))
def test_any_text_of_bundled_words_fits_to_the_same_size_either_way(words, breaks, width, height, min_size,
                                                                       span, language):
    text = "".join(word + ("\n" if index in breaks else " ") for index, word in enumerate(words)).strip()
    chain = CHAINS[0]
    try:
        measured = _fit(text, width, height, min_size, min_size + span, chain, language, estimate=None)
    except LayoutError:
        return  # too long for the box at its smallest size: no search is made
    assert _fit(text, width, height, min_size, min_size + span, chain, language, chain.bounds) == measured


def _fit(text, width, height, min_size, max_size, chain, language, estimate):
    return fit_text(text, width, height, min_size, max_size, chain.measure, hyphenator(language), estimate)


@needs_raqm
def test_a_message_is_measured_at_its_smallest_and_its_final_size_only():
    chain = CHAINS[0]
    message = "Дзякуй медыкам Беларусі за іх мужнасць і дабрыню.\n— Алеся"
    sizes = {"estimated": set(), "measured": set()}

    def measure_for(kind):
        def measure(text, size):
            sizes[kind].add(size)
            return chain.measure(text, size)
        return measure

    estimated = fit_text(message, 832, 420, 40, 73, measure_for("estimated"), hyphenator("be"), chain.bounds)
    measured = fit_text(message, 832, 420, 40, 73, measure_for("measured"), hyphenator("be"))
    assert estimated == measured
    assert sizes["estimated"] == {40, measured.size}
    assert len(sizes["measured"]) >= 5  # every size the binary search tried


def test_bounds_that_understate_the_widths_never_let_the_text_out_of_its_box():
    chain = CHAINS[0]
    message = "Дзякуй медыкам Беларусі за іх мужнасць і дабрыню."

    def everything_fits(text, size, known):
        return 0.0, 0.0

    measured = _fit(message, 600, 300, 20, 120, chain, "be", estimate=None)
    assert measured.size < 120
    assert _fit(message, 600, 300, 20, 120, chain, "be", everything_fits) == measured


def test_a_font_of_the_users_and_pillow_without_raqm_are_always_measured(tmp_path, monkeypatch):
    copy = tmp_path / "MyFont.ttf"
    shutil.copyfile(fonts.noto_sans().path, copy)
    assert fonts.chain_for(fonts.MESSAGE_WEIGHT, fonts.user_face(copy)).bounds("Дзякуй", 60, 40) is None
    monkeypatch.setattr(fonts, "has_raqm", lambda: False)
    fonts._scales_linearly.cache_clear()
    try:
        assert fonts.chain_for(fonts.MESSAGE_WEIGHT).bounds("Дзякуй", 60, 40) is None
    finally:
        fonts._scales_linearly.cache_clear()


@needs_raqm
def test_raqm_advances_are_not_hinted():
    """What the bounds rest on: under Raqm a word's width is not a whole number of pixels at every size,
    as hinted advances would make it (the basic layout's are)."""
    face = fonts.noto_sans(fonts.MESSAGE_WEIGHT)
    widths = [fonts.load(face, size).getlength("Беларусі", direction="ltr") for size in range(30, 40)]
    assert any(width != int(width) for width in widths)
    basic = ImageFont.truetype(str(face.path), 37, layout_engine=ImageFont.Layout.BASIC)
    assert basic.getlength("Беларусі") == int(basic.getlength("Беларусі"))


@needs_raqm
@pytest.mark.parametrize("known,size", [(40, 8), (40, 39), (13, 200), (400, 401), (54, 96)])
def test_the_bounds_hold_for_any_character_repeated_so_its_rounding_adds_up(known, size):
    """A message is free text: characters of every script the fonts cover, each thirty times over."""
    chain = CHAINS[0]
    covered = sorted(fonts.coverage(fonts.noto_sans(700)) | fonts.coverage(fonts.noto_sans_arabic(700)))
    for code in covered[::37]:
        char = chr(code)
        if not char.isprintable() or char.isspace():
            continue
        try:
            text = char * 30
            low, high = chain.bounds(text, size, known)
        except LayoutError:
            continue  # a mark or control character alone: not drawable
        assert low <= chain.measure(text, size) <= high, (hex(code), size, known)


def test_widths_that_do_not_scale_are_caught_by_what_is_measured_anyway(monkeypatch):
    """Were widths not to scale with the size (here each word 10 px wider at every size, as hinting that widens
    small text might do), the bounds would overstate them and the search alone would stop short; the words'
    widths at the size reached, measured for its lines anyway, fall outside their bounds, and it is made again."""
    from generator.layout import _largest_fitting

    measure = fonts._word_width
    monkeypatch.setattr(fonts, "_word_width", lambda chain, word, size: measure(chain, word, size) + 10)
    chain = CHAINS[0]
    text = "Thank you, doctors and nurses of Belarus, for everything you do"
    for width, height in ((832, 420), (600, 300)):
        measured = _fit(text, width, height, 20, 90, chain, "en", estimate=None)
        hyphenate = hyphenator("en")
        assert _largest_fitting(text, width, height, 20, 90, chain.measure, hyphenate, chain.bounds) < measured.size
        assert _fit(text, width, height, 20, 90, chain, "en", chain.bounds) == measured
