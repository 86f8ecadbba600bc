"""The page and its endpoints, as a blueprint: each reads the form, calls the library and answers."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from generator.web import answers
from generator.web.failures import error_reply
from generator.web.form import request_from_form

page = Blueprint("page", __name__)


def _max_upload_bytes() -> int:
    return current_app.config["MAX_CONTENT_LENGTH"]


@page.get("/")
def index():
    return render_template("index.html", max_upload_bytes=_max_upload_bytes(),
                           max_upload_text=answers.size_text(_max_upload_bytes()))


@page.get("/api/options")
def options():
    return jsonify(answers.options_payload(_max_upload_bytes()))


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
    return response


@page.post("/api/post")
def post():
    from generator.spec import plan_posts

    specs = plan_posts(request_from_form(request.form, request.files, several_formats=True))
    response = jsonify({"posts": [answers.post_json(spec) for spec in specs]})
    response.headers["Cache-Control"] = "no-store"
    return response
