"""The library's errors carry a machine-readable kind and its params beside the English line, so the web page
can say them in the supporter's language; the English line (what the command line prints) is unchanged."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from generator import errors
from generator.errors import LayoutError, PhotoError, SolidarityError, UsageError
from generator.spec import PostRequest, plan_posts


def raised(action) -> SolidarityError:
    with pytest.raises(SolidarityError) as caught:
        action()
    return caught.value


def test_an_empty_message():
    error = raised(lambda: plan_posts(PostRequest(message="  ")))
    assert isinstance(error, UsageError) and error.kind == errors.MESSAGE_EMPTY and error.params == {}
    assert str(error) == "--message is empty; write a few words of solidarity"


def test_a_message_too_long_for_a_platform_says_which_and_by_how_much():
    from generator.compose import check_fits

    [spec] = plan_posts(PostRequest(message="solidarity " * 60, formats=("instagram-square",)))
    error = raised(lambda: check_fits(spec))
    assert isinstance(error, LayoutError) and error.kind == errors.MESSAGE_TOO_LONG
    assert error.params["format"] == "instagram-square" and error.params["over"] > 100
    assert str(error).startswith(f"instagram-square: message is too long by about {error.params['over']} characters")


def test_a_caption_over_the_platform_limit():
    error = raised(lambda: plan_posts(PostRequest(message="solidarity " * 40, formats=("x",))))
    assert error.kind == errors.CAPTION_TOO_LONG
    assert error.params["format"] == "x" and error.params["part"] == "caption" and error.params["over"] > 100
    assert str(error).startswith("x: the caption is ") and f"{error.params['over']} over the limit of 280" in str(error)


def test_a_message_too_long_for_any_post():
    error = raised(lambda: plan_posts(PostRequest(message="a" * 2100)))
    assert error.kind == errors.MESSAGE_TOO_LONG and "format" not in error.params and error.params["over"] == 100


def test_a_character_no_font_has():
    error = raised(lambda: plan_posts(PostRequest(message="Thank you \U000E01EF\U0010FFFD")))
    assert error.kind == errors.CHARACTER_MISSING and error.params["character"]
    assert str(error).startswith("cannot draw '")


@pytest.mark.parametrize("data, name, kind", [
    (b"just notes", "notes.txt", errors.PHOTO_NOT_AN_IMAGE),
    (b"%PDF-1.7 a document", "letter.pdf", errors.PHOTO_NOT_AN_IMAGE),
    ("truncated", "garden.jpg", errors.PHOTO_UNREADABLE),
    (b"", "empty.jpg", errors.PHOTO_UNREADABLE),
])
def test_photos_that_cannot_be_used(data, name, kind):
    from generator.flowers.upload import uploaded_flower

    if data == "truncated":
        buffer = io.BytesIO()
        Image.effect_noise((400, 300), 60).convert("RGB").save(buffer, "JPEG")
        data = buffer.getvalue()[:2000]

    def use():
        from generator.posts import render_post

        render_post(plan_posts(PostRequest(flower=uploaded_flower(data, name)))[0])

    error = raised(use)
    assert isinstance(error, PhotoError) and error.kind == kind
    assert str(error).startswith(f"photo {name.rsplit('.', 1)[0]}: ")


def test_a_photo_too_large_and_a_sliver():
    from generator.flowers.photo import MAX_ASPECT, MAX_FILE_BYTES, open_photo_bytes

    sliver = io.BytesIO()
    Image.new("RGB", (int(60 * (MAX_ASPECT + 1)), 60)).save(sliver, "PNG")
    assert raised(lambda: open_photo_bytes(sliver.getvalue(), "strip.png")).kind == errors.PHOTO_SHAPE
    huge = b"\xff\xd8" + b"\0" * MAX_FILE_BYTES
    from generator.flowers.upload import uploaded_flower

    assert raised(lambda: uploaded_flower(huge, "huge.jpg")).kind == errors.PHOTO_TOO_LARGE


def test_reworded_keeps_the_kind_and_adds_params():
    error = LayoutError("message is too long", errors.MESSAGE_TOO_LONG, over=3)
    again = error.reworded("x: message is too long", format="x")
    assert type(again) is LayoutError and str(again) == "x: message is too long"
    assert again.kind == errors.MESSAGE_TOO_LONG and again.params == {"over": 3, "format": "x"}


def test_a_tag_that_cannot_be_used():
    error = raised(lambda: plan_posts(PostRequest(hashtags=("a-b",))))
    assert error.kind == errors.TAG_INVALID and error.params == {"tag": "a-b"}
    assert str(error) == "--hashtag 'a-b': use letters, digits and underscores only, like #Medics"
