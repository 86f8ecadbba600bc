"""The first-use work every batch worker would otherwise repeat, done once in the server they are forked from.

Imported there (batch.WORKER_MODULES) while the campaign is still being validated; each worker inherits the
result. Only what is the same for every campaign: the encoders' plugins, the grapheme patterns, whether
Pillow shapes with Raqm, and the bundled fonts' character maps.
"""

from __future__ import annotations

from PIL import JpegImagePlugin, PngImagePlugin  # noqa: F401 - imported by the first encode otherwise

from generator import counting, fonts

counting.grapheme_clusters("")
fonts.has_raqm()
for _weight in (fonts.MESSAGE_WEIGHT, fonts.TAG_WEIGHT):
    for _face in fonts.chain_for(_weight).faces:
        fonts.coverage(_face)
