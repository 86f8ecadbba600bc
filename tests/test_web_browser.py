"""The web page end to end on a phone (390×844, touch), in a real headless Chromium driven by Playwright.

Needs Debian's chromium (`apt-get install -y chromium`) and the Playwright package (`pip install playwright`;
its own browser download is not used). Skipped, with the reason, when either is missing. Every wait is for
a response or a state of the page, never for time. Set SOLIDARITY_SCREENSHOTS=DIR to keep a screenshot of
each step.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import threading
import zipfile
from pathlib import Path

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
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
SCREENSHOTS = os.environ.get("SOLIDARITY_SCREENSHOTS")

# What a supporter sees and types, per language: the page's words come from its catalogue.
LANGUAGES = {
    "en": {"dir": "ltr", "make": "Make my images", "message": "Thank you, doctors of Belarus. We stand with you.",
           "ready": "Your images are ready below.", "photo": "My own photo", "share": "Share",
           "download": "Download", "copied": "✓ Copied", "fits": "fits", "too_long": "characters too long"},
    "be": {"dir": "ltr", "make": "Зрабіць выявы", "message": "Дзякуй вам, медыкі Беларусі. Мы з вамі.",
           "ready": "Вашы выявы гатовыя — глядзіце ніжэй.", "photo": "Маё фота", "share": "Падзяліцца",
           "download": "Спампаваць", "copied": "✓ Скапіявана", "fits": "змяшчаецца", "too_long": "задоўгае на"},
    "ar": {"dir": "rtl", "make": "اصنع صوري", "message": "شكرًا لكم يا أطباء بيلاروس. نحن معكم.",
           "ready": "صورك جاهزة في الأسفل.", "photo": "صورتي", "share": "مشاركة",
           "download": "تنزيل", "copied": "✓ تم النسخ", "fits": "يتسع", "too_long": "أطول"},
}

# Keeps the photo each request sends, as the browser prepared it (Chromium hides blob bodies from the driver).
UPLOAD_RECORDER = """
window.__uploads = [];
const realFetch = window.fetch;
window.fetch = (url, options = {}) => {
  if (options.body instanceof FormData && options.body.get("photo")) window.__uploads.push(options.body.get("photo"));
  return realFetch(url, options);
};
"""

SHARE_STUB = """
window.__shared = [];
navigator.canShare = (data) => Boolean(data && data.files && data.files.length);
navigator.share = async (data) => {
  const files = await Promise.all(data.files.map(async (f) => ({
    name: f.name, type: f.type, size: f.size, head: Array.from(new Uint8Array(await f.slice(0, 3).arrayBuffer())),
  })));
  window.__shared.push({ text: data.text, files });
  document.documentElement.dataset.shared = String(window.__shared.length);  // a state expect() can wait for
};
"""


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
def open_page(browser, server_url):
    contexts = []
    errors: list[str] = []

    def open_page(language: str = "en", share: bool = False):
        context = browser.new_context(**PHONE, locale=language, accept_downloads=True,
                                      permissions=["clipboard-read", "clipboard-write"])
        contexts.append(context)
        context.add_init_script(UPLOAD_RECORDER)
        if share:
            context.add_init_script(SHARE_STUB)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text)
                if message.type == "error" and not re.search(r"status of 4(00|13)", message.text) else None)
        page.goto(server_url)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], errors  # no script errors, no content-security-policy refusals (4xx answers are tested)


def photo_bytes(size=(1600, 1200), orientation: int | None = None) -> bytes:
    exif = gps_exif()
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    flower_photo(size, centre=(0.3, 0.6), background=(150, 90, 60)).save(
        buffer, "JPEG", quality=90, exif=exif, comment=b"taken at home")
    return buffer.getvalue()


def is_post(path: str):
    return lambda response: response.url.split("?")[0].endswith(path) and response.request.method == "POST"


def wait_for_preview(page, old_src: str | None = None) -> str:
    expect(page.locator("#frame")).to_have_attribute("aria-busy", "false")
    preview = page.locator("#preview")
    if old_src is not None:
        expect(preview).not_to_have_attribute("src", old_src)
    expect(preview).to_have_class(re.compile(r"\bloaded\b"))
    return preview.get_attribute("src")


def no_accessibility_violations(page, step: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, f"{step}: {results.generate_report()}"


def screenshot(page, language: str, step: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{language}-{step}.png"))


def last_upload(page) -> bytes:
    """The photo the page last sent, byte for byte."""
    values = page.evaluate("async () => Array.from(new Uint8Array(await window.__uploads.at(-1).arrayBuffer()))")
    return bytes(values)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_whole_journey_on_a_phone(open_page, language, tmp_path):
    words = LANGUAGES[language]
    page = open_page(language, share=True)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", words["dir"])
    first_src = wait_for_preview(page)
    expect(page.locator("#fit li")).to_have_count(1)
    message = page.locator("#message")
    expect(message).to_have_attribute("lang", language)  # the message's language starts as the page's
    make = page.get_by_role("button", name=words["make"])
    expect(make).to_be_in_viewport()  # the main action is within reach from the start
    no_accessibility_violations(page, "start")
    screenshot(page, language, "1-start")

    # Tick a second platform (a chip), then type: every ticked platform is checked, the preview stays in view.
    page.locator("label[for='format-x']").tap()
    expect(page.locator("#fit li")).to_have_count(2)
    message.fill(words["message"] * 6)
    expect(page.locator("#fit li.too-long[data-format='x']")).to_contain_text(words["too_long"])
    expect(page.locator(".chip.too-long input[value='x']")).to_have_count(1)
    expect(page.locator("#preview")).to_be_in_viewport()
    expect(make).to_be_in_viewport()
    no_accessibility_violations(page, "too long")
    screenshot(page, language, "2-too-long")
    with page.expect_response(is_post("/api/preview")):
        message.fill(words["message"])
    expect(page.locator("#fit li.fits")).to_have_count(2)
    expect(page.locator("#fit li.fits[data-format='x']")).to_contain_text(words["fits"])
    typed_src = wait_for_preview(page, first_src)
    page.evaluate("window.scrollTo(0, document.getElementById('lang').getBoundingClientRect().top + scrollY - 250)")
    expect(message).to_be_in_viewport()
    screenshot(page, language, "3-typing")
    alt = page.locator("#preview").get_attribute("alt")
    # The preview's alt text is the post's own: it quotes the message (its full stop ends the whole text).
    assert words["message"].rstrip(".") in alt and alt.endswith(".")

    # A photo, big and sideways by its EXIF orientation: the browser sends it upright, smaller and clean.
    page.get_by_text(words["photo"], exact=True).tap()
    with page.expect_request(lambda r: r.url.split("?")[0].endswith("/api/preview") and r.method == "POST"):
        page.locator("#photo").set_input_files(
            files=[{"name": "garden.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes((3200, 2400), 6)}])
    wait_for_preview(page, typed_src)
    upload = last_upload(page)
    for secret in (b"Exif", b"GPS", b"SecretPhone", b"taken at home"):
        assert secret not in upload
    with Image.open(io.BytesIO(upload)) as shrunk:
        assert shrunk.format == "JPEG" and shrunk.width < shrunk.height  # upright: the portrait it was taken as
        assert shrunk.width == 1600  # as wide as X's 1600-px canvas needs, not 2400
    expect(page.locator("#photo-name")).to_contain_text("garden.jpg")
    no_accessibility_violations(page, "photo")
    screenshot(page, language, "4-photo")

    with page.expect_response(is_post("/api/post")):
        make.tap()
    expect(page.locator("#status")).to_have_text(words["ready"])
    cards = page.locator(".result")
    expect(cards).to_have_count(2)
    first = cards.first
    caption = first.locator("textarea.caption").input_value()
    assert words["message"] in caption and "@amnesty #StandWithBelarus" in caption
    assert first.locator("img").get_attribute("alt") == first.locator("textarea.alt").input_value()
    no_accessibility_violations(page, "results")
    screenshot(page, language, "5-results")

    # Share: one tap hands the image and its caption to the share sheet.
    share = first.get_by_role("button", name=words["share"])
    share.tap()
    # Waiting for a script expression would need eval, which the page's own CSP forbids: wait for the state.
    expect(page.locator("html")).to_have_attribute("data-shared", "1")
    [shared] = page.evaluate("window.__shared")
    assert shared["text"] == caption
    [file] = shared["files"]
    assert re.fullmatch(rf"photo-message-{language}-instagram-square-[0-9a-f]{{10}}\.jpg", file["name"])
    assert file["type"] == "image/jpeg" and file["head"] == [0xFF, 0xD8, 0xFF] and file["size"] > 10_000

    copy = first.locator(".copy-caption")
    copy.tap()
    expect(copy).to_have_text(words["copied"])  # confirmed on the button itself

    with page.expect_download() as downloading:
        page.locator("#download-all").tap()
    archive = tmp_path / downloading.value.suggested_filename
    downloading.value.save_as(archive)
    with zipfile.ZipFile(archive) as bundle:
        assert bundle.testzip() is None
        names = sorted(bundle.namelist())
        assert len(names) == 6 and sum(name.endswith(".alt.txt") for name in names) == 2
        [caption_file] = [n for n in names if "instagram-square" in n and n.endswith(".caption.txt")]
        assert bundle.read(caption_file).decode() == caption + "\n"
        [x_image] = [n for n in names if n.endswith(".jpg") and "-x-" in n]
        with Image.open(io.BytesIO(bundle.read(x_image))) as image:
            assert image.size == (1600, 900) and not image.getexif()


def test_where_files_cannot_be_shared_the_same_button_downloads(open_page, tmp_path):
    page = open_page("en")
    page.evaluate("delete Navigator.prototype.share; delete Navigator.prototype.canShare")
    wait_for_preview(page)
    with page.expect_response(is_post("/api/post")):
        page.get_by_role("button", name="Make my images").tap()
    button = page.locator(".result .share").first
    expect(button).to_have_text("Download")
    with page.expect_download() as downloading:
        button.tap()
    saved = tmp_path / downloading.value.suggested_filename
    downloading.value.save_as(saved)
    assert re.fullmatch(r"cornflower-thank-you-en-instagram-square-[0-9a-f]{10}\.jpg", saved.name)
    with Image.open(saved) as image:
        assert (image.format, image.size) == ("JPEG", (1080, 1080))


def test_a_bad_photo_and_a_too_large_photo_are_explained_on_the_page(open_page, tmp_path):
    # It raced: a refused photo left the old one chosen, whose next preview overwrote the reason. Now a
    # refused photo is forgotten at once, with its preview, and nothing is sent for it again.
    page = open_page("be")
    wait_for_preview(page)
    page.get_by_text("Маё фота", exact=True).tap()
    with page.expect_response(lambda r: is_post("/api/preview")(r) and r.status == 200):
        page.locator("#photo").set_input_files(
            files=[{"name": "garden.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}])
    wait_for_preview(page)
    expect(page.locator("#photo-chosen")).to_be_visible()

    # The server refuses a file that is not a photo: the old photo and its preview go, the reason stays.
    with page.expect_response(lambda r: is_post("/api/preview")(r) and r.status == 400):
        page.locator("#photo").set_input_files(
            files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a photo at all"}])
    error = page.locator("#photo-error")
    expect(error).to_have_text(re.compile(r"^Гэты файл — не фота"))
    expect(page.locator("#photo-chosen")).to_be_hidden()
    expect(page.locator("#preview")).not_to_have_attribute("src", re.compile("."))
    expect(page.locator("#photo")).to_have_attribute("aria-invalid", "true")
    assert page.locator("#photo").evaluate("input => input.files.length") == 0

    # The page refuses a file over the limit before sending it; nothing re-sends the refused photo after.
    previews = []
    page.on("request", lambda r: previews.append(r) if r.url.split("?")[0].endswith("/api/preview") else None)
    huge = tmp_path / "huge.jpg"  # by path, and sparse: sending 25 MB through the driver takes seconds
    with huge.open("wb") as file:
        file.write(b"\xff\xd8")
        file.truncate(25_000_001)
    page.locator("#photo").set_input_files(huge)
    expect(error).to_have_text(re.compile(r"^Фота большае за 25 MB"))
    expect(page.locator("#photo-chosen")).to_be_hidden()
    no_accessibility_violations(page, "photo refused")
    page.get_by_role("button", name="Зрабіць выявы").tap()
    expect(error).to_have_text("Спачатку выберыце сваё фота або адну з нашых кветак.")
    assert previews == []


def test_a_seed_typed_as_a_huge_number_grows_the_last_seed_not_an_english_error(open_page):
    # A number field takes "1e30"; it was sent as grow:SPECIES:1e+30, refused in English with the
    # command line's syntax. The page keeps the seed inside the field's own range.
    page = open_page("be")
    wait_for_preview(page)
    page.locator("label[for=source-grow]").tap()
    wait_for_preview(page)
    with page.expect_response(lambda r: is_post("/api/preview")(r) and ":999999" in (r.request.post_data or "")) \
            as answer:
        page.locator("#seed").fill("1e30")
    assert answer.value.status == 200
    wait_for_preview(page)


def test_the_page_works_by_keyboard_and_switches_language(open_page):
    page = open_page("en")
    wait_for_preview(page)
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    with page.expect_navigation():
        page.get_by_label("Page language").select_option("ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("button", name="اصنع صوري")).to_be_visible()
    message = page.locator("#message")
    expect(message).to_have_attribute("lang", "ar")
    expect(message).to_have_attribute("dir", "rtl")
    page.reload()  # the choice is remembered (a cookie in this browser)
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    page.get_by_label("لغة الرسالة").select_option("be")
    expect(message).to_have_value(re.compile(r"^Дзякуй"))
    expect(message).to_have_attribute("dir", "ltr")
    box = page.locator("h1").bounding_box()
    assert box["x"] + box["width"] > 390 - 40  # right to left: the heading starts at the right edge
    assert json.loads(page.locator("#page-strings").text_content())["share"] == "مشاركة"
