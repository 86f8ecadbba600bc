"""The page in the supporter's language: chosen per request, remembered in a cookie, errors in the form's words."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import pytest

pytest.importorskip("flask_babel", reason="the web page needs Flask-Babel (pip install flask-babel)")

from PIL import Image  # noqa: E402

from generator.web import create_app  # noqa: E402
from generator.web.language import LANGUAGES  # noqa: E402

# Words the library's command-line lines use that a supporter must never see on the page.
COMMAND_LINE_WORDS = re.compile(r"--[a-z]|\bpx\b|\d+x\d+|instagram-square|thank-you|\btemplate\b", re.IGNORECASE)


@pytest.fixture
def client():
    return create_app().test_client()


def page_language(response) -> tuple[str, str]:
    found = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', response.get_data(as_text=True))
    return found.group(1), found.group(2)


@pytest.mark.parametrize("header, expected", [
    ("be-BY,be;q=0.9,ru;q=0.8", ("be", "ltr")), ("ru-RU", ("ru", "ltr")), ("ar-EG,ar;q=0.9", ("ar", "rtl")),
    ("ja-JP,pl;q=0.5", ("pl", "ltr")), ("ja-JP", ("en", "ltr")), ("", ("en", "ltr")),
])
def test_the_language_comes_from_the_browser(client, header, expected):
    response = client.get("/", headers={"Accept-Language": header})
    assert page_language(response) == expected
    assert response.headers["Content-Language"] == expected[0]
    assert "Accept-Language" in response.headers["Vary"]


def test_switching_the_language_is_remembered_in_the_browser_not_the_server(client):
    response = client.get("/?hl=uk", headers={"Accept-Language": "en"})
    assert page_language(response) == ("uk", "ltr")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("hl=uk;") and "SameSite=Lax" in cookie and "Max-Age=" in cookie
    again = client.get("/", headers={"Accept-Language": "en"})  # the test client sends the cookie back
    assert page_language(again) == ("uk", "ltr") and "Set-Cookie" not in again.headers
    assert page_language(client.get("/?hl=xx", headers={"Accept-Language": "de"})) == ("uk", "ltr")
    fresh = create_app().test_client()  # nothing was kept on the server
    assert page_language(fresh.get("/", headers={"Accept-Language": "de"})) == ("de", "ltr")


def test_the_page_is_built_once_per_language_and_still_remembers_a_switch(client, monkeypatch):
    from generator.web import views

    first = client.get("/", headers={"Accept-Language": "be"})
    built = []
    original = views.render_template
    monkeypatch.setattr(views, "render_template", lambda *args, **kw: built.append(args) or original(*args, **kw))
    for headers in ({"Accept-Language": "be-BY,be;q=0.9"}, {"Accept-Language": "be;q=0.8, xx"}):
        assert client.get("/", headers=headers).get_data() == first.get_data()
    switched = client.get("/?hl=be", headers={"Accept-Language": "de"})  # the switcher: the same page, and a cookie
    assert switched.get_data() == first.get_data() and switched.headers["Set-Cookie"].startswith("hl=be;")
    assert built == []
    assert page_language(client.get("/?hl=ar")) == ("ar", "rtl") and len(built) == 1


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_word_of_the_page_is_in_its_language(client, code):
    html = client.get(f"/?hl={code}").get_data(as_text=True)
    if code != "en":
        english = client.get("/?hl=en").get_data(as_text=True)
        for phrase in ("Make my images", "Your flower", "Private by design", "Where you will post", "Copy caption"):
            assert phrase in english and phrase not in html, (code, phrase)
    strings = re.search(r'<script type="application/json" id="page-strings">(.*?)</script>', html, re.S).group(1)
    assert "<" not in strings  # JSON inside the page cannot end its script element


def test_the_options_speak_the_page_language(client):
    options = client.get("/api/options?hl=be").get_json()
    flowers = {f["name"]: f["label"] for f in options["flowers"]["bundled"]}
    assert flowers["cornflower"] == "Васілёк" and flowers["cornflower-white-red-white"] == "Васілёк, бел-чырвона-белы"
    formats = {f["name"]: f["label"] for f in options["formats"]}
    assert formats["instagram-square"] == "Instagram, квадрат" and formats["x"] == "X (Twitter)"
    assert {s["name"]: s["label"] for s in options["styles"]}["card"] == "Цёмная картка"


@pytest.mark.parametrize("code, words", [
    ("en", "The message is too long for “Instagram, square”"),
    ("be", "Паведамленне задоўгае для «Instagram, квадрат»"),
    ("ar", "الرسالة أطول من اللازم لـ«Instagram، مربع»"),
])
def test_a_message_too_long_is_said_in_the_page_language_for_the_platform_by_how_much(client, code, words):
    response = client.post(f"/api/preview?hl={code}", data={"message": "solidarity " * 60,
                                                           "format": "instagram-square"})
    body = response.get_json()
    assert response.status_code == 400 and body["field"] == "message" and body["kind"] == "message-too-long"
    assert words.replace("“", "").replace("”", "") in body["error"].replace("“", "").replace("”", "")
    assert re.search(r"\d{3,4}", body["error"])  # by how much
    assert not COMMAND_LINE_WORDS.search(body["error"]), body["error"]


@pytest.mark.parametrize("code", ["en", "be", "ar"])
def test_photo_and_message_errors_are_in_the_page_language_without_command_line_words(client, code):
    english = {}
    cases = {
        "empty": {"message": "   "},
        "not an image": {"photo": (io.BytesIO(b"just some notes"), "notes.txt")},
        "damaged": {"photo": (io.BytesIO(b"\xff\xd8\xff\xe0" + b"\0" * 64), "garden.jpg")},
        "no font": {"message": "Thank you \U0001D11E\U000E01EF\U0010FFFD"},
    }
    for case, data in cases.items():
        response = create_app().test_client().post(f"/api/preview?hl={code}", data=data,
                                                   content_type="multipart/form-data")
        body = response.get_json()
        assert response.status_code == 400, (case, body)
        assert not COMMAND_LINE_WORDS.search(body["error"]), (case, body["error"])
        english[case] = body["field"]
    assert english == {"empty": "message", "not an image": "photo", "damaged": "photo", "no font": "message"}


def test_a_too_large_upload_is_said_in_the_page_language(client):
    small = create_app(max_upload_bytes=10_000).test_client()
    response = small.post("/api/preview?hl=be", data={"photo": (io.BytesIO(b"\xff" * 20_000), "big.jpg")},
                          content_type="multipart/form-data")
    assert response.status_code == 413
    assert response.get_json()["error"].startswith("Фота большае за 10 kB")


def test_the_check_says_which_ticked_platforms_the_message_fits_without_rendering(client, monkeypatch):
    import generator.compose

    monkeypatch.setattr(generator.compose, "render", lambda *a, **k: pytest.fail("the check drew pixels"))
    message = "We stand with the medics of Belarus, who cared for everyone. " * 5  # ~300 characters
    response = client.post("/api/check?hl=en", data={"message": message,
                                                      "format": ["instagram-story", "x", "facebook"]})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    results = {r["format"]: r for r in response.get_json()["formats"]}
    assert list(results) == ["instagram-story", "x", "facebook"]
    assert results["instagram-story"]["fits"] is True and results["instagram-story"]["text"] == "fits"
    assert results["x"]["fits"] is False and results["x"]["label"] == "X (Twitter)"
    assert results["x"]["text"] == f"{results['x']['over']} characters too long" and results["x"]["over"] > 20
    empty = client.post("/api/check?hl=be", data={"message": "", "format": "x"}).get_json()
    assert empty["formats"] == [] and empty["field"] == "message" and empty["error"].startswith("Паведамленне пустое")


def test_the_check_takes_all_as_every_platform_as_a_make_does_and_names_an_unknown_one(client):
    from generator.formats import FORMATS

    every = client.post("/api/check?hl=be", data={"message": "Дзякуй", "format": ["all", "x"]})
    assert every.status_code == 200  # it was a 500: the check planned "all" as one platform
    assert [result["format"] for result in every.get_json()["formats"]] == list(FORMATS)
    unknown = client.post("/api/check?hl=be", data={"message": "Дзякуй", "format": "nosuch"})
    assert unknown.status_code == 200 and unknown.get_json()["formats"] == [] and "nosuch" in unknown.get_json()["error"]


def test_the_check_and_make_agree_on_a_message_of_stacked_marks(client):
    # The check measured the lines without their marks' ink: it said the Story fits, then Make refused it.
    data = {"message": "e" + "\u0301" * 30, "format": ["x", "instagram-story"]}
    made = client.post("/api/post?hl=be", data=data)
    assert made.status_code == 400 and made.get_json()["kind"] == "message-too-tall"
    results = {r["format"]: r for r in client.post("/api/check?hl=be", data=data).get_json()["formats"]}
    assert results["x"]["fits"] is True
    assert results["instagram-story"]["fits"] is False
    assert results["instagram-story"]["text"] == made.get_json()["error"]
    assert not COMMAND_LINE_WORDS.search(results["instagram-story"]["text"])


@pytest.mark.parametrize("hl, start", [("be", "«Instagram» лепш працуе"), ("ar", "من الأفضل ألّا")])
def test_a_platforms_hashtag_advice_is_in_the_page_language(client, hl, start):
    # It was the command line's line: "instagram-square: 7 hashtags; the platform works best with 5 or fewer".
    data = {"message": "hi", "format": "instagram-square", "hashtags": "#a1 #a2 #a3 #a4 #a5 #a6"}
    [post] = client.post(f"/api/post?hl={hl}", data=data).get_json()["posts"]
    [warning] = post["warnings"]
    assert warning.startswith(start) and "5" in warning
    assert not COMMAND_LINE_WORDS.search(warning)


def test_the_preview_carries_the_posts_real_alt_text(client):
    from generator.spec import PostRequest, plan_posts

    response = client.post("/api/preview?hl=be", data={"flower": "cornflower", "lang": "be", "format": "x",
                                                       "message": "Дзякуй, медыкі!"})
    assert response.status_code == 200
    [spec] = plan_posts(PostRequest(flower="cornflower", language="be", formats=("x",), message="Дзякуй, медыкі!"))
    assert unquote(response.headers["X-Alt-Text"]) == spec.alt_text
    assert Image.open(io.BytesIO(response.data)).format == "JPEG"


def test_a_bad_tag_is_shown_at_the_tags_in_the_page_language(client):
    body = client.post("/api/check?hl=pl", data={"message": "Dziękujemy", "format": "x", "hashtags": "#Medycy #a-b"}).get_json()
    assert body["field"] == "tags" and body["kind"] == "tag-invalid"
    assert body["error"].startswith("„#a-b” nie może być oznaczeniem")


def _stale_catalogues(folder):
    """A copy of the page's catalogues whose .mo files look older than their .po, as pip may leave them."""
    import os
    import shutil

    from generator.web.language import TRANSLATIONS

    shutil.copytree(TRANSLATIONS, folder)
    for mo in folder.glob("*/LC_MESSAGES/messages.mo"):
        os.utime(mo, (1_000_000, 1_000_000))
    return {mo: mo.stat().st_mtime for mo in folder.glob("*/LC_MESSAGES/messages.mo")}


def test_an_installed_package_never_rewrites_its_catalogues(tmp_path, monkeypatch):
    import generator.web.language as language

    before = _stale_catalogues(tmp_path / "translations")
    monkeypatch.setattr(language, "TRANSLATIONS", tmp_path / "translations")
    monkeypatch.setattr(language, "CHECKOUT", tmp_path)  # site-packages: no pyproject.toml beside the package
    create_app()
    assert {mo: mo.stat().st_mtime for mo in before} == before
    (tmp_path / "pyproject.toml").write_text("[project]\n", encoding="utf-8")  # a checkout compiles stale ones
    create_app()
    assert all(mo.stat().st_mtime > before[mo] for mo in before) and len(before) == len(LANGUAGES)


@pytest.mark.parametrize("installed", [True, False])
def test_the_animated_option_is_offered_only_with_the_video_extra(monkeypatch, installed):
    import generator.motion.encode as encode

    monkeypatch.setattr(encode, "video_available", lambda: installed)
    page = create_app().test_client().get("/").get_data(as_text=True)
    assert ('id="animate"' in page) is installed
