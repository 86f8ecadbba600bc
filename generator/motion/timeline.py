"""When things happen in an animated post: pure arithmetic on time, no pixels.

Times are fractions of the clip, so a shorter clip (a test's) keeps the same shape. Over an 8-second clip:
the picture moves (grows, or pushes in) for the first 4.3 s and settles; the panel fades in, then the
message, then the rule and tags; the last 2 seconds hold the finished post.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

FPS = 30
SECONDS = 8.0
MOTION_END = 4.3 / 8  # the picture reaches the still's own pixels here...
SETTLE_END = 4.6 / 8  # ...through a short cross-fade (a grown picture's last frames are assembled from pieces)
PANEL = (4.6 / 8, 5.15 / 8)
MESSAGE = (5.15 / 8, 5.75 / 8)  # the text comes in over the finished panel
TAGS = (5.55 / 8, 6.0 / 8)
HOLD = 6.0 / 8  # from here to the end: exactly the still post


def smoothstep(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return x * x * (3 - 2 * x)


def ease_in_out(x: float) -> float:
    """Cubic ease: starts and ends at rest."""
    x = min(1.0, max(0.0, x))
    return 4 * x**3 if x < 0.5 else 1 - (-2 * x + 2) ** 3 / 2


def ease_out(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return 1 - (1 - x) ** 3


def between(x: float, span: tuple[float, float]) -> float:
    """0 before the span, 1 after it, linear inside."""
    start, end = span
    return min(1.0, max(0.0, (x - start) / (end - start)))


@dataclass(frozen=True)
class FrameState:
    """Everything that decides one frame's pixels; equal states give equal frames."""

    motion: float  # 0..1 through the picture's movement (1: the still's picture)
    settle: float  # 0..1 of the cross-fade onto the still's own picture
    panel: float  # the text's surface, faded in
    message: float
    tags: float  # the rule and the tag line
    clock: float  # 0..1 through the clip while the picture moves (for the sway), -1 once it is still

    @property
    def moving(self) -> bool:
        return self.settle < 1.0


@dataclass(frozen=True)
class Timeline:
    seconds: float = SECONDS
    fps: int = FPS

    @property
    def frame_count(self) -> int:
        return max(2, round(self.seconds * self.fps))

    def state(self, index: int) -> FrameState:
        x = index / (self.frame_count - 1)
        settle = smoothstep(between(x, (MOTION_END, SETTLE_END)))
        moving = x < SETTLE_END
        return FrameState(
            motion=min(1.0, x / MOTION_END),
            settle=settle,
            panel=smoothstep(between(x, PANEL)),
            message=smoothstep(between(x, MESSAGE)),
            tags=smoothstep(between(x, TAGS)),
            clock=round(x, 6) if moving else -1.0,
        )

    def text_fully_shown(self, index: int) -> bool:
        state = self.state(index)
        return state.message >= 1.0 and state.tags >= 1.0


def sway(clock: float, phase: float) -> float:
    """A slow breeze, -1..1, that rises from rest and dies away before the picture settles."""
    if clock < 0:
        return 0.0
    envelope = smoothstep(clock / 0.1) * (1 - smoothstep((clock - 0.3) / (MOTION_END * 0.95 - 0.3)))
    seconds = clock * SECONDS
    return envelope * (0.7 * math.sin(math.tau * 0.3 * seconds + phase)
                       + 0.3 * math.sin(math.tau * 0.47 * seconds + 2.1 * phase))
