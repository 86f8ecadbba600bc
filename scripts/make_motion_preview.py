"""Redraw docs/motion-strip.jpg (frames at 0, 20, 40, 60, 80 and 100 % of an animated story) and
docs/motion-preview.webp (a small looping preview of the same clip) for the README.

    python scripts/make_motion_preview.py [--flower grow:cornflower:3]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from generator.motion import animate_post
from generator.motion.preview import looping_webp, strip
from generator.spec import PostRequest, plan_posts

DOCS = Path(__file__).resolve().parent.parent / "docs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flower", default="grow:cornflower:3")
    args = parser.parse_args()
    spec = plan_posts(PostRequest(flower=args.flower, formats=("instagram-story",)))[0]
    clip = animate_post(spec)
    strip(clip, height=640).save(DOCS / "motion-strip.jpg", quality=86, optimize=True)
    (DOCS / "motion-preview.webp").write_bytes(looping_webp(clip, height=480, every=2, quality=55))
    print(f"wrote {DOCS / 'motion-strip.jpg'} and {DOCS / 'motion-preview.webp'}")


if __name__ == "__main__":
    main()
