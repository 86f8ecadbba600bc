"""The one path from validated specs to files, shared by make, batch and the web page."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import NamedTuple

from generator.export import WrittenPost, check_folder, encode, existing_post, prepare_folder, write_post
from generator.jpeg_rows import Shared
from generator.pictures import make_meanwhile
from generator.spec import PostSpec
from generator.styles import style_for


class EncodedPost(NamedTuple):  # not a dataclass: an eighth of the import cost, paid by every cold `make`
    spec: PostSpec
    image_bytes: bytes


def render_post(spec: PostSpec, whole_layer: bool = True) -> EncodedPost:
    """Render and encode one post in memory. A background that other posts may share (any but an upload's,
    which is not kept) has its encoded rows kept, so the next post on it encodes only the rows it drew on.
    `whole_layer=False` when no other post will use the picture's frosted layer (see make_meanwhile)."""
    style = style_for(spec)
    pictures = make_meanwhile(spec.flower, spec.format.size, style.blur, whole_layer, style.shows_canvas)
    from generator.compose import render  # imported while the picture is made

    rendered = render(spec, pictures)
    shared = None
    if rendered.drawn_rows and spec.flower.data is None:
        shared = Shared(rendered.picture, *rendered.drawn_rows)
    return EncodedPost(spec, encode(rendered.image, spec, shared))


def make_posts(specs: list[PostSpec], folder: Path, force: bool = False, animated: bool = False) -> list[WrittenPost]:
    """Render every post before writing any, so a post that cannot be laid out leaves nothing behind.
    `animated`: each post is rendered again for its animation, which reads the whole frosted layer."""
    folder = Path(folder)
    check_folder(folder)
    kept = {} if force else {spec: existing_post(spec, folder) for spec in specs}
    pending = [spec for spec in specs if not kept.get(spec)]
    shared = layers_shared(pending)
    encoded = {spec: render_post(spec, whole_layer=animated or layer_key(spec) in shared) for spec in pending}
    if encoded:
        prepare_folder(folder)
    return [kept.get(spec) or write_post(spec, encoded[spec].image_bytes, folder) for spec in specs]


def layers_shared(specs) -> set[tuple]:
    """The frosted layers (by layer_key) that more than one of `specs` reads: only those are made whole and
    kept. A layer one post reads is made for the part it reads (make_meanwhile's `whole_layer=False`)."""
    counts = Counter(layer_key(spec) for spec in specs)
    return {key for key, count in counts.items() if count > 1}


def layer_key(spec: PostSpec) -> tuple:
    return spec.flower, spec.format.size, style_for(spec).blur
