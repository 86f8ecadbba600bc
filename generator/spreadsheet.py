"""Excel workbooks (.xlsx, as Excel and Google Sheets save them) read as rows of text, each cell as it shows.

A campaign team's numbers and dates come out the way the sheet displays them: `3`, not `3.0`; `2026-12-02`
(or `02.12.2026`, whatever the cell's number format says), not a datetime. The header is the first row that
has anything in it; blank rows (Excel keeps many at the end) are skipped by the reader.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.errors import SolidarityError, UsageError

MAX_UNPACKED_BYTES = 200_000_000
"""A workbook that unpacks to more than this is refused before it is parsed: it is a zip bomb, not a campaign."""

_NOT_A_WORKBOOK = "not an Excel workbook that can be read; save it again from Excel or Google Sheets as .xlsx"


@dataclass
class Sheet:
    header_row: int
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as the sheet shows it, each cell as text)


def read_sheet(path: Path, name: str | None = None) -> Sheet:
    """The sheet called `name` (the first when None), as text; one-line errors for anything unreadable."""
    workbook = _open_workbook(path)
    try:
        sheet = _choose_sheet(path, workbook, name)
        table, valueless = _read(path, sheet)
    except SolidarityError:
        raise
    except Exception:  # openpyxl meets a malformed part only while reading it
        raise SolidarityError(f"{path}: {_NOT_A_WORKBOOK}") from None
    finally:
        workbook.close()
    if valueless:
        _refuse_unsaved_formulas(path, sheet.title, table, valueless)
    return table


def _read(path: Path, sheet) -> tuple[Sheet, set[tuple[int, int]]]:
    """The sheet as text, and where a cell below the header holds no value at all (row, column index)."""
    header: tuple[int, list[str]] | None = None
    rows: list[tuple[int, list[str]]] = []
    valueless: set[tuple[int, int]] = set()
    for number, cells, missing in _text_rows(sheet):
        if header is None:
            if any(cells):
                header = (number, cells)
        else:
            rows.append((number, cells))
            valueless.update((number, index) for index in missing)
    if header is None:
        raise SolidarityError(f"{path}: the sheet '{sheet.title}' is empty; put a header row and one row per post "
                              f"in it")
    return Sheet(header[0], header[1], rows), valueless


def _refuse_unsaved_formulas(path: Path, title: str, table: Sheet, valueless: set[tuple[int, int]]) -> None:
    """A formula cell keeps the result a spreadsheet program showed when it last saved the file; one written
    by a script has only the formula, which would read as empty. Refuse it rather than make posts from blanks."""
    workbook = _open_workbook(path, results=False)
    try:
        sheet = workbook[title]
        sheet.reset_dimensions()
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            for index, cell in enumerate(cells):
                if (number, index) in valueless and getattr(cell, "data_type", None) == "f":
                    named = index < len(table.header) and table.header[index]
                    raise SolidarityError(f"{path}:{number}:{table.header[index] if named else cell.column_letter}: "
                                          f"a formula with no saved result (a program wrote the file, not a "
                                          f"spreadsheet); open it in Excel, LibreOffice or Google Sheets and save "
                                          f"it again")
    except SolidarityError:
        raise
    except Exception:
        raise SolidarityError(f"{path}: {_NOT_A_WORKBOOK}") from None
    finally:
        workbook.close()


def _open_workbook(path: Path, results: bool = True):
    import openpyxl

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SolidarityError(f"{path}: {_NOT_A_WORKBOOK}") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise SolidarityError(f"{path}: the workbook unpacks to {unpacked / 1e6:.0f} MB, over the "
                              f"{MAX_UNPACKED_BYTES / 1e6:.0f} MB limit; split the campaign into smaller files")
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=results)
    except Exception:  # InvalidFileException, KeyError for a missing part, XML errors...
        raise SolidarityError(f"{path}: {_NOT_A_WORKBOOK}") from None


def _choose_sheet(path: Path, workbook, name: str | None):
    names = workbook.sheetnames
    if name is None:
        if not names:
            raise SolidarityError(f"{path}: the workbook has no sheets")
        return workbook[names[0]]
    if name not in names:
        raise UsageError(f"--sheet {name}: {path} has no such sheet; its sheets are: {', '.join(names)}")
    return workbook[name]


def _text_rows(sheet) -> Iterator[tuple[int, list[str], list[int]]]:
    """Each row's number, its cells as text, and the indexes of the cells written in the file with no value
    (where a formula's missing result would be). A gap in a row (openpyxl's EmptyCell) is no such cell, so a
    sheet with blank cells is not read a second time for formulas; a formula whose saved result is an empty
    string is typed as text: it has a value."""
    from openpyxl.cell.read_only import EmptyCell

    sheet.reset_dimensions()  # some writers record a wrong used range; read what is really there
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        values = [getattr(cell, "value", None) for cell in cells]
        yield (number, [shown(value, getattr(cell, "number_format", "General")) for value, cell in zip(values, cells)],
               [index for index, (value, cell) in enumerate(zip(values, cells))
                if value is None and not isinstance(cell, EmptyCell) and getattr(cell, "data_type", "n") == "n"])


# --- a cell as the sheet shows it --------------------------------------------------------------------------

def shown(value, number_format: str = "General") -> str:
    """A cell's value as text, the way its number format displays it (the common formats; General otherwise)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return _shown_date(value, number_format)
    if isinstance(value, (int, float)):
        return _shown_number(value, number_format)
    return str(value)


def _shown_number(value: float, number_format: str) -> str:
    section = _first_section(number_format)
    if section.lower() in ("general", "@", ""):
        return _general(value)
    percent = "%" in section
    if percent:
        value = value * 100
    digits = section.split(".", 1)
    decimals = len(re.match(r"[0#?]*", digits[1]).group()) if len(digits) == 2 else 0
    if not re.search(r"[0#?]", section):
        return _general(value)
    text = f"{value:,.{decimals}f}" if "," in digits[0] else f"{value:.{decimals}f}"
    return text + ("%" if percent else "")


def _general(value: float) -> str:
    """Excel's General format: whole numbers without a decimal point, others with up to 15 digits."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.15g}"


def _first_section(number_format: str) -> str:
    """The positive-number section of a format, without colours, conditions, locale tags or quoted text."""
    section = (number_format or "General").split(";", 1)[0]
    section = re.sub(r"\[[^\]]*\]", "", section)  # [Red], [$-409], [>100]
    return re.sub(r'"[^"]*"|\\.|_.|\*.', "", section).strip()


_DATE_TOKENS = re.compile(r"yyyy|yy|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|a/p", re.IGNORECASE)


def _shown_date(value, number_format: str) -> str:
    section = _first_section(number_format)
    if not _DATE_TOKENS.search(section) or section.lower() == "general":
        return _iso(value)
    return _render_date(value, section)


def _iso(value) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def _render_date(value, section: str) -> str:
    moment = value if isinstance(value, dt.datetime) else (
        dt.datetime.combine(value, dt.time()) if isinstance(value, dt.date) else
        dt.datetime.combine(dt.date(1900, 1, 1), value))
    tokens = [(match.start(), match.end(), match.group()) for match in _DATE_TOKENS.finditer(section)]
    twelve_hour = any(token.lower() in ("am/pm", "a/p") for _, _, token in tokens)
    out, position = [], 0
    for index, (start, end, token) in enumerate(tokens):
        out.append(section[position:start])
        out.append(_date_part(moment, token, tokens, index, twelve_hour))
        position = end
    out.append(section[position:])
    return "".join(out)


def _date_part(moment: dt.datetime, token: str, tokens, index: int, twelve_hour: bool) -> str:
    lower = token.lower()
    if lower in ("m", "mm") and _is_minutes(tokens, index):
        return f"{moment.minute:02d}" if lower == "mm" else str(moment.minute)
    hour = (moment.hour % 12 or 12) if twelve_hour else moment.hour
    parts = {
        "yyyy": f"{moment.year:04d}", "yy": f"{moment.year % 100:02d}",
        "mmmmm": moment.strftime("%B")[0], "mmmm": moment.strftime("%B"), "mmm": moment.strftime("%b"),
        "mm": f"{moment.month:02d}", "m": str(moment.month),
        "dddd": moment.strftime("%A"), "ddd": moment.strftime("%a"), "dd": f"{moment.day:02d}", "d": str(moment.day),
        "hh": f"{hour:02d}", "h": str(hour), "ss": f"{moment.second:02d}", "s": str(moment.second),
        "am/pm": "AM" if moment.hour < 12 else "PM", "a/p": "A" if moment.hour < 12 else "P",
    }
    return parts[lower]


def _is_minutes(tokens, index: int) -> bool:
    """In Excel's formats m means minutes right after an hour or right before seconds, and months elsewhere."""
    before = tokens[index - 1][2].lower() if index > 0 else ""
    after = tokens[index + 1][2].lower() if index + 1 < len(tokens) else ""
    return before in ("h", "hh") or after in ("s", "ss")
