"""What the endpoints send back: the preview JPEG, finished posts as JSON, flower thumbnails, the options.

The preview is the real post scaled down, so the page shows byte for byte what `solidarity make` writes.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from typing import Any

from flask_babel import get_locale

from generator.caches import MB, bytes_bounded
from generator.errors import SolidarityError
from generator.export import jpeg_bytes, without_metadata
from generator.web import words

MAX_UPLOAD_BYTES = 25_000_000
PREVIEW_WIDTH = 540  # the preview is the real post, scaled down to this width at most
PREVIEW_QUALITY = 85
THUMBNAIL_SIZE = (240, 300)

# One render at a time: a supporter is one person, and the font and image caches stay single-threaded.
render_lock = threading.Lock()


def render_preview(spec) -> bytes:
    from PIL import Image

    from generator.compose import render

    with render_lock:
        image = render(spec).image
    if image.width > PREVIEW_WIDTH:
        height = round(image.height * PREVIEW_WIDTH / image.width)
        # A box reduction by the whole factor, then bilinear for the rest: 2 ms where Lanczos takes 20.
        image = image.resize((PREVIEW_WIDTH, height), Image.Resampling.BILINEAR, reducing_gap=1.0)
    return jpeg_bytes(without_metadata(image), quality=PREVIEW_QUALITY)


def posts_json(specs, dumps) -> bytes:
    """The finished posts as the page's JSON: `{"posts": [...]}`, each with its full-size image as a data URL.

    The images are most of the answer (a megabyte for three posts), and base64 needs no JSON escaping: they
    are written into the text as they are, rather than scanned by the JSON encoder and re-encoded as UTF-8
    (6 ms of a make's CPU). `dumps` is the app's JSON encoder, for everything else."""
    parts = []
    for spec in specs:
        described, image_bytes = _post(spec)
        head = dumps(described, separators=(",", ":")).encode()
        parts.append(b"".join((head[:-1], b',"image":"data:', described["media_type"].encode(), b";base64,",
                               base64.b64encode(image_bytes), b'"}')))
    return b'{"posts":[' + b",".join(parts) + b"]}\n"


def _post(spec) -> tuple[dict[str, Any], bytes]:
    """One finished post: what the page shows of it, and its image."""
    from generator.posts import render_post

    with render_lock:
        image_bytes = render_post(spec).image_bytes
    return {
        "format": spec.format.name, "label": words.format_label(spec.format.name),
        "width": spec.format.width, "height": spec.format.height,
        "filename": f"{spec.name}.{spec.extension}", "media_type": f"image/{spec.image_type}",
        "bytes": len(image_bytes), "sha256": hashlib.sha256(image_bytes).hexdigest(),
        "caption": spec.caption, "alt_text": spec.alt_text, "language": spec.language,
        "direction": spec.direction, "warnings": words.post_warnings(spec),
    }, image_bytes


@bytes_bounded(4 * MB)
def thumbnail(name: str) -> bytes:
    """A small picture of a bundled flower for the page's chooser, cropped around its focal point."""
    from PIL import Image

    from generator.flowers import bundled
    from generator.flowers.crop import cover_crop

    flower = bundled()[name]
    with Image.open(flower.path) as image:
        image.draft("RGB", THUMBNAIL_SIZE)
        picture = cover_crop(image.convert("RGB"), THUMBNAIL_SIZE, flower.focus)
    return jpeg_bytes(picture, quality=84)


def options_payload(max_upload_bytes: int = MAX_UPLOAD_BYTES) -> dict[str, Any]:
    """Everything the page offers: flowers, languages with their messages, platforms and styles."""
    from generator import messages
    from generator.flowers import DEFAULT_FLOWER, GROW_PREFIX, bundled
    from generator.flowers.grow import SPECIES
    from generator.flowers.photo import SUPPORTED_FORMATS
    from generator.formats import DEFAULT_FORMAT, FORMATS
    from generator.styles import DEFAULT_STYLE, STYLES

    catalogue = messages.languages()
    page_language = catalogue.get(str(get_locale())) or catalogue.get("en")
    species_names = page_language.flowers if page_language else {}
    return {
        "flowers": {
            "bundled": [{"value": flower.name, "name": flower.name, "thumbnail": f"/flowers/{flower.name}.jpg",
                         "label": words.flower_label(flower.name, species_names.get(flower.species or "", flower.name))}
                        for flower in bundled().values()],
            "species": [{"value": f"{GROW_PREFIX}{species}", "name": species,
                         "label": species_names.get(species, species.replace("-", " "))} for species in SPECIES],
        },
        "languages": [{"code": language.code, "name": language.name, "direction": language.direction}
                      for language in catalogue.values()],
        "templates": {code: _templates(language) for code, language in catalogue.items()},
        "formats": [{"name": f.name, "label": words.format_label(f.name), "brand": words.brand(f.name),
                     "width": f.width, "height": f.height,
                     "size": f"{f.width}×{f.height}", "notes": f.notes} for f in FORMATS.values()],
        "styles": [{"name": style.name, "label": words.style_label(style.name)} for style in STYLES.values()],
        "defaults": {"flower": DEFAULT_FLOWER, "language": messages.DEFAULT_LANGUAGE,
                     "template": messages.DEFAULT_TEMPLATE, "format": DEFAULT_FORMAT, "style": DEFAULT_STYLE,
                     "tags": list(messages.DEFAULT_TAGS), "hashtags": list(messages.DEFAULT_HASHTAGS)},
        "limits": {"max_upload_bytes": max_upload_bytes, "max_upload_text": size_text(max_upload_bytes),
                   "photo_types": SUPPORTED_FORMATS, "preview_width": PREVIEW_WIDTH},
    }


def _templates(language) -> list[dict[str, str]]:
    found = []
    for template in language.messages.values():
        if any(name not in template.defaults for name in template.variables):
            continue  # needs a value the page does not ask for
        try:
            text = template.render({})
        except SolidarityError:
            continue
        found.append({"id": template.id, "title": template.title, "text": text})
    return found


def size_text(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.0f} MB"
    return f"{max(1, round(size / 1000))} kB"


def page_languages() -> list[dict[str, str]]:
    """The page's languages, each named in itself, for the switcher."""
    from generator import messages
    from generator.web.language import LANGUAGES, direction

    catalogue = messages.languages()
    return [{"code": code, "name": catalogue[code].name if code in catalogue else code, "direction": direction(code)}
            for code in LANGUAGES]


ANIMATED_FORMAT = "instagram-story"  # "Animated (Story / Reel)": the Story / Reel size


def animation(spec, quick: bool) -> bytes:
    """The post as an MP4 in memory: a small quick one for the page to show at once, or the full-size clip."""
    from generator.motion import animate_post, animate_preview

    with render_lock:
        return animate_preview(spec) if quick else animate_post(spec)

