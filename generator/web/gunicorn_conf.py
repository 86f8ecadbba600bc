"""gunicorn's settings for the public page: `gunicorn --config python:generator.web.gunicorn_conf`.

Options given on gunicorn's command line (--workers, --bind) win over these. Rendering holds the GIL, so
the page scales with processes: sync workers, one request at a time each, which also makes the timeout a
real per-request limit (a worker stuck past it is killed and replaced). Put it behind a TLS reverse proxy
that buffers requests (nginx, Caddy): a sync worker must not wait on a slow phone's upload. A busy campaign
can give makes and videos a second, niced pool of these workers, so previews never queue behind them (README).

Private: no access log (it would hold every supporter's address), and the error log says nothing a
supporter sent.
"""

import logging
import os
import sys

from gunicorn.glogging import Logger

from generator.errors import SolidarityError
from generator.web.hosting import HostingConfig


def _settings() -> HostingConfig:
    """The SOLIDARITY_* settings, checked once before any worker starts: a bad one is one line, not a
    traceback from every worker gunicorn then fails to boot."""
    try:
        return HostingConfig.from_environment()
    except SolidarityError as error:
        print(f"Error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


_SETTINGS = _settings()


class _Private(logging.Filter):
    """gunicorn's lines about a bad request name the client's address and quote what it sent: keep the
    event, drop the details."""

    WITHHELD = {"Invalid request": "Invalid request (its address and content are not logged)",
                "Error handling request": "Error handling request (its address and content are not logged)"}

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        for start, replacement in self.WITHHELD.items():
            if message.startswith(start):
                record.msg, record.args = replacement, ()
        return True


def post_fork(server, worker) -> None:
    """Blocks of 16 MB and more (a decoded phone photo) straight from and back to the system, so a freed
    12-megapixel photo does not stay in the worker's heap: glibc otherwise raises its mmap threshold
    after the first large free and keeps later ones. Smaller blocks (post-size images) reuse the heap:
    a 1 MB threshold measured 30-60% more CPU per request in page faults."""
    _tune_malloc()


def _tune_malloc() -> None:
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to tune
        return
    m_trim_threshold, m_mmap_threshold, m_arena_max = -1, -3, -8
    mallopt(m_mmap_threshold, 16 << 20)
    mallopt(m_trim_threshold, 4 << 20)
    mallopt(m_arena_max, 2)


class PrivateLogger(Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        self.error_log.addFilter(_Private())


wsgi_app = "generator.web.wsgi:app"
bind = os.environ.get("SOLIDARITY_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
worker_class = "sync"

# The app stops a request at SOLIDARITY_REQUEST_TIMEOUT with a clear answer; gunicorn kills a worker that
# still has not finished shortly after.
timeout = round(_SETTINGS.request_timeout) + 10
graceful_timeout = 30
keepalive = 5
# Workers are replaced now and then, spread out so they do not all restart at once (a safety net: the
# caches are bounded by bytes, so memory stays flat without it).
max_requests = 10_000
max_requests_jitter = 1_000

# Small, strict request heads: the page's requests are short; uploads travel in the body.
limit_request_line = 2048
limit_request_fields = 60
limit_request_field_size = 8190

# The heartbeat file in memory, not on disk (and not stalled by a slow disk).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

accesslog = None
errorlog = "-"
logger_class = "generator.web.gunicorn_conf.PrivateLogger"
loglevel = "info"
capture_output = False
proc_name = "solidarity-posts"
# The app trusts forwarded headers itself (SOLIDARITY_TRUSTED_PROXIES, werkzeug's ProxyFix).
forwarded_allow_ips = "127.0.0.1,::1"
# gunicorn 25+ opens a control socket file in the home folder; the page needs none (and writes nothing).
control_socket_disable = True
