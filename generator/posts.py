"""The one path from validated specs to files, shared by make, batch and the web page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.export import WrittenPost, check_folder, encode, existing_post, prepare_folder, write_post
from generator.spec import PostSpec


@dataclass(frozen=True)
class EncodedPost:
    spec: PostSpec
    image_bytes: bytes


def render_post(spec: PostSpec) -> EncodedPost:
    """Render and encode one post in memory."""
    from generator.compose import render

    return EncodedPost(spec, encode(render(spec).image, spec))


def make_posts(specs: list[PostSpec], folder: Path, force: bool = False) -> list[WrittenPost]:
    """Render every post before writing any, so a post that cannot be laid out leaves nothing behind."""
    folder = Path(folder)
    check_folder(folder)
    kept = {} if force else {spec: existing_post(spec, folder) for spec in specs}
    encoded = {spec: render_post(spec) for spec in specs if not kept.get(spec)}
    if encoded:
        prepare_folder(folder)
    return [kept.get(spec) or write_post(spec, encoded[spec].image_bytes, folder) for spec in specs]
