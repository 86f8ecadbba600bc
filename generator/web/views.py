"""The page and its endpoints, as a blueprint: each reads the form, calls the library and answers."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from generator.web import answers, fitting, language, words
from generator.web.failures import error_reply
from generator.web.form import request_from_form, ticked_formats

page = Blueprint("page", __name__)


def _max_upload_bytes() -> int:
    return current_app.config["MAX_CONTENT_LENGTH"]


def _built_once(name: str, build):
    """`build()` for the page's language, built once per process: the same for everyone who reads the page in
    that language (kept by the language chosen, not by the headers that chose it: browsers word
    Accept-Language many ways, and a cookie may hold other things)."""
    built = current_app.extensions.setdefault("solidarity-built", {})
    key = (name, language.page_language(), request.script_root)
    if key not in built:
        built[key] = build()
    return built[key]


@page.get("/")
def index():
    from generator.motion.encode import video_available

    code = language.page_language()
    response = Response(_built_once("page", lambda: render_template(
        "index.html", language=code, direction=language.direction(code), strings=words.page_strings(),
        languages=answers.page_languages(), max_upload_bytes=_max_upload_bytes(),
        max_upload_text=answers.size_text(_max_upload_bytes()), hosted=current_app.config["SOLIDARITY_HOSTED"],
        video=video_available())), mimetype="text/html")
    if request.args.get(language.COOKIE) == code:  # the supporter switched: remember it (in their browser)
        response.set_cookie(language.COOKIE, code, max_age=language.COOKIE_MAX_AGE, samesite="Lax",
                            secure=request.is_secure)
    response.headers["Content-Language"] = code
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


@page.get("/api/options")
def options():
    body = _built_once("options", lambda: current_app.json.dumps(
        answers.options_payload(_max_upload_bytes()), separators=(",", ":")) + "\n")
    response = Response(body, mimetype="application/json")
    response.vary.update(("Accept-Language", "Cookie"))  # the language is chosen from these (and ?hl=)
    return response


@page.get("/flowers/<name>.jpg")
def flower_thumbnail(name: str):
    from generator.flowers import bundled

    if name not in bundled():
        return error_reply(404, f"there is no bundled flower called '{name}'")
    response = Response(answers.thumbnail(name), mimetype="image/jpeg")
    response.headers["Cache-Control"] = "max-age=3600"
    return response


@page.post("/api/preview")
def preview():
    from generator.spec import plan_posts

    post_request = request_from_form(request.form, request.files, several_formats=False)
    spec = plan_posts(post_request)[0]  # one format ("all" means all: the first is shown)
    response = Response(answers.render_preview(spec), mimetype="image/jpeg")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Alt-Text"] = quote(spec.alt_text)  # the post's real alt text, for the preview's alt
    return response


@page.post("/api/check")
def check():
    """Which ticked platforms the message fits, measured without drawing: light enough for every keystroke."""
    post_request = request_from_form(request.form, {}, several_formats=True)
    response = jsonify(fitting.fit_report(post_request, ticked_formats(request.form)))
    response.headers["Cache-Control"] = "no-store"
    return response


@page.post("/api/post")
def post():
    from generator.spec import plan_posts

    specs = plan_posts(request_from_form(request.form, request.files, several_formats=True))
    response = Response(answers.posts_json(specs, current_app.json.dumps), mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


@page.post("/api/animate")
def animate():
    """The post as an animated MP4 (the Story / Reel size unless a format is given); ?quick=1 for a small,
    quick version to show while the full one is made."""
    from dataclasses import replace

    from generator.spec import plan_posts

    post_request = request_from_form(request.form, request.files, several_formats=False)
    post_request = replace(post_request, formats=post_request.formats or (answers.ANIMATED_FORMAT,))
    spec = plan_posts(post_request)[0]
    response = Response(answers.animation(spec, quick=request.args.get("quick") == "1"), mimetype="video/mp4")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Disposition"] = f'attachment; filename="{spec.name}.mp4"'
    response.headers["X-Alt-Text"] = quote(spec.alt_text)
    response.headers["X-Caption"] = quote(spec.caption)
    return response

