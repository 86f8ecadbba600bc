"""Animated posts (make --animate): the file, its privacy, its pictures and its motion.

Most checks use one small story-shaped clip (216x384, the full 8 s) so the suite stays quick; one test
makes a real 1080x1920 story through the command line.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
from dataclasses import replace

import pytest
from PIL import Image, ImageChops, ImageFilter, ImageStat

from conftest import files_in

av = pytest.importorskip("av", reason="the video extra (PyAV) is part of the test extra")

from generator.compose import render, style_for  # noqa: E402
from generator.formats import Format, SafeZone  # noqa: E402
from generator.motion import animate_post, write_animation  # noqa: E402
from generator.motion.encode import Mp4Encoder  # noqa: E402
from generator.motion.frames import FrameMaker  # noqa: E402
from generator.motion.preview import decoded_frames  # noqa: E402
from generator.motion.timeline import Timeline  # noqa: E402
from generator.posts import render_post  # noqa: E402
from generator.spec import PostRequest, plan_posts  # noqa: E402
from generator.styles import contrast_ratio, relative_luminance  # noqa: E402

SMALL_STORY = Format("test-story", 216, 384, None, None, safe_zone=SafeZone(top=250 / 1920, bottom=340 / 1920))
INSTALL_LINE = "Error: animated posts need PyAV: pip install 'solidarity-posts[video]' (or pip install av)\n"


def small_spec(flower="grow:cornflower:3", fmt=SMALL_STORY, **request):
    spec = plan_posts(PostRequest(flower=flower, formats=("instagram-story",), **request))[0]
    return replace(spec, format=fmt)


@pytest.fixture(scope="module")
def grown():
    spec = small_spec()
    return spec, animate_post(spec, processes=2)


@pytest.fixture(scope="module")
def grown_frames(grown):
    return list(decoded_frames(grown[1]))


def psnr(a: Image.Image, b: Image.Image) -> float:
    histogram = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).histogram()
    squares = sum(count * (value % 256) ** 2 for value, count in enumerate(histogram))
    mse = squares / (a.width * a.height * 3)
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


def as_video_sees_it(image: Image.Image) -> Image.Image:
    """`image` through yuv420p and back: a small picture's fine colour detail is lost to chroma subsampling
    itself, so a small clip is compared with this (the full-size test compares with NAME.jpg itself)."""
    from av.video.reformatter import ColorRange, Colorspace

    frame = av.VideoFrame.from_image(image).reformat(format="yuv420p", dst_colorspace=Colorspace.ITU709,
                                                     dst_color_range=ColorRange.MPEG)
    return frame.reformat(format="rgb24", src_colorspace=Colorspace.ITU709,
                          src_color_range=ColorRange.MPEG).to_image()


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


def top_level_boxes(data: bytes) -> list[bytes]:
    boxes, position = [], 0
    while position < len(data):
        size, kind = struct.unpack(">I4s", data[position:position + 8])
        boxes.append(kind)
        position += size
    return boxes


# --- the file ------------------------------------------------------------------------------------------

def test_the_file_is_h264_high_yuv420p_30fps_for_the_whole_clip(grown):
    spec, data = grown
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert stream.codec_context.profile == "High"
        assert stream.codec_context.format.name == "yuv420p"
        assert (stream.codec_context.width, stream.codec_context.height) == spec.format.size
        assert stream.average_rate == 30
        assert len(container.streams.audio) == 0
        assert container.duration / 1_000_000 == pytest.approx(8.0, abs=0.05)
        assert sum(1 for _ in container.decode(video=0)) == 240


def test_the_index_comes_first_so_it_plays_while_loading(grown):
    boxes = top_level_boxes(grown[1])
    assert boxes[0] == b"ftyp"
    assert boxes.index(b"moov") < boxes.index(b"mdat")


def test_no_metadata_in_the_container(grown, tmp_path):
    data = grown[1]
    for telltale in (b"x264", b"Lavf", b"Lavc", b"libx264", b"ffmpeg"):
        assert telltale not in data
    exiftool = shutil.which("exiftool")
    assert exiftool, "exiftool is needed (apt-get install libimage-exiftool-perl; .ci/run installs it)"
    path = tmp_path / "clip.mp4"
    path.write_bytes(data)
    tags = json.loads(subprocess.run([exiftool, "-j", "-a", "-G1", "-ee", str(path)], capture_output=True,
                                     check=True, text=True).stdout)[0]
    telling = ("Encoder", "Software", "Writer", "GPS", "Location", "Comment", "Title", "Artist", "Author",
               "Copyright", "Make", "Model", "UserData", "XMP", "Description")
    found = {key: value for key, value in tags.items() if any(word in key for word in telling)}
    assert found.pop("Track1:HandlerDescription", "VideoHandler") == "VideoHandler"  # every MP4 track's label
    assert not found
    dates = {key: value for key, value in tags.items() if "Date" in key and not key.startswith("System:")}
    assert dates and all(value.startswith("0000:00:00 00:00:00") for value in dates.values())


def test_same_inputs_same_bytes_whatever_the_number_of_workers():
    spec = small_spec("cornflower")
    assert animate_post(spec, seconds=1.0, processes=1) == animate_post(spec, seconds=1.0, processes=2)


def test_odd_sized_formats_get_an_even_video():
    spec = small_spec("cornflower", fmt=Format("test-odd", 240, 127, None, None))
    with av.open(io.BytesIO(animate_post(spec, seconds=0.5, processes=1))) as container:
        context = container.streams.video[0].codec_context
        assert (context.width, context.height) == (240, 128)


# --- the pictures --------------------------------------------------------------------------------------

def test_the_last_frame_is_the_still_and_the_first_is_not(grown, grown_frames):
    spec, _ = grown
    still = as_video_sees_it(Image.open(io.BytesIO(render_post(spec).image_bytes)).convert("RGB"))
    assert psnr(grown_frames[-1], still) >= 38
    assert psnr(grown_frames[0], still) < 20
    assert mean_difference(grown_frames[0], still) > 15


def test_the_last_two_seconds_hold_the_finished_post(grown_frames):
    for frame in grown_frames[-60:]:
        assert psnr(frame, grown_frames[-1]) >= 40  # only the encoder's refinement differs


def test_motion_is_smooth_no_jumps_between_neighbouring_frames(grown_frames):
    steps = [mean_difference(a, b) for a, b in zip(grown_frames, grown_frames[1:])]
    assert max(steps) <= 4.0, max(steps)
    assert sum(step > 0.05 for step in steps[:150]) > 120  # it really moves, for most of the first five seconds


def test_panel_and_text_fade_in_without_flicker(grown, grown_frames):
    spec, _ = grown
    rendered = render(spec)
    text = rendered.message_box.corners
    darkening = [ImageStat.Stat(frame.crop(text).convert("L")).mean[0] for frame in grown_frames[135:185]]
    # the card is dark and the text white: the text area darkens (panel), then lightens (text), never back and forth
    turn = darkening.index(min(darkening))
    assert all(b <= a + 0.6 for a, b in zip(darkening[:turn], darkening[1:turn + 1]))
    assert all(b >= a - 0.6 for a, b in zip(darkening[turn:], darkening[turn + 1:]))


def test_text_is_legible_and_in_the_safe_zone_whenever_fully_shown(grown, grown_frames):
    spec, _ = grown
    maker = FrameMaker(spec, Timeline())
    ink = ImageChops.difference(maker.final, maker.backdrop).convert("L").point(lambda v: 255 if v > 8 else 0)
    box = ink.getbbox()
    safe = spec.format.safe_zone.box(spec.format.size)
    assert safe[0] <= box[0] and safe[1] <= box[1] and box[2] <= safe[2] and box[3] <= safe[3]
    around_letters = ink.filter(ImageFilter.MaxFilter(5)).crop(box)
    text = relative_luminance(style_for(spec).text_colour)
    shown = [index for index in range(len(grown_frames)) if maker.timeline.text_fully_shown(index)]
    assert len(shown) >= 60
    for index in shown:
        pixels, letters = grown_frames[index].crop(box).tobytes(), around_letters.tobytes()
        behind = [tuple(pixels[3 * k:3 * k + 3]) for k, letter in enumerate(letters) if not letter]
        worst = min(contrast_ratio(text, relative_luminance(pixel)) for pixel in behind)
        assert worst >= 4.5, (index, worst)


def test_a_photo_or_bundled_flower_pushes_in_towards_its_focal_point():
    spec = small_spec("cornflower")
    maker = FrameMaker(spec, Timeline(seconds=2.0))
    first, middle = maker.source.frame(0.0), maker.source.frame(0.5)
    assert first.size == middle.size == spec.format.size
    # pushing in: what is at the focal point stays there while the rest grows outwards
    assert mean_difference(first, maker.still_picture) > mean_difference(middle, maker.still_picture) > 0


@pytest.mark.parametrize("flower", ["cornflower", "grow:cornflower:3"])
def test_the_frame_styles_moving_picture_stays_in_the_stills_window(flower):
    spec = small_spec(flower, style="polaroid")  # the style with a picture window on paper
    maker = FrameMaker(spec, Timeline(seconds=1.0))
    from generator.compose import render

    window, last = maker.window, maker.frame(maker.timeline.frame_count - 1)
    assert window is not None and ImageChops.difference(last, render(spec).image).getbbox() is None
    # while it moves, the paper around the window is the still's paper, untouched
    moving = maker.frame(0)
    paper = (0, 0, spec.format.width, window.top - 2)
    assert ImageChops.difference(moving.crop(paper), maker.still_picture.crop(paper)).getbbox() is None
    assert ImageChops.difference(moving.crop(window.corners), maker.still_picture.crop(window.corners)).getbbox()


# --- writing, the command line and batches -------------------------------------------------------------

def test_written_beside_the_still_kept_on_rerun_and_nothing_half_written(tmp_path, monkeypatch):
    spec = small_spec("cornflower")
    first = write_animation(spec, tmp_path, seconds=0.5, processes=1)
    assert first.status == "written" and first.path.name == f"{spec.name}.mp4"
    assert write_animation(spec, tmp_path, seconds=0.5, processes=1).status == "kept"

    def broken(self, planes):
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C half way through

    monkeypatch.setattr(Mp4Encoder, "add", broken)
    with pytest.raises(KeyboardInterrupt):
        write_animation(spec, tmp_path / "fresh", force=True, seconds=0.5, processes=1)
    assert files_in(tmp_path / "fresh") == []


def test_a_link_planted_under_the_videos_name_is_refused_not_read_as_kept(tmp_path):
    from generator.errors import ExportError

    spec = small_spec("cornflower")
    write_animation(spec, tmp_path, seconds=0.5, processes=1)
    video = tmp_path / f"{spec.name}.mp4"
    secret = tmp_path.parent / f"{tmp_path.name}-secret.bin"
    secret.write_bytes(b"not the campaign's")
    video.unlink()
    video.symlink_to(secret)
    for force in (False, True):
        with pytest.raises(ExportError, match=f"refusing to write '{video.name}' outside the output folder"):
            write_animation(spec, tmp_path, force=force, seconds=0.5, processes=1)
    assert secret.read_bytes() == b"not the campaign's" and video.is_symlink()


def test_make_animate_refuses_a_link_planted_under_the_videos_name_before_writing_the_still(run, tmp_path):
    [post] = json.loads(run("make", "--json", "-o", "first").stdout)["posts"]
    name = os.path.basename(post["image"]).rsplit(".", 1)[0]
    (tmp_path / "secret.bin").write_bytes(b"not the campaign's")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / f"{name}.mp4").symlink_to(tmp_path / "secret.bin")
    result = run("make", "--animate", "-o", "out")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr == f"Error: refusing to write '{name}.mp4' outside the output folder out\n"
    assert files_in(tmp_path / "out") == [f"{name}.mp4"]  # the link alone: no still, caption or alt text
    assert (tmp_path / "secret.bin").read_bytes() == b"not the campaign's"


def test_a_batch_row_whose_video_name_is_a_planted_link_is_refused_in_its_own_words(run, tmp_path):
    with open(tmp_path / "campaign.csv", "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["message", "formats", "animate"])
        writer.writerow(["Thank you, doctors!", "linkedin", "yes"])
    [spec] = plan_posts(PostRequest(message="Thank you, doctors!", formats=("linkedin",)))
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / f"{spec.name}.mp4").symlink_to(tmp_path / "campaign.csv")
    result = run("batch", "campaign.csv", "-o", "posts", "-j", "1", "-q")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr == (f"Error: campaign.csv:2:-: linkedin: refusing to write '{spec.name}.mp4' outside the "
                             f"output folder posts\n")


def test_make_animate_without_pyav_says_how_to_install_and_writes_nothing(run, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "av", None)
    result = run("make", "--animate", "-o", "out")
    assert result.exit_code == 1
    assert result.stderr == INSTALL_LINE
    assert files_in(tmp_path / "out") == []


def test_make_animate_writes_a_real_story_beside_the_still(run, tmp_path):
    result = run("make", "--animate", "-f", "grow:cornflower:3", "-F", "instagram-story", "-q", "--json")
    assert result.exit_code == 0, result.stderr
    post = json.loads(result.stdout)["posts"][0]
    video, image = tmp_path / post["video"], tmp_path / post["image"]
    assert video.name == image.name.replace(".jpg", ".mp4") and post["video_seconds"] == 8.0
    assert (post["video_width"], post["video_height"]) == (1080, 1920)
    data = video.read_bytes()
    assert len(data) == post["video_bytes"] <= 8_000_000
    with av.open(io.BytesIO(data)) as container:
        assert container.duration / 1_000_000 == pytest.approx(8.0, abs=0.05)
        last = None
        for last in container.decode(video=0):
            pass
    from av.video.reformatter import ColorRange, Colorspace

    frame = last.reformat(format="rgb24", src_colorspace=Colorspace.ITU709, src_color_range=ColorRange.MPEG)
    assert psnr(frame.to_image(), Image.open(image)) >= 38
    again = run("make", "--animate", "-f", "grow:cornflower:3", "-F", "instagram-story", "--json")
    assert json.loads(again.stdout)["posts"][0]["video_status"] == "kept"


def test_batch_animate_column(run, tmp_path, monkeypatch):
    from generator.motion import timeline

    monkeypatch.setattr(timeline, "SECONDS", 0.5)
    with open(tmp_path / "campaign.csv", "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "message", "formats", "animate"])
        writer.writerow(["moving", "Thank you, doctors!", "linkedin", "yes"])
        writer.writerow(["still", "You are not alone.", "linkedin", "no"])
    result = run("batch", "campaign.csv", "-o", "posts", "-j", "1", "-q")
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((tmp_path / "posts" / "manifest.json").read_text())["posts"]
    videos = {post["row_id"]: post["video"] for post in manifest}
    assert videos["still"] == "" and videos["moving"].endswith(".mp4")
    assert [name for name in files_in(tmp_path / "posts") if name.endswith(".mp4")] == [videos["moving"]]
    with av.open(str(tmp_path / "posts" / videos["moving"])) as container:
        assert container.streams.video[0].codec_context.height == 628  # LinkedIn's 627, made even


def test_batch_animate_column_refuses_anything_but_yes_or_no(run, tmp_path):
    (tmp_path / "campaign.csv").write_text("message,animate\nThank you!,sometimes\n", encoding="utf-8")
    result = run("batch", "campaign.csv", "--dry-run")
    assert result.exit_code == 1
    assert "animate: 'sometimes' is not yes or no" in result.stderr


def test_yaml_animate_takes_yaml_booleans_and_names_a_list_as_a_list(run, tmp_path):
    (tmp_path / "c.yaml").write_text("- {message: Thank you!, animate: yes}\n- {message: Merci, animate: [yes]}\n",
                                     encoding="utf-8")
    result = run("batch", "c.yaml", "--dry-run")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ("Error: c.yaml:2:animate: expected yes or no, not a list or mapping; "
                                             "write yes to also make the post's animated MP4")
    assert "2 rows, 1 post planned, 1 row refused" in result.stderr


# --- the page ------------------------------------------------------------------------------------------

def test_the_page_offers_an_animated_story_and_its_endpoint_returns_the_mp4():
    pytest.importorskip("flask_babel")
    from generator.web import create_app

    client = create_app().test_client()
    page = client.get("/?hl=be").get_data(as_text=True)
    assert 'id="animate"' in page and "Анімацыя (Story / Reel)" in page
    response = client.post("/api/animate?quick=1", data={"flower": "cornflower", "message": "Дзякуй, медыкі!",
                                                         "lang": "be"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "video/mp4"
    assert re.fullmatch(r'attachment; filename="cornflower-message-be-instagram-story-[0-9a-f]{10}\.mp4"',
                        response.headers["Content-Disposition"])
    data = response.get_data()
    assert top_level_boxes(data)[:2] == [b"ftyp", b"moov"]
    with av.open(io.BytesIO(data)) as container:
        context = container.streams.video[0].codec_context
        assert (context.width, context.height) == (270, 480)  # the quick one: the Story, small
        assert container.duration / 1_000_000 == pytest.approx(8.0, abs=0.05)


def test_the_endpoint_without_pyav_answers_with_how_to_install_it(monkeypatch):
    pytest.importorskip("flask_babel")
    from generator.web import create_app

    monkeypatch.setitem(sys.modules, "av", None)
    response = create_app().test_client().post("/api/animate?quick=1", data={"flower": "cornflower"})
    assert response.status_code >= 400
    assert "pip install" in response.get_data(as_text=True)
