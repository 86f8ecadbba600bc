"""Nothing about the supporter leaks: no metadata of any kind survives into a post."""

from __future__ import annotations

import json

import pytest
from PIL import Image

FORBIDDEN_INFO = {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc", "mp", "dpi"}


def jpeg_segments(data: bytes) -> list[int]:
    """The JPEG marker bytes before the image data: APPn, COM, DQT, SOF, DHT, SOS..."""
    markers, position = [], 2
    while position < len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        position += 2 + int.from_bytes(data[position + 2:position + 4], "big")
    return markers


@pytest.mark.parametrize("image_type", ["jpeg", "png", "webp"])
def test_a_photo_with_gps_gives_a_post_with_no_metadata(run, photo, image_type):
    with Image.open(photo) as original:
        assert original.getexif().get_ifd(0x8825)  # the fixture really carries GPS
    result = run("make", "-f", str(photo), "--image-type", image_type, "--json")
    assert result.exit_code == 0, result.output
    [post] = json.loads(result.stdout)["posts"]
    data = open(post["image"], "rb").read()
    for secret in (b"Exif", b"GPS", b"SecretPhone", b"PhoneMaker", b"taken at home", b"xmp", b"ICC_PROFILE"):
        assert secret not in data
    with Image.open(post["image"]) as image:
        assert not FORBIDDEN_INFO & set(image.info), image.info
        assert len(image.getexif()) == 0
    if image_type == "jpeg":
        app_segments = [m for m in jpeg_segments(data) if 0xE1 <= m <= 0xEF or m == 0xFE]
        assert app_segments == []  # only the bare JFIF APP0 header: no EXIF, XMP, ICC, IPTC or comments
