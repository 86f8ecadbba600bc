"""Platform presets as data: pixel size, safe zone, caption / alt-text / file-size limits.

Sources (checked 2026): Instagram Help Centre and Meta's creative specs (feed 1080x1080 and 4:5 1080x1350,
stories 1080x1920 with ~250 px top / ~340 px bottom covered by the interface, captions 2,200 characters);
X developer docs and twitter-text (weighted length 280, images up to 5 MB, alt text 1,000 characters);
Meta's link-share image guidance (1200x630) and post limit (63,206 characters); Bluesky's app limits
(300 graphemes, 2,000-character alt text, images up to 1,000,000 bytes); Mastodon's defaults (500 characters,
1,500-character descriptions); Threads (500 characters, one topic tag); LinkedIn (1200x627, 3,000 characters).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.errors import UsageError


@dataclass(frozen=True)
class SafeZone:
    """Margins that platform interfaces cover, as fractions of the canvas."""

    top: float = 0.05
    right: float = 0.05
    bottom: float = 0.05
    left: float = 0.05

    def box(self, size: tuple[int, int]) -> tuple[int, int, int, int]:
        width, height = size
        return (
            round(width * self.left),
            round(height * self.top),
            round(width * (1 - self.right)),
            round(height * (1 - self.bottom)),
        )


@dataclass(frozen=True)
class Format:
    name: str
    width: int
    height: int
    caption_limit: int | None
    alt_limit: int | None
    max_bytes: int | None = None
    counting: str = "characters"  # how the platform counts a caption: characters, x-weighted, graphemes
    max_hashtags: int | None = None
    safe_zone: SafeZone = SafeZone()
    notes: str = ""

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)

    @property
    def orientation(self) -> str:
        if self.width > self.height:
            return "landscape"
        return "portrait" if self.height > self.width else "square"


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("instagram-square", 1080, 1080, 2200, None, max_hashtags=5, notes="keep hashtags to 5 or fewer"),
        Format("instagram-portrait", 1080, 1350, 2200, None, max_hashtags=5,
               safe_zone=SafeZone(top=0.06, bottom=0.06), notes="4:5; the profile grid crops to about 3:4"),
        Format("instagram-story", 1080, 1920, None, None, max_hashtags=5,
               safe_zone=SafeZone(top=250 / 1920, bottom=340 / 1920),
               notes="text kept out of the top 250 px and bottom 340 px"),
        Format("x", 1600, 900, 280, 1000, max_bytes=5_000_000, counting="x-weighted",
               notes="280 weighted: CJK and emoji count 2, links 23"),
        Format("facebook", 1200, 630, 63206, None, notes="link / landscape"),
        Format("facebook-portrait", 1080, 1350, 63206, None),
        Format("bluesky", 1600, 900, 300, 2000, max_bytes=975 * 1024, counting="graphemes",
               notes="images must stay under 1 MB"),
        Format("bluesky-portrait", 1080, 1350, 300, 2000, max_bytes=975 * 1024, counting="graphemes",
               notes="images must stay under 1 MB"),
        Format("mastodon", 1600, 900, 500, 1500),
        Format("threads", 1080, 1350, 500, 1000, max_hashtags=1, notes="one topic tag per post"),
        Format("linkedin", 1200, 627, 3000, None, max_bytes=5_000_000),
    )
}

DEFAULT_FORMAT = "instagram-square"


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise UsageError(f"unknown format '{name}'; choose one of: {', '.join(FORMATS)} (or all)") from None


def resolve_formats(names: tuple[str, ...] | list[str]) -> tuple[Format, ...]:
    """Formats by name, in the order given, without repeats; `all` means every preset."""
    if not names:
        return (FORMATS[DEFAULT_FORMAT],)
    chosen: dict[str, Format] = {}
    for name in names:
        for one in FORMATS.values() if name == "all" else (get_format(name),):
            chosen.setdefault(one.name, one)
    return tuple(chosen.values())


# --- animated posts (make --animate) ---------------------------------------------------------------------
# Video limits per platform (checked 2026), all far above our 6-8 s clips; the tighter cap we keep is ours:
# an 8-s 1080x1920 clip of at most 8 MB loads fast on a phone on a poor connection.
# Instagram Reels / Stories: MP4 H.264, up to 4 GB and 15 min (Meta Business Help Centre, "Reels specs");
# Facebook: up to 4 GB, 240 min (Meta Business Help Centre, "Video specs"); X: up to 512 MB, 2 min 20 s
# (X Help Center, "How to post videos"); Bluesky: up to 100 MB, 3 min (Bluesky blog, "Video on Bluesky");
# Mastodon: 99 MB by default on mastodon.social (Mastodon docs, "MEDIA_VIDEO_SIZE_LIMIT"); Threads: up to
# 5 min (Instagram Help Centre, Threads); LinkedIn: 75 KB to 5 GB, 3 s to 30 min (LinkedIn Help, "Video").
VIDEO_MAX_BYTES = 8_000_000
VIDEO_PLATFORM_BYTES: dict[str, int] = {
    "instagram-square": 4_000_000_000, "instagram-portrait": 4_000_000_000, "instagram-story": 4_000_000_000,
    "x": 512_000_000, "facebook": 4_000_000_000, "facebook-portrait": 4_000_000_000,
    "bluesky": 100_000_000, "bluesky-portrait": 100_000_000, "mastodon": 99_000_000,
    "threads": 1_000_000_000, "linkedin": 5_000_000_000,
}


def video_limit(name: str) -> int:
    """The most bytes an animated post in this format may have: the platform's cap or ours, the lower."""
    return min(VIDEO_MAX_BYTES, VIDEO_PLATFORM_BYTES.get(name, VIDEO_MAX_BYTES))

