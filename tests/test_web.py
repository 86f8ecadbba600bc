"""`solidarity serve`: the local web page's endpoints, through Flask's test client."""

from __future__ import annotations

import builtins
import hashlib
import io
import json
import logging
import os
import random
import re
import tempfile
from pathlib import Path
from urllib.parse import unquote

import pytest

flask = pytest.importorskip("flask", reason="the web page needs Flask (pip install 'flask>=3.0')")

from PIL import Image  # noqa: E402

from conftest import files_in, flower_photo, gps_exif  # noqa: E402
from generator.errors import UsageError  # noqa: E402
from generator.formats import get_format  # noqa: E402
from generator.messages import find_template  # noqa: E402
from generator.styles import get_style  # noqa: E402
from generator.web import create_app  # noqa: E402
from generator.web.failures import page_message  # noqa: E402
from generator.web.serving import is_loopback  # noqa: E402

SECRETS = (b"Exif", b"GPS", b"SecretPhone", b"PhoneMaker", b"taken at home", b"ICC_PROFILE")


@pytest.fixture
def client():
    return create_app().test_client()


def jpeg_with_gps(size=(1600, 1200), noisy=False) -> bytes:
    """A phone-like JPEG with GPS, camera model and a comment; `noisy` makes it large (over 500 kB)."""
    image = flower_photo(size)
    if noisy:
        rng = random.Random(3)
        noise = Image.frombytes("L", size, rng.randbytes(size[0] * size[1])).convert("RGB")
        image = Image.blend(image, noise, 0.35)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95, exif=gps_exif(), comment=b"taken at home")
    return buffer.getvalue()


def form(**fields):
    """Multipart form data for the test client; `photo=(bytes, name)` becomes a file part."""
    data = {}
    for key, value in fields.items():
        if key == "photo":
            payload, name = value
            data["photo"] = (io.BytesIO(payload), name, "application/octet-stream")
        else:
            data[key] = value
    return {"data": data, "content_type": "multipart/form-data"}


def encoded_form(**fields):
    """Like `form`, but encoded up front: the test client would itself spool a big body to a temporary file."""
    from werkzeug.datastructures import FileStorage, MultiDict
    from werkzeug.test import encode_multipart

    values = MultiDict()
    for key, value in fields.items():
        if key == "photo":
            payload, name = value
            values.add("photo", FileStorage(io.BytesIO(payload), filename=name, content_type="image/jpeg"))
        else:
            for one in value if isinstance(value, list) else [value]:
                values.add(key, one)
    boundary, body = encode_multipart(values)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def assert_one_line(message: str) -> None:
    assert message and "\n" not in message and "Traceback" not in message


# --- the page and its choices ---------------------------------------------------------------------------

def test_options_list_everything_the_page_offers(client):
    response = client.get("/api/options")
    assert response.status_code == 200
    options = response.get_json()
    bundled = {flower["name"]: flower for flower in options["flowers"]["bundled"]}
    assert bundled["cornflower"]["label"] == "Cornflower"
    assert bundled["cornflower-white-red-white"]["label"] == "Cornflower, white-red-white"
    assert any(species["value"] == "grow:cornflower" for species in options["flowers"]["species"])
    languages = {language["code"]: language for language in options["languages"]}
    assert languages["be"]["name"] and languages["en"]["direction"] == "ltr"
    if "ar" in languages:
        assert languages["ar"]["direction"] == "rtl"
    english = {template["id"]: template for template in options["templates"]["en"]}
    assert english["thank-you"]["title"]
    assert english["thank-you"]["text"].startswith("Thank you, doctors and nurses of Belarus")
    assert all(options["templates"][code] for code in languages)
    formats = {f["name"]: f for f in options["formats"]}
    assert formats["x"]["size"] == "1600×900" and (formats["x"]["width"], formats["x"]["height"]) == (1600, 900)
    assert {style["name"] for style in options["styles"]} >= {"card", "light-card"}
    assert options["limits"]["max_upload_bytes"] == 25_000_000


def test_bundled_flower_thumbnails_are_served_and_unknown_names_are_404(client):
    response = client.get("/flowers/cornflower.jpg")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(response.data)).size == (240, 300)
    assert client.get("/flowers/no-such-flower.jpg").status_code == 404


def test_the_page_is_self_contained_accessible_and_states_the_privacy_promise(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert ("Your photo is used only to make your images: it is never stored, and the images carry no location "
            "or camera data.") in re.sub(r"\s+", " ", page)
    assert 'type="file"' in page and 'accept="image/*"' in page and 'capture="environment"' in page
    assert 'aria-live="polite"' in page and 'role="alert"' in page
    controls = re.findall(r'<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"', page)
    assert {"photo", "camera", "message", "lang", "template", "tags", "hashtags", "seed", "species"} <= set(controls)
    for control in controls:
        assert f'<label for="{control}"' in page, f"no <label> for #{control}"
    assert not re.search(r"https?://", page), "the page refers to another site"
    for asset in ("/static/app.js", "/static/style.css"):
        response = client.get(asset)
        assert response.status_code == 200
        assert not re.search(r"https?://", response.get_data(as_text=True)), f"{asset} refers to another site"


def test_responses_forbid_loading_anything_from_elsewhere(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy


# --- preview --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("format_name, size", [("instagram-square", (540, 540)), ("instagram-portrait", (540, 675)),
                                               ("x", (540, 304))])
def test_preview_of_a_bundled_flower_is_a_small_jpeg_of_the_format(client, format_name, size):
    response = client.post("/api/preview", **form(flower="cornflower", message="Thank you, doctors",
                                                  format=format_name))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "image/jpeg" and response.headers["Cache-Control"] == "no-store"
    with Image.open(io.BytesIO(response.data)) as image:
        assert (image.format, image.size) == ("JPEG", size)


def test_a_catalogue_template_and_a_grown_flower_preview_too(client):
    response = client.post("/api/preview", **form(flower="grow:poppy:3", template="not-alone", lang="be",
                                                  format="instagram-story", style="light-card"))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert Image.open(io.BytesIO(response.data)).size == (540, 960)


class DiskWriteRefused(AssertionError):
    pass


def install_disk_guard(monkeypatch) -> None:
    """Any attempt to create or write a file (or a temporary file) fails the test."""
    real_open, real_os_open = builtins.open, os.open
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

    def guarded_open(file, mode="r", *args, **kwargs):
        if any(flag in mode for flag in "wax+"):
            raise DiskWriteRefused(f"tried to write {file!r}")
        return real_open(file, mode, *args, **kwargs)

    def guarded_os_open(path, flags, *args, **kwargs):
        if flags & write_flags:
            raise DiskWriteRefused(f"tried to write {path!r}")
        return real_os_open(path, flags, *args, **kwargs)

    def refuse(*args, **kwargs):
        raise DiskWriteRefused("tried to make a temporary file")

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    for name in ("TemporaryFile", "NamedTemporaryFile", "SpooledTemporaryFile", "mkstemp", "mkdtemp"):
        monkeypatch.setattr(tempfile, name, refuse)
    import werkzeug.formparser

    monkeypatch.setattr(werkzeug.formparser, "SpooledTemporaryFile", refuse)


def test_the_disk_guard_really_catches_werkzeugs_spooling(monkeypatch):
    # A plain Flask app spools an upload over 500 kB to a temporary file: the guard must catch that,
    # or the next test would prove nothing.
    plain = flask.Flask("plain")
    plain.testing = True  # raise the refusal rather than answer 500
    plain.post("/")(lambda: str(len(flask.request.files["photo"].read())))
    request = encoded_form(photo=(b"\0" * 600_000, "big.jpg"))
    install_disk_guard(monkeypatch)
    with pytest.raises(DiskWriteRefused):
        plain.test_client().post("/", **request)


def test_an_uploaded_photo_is_used_in_memory_and_its_metadata_is_gone(client, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    photo = jpeg_with_gps(noisy=True)
    assert len(photo) > 600_000  # big enough that werkzeug would spool it to disk
    temporary = set(os.listdir(tempfile.gettempdir()))
    request = encoded_form(photo=(photo, "garden.jpg"), message="Thank you", format="instagram-portrait")
    with pytest.MonkeyPatch.context() as guard:
        install_disk_guard(guard)
        response = client.post("/api/preview", **request)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert files_in(tmp_path) == []
    assert set(os.listdir(tempfile.gettempdir())) - temporary == set()
    data = response.data
    for secret in SECRETS:
        assert secret not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (540, 675)
        assert len(image.getexif()) == 0 and "exif" not in image.info and "comment" not in image.info


def test_an_uploaded_photo_posts_without_touching_the_disk_either(client, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    photo = jpeg_with_gps(noisy=True)
    request = encoded_form(photo=(photo, "garden.jpg"), message="Thank you", format=["instagram-square", "x"])
    with pytest.MonkeyPatch.context() as guard:
        install_disk_guard(guard)
        response = client.post("/api/post", **request)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert files_in(tmp_path) == []
    for post in response.get_json()["posts"]:
        image_bytes = decode_data_url(post["image"])
        assert not any(secret in image_bytes for secret in SECRETS)


def test_uploads_are_not_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    client.post("/api/preview", **form(photo=(jpeg_with_gps(), "my-secret-garden.jpg"), format="x"))
    client.post("/api/preview", **form(photo=(b"not an image", "my-secret-notes.txt"), format="x"))
    assert "my-secret" not in caplog.text


# --- bad input --------------------------------------------------------------------------------------------

def test_a_text_file_is_refused_with_a_friendly_line(client):
    response = client.post("/api/preview", **form(photo=(b"Dear doctors,\nthank you.\n", "notes.txt")))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert_one_line(error)
    assert response.get_json() == {
        "error": "This file is not a photo the page can use. Choose a JPEG, PNG, WebP, HEIC, AVIF, TIFF, GIF or BMP image.",
        "field": "photo", "kind": "photo-not-an-image"}


def test_a_truncated_jpeg_is_refused_with_a_friendly_line(client):
    photo = jpeg_with_gps()
    response = client.post("/api/preview", **form(photo=(photo[: len(photo) // 2], "garden.jpg")))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert_one_line(error)
    assert error.startswith("This photo cannot be read: it may be damaged or incomplete.")


def test_an_empty_file_is_refused_but_an_empty_file_field_means_no_photo(client):
    response = client.post("/api/preview", **form(photo=(b"", "garden.jpg")))
    assert response.status_code == 400 and response.get_json()["kind"] == "photo-unreadable"
    response = client.post("/api/preview", **form(photo=(b"", ""), flower="cornflower"))
    assert response.status_code == 200 and response.mimetype == "image/jpeg"


def test_an_upload_over_the_size_limit_is_413_with_a_friendly_line(tmp_path):
    client = create_app(max_upload_bytes=50_000).test_client()
    response = client.post("/api/preview", **form(photo=(jpeg_with_gps(noisy=True), "huge.jpg")))
    assert response.status_code == 413
    assert response.get_json() == {
        "error": "The photo is larger than 50 kB: choose a smaller photo, or save it at a lower quality.",
        "field": "photo", "kind": "photo-too-large"}
    response = client.post("/api/post", **form(photo=(b"\xff" * 60_000, "huge.jpg")),
                           headers={"Accept": "text/html"})
    assert response.status_code == 413 and response.is_json  # an /api/ address always answers in JSON


@pytest.mark.parametrize("fields, expected", [
    ({"format": "tiktok"}, lambda: get_format("tiktok")),
    ({"style": "neon"}, lambda: get_style("neon")),
    ({"template": "no-such-template"}, lambda: find_template("no-such-template", "en")),
    ({"lang": "xx"}, lambda: find_template("thank-you", "xx")),
])
def test_unknown_choices_give_the_librarys_one_line_error(client, fields, expected):
    with pytest.raises(UsageError) as library:
        expected()
    for endpoint in ("/api/preview", "/api/post"):
        response = client.post(endpoint, **form(flower="cornflower", **fields))
        assert response.status_code == 400
        assert response.get_json() == {"error": str(library.value), "field": "form", "kind": None}


def test_option_names_become_field_names(client):
    response = client.post("/api/preview", **form(message="   ", format="x"))
    assert response.status_code == 400
    assert response.get_json()["error"] == "The message is empty: write a few words of solidarity."
    assert page_message("--tag 'a b': use letters") == "tag 'a b': use letters"
    assert page_message("unknown format 'x--y'") == "unknown format 'x--y'"


def test_a_message_too_long_for_the_platform_is_a_400(client):
    response = client.post("/api/preview", **form(message="solidarity " * 200, format="x"))
    assert response.status_code == 400
    assert_one_line(response.get_json()["error"])


def test_paths_on_this_computer_are_not_flowers(client):
    response = client.post("/api/preview", **form(flower="/etc/hostname"))
    assert response.status_code == 400
    assert response.get_json()["error"] == "flower '/etc/hostname': choose a flower from the list or upload a photo"


def test_http_errors_are_friendly_json_or_html(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404 and "nothing at this address" in response.get_json()["error"]
    page = client.get("/nothing-here", headers={"Accept": "text/html", "Accept-Language": "be"})
    assert '<html lang="be"' in page.get_data(as_text=True) and "Па гэтым адрасе нічога няма" in page.get_data(as_text=True)
    page = client.get("/nothing-here", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "Back to the start page" in page.get_data(as_text=True)
    response = client.get("/api/preview")
    assert response.status_code == 405 and "Use the page's buttons" in response.get_json()["error"]
    response = client.post("/api/post", data=b"\x00garbage", content_type="multipart/form-data; boundary=")
    assert response.status_code in (200, 400)  # an unreadable body is an empty form: defaults, or a clear 400


def test_an_internal_error_is_a_friendly_500_that_logs_no_details(client, monkeypatch, caplog):
    import generator.posts

    def broken(spec):
        name = "-".join(("secret", "garden.jpg"))  # (not in the raise line: tracebacks quote source lines)
        raise RuntimeError(f"{name} exploded")

    monkeypatch.setattr(generator.posts, "render_post", broken)
    caplog.set_level(logging.DEBUG)
    response = client.post("/api/post", **form(flower="cornflower"))
    assert response.status_code == 500
    error = response.get_json()["error"]
    assert_one_line(error) and "secret" not in error
    assert "RuntimeError" in caplog.text and "secret-garden" not in caplog.text


def test_other_websites_cannot_use_the_page(client):
    response = client.post("/api/preview", **form(flower="cornflower"), headers={"Origin": "https://example.org"})
    assert response.status_code == 403 and "only requests made from itself" in response.get_json()["error"]
    response = client.post("/api/preview", **form(flower="cornflower"), headers={"Origin": "http://localhost"})
    assert response.status_code == 200


# --- the posts: the same bytes as `solidarity make` -------------------------------------------------------

def decode_data_url(url: str) -> bytes:
    import base64

    head, _, payload = url.partition(",")
    assert head == "data:image/jpeg;base64"
    return base64.b64decode(payload)


def made_by_cli(run, tmp_path, *args) -> dict[str, dict]:
    result = run("make", "--json", "-q", "-o", str(tmp_path / "made"), *args)
    assert result.exit_code == 0, result.output
    return {post["format"]: post for post in json.loads(result.stdout)["posts"]}


def test_posts_are_byte_for_byte_what_make_writes(client, run, tmp_path):
    made = made_by_cli(run, tmp_path, "-f", "cornflower", "-m", "Thank you, doctors", "-F", "instagram-square",
                       "-F", "x", "--tag", "@belarus_medics", "--hashtag", "#Medics", "-s", "light-card")
    response = client.post("/api/post", **form(flower="cornflower", message="Thank you, doctors",
                                               format=["instagram-square", "x"], tags="@belarus_medics",
                                               hashtags="Medics", style="light-card"))
    assert response.status_code == 200, response.get_data(as_text=True)
    posts = response.get_json()["posts"]
    assert [post["format"] for post in posts] == ["instagram-square", "x"]
    for post in posts:
        cli = made[post["format"]]
        image_bytes = decode_data_url(post["image"])
        assert image_bytes == Path(cli["image"]).read_bytes()
        assert post["filename"] == Path(cli["image"]).name
        assert post["sha256"] == hashlib.sha256(image_bytes).hexdigest() == cli["sha256"]
        assert (post["caption"], post["alt_text"]) == (cli["caption"], cli["alt_text"])
        assert (post["width"], post["height"]) == (cli["width"], cli["height"])


def test_a_message_that_looks_like_json_comes_back_as_written(client):
    # The images are written into the answer's text directly; the words around them must stay JSON's.
    message = 'He said "free them" \\ "image": "data:x", {"posts": []} \u2014 \u0414\u0437\u044f\u043a\u0443\u0439\n\u0645\u0639\u0643\u0645'
    response = client.post("/api/post", **form(flower="cornflower", message=message, format=["x", "facebook"]))
    assert response.status_code == 200, response.get_data(as_text=True)
    posts = json.loads(response.get_data(as_text=True))["posts"]
    assert [post["format"] for post in posts] == ["x", "facebook"]
    for post in posts:
        assert message.split("\n")[0] in post["caption"]
        assert hashlib.sha256(decode_data_url(post["image"])).hexdigest() == post["sha256"]


def test_an_uploaded_photo_gives_the_bytes_make_gives_for_the_file(client, run, tmp_path):
    photo = jpeg_with_gps()
    path = tmp_path / "garden.jpg"
    path.write_bytes(photo)
    made = made_by_cli(run, tmp_path, "-f", str(path), "-t", "not-alone", "-l", "be", "-F", "facebook")
    response = client.post("/api/post", **form(photo=(photo, "garden.jpg"), template="not-alone", lang="be",
                                               format="facebook"))
    assert response.status_code == 200, response.get_data(as_text=True)
    [post] = response.get_json()["posts"]
    assert decode_data_url(post["image"]) == Path(made["facebook"]["image"]).read_bytes()
    assert post["filename"] == Path(made["facebook"]["image"]).name
    assert post["alt_text"] == made["facebook"]["alt_text"]


def test_the_default_post_needs_no_fields(client):
    response = client.post("/api/post", **form())
    assert response.status_code == 200
    [post] = response.get_json()["posts"]
    assert post["format"] == "instagram-square" and post["filename"].endswith(".jpg")
    assert post["caption"].startswith("Thank you, doctors and nurses of Belarus")


# --- the upload flower and serving ------------------------------------------------------------------------

def test_an_uploaded_flower_is_content_addressed_and_never_shows_its_bytes():
    from generator.flowers import resolve_flower
    from generator.flowers.upload import uploaded_flower

    photo = jpeg_with_gps()
    first, second = uploaded_flower(photo, "C:\\fakepath\\garden.jpg", None), uploaded_flower(photo, "garden.jpg", None)
    assert first == second and hash(first) == hash(second) and first.name == "garden"
    assert first.data is second.data  # one copy in memory however often the preview sends it
    assert first.digest == hashlib.sha256(photo).hexdigest() and first.kind == "photo" and first.path is None
    assert "SecretPhone" not in repr(first) and len(repr(first)) < 400
    assert resolve_flower(first) is first and resolve_flower(first, (0.2, 0.3)).focus == (0.2, 0.3)


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                            ("0.0.0.0", False), ("192.168.1.20", False), ("example.org", False)])
def test_loopback_hosts(host, loopback):
    assert is_loopback(host) is loopback


def test_serve_prints_the_url_and_warns_when_other_machines_can_reach_it(monkeypatch, capsys):
    import werkzeug.serving

    from generator.web import serving as web

    real_make_server = werkzeug.serving.make_server
    servers = []

    def make_server(*args, **kwargs):
        server = real_make_server(*args, **kwargs)
        server.serve_forever = lambda *a, **k: None  # return at once instead of serving
        servers.append(server)
        return server

    monkeypatch.setattr(werkzeug.serving, "make_server", make_server)
    monkeypatch.setattr(web, "_warm_up", lambda: None)
    web.serve("127.0.0.1", 0, False)
    out, err = capsys.readouterr()
    assert re.fullmatch(rf"http://127\.0\.0\.1:{servers[0].port}/\n", out)
    assert "Warning" not in err and "Ctrl+C" in err
    web.serve("0.0.0.0", 0, False)
    out, err = capsys.readouterr()
    assert err.startswith("Warning: serving on 0.0.0.0: other machines on the network can open this page")


def test_a_busy_port_is_one_clear_line():
    from generator.web.serving import _listen

    busy = _listen("127.0.0.1", 0)
    try:
        port = busy.getsockname()[1]
        with pytest.raises(UsageError) as error:
            _listen("127.0.0.1", port)
        assert str(error.value).startswith(f"--port {port}: the port is already in use")
    finally:
        busy.close()


def test_a_template_path_cannot_read_the_servers_files(client, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-TOKEN")
    for template in (str(secret), "../secret.txt", "x.j2", "/etc/hostname"):
        response = client.post("/api/post", data={"template": template, "format": "x"})
        assert response.status_code == 400, template
        assert "SECRET" not in response.get_data(as_text=True)
        assert response.get_json()["error"].endswith("choose a message from the list")


def test_only_loopback_host_names_are_answered(client):
    response = client.get("/api/options", headers={"Host": "evil.example:8000"})
    assert response.status_code == 403
    assert client.get("/api/options", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_the_servers_uploaded_photos_stay_within_their_memory_budget(client):
    from generator.flowers import _upload_background

    for shade in range(4):
        picture = io.BytesIO()
        Image.new("RGB", (300, 300), (shade * 60, 120, 80)).save(picture, "PNG")
        response = client.post("/api/preview", data={"photo": (io.BytesIO(picture.getvalue()), f"p{shade}.png")},
                               content_type="multipart/form-data")
        assert response.status_code == 200
    info = _upload_background.cache_info()
    assert 0 < info.bytes <= info.max_bytes


def test_a_bmp_photo_is_taken_and_the_page_lists_it(client):
    buffer = io.BytesIO()
    flower_photo((1200, 900)).save(buffer, "BMP")
    response = client.post("/api/preview", **form(photo=(buffer.getvalue(), "paint.bmp"), message="Thank you",
                                                   format="x"))
    assert response.status_code == 200, response.get_data(as_text=True)
    page = client.get("/").get_data(as_text=True)
    assert "JPEG, PNG, WebP, HEIC, AVIF, TIFF, GIF or BMP, up to" in page


def _form_with_photo(boundary: str, photo: bytes, epilogue: bytes = b"", message: str = "Free the medics") -> bytes:
    head = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                   for name, value in (("message", message), ("format", "x")))
    return (head + f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="meadow.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n").encode() + photo + f"\r\n--{boundary}--\r\n".encode() + epilogue


def test_a_form_cut_short_is_refused_in_the_supporters_language_not_made_from_the_defaults(client, photo):
    # werkzeug's parser took an unreadable form as empty: the post came back with the default message and
    # the bundled flower, the supporter's words and photo gone.
    boundary = "b0undary"
    body = _form_with_photo(boundary, photo.read_bytes())
    kind = f"multipart/form-data; boundary={boundary}"
    whole = client.post("/api/preview?hl=be", data=body, content_type=kind)
    assert whole.status_code == 200 and "photo" in unquote(whole.headers["X-Alt-Text"])
    for cut in (len(body) // 3, len(body) - 40, len(body) - len(f"--{boundary}--\r\n")):
        answer = client.post("/api/preview?hl=be", data=body[:cut], content_type=kind)
        assert answer.status_code == 400 and answer.mimetype == "application/json", cut
        assert answer.get_json()["error"].startswith("Запыт не ўдалося прачытаць"), cut
    # Cut short after a message that holds the closing delimiter's text: still refused.
    tricky = _form_with_photo(boundary, photo.read_bytes(), message=f"see --{boundary}-- here")
    assert client.post("/api/post?hl=be", data=tricky[:len(tricky) // 2], content_type=kind).status_code == 400
    for unreadable in ("multipart/form-data", "multipart/form-data; boundary=ключ"):  # no boundary, or not ASCII
        assert client.post("/api/post?hl=be", data=body, content_type=unreadable).status_code == 400
    with_epilogue = client.post("/api/post?hl=be", data=_form_with_photo(boundary, photo.read_bytes(), b"end\r\n"),
                                content_type=kind)
    assert with_epilogue.status_code == 200
    plain = client.post("/api/post?hl=be", data={"message": "Дзякуй", "format": "x"})  # urlencoded, as before
    assert plain.status_code == 200 and plain.get_json()["posts"][0]["format"] == "x"


