"""Excel workbooks as campaign files: read directly, cells as they show, the same FILE:ROW:COLUMN errors as CSV.

Every workbook here is built in code with openpyxl.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import files_in
from generator.spreadsheet import shown


def workbook(path: Path, sheets: dict[str, list[list]], formats: dict[str, str] | None = None) -> Path:
    """A workbook with one sheet per entry (the first is the first sheet); `formats` maps 'Sheet!C2' -> format."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    for where, number_format in (formats or {}).items():
        title, cell = where.split("!")
        book[title][cell].number_format = number_format
    book.save(path)
    return path


ROWS = [
    ["id", "message", "template", "var.name", "var.city", "format"],
    [3.0, None, "thank-you", dt.date(2026, 12, 2), 7.0, "instagram-square"],
    [None, "Thank you, doctors!", None, None, None, "x"],
]


def test_the_first_sheet_cells_as_they_show_and_blank_rows_left_out(run, tmp_path):
    rows = ROWS + [[None] * 6] * 40  # the blank rows Excel leaves below a table
    workbook(tmp_path / "c.xlsx", {"Posts": rows, "Notes": [["message"], ["not this one"]]},
             {"Posts!D2": "yyyy-mm-dd"})
    result = run("batch", "c.xlsx", "-j", "1", "--json")
    assert result.exit_code == 0, result.output
    posts = json.loads(result.stdout)["posts"]
    assert [(post["row"], post["row_id"], post["format"]) for post in posts] == [
        (2, "3", "instagram-square"), (3, "3", "x")]  # 3.0 in the cell is shown as 3; row 3 has no id: its number
    assert "2026-12-02" in posts[0]["caption"] and ", 7" in posts[0]["caption"]
    assert "Thank you, doctors!" in posts[1]["caption"]
    assert "2 posts (2 written" in result.stderr


def test_the_sheet_named_with_sheet(run, tmp_path):
    workbook(tmp_path / "c.xlsx", {"Notes": [["nothing here"]], "Belarus": [["message", "format"], ["Дзякуй!", "x"]]})
    result = run("batch", "c.xlsx", "--sheet", "Belarus", "-j", "1", "--json")
    assert result.exit_code == 0, result.output
    (post,) = json.loads(result.stdout)["posts"]
    assert "Дзякуй!" in post["caption"]


def test_an_unknown_sheet_is_one_line_listing_the_sheets(run, tmp_path):
    workbook(tmp_path / "c.xlsx", {"Posts": ROWS, "Other": [["message"]]})
    result = run("batch", "c.xlsx", "--sheet", "Belarus")
    assert result.exit_code == 2
    assert result.stderr == "Error: --sheet Belarus: c.xlsx has no such sheet; its sheets are: Posts, Other\n"
    assert files_in(tmp_path / "output") == []


def test_sheet_with_a_csv_is_a_usage_error(run, tmp_path):
    (tmp_path / "c.csv").write_text("message\nhi\n")
    result = run("batch", "c.csv", "--sheet", "Posts")
    assert result.exit_code == 2
    assert result.stderr == "Error: --sheet Posts: c.csv is not an .xlsx workbook; --sheet picks a sheet of one\n"


def test_the_same_file_row_column_errors_as_csv(run, tmp_path):
    rows = [["message", "fomat", "lang"], ["Thank you", None, "en"], [None, None, None],
            ["Merci", None, "xx"], ["Danke", None, "de"]]
    workbook(tmp_path / "c.xlsx", {"Posts": rows})
    result = run("batch", "c.xlsx", "--dry-run")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "Error: c.xlsx:1:fomat: unknown column; did you mean 'format'?",
        "Error: c.xlsx:4:lang: unknown language 'xx'; choose one of: " + result.stderr.split("choose one of: ")[1]
        .splitlines()[0],
    ]


def test_a_cell_with_no_column_name_above_it_is_not_dropped(run, tmp_path):
    workbook(tmp_path / "c.xlsx", {"Posts": [["message", None, "format"], ["Thank you", None, "x", "stray"],
                                             ["Merci", "lost?", "x"], ["Danke", None, "x"]]})
    result = run("batch", "c.xlsx", "--dry-run")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: c.xlsx:2:D: this cell has no column name above it; name the column in row 1 or clear the cell",
        "Error: c.xlsx:3:B: this cell has no column name above it; name the column in row 1 or clear the cell",
        "batch c.xlsx: 3 rows, 1 post planned, 2 rows refused (dry run)",
    ]


def test_yaml_rows_may_name_a_workbook(run, tmp_path):
    workbook(tmp_path / "rows.xlsx", {"Posts": [["message"], ["Thank you"], ["Merci"]]})
    (tmp_path / "c.yaml").write_text("defaults:\n  format: [x]\nrows: rows.xlsx\n", encoding="utf-8")
    result = run("batch", "c.yaml", "-j", "1", "--json")
    assert result.exit_code == 0, result.output
    assert [(post["row"], post["format"]) for post in json.loads(result.stdout)["posts"]] == [(2, "x"), (3, "x")]


def broken_workbooks(folder: Path) -> dict[str, Path]:
    real = workbook(folder / "real.xlsx", {"Posts": ROWS})
    made = {}
    made["random bytes"] = folder / "random.xlsx"
    made["random bytes"].write_bytes(b"\x00\x01not a zip at all" * 100)
    made["a zip of something else"] = folder / "other.xlsx"
    with zipfile.ZipFile(made["a zip of something else"], "w") as archive:
        archive.writestr("hello.txt", "hello")
    made["truncated"] = folder / "truncated.xlsx"
    made["truncated"].write_bytes(real.read_bytes()[: real.stat().st_size // 2])
    made["a damaged sheet"] = folder / "damaged.xlsx"
    with zipfile.ZipFile(real) as source, zipfile.ZipFile(made["a damaged sheet"], "w") as archive:
        for item in source.infolist():
            data = source.read(item)
            archive.writestr(item, data[:200] if item.filename.startswith("xl/worksheets/") else data)
    made["empty file"] = folder / "empty.xlsx"
    made["empty file"].write_bytes(b"")
    return made


@pytest.mark.parametrize("kind", ["random bytes", "a zip of something else", "truncated", "a damaged sheet",
                                  "empty file"])
def test_a_broken_workbook_is_one_line_never_a_traceback(run, tmp_path, kind):
    path = broken_workbooks(tmp_path)[kind]
    result = run("batch", path.name)
    assert result.exit_code == 1, result.output
    assert result.stderr == (f"Error: {path.name}: not an Excel workbook that can be read; save it again "
                             f"from Excel or Google Sheets as .xlsx\n")  # no Python exception's name
    assert files_in(tmp_path / "output") == []


def test_a_zip_bomb_is_refused_before_it_is_parsed(run, tmp_path, monkeypatch):
    import generator.spreadsheet as spreadsheet

    monkeypatch.setattr(spreadsheet, "MAX_UNPACKED_BYTES", 10_000)
    workbook(tmp_path / "c.xlsx", {"Posts": ROWS + [["Thank you " * 50]] * 50})
    result = run("batch", "c.xlsx")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: c.xlsx: the workbook unpacks to ") and "split the campaign" in result.stderr


def test_an_old_excel_file_says_how_to_save_it(run, tmp_path):
    (tmp_path / "c.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    result = run("batch", "c.xls")
    assert result.exit_code == 2
    assert result.stderr == "Error: campaign file c.xls: save it as an Excel workbook (.xlsx) or as CSV UTF-8\n"


@pytest.mark.parametrize("value, number_format, text", [
    (3.0, "General", "3"), (3, "General", "3"), (2.5, "General", "2.5"), (0.1 + 0.2, "General", "0.3"),
    (1234.5, "#,##0.00", "1,234.50"), (12, "0.0", "12.0"), (0.25, "0%", "25%"), (7, "0", "7"),
    (dt.datetime(2026, 12, 2), "yyyy-mm-dd", "2026-12-02"), (dt.datetime(2026, 12, 2), "dd.mm.yyyy", "02.12.2026"),
    (dt.datetime(2026, 12, 2), "d mmmm yyyy", "2 December 2026"), (dt.datetime(2026, 12, 2), "m/d/yy", "12/2/26"),
    (dt.datetime(2026, 12, 2, 14, 5), "yyyy-mm-dd hh:mm", "2026-12-02 14:05"),
    (dt.datetime(2026, 12, 2, 9, 7, 3), "h:mm:ss AM/PM", "9:07:03 AM"),
    (dt.datetime(2026, 12, 2), "[$-409]mmmm d, yyyy;@", "December 2, 2026"),
    (dt.datetime(2026, 12, 2), "General", "2026-12-02"), (True, "General", "TRUE"), (None, "General", ""),
    ("Minsk", "@", "Minsk"),
])
def test_a_cell_as_its_number_format_shows_it(value, number_format, text):
    assert shown(value, number_format) == text


def test_a_workbook_saved_by_openpyxl_round_trips_its_formats(tmp_path):
    from generator.spreadsheet import read_sheet

    path = workbook(tmp_path / "c.xlsx", {"Posts": [["when", "n"], [dt.date(2026, 12, 2), 3.0]]},
                    {"Posts!A2": "dd.mm.yyyy"})
    sheet = read_sheet(path)
    assert (sheet.header_row, sheet.header, sheet.rows) == (1, ["when", "n"], [(2, ["02.12.2026", "3"])])


def test_sheet_picks_the_sheet_of_the_workbook_a_yaml_names(run, tmp_path):
    workbook(tmp_path / "rows.xlsx", {"Posts": [["message"], ["Thank you"]], "Belarus": [["message"], ["Дзякуй!"]]})
    (tmp_path / "c.yaml").write_text("rows: rows.xlsx\n", encoding="utf-8")
    result = run("batch", "c.yaml", "--sheet", "Belarus", "-j", "1", "--json")
    assert result.exit_code == 0, result.output
    (post,) = json.loads(result.stdout)["posts"]
    assert "Дзякуй!" in post["caption"]
    (tmp_path / "inline.yaml").write_text("rows:\n  - message: hi\n", encoding="utf-8")
    result = run("batch", "inline.yaml", "--sheet", "Belarus")
    assert result.exit_code == 2
    assert result.stderr == "Error: --sheet Belarus: inline.yaml has its rows inline, not in an .xlsx workbook\n"


def _formula_workbook(path: Path, saved_result: str | None) -> Path:
    """Row 3's message is a formula; with `saved_result`, the file carries the result a spreadsheet program
    stores beside it on saving (openpyxl writes only the formula, as any script does)."""
    workbook(path, {"Posts": [["message", "format", "id"], ["Thank you", "x", "A"], ['="Hi "&C3', "x", "B"]]})
    if saved_result is None:
        return path
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b'<c r="A3"><f>', b'<c r="A3" t="str"><f>').replace(
        b"</f><v />", f"</f><v>{saved_result}</v>".encode())
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_a_formula_with_no_saved_result_is_refused_not_read_as_empty(run, tmp_path):
    _formula_workbook(tmp_path / "c.xlsx", saved_result=None)
    result = run("batch", "c.xlsx", "-j", "1", "-o", "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: c.xlsx:3:message: a formula with no saved result (a program wrote the file, not a spreadsheet); "
        "open it in Excel, LibreOffice or Google Sheets and save it again"]
    assert files_in(tmp_path / "out") == []


@pytest.mark.parametrize("saved", ["Hi B", ""])
def test_a_formula_saved_by_a_spreadsheet_reads_as_its_result(run, tmp_path, saved):
    _formula_workbook(tmp_path / "c.xlsx", saved_result=saved)
    result = run("batch", "c.xlsx", "-j", "1", "--json")
    assert result.exit_code == 0, result.output
    captions = [post["caption"] for post in json.loads(result.stdout)["posts"]]
    assert captions[0].startswith("Thank you\n")
    assert captions[1].startswith("Hi B\n") if saved else "Hi B" not in captions[1]


def test_a_sheet_with_blank_cells_is_read_once_not_again_for_formulas(tmp_path, monkeypatch):
    from generator import spreadsheet

    workbook = openpyxl.Workbook()
    workbook.active.append(["message", "flower", "lang"])
    workbook.active.append(["Free the medics", None, "en"])  # a gap in the row, not a cell without a value
    workbook.save(tmp_path / "c.xlsx")
    monkeypatch.setattr(spreadsheet, "_refuse_unsaved_formulas", lambda *args: pytest.fail("read a second time"))
    assert spreadsheet.read_sheet(tmp_path / "c.xlsx").rows[0][1][:3] == ["Free the medics", "", "en"]
