"""Message templates in a Jinja sandbox, and the caption and alt text that go beside each post."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping, NamedTuple

from generator import counting
from generator.describe import Picture, describe
from generator.errors import CAPTION_TOO_LONG, MESSAGE_EMPTY, MESSAGE_TOO_LONG, LayoutError, TemplateError, UsageError
from generator.layout import collapse_spaces
from generator.resources import data_dir

DEFAULT_LANGUAGE = "en"
DEFAULT_TEMPLATE = "thank-you"
DEFAULT_TAGS = ("@amnesty",)
DEFAULT_HASHTAGS = ("#StandWithBelarus",)
# What a tag and a hashtag may be: the platforms' own rules for handles and topic tags.
# An account: a handle, or on Mastodon a handle and its server (@amnesty@mastodon.social).
_HOST_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
TAG_PATTERN = re.compile(rf"@[A-Za-z0-9_.]{{1,30}}(?:@{_HOST_LABEL}(?:\.{_HOST_LABEL})+)?\Z")
HASHTAG_PATTERN = re.compile(r"#\w{1,100}\Z")
MAX_MESSAGE_CHARS = 2000
MAX_TEMPLATE_BYTES = 100_000
_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class MessageTemplate:
    id: str
    language: str
    title: str
    source: str
    variables: tuple[str, ...] = ()
    defaults: Mapping[str, str] = field(default_factory=dict)  # variables without one must be given
    origin: str = ""  # where the template came from, for error messages

    def render(self, values: Mapping[str, str]) -> str:
        unknown = sorted(set(values) - set(self.variables))
        if unknown:
            accepted = ", ".join(self.variables) or "no variables"
            raise UsageError(f"--var {unknown[0]}: template {self.origin} has no such variable; it accepts: {accepted}")
        return _tidy(render_sandboxed(self.source, {**self.defaults, **values}, self.origin))


class Language(NamedTuple):  # not a dataclass: an eighth of the import cost, paid by every cold `make`
    code: str
    name: str
    direction: str
    caption: str
    alt: str
    picture: Mapping[str, object]  # the words that describe a picture (see generator.describe)
    messages: Mapping[str, MessageTemplate]

    @property
    def flowers(self) -> Mapping[str, str]:
        """Each species' name in this language."""
        species = self.picture.get("species", {})
        return {key: str(entry.get("name", key)) for key, entry in species.items() if isinstance(entry, Mapping)}


def _tidy(text: str) -> str:
    lines = [collapse_spaces(line) for line in text.strip().splitlines()]
    return "\n".join(line for line in lines if line)


# --- the sandbox -------------------------------------------------------------------------------------------

def render_sandboxed(source: str, values: Mapping[str, object], origin: str) -> str:
    """Render untrusted template text: no attribute walking, no undefined names, bounded output."""
    from generator import sandbox

    try:
        text = sandbox.render(source, values)
    except Exception as exc:  # a template is user code: any failure inside it is a template error
        raise _template_error(exc, origin) from None
    if len(text) > MAX_MESSAGE_CHARS:
        raise TemplateError(f"template {origin}: produced {len(text)} characters; a post holds far fewer")
    return text


def _template_error(exc: Exception, origin: str) -> TemplateError:
    # Jinja is imported only once a template has failed: a plain template renders without it (see sandbox)
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    from generator.sandbox import TemplateLimitExceeded

    if isinstance(exc, TemplateSyntaxError):
        return TemplateError(f"template {origin}, line {exc.lineno}: {exc.message}")
    if isinstance(exc, UndefinedError):
        name = _undefined_name(str(exc))
        hint = f"; pass it with --var {name}=VALUE" if name else ""
        return TemplateError(f"template {origin}: {exc.message}{hint}")
    if isinstance(exc, SecurityError):
        return TemplateError(f"template {origin}: refused an unsafe operation ({exc})")
    if isinstance(exc, TemplateLimitExceeded):
        return TemplateError(f"template {origin}: stopped: {exc}")
    if isinstance(exc, RecursionError):
        return TemplateError(f"template {origin}: stopped: recursion too deep")
    return TemplateError(f"template {origin}: {type(exc).__name__}: {exc}")


def _undefined_name(message: str) -> str | None:
    found = re.match(r"'([A-Za-z_][A-Za-z0-9_]*)' is undefined", message)
    return found.group(1) if found else None


# --- the catalogue -----------------------------------------------------------------------------------------

def languages(extra: Path | None = None) -> Mapping[str, Language]:
    """The bundled catalogue, with a campaign's own folder (--templates) laid over it."""
    return _catalogue(Path(extra).resolve() if extra else None)


@cache
def _catalogue(extra: Path | None) -> Mapping[str, Language]:
    found = {language.code: language for language in map(_bundled_file, sorted(data_dir("templates").glob("*.toml")))}
    if extra is not None:
        if not extra.is_dir():
            raise UsageError(f"--templates {extra}: no such folder")
        for language in _read_folder(extra, found):
            found[language.code] = language
        if not any(extra.glob("*.toml")):
            raise UsageError(f"--templates {extra}: the folder holds no LANGUAGE.toml files")
    return MappingProxyType(found)


def _read_folder(folder: Path, base: Mapping[str, Language]) -> list[Language]:
    return [_read_language(path, base) for path in sorted(folder.glob("*.toml"))]


@cache
def _bundled_file(path: Path) -> Language:
    return _read_language(path, {})


_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\Z")


def _bundled_language(code: str) -> Language | None:
    """One bundled language read from its own CODE.toml, without parsing the other catalogues (a single
    `make` needs one); None when there is no such file, and the whole catalogue decides."""
    if not _LANGUAGE_CODE.match(code):
        return None
    path = data_dir("templates") / f"{code}.toml"
    if not path.is_file():
        return None
    language = _bundled_file(path)
    return language if language.code == code else None


def get_language(code: str, extra: Path | None = None) -> Language:
    if extra is None:
        language = _bundled_language(code)
        if language is not None:
            return language
    available = languages(extra)
    try:
        return available[code]
    except KeyError:
        raise UsageError(f"unknown language '{code}'; choose one of: {', '.join(available)}") from None


def _read_language(path: Path, base: Mapping[str, Language]) -> Language:
    """One LANGUAGE.toml; in a campaign folder, what it leaves out comes from the bundled language."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        code = data["language"]
        inherited = base.get(code)
        messages = {
            message_id: MessageTemplate(
                id=message_id,
                language=code,
                title=entry["title"],
                source=entry["text"],
                variables=tuple(sorted(entry.get("vars", {}))),
                defaults=MappingProxyType({k: str(v) for k, v in entry.get("vars", {}).items()}),
                origin=f"'{message_id}' ({path.name})",
            )
            for message_id, entry in data.get("messages", {}).items()
        }
        if inherited:
            return Language(code, data.get("name", inherited.name), data.get("direction", inherited.direction),
                            data.get("caption", inherited.caption), data.get("alt", inherited.alt),
                            _merged(inherited.picture, data.get("picture", {})),
                            MappingProxyType({**inherited.messages, **messages}))
        return Language(code, data["name"], data.get("direction", "ltr"), data["caption"], data["alt"],
                        _merged({}, data.get("picture", {})), MappingProxyType(messages))
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"template catalogue {path}: not valid TOML ({exc})") from None
    except KeyError as exc:
        raise TemplateError(f"template catalogue {path}: missing the key {exc}") from None
    except (TypeError, AttributeError, UnicodeDecodeError) as exc:
        raise TemplateError(f"template catalogue {path}: malformed ({exc})") from None


def _merged(base: Mapping[str, object], over: Mapping[str, object]) -> Mapping[str, object]:
    """A campaign's picture words laid over the bundled ones, table by table (one species, one colour...)."""
    if not isinstance(over, Mapping):
        raise TypeError("[picture] must be a table")
    merged = dict(base)
    for key, value in over.items():
        inner = merged.get(key)
        merged[key] = _merged(inner, value) if isinstance(value, Mapping) and isinstance(inner, Mapping) else value
    return MappingProxyType(merged)


def find_template(template: str, language: str, extra: Path | None = None) -> MessageTemplate:
    """A catalogue template by id in `language`, or a .j2 file by path."""
    if template.endswith(".j2") or "/" in template or "\\" in template:
        return template_from_file(Path(template), language)
    lang = get_language(language, extra)
    if template in lang.messages:
        return lang.messages[template]
    elsewhere = sorted(code for code, other in languages(extra).items() if template in other.messages)
    if elsewhere:
        raise UsageError(f"template '{template}' has no {language} version; it exists in: {', '.join(elsewhere)}")
    raise UsageError(f"unknown template '{template}'; see `solidarity templates list` for the ids")


def template_from_file(path: Path, language: str) -> MessageTemplate:
    from jinja2 import TemplateSyntaxError, meta

    from generator import sandbox

    try:
        if not path.exists():
            raise FileNotFoundError(path)
        if not path.is_file() or path.stat().st_size > MAX_TEMPLATE_BYTES:
            raise TemplateError(f"template {path}: not a text file of at most {MAX_TEMPLATE_BYTES // 1000} kB")
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"template {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"template {path}: cannot be read as UTF-8 text ({exc})") from None
    try:
        variables = meta.find_undeclared_variables(sandbox.environment().parse(source))
    except TemplateSyntaxError as exc:
        raise TemplateError(f"template {path}, line {exc.lineno}: {exc.message}") from None
    return MessageTemplate(id=path.stem, language=language, title=path.name, source=source,
                           variables=tuple(sorted(variables)), origin=str(path))


def parse_vars(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not _VAR_NAME.match(key.strip()):
            raise UsageError(f"--var '{pair}': write it as KEY=VALUE, for example --var name=Anna")
        values[key.strip()] = value
    return values


def literal_message(text: str) -> str:
    """A message typed by the user: used as it is (never a template), whitespace tidied."""
    tidy = _tidy(text)
    if not _has_something_to_see(tidy):
        raise UsageError("--message is empty; write a few words of solidarity", MESSAGE_EMPTY)
    if len(tidy) > MAX_MESSAGE_CHARS:
        raise LayoutError(f"--message has {len(tidy):,} characters, {len(tidy) - MAX_MESSAGE_CHARS:,} over the "
                          f"{MAX_MESSAGE_CHARS:,} any post can hold; shorten it", MESSAGE_TOO_LONG,
                          over=len(tidy) - MAX_MESSAGE_CHARS)
    return tidy


def _has_something_to_see(text: str) -> bool:
    """False for text of spaces and invisible format characters only (zero-width space, word joiner, BOM,
    direction marks): it would make a post with no words on it."""
    return any(not char.isspace() and unicodedata.category(char) not in ("Cf", "Zs", "Zl", "Zp") for char in text)


def refuse_control_characters(text: str, what: str) -> None:
    """Control characters (escape codes, NUL...) would be drawn as boxes and replayed by a terminal."""
    for char in text:
        if char != "\n" and unicodedata.category(char) == "Cc":
            raise UsageError(f"{what} contains the control character U+{ord(char):04X}; remove it")


# --- caption and alt text ----------------------------------------------------------------------------------

def tag_line(tags: tuple[str, ...], hashtags: tuple[str, ...]) -> tuple[str, ...]:
    return (*tags, *hashtags)


def caption(language: Language, message: str, tags: tuple[str, ...]) -> str:
    return _tidy_block(render_sandboxed(language.caption, {"message": message, "tags": tags},
                                        f"caption ({language.code})"))


def alt_text(language: Language, message: str, picture: Picture, tags: tuple[str, ...] = ()) -> str:
    """The picture described as fully as the language's words allow, then the message, ending with one full
    stop. The catalogue leaves the tags out (the caption has them, and a screen reader would read them
    twice); `tags` is there for a campaign's own `alt` template that wants them."""
    words = {"picture": describe(picture, language.picture, language.code),
             "message": _without_final_full_stop(collapse_spaces(message)), "tags": tags}
    text = collapse_spaces(render_sandboxed(language.alt, words, f"alt text ({language.code})"))
    return _ENDS_WITH_OWN_MARK.sub(r"\1", text)


def _without_final_full_stop(message: str) -> str:
    """The alt text's own full stop follows the quoted message, so the message's final one goes (an ellipsis stays)."""
    return message[:-1] if message.endswith(".") and not message.endswith("..") else message


# A message ending in ! or ? already ends its sentence: no full stop after its closing quote.
_ENDS_WITH_OWN_MARK = re.compile(r"([!?؟][\u00a0\u202f]?[»”“\"])\.$")


def _tidy_block(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def check_limit(kind: str, text: str, limit: int | None, counting_rule: str, format_name: str) -> None:
    if limit is None:
        return
    size = counting.length(text, counting_rule)
    if size > limit:
        units = {"x-weighted": "weighted characters", "threads": "characters (an emoji counting its UTF-8 bytes)"}
        unit = units.get(counting_rule, "characters")
        raise LayoutError(f"{format_name}: the {kind} is {size} {unit}, {size - limit} over the limit of {limit}; "
                          f"shorten the message or drop some tags", CAPTION_TOO_LONG, over=size - limit,
                          format=format_name, part=kind)
