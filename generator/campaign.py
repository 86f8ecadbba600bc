"""Campaign files (CSV, Excel .xlsx, JSON, YAML) read into validated posts, every problem reported at once.

A row may set anything `make` takes, under the option's own name (COLUMNS). Problems are collected as
FILE:ROW:COLUMN lines before anything renders; the rows that are fine still go ahead. A problem with a
column's name is the header's (row 1 of a CSV or sheet, or `defaults`), said once.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.errors import SolidarityError, UsageError
from generator.spelling import did_you_mean, normalise, spellings

UNKNOWN_COLUMN = "unknown column"
VAR_PREFIX = "var."  # a column named var.NAME sets the template variable NAME
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
# `batch` options a spreadsheet might carry as a column: they are for the whole run, not one row
_RUN_OPTIONS = {"out": "-o/--out", "jobs": "--jobs", "force": "--force", "json": "--json", "quiet": "--quiet",
                "dry_run": "--dry-run", "fail_fast": "--fail-fast", "zip": "--zip", "contact_sheet": "--contact-sheet",
                "sheet": "--sheet"}


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | str
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"


@dataclass(frozen=True)
class PlannedPost:
    row: int | str
    row_id: str
    spec: object  # generator.spec.PostSpec


@dataclass
class Plan:
    posts: list[PlannedPost] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    bad_rows: set = field(default_factory=set)


# --- reading ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    number: int | str  # as a spreadsheet shows it
    values: dict  # our column name -> the cell, with the file's defaults applied
    refused: bool = False  # it has something in a column we cannot use
    problems: tuple[Problem, ...] = ()  # what is wrong with its names, said at the first row that has it


@dataclass
class CampaignRows:
    rows: list[Row] = field(default_factory=list)
    file: str = ""  # the file the rows are in, when it is not the campaign file itself
    header_problems: list[Problem] = field(default_factory=list)
    refuse_all: bool = False  # the defaults, which every row takes, have a key we cannot use
    refused_by: dict[str, list[int]] = field(default_factory=dict)  # a header's unusable column: rows it held

    def named_header_problems(self) -> list[Problem]:
        """The header's problems, each naming the rows it holds back: a refused row is never left unnamed."""
        named = []
        for problem in self.header_problems:
            rows = self.refused_by.get(problem.column)
            if rows:
                listed = ", ".join(map(str, rows[:10])) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")
                word = "row" if len(rows) == 1 else "rows"
                problem = replace(problem, message=f"{problem.message} ({word} {listed} not made: "
                                                   f"{'it has' if len(rows) == 1 else 'they have'} a value there)")
            named.append(problem)
        return named


def read_rows(path: Path, sheet: str | None = None) -> CampaignRows:
    """Every row of a campaign file, its column names made ours; `sheet` picks an .xlsx file's sheet."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UsageError(f"campaign file {path}: no such file")
    found = CampaignRows()
    if sheet is not None and suffix not in SPREADSHEET_SUFFIXES and suffix not in (".yaml", ".yml"):
        raise UsageError(f"--sheet {sheet}: {path} is not an .xlsx workbook; --sheet picks a sheet of one")
    if suffix == ".csv":
        _csv_rows(path, str(path), {}, found)
    elif suffix in SPREADSHEET_SUFFIXES:
        _sheet_rows(path, str(path), {}, found, sheet)
    elif suffix == ".json":
        _document_rows(path, _load_json(path), found, None)
    elif suffix in (".yaml", ".yml"):
        _document_rows(path, _load_yaml(path), found, sheet)
    elif suffix in (".xls", ".ods", ".numbers"):
        raise UsageError(f"campaign file {path}: save it as an Excel workbook (.xlsx) or as CSV UTF-8")
    else:
        raise UsageError(f"campaign file {path}: use a .csv, .xlsx, .json or .yaml file")
    return found


def _csv_rows(path: Path, label: str, defaults: Mapping, found: CampaignRows) -> None:
    try:
        text = path.read_text(encoding="utf-8-sig")  # Excel writes a byte-order mark
    except UnicodeDecodeError:
        raise SolidarityError(f"{path}: not UTF-8 text; in Excel choose 'CSV UTF-8' when saving") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text), strict=True)
    try:
        header = next(reader, [])
        columns = _header(label, 1, header, found.header_problems)
        for number, cells in enumerate(reader, start=2):  # row 1 is the header
            if len(cells) > len(header):
                raise SolidarityError(f"{path}:{number}: more cells than header columns; check the delimiter and quotes")
            _table_row(Table(label, 1, header, columns), number, cells, defaults, found)
    except csv.Error as exc:
        raise SolidarityError(f"{path}:{reader.line_num}: {exc}; check the quotes") from None


def _sheet_rows(path: Path, label: str, defaults: Mapping, found: CampaignRows, sheet: str | None) -> None:
    from generator.spreadsheet import read_sheet

    table = read_sheet(path, sheet)
    columns = _header(label, table.header_row, table.header, found.header_problems)
    for number, cells in table.rows:
        _table_row(Table(label, table.header_row, table.header, columns), number, cells, defaults, found)


@dataclass(frozen=True)
class Table:
    """A CSV's or sheet's header: where it is, the names as written, and ours for each (None: none)."""

    label: str
    row: int
    written: list[str]
    columns: list[str | None]


def _table_row(table: Table, number: int, cells: list[str], defaults: Mapping, found: CampaignRows) -> None:
    """One CSV or sheet row: blank rows are skipped, blank cells leave the defaults in place. A row with
    something in a column we cannot use is refused: going ahead would silently drop that cell."""
    cells = [(cell or "").strip() for cell in cells]
    if not any(cells):
        return
    given, refused, problems = {}, False, []
    for index, cell in enumerate(cells):
        title = str((table.written[index] if index < len(table.written) else "") or "").strip()
        name = table.columns[index] if index < len(table.columns) else None
        if not cell:
            continue
        if name is not None:
            given[name] = cell
        elif title:
            refused = True  # its header's problem is said once, naming this row
            found.refused_by.setdefault(title, []).append(number)
        else:
            refused = True
            problems.append(Problem(table.label, number, _column_letter(index),
                                    f"this cell has no column name above it; name the column in row {table.row} "
                                    f"or clear the cell"))
    found.rows.append(Row(number, {**defaults, **given}, refused, tuple(problems)))


def _column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _header(label: str, where: int | str, written: Iterable[str], problems: list[Problem]) -> list[str | None]:
    """Our name for each column as written (None where it has none); a problem for each we cannot use."""
    names: list[str | None] = []
    first_spelling: dict[str, str] = {}
    for text in written:
        text = str(text or "").strip()
        name = our_column_name(text) if text else None
        if text and name is None:
            problems.append(Problem(label, where, text, _unknown_column(text)))
        elif name in first_spelling:
            problems.append(Problem(label, where, text, f"the same column as '{first_spelling[name]}'; keep one of them"))
            name = None
        elif name is not None:
            first_spelling[name] = text
        names.append(name)
    return names


def our_column_name(written: str) -> str | None:
    """The column a header means ('Format', 'image-type', 'var.name'), or None if it is none of ours."""
    text = str(written).strip()
    if text.lower().startswith(VAR_PREFIX) and len(text) > len(VAR_PREFIX):
        return VAR_PREFIX + text[len(VAR_PREFIX):]  # a template variable keeps its case
    return _SPELLINGS.get(normalise(text))


def _unknown_column(written: str) -> str:
    run_option = _RUN_OPTIONS.get(normalise(written))
    if run_option:
        return f"not a column: it is set for the whole run, with `solidarity batch {run_option}`"
    suggestion = did_you_mean(written, _SPELLINGS)
    if suggestion:
        return f"{UNKNOWN_COLUMN}; {suggestion}"
    return (f"{UNKNOWN_COLUMN}; use: {', '.join(COLUMNS)}, or var.{written} for a template variable")


def _sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _load_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise SolidarityError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None


def _load_yaml(path: Path):
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise SolidarityError(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None


def _document_rows(path: Path, document, found: CampaignRows, sheet: str | None) -> None:
    """A list of rows, or {defaults: {...}, rows: [...] or "posts.csv" or "posts.xlsx"}."""
    if isinstance(document, list):
        document = {"rows": document}
    if not isinstance(document, dict) or "rows" not in document:
        raise SolidarityError(f"{path}: expected a list of rows, or 'defaults' and 'rows'")
    unknown = set(document) - {"defaults", "rows"}
    if unknown:
        raise SolidarityError(f"{path}: unknown top-level key '{sorted(unknown)[0]}'; use 'defaults' and 'rows'")
    defaults = document.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise SolidarityError(f"{path}: 'defaults' must be a mapping of column to value")
    defaults, found.refuse_all = _mapping_row(str(path), "defaults", defaults, found.header_problems, set())
    rows = document["rows"]
    if isinstance(rows, str):
        _rows_file(path, rows, defaults, found, sheet)
        return
    if sheet is not None:
        raise UsageError(f"--sheet {sheet}: {path} has its rows inline, not in an .xlsx workbook")
    if not isinstance(rows, list):
        raise SolidarityError(f"{path}: 'rows' must be a list, or the name of a CSV or .xlsx file")
    reported: set[str] = set()
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise SolidarityError(f"{path}:{number}: each row must be a mapping of column to value")
        problems: list[Problem] = []
        values, refused = _mapping_row(str(path), number, row, problems, reported)
        found.rows.append(Row(number, {**defaults, **values}, refused, tuple(problems)))


def _mapping_row(label: str, where: int | str, row: Mapping, problems: list[Problem],
                 reported: set[str]) -> tuple[dict, bool]:
    """A JSON or YAML row (or the defaults) under our column names; whether any name was unusable.

    A name already reported at an earlier row is not reported again, but that row is refused too."""
    keys = [str(key) for key in row]
    local: list[Problem] = []
    names = _header(label, where, keys, local)
    for problem in local:
        if problem.column not in reported:
            reported.add(problem.column)
            problems.append(problem)
    values = {name: value for name, value in zip(names, row.values()) if name is not None}
    return values, bool(local)


def _rows_file(path: Path, name: str, defaults: Mapping, found: CampaignRows, sheet: str | None) -> None:
    rows_path = path.parent / name
    suffix = rows_path.suffix.lower()
    if suffix not in (".csv", *SPREADSHEET_SUFFIXES):
        raise SolidarityError(f"{path}: rows: {name}: name a CSV or .xlsx file beside the campaign file")
    if not rows_path.is_file():
        kind = "a CSV" if suffix == ".csv" else "an .xlsx"
        raise SolidarityError(f"{path}: rows: {name} is not {kind} file beside the campaign file")
    if suffix == ".csv":
        if sheet is not None:
            raise UsageError(f"--sheet {sheet}: {name} is a CSV file, not an .xlsx workbook")
        _csv_rows(rows_path, str(rows_path), defaults, found)
    else:
        _sheet_rows(rows_path, str(rows_path), defaults, found, sheet)
    found.file = str(rows_path)


# --- validating --------------------------------------------------------------------------------------------

def plan_campaign(path: Path, overrides: Mapping | None = None, sheet: str | None = None) -> Plan:
    """Read and validate every row; the specs of good rows, and every problem found.

    A column whose name we cannot use is the header's problem, said once; the rows with something in that
    column are refused (going ahead would drop it), the others go ahead."""
    from generator.compose import check_fits

    plan = Plan()
    found = read_rows(path, sheet)
    label = found.file or str(path)
    plan.problems.extend(found.named_header_problems())
    for row in found.rows:
        number = row.number
        plan.rows += 1
        values = {key: value for key, value in {**row.values, **(overrides or {})}.items() if value is not None}
        problems, specs = _validate_row(label, number, values, path.parent)
        for spec in specs:
            try:
                check_fits(spec)
            except SolidarityError as error:
                problems.append(Problem(label, number, "message", str(error)))
        plan.problems.extend(row.problems)
        plan.problems.extend(problems)
        if problems or row.refused or found.refuse_all:
            plan.bad_rows.add(number)
            continue
        row_id = str(values.get("id", "") or number)
        plan.posts.extend(PlannedPost(number, row_id, spec) for spec in specs)
    if plan.rows == 0:
        raise SolidarityError(f"{path}: no rows to make posts from")
    return plan


def _validate_row(label: str, number, row: dict, base: Path) -> tuple[list[Problem], list]:
    from generator.spec import PostRequest, plan_posts

    problems: list[Problem] = []
    fields = {}
    for column in COLUMNS.values():
        if column.convert is not None and column.name in row:
            try:
                fields.update(column.convert(row[column.name], base))
            except SolidarityError as error:
                problems.append(Problem(label, number, column.name, _in_column_words(str(error))))
    if "kit" in fields:  # the kit's values under the row's own
        from generator.kit import apply_kit

        fields = apply_kit(fields.pop("kit"), fields, set(fields))
    try:
        fields["variables"] = _variables(row)
    except SolidarityError as error:
        problems.append(Problem(label, number, "vars", _in_column_words(str(error))))
    if problems:
        return problems, []
    request = PostRequest(**fields)
    for column, check in _COLUMN_CHECKS:
        try:
            check(request)
        except SolidarityError as error:
            problems.append(Problem(label, number, column, _in_column_words(str(error))))
    if problems:
        return problems, []
    try:
        return [], plan_posts(request)
    except SolidarityError as error:
        return [Problem(label, number, _column_for(error), _in_column_words(str(error)))], []


def _in_column_words(message: str) -> str:
    """A library line as a campaign file says it: the command line's --options become its columns."""
    def column(found: re.Match) -> str:
        name = _SPELLINGS.get(normalise(found.group(1)))
        return f"the {name} column" if name else found.group(0)

    message = re.sub(r"--var ('[^']*'): write it as KEY=VALUE, for example --var name=Anna",
                     r"\1 in the vars column: write each as KEY=VALUE, like name=Anna;city=Minsk", message)
    message = re.sub(r"(?:\b(?:a|an|the)\s+)?--([a-z][a-z-]*)(?:\s+(?:FILE|[a-z]+=VALUE)\b)?", column, message)
    return message.replace("pass it with the", "give it in the").replace("pass the", "fill in the")


def _text(value) -> str:
    if isinstance(value, (dict, list)):
        raise UsageError("expected text, not a list or mapping")
    if isinstance(value, bool):
        raise UsageError(f"expected text, not {str(value).lower()}")
    return str(value)


def _list(value) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(item).strip() for item in value if str(item).strip())
    return tuple(part for part in _text(value).replace(",", " ").replace("|", " ").split() if part)


def _path(value, base: Path) -> str:
    path = Path(_text(value)).expanduser()
    return str(path if path.is_absolute() else base / path)


def _flower(value, base: Path) -> dict:
    text = _text(value)
    from generator.flowers import GROW_PREFIX, bundled

    if text.startswith(GROW_PREFIX) or text in bundled():
        return {"flower": text}
    return {"flower": _path(text, base)}


def _focus(value, base: Path) -> dict:
    from generator.flowers.focus import parse_focus

    return {"focus": parse_focus(",".join(map(str, value)) if isinstance(value, list) else _text(value))}


def _animate(value, base: Path) -> dict:
    if isinstance(value, bool):  # YAML reads yes and no as booleans
        return {"animate": value}
    if isinstance(value, (dict, list)):
        raise UsageError("expected yes or no, not a list or mapping; write yes to also make the post's animated MP4")
    text = str(value).strip().lower()
    if text in ("yes", "true", "1", "y", "x"):
        return {"animate": True}
    if text in ("no", "false", "0", "n", ""):
        return {"animate": False}
    raise UsageError(f"'{value}' is not yes or no; write yes to also make the post's animated MP4")


@dataclass(frozen=True)
class Column:
    name: str
    spellings: tuple[str, ...]  # also accepted: `make`'s own name for the option, the singular or plural
    convert: Callable[[object, Path], dict] | None  # the cell -> PostRequest fields; None: not a post's field


COLUMNS: dict[str, Column] = {column.name: column for column in (
    Column("id", (), None),
    Column("flower", (), _flower),
    Column("focus", (), _focus),
    Column("message", (), lambda v, b: {"message": _text(v)}),
    Column("template", (), lambda v, b: {"template": _path(v, b) if _text(v).endswith(".j2") else _text(v)}),
    Column("vars", ("var", "variables"), None),  # read with the var.NAME columns, by _variables
    Column("lang", ("language",), lambda v, b: {"language": _text(v)}),
    Column("formats", ("format",), lambda v, b: {"formats": _list(v)}),
    Column("style", (), lambda v, b: {"style": _text(v)}),
    Column("tags", ("tag",), lambda v, b: {"tags": _list(v)}),
    Column("hashtags", ("hashtag",), lambda v, b: {"hashtags": _list(v)}),
    Column("image_type", ("image-type",), lambda v, b: {"image_type": _text(v)}),
    Column("font", (), lambda v, b: {"font": _path(v, b)}),
    Column("templates", (), lambda v, b: {"templates": _path(v, b)}),
    Column("kit", (), lambda v, b: {"kit": _kit(_path(v, b))}),
    Column("animate", (), _animate),  # yes: also the post's NAME.mp4
)}
"""Every column a campaign row may have, in the order the help lists them. A new `make` option becomes a
column with one line here (and its test)."""

_SPELLINGS = spellings({column.name: column.spellings for column in COLUMNS.values()})


def _kit(path: str):
    from generator.kit import load_kit

    return load_kit(path)


def _variables(row: dict) -> dict[str, str]:
    from generator.messages import parse_vars

    values: dict[str, str] = {}
    given = row.get("vars")
    if isinstance(given, dict):
        values.update({str(k): _text(v) for k, v in given.items()})
    elif given:
        values.update(parse_vars([pair for pair in _text(given).split(";") if pair.strip()]))
    values.update({key[len(VAR_PREFIX):]: _text(value) for key, value in row.items()
                   if str(key).startswith(VAR_PREFIX)})
    return values


def _check_formats(request) -> None:
    from generator.formats import resolve_formats

    resolve_formats(request.formats)


def _check_language(request) -> None:
    from generator.messages import get_language

    get_language(request.language, Path(request.templates) if request.templates else None)


def _check_style(request) -> None:
    from generator.styles import get_style

    get_style(request.style)


def _check_flower(request) -> None:
    from generator.flowers import resolve_flower

    resolve_flower(request.flower, request.focus)


_COLUMN_CHECKS = (("formats", _check_formats), ("lang", _check_language), ("style", _check_style),
                  ("flower", _check_flower))


def _column_for(error: SolidarityError) -> str:
    text = str(error)
    for prefix, column in (("--var", "vars"), ("template", "template"), ("--tag", "tags"), ("--hashtag", "hashtags"),
                           ("--image-type", "image_type"), ("--font", "font"), ("--templates", "templates")):
        if text.startswith(prefix):
            return column
    return "message"
