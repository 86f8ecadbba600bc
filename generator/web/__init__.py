"""The local web page (`solidarity serve`): the same posts as `solidarity make`, for people who never open a terminal.

One page and three JSON/JPEG endpoints over the library: the form becomes the same `PostRequest`, then
the same `plan_posts` and `render_post`, so the page gives byte for byte the images `make` writes.

Privacy: an uploaded photo stays in this process's memory. Multipart uploads are parsed into memory
(werkzeug would otherwise spool a file over 500 kB to a temporary file), nothing is written to disk,
request lines are not logged by `serve`, and an internal error is logged without its message (which
could quote a file name or a supporter's words).

Import this module only when serving: it imports Flask.
"""

from __future__ import annotations

import base64
import functools
import io
import ipaddress
import re
import socket
import sys
import threading
import traceback
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Request, Response, jsonify, render_template, request
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.exceptions import HTTPException

from generator.errors import SolidarityError, UsageError

MAX_UPLOAD_BYTES = 25_000_000
PREVIEW_WIDTH = 540  # the preview is the real post, scaled down to this width at most
PREVIEW_QUALITY = 85
THUMBNAIL_SIZE = (240, 300)
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

FORMAT_LABELS = {
    "instagram-square": "Instagram, square", "instagram-portrait": "Instagram, portrait",
    "instagram-3x4": "Instagram, 3:4 (profile grid)",
    "instagram-story": "Instagram story", "x": "X (Twitter)", "facebook": "Facebook, landscape",
    "facebook-portrait": "Facebook, portrait", "bluesky": "Bluesky, landscape",
    "bluesky-portrait": "Bluesky, portrait", "mastodon": "Mastodon", "threads": "Threads", "linkedin": "LinkedIn",
}
STYLE_LABELS = {"card": "Dark card", "light-card": "Light card", "banner": "Banner", "scrim": "Soft shade",
                "polaroid": "Photo frame", "white-red-white": "White-red-white"}

# Command-line option names in the library's messages, as the page's fields are called.
_FIELD_WORDS = {"--message": "the message", "--template": "the template", "--tag": "tag", "--hashtag": "hashtag",
                "--focus": "focus", "--image-type": "image type", "--lang": "language", "--var": "variable"}

# One render at a time: a supporter is one person, and the font and image caches stay single-threaded.
_render_lock = threading.Lock()


class InMemoryRequest(Request):
    """A request whose uploaded files are parsed into memory, never spooled to a temporary file."""

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return io.BytesIO()


class SolidarityApp(Flask):
    request_class = InMemoryRequest

    def log_exception(self, exc_info) -> None:
        # The exception's type and frames, not its message: a message could quote a file name or the text.
        kind, _, trace = exc_info
        name = kind.__name__ if kind else "error"
        frames = "".join(traceback.format_tb(trace)) if trace else ""
        self.logger.error(f"internal error in {request.method} {request.path}: {name}\n{frames}")


def create_app(max_upload_bytes: int = MAX_UPLOAD_BYTES, host: str = DEFAULT_HOST) -> Flask:
    """The web app; `max_upload_bytes` caps a whole request (the photo and the form). Only requests addressed
    to loopback or to `host` are answered, so a web page cannot reach it through a rebound DNS name."""
    app = SolidarityApp(__name__, static_folder="static", template_folder="templates")
    allowed_hosts = {"localhost", "127.0.0.1", "::1", host.strip("[]").lower()}
    app.config["MAX_CONTENT_LENGTH"] = max_upload_bytes
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    @app.get("/")
    def index():
        from generator.flowers.photo import SUPPORTED_FORMATS

        return render_template("index.html", max_upload_bytes=max_upload_bytes,
                               max_upload_text=_size_text(max_upload_bytes), photo_types=SUPPORTED_FORMATS)

    @app.get("/api/options")
    def options():
        return jsonify(options_payload(max_upload_bytes))

    @app.get("/flowers/<name>.jpg")
    def flower_thumbnail(name: str):
        from generator.flowers import bundled

        if name not in bundled():
            return _error(404, f"there is no bundled flower called '{name}'")
        response = Response(_thumbnail(name), mimetype="image/jpeg")
        response.headers["Cache-Control"] = "max-age=3600"
        return response

    @app.post("/api/preview")
    def preview():
        from generator.spec import plan_posts

        post_request = request_from_form(request.form, request.files, several_formats=False)
        spec = plan_posts(post_request)[0]  # one format ("all" means all: the first is shown)
        image = _render_preview(spec)
        response = Response(image, mimetype="image/jpeg")
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.post("/api/post")
    def post():
        from generator.posts import render_post
        from generator.spec import plan_posts

        specs = plan_posts(request_from_form(request.form, request.files, several_formats=True))
        posts = []
        for spec in specs:
            with _render_lock:
                encoded = render_post(spec)
            posts.append(_post_json(spec, encoded.image_bytes))
        response = jsonify({"posts": posts})
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.before_request
    def refuse_other_websites():
        if urlsplit(f"//{request.host}").hostname not in allowed_hosts:
            return _error(403, "this page answers only at the address solidarity serve printed")
        # Any web page the supporter visits could post a form to 127.0.0.1; only this page may.
        if request.method != "POST":
            return None
        origin = request.headers.get("Origin")
        cross_site = request.headers.get("Sec-Fetch-Site") == "cross-site"
        if cross_site or (origin is not None and urlsplit(origin).netloc != request.host):
            return _error(403, "requests from other websites are refused; use the page itself")
        return None

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    @app.errorhandler(SolidarityError)
    def solidarity_error(error: SolidarityError):
        return _error(400, page_message(str(error)))

    @app.errorhandler(413)
    def too_large(error):
        limit = _size_text(max_upload_bytes)
        return _error(413, f"the photo is larger than {limit}; choose a smaller photo or export it at a lower "
                           f"quality", f"The upload is larger than {limit}.")

    for code, message in ((400, "the request could not be read; reload the page and try again"),
                          (404, "there is nothing at this address; go back to the start page"),
                          (405, "this address does not accept that kind of request; use the page's buttons")):
        app.register_error_handler(code, _handler(code, message))

    @app.errorhandler(500)
    def internal_error(error):
        return _error(500, "something went wrong while making the image; please try again, or try another "
                           "photo or a shorter message")

    return app


def _handler(code: int, message: str):
    def handle(error: HTTPException):
        return _error(code, message)

    return handle


def _error(status: int, message: str, heading: str | None = None):
    """JSON for the page's scripts (and anything under /api/), a friendly HTML page for a person."""
    wants_html = not request.path.startswith("/api/") and request.accept_mimetypes.accept_html
    if wants_html:
        return render_template("error.html", status=status, message=message, heading=heading), status
    return jsonify({"error": message}), status


def page_message(message: str) -> str:
    """A library error as the page shows it: the command-line option names become the form's words."""
    import re

    return re.sub(r"--[a-z-]+(?![a-z-])", lambda found: _FIELD_WORDS.get(found.group(0), found.group(0)), message)


# --- reading the form -----------------------------------------------------------------------------------

def request_from_form(form: MultiDict, files: MultiDict, several_formats: bool):
    """The form fields as the library's `PostRequest` (the same one `solidarity make` builds)."""
    from generator.spec import PostRequest

    formats = tuple(name.strip() for value in form.getlist("format") for name in value.split(",") if name.strip())
    if not several_formats:
        formats = formats[:1]
    return PostRequest(
        flower=_flower(form, files.get("photo")),
        message=_message(form),
        template=_catalogue_template(form),
        language=_text(form, "lang") or "en",
        formats=formats,
        style=_text(form, "style") or "card",
        tags=_words(form.get("tags", "")),
        hashtags=_words(form.get("hashtags", "")),
        image_type=_text(form, "image_type") or "jpeg",
    )


def _catalogue_template(form: MultiDict) -> str | None:
    # Over the web, a template is a catalogue id: a path would turn the server's files into a message.
    template = _text(form, "template")
    if template and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", template):
        raise UsageError(f"template '{template}': choose a message from the list")
    return template


def _flower(form: MultiDict, photo: FileStorage | None):
    from generator.flowers.focus import parse_focus

    focus_text = _text(form, "focus")
    focus = parse_focus(focus_text) if focus_text else None
    data = photo.stream.read() if photo is not None else b""
    if photo is not None and (data or photo.filename):  # a form with no file chosen sends an empty part
        from generator.flowers.upload import uploaded_flower

        return uploaded_flower(data, photo.filename or "photo", focus)
    flower = _text(form, "flower")
    if flower and _looks_like_a_path(flower):
        raise UsageError(f"flower '{flower}': choose a flower from the list or upload a photo")
    from generator.flowers import resolve_flower

    return resolve_flower(flower, focus)


def _looks_like_a_path(text: str) -> bool:
    # Over the web, a flower is a bundled name or grow:SPECIES[:SEED]; a path would read the server's files.
    from generator.flowers import GROW_PREFIX, bundled

    return not text.startswith(GROW_PREFIX) and text not in bundled()


def _message(form: MultiDict) -> str | None:
    # A message field that was sent but left blank is an empty message (the library says so), unless a
    # template was chosen instead; no message field at all means the default template.
    message = form.get("message")
    if message is None or (not message.strip() and _text(form, "template")):
        return None
    return message


def _text(form: MultiDict, name: str) -> str | None:
    value = form.get(name, "")
    return value if value.strip() else None


def _words(text: str) -> tuple[str, ...]:
    return tuple(word for word in text.replace(",", " ").split() if word)


# --- answers --------------------------------------------------------------------------------------------

def _render_preview(spec) -> bytes:
    from PIL import Image

    from generator.compose import render

    with _render_lock:
        image = render(spec).image
    if image.width > PREVIEW_WIDTH:
        height = round(image.height * PREVIEW_WIDTH / image.width)
        # A box reduction by the whole factor, then bilinear for the rest: 2 ms where Lanczos takes 20.
        image = image.resize((PREVIEW_WIDTH, height), Image.Resampling.BILINEAR, reducing_gap=1.0)
    clean = Image.new("RGB", image.size)  # a fresh image: no metadata can ride along
    clean.paste(image.convert("RGB"))
    buffer = io.BytesIO()
    clean.save(buffer, "JPEG", quality=PREVIEW_QUALITY)
    return buffer.getvalue()


@functools.lru_cache(maxsize=64)
def _thumbnail(name: str) -> bytes:
    """A small picture of a bundled flower for the page's chooser, cropped around its focal point."""
    from PIL import Image

    from generator.flowers import bundled
    from generator.flowers.crop import cover_crop

    flower = bundled()[name]
    with Image.open(flower.path) as image:
        image.draft("RGB", THUMBNAIL_SIZE)
        picture = cover_crop(image.convert("RGB"), THUMBNAIL_SIZE, flower.focus)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=84)
    return buffer.getvalue()


def flower_label(name: str) -> str:
    """A short name for a bundled flower: cornflower-white-red-white -> Cornflower, white-red-white."""
    base, ribbon, _ = name.partition("-white-red-white")
    words = base.replace("-", " ")
    return words[:1].upper() + words[1:] + (", white-red-white" if ribbon else "")


def _post_json(spec, image_bytes: bytes) -> dict[str, Any]:
    import hashlib

    media_type = f"image/{spec.image_type}"
    return {
        "format": spec.format.name, "label": FORMAT_LABELS.get(spec.format.name, spec.format.name),
        "width": spec.format.width, "height": spec.format.height,
        "filename": f"{spec.name}.{spec.extension}", "media_type": media_type, "bytes": len(image_bytes),
        "sha256": hashlib.sha256(image_bytes).hexdigest(),
        "image": f"data:{media_type};base64,{base64.b64encode(image_bytes).decode('ascii')}",
        "caption": spec.caption, "alt_text": spec.alt_text, "language": spec.language,
        "direction": spec.direction, "warnings": list(spec.warnings),
    }


def options_payload(max_upload_bytes: int = MAX_UPLOAD_BYTES) -> dict[str, Any]:
    """Everything the page offers: flowers, languages with their messages, platforms and styles."""
    from generator import messages
    from generator.flowers import DEFAULT_FLOWER, GROW_PREFIX, bundled
    from generator.flowers.grow import SPECIES
    from generator.flowers.photo import SUPPORTED_FORMATS
    from generator.formats import DEFAULT_FORMAT, FORMATS
    from generator.styles import DEFAULT_STYLE, STYLES

    catalogue = messages.languages()
    english = catalogue.get("en")
    species_names = english.flowers if english else {}
    return {
        "flowers": {
            "bundled": [{"value": flower.name, "name": flower.name, "label": flower_label(flower.name),
                         "description": flower.description, "thumbnail": f"/flowers/{flower.name}.jpg"}
                        for flower in bundled().values()],
            "species": [{"value": f"{GROW_PREFIX}{species}", "name": species,
                         "label": species_names.get(species, species.replace("-", " "))} for species in SPECIES],
        },
        "languages": [{"code": language.code, "name": language.name, "direction": language.direction}
                      for language in catalogue.values()],
        "templates": {code: _templates(language) for code, language in catalogue.items()},
        "formats": [{"name": f.name, "label": FORMAT_LABELS.get(f.name, f.name), "width": f.width, "height": f.height,
                     "size": f"{f.width}×{f.height}", "notes": f.notes} for f in FORMATS.values()],
        "styles": [{"name": style.name, "label": STYLE_LABELS.get(style.name, style.name.replace("-", " ").capitalize()),
                    "description": style.description} for style in STYLES.values()],
        "defaults": {"flower": DEFAULT_FLOWER, "language": messages.DEFAULT_LANGUAGE,
                     "template": messages.DEFAULT_TEMPLATE, "format": DEFAULT_FORMAT, "style": DEFAULT_STYLE,
                     "tags": list(messages.DEFAULT_TAGS), "hashtags": list(messages.DEFAULT_HASHTAGS)},
        "limits": {"max_upload_bytes": max_upload_bytes, "max_upload_text": _size_text(max_upload_bytes),
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


def _size_text(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.0f} MB"
    return f"{max(1, round(size / 1000))} kB"


# --- serving --------------------------------------------------------------------------------------------

def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, open_browser: bool = False) -> None:
    """Serve the page until Ctrl+C; the URL on stdout, messages on stderr."""
    import logging
    import webbrowser

    from werkzeug.serving import make_server

    app = create_app(host=host)
    listening = _listen(host, port)
    try:
        server = make_server(host, port, app, threaded=True, fd=listening.fileno())
    finally:
        listening.close()  # the server holds its own duplicate of the socket
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no request lines: no record of what was made
    url = _url(host, server.port)
    if not is_loopback(host):
        print(f"Warning: serving on {host}: other machines on the network can open this page and use it. "
              f"Use --host 127.0.0.1 to keep it on this computer.", file=sys.stderr)
    print(f"Solidarity posts is running. Open {url} in your browser; press Ctrl+C to stop.", file=sys.stderr)
    print(url, flush=True)
    threading.Thread(target=_warm_up, daemon=True).start()
    if open_browser:
        threading.Timer(0.3, webbrowser.open, (url,)).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
    finally:
        server.server_close()


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket, so a busy port is one clear error line rather than werkzeug's exit."""
    from werkzeug.serving import get_sockaddr, select_address_family

    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port}: choose a number from 1024 to 65535, like 8000")
    try:
        family = select_address_family(host, port)
        sock = socket.socket(family, socket.SOCK_STREAM)
    except (OSError, ValueError) as exc:
        raise UsageError(f"--host {host}: not an address this computer has ({exc}); use 127.0.0.1") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(get_sockaddr(host, port, family))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise UsageError(f"--port {port}: the port is already in use (is the page already running?); "
                             f"choose another, like --port {port + 1 if port else 8001}") from None
        reason = exc.strerror or str(exc)
        raise UsageError(f"--host {host} --port {port}: cannot listen there ({reason}); "
                         f"use --host 127.0.0.1 and a port above 1024") from None
    return sock


def _url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else "[::1]" if host == "::" else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def _warm_up() -> None:
    """Render one post in the background, so the supporter's first preview does not load the fonts."""
    try:
        from generator.spec import PostRequest, plan_posts

        [spec] = plan_posts(PostRequest())
        _render_preview(spec)
    except Exception:  # noqa: BLE001 - only a head start; a real request reports any problem
        pass
