"""Which requests the page answers, and the headers that keep other websites out of it."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request

from generator.web import words
from generator.web.failures import error_reply

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def install(app: Flask) -> None:
    app.before_request(refuse_other_websites)
    app.after_request(security_headers)


def refuse_other_websites():
    if urlsplit(f"//{request.host}").hostname not in current_app.config["SOLIDARITY_ALLOWED_HOSTS"]:
        return error_reply(403, words.http_error(403))
    # Any web page the supporter visits could post a form to 127.0.0.1; only this page may.
    if request.method != "POST":
        return None
    origin = request.headers.get("Origin")
    cross_site = request.headers.get("Sec-Fetch-Site") == "cross-site"
    if cross_site or (origin is not None and urlsplit(origin).netloc != request.host):
        return error_reply(403, words.http_error(403))
    return None


def security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response
