"""Inputs a reviewer used to break the tool: each now gets one clear line, and nothing hangs or leaks."""

from __future__ import annotations

import json
import os

import pytest
from PIL import Image

from conftest import files_in
from generator import export


def test_a_pipe_given_as_photo_is_refused_without_reading_it(run, tmp_path):
    os.mkfifo(tmp_path / "pipe.jpg")
    result = run("make", "-f", "pipe.jpg")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: photo pipe.jpg: this is not a regular file")
    assert files_in(tmp_path / "output") == []


def test_a_sliver_of_a_photo_is_refused(run, tmp_path):
    Image.new("RGB", (4000, 3), (200, 40, 40)).save(tmp_path / "sliver.png")
    result = run("make", "-f", "sliver.png")
    assert result.exit_code == 1
    assert result.stderr == ("Error: photo sliver.png: the picture is a 4000x3 sliver; "
                             "choose a photo no more than 20 times as long as it is wide\n")


def test_a_flat_32_bit_picture_is_used_not_a_crash(run, tmp_path):
    Image.new("I", (300, 300), -5).save(tmp_path / "flat.tif")
    assert run("make", "-f", "flat.tif").exit_code == 0


@pytest.mark.parametrize("message", ["hi\x1b[31mred", "nul\x00here", "bell\x07"])
def test_control_characters_in_a_message_are_refused(run, tmp_path, message):
    result = run("make", "-m", message)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: the message contains the control character U+00")
    assert files_in(tmp_path / "output") == []


@pytest.mark.parametrize("message", ["\u200b\u200b", "\u00a0\u3000\u2060\ufeff", "\u200e\n\u200d"])
def test_a_message_of_invisible_characters_is_empty(run, tmp_path, message):
    result = run("make", "-m", message)
    assert result.exit_code == 2
    assert result.stderr == "Error: --message is empty; write a few words of solidarity\n"
    assert files_in(tmp_path / "output") == []


def test_a_mastodon_account_on_another_server_can_be_tagged(run, tmp_path):
    result = run("make", "-F", "mastodon", "--tag", "@amnesty@mastodon.social", "--json")
    assert result.exit_code == 0, result.stderr
    caption = (tmp_path / json.loads(result.stdout)["posts"][0]["caption_file"]).read_text()
    assert caption.endswith("@amnesty @amnesty@mastodon.social #StandWithBelarus\n")


@pytest.mark.parametrize("tag", ["@a@b", "@a@@b.org", "@a@b.org@c.org", "@a@-b.org"])
def test_a_tag_with_a_server_that_is_not_a_host_name_is_refused(run, tmp_path, tag):
    result = run("make", "--tag", tag)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: --tag '{tag}': use letters, digits and underscores only")


def test_stacked_combining_marks_are_refused_not_drawn_outside_the_box(run, tmp_path):
    result = run("make", "-m", "Thank you" + "\u0301" * 60 + " doctors")
    assert result.exit_code == 1
    assert "stacked accents or marks" in result.stderr and result.stderr.count("\n") == 1
    assert files_in(tmp_path / "output") == []


def test_a_failed_write_is_one_line(run, tmp_path, monkeypatch):
    def disk_full(path, data, **options):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "atomic_write", disk_full)
    result = run("make")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --out output: cannot write ")
    assert result.stderr.endswith("(No space left on device)\n")


def test_growing_into_a_new_folder_makes_it(run, tmp_path):
    result = run("flowers", "grow", "poppy", "--size", "200x250", "--out", "new/sub/poppy.png")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new" / "sub" / "poppy.png").is_file()


def test_a_seed_must_be_plain_digits(run):
    for flower in ("grow:poppy:-5", "grow:poppy:\u0663"):
        result = run("make", "-f", flower)
        assert result.exit_code == 2 and "must be a whole number" in result.stderr


def test_a_font_is_named_by_its_contents_not_its_path(run, tmp_path):
    from generator.fonts import noto_sans

    font = tmp_path / "mine.ttf"
    font.write_bytes(noto_sans().path.read_bytes())
    relative = json.loads(run("make", "--font", "mine.ttf", "--json").stdout)["posts"][0]["name"]
    absolute = json.loads(run("make", "--font", str(font), "--json").stdout)["posts"][0]["name"]
    assert relative == absolute


def test_a_file_that_is_not_a_usable_font(run, tmp_path):
    (tmp_path / "font.ttf").write_bytes(b"wOF2" + bytes(200))
    result = run("make", "--font", "font.ttf")
    assert result.exit_code == 2 and result.stderr.startswith("Error: --font font.ttf: not a TrueType/OpenType font")


def test_a_template_file_that_is_not_a_regular_file(run, tmp_path):
    os.mkfifo(tmp_path / "pipe.j2")
    result = run("make", "-t", "pipe.j2")
    assert result.exit_code == 1 and result.stderr.startswith("Error: template pipe.j2: not a text file")


# --- campaign files ----------------------------------------------------------------------------------------

def test_yaml_rows_naming_a_missing_csv(run, tmp_path):
    (tmp_path / "c.yaml").write_text("rows: missing.csv\n")
    result = run("batch", "c.yaml")
    assert result.exit_code == 1
    assert result.stderr == "Error: c.yaml: rows: missing.csv is not a CSV file beside the campaign file\n"


def test_yaml_null_is_absent_and_true_is_refused(run, tmp_path):
    (tmp_path / "c.yaml").write_text("rows:\n  - message: ~\n  - message: true\n  - flower: null\n    message: hi\n")
    result = run("batch", "c.yaml", "-j", "1", "--json")
    assert result.exit_code == 1
    assert "Error: c.yaml:2:message: expected text, not true" in result.stderr
    posts = json.loads(result.stdout)["posts"]
    assert [post["row"] for post in posts] == [1, 3] and "None" not in result.stdout


def test_an_unclosed_quote_in_a_csv_is_reported_not_merged(run, tmp_path):
    (tmp_path / "q.csv").write_text('id,message\n1,"unclosed quote\n2,hello\n')
    result = run("batch", "q.csv")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: q.csv:") and "check the quotes" in result.stderr
    assert files_in(tmp_path / "output") == []


def test_an_empty_campaign_says_so(run, tmp_path):
    (tmp_path / "empty.csv").write_text("message,formats\n")
    result = run("batch", "empty.csv")
    assert result.exit_code == 1 and result.stderr == "Error: empty.csv: no rows to make posts from\n"


def test_headers_as_a_spreadsheet_types_them_and_unknown_columns_said_once(run, tmp_path):
    (tmp_path / "c.csv").write_text("Message,Formats,Notes\nThank you,x,a\nMerci,x,b\n")
    result = run("batch", "c.csv", "--dry-run")
    lines = result.stderr.splitlines()
    assert lines[0] == ("Error: c.csv:1:Notes: unknown column; use: id, flower, focus, message, template, vars, "
                        "lang, formats, style, tags, hashtags, image_type, font, templates, kit, animate, or var.Notes for a "
                        "template variable (rows 2, 3 not made: they have a value there)")
    assert len(lines) == 2  # the one problem, then the summary
