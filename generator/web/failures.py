"""Errors as the page shows them: JSON for the page's scripts, a friendly HTML page for a person.

A library error with a kind the page knows is said in the page's language and the form's words, and names
the field it is about; any other keeps the library's line with the option names swapped for the form's.
"""

from __future__ import annotations

import re

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from generator.errors import SolidarityError
from generator.web import language, words
from generator.web.answers import size_text

# Command-line option names in the library's messages, as the page's fields are called.
_FIELD_WORDS = {"--message": "the message", "--template": "the template", "--tag": "tag", "--hashtag": "hashtag",
                "--focus": "focus", "--image-type": "image type", "--lang": "language", "--var": "variable"}


def install(app: Flask) -> None:
    app.register_error_handler(SolidarityError, solidarity_error)
    app.register_error_handler(413, too_large)
    for code in (400, 404, 405):
        app.register_error_handler(code, _handler(code))
    app.register_error_handler(500, internal_error)


def error_reply(status: int, message: str, heading: str | None = None, field: str = "form",
                kind: str | None = None):
    wants_html = not request.path.startswith("/api/") and request.accept_mimetypes.accept_html
    if wants_html:
        code = language.page_language()
        return render_template("error.html", status=status, message=message, heading=heading, language=code,
                               direction=language.direction(code)), status
    return jsonify({"error": message, "field": field, "kind": kind}), status


def page_message(message: str) -> str:
    """A library error as the page shows it: the command-line option names become the form's words."""
    return re.sub(r"--[a-z-]+(?![a-z-])", lambda found: _FIELD_WORDS.get(found.group(0), found.group(0)), message)


def described(error: SolidarityError) -> dict:
    """An error as the check endpoint and the error replies describe it."""
    return {"error": words.error_text(error) or page_message(str(error)), "field": words.error_field(error),
            "kind": error.kind}


def solidarity_error(error: SolidarityError):
    found = described(error)
    return error_reply(400, found["error"], field=found["field"], kind=found["kind"])


def too_large(error):
    limit = size_text(current_app.config["MAX_CONTENT_LENGTH"])
    return error_reply(413, words.upload_too_large(limit), field="photo", kind="photo-too-large")


def internal_error(error):
    return error_reply(500, words.http_error(500))


def _handler(code: int):
    def handle(error: HTTPException):
        return error_reply(code, words.http_error(code))

    return handle
