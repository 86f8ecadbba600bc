"""The first-use work every batch worker would otherwise repeat, done once in the server they are forked from.

Imported there (batch.WORKER_MODULES) while the campaign is still being validated; each worker inherits the
result. Only what is the same for every batch and every environment: the encoders' plugins, the grapheme
patterns, whether Pillow shapes with Raqm, and the bundled fonts' character maps (not the emoji font, which
SOLIDARITY_EMOJI_FONT may change between one batch and the next).
"""

from __future__ import annotations

from PIL import JpegImagePlugin, PngImagePlugin  # noqa: F401 - imported by the first encode otherwise

from generator import counting, fonts


def warm() -> None:
    counting.grapheme_clusters("")
    fonts.has_raqm()
    for weight in (fonts.MESSAGE_WEIGHT, fonts.TAG_WEIGHT):
        for face in (fonts.noto_sans(weight), fonts.noto_sans_arabic(weight)):
            fonts.coverage(face)


try:
    warm()
except Exception:  # noqa: BLE001 - the server would die of it and every batch with it; a worker meets the
    pass           # same problem where it is reported properly, with the post it belongs to
