"""A post's picture made on a thread beside its text: the same pixels and errors as one after the other."""

from __future__ import annotations

import io
import sys
import threading

import pytest
from PIL import Image

from generator import compose, flowers, pictures, typeset
from generator.errors import LayoutError, PhotoError
from generator.flowers.upload import uploaded_flower
from generator.meanwhile import SWITCH_INTERVAL, Done, Meanwhile
from generator.spec import PostRequest, plan_posts
from generator.styles import STYLES

from conftest import flower_photo

BELARUSIAN = "Дзякуй, дактары! 🌸 Мы з вамі"
ARABIC = "شكراً للأطباء 🌹 نحن معكم"


def forget_pictures() -> None:
    flowers._cached_background.cache_clear()
    flowers._upload_background.cache_clear()
    pictures._cached_frosted.cache_clear()
    typeset._run_mask.cache_clear()


def test_meanwhile_hands_back_the_value_made_on_another_thread():
    work = Meanwhile(lambda a, b: (a + b, threading.current_thread()), 2, 3)
    value, thread = work.result()
    assert value == 5 and thread is not threading.current_thread()
    assert work.done() and Done(7).done() and Done(7).result() == 7


def test_meanwhile_raises_the_error_of_the_work_in_the_caller():
    def fails():
        raise PhotoError("photo x.jpg: broken")

    with pytest.raises(PhotoError, match="broken"):
        Meanwhile(fails).result()


def test_the_switch_interval_is_short_only_while_work_runs():
    before = sys.getswitchinterval()
    seen = Meanwhile(sys.getswitchinterval).result()
    assert seen == min(before, SWITCH_INTERVAL)
    assert sys.getswitchinterval() == before
    failing = Meanwhile(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        failing.result()
    assert sys.getswitchinterval() == before


def test_where_no_thread_can_be_had_the_work_runs_in_line(monkeypatch):
    def refused(self):
        raise RuntimeError("can't start new thread")

    before = sys.getswitchinterval()
    monkeypatch.setattr(threading.Thread, "start", refused)
    work = Meanwhile(lambda: threading.current_thread())
    assert work.done() and work.result() is threading.current_thread()
    assert sys.getswitchinterval() == before
    [spec] = plan_posts(PostRequest(formats=("x",)))
    forget_pictures()
    monkeypatch.undo()
    alone = compose.render(spec).image.tobytes()
    forget_pictures()
    monkeypatch.setattr(threading.Thread, "start", refused)
    assert compose.render(spec).image.tobytes() == alone


def test_an_interrupted_wait_still_lets_the_work_finish_first():
    finishing = threading.Event()
    work = Meanwhile(finishing.wait)
    real_join = work._thread.join

    def waited_again(timeout=None):
        finishing.set()  # only a caller that waits again lets the work end
        real_join(timeout)

    def interrupted(timeout=None):
        work._thread.join = waited_again
        raise KeyboardInterrupt

    work._thread.join = interrupted
    try:
        with pytest.raises(KeyboardInterrupt):
            work.result()
        assert not work._thread.is_alive()
    finally:
        finishing.set()


def test_pictures_made_for_another_blur_are_refused():
    [spec] = plan_posts(PostRequest(style="card", formats=("x",)))
    made = pictures.make_meanwhile(spec.flower, spec.format.size, 0.0)
    with pytest.raises(ValueError, match="blur"):
        compose.render(spec, made)


@pytest.fixture(scope="module")
def photo_bytes() -> bytes:
    buffer = io.BytesIO()
    flower_photo((900, 1200), centre=(0.3, 0.7)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@pytest.mark.parametrize("style", list(STYLES))
def test_a_post_is_the_same_whether_its_picture_was_made_beside_its_text_or_kept(style, photo_bytes):
    for flower, message, language in [("cornflower", BELARUSIAN, "be"), ("grow:poppy:3", ARABIC, "ar"),
                                      (uploaded_flower(photo_bytes, "mine.jpg"), BELARUSIAN, "be")]:
        for spec in plan_posts(PostRequest(flower=flower, message=message, language=language, style=style,
                                           formats=("instagram-portrait", "x", "instagram-story"))):
            forget_pictures()
            assert flowers.kept_background(spec.flower, spec.format.size) is None  # nor its layer: forgotten
            beside = compose.render(spec)  # made on a thread while the text is fitted
            kept = compose.render(spec)  # its picture (and frosted layer) kept now: nothing made meanwhile
            canvas, layer = pictures._made(spec.flower, spec.format.size, compose.style_for(spec).blur)
            alone = compose.render(spec, pictures.Pictures(canvas.focus, compose.style_for(spec).blur,
                                                            Done((canvas, layer))))
            assert beside.image.tobytes() == kept.image.tobytes() == alone.image.tobytes(), spec.format.name
            assert beside.opacity == kept.opacity and beside.drawn_rows == kept.drawn_rows


@pytest.mark.parametrize("message,language", [(BELARUSIAN, "be"), (ARABIC, "ar"), ("Thank you 💐", "en")])
def test_the_text_rasterized_ahead_is_the_text_then_drawn(message, language):
    for spec in plan_posts(PostRequest(message=message, language=language, formats=("all",))):
        style = compose.style_for(spec)
        plan = compose.plan_layout(spec, style, (0.4, 0.6))
        typeset._run_mask.cache_clear()
        compose._rasterize_text(plan, spec)
        made = typeset._run_mask.cache_info().misses
        assert made > 0
        canvas = Image.new("RGB", spec.format.size, (120, 140, 90))
        for block in compose._text_blocks(plan, spec):
            compose._draw_lines(canvas, block, compose._centre(plan), style.text_colour)
        assert typeset._run_mask.cache_info().misses == made, spec.format.name


def test_the_focal_point_is_known_before_the_picture_is_made(photo_bytes, tmp_path):
    path = tmp_path / "tall.jpg"
    flower_photo((600, 1400), centre=(0.6, 0.3)).save(path, quality=90)  # split beside the text in wide formats
    for flower in ("cornflower", "grow:rose:2", str(path), uploaded_flower(photo_bytes, "mine.jpg")):
        choice = flowers.resolve_flower(flower) if isinstance(flower, str) else flower
        for spec in plan_posts(PostRequest(flower=choice, formats=("all",))):
            forget_pictures()
            made = pictures.make_meanwhile(spec.flower, spec.format.size, 0.02)
            assert made.focus == made.result()[0].focus, (flower, spec.format.name)


def test_the_pictures_error_comes_before_the_texts(monkeypatch):
    [spec] = plan_posts(PostRequest(formats=("x",)))
    forget_pictures()

    def broken_picture(*args):
        raise PhotoError("photo: cannot be made")

    def no_room(*args):
        raise LayoutError("the message does not fit")

    monkeypatch.setattr(pictures, "_made", broken_picture)
    monkeypatch.setattr(compose, "plan_layout", no_room)
    with pytest.raises(PhotoError, match="cannot be made"):
        compose.render(spec)


def test_a_background_from_a_source_already_decoded_is_the_same(photo_bytes, tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(photo_bytes)
    for text in ("cornflower", "grow:tulip:5", str(path)):
        choice = flowers.resolve_flower(text)
        for size in ((1080, 1350), (1600, 900)):
            forget_pictures()
            decoded = flowers.background(choice, size, flowers.source_image(choice, size))
            forget_pictures()
            assert flowers.background(choice, size).image.tobytes() == decoded.image.tobytes()
            assert flowers.kept_background(choice, size) is not None


def test_a_bundled_flower_is_decoded_on_the_pictures_thread_in_one_block(monkeypatch):
    """Its size is in the header, so the caller goes on to the text at once; one decoder call gives the
    interpreter back once, where 64 kB blocks would wait for it between every block."""
    from PIL import ImageFile

    decodes = []
    original = ImageFile.ImageFile.load

    def recorded(image):
        calls = []
        decoder = Image._getdecoder

        def counting(*args, **kwargs):
            made = decoder(*args, **kwargs)
            return _Counted(made, calls)

        monkeypatch.setattr(Image, "_getdecoder", counting)
        try:
            return original(image)
        finally:
            monkeypatch.setattr(Image, "_getdecoder", decoder)
            decodes.append((threading.current_thread(), len(calls)))

    monkeypatch.setattr(ImageFile.ImageFile, "load", recorded)
    forget_pictures()
    made = pictures.make_meanwhile(flowers.resolve_flower("cornflower"), (1080, 1350), 0.02)
    assert not decodes or decodes[0][0] is not threading.current_thread()
    canvas, _ = made.result()
    assert canvas.image.size == (1080, 1350)
    [(thread, calls)] = [decode for decode in decodes if decode[1]]
    assert thread is not threading.current_thread() and calls == 1


def test_a_bundled_flowers_file_is_closed_whether_its_picture_is_read_or_not(monkeypatch):
    """Opened on the caller's thread and read on the picture's, the file is closed there on every path:
    read and made, or never read because making the background failed first."""
    opened = []
    def recorded(*args):
        opened.append(flowers.source_image(*args))
        return opened[-1]

    monkeypatch.setattr(pictures, "source_image", recorded)
    flower = flowers.resolve_flower("cornflower")
    forget_pictures()
    pictures.make_meanwhile(flower, (1080, 1350), 0.02).result()

    def broken(*args):
        raise PhotoError("photo: cannot be made")

    forget_pictures()
    monkeypatch.setattr(pictures, "background", broken)
    with pytest.raises(PhotoError, match="cannot be made"):
        pictures.make_meanwhile(flower, (1080, 1350), 0.02).result()
    assert len(opened) == 2 and [image.fp for image, _ in opened] == [None, None]


def test_a_frame_post_makes_only_its_windows_picture_on_a_thread_beside_its_text(monkeypatch):
    """The frame shows the flower in its window alone: no picture of the whole format is made, and the
    window's is made on a thread of its own while the text is rasterized."""
    made = []
    composed = flowers._compose_background

    def recorded(choice, size, source):
        made.append((size, threading.current_thread()))
        return composed(choice, size, source)

    monkeypatch.setattr(flowers, "_compose_background", recorded)
    for name in ("instagram-square", "x"):
        [spec] = plan_posts(PostRequest(formats=(name,), style="polaroid"))
        forget_pictures()
        made.clear()
        rendered = compose.render(spec)
        [(size, thread)] = made
        assert size == (rendered.full_window.width, rendered.full_window.height) != spec.format.size
        assert thread is not threading.current_thread()


def _window_made_after_the_text(monkeypatch, rasterized=lambda: None):
    """The frame's picture held back until the text is rasterized (a render that waits for it first would
    never get there, so after a minute the picture gives up); `rasterized` runs once the text is."""
    text_done, finished = threading.Event(), []
    make_window, rasterize = pictures.background, compose._rasterize_text

    def window(*args):
        if not text_done.wait(60):
            raise AssertionError("the text was not rasterized while the window's picture was made")
        made = make_window(*args)
        finished.append(threading.current_thread())
        return made

    def text(*args):
        rasterize(*args)
        text_done.set()
        rasterized()

    monkeypatch.setattr(pictures, "background", window)
    monkeypatch.setattr(compose, "_rasterize_text", text)
    forget_pictures()
    return finished


def test_a_frame_posts_text_is_rasterized_while_its_window_picture_is_made(monkeypatch):
    finished = _window_made_after_the_text(monkeypatch)
    [spec] = plan_posts(PostRequest(formats=("instagram-square",), style="polaroid"))
    assert compose.render(spec).image.size == (1080, 1080) and len(finished) == 1


def test_a_frame_post_interrupted_while_its_text_is_rasterized_leaves_no_picture_being_made(monkeypatch):
    def interrupted():
        raise KeyboardInterrupt

    finished = _window_made_after_the_text(monkeypatch, interrupted)
    [spec] = plan_posts(PostRequest(formats=("instagram-square",), style="polaroid"))
    with pytest.raises(KeyboardInterrupt):
        compose.render(spec)
    [thread] = finished  # the picture was finished before the interruption went on
    thread.join()


class _Counted:
    def __init__(self, decoder, calls: list):
        self._decoder, self._calls = decoder, calls

    def decode(self, data):
        self._calls.append(len(data))
        return self._decoder.decode(data)

    def __getattr__(self, name):
        return getattr(self._decoder, name)
