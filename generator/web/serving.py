"""`solidarity serve`: the page on a local werkzeug server, with clear lines for a busy port or a bad host.

Request lines are not logged: there is no record of who made what.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading

from generator.errors import UsageError
from generator.web.app import DEFAULT_HOST, create_app

DEFAULT_PORT = 8000


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
        from generator.web.answers import render_preview

        [spec] = plan_posts(PostRequest())
        render_preview(spec)
    except Exception:  # noqa: BLE001 - only a head start; a real request reports any problem
        pass
