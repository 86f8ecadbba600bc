"""Campaign kits: a team's colours, style, font, logo, tags and message in one TOML file, so that every post
the team makes looks like theirs.

    style = "banner"
    font = "fonts/Campaign-Bold.ttf"      # paths are relative to the kit file
    lang = "be"
    template = "thank-you"                # a template id, or a .j2 file
    tags = ["@amnesty_be"]
    hashtags = ["#FreeBelarusMedics"]

    [colours]                             # any of the three; "#rgb" works too
    panel = "#1d1d1b"
    text = "#ffffff"
    accent = "#ffff00"

    [logo]
    file = "logo.png"                     # PNG transparency is kept
    position = "top-left"                 # top-left, top-right, bottom-left or bottom-right
    width = 0.18                          # a fraction of the canvas width

A kit's values are defaults: whatever the command line (or a campaign row) gives wins. Every bad value is
refused with one line naming the key.
"""

from __future__ import annotations


import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from generator.digests import file_sha256
from generator.errors import UsageError
from generator.spelling import did_you_mean, normalise, spellings
from generator.styles import Palette, parse_colour

POSITIONS = ("top-left", "top-right", "bottom-left", "bottom-right")
LOGO_WIDTH = (0.03, 0.5)
MAX_LOGO_PIXELS = 4096 * 4096
# each key a kit may set -> its other accepted spellings (`make`'s option name, the singular or plural)
KEYS: dict[str, tuple[str, ...]] = {"style": (), "font": (), "lang": ("language",), "template": (),
                                    "tags": ("tag",), "hashtags": ("hashtag",),
                                    "colours": ("colors", "colour", "color"), "logo": ()}
_KEY_SPELLINGS = spellings(KEYS)
COLOUR_KEYS = ("panel", "text", "accent")
LOGO_KEYS = ("file", "position", "width")

# kit key -> PostRequest field
_REQUEST_FIELDS = {"style": "style", "font": "font", "lang": "language", "template": "template", "tags": "tags",
                   "hashtags": "hashtags"}


@dataclass(frozen=True)
class Logo:
    path: Path
    digest: str  # sha256 of the file: a changed logo changes the post's name
    position: str = "top-right"
    width: float = 0.18

    def as_json(self) -> list:
        return [self.digest, self.position, self.width]


@dataclass(frozen=True)
class Kit:
    path: Path
    style: str | None = None
    font: str | None = None
    language: str | None = None
    template: str | None = None
    tags: tuple[str, ...] | None = None
    hashtags: tuple[str, ...] | None = None
    palette: Palette | None = None
    logo: Logo | None = None

    def defaults(self) -> dict:
        """The PostRequest fields this kit sets."""
        values = {"style": self.style, "font": self.font, "language": self.language, "template": self.template,
                  "tags": self.tags, "hashtags": self.hashtags, "palette": self.palette, "logo": self.logo}
        return {key: value for key, value in values.items() if value is not None}


def load_kit(path: str | Path) -> Kit:
    """Read and check a kit file completely; UsageError naming the key for the first bad value."""
    path = Path(path)
    label = f"kit {path}"
    if not path.is_file():
        raise UsageError(f"{label}: no such file" if not path.exists() else f"{label}: is not a file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise UsageError(f"{label}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{label}: not valid TOML ({error})") from None
    return _Reader(label, path.parent).kit(path, data)


class _Reader:
    def __init__(self, label: str, base: Path):
        self.label = label
        self.base = base

    def fail(self, key: str, problem: str) -> UsageError:
        return UsageError(f"{self.label}: {key}: {problem}")

    def kit(self, path: Path, data: dict) -> Kit:
        data = self.our_keys(data)
        language = self.language(data.get("lang"))
        return Kit(path, style=self.style(data.get("style")), font=self.font(data.get("font")), language=language,
                   template=self.template(data.get("template"), language),
                   tags=self.tags("tags", data.get("tags"), "@", "@amnesty_pl"),
                   hashtags=self.tags("hashtags", data.get("hashtags"), "#", "#FreeMedics"),
                   palette=self.palette(data.get("colours")), logo=self.logo(data.get("logo")))

    def our_keys(self, data: dict) -> dict:
        """The kit's keys under our names, however they are spelled; UsageError for one we cannot use."""
        ours: dict = {}
        written: dict[str, str] = {}
        for key, value in data.items():
            name = _KEY_SPELLINGS.get(normalise(key))
            if name is None:
                hint = did_you_mean(key, _KEY_SPELLINGS) or f"a kit may set: {', '.join(KEYS)}"
                raise UsageError(f"{self.label}: unknown key '{key}'; {hint}")
            if name in ours:
                raise UsageError(f"{self.label}: '{key}' and '{written[name]}' are the same key; keep one of them")
            ours[name], written[name] = value, key
        return ours

    def text(self, key: str, value, example: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"{_shown(value)} is not text; write it like {key} = \"{example}\"")
        return value.strip()

    def path(self, key: str, value, example: str) -> Path | None:
        text = self.text(key, value, example)
        if text is None:
            return None
        path = Path(text).expanduser()
        path = path if path.is_absolute() else self.base / path
        if not path.is_file():
            raise self.fail(key, f"{text}: no such file (paths are relative to the kit file)")
        return path

    def style(self, value) -> str | None:
        from generator.styles import STYLES

        name = self.text("style", value, "banner")
        if name is not None and name not in STYLES:
            raise self.fail("style", f"unknown style '{name}'; choose one of: {', '.join(STYLES)}")
        return name

    def font(self, value) -> str | None:
        from PIL import ImageFont

        path = self.path("font", value, "fonts/Campaign-Bold.ttf")
        if path is None:
            return None
        try:
            ImageFont.truetype(str(path), 20)
        except OSError:
            raise self.fail("font", f"{value}: not a TrueType/OpenType font file that can be opened") from None
        return str(path)

    def language(self, value) -> str | None:
        from generator.messages import languages

        code = self.text("lang", value, "be")
        if code is not None and code not in languages():
            raise self.fail("lang", f"unknown language '{code}'; choose one of: {', '.join(languages())}")
        return code

    def template(self, value, language: str | None) -> str | None:
        from generator.messages import DEFAULT_LANGUAGE, find_template

        name = self.text("template", value, "thank-you")
        if name is None:
            return None
        if name.endswith(".j2"):
            return str(self.path("template", value, "message.j2"))
        try:
            find_template(name, language or DEFAULT_LANGUAGE, None)
        except UsageError as error:
            raise self.fail("template", str(error)) from None
        except Exception as error:  # a TemplateError: the same one line, under this key
            raise self.fail("template", str(error)) from None
        return name

    def tags(self, key: str, value, sigil: str, example: str) -> tuple[str, ...] | None:
        from generator.messages import HASHTAG_PATTERN, TAG_PATTERN

        if value is None:
            return None
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(key, f"{_shown(value)} is not a list of text; write it like {key} = [\"{example}\"]")
        pattern = TAG_PATTERN if sigil == "@" else HASHTAG_PATTERN
        tags = []
        for item in value:
            tag = item.strip() if item.strip().startswith(sigil) else sigil + item.strip()
            if not pattern.match(tag):
                raise self.fail(key, f"'{item}': use letters, digits and underscores only, like {example}")
            tags.append(tag)
        return tuple(tags)

    def palette(self, value) -> Palette | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail("colours", "must be a table, like [colours] panel = \"#1d1d1b\"")
        colours = {}
        for key, colour in value.items():
            if key not in COLOUR_KEYS:
                hint = did_you_mean(key, COLOUR_KEYS) or f"a kit may set: {', '.join(COLOUR_KEYS)}"
                raise self.fail(f"colours.{key}", f"unknown colour; {hint}")
            try:
                colours[key] = parse_colour(colour)
            except ValueError:
                raise self.fail(f"colours.{key}", f"{_shown(colour)} is not a colour; write it like \"#1d1d1b\"") \
                    from None
        return Palette(**colours) if colours else None

    def logo(self, value) -> Logo | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail("logo", "must be a table, like [logo] file = \"logo.png\"")
        for key in value:
            if key not in LOGO_KEYS:
                hint = did_you_mean(key, LOGO_KEYS) or f"a logo may set: {', '.join(LOGO_KEYS)}"
                raise self.fail(f"logo.{key}", f"unknown key; {hint}")
        if "file" not in value:
            raise self.fail("logo.file", "missing; write it like file = \"logo.png\"")
        path = self.path("logo.file", value["file"], "logo.png")
        try:
            open_logo(path)
        except UsageError as error:
            raise self.fail("logo.file", f"{value['file']}: {error}") from None
        position = value.get("position", "top-right")
        if position not in POSITIONS:
            raise self.fail("logo.position", f"{_shown(position)} must be one of {', '.join(POSITIONS)}")
        width = value.get("width", 0.18)
        low, high = LOGO_WIDTH
        if isinstance(width, bool) or not isinstance(width, (int, float)) or not low <= width <= high:
            raise self.fail("logo.width", f"{_shown(width)} must be a number from {low} to {high} "
                                          f"(a fraction of the canvas width), like 0.18")
        return Logo(path, file_sha256(path), position, float(width))


def _shown(value) -> str:
    return repr(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)


def open_logo(path: str | Path):
    """The logo as an RGBA image (transparency kept); UsageError if it is not a picture we can use."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            if image.width * image.height > MAX_LOGO_PIXELS:
                raise UsageError(f"{image.width}x{image.height} is too large for a logo; use one under "
                                 f"4096x4096 pixels")
            image.load()
            return image.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise UsageError("not a PNG, JPEG or WebP picture that can be opened") from None


# --- defaults under what the user gave ---------------------------------------------------------------------

def apply_kit(kit: Kit | None, fields: Mapping, given: Collection[str]) -> dict:
    """PostRequest `fields` with the kit's values wherever the user gave none (`given`: the field names the
    user set). A message the user wrote replaces the kit's template."""
    result = dict(fields)
    if kit is None:
        return result
    for key, value in kit.defaults().items():
        if key not in given:
            result[key] = value
    if "template" not in given and result.get("message") is not None:
        result["template"] = None
    return result


def with_kit(request, kit: Kit | None, given: Collection[str]):
    """A PostRequest with the kit's values under the ones the user gave."""
    if kit is None:
        return request
    fields = {name: getattr(request, name) for name in request.__dataclass_fields__}
    return replace(request, **apply_kit(kit, fields, given))


def given_options(names: Collection[str]) -> set[str]:
    """Command-line option names as PostRequest field names."""
    renamed = {"lang": "language", "templates_dir": "templates"}
    return {renamed.get(name, name) for name in names}
