"""A Jinja sandbox with bounds: untrusted template text can neither reach Python internals nor run away.

Jinja's SandboxedEnvironment already refuses attribute walks such as ``__class__`` and ``__globals__``.
On top of it: StrictUndefined, no compile-time constant folding (which would evaluate a hostile
expression while parsing), integer arguments capped (``"x"|center(10**9)``, ``range(10**9)``), a budget
of executed template lines (nested loops), and a cap on the characters produced.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from functools import cache, lru_cache

MAX_OUTPUT_CHARS = 10_000
MAX_LINES_RUN = 200_000
MAX_INTEGER_ARGUMENT = 10_000
TEMPLATE_FILENAME = "<template>"


class TemplateLimitExceeded(Exception):
    """The template tried to do more work than any message needs."""


@cache
def environment():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedSandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%"})

        def call(self, __context, __obj, *args, **kwargs):
            _check_arguments(args, kwargs)
            return super().call(__context, __obj, *args, **kwargs)

        def call_binop(self, context, operator, left, right):
            if operator == "**" and _is_large_number(right, 64):
                raise TemplateLimitExceeded("an exponent too large")
            if operator == "*" and _product_too_large(left, right):
                raise TemplateLimitExceeded("a repetition too large")
            if operator == "%" and isinstance(left, str):
                _check_format_string(left)
            return super().call_binop(context, operator, left, right)

    sandbox = BoundedSandbox(undefined=StrictUndefined, autoescape=False, optimized=False)
    sandbox.filters = {name: _bounded(function) for name, function in sandbox.filters.items()}
    sandbox.globals["range"] = _bounded_range
    return sandbox


def render(source: str, values: Mapping[str, object]) -> str:
    """Render untrusted template source within the limits; Jinja's own errors pass through."""
    plain = _render_plain(source, values)
    if plain is not None:
        return plain
    template = _compiled(source)
    pieces: list[str] = []
    produced = 0
    with _line_budget(MAX_LINES_RUN):
        for piece in template.generate(**values):
            produced += len(piece)
            if produced > MAX_OUTPUT_CHARS:
                raise TemplateLimitExceeded(f"more than {MAX_OUTPUT_CHARS:,} characters of output")
            pieces.append(piece)
    return "".join(pieces)


@lru_cache(maxsize=256)
def _compiled(source: str):
    """Compiled once per text: a campaign renders the same caption template for every row."""
    return environment().from_string(source)


def _bounded(function):
    def bounded(*args, **kwargs):
        _check_arguments(args, kwargs)
        _check_growth(args, kwargs)
        return function(*args, **kwargs)

    for attribute in ("jinja_pass_arg",):  # keep Jinja's context/environment passing markers
        if hasattr(function, attribute):
            setattr(bounded, attribute, getattr(function, attribute))
    return bounded


def _bounded_range(*args):
    _check_arguments(args, {})
    return range(*args)


def _check_arguments(args, kwargs) -> None:
    for value in (*args, *kwargs.values()):
        if _is_large_number(value, MAX_INTEGER_ARGUMENT):
            raise TemplateLimitExceeded(f"a number argument over {MAX_INTEGER_ARGUMENT:,}")


def _check_growth(args, kwargs) -> None:
    """Filters that can multiply text (format widths, replace on every gap) are checked before they run."""
    strings = [value for value in (*args, *kwargs.values()) if isinstance(value, str)]
    for text in strings:
        _check_format_string(text)
    if len(strings) >= 2 and (len(strings[0]) + 1) * max(map(len, strings[1:])) > MAX_OUTPUT_CHARS * 10:
        raise TemplateLimitExceeded("a text operation too large")  # e.g. replace() on every gap of a long text


def _check_format_string(text: str) -> None:
    if _WIDE_FIELD.search(text):
        raise TemplateLimitExceeded("a format width too large")


_WIDE_FIELD = re.compile(r"[%{][^%{}]*?\d{5,}")


def _is_large_number(value, limit: int) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > limit


def _product_too_large(left, right) -> bool:
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, (str, list, tuple)) and isinstance(count, int):
            return len(sequence) * count > MAX_OUTPUT_CHARS
    return _is_large_number(left, 10**12) or _is_large_number(right, 10**12)


class _line_budget:
    """Counts the template's executed lines through a trace function and stops a runaway loop."""

    def __init__(self, limit: int):
        self.limit = limit
        self.count = 0

    def __enter__(self):
        self.previous = sys.gettrace()
        sys.settrace(self._on_call)
        return self

    def __exit__(self, *exc):
        sys.settrace(self.previous)
        return False

    def _on_call(self, frame, event, arg):
        if frame.f_code.co_filename == TEMPLATE_FILENAME:
            return self._on_line
        return None

    def _on_line(self, frame, event, arg):
        if event == "line":
            self.count += 1
            if self.count > self.limit:
                raise TemplateLimitExceeded(f"more than {self.limit:,} steps (a loop that runs away?)")
            _check_values(frame.f_locals.values())
        return self._on_line


def _check_values(values) -> None:
    """Text built up in variables (doubling a namespace attribute, say) is stopped long before memory runs out."""
    for value in values:
        attributes = getattr(value, "_Namespace__attrs", None)
        for item in (value, *(attributes.values() if isinstance(attributes, dict) else ())):
            if isinstance(item, (str, list, tuple)) and len(item) > MAX_OUTPUT_CHARS * 10:
                raise TemplateLimitExceeded("a value far larger than any message")


# --- the plain subset, without Jinja -------------------------------------------------------------------------
# Every bundled template is names, `join` and `if`s on names: rendered here exactly as Jinja renders them, a
# single `make` need not import and set up Jinja (a fifth of its Python time). Anything else, or a name that is
# not given, goes to Jinja, which renders it or reports the error.

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_PLAIN_TAG = re.compile(
    r"\{\{ *(?P<name>" + _NAME + r') *(?:\| *join\("(?P<separator>[^"\\%{}]*)"\) *)?\}\}'
    r"|\{% *(?:(?P<end>endif)|if +(?P<condition>" + _NAME + r"(?: +(?:and|or) +" + _NAME + r")*)) *%\}")
_DELIMITERS = ("{{", "{%", "{#")
_JINJA_WORDS = frozenset({"true", "false", "none", "True", "False", "None", "and", "or", "not", "in", "is",
                          "if", "else", "elif", "endif", "for", "endfor", "loop", "range"})


def _render_plain(source: str, values: Mapping[str, object]) -> str | None:
    """`source` rendered as Jinja would, if it is only text, {{ name }}, {{ name | join("...") }} and
    {% if a %} / {% if a and b %} / {% if a or b %} ... {% endif %} on given text values; else None."""
    if "\r" in source:  # Jinja normalises line endings: left to it
        return None
    if source.endswith("\n"):  # Jinja drops one final newline (keep_trailing_newline is off)
        source = source[:-1]
    pieces: list[str] = []
    showing = [True]  # one entry per open {% if %}: whether its body is output
    position = 0
    for tag in _PLAIN_TAG.finditer(source):
        text = source[position:tag.start()]
        # "{{{name}}": Jinja's tag starts one brace earlier, so it is not this one
        if text.endswith("{") or any(delimiter in text for delimiter in _DELIMITERS):
            return None
        if showing[-1]:
            pieces.append(text)
        position = tag.end()
        if tag["end"]:
            if len(showing) == 1:
                return None
            showing.pop()
        elif tag["condition"]:
            met = _condition(tag["condition"], values)
            if met is None:
                return None
            showing.append(showing[-1] and met)
        else:
            value = _plain_value(tag["name"], values, joined=tag["separator"] is not None)
            if value is None:
                return None
            if showing[-1]:
                pieces.append(tag["separator"].join(value) if tag["separator"] is not None else value)
    rest = source[position:]
    if len(showing) != 1 or any(delimiter in rest for delimiter in _DELIMITERS):
        return None
    pieces.append(rest)
    text = "".join(pieces)
    return text if len(text) <= MAX_OUTPUT_CHARS else None


def _condition(condition: str, values: Mapping[str, object]) -> bool | None:
    words = condition.split()
    names, operators = words[::2], set(words[1::2])
    if len(operators) > 1:  # and binds tighter than or: left to Jinja
        return None
    found = [_plain_value(name, values, joined=False) for name in names]
    if any(value is None for value in found):
        return None
    return all(found) if operators == {"and"} else any(found)


def _plain_value(name: str, values: Mapping[str, object], joined: bool):
    if name in _JINJA_WORDS or name not in values:
        return None
    value = values[name]
    if joined:
        ok = isinstance(value, (tuple, list)) and all(type(item) is str for item in value)
    else:
        ok = type(value) is str
    return value if ok else None
