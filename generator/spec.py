"""PostRequest (what a user asked for) and PostSpec (one validated post, ready to render)."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from functools import cached_property
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from generator import __version__, fonts, messages
from generator.digests import file_sha256
from generator.errors import TAG_INVALID, UsageError
from generator.flowers import FlowerChoice, resolve_flower
from generator.fonts import Face, user_face
from generator.formats import Format, resolve_formats
from generator.styles import DEFAULT_STYLE, Palette, get_style

if TYPE_CHECKING:
    from generator.kit import Logo

IMAGE_TYPES = {"jpeg": "jpg", "png": "png", "webp": "webp"}
_TAG = re.compile(r"@[A-Za-z0-9_.]{1,30}\Z")
_HASHTAG = re.compile(r"#\w{1,100}\Z")


@dataclass(frozen=True)
class PostRequest:
    """Everything `make`, a batch row or the web page can ask for, as typed; validated by `plan_posts`."""

    flower: str | FlowerChoice | None = None  # a name, grow:SPECIES[:SEED], a photo path, or a resolved upload
    focus: tuple[float, float] | None = None
    message: str | None = None
    template: str | None = None
    variables: Mapping[str, str] = field(default_factory=dict)
    language: str = messages.DEFAULT_LANGUAGE
    formats: tuple[str, ...] = ()
    style: str = DEFAULT_STYLE
    tags: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    image_type: str = "jpeg"
    font: str | None = None
    templates: str | None = None  # a campaign's own catalogue folder, laid over the bundled one
    debug: bool = False  # outline the safe zone, boxes and focal point (named apart from the real post)
    palette: Palette | None = None  # a campaign kit's colours
    logo: Logo | None = None  # a campaign kit's logo


@dataclass(frozen=True)
class PostSpec:
    """One post in one format: every input settled, nothing left to look up but pixels."""

    flower: FlowerChoice
    message: str
    message_id: str
    language: str
    direction: str
    format: Format
    style: str
    tags: tuple[str, ...]
    image_type: str
    caption: str
    alt_text: str
    font: Face | None = None
    warnings: tuple[str, ...] = ()
    debug: bool = False
    palette: Palette | None = None
    logo: Logo | None = None

    @property
    def extension(self) -> str:
        return IMAGE_TYPES[self.image_type]

    def fingerprint(self) -> str:
        """A digest of everything that decides the output bytes, so equal names mean equal posts."""
        fields = {
            "version": __version__, "flower": [self.flower.kind, self.flower.digest, self.flower.focus],
            "message": self.message, "language": self.language, "format": self.format.name,
            "style": self.style, "tags": self.tags, "image_type": self.image_type,
            "caption": self.caption, "alt": self.alt_text,
            "font": [file_sha256(self.font.path), self.font.weight] if self.font else None,
            "debug": self.debug,
        }
        if self.palette:  # only when set, so posts without a kit keep their names
            fields["palette"] = self.palette.as_json()
        if self.logo:
            fields["logo"] = self.logo.as_json()
        return hashlib.sha256(json.dumps(fields, ensure_ascii=False, sort_keys=True).encode()).hexdigest()

    @cached_property  # asked for by every file path and report line; computed once
    def name(self) -> str:
        parts = (slug(self.flower.public_name, "flower"), slug(self.message_id, "message"), slug(self.language, "xx"),
                 self.format.name, *((self.style,) if self.style != DEFAULT_STYLE else ()),
                 *(("debug",) if self.debug else ()), self.fingerprint()[:10])
        return "-".join(parts)


def slug(text: str, fallback: str, limit: int = 32) -> str:
    """A lowercase ASCII piece of a file name: safe on every file system, never a path."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")
    return cleaned or fallback


def plan_posts(request: PostRequest) -> list[PostSpec]:
    """Validate a request completely and expand it into one PostSpec per format."""
    if request.message and request.template:
        raise UsageError("give either --message or --template, not both")
    if request.image_type not in IMAGE_TYPES:
        raise UsageError(f"--image-type '{request.image_type}': choose one of: {', '.join(IMAGE_TYPES)}")
    get_style(request.style)
    catalogue = Path(request.templates) if request.templates else None
    language = messages.get_language(request.language, catalogue)
    formats = resolve_formats(request.formats)
    flower = resolve_flower(request.flower, request.focus)
    message, message_id = _message(request, catalogue)
    messages.refuse_control_characters(message, "the message")
    tags = messages.tag_line(_normalised(request.tags, "@", _TAG, messages.DEFAULT_TAGS, "--tag"),
                             _normalised(request.hashtags, "#", _HASHTAG, messages.DEFAULT_HASHTAGS, "--hashtag"))
    font = user_face(request.font) if request.font else None
    _check_drawable(message, tags, font)
    caption = messages.caption(language, message, tags)
    alt = messages.alt_text(language, message, tags, flower.picture_kind, flower.species, flower.description)
    for fmt in formats:
        _check_text_limits(fmt, caption, alt)
    return [PostSpec(flower, message, message_id, language.code, language.direction, fmt, request.style, tags,
                     request.image_type, caption, alt, font, _warnings(fmt, tags), request.debug, request.palette,
                     request.logo)
            for fmt in formats]


def _message(request: PostRequest, catalogue: Path | None) -> tuple[str, str]:
    if request.message is not None:
        if request.variables:
            raise UsageError("--var only applies to --template; a --message is used exactly as written")
        return messages.literal_message(request.message), "message"
    template = messages.find_template(request.template or messages.DEFAULT_TEMPLATE, request.language, catalogue)
    return template.render(request.variables), template.id


def _normalised(given: tuple[str, ...], sigil: str, pattern: re.Pattern, defaults: tuple[str, ...],
                option: str) -> tuple[str, ...]:
    """The default tags plus the user's, each with its sigil, without repeats (case-insensitive)."""
    result: dict[str, str] = {}
    for raw in (*defaults, *given):
        tag = raw.strip() if raw.strip().startswith(sigil) else sigil + raw.strip()
        if not pattern.match(tag):
            raise UsageError(f"{option} '{raw}': use letters, digits and underscores only, like {sigil}Medics",
                             TAG_INVALID, tag=raw.strip())
        result.setdefault(tag.casefold(), tag)
    return tuple(result.values())


def _check_drawable(message: str, tags: tuple[str, ...], font: Face | None) -> None:
    """Every character has a font before anything renders (an uncovered one would be an empty box)."""
    fonts.chain_for(fonts.MESSAGE_WEIGHT, font).runs(message)
    fonts.chain_for(fonts.TAG_WEIGHT).runs(" ".join(tags))


def _check_text_limits(fmt: Format, caption: str, alt: str) -> None:
    messages.check_limit("caption", caption, fmt.caption_limit, fmt.counting, fmt.name)
    messages.check_limit("alt text", alt, fmt.alt_limit, "characters", fmt.name)


def _warnings(fmt: Format, tags: tuple[str, ...]) -> tuple[str, ...]:
    hashtags = [tag for tag in tags if tag.startswith("#")]
    if fmt.max_hashtags is not None and len(hashtags) > fmt.max_hashtags:
        return (f"{fmt.name}: {len(hashtags)} hashtags; the platform works best with {fmt.max_hashtags} or fewer",)
    return ()
