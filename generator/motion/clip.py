"""One animated post in memory: frames made, streamed to the encoder, checked against the platform's cap."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from generator.errors import ExportError
from generator.formats import video_limit
from generator.motion.encode import QUALITY, Mp4Encoder, require_av
from generator.motion import timeline as clock
from generator.motion.timeline import Timeline
from generator.spec import PostSpec

QUALITY_STEPS = (0, 4, 8)  # if a clip is over its platform's cap, encode it again this much coarser


def animate_post(spec: PostSpec, seconds: float | None = None, processes: int | None = None,
                 progress: Callable[[int, int], None] | None = None) -> bytes:
    """The post as an MP4 (H.264): the picture moving, then the message appearing, then the still post."""
    require_av()
    from generator.motion.frames import FrameMaker
    from generator.motion.render import frame_planes

    timeline = Timeline(clock.SECONDS if seconds is None else seconds)
    maker = FrameMaker(spec, timeline)
    limit = video_limit(spec.format.name)
    data = b""
    for step in QUALITY_STEPS:
        encoder = Mp4Encoder(spec.format.size, timeline.fps, QUALITY + step)
        for planes in frame_planes(maker, processes, progress):
            encoder.add(planes)
        data = encoder.finish()
        if len(data) <= limit:
            return data
    raise ExportError(f"{spec.format.name}: the video is {len(data) / 1e6:.1f} MB even at the lowest quality, over "
                      f"the {limit / 1e6:.0f} MB we allow for it; try a calmer picture")


PREVIEW_WIDTH = 270


def animate_preview(spec: PostSpec, width: int = PREVIEW_WIDTH, processes: int | None = 1) -> bytes:
    """A quick, small version of the same clip for a page to show before the full one is made: the post
    laid out in proportion at `width` pixels wide (the safe zones and the timing are the same)."""
    if spec.format.width <= width:
        return animate_post(spec, processes=processes)
    height = round(spec.format.height * width / spec.format.width)
    return animate_post(replace(spec, format=replace(spec.format, width=width, height=height)), processes=processes)
