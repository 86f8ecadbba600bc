"""Campaign files (CSV, JSON, YAML) read into validated posts, every problem reported at once.

A row may set anything `make` takes. Problems are collected as FILE:ROW:COLUMN lines before anything
renders; the rows that are fine still go ahead.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import SolidarityError, UsageError

COLUMNS = ("id", "flower", "focus", "message", "template", "vars", "lang", "formats", "style", "tags", "hashtags",
           "image_type", "font", "templates", "kit")
UNKNOWN_COLUMN = "unknown column"
VAR_PREFIX = "var."  # a column named var.NAME sets the template variable NAME
LIST_COLUMNS = ("formats", "tags", "hashtags")
PATH_COLUMNS = ("font", "templates")


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

def read_rows(path: Path) -> Iterator[tuple[int | str, dict]]:
    """(row number as a spreadsheet shows it, raw row with the file's defaults applied), one at a time."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UsageError(f"campaign file {path}: no such file")
    if suffix == ".csv":
        yield from _csv_rows(path, {})
    elif suffix == ".json":
        yield from _document_rows(path, _load_json(path))
    elif suffix in (".yaml", ".yml"):
        yield from _document_rows(path, _load_yaml(path))
    else:
        raise UsageError(f"campaign file {path}: use a .csv, .json or .yaml file")


def _csv_rows(path: Path, defaults: Mapping) -> Iterator[tuple[int, dict]]:
    try:
        text = path.read_text(encoding="utf-8-sig")  # Excel writes a byte-order mark
    except UnicodeDecodeError:
        raise SolidarityError(f"{path}: not UTF-8 text; in Excel choose 'CSV UTF-8' when saving") from None
    dialect = _sniff_delimiter(text)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=dialect, strict=True)
    try:
        for number, row in enumerate(reader, start=2):  # row 1 is the header
            if None in row:
                raise SolidarityError(f"{path}:{number}: more cells than header columns; check the delimiter and quotes")
            cleaned = {_column_name(key): (value or "").strip() for key, value in row.items() if key is not None}
            if any(cleaned.values()):
                yield number, {**defaults, **{k: v for k, v in cleaned.items() if v != ""}}
    except csv.Error as exc:
        raise SolidarityError(f"{path}:{reader.line_num}: {exc}; check the quotes") from None


def _column_name(header: str) -> str:
    """Headers as typed in a spreadsheet: 'Message ' means message; var.NAME keeps its NAME's case."""
    name = header.strip()
    return name if name.lower().startswith(VAR_PREFIX) else name.lower()


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


def _document_rows(path: Path, document) -> Iterator[tuple[int | str, dict]]:
    """A list of rows, or {defaults: {...}, rows: [...] or "posts.csv"}."""
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
    rows = document["rows"]
    if isinstance(rows, str):
        if not (path.parent / rows).is_file():
            raise SolidarityError(f"{path}: rows: {rows} is not a CSV file beside the campaign file")
        yield from _csv_rows((path.parent / rows), defaults)
        return
    if not isinstance(rows, list):
        raise SolidarityError(f"{path}: 'rows' must be a list, or the name of a CSV file")
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise SolidarityError(f"{path}:{number}: each row must be a mapping of column to value")
        yield number, {**defaults, **row}


# --- validating --------------------------------------------------------------------------------------------

def plan_campaign(path: Path, overrides: Mapping | None = None) -> Plan:
    """Read and validate every row; the specs of good rows, and every problem found."""
    from generator.compose import check_fits

    plan = Plan()
    label = str(path)
    reported_columns: set[str] = set()
    for number, raw in read_rows(path):
        plan.rows += 1
        row = {key: value for key, value in {**raw, **(overrides or {})}.items() if value is not None}
        problems, specs = _validate_row(label, number, row, path.parent)
        for spec in specs:
            try:
                check_fits(spec)
            except SolidarityError as error:
                problems.append(Problem(label, number, "message", str(error)))
        if problems:
            plan.problems.extend(problem for problem in problems if _first_time(problem, reported_columns))
            plan.bad_rows.add(number)
            continue
        row_id = str(row.get("id", "") or number)
        plan.posts.extend(PlannedPost(number, row_id, spec) for spec in specs)
    if plan.rows == 0:
        raise SolidarityError(f"{path}: no rows to make posts from")
    return plan


def _first_time(problem: Problem, reported_columns: set[str]) -> bool:
    """An unknown column is said once, at the first row that has it, not again for every row."""
    if not problem.message.startswith(UNKNOWN_COLUMN):
        return True
    if problem.column in reported_columns:
        return False
    reported_columns.add(problem.column)
    return True


def _validate_row(label: str, number, row: dict, base: Path) -> tuple[list[Problem], list]:
    from generator.spec import PostRequest, plan_posts

    problems: list[Problem] = []
    unknown = [key for key in row if key not in COLUMNS and not str(key).startswith(VAR_PREFIX)]
    for key in unknown:
        problems.append(Problem(label, number, str(key), f"{UNKNOWN_COLUMN}; use: {', '.join(COLUMNS)} or var.NAME"))
    fields = {}
    for column, convert in _CONVERTERS.items():
        if column in row:
            try:
                fields.update(convert(row[column], base))
            except SolidarityError as error:
                problems.append(Problem(label, number, column, str(error)))
    if "kit" in fields:  # the kit's values under the row's own
        from generator.kit import apply_kit

        fields = apply_kit(fields.pop("kit"), fields, set(fields))
    try:
        fields["variables"] = _variables(row)
    except SolidarityError as error:
        problems.append(Problem(label, number, "vars", str(error)))
    if problems:
        return problems, []
    request = PostRequest(**fields)
    for column, check in _COLUMN_CHECKS:
        try:
            check(request)
        except SolidarityError as error:
            problems.append(Problem(label, number, column, str(error)))
    if problems:
        return problems, []
    try:
        return [], plan_posts(request)
    except SolidarityError as error:
        return [Problem(label, number, _column_for(error), str(error))], []


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


_CONVERTERS = {
    "flower": _flower,
    "focus": _focus,
    "message": lambda v, b: {"message": _text(v)},
    "template": lambda v, b: {"template": _path(v, b) if _text(v).endswith(".j2") else _text(v)},
    "lang": lambda v, b: {"language": _text(v)},
    "formats": lambda v, b: {"formats": _list(v)},
    "style": lambda v, b: {"style": _text(v)},
    "tags": lambda v, b: {"tags": _list(v)},
    "hashtags": lambda v, b: {"hashtags": _list(v)},
    "image_type": lambda v, b: {"image_type": _text(v)},
    "font": lambda v, b: {"font": _path(v, b)},
    "templates": lambda v, b: {"templates": _path(v, b)},
    "kit": lambda v, b: {"kit": _kit(_path(v, b))},
}


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


# --- animated posts: an `animate` column (yes/no) also writes each post's NAME.mp4 -------------------------

def _animate(value, base: Path) -> dict:
    text = str(value).strip().lower()
    if text in ("yes", "true", "1", "y", "x"):
        return {"animate": True}
    if text in ("no", "false", "0", "n", ""):
        return {"animate": False}
    raise UsageError(f"'{value}' is not yes or no; write yes to also make the post's animated MP4")


COLUMNS += ("animate",)
_CONVERTERS["animate"] = _animate

