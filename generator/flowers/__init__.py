"""Where a post's flower comes from: a bundled picture, one grown on demand, or the supporter's photo."""

from __future__ import annotations

import itertools
import json
import os
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from generator.caches import MB, bytes_bounded, size_of
from generator.describe import Picture
from generator.digests import file_sha256
from generator.errors import PhotoError, UsageError
from generator.resources import data_dir

DEFAULT_FLOWER = "cornflower"
BUNDLED_SIZE = (1600, 2000)  # the bundled pictures are grown at this size (scripts/grow_bundled_flowers.py)
GROW_PREFIX = "grow:"

Focus = tuple[float, float]

if TYPE_CHECKING:
    from PIL import Image

    Source = tuple[Image.Image, Focus]  # a flower's picture as decoded or grown, and its focal point


class BundledFlower(NamedTuple):  # not a dataclass: an eighth of the import cost, paid by every cold `make`
    name: str
    file: str
    species: str
    seed: int
    composition: str
    palette: str
    focus: Focus
    description: str
    tone: str
    picture: Picture | None = None  # what grow.picture says it shows, recorded when it was grown

    @property
    def path(self) -> Path:
        return data_dir("assets") / "flowers" / self.file


@dataclass(frozen=True)
class FlowerChoice:
    """A resolved, validated flower source; `digest` identifies its pixels for content-addressed names."""

    kind: str  # bundled, grown or photo (a file at `path`, or an upload held in memory as `data`)
    name: str
    digest: str
    species: str | None = None
    seed: int = 0
    path: Path | None = None
    focus: Focus | None = None
    description: str | None = None
    picture: Picture = Picture()  # what it shows, for alt text in any language; a photo is just "a photo"
    # An uploaded photo's bytes: never written to disk. Left out of hashing, equality and repr, since
    # `digest` (their sha256) already identifies them and a repr must not dump a photo into a log.
    data: bytes | None = field(default=None, compare=False, repr=False)

    @property
    def public_name(self) -> str:
        """The name that may appear in output files: never a photo's own file name (it can say where and
        when it was taken, which matters to people at risk)."""
        return "photo" if self.kind == "photo" else self.name

    @property
    def picture_kind(self) -> str:
        return "photo" if self.kind == "photo" else "grown"


@dataclass(frozen=True)
class Background:
    image: object  # PIL.Image.Image, exactly the post's size
    focus: Focus
    # Which composition this is, unique in the process: two posts on one serial have the same pixels under
    # them. A flower's name and digest are not enough: a photo file edited since it was resolved is read again
    # when its background is made anew.
    serial: int = field(default_factory=lambda: next(_serials))


_serials = itertools.count()


@cache
def bundled() -> dict[str, BundledFlower]:
    entries = json.loads((data_dir("assets") / "flowers" / "flowers.json").read_text(encoding="utf-8"))
    return {entry["name"]: BundledFlower(**{**entry, "focus": tuple(entry["focus"]),
                                            "picture": _recorded_picture(entry.get("picture"))})
            for entry in entries}


def _recorded_picture(fields: dict | None) -> Picture | None:
    if fields is None:
        return None
    return Picture(**{**fields, "colours": tuple(fields["colours"]), "behind": tuple(fields["behind"])})


def resolve_flower(text: str | FlowerChoice | None, focus: Focus | None = None) -> FlowerChoice:
    """Turn what the user typed (-f) into a flower source, checking it exists before anything renders."""
    if isinstance(text, FlowerChoice):  # already resolved, e.g. an upload (generator.flowers.upload)
        return replace(text, focus=focus) if focus else text
    text = (text or DEFAULT_FLOWER).strip()
    if text.startswith(GROW_PREFIX):
        return _grown(text, focus)
    if text in bundled():
        flower = bundled()[text]
        return FlowerChoice("bundled", flower.name, _bundled_digest(flower.name), flower.species, flower.seed,
                            flower.path, focus or flower.focus, flower.description, _bundled_picture(flower.name))
    path = Path(text).expanduser()
    if path.suffix or path.exists() or "/" in text or "\\" in text:
        return _photo(path, focus)
    raise UsageError(f"unknown flower '{text}'; use a bundled name (see `solidarity flowers list`), "
                     f"grow:SPECIES[:SEED], or the path of a photo")


def _grown(text: str, focus: Focus | None) -> FlowerChoice:
    from generator.flowers.grow import SPECIES

    species, _, seed_text = text[len(GROW_PREFIX):].partition(":")
    if species not in SPECIES:
        raise UsageError(f"unknown flower species '{species}' in '{text}'; choose one of: {', '.join(SPECIES)}")
    try:
        if seed_text and not (seed_text.isascii() and seed_text.isdigit()):
            raise ValueError(seed_text)
        seed = int(seed_text) if seed_text else 0
    except ValueError:
        raise UsageError(f"'{text}': the seed after the species must be a whole number, like grow:{species}:42") from None
    from generator.flowers.grow import describe, picture

    return FlowerChoice("grown", f"{species}-{seed}", f"grow/{species}/{seed}", species, seed, focus=focus,
                        description=describe(species, seed), picture=picture(species, seed))


def _photo(path: Path, focus: Focus | None) -> FlowerChoice:
    if not path.exists():
        raise PhotoError(f"photo {path}: no such file; check the path (or see `solidarity flowers list`)")
    if path.is_dir():
        raise PhotoError(f"photo {path}: is a folder, not an image file")
    from generator.flowers.photo import check_photo_file

    check_photo_file(path)  # a pipe, a device or a huge file is refused before it is read
    try:
        digest = file_sha256(path)
    except OSError as exc:
        raise PhotoError(f"photo {path}: cannot be read ({exc.strerror or exc})") from None
    return FlowerChoice("photo", path.stem, digest, path=path, focus=focus)


@cache
def _bundled_picture(name: str) -> Picture:
    """Read from the catalogue: planning the painting again to learn what it shows costs more, in a single
    `make`, than importing the whole painter."""
    flower = bundled()[name]
    if flower.picture is not None:
        return flower.picture
    from generator.flowers.grow import picture

    return picture(flower.species, flower.seed, BUNDLED_SIZE, flower.composition, flower.palette)


def _bundled_digest(name: str) -> str:
    return file_sha256(bundled()[name].path)


def background(choice: FlowerChoice, size: tuple[int, int], source: Source | None = None) -> Background:
    """The flower filling exactly `size`, its focal point kept in frame; cached per flower and size.
    An uploaded photo gets a cache of its own, two deep, so the web page keeps no more than the photos
    being worked on in memory. `source`: what `source_image(choice, size)` gives, if the caller has it."""
    if choice.data is not None:
        return _upload_background(choice, size, source)
    return _cached_background(choice, size, source)


def kept_background(choice: FlowerChoice, size: tuple[int, int]) -> Background | None:
    """`background(choice, size)` if it is kept, else None (nothing is made)."""
    return (_upload_background if choice.data is not None else _cached_background).kept(choice, size)


def _flower_and_size(choice: FlowerChoice, size: tuple[int, int], source: Source | None = None):
    return choice, size


@bytes_bounded(24 * MB, key=_flower_and_size)  # a few uploads' backgrounds; the key weighs in the photo's bytes
def _upload_background(choice: FlowerChoice, size: tuple[int, int], source: Source | None) -> Background:
    return _compose_background(choice, size, source)


@bytes_bounded(48 * MB, key=_flower_and_size)
def _cached_background(choice: FlowerChoice, size: tuple[int, int], source: Source | None) -> Background:
    return _compose_background(choice, size, source)


def _compose_background(choice: FlowerChoice, size: tuple[int, int], source: Source | None) -> Background:
    from generator.flowers.crop import composed_focus, cover_crop, needs_split, split_composition, thirds_anchor

    image, focus = source or source_image(choice, size)
    try:
        if needs_split(image.size, size):
            composed = split_composition(image, size, focus)
        else:
            composed = cover_crop(image, size, focus, thirds_anchor(focus, size))
    finally:
        if source is None:
            close_unread(image)
    composed.info.clear()  # nothing from the source file (EXIF, ICC, comments) may ride along into a post
    return Background(composed, composed_focus(image.size, size, focus))


@bytes_bounded(24 * MB, weigh=lambda found: size_of(found[0]), key=lambda choice, decoded, size: (choice, decoded))
def _decoded_upload(choice: FlowerChoice, decoded: tuple[int, int] | None, size: tuple[int, int]):
    """An upload decoded once for every post size that decodes it alike (`decoded`: a JPEG's reduced size,
    or None for a whole decode), so a preview and a make of three platforms decode a phone photo once."""
    from generator.flowers.focus import auto_focus
    from generator.flowers.photo import open_photo_bytes

    image = open_photo_bytes(choice.data, choice.name, target=size)
    return image, auto_focus(image)


def close_unread(image: Image.Image) -> None:
    """Close the file of a source whose pixels were never read (load() closes that of one it has read)."""
    if getattr(image, "fp", None) is not None:
        image.close()


def source_image(choice: FlowerChoice, size: tuple[int, int]) -> Source:
    """The flower's picture for a background of `size`, and its focal point: decoded or grown, except a
    bundled one, opened and decoded when its pixels are first read."""
    if choice.kind == "grown":
        from generator.flowers.grow import grow

        flower = grow(choice.species, choice.seed, size)
        return flower.image, choice.focus or flower.focus
    if choice.kind == "bundled":
        from PIL.JpegImagePlugin import JpegImageFile

        # Our own JPEG, opened by its plugin: Image.open would first import every common format's plugin,
        # 5 ms of a cold `make`. Its size is known from the header, so it is decoded where its pixels are
        # first read: on the picture's thread (pictures.make_meanwhile), in one block, so that the decoder
        # hands the interpreter back once, not every 64 kB. load() closes the file.
        image = JpegImageFile(choice.path)
        image.draft("RGB", size)
        image.decodermaxblock = max(image.decodermaxblock, os.fstat(image.fp.fileno()).st_size)
        return (image if image.mode == "RGB" else image.convert("RGB")), choice.focus
    from generator.flowers.focus import auto_focus
    from generator.flowers.photo import open_photo

    if choice.data is not None:
        from generator.flowers.photo import decoded_size

        image, found = _decoded_upload(choice, decoded_size(choice.data, size), size)
        return image, choice.focus or found
    image = open_photo(choice.path, target=size)
    return image, choice.focus or auto_focus(image)

