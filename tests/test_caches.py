"""Caches bounded by bytes: memory stays flat whatever a long-running server is asked for."""

from __future__ import annotations

import threading

from PIL import Image

from generator.caches import BytesBoundedCache, BytesBoundedTable, bytes_bounded, size_of


def test_a_cache_keeps_recent_results_within_its_bytes():
    made = []

    @bytes_bounded(4_700_000)
    def canvas(width: int) -> Image.Image:
        made.append(width)
        return Image.new("RGB", (width, 1000))

    for width in (400, 500, 600, 400):  # 1.6 + 2.0 MB fit; 600 (2.4 MB) pushes out 400, so 400 is made again
        canvas(width)
    info = canvas.cache_info()
    assert made == [400, 500, 600, 400]
    assert info.bytes <= 4_700_000 and info.entries == 2
    canvas(400)
    assert made == [400, 500, 600, 400] and canvas.cache_info().hits == 1


def test_a_result_larger_than_the_whole_budget_is_returned_but_not_kept():
    @bytes_bounded(1_000_000)
    def huge() -> bytes:
        return b"x" * 2_000_000

    assert len(huge()) == 2_000_000
    assert huge.cache_info().entries == 0 and huge.cache_info().bytes == 0


def test_the_key_is_weighed_too():
    @bytes_bounded(100_000)
    def echo(text: str) -> int:
        return len(text)

    for index in range(100):
        echo(str(index) * 1000)
    assert echo.cache_info().bytes <= 100_000 < sum(size_of(str(i) * 1000) for i in range(100))


def test_images_are_weighed_by_their_pixels():
    assert size_of(Image.new("RGB", (1080, 1920))) >= 1080 * 1920 * 4  # Pillow keeps RGB in four bytes a pixel
    assert size_of(Image.new("L", (1080, 1920))) < 1080 * 1920 * 2
    assert size_of(Image.new("L", (100, 100))) < size_of(Image.new("RGBA", (100, 100)))


def test_threads_share_a_cache_safely():
    cache = BytesBoundedCache(lambda n: bytes(n), 50_000, size_of)

    def hammer(offset: int) -> None:
        for index in range(2000):
            assert len(cache((index * 7 + offset) % 300)) == (index * 7 + offset) % 300

    threads = [threading.Thread(target=hammer, args=(offset,)) for offset in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    info = cache.cache_info()
    assert info.bytes <= 50_000 and info.hits + info.misses == 8000


def test_the_renderers_caches_are_bounded_by_bytes():
    from generator import compose, fonts, pictures
    from generator.flowers import _cached_background, _upload_background
    from generator.flowers.photo import _transform_to_srgb
    from generator.flowers.upload import RECENT_UPLOAD_BYTES
    from generator.web.answers import thumbnail

    from generator import jpeg_rows

    caches = [_cached_background, _upload_background, pictures._cached_frosted, compose._rounded_mask,
              compose._scrim_mask, compose._logo_image, fonts.load, _transform_to_srgb, thumbnail,
              jpeg_rows._learned]
    assert all(isinstance(cache, BytesBoundedTable) for cache in caches)
    assert sum(cache.max_bytes for cache in caches) + RECENT_UPLOAD_BYTES <= 200_000_000


def test_recent_uploads_are_kept_within_their_bytes(monkeypatch):
    from generator.flowers import upload

    monkeypatch.setattr(upload, "RECENT_UPLOAD_BYTES", 3_000_000)
    monkeypatch.setattr(upload, "_recent", type(upload._recent)())
    for shade in range(5):
        upload.uploaded_flower(bytes([shade]) * 1_000_000, f"p{shade}.jpg")
    assert sum(map(len, upload._recent.values())) <= 3_000_000
    big = upload.uploaded_flower(b"y" * 4_000_000, "big.jpg")  # the newest is kept even when over the budget
    assert list(upload._recent.values()) == [big.data]


def test_an_upload_is_decoded_once_for_a_preview_and_three_platforms_with_makes_bytes(run, tmp_path):
    import base64
    import io
    import json
    from pathlib import Path

    from generator.flowers import _decoded_upload
    from generator.web import create_app

    from conftest import flower_photo

    picture = flower_photo(size=(4001, 3001))  # odd sizes: the reduced scale rounds up
    exif = Image.Exif()
    exif[0x0112] = 6  # stored on its side: upright, it is portrait
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=88, exif=exif)
    photo = buffer.getvalue()
    (tmp_path / "garden.jpg").write_bytes(photo)
    formats = ["instagram-square", "instagram-portrait", "instagram-story"]  # all decoded at half size
    result = run("make", "--json", "-q", "-o", str(tmp_path / "made"), "-f", str(tmp_path / "garden.jpg"),
                 "-m", "Flowers for the medics", *[arg for name in formats for arg in ("-F", name)])
    made = {post["format"]: Path(post["image"]).read_bytes() for post in json.loads(result.stdout)["posts"]}

    client = create_app().test_client()
    before = _decoded_upload.cache_info().misses
    preview = client.post("/api/preview", data={"photo": (io.BytesIO(photo), "garden.jpg"), "format": formats[0],
                                                "message": "Flowers for the medics"})
    assert preview.status_code == 200
    response = client.post("/api/post", data={"photo": (io.BytesIO(photo), "garden.jpg"), "format": formats,
                                              "message": "Flowers for the medics"})
    assert response.status_code == 200, response.get_json()
    assert _decoded_upload.cache_info().misses - before == 1
    for post in response.get_json()["posts"]:
        assert base64.b64decode(post["image"].split(",", 1)[1]) == made[post["format"]], post["format"]


def test_an_upload_decoded_whole_is_refused_above_a_phones_size_before_decoding(monkeypatch):
    import io

    import pytest

    from generator.errors import PhotoError
    from generator.flowers import upload

    monkeypatch.setattr(upload, "MAX_WHOLE_DECODE_PIXELS", 1_000_000)
    png, jpeg = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (1200, 1000), (90, 140, 80)).save(png, "PNG")
    Image.new("RGB", (1200, 1000), (90, 140, 80)).save(jpeg, "JPEG")
    with pytest.raises(PhotoError) as refused:
        upload.uploaded_flower(png.getvalue(), "meadow.png")
    assert str(refused.value) == ("photo meadow: the picture is too large for this page; choose a smaller photo, "
                                  "or save it as JPEG")
    assert upload.uploaded_flower(jpeg.getvalue(), "meadow.jpg").kind == "photo"  # decoded reduced: accepted
