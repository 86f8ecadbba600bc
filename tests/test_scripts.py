"""Every script drawn right: font runs by coverage, right-to-left order, emoji, and no empty boxes."""

from __future__ import annotations

import unicodedata
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator import fonts
from generator.compose import render
from generator.errors import LayoutError
from generator.spec import PostRequest, plan_posts
from generator.typeset import visual_order

needs_emoji_font = pytest.mark.skipif(fonts.emoji_face() is None, reason="no colour emoji font installed")

SAMPLES = {
    "be": "Дзякуй, ўрачы і медсёстры! Мы памятаем пра вас — сёння і заўжды.",
    "ru": "Спасибо врачам и медсёстрам Беларуси. Мы с вами!",
    "uk": "Дякуємо лікарям Білорусі: ви не самі, ми з вами.",
    "pl": "Dziękujemy białoruskim lekarzom — jesteśmy z wami, zawsze!",
    "lt": "Ačiū Baltarusijos medikams: jūs ne vieni, mes su jumis.",
    "de": "Danke, Ärztinnen und Pfleger in Belarus – für eure Fürsorge!",
    "cs": "Děkujeme běloruským lékařům a sestrám. Nejste sami.",
    "fr": "Merci aux soignants du Bélarus : vous n’êtes pas seuls.",
    "es": "¡Gracias, médicos de Bielorrusia! No estáis solos.",
    "ar": "شكرًا لأطباء بيلاروس وممرضيها، لستم وحدكم.",
}


def assert_no_notdef(chain: fonts.FontChain, text: str) -> None:
    """Every character (bar joiners and selectors) is in the cmap of the font its run is set in."""
    for run in chain.runs(text):
        covered = fonts.coverage(run.face)
        for char in run.text:
            if unicodedata.category(char) in ("Cf", "Mn") and char not in covered and run.emoji:
                continue
            assert ord(char) in covered or unicodedata.category(char) == "Cf", (char, run.face.path.name)


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_every_language_sample_is_covered_and_renders(language):
    chain = fonts.chain_for(fonts.MESSAGE_WEIGHT)
    assert_no_notdef(chain, SAMPLES[language])
    [spec] = plan_posts(PostRequest(message=SAMPLES[language], formats=("instagram-portrait",)))
    rendered = render(spec)
    assert " ".join(rendered.message.lines).split() == SAMPLES[language].split()


def test_arabic_is_set_in_the_arabic_font_and_ordered_right_to_left():
    chain = fonts.chain_for(fonts.MESSAGE_WEIGHT)
    text = "شكرًا Amnesty لكم"
    runs = chain.runs(text)
    assert [run.face.path.name.split("[")[0] for run in runs] == ["NotoSansArabic", "NotoSans", "NotoSansArabic"]
    assert chain.is_rtl(text)
    assert [run.text.strip() for run in visual_order(runs, rtl_paragraph=True)] == ["لكم", "Amnesty", "شكرًا"]


def test_an_rtl_post_and_its_latin_tag_line_render():
    [spec] = plan_posts(PostRequest(message=SAMPLES["ar"], formats=("x",)))
    rendered = render(spec)
    assert rendered.message_box.contains(rendered.ink[0])


@needs_emoji_font
def test_emoji_take_the_colour_emoji_font_and_draw_in_colour():
    chain = fonts.chain_for(fonts.MESSAGE_WEIGHT)
    runs = chain.runs("Thank you 🌼💙 👩‍⚕️")
    assert any(run.emoji and "🌼" in run.text for run in runs)
    assert_no_notdef(chain, "Thank you 🌼💙 👩‍⚕️")
    [spec] = plan_posts(PostRequest(message="Thank you 🌼", formats=("instagram-square",), flower="cornflower"))
    rendered = render(spec)
    emoji_box = rendered.ink[0]
    colours = rendered.image.crop(emoji_box).convert("RGB").getcolors(1 << 20)
    yellowish = sum(count for count, (r, g, b) in colours if r > 200 and g > 150 and b < 100)
    assert yellowish > 50  # the daisy is drawn in its own colours, not as a white or empty box


def test_a_character_no_font_has_is_a_clear_error():
    with pytest.raises(LayoutError) as error:
        fonts.chain_for(fonts.MESSAGE_WEIGHT).runs("Thanks \U00013000")
    assert str(error.value) == ("cannot draw '\U00013000' (U+13000 EGYPTIAN HIEROGLYPH A001): "
                                "no font here has it; pass --font FILE with a font that does")


def test_without_an_emoji_font_emoji_are_an_error_not_a_box(monkeypatch):
    chain = fonts.FontChain(fonts.chain_for(fonts.MESSAGE_WEIGHT).faces, emoji=None)
    with pytest.raises(LayoutError, match=r"U\+1F33C .*needs a colour emoji font: install fonts-noto-color-emoji"):
        chain.runs("Thanks 🌼")


def test_uncovered_character_on_the_command_line(run, tmp_path):
    result = run("make", "-m", "Thanks \U00013000")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot draw ")
    assert not (tmp_path / "output").exists()


# Letters of several scripts, marks, joiners, controls and spaces, emoji pieces, and characters no font has
_RUN_ALPHABET = ("aZé1 .,—’\n\r\t\u2028\u00a0\u0301\u0306\u200d\u200c\u200e\u200f\ufe0f\ufe0e\u20e3#*"
                 "ДзякуйўЁ" "شكرًا" "لأطباء" "עברית" "©™☺❤⚕✌" "🌷💙👩🏽🇧🇾" "漢字" "\u3000\uff21" "\U00013000\u0085\u1680")


@pytest.mark.parametrize("first", ["bundled", "arabic", "has-everything"])
@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=_RUN_ALPHABET, max_size=12))
@example(text="Дзякуй\n1")
@example(text="a\u0301b")
@example(text="☺\ufe0f")
def test_a_text_all_in_the_first_face_is_cut_into_runs_as_cluster_by_cluster(first, text):
    """The shortcut (one run when the first face has every character plainly) answers what the search over
    grapheme clusters answers: for the bundled chain, for a user's font that is right-to-left, and for one
    that has every character here, emoji, selectors and wide ones too."""
    chain = fonts.chain_for(fonts.MESSAGE_WEIGHT, fonts.noto_sans_arabic(fonts.MESSAGE_WEIGHT)
                            if first == "arabic" else None)
    covered = fonts.coverage
    everything = fonts.Face(fonts.noto_sans(fonts.MESSAGE_WEIGHT).path, fonts.MESSAGE_WEIGHT + 1)  # no chain's
    if first == "has-everything":
        chain = fonts.FontChain((everything, *chain.faces), chain.emoji)

    def coverage(of):
        return covered(of) | {ord(char) for char in _RUN_ALPHABET} if of == everything else covered(of)

    with mock.patch.object(fonts, "coverage", coverage):
        try:
            by_cluster = fonts._runs_by_cluster(chain, text)
        except LayoutError:
            with pytest.raises(LayoutError):
                fonts._runs.__wrapped__(chain, text)
            return
        assert fonts._runs.__wrapped__(chain, text) == by_cluster


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_word_by_word_measuring_matches_whole_line_shaping(language):
    chain = fonts.chain_for(fonts.MESSAGE_WEIGHT)
    for size in (40, 57, 73):
        whole_line = sum(fonts.run_width(run, size) for run in chain.runs(SAMPLES[language]))
        assert chain.measure(SAMPLES[language], size) == pytest.approx(whole_line, abs=0.5)
