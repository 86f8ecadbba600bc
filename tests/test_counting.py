"""Captions counted the way each platform counts them."""

from __future__ import annotations

from generator.counting import graphemes, x_weighted_length


def test_x_counts_latin_and_cyrillic_as_one():
    assert x_weighted_length("Thank you") == 9
    assert x_weighted_length("Дзякуй, ўсім") == 12


def test_x_counts_cjk_as_two_and_an_emoji_sequence_as_two():
    assert x_weighted_length("谢谢") == 4
    assert x_weighted_length("🌼") == 2
    assert x_weighted_length("👩‍⚕️") == 2  # a ZWJ sequence is one emoji
    assert x_weighted_length("🇧🇾") == 2


def test_x_counts_any_link_as_23():
    assert x_weighted_length("see https://www.amnesty.org/en/latest/news/2021/06/belarus-medics/ now") == 4 + 23 + 4


def test_bluesky_counts_graphemes():
    assert graphemes("ў") == 1
    assert graphemes("у\u0306") == 1  # u + combining breve is one grapheme
    assert graphemes("👩‍⚕️ ok") == 4


def test_threads_counts_an_emoji_as_its_utf8_bytes():
    from generator.counting import threads_length

    assert threads_length("Дзякуй") == 6
    assert threads_length("🌷") == 4 and threads_length("❤️") == 6 and threads_length("🇧🇾") == 8
    assert threads_length("Thank you 🌷") == 10 + 4


def test_a_threads_caption_full_of_emoji_is_over_the_limit_though_its_characters_are_not():
    import pytest

    from generator.errors import LayoutError
    from generator.formats import FORMATS
    from generator.messages import check_limit

    caption = "🌷" * 200  # 200 characters, 800 as Threads counts
    check_limit("caption", caption, FORMATS["mastodon"].caption_limit, FORMATS["mastodon"].counting, "mastodon")
    with pytest.raises(LayoutError, match="threads: the caption is 800 characters .*, 300 over the limit of 500"):
        check_limit("caption", caption, FORMATS["threads"].caption_limit, FORMATS["threads"].counting, "threads")
