"""Encoding without metadata, meeting platform file-size caps, and atomic writes of a post's three files."""

from __future__ import annotations

import hashlib
import io
import os
import threading
from pathlib import Path
from typing import NamedTuple

from generator import jpeg_rows
from generator.errors import ExportError
from generator.jpeg_rows import Shared
from generator.spec import PostSpec

JPEG_QUALITIES = (90, 86, 82, 78, 74, 70, 65, 60, 55, 50)
# Then colour at half resolution: a picture of pure noise at 1600x900 is 1.2 MB even at quality 50 in
# full colour, 0.6 MB like this, under Bluesky's 1,000,000 bytes.
JPEG_HALF_COLOUR_QUALITIES = (70, 55, 40)
WEBP_QUALITIES = (90, 85, 80, 75, 70, 65, 60, 50)
# A PNG over its cap keeps fewer colours: 16 colours take 4 bits a pixel, so any post up to 1600x900
# (720,000 bytes before compression) fits 1 MB.
PNG_COLOURS = (256, 64, 16)
SIDECARS = ("caption", "alt")


class PostFiles(NamedTuple):  # not a dataclass: an eighth of the import cost, paid by every cold `make`
    """Where a post's three files go."""

    image: Path
    caption: Path
    alt: Path

    @classmethod
    def for_spec(cls, spec: PostSpec, folder: Path) -> "PostFiles":
        return cls(*(inside(folder, name) for name in cls.names(spec)))

    @staticmethod
    def names(spec: PostSpec) -> tuple[str, str, str]:
        return f"{spec.name}.{spec.extension}", f"{spec.name}.caption.txt", f"{spec.name}.alt.txt"

    def all_exist(self) -> bool:
        return all(path.is_file() for path in (self.image, self.caption, self.alt))


class WrittenPost(NamedTuple):  # not a dataclass: an eighth of the import cost, paid by every cold `make`
    spec: PostSpec
    files: PostFiles
    status: str  # written or kept
    byte_count: int
    sha256: str

    def as_json(self) -> dict:
        return {
            "name": self.spec.name, "status": self.status, "format": self.spec.format.name,
            "width": self.spec.format.width, "height": self.spec.format.height,
            "image": str(self.files.image), "caption_file": str(self.files.caption), "alt_file": str(self.files.alt),
            "bytes": self.byte_count, "sha256": self.sha256, "language": self.spec.language,
            "flower": self.spec.flower.public_name, "message": self.spec.message,
            "caption": self.spec.caption, "alt_text": self.spec.alt_text, "warnings": list(self.spec.warnings),
        }


def encode(image, spec: PostSpec, shared: Shared | None = None) -> bytes:
    """The image as spec.image_type with no metadata at all, under the platform's size cap.

    JPEGs are 4:4:4 at quality 90 with libjpeg's standard Huffman tables: 4:2:0 would smear the red and white
    edges of the text, and optimized tables save ~6 % of the bytes for ~75 % more encoding time
    (bench/bench_encoder.py). Only a post over its platform's cap pays for them, on the way down the ladder.
    The first JPEG restarts after every row of blocks, so that with `shared` (the rows the post drew on, over
    a picture other posts share) only those rows are encoded (generator.jpeg_rows).
    """
    limit = spec.format.max_bytes
    clean = without_metadata(image)
    ladder = _smaller_and_smaller(spec.image_type)
    if spec.image_type == "jpeg":
        data = jpeg_rows.encode(clean, ladder[0]["quality"], shared)
    else:
        data = _encode_once(clean, spec.image_type, **ladder[0])
    if limit is None or len(data) <= limit:
        return data
    for settings in ladder if spec.image_type == "jpeg" else ladder[1:]:  # a JPEG tries q90 optimized first
        data = _encode_once(clean, spec.image_type, **settings, smallest=True)
        if len(data) <= limit:
            return data
    raise ExportError(f"{spec.format.name}: the {spec.image_type.upper()} is {len(data) / 1e6:.1f} MB even at the "
                      f"lowest quality, over the platform's {limit / 1e6:.2f} MB limit; use --image-type jpeg")


def _smaller_and_smaller(image_type: str) -> list[dict]:
    """The encoder settings to try in turn, best first, until one meets the platform's cap."""
    if image_type == "jpeg":
        return ([{"quality": q} for q in JPEG_QUALITIES]
                + [{"quality": q, "subsampling": "4:2:0"} for q in JPEG_HALF_COLOUR_QUALITIES])
    if image_type == "webp":
        return [{"quality": q} for q in WEBP_QUALITIES]
    return [{"quality": None}] + [{"quality": None, "colours": c} for c in PNG_COLOURS]


def without_metadata(image):
    """Only an RGB image with an empty info dict is encoded: nothing (EXIF, XMP, ICC, comments) rides along."""
    from PIL import Image

    if image.mode == "RGB" and not image.info:
        return image
    clean = Image.new("RGB", image.size)
    clean.paste(image.convert("RGB"))
    return clean


def _encode_once(image, image_type: str, quality: int | None, subsampling: str = "4:4:4",
                 colours: int | None = None, smallest: bool = False) -> bytes:
    from PIL import Image

    clean = without_metadata(image)
    if image_type == "jpeg":
        return jpeg_bytes(clean, quality=quality, optimize=smallest, subsampling=subsampling)
    buffer = io.BytesIO()
    if image_type == "webp":
        clean.save(buffer, "WEBP", quality=quality, method=4, exact=False)
    elif colours:
        clean.quantize(colours, method=Image.Quantize.FASTOCTREE).save(buffer, "PNG", compress_level=7)
    else:
        clean.save(buffer, "PNG", optimize=False, compress_level=7)
    return buffer.getvalue()


_ROOM_LOCK = threading.Lock()


def jpeg_bytes(image, **options) -> bytes:
    """Pillow's JPEG encode, safe for any picture with optimize or progressive (see _make_room_for_whole_jpeg)."""
    _make_room_for_whole_jpeg(image.size)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def _make_room_for_whole_jpeg(size: tuple[int, int]) -> None:
    """Let Pillow's output buffer hold a whole JPEG of this size, however detailed the picture.

    With optimize (or progressive), libjpeg writes the whole file in one go at the end, and cannot suspend
    to hand Pillow a full buffer. Pillow sizes that buffer at width x height bytes below quality 95, but a
    detailed picture at 4:4:4 needs up to ~2.4 bytes a pixel (noise at q95), so the encode failed with
    libjpeg's "Suspension not allowed here" and OSError "broken data stream". The raw RGB size, 3 bytes a
    pixel, is more than a JPEG at our qualities ever takes. Pillow takes the larger of its own guess and
    ImageFile.MAXBLOCK; we only ever raise MAXBLOCK, under a lock, so concurrent encodes stay safe.
    """
    from PIL import ImageFile

    needed = 3 * size[0] * size[1] + (1 << 16)
    with _ROOM_LOCK:
        if ImageFile.MAXBLOCK < needed:
            ImageFile.MAXBLOCK = needed


_SUFFIX_TYPES = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp"}


def image_type_for(path: Path) -> str:
    try:
        return _SUFFIX_TYPES[path.suffix.lower()]
    except KeyError:
        raise ExportError(f"--out {path}: end the name in .png, .jpg or .webp") from None


def save_picture(image, path: Path, image_type: str) -> None:
    """A standalone picture (not a post): no metadata, written atomically, its folder made if need be."""
    prepare_folder(path.parent)
    try:
        atomic_write(path, _encode_once(image, image_type, 92 if image_type != "png" else None))
    except OSError as exc:
        raise ExportError(f"--out {path}: cannot write the picture ({exc.strerror or exc})") from None


def existing_post(spec: PostSpec, folder: Path) -> WrittenPost | None:
    """The post as already written by an earlier run (names are content-addressed), if all its files are there."""
    files = PostFiles.for_spec(spec, folder)
    if not files.all_exist():
        return None
    data = files.image.read_bytes()
    if not _whole(data, spec.image_type):
        return None  # cut short by a power cut before the page cache reached the disk: made again
    return WrittenPost(spec, files, "kept", len(data), hashlib.sha256(data).hexdigest())


def _whole(data: bytes, image_type: str) -> bool:
    """Does the file end where its format says it ends (JPEG's EOI, PNG's IEND, the RIFF length)?"""
    if image_type == "jpeg":
        return data.startswith(b"\xff\xd8") and data.endswith(b"\xff\xd9")
    if image_type == "png":
        return data.startswith(b"\x89PNG") and data.endswith(b"IEND\xaeB`\x82")
    return data[:4] == b"RIFF" and int.from_bytes(data[4:8], "little") + 8 == len(data)


def write_post(spec: PostSpec, image_bytes: bytes, folder: Path) -> WrittenPost:
    """Write the sidecars, then the image last: an image on disk means its post is complete.

    Each file is atomic (a kill leaves the old file or the new one), but not fsynced: that cost 4-5 ms a file,
    more than rendering the text (bench/stages.py), and only protects against a power cut, after which the
    rerun finds a cut-short image by its missing end (existing_post) and makes the post again."""
    files = PostFiles.for_spec(spec, folder)
    try:
        atomic_write(files.caption, (spec.caption + "\n").encode("utf-8"), durable=False)
        atomic_write(files.alt, (spec.alt_text + "\n").encode("utf-8"), durable=False)
        atomic_write(files.image, image_bytes, durable=False)
    except OSError as exc:
        raise ExportError(f"--out {folder}: cannot write {files.image.name} ({exc.strerror or exc})") from None
    return WrittenPost(spec, files, "written", len(image_bytes), hashlib.sha256(image_bytes).hexdigest())


def check_folder(folder: Path) -> None:
    """Refuse an unusable output folder before any work is done."""
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"--out {folder}: exists and is not a folder; choose another path")
    if folder.is_dir() and not os.access(folder, os.W_OK):
        raise ExportError(f"--out {folder}: the folder is not writable")


def prepare_folder(folder: Path) -> Path:
    check_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"--out {folder}: cannot create the folder ({exc.strerror or exc})") from None
    return folder


def atomic_write(path: Path, data: bytes, durable: bool = True) -> None:
    """Write to a temporary file beside `path`, then rename: readers see the old file or the whole new one.
    `durable` also waits for the bytes to reach the disk, so they survive a power cut."""
    handle, temporary = _temporary_beside(path)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


_TEMPORARY_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _temporary_beside(path: Path) -> tuple[int, str]:
    """A new file beside `path` that only we can open, as tempfile.mkstemp makes one (whose module, with
    shutil and random behind it, is 6 ms of a cold start's imports)."""
    for _ in range(100):
        temporary = str(path.parent / f".{path.name}.{os.urandom(6).hex()}.part")
        try:
            return os.open(temporary, _TEMPORARY_FLAGS, 0o600), temporary
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def inside(folder: Path, name: str) -> Path:
    """`folder / name`, refused unless it names a file of the folder's own: every file a post writes, or finds
    kept on a rerun (its image, caption, alt text and video), is named through here. Only a symbolic link
    planted under that name could lead elsewhere, so only then is the path resolved (24 us a file, where this
    takes 4)."""
    path = folder / name
    separators = {os.sep, os.altsep} - {None}
    if name.startswith(".") or any(separator in name for separator in separators) \
            or (os.path.islink(path) and path.resolve().parent != folder.resolve()):
        raise ExportError(f"refusing to write {name!r} outside the output folder {folder}")
    return path
