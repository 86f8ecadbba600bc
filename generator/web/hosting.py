"""The page in production: configuration from the environment, and what a public server adds to the app.

A campaign runs the same app factory as `solidarity serve`, under gunicorn (generator/web/wsgi.py and
gunicorn_conf.py), behind a TLS reverse proxy. `HostingConfig.from_environment()` reads the SOLIDARITY_*
variables the README's hosting section documents; `install` adds, in this order:

- `/healthz`, answered before anything else (any Host header, no limit, no render) for the load balancer;
- the client's address and scheme trusted from exactly `trusted_proxies` proxies (werkzeug's ProxyFix); the
  host is the Host header the proxy passes on, never an X-Forwarded-Host a client could add;
- the public host names, answered besides loopback;
- a rate limit per client on every POST (Flask-Limiter; in memory, or shared through Redis), with a 429
  the page can show; the fit checks sent while typing count apart, under a wider limit; the client's address
  is kept only as a keyed hash, never logged; a storage that stops answering is said in one log line;
- a time limit per request, so one slow render cannot hold a worker (gunicorn's timeout is the backstop);
- the campaign's kit: its colours and logo on every post, its tags and language as the defaults;
- the page's options (the same for every supporter with the same language and cookies) answered from
  memory, so each worker builds them once rather than on every page load.

Nothing here writes to disk or logs what a supporter sent.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import signal
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.errors import UsageError

DEFAULT_RATELIMIT = "120 per minute;1000 per hour"
CHECK_RATELIMIT = "600 per minute"  # the as-you-type checks, a sixth of a preview's cost, several a sentence
CHECK_ENDPOINT = "page.check"
DEFAULT_STORAGE = "memory://"
DEFAULT_MAX_UPLOAD_MB = 25
DEFAULT_REQUEST_TIMEOUT = 30.0
HEALTH_PATH = "/healthz"
PREFIX = "SOLIDARITY_"


@dataclass(frozen=True)
class HostingConfig:
    hosts: tuple[str, ...] = ()
    trusted_proxies: int = 0
    kit: Path | None = None
    ratelimit: str = DEFAULT_RATELIMIT
    ratelimit_storage: str = DEFAULT_STORAGE
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * 1_000_000
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT
    # Salts the hash that names a client in the rate limit's storage; machines sharing a Redis share it.
    ratelimit_salt: str = field(default_factory=lambda: secrets.token_hex(16), repr=False)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> HostingConfig:
        """The SOLIDARITY_* variables; a bad value is one line naming the variable and an example."""
        env = os.environ if environ is None else environ
        values: dict = {}
        if hosts := _get(env, "HOSTS"):
            values["hosts"] = tuple(_host(name) for name in hosts.replace(",", " ").split())
        if (proxies := _get(env, "TRUSTED_PROXIES")) is not None:
            values["trusted_proxies"] = _number(proxies, "TRUSTED_PROXIES", int, 0, 10, "1")
        if kit := _get(env, "KIT"):
            values["kit"] = Path(kit).expanduser()
        if limit := _get(env, "RATELIMIT"):
            values["ratelimit"] = _limits(limit)
        if storage := _get(env, "RATELIMIT_STORAGE"):
            values["ratelimit_storage"] = _storage(storage)
        if upload := _get(env, "MAX_UPLOAD_MB"):
            values["max_upload_bytes"] = round(_number(upload, "MAX_UPLOAD_MB", float, 1, 200, "25") * 1_000_000)
        if timeout := _get(env, "REQUEST_TIMEOUT"):
            values["request_timeout"] = _number(timeout, "REQUEST_TIMEOUT", float, 1, 600, "30")
        if salt := _get(env, "RATELIMIT_SALT"):
            values["ratelimit_salt"] = salt
        elif values.get("ratelimit_storage", DEFAULT_STORAGE) != DEFAULT_STORAGE:
            # Machines sharing a store must name a client alike, with a secret: a salt anyone could guess (the
            # store's URL) would let whoever reads the store find every address by trying them all.
            raise UsageError(f"{PREFIX}RATELIMIT_SALT: set a secret shared by every machine that counts in "
                             f"{values['ratelimit_storage'].split('://')[0]}://, "
                             f"like {PREFIX}RATELIMIT_SALT=$(openssl rand -hex 32)")
        return cls(**values)


def _get(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(PREFIX + name)
    return value.strip() if value is not None and value.strip() else None


def _number(text: str, name: str, kind, low, high, example: str):
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise UsageError(f"{PREFIX}{name}={text}: give a number from {low} to {high}, like {PREFIX}{name}={example}")
    return value


def _host(name: str) -> str:
    host = name.strip().lower().rstrip(".")
    if not host or "/" in host or "@" in host:
        raise UsageError(f"{PREFIX}HOSTS: '{name}' is not a host name; list names like posts.example.org, "
                         f"separated by commas")
    return host.split(":")[0] if host.count(":") == 1 else host.strip("[]")


def _limits(text: str) -> str:
    from limits import parse_many

    try:
        parse_many(text)
    except ValueError:
        raise UsageError(f"{PREFIX}RATELIMIT={text}: write limits like \"120 per minute;1000 per hour\"") from None
    return text


def _storage(uri: str) -> str:
    if not uri.split("://")[0] in ("memory", "redis", "rediss", "redis+sentinel", "redis+cluster", "memcached"):
        raise UsageError(f"{PREFIX}RATELIMIT_STORAGE: '{uri.split('://')[0]}' is not a storage this page knows; "
                         f"use memory:// or redis://HOST:6379")
    return uri


# --- installing it --------------------------------------------------------------------------------------

def install(app, config: HostingConfig) -> None:
    """Add the production pieces to `app` (before the page's own host check, so /healthz comes first)."""
    app.before_request(_health)
    if config.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = config.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0, x_port=0, x_prefix=0)
    app.config["SOLIDARITY_ALLOWED_HOSTS"] |= set(config.hosts)
    app.config["SOLIDARITY_HOSTING"] = config
    if config.kit is not None:
        from generator.kit import load_kit

        app.config["SOLIDARITY_KIT"] = load_kit(config.kit)
    _install_time_limit(app, config.request_timeout)
    _install_rate_limit(app, config)


def _health():
    from flask import Response, request

    if request.path == HEALTH_PATH:
        response = Response("ok\n", mimetype="text/plain")
        response.headers["Cache-Control"] = "no-store"
        return response
    return None


def _install_rate_limit(app, config: HostingConfig) -> None:
    from flask import make_response, request
    from flask_limiter import Limiter, RateLimitExceeded

    from generator.web import words
    from generator.web.failures import error_reply

    limiter_log = logging.getLogger("flask-limiter")
    limiter_log.setLevel(logging.INFO)
    limiter_log.addFilter(_storage_health_only)  # its other lines name the client's key or the storage's URL

    def client_key() -> str:
        address = request.remote_addr or "unknown"
        return hashlib.blake2b(address.encode(), key=config.ratelimit_salt.encode()[:64], digest_size=12).hexdigest()

    def not_an_image() -> bool:
        return request.method != "POST" or request.endpoint == CHECK_ENDPOINT

    limiter = Limiter(client_key, app=app, storage_uri=config.ratelimit_storage, strategy="sliding-window-counter",
                      application_limits=[config.ratelimit], application_limits_exempt_when=not_an_image,
                      headers_enabled=False, swallow_errors=True, in_memory_fallback_enabled=True,
                      key_prefix="solidarity")
    if CHECK_ENDPOINT in app.view_functions:
        app.view_functions[CHECK_ENDPOINT] = limiter.limit(CHECK_RATELIMIT)(app.view_functions[CHECK_ENDPOINT])

    def too_many(error: RateLimitExceeded):
        reply = make_response(error_reply(429, words.rate_limited(), kind="rate-limited"))
        current = limiter.current_limit
        reply.headers["Retry-After"] = str(max(1, int(current.reset_at - time.time())) if current else 60)
        return reply

    app.register_error_handler(429, too_many)


_STORAGE_STATES = {
    "Rate limit storage unreachable": "the rate limit's storage does not answer: each worker counts in its own "
                                      "memory until it is back",
    "Rate limit storage recovered": "the rate limit's storage answers again",
}
_log = logging.getLogger(__name__)


def _storage_health_only(record: logging.LogRecord) -> bool:
    """Flask-Limiter's lines dropped, but for the storage going and coming back, said in our own words."""
    message = record.getMessage()
    for start, said in _STORAGE_STATES.items():
        if message.startswith(start):
            _log.warning(said)
    return False


class RequestTimedOut(Exception):
    """Raised inside a request that ran past its time limit."""


def _install_time_limit(app, seconds: float) -> None:
    """An alarm per request in the worker's main thread (gunicorn's sync workers); threads have none."""
    from generator.web import words
    from generator.web.failures import error_reply

    def start():
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            signal.signal(signal.SIGALRM, _ran_out)
            signal.setitimer(signal.ITIMER_REAL, seconds)

    def stop(_error=None):
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            signal.setitimer(signal.ITIMER_REAL, 0)

    def timed_out(error: RequestTimedOut):
        return error_reply(503, words.timed_out(), kind="timed-out")

    app.before_request(start)
    app.teardown_request(stop)
    app.register_error_handler(RequestTimedOut, timed_out)


def _ran_out(signum, frame):
    raise RequestTimedOut()


# --- the campaign's kit ---------------------------------------------------------------------------------

def with_campaign_kit(post_request, form):
    """The hosting campaign's kit on a request from the page: its colours, logo and font always; its tags
    instead of the built-in ones; its language, style and template where the form gives none."""
    from flask import current_app, has_app_context

    kit = current_app.config.get("SOLIDARITY_KIT") if has_app_context() else None
    if kit is None:
        return post_request
    from generator import messages

    changes: dict = {name: value for name, value in (("palette", kit.palette), ("logo", kit.logo),
                                                      ("font", kit.font)) if value is not None}
    for name, defaults, campaign in (("tags", messages.DEFAULT_TAGS, kit.tags),
                                     ("hashtags", messages.DEFAULT_HASHTAGS, kit.hashtags)):
        if campaign:
            own = [tag for tag in getattr(post_request, name) if tag not in defaults and tag not in campaign]
            changes[name] = (*campaign, *own)
    for name, field_name, value in (("lang", "language", kit.language), ("style", "style", kit.style),
                                    ("template", "template", kit.template)):
        if value is not None and not (form.get(name) or "").strip() and not (
                name == "template" and (form.get("message") or "").strip()):
            changes[field_name] = value
    return replace(post_request, **changes)
