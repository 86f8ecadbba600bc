"""The web page end to end, in a real headless Chromium driven by Playwright.

Needs Debian's chromium (`apt-get install -y chromium`) and the Playwright package (`pip install playwright`;
its own browser download is not used). Skipped, with the reason, when either is missing.
"""

from __future__ import annotations

import io
import re
import shutil
import threading

import pytest

pytest.importorskip("flask", reason="the web page needs Flask (pip install 'flask>=3.0')")
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")
CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
if CHROMIUM is None:
    pytest.skip("no chromium browser (apt-get install -y chromium)", allow_module_level=True)

from PIL import Image  # noqa: E402

from conftest import flower_photo, gps_exif  # noqa: E402

expect = sync_api.expect
# Playwright adds --headless itself.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server_url():
    from werkzeug.serving import make_server

    from generator.web import create_app

    server = make_server("127.0.0.1", 0, create_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}/"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and not re.search(r"status of 4(00|13)", message.text) else None)
    page.goto(server_url)
    yield page
    context.close()
    assert errors == [], errors  # no script errors, no content-security-policy refusals (4xx answers are tested)


def jpeg_with_gps() -> bytes:
    buffer = io.BytesIO()
    flower_photo((1600, 1200), centre=(0.3, 0.6), background=(150, 90, 60)).save(
        buffer, "JPEG", quality=90, exif=gps_exif(), comment=b"taken at home")
    return buffer.getvalue()


def is_preview(response) -> bool:
    return response.url.endswith("/api/preview") and response.request.method == "POST"


def wait_for_preview(page, old_src: str | None = None) -> str:
    expect(page.locator("#frame")).to_have_attribute("aria-busy", "false")
    preview = page.locator("#preview")
    if old_src is not None:
        expect(preview).not_to_have_attribute("src", old_src)
    expect(preview).to_have_class(re.compile(r"\bloaded\b"))
    return preview.get_attribute("src")


def test_make_a_post_from_an_uploaded_photo(page, tmp_path):
    first_src = wait_for_preview(page)
    assert first_src.startswith("blob:")

    first_pixels = page.locator("#preview").screenshot()
    page.get_by_label("Message", exact=True).fill("Thank you, doctors of Belarus. We stand with you.")
    typed_src = wait_for_preview(page, first_src)
    typed_pixels = page.locator("#preview").screenshot()
    assert typed_pixels != first_pixels

    photo = jpeg_with_gps()
    page.get_by_text("My own photo").click()
    with page.expect_response(is_preview) as uploaded:
        page.locator("#photo").set_input_files(
            files=[{"name": "garden.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    wait_for_preview(page, typed_src)
    assert uploaded.value.status == 200 and uploaded.value.headers["content-type"] == "image/jpeg"
    photo_pixels = page.locator("#preview").screenshot()
    assert photo_pixels != typed_pixels
    with Image.open(io.BytesIO(photo_pixels)) as shown:  # the photo's brown meadow, not the blue cornflower
        red, green, blue = shown.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
        assert red > blue
    expect(page.locator("#photo-name")).to_have_text("Using garden.jpg")

    page.get_by_label("X (Twitter)").check()
    page.get_by_role("button", name="Make my images").click()
    expect(page.locator("#status")).to_have_text("2 images are ready below.")
    cards = page.locator(".result")
    expect(cards).to_have_count(2)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download for Instagram, square").click()
    download = download_info.value
    assert re.fullmatch(r"photo-message-en-instagram-square-[0-9a-f]{10}\.jpg", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = saved.read_bytes()
    for secret in (b"Exif", b"GPS", b"SecretPhone", b"taken at home"):
        assert secret not in data
    with Image.open(saved) as image:
        image.load()
        assert (image.format, image.size) == ("JPEG", (1080, 1080))
    assert data == rendered_by_the_library(photo, "Thank you, doctors of Belarus. We stand with you.")

    caption = page.get_by_label("Caption for Instagram, square")
    expect(caption).to_have_value(re.compile(r"We stand with you\.\n\n@amnesty #StandWithBelarus"))
    page.get_by_role("button", name="Copy caption").first.click()
    expect(page.locator("#status")).to_have_text(re.compile(r"Caption copied\.|press Ctrl\+C"))

    page.get_by_label("Message", exact=True).fill("")
    expect(page.locator("#error")).to_have_text("The message is empty; write a few words of solidarity")
    expect(page.locator("#stale")).to_be_visible()


def rendered_by_the_library(photo: bytes, message: str) -> bytes:
    from generator.flowers.upload import uploaded_flower
    from generator.posts import render_post
    from generator.spec import PostRequest, plan_posts

    [spec] = plan_posts(PostRequest(flower=uploaded_flower(photo, "garden.jpg"), message=message))
    return render_post(spec).image_bytes


def test_a_bad_photo_and_a_too_large_photo_are_explained_on_the_page(page, tmp_path):
    wait_for_preview(page)
    page.get_by_text("My own photo").click()
    # Wait for the refusal itself: a preview fired by the click above may still be answering.
    with page.expect_response(lambda response: is_preview(response) and response.status == 400):
        page.locator("#photo").set_input_files(
            files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a photo at all"}])
    expect(page.locator("#error")).to_have_text(re.compile(r"^Photo notes: the file is not an image; choose a JPEG"))

    huge = tmp_path / "huge.jpg"  # by path, and sparse: sending 25 MB through the driver takes seconds
    with huge.open("wb") as file:
        file.write(b"\xff\xd8")
        file.truncate(25_000_001)
    page.locator("#photo").set_input_files(huge)
    expect(page.locator("#error")).to_have_text(re.compile(r"^The photo is larger than 25 MB; choose a smaller"))


def test_the_page_works_by_keyboard_and_follows_the_language(page):
    wait_for_preview(page)
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.get_by_label("Language").select_option("be")
    message = page.get_by_label("Message", exact=True)
    expect(message).to_have_attribute("lang", "be")
    expect(message).to_have_value(re.compile(r"^Дзякуй"))
    codes = [option.get_attribute("value") for option in page.locator("#lang option").all()]
    assert {"en", "be"} <= set(codes)
    if "ar" in codes:
        page.get_by_label("Language").select_option("ar")
        expect(message).to_have_attribute("dir", "rtl")
