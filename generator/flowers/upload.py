"""A supporter's uploaded photo as a flower source: held in memory, named by its content, never on disk.

The web page receives photos as bytes. `uploaded_flower` wraps them in a `FlowerChoice` of kind
"photo" that carries the bytes itself (`FlowerChoice.data`), so `background()` decodes them with
`open_photo_bytes` and nothing is written anywhere. The digest is the sha256 of the bytes, exactly as
for a photo given by path: the same photo gives the same post name and the same image bytes whether
it came through `solidarity make -f garden.jpg` or an upload called garden.jpg.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from pathlib import PurePosixPath

from generator.errors import PHOTO_TOO_LARGE, PHOTO_UNREADABLE, PhotoError
from generator.flowers import FlowerChoice, Focus
from generator.flowers.photo import MAX_FILE_BYTES, SUPPORTED_FORMATS

DEFAULT_NAME = "photo"
RECENT_UPLOAD_BYTES = 26_000_000
# A JPEG is decoded at the reduced scale a post needs; other formats are decoded whole, so a server keeps
# them to what a phone takes (a 48-MP photo), not the 100 MP a campaign's own machine may decode.
MAX_WHOLE_DECODE_PIXELS = 50_000_000

# The last few uploads' bytes by digest, within RECENT_UPLOAD_BYTES (the newest is always kept). A live preview sends the same photo again with every edit; sharing
# one copy keeps the background cache (one entry per photo and size) from holding a copy per request.
_recent: OrderedDict[str, bytes] = OrderedDict()
_recent_lock = threading.Lock()


def uploaded_flower(data: bytes, name: str, focus: Focus | None = None) -> FlowerChoice:
    """The uploaded photo `data` (sent as the file `name`) as a flower; decoded only when a post needs it."""
    stem = upload_stem(name)
    if not data:
        raise PhotoError(f"photo {stem}: the file is empty; choose a {SUPPORTED_FORMATS} photo", PHOTO_UNREADABLE)
    if len(data) > MAX_FILE_BYTES:
        raise PhotoError(f"photo {stem}: the file is {len(data) / 1e6:.0f} MB, over the "
                         f"{MAX_FILE_BYTES / 1e6:.0f} MB limit; choose a smaller photo", PHOTO_TOO_LARGE)
    _refuse_huge_whole_decode(data, stem)
    digest = hashlib.sha256(data).hexdigest()
    return FlowerChoice("photo", stem, digest, focus=focus, data=_shared(digest, bytes(data)))


def _refuse_huge_whole_decode(data: bytes, stem: str) -> None:
    import io
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                kind, (width, height) = image.format, image.size
    except Exception:  # noqa: BLE001 - not an image Pillow knows: decoding will say so clearly
        return
    if kind not in ("JPEG", "MPO") and width * height > MAX_WHOLE_DECODE_PIXELS:
        raise PhotoError(f"photo {stem}: the picture is too large for this page; choose a smaller photo, "
                         f"or save it as JPEG", PHOTO_TOO_LARGE)


def _shared(digest: str, data: bytes) -> bytes:
    with _recent_lock:
        data = _recent.setdefault(digest, data)
        _recent.move_to_end(digest)
        while len(_recent) > 1 and sum(map(len, _recent.values())) > RECENT_UPLOAD_BYTES:
            _recent.popitem(last=False)
    return data


def upload_stem(name: str | None) -> str:
    """The file name a browser sent, without folders or extension, printable on one line.

    Browsers send a bare name, but some old ones send a full Windows path (C:\\fakepath\\x.jpg).
    """
    stem = PurePosixPath(re.split(r"[\\/]", name or "")[-1]).stem
    printable = "".join(char if char.isprintable() else "?" for char in stem).strip()
    return printable[:100] or DEFAULT_NAME
