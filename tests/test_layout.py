"""The pure geometry of text: sizes, wrapping, balance and the too-long error."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.errors import LayoutError
from generator.layout import (LINE_PITCH, _certain_fit, balanced_lines, fit_text, greedy_lines, hyphenator,
                              wrapped_height)


def monospace(text: str, size: int) -> float:
    """Every character half the font size wide: simple enough to reason about exactly."""
    return len(text) * size * 0.5


def test_the_largest_size_that_fits_is_chosen():
    block = fit_text("one two three", width=300, height=100, min_size=10, max_size=100, measure=monospace)
    assert block.size == 46  # 13 characters at 23 px = 299 px on one line
    assert block.lines == ("one two three",)


def test_balanced_lines_leave_no_lone_last_word():
    text = "Thank you doctors and nurses of Belarus for caring for everyone"
    greedy = greedy_lines(text, 600, 20, monospace)
    balanced = balanced_lines(text, 600, 20, monospace)
    assert len(balanced) == len(greedy)
    assert greedy[-1] == "everyone"  # greedy leaves one word behind…
    assert min(len(line) for line in balanced) > len("everyone")  # …balanced lines share the words


def test_explicit_line_breaks_are_kept():
    block = fit_text("Thank you\n— Anna", width=1000, height=500, min_size=10, max_size=40, measure=monospace)
    assert block.lines == ("Thank you", "— Anna")


def test_a_word_wider_than_the_box_is_split_not_lost():
    lines = greedy_lines("Pneumonoultramicroscopic", 100, 10, monospace)
    assert "".join(lines) == "Pneumonoultramicroscopic"
    assert all(monospace(line, 10) <= 100 for line in lines)


def test_too_long_says_by_how_much():
    with pytest.raises(LayoutError) as error:
        fit_text("word " * 100, width=100, height=40, min_size=10, max_size=20, measure=monospace)
    assert str(error.value).startswith("message is too long by about 440 characters (499 given, about 59 fit")


@settings(max_examples=200, deadline=None)
@given(text=st.text(min_size=1, max_size=300), width=st.integers(50, 1200), height=st.integers(20, 1200))
@example(text="0\u0d3b", width=50, height=67)  # one grapheme wider than the box at the larger sizes
def test_any_text_either_fits_inside_the_box_or_is_refused(text, width, height):
    try:
        block = fit_text(text, width, height, 10, 60, monospace)
    except LayoutError as error:
        assert "too long" in str(error)
        return
    assert len(block.lines) * round(block.size * LINE_PITCH) <= height
    assert all(monospace(line, block.size) <= width for line in block.lines)
    assert "".join("".join(block.lines).split()) == "".join(text.split())



WOBBLE = 2.0  # px a character either way: wide bounds, so that they often leave the answer in doubt


def wobbly(text: str, size: int) -> float:
    """Widths that scale with the size but for a fixed wobble on each character, as rounding gives."""
    return sum(0.5 * size + ((ord(char) * 7919 + size * 104729) % 601 / 300 - 1) * WOBBLE for char in text)


def wobbly_bounds(text: str, size: int, known: int) -> tuple[float, float]:
    estimate, slack = wobbly(text, known) * size / known, WOBBLE * len(text) * (1 + size / known) + 1e-6
    return estimate - slack, estimate + slack


WORDS = st.lists(st.sampled_from(["a", "I", "x", "—", "thank", "you", "doctors", "of", "Belarus", "everything"])
                 | st.just("\n"), min_size=1, max_size=40).map(" ".join)
TEXTS = WORDS | st.text(st.characters(codec="utf-8", categories=["L", "M", "N", "P", "Zs", "S"]) | st.just("\n"),
                        min_size=1, max_size=200)


@settings(max_examples=400, deadline=None)
@given(text=TEXTS, width=st.integers(30, 900), height=st.integers(20, 900), size=st.integers(5, 90),
       known=st.integers(4, 40), hyphenate=st.booleans())
@example(text="you x of for I x", width=570, height=183, size=82, known=32, hyphenate=False)  # fewest fit, not most
def test_a_size_is_judged_from_bounds_only_when_they_leave_no_doubt(text, width, height, size, known, hyphenate):
    verdict = _certain_fit(text, width, height, size, wobbly_bounds, known)
    if verdict is not None:
        hyphenation = hyphenator("en") if hyphenate else None
        assert verdict == (wrapped_height(text, width, size, wobbly, hyphenation) <= height)


@settings(max_examples=300, deadline=None)
@given(text=TEXTS, width=st.integers(30, 900), height=st.integers(20, 900), min_size=st.integers(4, 30),
       span=st.integers(0, 80), hyphenate=st.booleans())
def test_bounds_on_the_widths_never_change_the_size_chosen(text, width, height, min_size, span, hyphenate):
    """The search judged from bounds tries the same sizes and must reach the same block as measuring."""
    hyphenation = hyphenator("en") if hyphenate else None
    try:
        measured = fit_text(text, width, height, min_size, min_size + span, wobbly, hyphenation)
    except LayoutError:
        with pytest.raises(LayoutError):
            fit_text(text, width, height, min_size, min_size + span, wobbly, hyphenation, wobbly_bounds)
        return
    assert fit_text(text, width, height, min_size, min_size + span, wobbly, hyphenation, wobbly_bounds) == measured
