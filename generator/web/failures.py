"""Errors as the page shows them: JSON for the page's scripts, a friendly HTML page for a person."""

from __future__ import annotations

import re

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from generator.errors import SolidarityError
from generator.web.answers import size_text

# Command-line option names in the library's messages, as the page's fields are called.
_FIELD_WORDS = {"--message": "the message", "--template": "the template", "--tag": "tag", "--hashtag": "hashtag",
                "--focus": "focus", "--image-type": "image type", "--lang": "language", "--var": "variable"}

_HTTP_MESSAGES = {
    400: "the request could not be read; reload the page and try again",
    404: "there is nothing at this address; go back to the start page",
    405: "this address does not accept that kind of request; use the page's buttons",
}


def install(app: Flask) -> None:
    app.register_error_handler(SolidarityError, solidarity_error)
    app.register_error_handler(413, too_large)
    for code, message in _HTTP_MESSAGES.items():
        app.register_error_handler(code, _handler(code, message))
    app.register_error_handler(500, internal_error)


def error_reply(status: int, message: str, heading: str | None = None):
    wants_html = not request.path.startswith("/api/") and request.accept_mimetypes.accept_html
    if wants_html:
        return render_template("error.html", status=status, message=message, heading=heading), status
    return jsonify({"error": message}), status


def page_message(message: str) -> str:
    """A library error as the page shows it: the command-line option names become the form's words."""
    return re.sub(r"--[a-z-]+(?![a-z-])", lambda found: _FIELD_WORDS.get(found.group(0), found.group(0)), message)


def solidarity_error(error: SolidarityError):
    return error_reply(400, page_message(str(error)))


def too_large(error):
    limit = size_text(current_app.config["MAX_CONTENT_LENGTH"])
    return error_reply(413, f"the photo is larger than {limit}; choose a smaller photo or export it at a lower "
                            f"quality", f"The upload is larger than {limit}.")


def internal_error(error):
    return error_reply(500, "something went wrong while making the image; please try again, or try another "
                            "photo or a shorter message")


def _handler(code: int, message: str):
    def handle(error: HTTPException):
        return error_reply(code, message)

    return handle
