"""The app factory: one Flask app per call, configured from its arguments.

Privacy: an uploaded photo stays in this process's memory. Multipart uploads are parsed into memory
(werkzeug would otherwise spool a file over 500 kB to a temporary file), nothing is written to disk, and
an internal error is logged without its message (which could quote a file name or a supporter's words).
"""

from __future__ import annotations

import io
import traceback

from flask import Flask, Request, request
from werkzeug.exceptions import BadRequest
from werkzeug.formparser import FormDataParser

from generator.web import failures, language, security
from generator.web.answers import MAX_UPLOAD_BYTES
from generator.web.views import page

DEFAULT_HOST = "127.0.0.1"


class _StrictFormParser(FormDataParser):
    """werkzeug's form parser, but a form it cannot read is refused (400, in the page's words), not taken as
    empty: werkzeug's decoder raises ValueError for a multipart body cut short before its closing delimiter
    (or one with no usable boundary), and its parser is silent by default, so the post would have been made
    from the defaults, the supporter's words and photo gone, as if nothing were wrong."""

    def parse(self, stream, mimetype, content_length, options=None):
        self.silent = False
        try:
            return super().parse(stream, mimetype, content_length, options)
        except ValueError:
            raise BadRequest() from None


class InMemoryRequest(Request):
    """A request whose uploaded files are parsed into memory, never spooled to a temporary file, and whose
    unreadable form is refused (see _StrictFormParser)."""

    form_data_parser_class = _StrictFormParser

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


def create_app(max_upload_bytes: int = MAX_UPLOAD_BYTES, host: str = DEFAULT_HOST, hosting=None) -> Flask:
    """The web app; `max_upload_bytes` caps a whole request (the photo and the form). Only requests addressed
    to loopback or to `host` are answered, so a web page cannot reach it through a rebound DNS name.
    `hosting` (a `generator.web.hosting.HostingConfig`) makes it the public page: see hosting.py."""
    app = SolidarityApp(__name__, static_folder="static", template_folder="templates")
    if hosting is not None:
        max_upload_bytes = hosting.max_upload_bytes
    app.config["MAX_CONTENT_LENGTH"] = max_upload_bytes
    app.config["SOLIDARITY_HOSTED"] = hosting is not None  # the page then says what a server keeps
    app.config["SOLIDARITY_ALLOWED_HOSTS"] = {"localhost", "127.0.0.1", "::1", host.strip("[]").lower()}
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.register_blueprint(page)
    language.install(app)
    if hosting is not None:
        from generator.web import hosting as production

        production.install(app, hosting)
    security.install(app)
    failures.install(app)
    return app
