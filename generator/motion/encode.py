"""H.264 in MP4 through PyAV (FFmpeg inside its wheel): fixed settings, nothing about who made it.

- High profile, yuv420p, BT.709 colour tagged, 30 fps; x264 with a fixed preset, quality and thread count,
  so the same frames give the same bytes on any machine.
- No metadata: the container is written "bitexact" (no creation time, no muxer version), and x264's SEI
  message (its version and every option, in the first frame) is cut out of the stream.
- The index (moov) is moved in front of the media data in memory, like FFmpeg's +faststart, so a phone
  plays the clip while it loads.
"""

from __future__ import annotations

import io
import struct
from fractions import Fraction

from generator.errors import ExportError

PRESET = "veryfast"
QUALITY = 20  # x264's constant rate factor: lower is better and larger
THREADS = 2
KEYFRAME_SECONDS = 2
# x264's macroblock tree (mbtree) gave different bytes for the same frames from one run to the next with
# the libx264 inside PyAV's wheels; without it the output is repeatable (and barely larger for calm clips).
X264_PARAMS = "open-gop=0:scenecut=0:mbtree=0"
VIDEO_INSTALL_HINT = "animated posts need PyAV: pip install 'solidarity-posts[video]' (or pip install av)"


def video_available() -> bool:
    """Whether PyAV (the video extra) is installed, without importing it."""
    import importlib.util

    return importlib.util.find_spec("av") is not None


def require_av():
    try:
        import av
    except ImportError:
        raise ExportError(VIDEO_INSTALL_HINT) from None
    return av


def even_size(size: tuple[int, int]) -> tuple[int, int]:
    """yuv420p needs even sides: an odd one gets one more row or column (a copy of its last)."""
    return (size[0] + size[0] % 2, size[1] + size[1] % 2)


def yuv_planes(image) -> tuple[bytes, ...]:
    """One RGB frame as the encoder's yuv420p planes (done in the frame workers, not the encoder)."""
    av = require_av()
    from av.video.reformatter import ColorRange, Colorspace

    image = _padded_even(image)
    frame = av.VideoFrame.from_image(image).reformat(format="yuv420p", dst_colorspace=Colorspace.ITU709,
                                                     dst_color_range=ColorRange.MPEG)
    return tuple(_visible(plane) for plane in frame.planes)


def _padded(data: bytes, plane) -> bytes:
    """Rows of `data` laid out at the plane's row stride (zeros in the padding, so it is always the same)."""
    if plane.line_size == plane.width:
        return data
    pad = bytes(plane.line_size - plane.width)
    return b"".join(data[row * plane.width:(row + 1) * plane.width] + pad for row in range(plane.height))


def _visible(plane) -> bytes:
    """A plane's pixels without the alignment padding at the end of each row (whose bytes are undefined)."""
    data = memoryview(plane)
    if plane.line_size == plane.width:
        return bytes(data)
    return b"".join(data[row * plane.line_size:row * plane.line_size + plane.width] for row in range(plane.height))


def _padded_even(image):
    size = even_size(image.size)
    if size == image.size:
        return image
    from PIL import Image

    padded = Image.new("RGB", size)
    padded.paste(image, (0, 0))
    padded.paste(image.crop((0, image.height - 1, image.width, image.height)), (0, size[1] - 1))
    padded.paste(padded.crop((image.width - 1, 0, image.width, size[1])), (size[0] - 1, 0))
    return padded


class Mp4Encoder:
    """Frames in (as yuv420p planes), MP4 bytes out; everything stays in memory."""

    def __init__(self, size: tuple[int, int], fps: int, quality: int = QUALITY) -> None:
        av = require_av()
        from av.bitstream import BitStreamFilterContext

        self.av = av
        self.size = even_size(size)
        self.fps = fps
        self.buffer = io.BytesIO()
        self.container = av.open(self.buffer, "w", format="mp4", options={"fflags": "+bitexact"})
        self.container.metadata.clear()
        stream = self.container.add_stream("libx264", rate=fps, options={
            "preset": PRESET, "crf": str(quality), "profile": "high", "threads": str(THREADS),
            "g": str(fps * KEYFRAME_SECONDS), "x264-params": X264_PARAMS})
        stream.width, stream.height = self.size
        stream.pix_fmt = "yuv420p"
        context = stream.codec_context
        context.colorspace = context.color_primaries = context.color_trc = 1  # BT.709
        context.color_range = 1  # limited ("MPEG") range, what every player expects
        self.stream = stream
        self._strip = BitStreamFilterContext("filter_units=remove_types=6", stream)  # 6: SEI
        self._count = 0

    def add(self, planes: tuple[bytes, ...]) -> None:
        frame = self.av.VideoFrame(*self.size, "yuv420p")
        for plane, data in zip(frame.planes, planes):
            plane.update(_padded(data, plane))
        frame.pts = self._count
        frame.time_base = Fraction(1, self.fps)
        self._count += 1
        self._mux(self.stream.encode(frame))

    def finish(self) -> bytes:
        self._mux(self.stream.encode(None))
        self._mux(None)
        self.container.close()
        return index_first(self.buffer.getvalue())

    def _mux(self, packets) -> None:
        for packet in self._strip.filter(None) if packets is None else (
                p for packet in packets for p in self._strip.filter(packet)):
            packet.stream = self.stream
            self.container.mux(packet)


# --- faststart: the moov box before the mdat box -----------------------------------------------------------

_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl"}


def index_first(data: bytes) -> bytes:
    """The same MP4 with its index (moov) moved in front of the media (mdat), chunk offsets corrected."""
    boxes = list(_boxes(data, 0, len(data)))
    kinds = [kind for kind, _, _ in boxes]
    if b"moov" not in kinds or b"mdat" not in kinds:
        raise ExportError("the video encoder wrote an MP4 without an index; this is a bug, please report it")
    if kinds.index(b"moov") < kinds.index(b"mdat"):
        return data
    head = b"".join(data[start:end] for kind, start, end in boxes if kind == b"ftyp")
    moov = next(data[start:end] for kind, start, end in boxes if kind == b"moov")
    old_media = next(start for kind, start, _ in boxes if kind == b"mdat")
    shift = len(head) + len(moov) - old_media
    moved = _shift_offsets(moov, shift)
    rest = b"".join(data[start:end] for kind, start, end in boxes if kind not in (b"ftyp", b"moov", b"free"))
    return head + moved + rest


def _boxes(data: bytes, start: int, end: int):
    position = start
    while position + 8 <= end:
        size, kind = struct.unpack(">I4s", data[position:position + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", data[position + 8:position + 16])[0], 16
        elif size == 0:
            size = end - position
        if size < header or position + size > end:
            raise ExportError("the video encoder wrote a damaged MP4; this is a bug, please report it")
        yield kind, position, position + size
        position += size


def _shift_offsets(box: bytes, shift: int) -> bytes:
    out = bytearray(box)
    _patch(out, 0, len(out), shift)
    return bytes(out)


def _patch(buffer: bytearray, start: int, end: int, shift: int) -> None:
    for kind, box_start, box_end in list(_boxes(bytes(buffer[start:end]), 0, end - start)):
        box_start, box_end = box_start + start, box_end + start
        if kind in _CONTAINERS:
            _patch(buffer, box_start + 8, box_end, shift)
        elif kind in (b"stco", b"co64"):
            count = struct.unpack(">I", buffer[box_start + 12:box_start + 16])[0]
            width, fmt = (4, ">I") if kind == b"stco" else (8, ">Q")
            for k in range(count):
                at = box_start + 16 + k * width
                value = struct.unpack(fmt, buffer[at:at + width])[0] + shift
                buffer[at:at + width] = struct.pack(fmt, value)
