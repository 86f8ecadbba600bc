"""bench/stages.py --library: time inside library calls is charged to the stage it happened in, and only there."""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import stages  # noqa: E402


def test_pillow_and_file_calls_are_library_calls_and_builtins_are_not():
    image = Image.new("RGB", (4, 4))
    assert stages.is_library_call(image.im.crop) and stages.is_library_call(Image.core.blend)
    assert stages.is_library_call(stages.os.replace)
    assert not stages.is_library_call(len) and not stages.is_library_call(str.split)


def test_library_time_goes_to_the_stage_it_was_spent_in(tmp_path):
    watch = stages.Stopwatch()
    clock = stages.LibraryClock(watch)
    image = Image.new("RGB", (2000, 2000), "red")
    with clock.running():
        with watch.stage("surface"):
            image.copy()
            sum(range(1000))
        with watch.stage("write"):
            image.save(tmp_path / "x.png")
    assert set(clock.seconds) == {"surface", "write"}
    assert 0 < clock.seconds["surface"] <= watch.seconds["surface"]
    assert 0 < clock.seconds["write"] <= watch.seconds["write"]


def test_once_installed_the_clock_counts_threads_started_after_it():
    import threading

    clock = stages.LibraryClock(stages.Stopwatch())
    image = Image.new("RGB", (2000, 2000), "red")
    clock.install()
    try:
        worker = threading.Thread(target=image.copy)
        worker.start()
        worker.join()
    finally:
        threading.setprofile(None)
        sys.setprofile(None)
    assert clock.seconds["other"] > 0


def test_every_stage_of_a_batch_is_timed_where_it_happens(tmp_path):
    """A stage the stopwatch no longer reaches (a function imported by name elsewhere, a decode moved into
    a resize) would read 0 and hand its time to another."""
    campaign = tmp_path / "c.csv"
    campaign.write_text("flower,message,formats,style\ncornflower,Thank you,x,card\n"
                        "cornflower,Thank you again,x,card\n", encoding="utf-8")
    per_post, posts = stages.measure(campaign, tmp_path / "out")
    assert posts == 2
    assert all(per_post[stage] > 0 for stage in stages.STAGES), per_post


def test_a_pictures_decode_is_timed_as_decode_wherever_its_pixels_are_first_read(tmp_path):
    """A bundled flower is opened in one place and decoded where a resize first reads it."""
    Image.new("RGB", (800, 600), "red").save(tmp_path / "flower.jpg")
    watch = stages.Stopwatch()
    with stages.instrumented(watch):
        opened = Image.open(tmp_path / "flower.jpg")
        with watch.stage("background"):
            opened.resize((400, 300))
    assert watch.seconds["decode"] > 0 and watch.seconds["background"] > 0
