"""Bad input: one clear line on stderr, the right exit code, no traceback, nothing written."""

from __future__ import annotations

import pytest

from conftest import files_in


def assert_refused(result, tmp_path, code: int, line: str) -> None:
    assert result.exit_code == code, result.output
    assert result.stderr == f"Error: {line}\n"
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert files_in(tmp_path / "output") == []


def test_missing_photo(run, tmp_path):
    result = run("make", "-f", "holiday.jpg")
    assert_refused(result, tmp_path, 1,
                   "photo holiday.jpg: no such file; check the path (or see `solidarity flowers list`)")


def test_a_folder_given_as_photo(run, tmp_path):
    (tmp_path / "pics").mkdir()
    assert_refused(run("make", "-f", "pics/"), tmp_path, 1, "photo pics: is a folder, not an image file")


def test_a_file_that_is_not_an_image(run, tmp_path):
    (tmp_path / "notes.jpg").write_text("not a picture at all")
    result = run("make", "-f", "notes.jpg")
    assert result.exit_code == 1 and result.stderr.startswith("Error: photo notes.jpg: ")
    assert result.stderr.count("\n") == 1 and files_in(tmp_path / "output") == []


def test_a_truncated_photo(run, tmp_path, photo):
    data = photo.read_bytes()
    (tmp_path / "cut.jpg").write_bytes(data[: len(data) // 2])
    result = run("make", "-f", "cut.jpg")
    assert result.exit_code == 1 and result.stderr.startswith("Error: photo cut.jpg: ")
    assert result.stderr.count("\n") == 1 and files_in(tmp_path / "output") == []


def test_unknown_format(run, tmp_path):
    result = run("make", "-F", "tiktok")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: unknown format 'tiktok'; choose one of: instagram-square, ")
    assert files_in(tmp_path / "output") == []


def test_unknown_template(run, tmp_path):
    assert_refused(run("make", "-t", "no-such-message"), tmp_path, 2,
                   "unknown template 'no-such-message'; see `solidarity templates list` for the ids")


def test_unknown_flower(run, tmp_path):
    assert_refused(run("make", "-f", "orchid"), tmp_path, 2,
                   "unknown flower 'orchid'; use a bundled name (see `solidarity flowers list`), "
                   "grow:SPECIES[:SEED], or the path of a photo")


def test_unknown_species_to_grow(run, tmp_path):
    result = run("make", "-f", "grow:orchid")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: unknown flower species 'orchid' in 'grow:orchid'; choose one of: ")


def test_unknown_language(run, tmp_path):
    result = run("make", "-l", "xx")
    assert result.exit_code == 2 and result.stderr.startswith("Error: unknown language 'xx'; choose one of: ")


@pytest.mark.parametrize("pair", ["name", "=Anna", "two words=x"])
def test_malformed_var(run, tmp_path, pair):
    assert_refused(run("make", "--var", pair), tmp_path, 2,
                   f"--var '{pair}': write it as KEY=VALUE, for example --var name=Anna")


def test_a_variable_the_template_does_not_take(run, tmp_path):
    assert_refused(run("make", "--var", "nmae=Anna"), tmp_path, 2,
                   "--var nmae: template 'thank-you' (en.toml) has no such variable; it accepts: city, name")


def test_undefined_variable_in_a_template_file(run, tmp_path):
    (tmp_path / "mine.j2").write_text("Thank you, {{ who }}!")
    assert_refused(run("make", "-t", "mine.j2"), tmp_path, 1,
                   "template mine.j2: 'who' is undefined; pass it with --var who=VALUE")
    result = run("make", "-t", "mine.j2", "--var", "who=nurses", "--json")
    assert result.exit_code == 0 and '"message": "Thank you, nurses!"' in result.stdout


def test_template_syntax_error_names_file_and_line(run, tmp_path):
    (tmp_path / "broken.j2").write_text("Thank you,\n{{ name \n}")
    result = run("make", "-t", "broken.j2")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: template broken.j2, line ")
    assert result.stderr.count("\n") == 1 and files_in(tmp_path / "output") == []


def test_missing_template_file(run, tmp_path):
    assert_refused(run("make", "-t", "gone.j2"), tmp_path, 2, "template gone.j2: no such file")


def test_hostile_template_is_refused(run, tmp_path):
    (tmp_path / "evil.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    result = run("make", "-t", "evil.j2")
    assert result.exit_code == 1 and result.stderr.startswith("Error: template evil.j2: ")
    assert files_in(tmp_path / "output") == []


def test_message_too_long_says_by_how_much(run, tmp_path):
    result = run("make", "-m", "solidarity " * 20, "-F", "instagram-portrait", "-F", "facebook")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: facebook: message is too long by about ")
    assert "characters (219 given, about " in result.stderr
    assert result.stderr.count("\n") == 1
    assert files_in(tmp_path / "output") == []  # the portrait that fitted was not written either


def test_caption_over_the_x_limit(run, tmp_path):
    message = "Medics deserve thanks. " * 12
    result = run("make", "-m", message, "-F", "x")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: x: the caption is ")
    assert "over the limit of 280; shorten the message or drop some tags" in result.stderr


def test_message_and_template_together(run, tmp_path):
    assert_refused(run("make", "-m", "hi", "-t", "thank-you"), tmp_path, 2,
                   "give either --message or --template, not both")


def test_var_with_a_literal_message(run, tmp_path):
    assert_refused(run("make", "-m", "hi", "--var", "name=A"), tmp_path, 2,
                   "--var only applies to --template; a --message is used exactly as written")


def test_empty_message(run, tmp_path):
    assert_refused(run("make", "-m", "   "), tmp_path, 2, "--message is empty; write a few words of solidarity")


def test_bad_tag(run, tmp_path):
    assert_refused(run("make", "--hashtag", "#stand with"), tmp_path, 2,
                   "--hashtag '#stand with': use letters, digits and underscores only, like #Medics")


def test_output_path_that_is_a_file(run, tmp_path):
    (tmp_path / "taken").write_text("x")
    assert_refused(run("make", "-o", "taken"), tmp_path, 1, "--out taken: exists and is not a folder; choose another path")


def test_bad_focus(run, tmp_path, photo):
    result = run("make", "-f", str(photo), "--focus", "left")
    assert result.exit_code == 2 and result.stderr.startswith("Error: --focus 'left': ")
