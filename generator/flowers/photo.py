"""Opening a supporter's photo: any common format, upright, in sRGB, refused when unsafe.

Every photo comes back as a plain RGB image in sRGB, turned upright by its EXIF orientation, with no
metadata at all (no EXIF, GPS, XMP, ICC profile or comments survive). Transparent areas are flattened
onto white (`ALPHA_BACKGROUND`), the way most viewers show a cut-out flower.

A photo that cannot be used raises `PhotoError` with one line that names the file and says what to do.
"""

from __future__ import annotations

import functools
import io
import stat
import struct
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import IO

from PIL import Image, UnidentifiedImageError

from generator.caches import MB, bytes_bounded
from generator.errors import (PHOTO_NOT_AN_IMAGE, PHOTO_SHAPE, PHOTO_TOO_LARGE, PHOTO_UNREADABLE,
                               PhotoError)

MAX_PIXELS = 100_000_000
"""Decompression-bomb limit: a photo that would decode to more pixels than this is refused.

The pixels counted are the ones actually decoded: a JPEG opened with a `target` is decoded at a reduced
scale, so a 108-megapixel phone photo still works for a post. Pillow itself refuses anything above
twice its own `Image.MAX_IMAGE_PIXELS` (about 179 megapixels) before we can look at it.
"""

MAX_ASPECT = 20
"""A picture longer than this many times its width is a sliver with no flower to crop: refused."""

MAX_FILE_BYTES = 250_000_000
"""Files larger than this are refused before anything is read: no photo for a post needs more."""

ALPHA_BACKGROUND = (255, 255, 255)
"""The colour transparent areas are flattened onto."""

SUPPORTED_FORMATS = "JPEG, PNG, WebP, HEIC, AVIF, TIFF, GIF or BMP"
"""The formats a supporter is told to choose from. Binary Netpbm (PPM/PGM/PBM, as scanner software writes it)
is read too but left out of this list: nobody looks for it by name.

Left out on purpose, after measuring: RLE-compressed BMP and plain-text Netpbm (Pillow decodes both in
Python: 2.7 s for a 3-megapixel RLE BMP of one-pixel runs, 23 s for a 6-megapixel plain PPM, so a 250 MB
file would hold a worker for minutes); JPEG 2000 (OpenJPEG decodes at full resolution into 32-bit samples,
over a gigabyte at our pixel limit, and supporters' phones and cameras do not write it); ICO (icons are at
most 256 px, far too small for a 1080-px post); PSD, TGA, PCX and the rest (no one's photo is one)."""
_CHOOSE_SUPPORTED = f"choose a {SUPPORTED_FORMATS} photo"
_DRAFTABLE_FORMATS = ("JPEG", "MPO")
_HEADER_BYTES = 512

_AVIF_BRANDS = {b"avif", b"avis"}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"heif", b"mif1", b"msf1"}
_IMAGE_SUFFIXES = {
    ".jpg",
    ".jpeg",
    ".jpe",
    ".jfif",
    ".png",
    ".webp",
    ".heic",
    ".heif",
    ".avif",
    ".tif",
    ".tiff",
    ".gif",
    ".bmp",
    ".dib",
    ".ppm",
    ".pgm",
    ".pbm",
    ".pnm",
}
_SLOW_DECODERS = {"bmp_rle": "an RLE-compressed BMP", "ppm_plain": "a plain-text (ASCII) Netpbm file"}

# Pillow's plugins signal a broken file with any of these, depending on where the damage is.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError, struct.error,
                  ArithmeticError)

# Modes whose colour channels ImageCms and the rest of the pipeline do not take as they are.
_COLOUR_MODES = {"1": "L", "P": "RGB", "RGBX": "RGB", "YCbCr": "RGB", "HSV": "RGB"}

_EXIF_ORIENTATION = 0x0112  # PIL.ExifTags.Base.Orientation, without importing that large module

_ORIENTATION_FIXES = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_ORIENTATIONS_SWAPPING_AXES = {5, 6, 7, 8}


def check_photo_file(path: Path) -> None:
    """Refuse, before anything reads it, a path that is not a regular file of a sensible size."""
    _check_path(Path(path), _printable(str(path)))


def open_photo(path: Path, target: tuple[int, int] | None = None) -> Image.Image:
    """The photo at `path`, upright, RGB, sRGB, metadata-free; decoded at reduced scale when `target` allows.

    `target` is the (width, height) the photo will be cropped to cover: a JPEG is then decoded at the
    smallest scale that still covers it.
    """
    path = Path(path)
    label = _printable(str(path))
    _check_path(path, label)
    try:
        with path.open("rb") as file:
            return _decode(file, label, target)
    except FileNotFoundError:
        raise _problem(label, "no such file", "check the path and the file name") from None
    except PermissionError:
        raise _permission_denied(label) from None
    except IsADirectoryError:
        raise _is_a_folder(label) from None
    except OSError as exc:
        raise _problem(label, f"the file cannot be read ({_reason(exc)})", "check the disk or copy the photo") from None


def open_photo_bytes(data: bytes, name: str, target: tuple[int, int] | None = None) -> Image.Image:
    """Like `open_photo`, for a photo already in memory (an upload); nothing is written to disk."""
    label = _printable(name)
    if not data:
        raise _problem(label, "the file is empty", _CHOOSE_SUPPORTED)
    _check_file_size(label, len(data))
    return _decode(io.BytesIO(data), label, target)


def decoded_size(data: bytes, target: tuple[int, int] | None) -> tuple[int, int] | None:
    """The size `open_photo_bytes(data, target=target)` decodes the photo at: a JPEG's reduced DCT scale, or
    None when it is decoded whole (other formats, or data Pillow cannot identify: decoding will say why).
    Targets with the same decoded size get the same pixels, so one decode can serve them all."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data), formats=_readable_formats()) as image:
                if target is None or image.format not in _DRAFTABLE_FORMATS:
                    return None
                _decode_reduced(image, target)
                return image.size
    except Exception:  # noqa: BLE001 - only a cache key; the real decode reports any problem clearly
        return None


def _check_path(path: Path, label: str) -> None:
    try:
        status = path.stat()
    except FileNotFoundError:
        raise _problem(label, "no such file", "check the path and the file name") from None
    except PermissionError:
        raise _permission_denied(label) from None
    except (OSError, ValueError) as exc:
        raise _problem(label, f"the file cannot be read ({_reason(exc)})", "check the path") from None
    if stat.S_ISDIR(status.st_mode):
        raise _is_a_folder(label)
    if not stat.S_ISREG(status.st_mode):
        raise _problem(label, "this is not a regular file (a device or a pipe)", _CHOOSE_SUPPORTED)
    if status.st_size == 0:
        raise _problem(label, "the file is empty", _CHOOSE_SUPPORTED)
    _check_file_size(label, status.st_size)


def _check_file_size(label: str, size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise _problem(
            label,
            f"the file is {_megabytes(size)}, over the {_megabytes(MAX_FILE_BYTES)} limit",
            "choose a smaller photo or export it at a lower quality", PHOTO_TOO_LARGE,
        )


def _decode(file: IO[bytes], label: str, target: tuple[int, int] | None) -> Image.Image:
    header = file.read(_HEADER_BYTES)
    file.seek(0)
    if not header:
        raise _problem(label, "the file is empty", _CHOOSE_SUPPORTED)
    if _is_heif(header):
        _require_heif_plugin(label)
    try:
        with warnings.catch_warnings():
            # Failures become PhotoError below; Pillow's warnings (its lower bomb threshold, "corrupt
            # EXIF") would only print noise to the supporter's terminal.
            warnings.simplefilter("ignore")
            with Image.open(file, formats=_readable_formats()) as image:
                _decode_reduced(image, target)
                _refuse_bomb(image, label)
                _refuse_sliver(image, label)
                _refuse_slow_decoder(image, label)
                image.load()
                return _normalise(image)
    except Image.DecompressionBombError:
        raise _too_many_pixels(label, None) from None
    except UnidentifiedImageError:
        raise _unidentified(label, header) from None
    except MemoryError:
        raise _problem(label, "the image is too large to decode in memory", "choose a smaller photo",
                       PHOTO_TOO_LARGE) from None
    except _DECODE_ERRORS as exc:
        raise _damaged(label, exc) from None


def _readable_formats() -> tuple[str, ...]:
    """The Pillow formats we accept; asking for only these also keeps rarely used decoders out of reach."""
    _import_pillow_plugins()
    heif = ("HEIF",) if "HEIF" in Image.OPEN else ()
    return ("JPEG", "PNG", "WEBP", "AVIF", "TIFF", "GIF", "BMP", "PPM", *heif)


@functools.cache
def _import_pillow_plugins() -> None:
    # Image.open(formats=...) needs each plugin registered; importing just these is cheaper than Image.init().
    from PIL import (  # noqa: F401
        AvifImagePlugin,
        BmpImagePlugin,
        GifImagePlugin,
        JpegImagePlugin,
        PngImagePlugin,
        PpmImagePlugin,
        TiffImagePlugin,
        WebPImagePlugin,
    )


def _decode_reduced(image: Image.Image, target: tuple[int, int] | None) -> None:
    """Ask the JPEG decoder for the smallest DCT scale that still covers `target`."""
    if target is None or image.format not in _DRAFTABLE_FORMATS:
        return
    width, height = target
    if _orientation(image) in _ORIENTATIONS_SWAPPING_AXES:
        # draft() works in the file's stored orientation, before it is turned upright.
        width, height = height, width
    image.draft("RGB", (max(1, width), max(1, height)))


def _refuse_sliver(image: Image.Image, label: str) -> None:
    width, height = image.size
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise _problem(label, f"the picture is a {width}x{height} sliver",
                       f"choose a photo no more than {MAX_ASPECT} times as long as it is wide", PHOTO_SHAPE)


def _refuse_slow_decoder(image: Image.Image, label: str) -> None:
    """Variants whose decoder is Python code, slow enough per pixel to hold a worker for minutes."""
    kind = next((_SLOW_DECODERS[tile[0]] for tile in image.tile if tile[0] in _SLOW_DECODERS), None)
    if kind:
        raise _problem(label, f"this is {kind}, which cannot be read quickly enough",
                       "save it again as PNG or JPEG (or as an uncompressed 24-bit BMP)")


def _refuse_bomb(image: Image.Image, label: str) -> None:
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(label, (width, height))


def _normalise(image: Image.Image) -> Image.Image:
    """The loaded `image` as upright sRGB RGB on the alpha background, with no metadata."""
    orientation = _orientation(image)
    icc_profile = image.info.get("icc_profile")
    colour, alpha = _split_alpha(image)
    rgb = _to_srgb(_to_eight_bit(colour), icc_profile)
    if alpha is not None:
        rgb = _flatten(rgb, alpha)
    upright = _turn_upright(rgb, orientation)
    if upright is image:  # the file's own image object: the same pixels in a plain one, not copied (5 ms for
        upright = image._new(image.im)  # 12 MP at half scale), and nothing of the file's left on it
    upright.info.clear()
    return upright


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(_EXIF_ORIENTATION, 1)
    except _DECODE_ERRORS:
        return 1  # unreadable EXIF: the pixels are still good, show them as stored
    return value if value in _ORIENTATION_FIXES else 1


def _split_alpha(image: Image.Image) -> tuple[Image.Image, Image.Image | None]:
    """The colour channels and, when the image has any transparency, its alpha channel."""
    has_transparency = "transparency" in image.info or image.mode in ("RGBA", "RGBa", "LA", "La", "PA")
    if not has_transparency:
        colour_mode = _COLOUR_MODES.get(image.mode)
        return (image.convert(colour_mode) if colour_mode else image), None
    if image.mode in ("1", "L", "LA", "La"):
        with_alpha = image.convert("LA")
        return with_alpha.convert("L"), with_alpha.getchannel("A")
    if image.mode in ("P", "PA", "RGB", "RGBA", "RGBa"):
        with_alpha = image.convert("RGBA")
        return with_alpha.convert("RGB"), with_alpha.getchannel("A")
    return image, None  # transparency on an exotic mode (16-bit grey): ignore it rather than fail


def _to_eight_bit(image: Image.Image) -> Image.Image:
    """16-bit, 32-bit and float greys scaled into 0..255 (Pillow's own conversion clips them to white)."""
    if image.mode.startswith("I;16"):
        return image.convert("I").point(lambda value: value / 257).convert("L")
    if image.mode not in ("I", "F"):
        return image
    low, high = image.getextrema()
    if low >= 0 and high <= 1 and image.mode == "F":
        return image.point(lambda value: value * 255).convert("L")
    if low >= 0 and high <= 255:
        return image.convert("L")
    if low >= 0 and high <= 65535:
        return image.point(lambda value: value / 257).convert("L")
    scale = 255 / (high - low) if high > low else 0.0  # a flat picture of one odd value becomes black
    return image.point(lambda value: (value - low) * scale).convert("L")


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    if image.mode == "LAB":
        converted = _convert_lab(image)
    elif icc_profile:
        converted = _convert_with_profile(image, icc_profile)
    else:
        converted = None
    if converted is not None:
        return converted
    return image if image.mode == "RGB" else image.convert("RGB")


def _convert_with_profile(image: Image.Image, icc_profile: bytes) -> Image.Image | None:
    """`image` converted from its embedded profile to sRGB, or None when that cannot be done."""
    try:
        transform = _transform_to_srgb(bytes(icc_profile), image.mode)
    except Exception:  # any bad profile or missing ImageCms: keep the pixels as they are
        return None
    return _apply(transform, image)


def _convert_lab(image: Image.Image) -> Image.Image | None:
    try:
        transform = _transform_to_srgb(None, "LAB")
    except Exception:  # without ImageCms there is no sane LAB conversion
        return None
    return _apply(transform, image)


def _apply(transform: Callable[[Image.Image], Image.Image] | None, image: Image.Image) -> Image.Image | None:
    if transform is None:
        return None
    try:
        return transform(image)
    except Exception:  # a profile that does not fit the pixels: keep them as they are
        return None


@bytes_bounded(8 * MB, weigh=lambda transform: 200_000)  # the key weighs in the profile's bytes
def _transform_to_srgb(icc_profile: bytes | None, mode: str) -> Callable[[Image.Image], Image.Image] | None:
    """A cached converter from the profile (LAB when None) in `mode` to sRGB RGB; None without ImageCms."""
    try:
        from PIL import ImageCms
    except ImportError:
        return None
    source = ImageCms.createProfile("LAB") if icc_profile is None else ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
    transform = ImageCms.buildTransform(
        source,
        ImageCms.createProfile("sRGB"),
        mode,
        "RGB",
        renderingIntent=ImageCms.Intent.PERCEPTUAL,
        # Without its one-pixel cache a shared transform is safe to use from several threads.
        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION | ImageCms.Flags.NOCACHE,
    )
    return transform.apply


def _flatten(rgb: Image.Image, alpha: Image.Image) -> Image.Image:
    background = Image.new("RGB", rgb.size, ALPHA_BACKGROUND)
    background.paste(rgb, mask=alpha)
    return background


def _turn_upright(image: Image.Image, orientation: int) -> Image.Image:
    fix = _ORIENTATION_FIXES.get(orientation)
    return image if fix is None else image.transpose(fix)


def _is_heif(header: bytes) -> bool:
    brands = _ftyp_brands(header)
    return bool(brands & _HEIF_BRANDS) and not brands & _AVIF_BRANDS


def _ftyp_brands(header: bytes) -> set[bytes]:
    """The major and compatible brands of an ISO media file (HEIF, AVIF, MP4), empty for anything else."""
    if header[4:8] != b"ftyp":
        return set()
    box_end = min(int.from_bytes(header[0:4], "big"), len(header))
    compatible = {header[start : start + 4] for start in range(16, box_end - 3, 4)}
    return {header[8:12]} | compatible


def _require_heif_plugin(label: str) -> None:
    if not _register_heif_opener():
        raise _problem(
            label,
            "reading HEIC photos needs the pillow-heif package",
            "install it (pip install pillow-heif) or export the photo as JPEG",
        )


@functools.cache
def _register_heif_opener() -> bool:
    """Load pillow-heif only when a HEIF photo turns up, so start-up stays fast."""
    try:
        import pillow_heif
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True


def _unidentified(label: str, header: bytes) -> PhotoError:
    if _ftyp_brands(header) & _AVIF_BRANDS:
        return _problem(
            label, "this Pillow was built without AVIF support", "upgrade Pillow or export the photo as JPEG"
        )
    known = _name_other_format(header)
    if known:
        return _problem(label, f"{known} files are not supported", _CHOOSE_SUPPORTED, PHOTO_NOT_AN_IMAGE)
    if Path(label).suffix.lower() in _IMAGE_SUFFIXES:
        return _problem(label, "the file is damaged or not really an image", _CHOOSE_SUPPORTED)
    return _problem(label, "the file is not an image", _CHOOSE_SUPPORTED, PHOTO_NOT_AN_IMAGE)


def _name_other_format(header: bytes) -> str | None:
    """The name of a recognisable file format we do not read, for a more helpful message."""
    start = header.lstrip()[:256].lower()
    signatures = {
        b"%pdf": "PDF",
        b"%!ps": "PostScript",
        b"\xc5\xd0\xd3\xc6": "EPS",
        b"<svg": "SVG",
        b"8bps": "Photoshop (PSD)",
        b"\xff\x4f\xff\x51": "JPEG 2000",
        b"\x00\x00\x00\x0cjp  ": "JPEG 2000",
        b"\xff\x0a": "JPEG XL",
        b"\x00\x00\x00\x0cjxl ": "JPEG XL",
        b"\x00\x00\x01\x00": "icon (ICO)",
    }
    for signature, name in signatures.items():
        if start.startswith(signature):
            return name
    if start.startswith(b"<?xml") and b"<svg" in start:
        return "SVG"
    if _ftyp_brands(header):
        return "video (MP4/MOV)"
    return None


def _damaged(label: str, exc: BaseException) -> PhotoError:
    if "truncated" in str(exc).lower():
        return _problem(label, "the file is incomplete (truncated)", "copy, export or download the photo again")
    return _problem(label, "the file is damaged and cannot be decoded", "export or download the photo again")


def _too_many_pixels(label: str, size: tuple[int, int] | None) -> PhotoError:
    dimensions = f"{size[0]}x{size[1]} pixels, " if size else ""
    return _problem(
        label,
        f"the image is too large ({dimensions}over the limit of {MAX_PIXELS:,} pixels)",
        "choose a smaller photo or scale it down", PHOTO_TOO_LARGE,
    )


def _permission_denied(label: str) -> PhotoError:
    return _problem(label, "permission denied", "make the file readable or copy it somewhere you can read")


def _is_a_folder(label: str) -> PhotoError:
    return _problem(label, "this is a folder, not a photo", f"give the path of a {SUPPORTED_FORMATS} file")


def _problem(label: str, what: str, fix: str, kind: str = PHOTO_UNREADABLE) -> PhotoError:
    return PhotoError(f"photo {label}: {what}; {fix}", kind)


def _printable(name: str) -> str:
    """`name` on one line: a file name may hold newlines or terminal escapes."""
    return "".join(char if char.isprintable() else "?" for char in name)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.0f} MB"


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or type(exc).__name__
