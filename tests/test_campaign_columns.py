"""Campaign columns named as `make` names its options, singular or plural; near misses get a suggestion;
a problem with a column's name is the header's, said once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.campaign import COLUMNS, our_column_name, plan_campaign
from generator.cli import make

# make options that are about one run, not one post: `batch` has its own (or none) for them
RUN_OPTIONS = {"out", "json", "quiet", "force", "debug"}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_every_make_option_has_a_column_under_its_own_name():
    for option in make.params:
        long_name = next(name for name in option.opts if name.startswith("--"))
        if long_name[2:] in RUN_OPTIONS:
            continue
        assert our_column_name(long_name) is not None, f"make {long_name} has no campaign column"
        assert our_column_name(long_name[2:]) in COLUMNS or long_name == "--var"


@pytest.mark.parametrize("header", [
    "format,tag,hashtag,image-type,var,language",
    "formats,tags,hashtags,image_type,vars,lang",
    "Format,Tag,Hashtag,Image Type,Var,Language",
    "--format,--tag,--hashtag,--image-type,--var,--lang",
])
def test_make_s_own_option_names_are_columns(tmp_path, header):
    write(tmp_path / "c.csv", f"{header},template\ninstagram-square threads,@amnesty_pl,#FreeMedics,png,name=Ala,be,thank-you\n")
    plan = plan_campaign(tmp_path / "c.csv")
    assert plan.problems == [] and plan.rows == 1
    specs = [post.spec for post in plan.posts]
    assert sorted(spec.format.name for spec in specs) == ["instagram-square", "threads"]
    for spec in specs:
        assert spec.image_type == "png" and spec.language == "be"
        assert "@amnesty_pl" in spec.caption and "#FreeMedics" in spec.caption and "Ala" in spec.caption


def test_a_format_column_makes_posts_from_the_command_line(run, tmp_path):
    write(tmp_path / "c.csv", "message,format\nThank you,x\nDziakuj,facebook\n")
    result = run("batch", "c.csv", "-j", "1", "--json")
    assert result.exit_code == 0, result.output
    assert [post["format"] for post in json.loads(result.stdout)["posts"]] == ["x", "facebook"]


def test_a_near_miss_is_a_header_problem_said_once_with_a_suggestion(run, tmp_path):
    write(tmp_path / "c.csv", "message,fomat\nThank you,x\nMerci,x\nDanke,\n")
    result = run("batch", "c.csv", "--dry-run")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: c.csv:1:fomat: unknown column; did you mean 'format'? (rows 2, 3 not made: they have a value there)",
        "batch c.csv: 3 rows, 1 post planned, 2 rows refused (dry run)",  # Danke left it empty: nothing lost
    ]


def test_a_column_that_is_no_near_miss_lists_the_columns_and_var_name(tmp_path):
    write(tmp_path / "c.csv", "message,city\nThank you,Minsk\n")
    plan = plan_campaign(tmp_path / "c.csv")
    assert [str(problem) for problem in plan.problems] == [
        f"{tmp_path / 'c.csv'}:1:city: unknown column; use: {', '.join(COLUMNS)}, or var.city for a template variable"
        " (row 2 not made: it has a value there)"]
    assert plan.posts == []


def test_a_run_option_as_a_column_says_where_it_goes(tmp_path):
    write(tmp_path / "c.csv", "message,out\nThank you,posts\n")
    (problem,) = plan_campaign(tmp_path / "c.csv").problems
    assert (problem.row, problem.column) == (1, "out")
    assert problem.message == ("not a column: it is set for the whole run, with `solidarity batch -o/--out` "
                               "(row 2 not made: it has a value there)")


def test_two_spellings_of_one_column_are_a_header_problem(tmp_path):
    write(tmp_path / "c.csv", "message,format,formats\nThank you,x,\nMerci,,facebook\n")
    plan = plan_campaign(tmp_path / "c.csv")
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (1, "formats", "the same column as 'format'; keep one of them (row 3 not made: it has a value there)")]
    assert [post.row for post in plan.posts] == [2]  # row 3 filled the second one in: refused, not dropped


def test_json_rows_an_unknown_key_is_said_once_at_the_first_row_that_has_it(tmp_path):
    rows = [{"message": "a", "hashtagz": "#A"}, {"message": "b", "hashtagz": "#B"}, {"message": "c"}]
    write(tmp_path / "c.json", json.dumps(rows))
    plan = plan_campaign(tmp_path / "c.json")
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (1, "hashtagz", "unknown column; did you mean 'hashtag'?")]
    assert [post.row for post in plan.posts] == [3] and plan.bad_rows == {1, 2}


def test_yaml_defaults_with_an_unknown_key_is_said_once_and_holds_every_row(tmp_path):
    write(tmp_path / "c.yaml", "defaults:\n  styel: banner\nrows:\n  - message: a\n  - message: b\n")
    plan = plan_campaign(tmp_path / "c.yaml")
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        ("defaults", "styel", "unknown column; did you mean 'style'?")]
    assert plan.posts == [] and plan.bad_rows == {1, 2}


def test_yaml_defaults_take_make_s_spellings(tmp_path):
    write(tmp_path / "c.yaml", "defaults:\n  format: [x]\n  hashtag: [FreeMedics]\nrows:\n  - message: a\n")
    plan = plan_campaign(tmp_path / "c.yaml")
    assert plan.problems == []
    assert [post.spec.format.name for post in plan.posts] == ["x"]
    assert "#FreeMedics" in plan.posts[0].spec.caption


def test_a_csv_cell_under_a_blank_header_is_refused_not_dropped(run, tmp_path):
    write(tmp_path / "c.csv", "message,,format\nThank you,,x\nMerci,oops,x\n")
    result = run("batch", "c.csv", "--dry-run")
    assert result.stderr.splitlines() == [
        "Error: c.csv:3:B: this cell has no column name above it; name the column in row 1 or clear the cell",
        "batch c.csv: 2 rows, 1 post planned, 1 row refused (dry run)",
    ]


def test_a_row_s_problem_names_the_campaign_s_columns_not_make_s_options(tmp_path):
    write(tmp_path / "c.csv", "message,vars\nThank you,city=Minsk\n")
    (problem,) = plan_campaign(tmp_path / "c.csv").problems
    assert (problem.row, problem.column) == (2, "vars")
    assert problem.message == ("the vars column only applies to the template column; the message column is used "
                               "exactly as written")
    assert "--" not in problem.message
