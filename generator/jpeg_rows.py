"""Baseline JPEGs that restart after every row of blocks, so that a post re-encodes only the rows it drew on.

With a restart marker after each row of 8x8 blocks (one MCU row at 4:4:4), libjpeg codes every row on its
own: the DC predictions start again and the bits are flushed. With the standard Huffman tables a row's bytes
then depend on its pixels alone. A campaign's posts on one flower in one format share the picture outside
the band of rows each draws its text on, so a post takes the other rows' bytes from earlier encodes and
encodes only its band. The file is byte for byte the one libjpeg writes of the whole image (a test holds
them equal), for the band's share of the cost.
"""

from __future__ import annotations

import io
import re
from collections.abc import Hashable
from typing import NamedTuple

from generator.caches import MB, BytesBoundedTable

ROW = 8  # the pixel rows in a row of blocks at 4:4:4, the only subsampling encoded by rows
_RESTART = re.compile(rb"\xff[\xd0-\xd7]")  # in entropy-coded data an 0xFF byte is followed by 0x00 or a marker
_SOF0, _SOS, _EOI = 0xC0, 0xDA, b"\xff\xd9"


class Shared(NamedTuple):  # not a dataclass: a quarter of the import cost, paid by every cold `make`
    """Pixel rows [top, bottom) drawn on by one post: everywhere else its image is the picture `key` names
    (a background, by its serial), pixel for pixel, as in every other post with that key."""

    key: Hashable
    top: int
    bottom: int


# (key, size, quality) -> {row of blocks: its bytes}, from earlier encodes: ~0.5 MB a 1080x1350 picture
_learned = BytesBoundedTable(8 * MB)


def encode(image, quality: int, shared: Shared | None = None) -> bytes:
    """`image` (RGB, no metadata) as a 4:4:4 baseline JPEG with a restart marker after every row of blocks;
    with `shared`, only the rows not already learned for its key are encoded."""
    if shared is None:
        return _whole_jpeg(image, quality)
    if shared.top > shared.bottom:
        raise ValueError(f"drawn rows [{shared.top}, {shared.bottom}) run backwards")
    width, height = image.size
    rows = -(-height // ROW)
    first_row = min(rows - 1, max(0, shared.top) // ROW)
    band = (first_row, max(first_row + 1, min(rows, -(-shared.bottom // ROW))))  # never empty
    table_key = (shared.key, image.size, quality)
    known = _learned.peek(table_key) or {}
    missing = [row for row in (*range(band[0]), *range(band[1], rows)) if row not in known]
    first, last = (min(band[0], missing[0]), max(band[1], missing[-1] + 1)) if missing else band
    header, segments = _split(_whole_jpeg(image.crop((0, first * ROW, width, min(height, last * ROW))), quality))
    if len(segments) != last - first:
        raise RuntimeError(f"the JPEG encoder wrote {len(segments)} restart intervals for {last - first} rows")
    if missing:
        outside = {first + index: segment for index, segment in enumerate(segments)
                   if not band[0] <= first + index < band[1]}
        _learned.put(table_key, {**known, **outside})
    body = [known[row] for row in range(first)] + segments + [known[row] for row in range(last, rows)]
    return _joined(header, body, height)


def _whole_jpeg(image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, subsampling="4:4:4", restart_marker_rows=1)
    return buffer.getvalue()


def _marker_at(data: bytes, marker: int) -> int:
    """Where the first header segment with this marker starts (headers are marker, length, contents)."""
    at = 2
    while data[at + 1] != marker:
        at += 2 + int.from_bytes(data[at + 2:at + 4], "big")
    return at


def _split(data: bytes) -> tuple[bytes, list[bytes]]:
    """A JPEG's headers (to the end of its scan header) and its restart intervals' entropy-coded bytes."""
    at = _marker_at(data, _SOS)
    scan = at + 2 + int.from_bytes(data[at + 2:at + 4], "big")
    if not data.endswith(_EOI):
        raise RuntimeError("the JPEG encoder's output does not end with EOI")
    return data[:scan], _RESTART.split(data[scan:-2])


def _joined(header: bytes, segments: list[bytes], height: int) -> bytes:
    """One file of the row segments, in order, restart markers numbered 0-7 between them, the frame's
    height set to `height` (the header may come from an encode of fewer rows)."""
    header = bytearray(header)
    at = _marker_at(header, _SOF0)
    header[at + 5:at + 7] = height.to_bytes(2, "big")
    parts = [bytes(header)]
    for index, segment in enumerate(segments[:-1]):
        parts += (segment, bytes((0xFF, 0xD0 + index % 8)))
    parts += (segments[-1], _EOI)
    return b"".join(parts)
