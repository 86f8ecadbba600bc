"""`solidarity make`: what a supporter sees on the command line and finds in the output folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from conftest import files_in
from generator import __version__
from generator.formats import FORMATS


def only_images(folder: Path, suffix: str = ".jpg") -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.endswith(suffix))


def test_make_with_no_arguments_writes_a_square_post_with_caption_and_alt(run, tmp_path):
    result = run("make")
    assert result.exit_code == 0, result.output
    out = tmp_path / "output"
    [image] = only_images(out)
    stem = image.name[: -len(".jpg")]
    assert files_in(out) == sorted([image.name, f"{stem}.caption.txt", f"{stem}.alt.txt"])
    with Image.open(image) as picture:
        assert (picture.format, picture.mode, picture.size) == ("JPEG", "RGB", (1080, 1080))
    caption = (out / f"{stem}.caption.txt").read_text(encoding="utf-8")
    assert caption.startswith("Thank you, doctors and nurses of Belarus")
    assert "@amnesty" in caption and "#StandWithBelarus" in caption
    alt = (out / f"{stem}.alt.txt").read_text(encoding="utf-8")
    assert alt == ("An illustration of a blue cornflower in soft morning light. The words on it: "
                   "“Thank you, doctors and nurses of Belarus, for caring for everyone who needed you”.\n")
    assert result.stdout.strip() == str(Path("output") / image.name)
    assert result.stderr.startswith("wrote ")


def test_own_photo_own_words_two_formats(run, tmp_path, photo):
    result = run("make", "-f", str(photo), "-m", "Thank you, doctors", "-F", "instagram-portrait", "-F", "x")
    assert result.exit_code == 0, result.output
    sizes = sorted(Image.open(p).size for p in only_images(tmp_path / "output"))
    assert sizes == [(1080, 1350), (1600, 900)]
    for caption in (tmp_path / "output").glob("*.caption.txt"):
        assert caption.read_text(encoding="utf-8") == "Thank you, doctors\n\n@amnesty #StandWithBelarus\n"


def test_belarusian_template_with_a_variable(run, tmp_path):
    result = run("make", "-t", "thank-you", "--var", "name=Anna", "-l", "be", "--json")
    assert result.exit_code == 0, result.output
    [post] = json.loads(result.stdout)["posts"]
    assert post["message"].startswith("Дзякуй вам, лекары і медсёстры Беларусі")
    assert post["message"].endswith("— Anna")
    assert post["language"] == "be"
    assert post["alt_text"].startswith("Малюнак: сіні васілёк")
    assert "Надпіс: «" + " ".join(post["message"].split("\n")) + "»." in post["alt_text"]
    assert Path(post["image"]).is_file() and Path(post["caption_file"]).is_file() and Path(post["alt_file"]).is_file()


def test_json_describes_every_file_written(run, tmp_path):
    result = run("make", "-F", "all", "--json", "-q")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    posts = json.loads(result.stdout)["posts"]
    assert [p["format"] for p in posts] == list(FORMATS)
    for post in posts:
        with Image.open(post["image"]) as picture:
            assert picture.size == (post["width"], post["height"]) == FORMATS[post["format"]].size
        assert post["status"] == "written" and len(post["sha256"]) == 64


def test_same_inputs_give_the_same_names_and_bytes(run, tmp_path, photo):
    args = ("make", "-f", str(photo), "-F", "instagram-story", "-F", "facebook")
    assert run(*args, "-o", "first").exit_code == 0
    assert run(*args, "-o", "second").exit_code == 0
    first, second = tmp_path / "first", tmp_path / "second"
    assert files_in(first) == files_in(second)
    for name in files_in(first):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_an_existing_identical_post_is_kept_and_force_rewrites_it(run, tmp_path):
    assert run("make").exit_code == 0
    [image] = only_images(tmp_path / "output")
    image.write_bytes(image.read_bytes())  # touch
    before = image.stat().st_mtime_ns
    again = run("make")
    assert again.exit_code == 0 and again.stderr.startswith("kept ")
    assert image.stat().st_mtime_ns == before
    forced = run("make", "--force")
    assert forced.exit_code == 0 and forced.stderr.startswith("wrote ")
    assert image.stat().st_mtime_ns != before


@pytest.mark.parametrize("image_type, suffix, pil_format", [("png", ".png", "PNG"), ("webp", ".webp", "WEBP")])
def test_png_and_webp_on_request(run, tmp_path, image_type, suffix, pil_format):
    result = run("make", "--image-type", image_type, "-F", "facebook")
    assert result.exit_code == 0, result.output
    [image] = only_images(tmp_path / "output", suffix)
    with Image.open(image) as picture:
        assert picture.format == pil_format and picture.size == (1200, 630)


def test_extra_tags_and_hashtags_reach_the_caption_and_the_image_tag_line(run, tmp_path):
    result = run("make", "--tag", "amnesty_pl", "--hashtag", "#MedicsForBelarus", "--json")
    assert result.exit_code == 0, result.output
    [post] = json.loads(result.stdout)["posts"]
    assert post["caption"].endswith("@amnesty @amnesty_pl #StandWithBelarus #MedicsForBelarus")


def test_version_and_help_everywhere(run):
    assert run("--version").stdout.strip() == f"solidarity, version {__version__}"
    for command in ([], ["make"], ["formats"], ["styles"], ["templates"], ["templates", "list"],
                    ["templates", "show"], ["flowers"], ["flowers", "list"], ["flowers", "show"], ["flowers", "grow"]):
        for flag in ("-h", "--help"):
            result = run(*command, flag)
            assert result.exit_code == 0 and "Usage:" in result.stdout, (command, flag)


def test_formats_lists_every_preset_with_its_size(run):
    result = run("formats")
    assert result.exit_code == 0
    for preset in FORMATS.values():
        assert f"{preset.width}x{preset.height}" in result.stdout and preset.name in result.stdout
    as_json = json.loads(run("formats", "--json").stdout)
    assert {entry["name"]: (entry["width"], entry["height"]) for entry in as_json} == {
        name: preset.size for name, preset in FORMATS.items()}


def test_templates_list_and_show(run):
    listed = run("templates", "list", "--lang", "be")
    assert listed.exit_code == 0 and "thank-you" in listed.stdout and "en " not in listed.stdout
    shown = run("templates", "show", "thank-you", "-l", "en")
    assert shown.exit_code == 0 and "--var name=" in shown.stdout and "With the defaults:" in shown.stdout


def test_the_instagram_3x4_preset_the_profile_grid_s_shape(run, tmp_path):
    listing = run("formats").stdout
    assert any(line.startswith("instagram-3x4") and "1080x1440" in line and "8.00 MB" in line
               for line in listing.splitlines())
    result = run("make", "-F", "instagram-3x4", "--json", "-q")
    assert result.exit_code == 0, result.output
    (post,) = json.loads(result.stdout)["posts"]
    with Image.open(post["image"]) as picture:
        assert picture.size == (1080, 1440)
    zone = FORMATS["instagram-3x4"].safe_zone
    # inside the 4:5 centre crop (45 px each end) with room to spare, as the apps without 3:4 show it
    assert zone.top * 1440 > 45 + 0.04 * 1440 and zone.bottom * 1440 > 45 + 0.04 * 1440
    everything = run("make", "-F", "all", "--json", "-q", "-o", "all").stdout
    assert "instagram-3x4" in [p["format"] for p in json.loads(everything)["posts"]]
