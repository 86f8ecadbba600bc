"""Looking at a clip: its frames decoded back, a strip of moments side by side, a small looping preview."""

from __future__ import annotations

import io
from collections.abc import Iterator

from PIL import Image

from generator.motion.encode import require_av

STRIP_MOMENTS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


def decoded_frames(data: bytes) -> Iterator[Image.Image]:
    """Every frame of an MP4, as RGB pictures (BT.709, as it was encoded)."""
    av = require_av()
    from av.video.reformatter import ColorRange, Colorspace

    with av.open(io.BytesIO(data)) as container:
        for frame in container.decode(video=0):
            yield frame.reformat(format="rgb24", src_colorspace=Colorspace.ITU709,
                                 src_color_range=ColorRange.MPEG).to_image()


def strip(data: bytes, moments=STRIP_MOMENTS, height: int = 480) -> Image.Image:
    """Frames at `moments` (fractions of the clip) side by side, each `height` pixels tall."""
    frames = list(decoded_frames(data))
    picks = [frames[round(moment * (len(frames) - 1))] for moment in moments]
    width = round(picks[0].width * height / picks[0].height)
    gap = max(2, height // 60)
    sheet = Image.new("RGB", (len(picks) * width + (len(picks) - 1) * gap, height), (255, 255, 255))
    for k, frame in enumerate(picks):
        sheet.paste(frame.resize((width, height), Image.Resampling.LANCZOS), (k * (width + gap), 0))
    return sheet


def looping_webp(data: bytes, height: int = 320, every: int = 3, quality: int = 60) -> bytes:
    """A small looping animated WebP of the clip (every `every`-th frame), for documentation."""
    frames = [frame for k, frame in enumerate(decoded_frames(data)) if k % every == 0]
    width = round(frames[0].width * height / frames[0].height)
    small = [frame.resize((width, height), Image.Resampling.LANCZOS) for frame in frames]
    buffer = io.BytesIO()
    small[0].save(buffer, "WEBP", save_all=True, append_images=small[1:], duration=round(1000 * every / 30),
                  loop=0, quality=quality, method=4)
    return buffer.getvalue()
