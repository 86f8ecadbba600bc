"""`solidarity flowers` and growing flowers from `make`."""

from __future__ import annotations

import json

from PIL import Image

from generator.flowers import bundled
from generator.flowers.grow import SPECIES


def test_list_names_every_bundled_flower_and_every_species(run):
    result = run("flowers", "list")
    assert result.exit_code == 0
    for name in bundled():
        assert name in result.stdout
    for species in SPECIES:
        assert species in result.stdout


def test_show_describes_one_bundled_flower(run):
    result = run("flowers", "show", "cornflower")
    assert result.exit_code == 0
    assert "species     cornflower" in result.stdout and "focus" in result.stdout


def test_show_an_unknown_flower(run):
    result = run("flowers", "show", "orchid")
    assert result.exit_code == 2
    assert result.stderr == "Error: unknown bundled flower 'orchid'; see `solidarity flowers list`\n"


def test_grow_writes_a_picture_of_the_size_asked_with_no_metadata(run, tmp_path):
    result = run("flowers", "grow", "poppy", "--seed", "7", "--size", "640x800", "--out", "poppy.png")
    assert result.exit_code == 0, result.output
    with Image.open(tmp_path / "poppy.png") as picture:
        assert picture.size == (640, 800) and picture.mode == "RGB"
        assert not {"exif", "icc_profile", "dpi"} & set(picture.info)
    again = run("flowers", "grow", "poppy", "--seed", "7", "--size", "640x800", "--out", "again.png")
    assert again.exit_code == 0
    assert (tmp_path / "poppy.png").read_bytes() == (tmp_path / "again.png").read_bytes()


def test_grow_refuses_bad_input_with_one_line(run, tmp_path):
    assert run("flowers", "grow", "orchid", "--out", "x.png").stderr.startswith(
        "Error: unknown flower species 'orchid'")
    bad_size = run("flowers", "grow", "rose", "--size", "big", "--out", "x.png")
    assert bad_size.exit_code == 2
    assert bad_size.stderr == "Error: --size 'big': write it as WIDTHxHEIGHT in pixels, like 1080x1350\n"
    bad_type = run("flowers", "grow", "rose", "--out", "x.gif")
    assert bad_type.exit_code == 1
    assert bad_type.stderr == "Error: --out x.gif: end the name in .png, .jpg or .webp\n"
    assert not list(tmp_path.glob("x.*"))


def test_make_with_a_grown_flower(run, tmp_path):
    result = run("make", "-f", "grow:cornflower:42", "-F", "instagram-story", "--json")
    assert result.exit_code == 0, result.output
    [post] = json.loads(result.stdout)["posts"]
    assert post["flower"] == "cornflower-42"
    assert "cornflower" in post["alt_text"]
    with Image.open(post["image"]) as picture:
        assert picture.size == (1080, 1920)


def test_make_with_a_photo_and_an_explicit_focus(run, tmp_path, photo):
    top = run("make", "-f", str(photo), "--focus", "0.5,0.1", "-F", "instagram-portrait", "--json")
    bottom = run("make", "-f", str(photo), "--focus", "0.5,0.9", "-F", "instagram-portrait", "--json")
    assert top.exit_code == 0 and bottom.exit_code == 0
    assert json.loads(top.stdout)["posts"][0]["name"] != json.loads(bottom.stdout)["posts"][0]["name"]


def test_flowers_list_keeps_every_name_apart_from_its_description():
    from click.testing import CliRunner

    from generator.cli import cli
    from generator.flowers import bundled

    lines = CliRunner().invoke(cli, ["flowers", "list"]).output.splitlines()
    for name, flower in bundled().items():
        (line,) = [line for line in lines if line.strip().startswith(name + " ")]
        assert line.split(None, 1) == [name, flower.description]
