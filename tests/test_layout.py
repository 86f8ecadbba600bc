"""The pure geometry of text: sizes, wrapping, balance and the too-long error."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.errors import LayoutError
from generator.layout import LINE_PITCH, balanced_lines, fit_text, greedy_lines


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
