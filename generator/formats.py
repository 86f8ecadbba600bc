"""Platform presets as data: pixel size, safe zone, caption / alt-text / file-size limits.

Each preset's figures carry their source beside them (checked December 2026). Where a platform states a file
cap in megabytes without saying which, the decimal value (the smaller) is used, so a file under our cap is
under theirs either way.
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
    counting: str = "characters"  # how the platform counts a caption: a rule in counting.COUNTERS
    alt_counting: str = "characters"  # how it counts alt text
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


INSTAGRAM_BYTES = 8_000_000
"""Meta's content publishing docs for Instagram: JPEG images up to 8 MB."""

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        # Instagram Help Centre: photos are shown 1080 px wide, from 1.91:1 to 3:4; captions up to 2,200
        # characters; Meta's Business Help: at most 5 hashtags work best.
        Format("instagram-square", 1080, 1080, 2200, None, max_bytes=INSTAGRAM_BYTES, max_hashtags=5,
               notes="keep hashtags to 5 or fewer"),
        Format("instagram-portrait", 1080, 1350, 2200, None, max_bytes=INSTAGRAM_BYTES, max_hashtags=5,
               safe_zone=SafeZone(top=0.06, bottom=0.06), notes="4:5; the profile grid crops to about 3:4"),
        # Since January 2025 the profile grid shows every post at 3:4, and a 1080x1440 upload is shown whole
        # there and in the feed; the margins also keep the text inside a 4:5 centre crop (45 px each end),
        # which is how the apps that do not show 3:4 yet display it.
        Format("instagram-3x4", 1080, 1440, 2200, None, max_bytes=INSTAGRAM_BYTES, max_hashtags=5,
               safe_zone=SafeZone(top=0.08, bottom=0.08),
               notes="3:4, the shape of the profile grid: shown whole there and in the feed"),
        # Stories: Meta's creative specs, 1080x1920 with ~250 px at the top and ~340 px at the bottom under
        # the interface.
        Format("instagram-story", 1080, 1920, None, None, max_bytes=INSTAGRAM_BYTES, max_hashtags=5,
               safe_zone=SafeZone(top=250 / 1920, bottom=340 / 1920),
               notes="text kept out of the top 250 px and bottom 340 px"),
        # X developer docs (docs.x.com, media upload): images up to 5 MB; twitter-text: weighted length 280;
        # X Help Centre: image descriptions up to 1,000 characters; 16:9 shows uncropped in the timeline.
        Format("x", 1600, 900, 280, 1000, max_bytes=5_000_000, counting="x-weighted",
               notes="280 weighted: CJK and emoji count 2, links 23"),
        # Meta's link-share guidance: 1200x630 (1.91:1); posts up to 63,206 characters. Meta publishes no
        # file cap for a photo in a post (the Page photos API reference names none), so none is set.
        Format("facebook", 1200, 630, 63206, None, notes="link / landscape"),
        Format("facebook-portrait", 1080, 1350, 63206, None),
        # Bluesky (atproto lexicon app.bsky.embed.images): a blob of at most 1,000,000 bytes, alt text up to
        # 2,000 graphemes, posts up to 300 graphemes; 975 KiB leaves room for the upload's own overhead.
        Format("bluesky", 1600, 900, 300, 2000, max_bytes=975 * 1024, counting="graphemes",
               alt_counting="graphemes", notes="images must stay under 1,000,000 bytes"),
        Format("bluesky-portrait", 1080, 1350, 300, 2000, max_bytes=975 * 1024, counting="graphemes",
               alt_counting="graphemes", notes="images must stay under 1,000,000 bytes"),
        # Mastodon defaults (docs.joinmastodon.org; mastodon.social's /api/v2/instance): images up to
        # 16 MB (16,777,216 bytes), posts 500 characters, media descriptions 1,500 characters.
        Format("mastodon", 1600, 900, 500, 1500, max_bytes=16_000_000),
        # Threads API docs (developers.facebook.com/documentation/threads/posts): posts 500 characters, an
        # emoji counting as its UTF-8 bytes, one topic tag a post; images up to 8 MB (Meta's media specs, as for Instagram). Its alt_text has no
        # documented limit: 1,000 characters, as X allows, is kept as a safe cap.
        Format("threads", 1080, 1350, 500, 1000, max_bytes=8_000_000, counting="threads", max_hashtags=1,
               notes="one topic tag per post; an emoji counts as its UTF-8 bytes"),
        # LinkedIn: 1200x627 for shared images and posts up to 3,000 characters (LinkedIn Help); images up to
        # 5 MB and under 36,152,320 pixels (as the posting APIs built on LinkedIn's document them).
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
