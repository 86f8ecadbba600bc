"""The hosted page under load: simulated supporters against a real server on loopback, with worker RSS.

Each simulated supporter does the real journey, one request after another without pause: open the page (the page,
its options and two flower thumbnails), 10 preview edits (a new message each, so no HTTP cache can answer),
one preview with an uploaded 12-megapixel photo (a new one each journey: see as_new_photo), and one make
of 3 platforms with that photo. The script
starts the server itself on a free loopback port, runs each level of concurrency in turn, and samples the
RSS of every worker process from /proc while it runs, and the workers' CPU time per request (which, unlike
latency, does not depend on what else the machine is doing). Each supporter first makes `--warmup` journeys
that are not counted: the figures are of the steady state, from when the last supporter is past its warm-up
to when the first one is done, so neither the stampede of every supporter opening the page in the same
instant nor the tail with fewer supporters left is in them (`--warmup 0` counts the whole run).

    python bench/bench_hosting.py load [--server gunicorn|serve] [--levels 5,20,50] [--journeys 2]
    python bench/bench_hosting.py memory [--requests 1000]     # steady RSS after mixed requests
    python bench/bench_hosting.py endpoints [--journeys 4]       # the workers' CPU per request of each kind

`--baseline CHECKOUT --rounds N` runs the same from another checkout's code (a worktree of main, say), in
alternating rounds, and prints the medians side by side (the line each setup starts with says where its
server imports the package from). `--make-workers 2` runs the README's split layout: makes on a pool of their
own at `--make-nice`, the supporters sending /api/post and /api/animate there as the README's nginx does.
`--setup NAME:KEY=VALUE,...` (repeatable) compares setups instead, e.g. `--setup one: --setup
split:make_workers=2 --setup base:checkout=/work/wt/base` (`heavy_bytes=100000`: photo-carrying bodies go to
the make pool too, a route measured and not taken: a supporter's own photo then previewed at make speed).

`--server gunicorn` runs the README's production command (2 workers); `--server serve` runs
`solidarity serve` (one process, werkzeug) and `--server gunicorn-plain` the factory under gunicorn's
defaults. Everything is bounded: a fixed number of journeys per supporter and `--max-seconds` per level.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

MESSAGES = ["Free the medics of Belarus.", "We stand with you, doctors of Belarus.",
            "Healing is not a crime.", "Солідарнасць з медыкамі Беларусі!", "Your courage is seen.",
            "Flowers for every medic behind bars.", "Nobody should be jailed for caring for others."]
FLOWERS = ["cornflower", "poppy", "grow:chamomile:3", "grow:tulip:7"]
FORMATS = ["instagram-square", "instagram-portrait", "x", "facebook", "instagram-story"]
HIGH_LIMIT = "1000000 per minute"  # the bench measures the server, not the rate limit (which still runs)


def phone_photo(megapixels: float = 12, seed: int = 5) -> bytes:
    """A JPEG of about `megapixels` with some texture, about the size a phone writes."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    width = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    height = width * 3 // 4
    image = Image.new("RGB", (width, height), (92, 130, 78))
    draw = ImageDraw.Draw(image)
    for _ in range(3000):
        x, y, r = rng.uniform(0, width), rng.uniform(0, height), rng.uniform(10, 90)
        draw.ellipse((x, y, x + r, y + r * 0.7), fill=tuple(rng.randint(40, 220) for _ in range(3)))
    image = image.filter(ImageFilter.GaussianBlur(2))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def as_new_photo(photo: bytes, tag: str) -> bytes:
    """The same JPEG with a comment segment of its own: other bytes, so no worker's cache knows it (its caches
    are keyed by the upload's content), and the same cost to decode. Each journey is a new supporter with a
    photo of their own; a few photos shared by every supporter would soon be answered from memory."""
    assert photo[:2] == b"\xff\xd8", "not a JPEG"
    comment = tag.encode()
    return photo[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + photo[2:]


def multipart(fields: list[tuple[str, str]], photo: bytes | None = None) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    if photo is not None:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="phone.jpg"\r\n'
                     f'Content-Type: image/jpeg\r\n\r\n'.encode() + photo + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# --- the server -------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_command(kind: str, port: int, workers: int, threads: int = 1) -> list[str]:
    if kind == "serve":
        return [sys.executable, "-m", "generator", "serve", "--port", str(port)]
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
    if threads > 1:
        command += ["--threads", str(threads)]
    if kind == "gunicorn-plain":  # the factory under gunicorn's defaults: the first production setup
        return command + ["generator.web:create_app()"]
    return command + ["--config", "python:generator.web.gunicorn_conf", "generator.web.wsgi:app"]


def code_environment(checkout: str | None) -> dict[str, str]:
    """The environment that makes a server (and its workers) import `generator` from `checkout`."""
    if checkout is None:
        return {}
    return {"PYTHONPATH": os.pathsep.join(filter(None, [str(Path(checkout).resolve()), os.environ.get("PYTHONPATH")]))}


def code_in_use(checkout: str | None) -> str:
    """Where a server started with `code_environment(checkout)` imports the package from (checked, not assumed)."""
    return subprocess.run([sys.executable, "-c", "import generator; print(generator.__file__)"],
                          env={**os.environ, **code_environment(checkout)}, cwd=checkout or None,
                          capture_output=True, text=True, check=True).stdout.strip()


MAKE_PATHS = ("/api/post", "/api/animate")  # what the split layout's proxy sends to the make pool (README)


@dataclass
class Server:
    """The server under test: one gunicorn, or (the split layout) a page pool and a make pool, as a reverse
    proxy that routes MAKE_PATHS to the make pool would present them."""

    port: int
    make_port: int
    processes: list[subprocess.Popen]
    heavy_bytes: int = 0  # > 0: bodies of this many bytes too (a photo's preview), an alternative route measured

    def port_for(self, path: str, body_bytes: int = 0) -> int:
        heavy = path.split("?")[0] in MAKE_PATHS or 0 < self.heavy_bytes <= body_bytes
        return self.make_port if heavy else self.port

    def worker_pids(self) -> list[int]:
        return [pid for process in self.processes for pid in worker_pids(process)]


@contextmanager
def running_server(kind: str, workers: int = 2, env: dict[str, str] | None = None, checkout: str | None = None,
                   threads: int = 1, make_workers: int = 0, make_nice: int = 10, heavy_bytes: int = 0):
    """`make_workers` > 0: the split layout, makes on a pool of their own at a lower CPU priority (`make_nice`)."""
    environment = {**os.environ, "SOLIDARITY_RATELIMIT": HIGH_LIMIT, **code_environment(checkout), **(env or {})}
    pools = [(free_port(), workers, 0)] + ([(free_port(), make_workers, make_nice)] if make_workers else [])
    processes = []
    try:
        for port, count, nice in pools:
            processes.append(subprocess.Popen(
                server_command(kind, port, count, threads), env=environment, cwd=checkout or None,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=(lambda n=nice: os.nice(n)) if nice else None))
        for (port, _, _), process in zip(pools, processes):
            wait_until_up(port, process)
        yield Server(pools[0][0], pools[-1][0], processes, heavy_bytes)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/options")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not answer in time")


def worker_pids(process: subprocess.Popen) -> list[int]:
    """The processes that serve requests: gunicorn's workers (the master's children), or the one process."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == process.pid:
                children.append(int(entry.name))
    return sorted(children) or [process.pid]


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time the processes have used: the server's cost, whatever else the machine runs."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / ticks


def cpu_ns(pids: list[int]) -> int:
    """The processes' CPU time in nanoseconds from the scheduler's own count (precise, unlike the 10-ms ticks)."""
    total = 0
    for pid in pids:
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                total += int((task / "schedstat").read_text().split()[0])
            except (OSError, IndexError, ValueError):
                pass
    return total


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class RssSampler(threading.Thread):
    def __init__(self, server: Server):
        super().__init__(daemon=True)
        self.server, self.peak, self.stopping = server, {}, threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(0.2):
            self.sample()

    def sample(self) -> dict[int, float]:
        now = {pid: rss_mb(pid) for pid in self.server.worker_pids()}
        for pid, value in now.items():
            self.peak[pid] = max(self.peak.get(pid, 0.0), value)
        return now

    def stop(self) -> dict[int, float]:
        self.stopping.set()
        self.join()
        return self.peak


# --- the supporters ---------------------------------------------------------------------------------------

class Supporter:
    def __init__(self, server: Server, photo: bytes, seed: int, results: list, deadline: float):
        self.server, self.photo, self.results, self.deadline = server, photo, results, deadline
        self.rng = random.Random(seed)
        self.seed, self.journeys = seed, 0
        self.connections: dict[int, http.client.HTTPConnection] = {}

    def call(self, endpoint: str, method: str, path: str, body: bytes | None = None,
             content_type: str | None = None) -> None:
        headers = {"Content-Type": content_type} if content_type else {}
        port = self.server.port_for(path, len(body or b""))
        connection = self.connections.setdefault(port, http.client.HTTPConnection("127.0.0.1", port, timeout=120))
        start = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            status = f"{type(exc).__name__}"
            self.connections.pop(port).close()
        self.results.append((endpoint, time.perf_counter() - start, status, start))

    def close(self) -> None:
        for connection in self.connections.values():
            connection.close()

    def journey(self) -> None:
        rng = self.rng
        self.call("page", "GET", "/")
        self.call("options", "GET", "/api/options")
        for name in rng.sample(FLOWERS[:2], 2):
            self.call("thumbnail", "GET", f"/flowers/{name}.jpg")
        flower, style = rng.choice(FLOWERS), rng.choice(["card", "banner", "scrim", "white-red-white"])
        for edit in range(10):
            if time.monotonic() > self.deadline:
                return
            message = f"{rng.choice(MESSAGES)} {edit}{rng.randrange(10**6)}"
            body, kind = multipart([("message", message), ("flower", flower), ("format", FORMATS[0]),
                                    ("style", style), ("lang", "en")])
            self.call("preview", "POST", "/api/preview", body, kind)
        message = rng.choice(MESSAGES)
        self.journeys += 1
        photo = as_new_photo(self.photo, f"supporter {self.seed}, journey {self.journeys}, {uuid.uuid4().hex}")
        body, kind = multipart([("message", message), ("format", FORMATS[0]), ("lang", "en")], photo)
        self.call("photo preview", "POST", "/api/preview", body, kind)
        body, kind = multipart([("message", message), ("lang", "en")]
                               + [("format", name) for name in FORMATS[:3]], photo)
        self.call("make (3)", "POST", "/api/post", body, kind)


class SteadyWindow:
    """The stretch of a level in which every supporter is past its warm-up journeys and none has finished:
    the steady state, without the stampede of everyone opening the page at the same instant, nor the tail
    in which fewer supporters are left."""

    def __init__(self, supporters: int, pids: list[int]):
        self.warming, self.pids, self.lock = supporters, pids, threading.Lock()
        self.start = self.end = None  # (perf_counter seconds, workers' CPU seconds)

    def warmed_up(self) -> None:
        with self.lock:
            self.warming -= 1
            if self.warming == 0:
                self.start = (time.perf_counter(), cpu_seconds(self.pids))

    def finished(self) -> None:
        with self.lock:
            if self.end is None:
                self.end = (time.perf_counter(), cpu_seconds(self.pids))


def run_level(server: Server, supporters: int, journeys: int, photos: list[bytes], max_seconds: float,
              warmup: int = 1) -> dict:
    results: list = []
    deadline = time.monotonic() + max_seconds
    sampler = RssSampler(server)
    sampler.start()
    pids = server.worker_pids()
    window = SteadyWindow(supporters, pids)

    def one(index: int) -> None:
        supporter = Supporter(server, photos[index % len(photos)], index, results, deadline)
        for _ in range(warmup):
            supporter.journey()
        window.warmed_up()
        for _ in range(journeys):
            if time.monotonic() > deadline:
                break
            supporter.journey()
        window.finished()
        supporter.close()

    threads = [threading.Thread(target=one, args=(index,)) for index in range(supporters)]
    # CPU from /proc/PID/stat, which counts threads that have ended (werkzeug's, one a request, under serve).
    whole = (time.perf_counter(), cpu_seconds(pids))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done = (time.perf_counter(), cpu_seconds(pids))
    start, end = window.start or whole, window.end or done
    if warmup == 0 or end[0] <= start[0]:  # the whole run asked for, or a supporter done before the last warmed up
        start, end = whole, done
    measured = [result for result in results if start[0] <= result[3] < end[0]]
    elapsed, cpu = end[0] - start[0], end[1] - start[1]
    peak = sampler.stop()
    summary = summarise(measured, elapsed, supporters, peak)
    summary["warmup_journeys"] = warmup
    # A machine shared with other work slows every request; the server's own CPU per request does not
    # change with it, and says how many requests per second the server would answer on 2 idle cores.
    summary["server_cpu_ms_per_request"] = round(1000 * cpu / max(1, len(measured)), 1)
    summary["capacity_2_cores_rps"] = round(2 * len(measured) / cpu, 1) if cpu else None
    return summary


def summarise(results: list, elapsed: float, supporters: int, peak: dict[int, float]) -> dict:
    by_endpoint: dict[str, list[float]] = {}
    errors = [status for _, _, status, _ in results if status != 200]
    for endpoint, seconds, status, _ in results:
        if status == 200:
            by_endpoint.setdefault(endpoint, []).append(seconds * 1000)
    return {
        "supporters": supporters, "requests": len(results), "seconds": round(elapsed, 1),
        "requests_per_second": round(len(results) / elapsed, 1), "errors": len(errors),
        "error_kinds": sorted({str(status) for status in errors}),
        "endpoints": {name: {"n": len(values), "p50_ms": round(percentile(values, 50)),
                             "p95_ms": round(percentile(values, 95))} for name, values in by_endpoint.items()},
        "peak_rss_mb": {str(pid): round(value) for pid, value in sorted(peak.items())},
    }


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def show(summary: dict) -> None:
    endpoints = "  ".join(f"{name} {value['p50_ms']}/{value['p95_ms']}"
                          for name, value in summary["endpoints"].items())
    print(f"{summary['supporters']:>3} supporters: {summary['requests_per_second']:6.1f} req/s, "
          f"{summary['requests']} requests in {summary['seconds']} s, {summary['errors']} errors "
          f"{summary['error_kinds'] or ''}; p50/p95 ms: {endpoints}; peak RSS MB per worker: "
          f"{list(summary['peak_rss_mb'].values())}; server CPU {summary['server_cpu_ms_per_request']} ms per "
          f"request (on 2 idle cores: {summary['capacity_2_cores_rps']} req/s)", flush=True)


# --- CPU per endpoint -------------------------------------------------------------------------------------

JOURNEY_MIX = {"page": 1, "options": 1, "thumbnail": 2, "preview": 10, "photo preview": 1, "make (3)": 1}


def endpoint_cpu(server: Server, rounds: int, photos: list[bytes]) -> dict[str, float]:
    """The workers' CPU milliseconds per request of each kind, one request at a time (so each is its own)."""
    pids = server.worker_pids()
    samples: dict[str, list[float]] = {}

    class Measured(Supporter):
        def call(self, endpoint, method, path, body=None, content_type=None):
            before = cpu_ns(pids)
            super().call(endpoint, method, path, body, content_type)
            samples.setdefault(endpoint, []).append((cpu_ns(pids) - before) / 1e6)

    for index in range(len(photos)):  # every worker warm: fonts, templates, catalogues, each photo seen
        Supporter(server, photos[index], index, [], time.monotonic() + 600).journey()
    for index in range(rounds):
        Measured(server, photos[index % len(photos)], index, [], time.monotonic() + 600).journey()
    means = {name: sum(values) / len(values) for name, values in samples.items()}
    means["journey mean"] = sum(means[name] * count for name, count in JOURNEY_MIX.items()) / sum(JOURNEY_MIX.values())
    return means


# --- memory ----------------------------------------------------------------------------------------------

def memory(server: Server, requests: int, photos: list[bytes]) -> dict:
    """`requests` mixed requests from 4 supporters (every tenth a new 12-MP photo), then the RSS at rest."""
    results: list = []
    sampler = RssSampler(server)
    sampler.start()
    counter = iter(range(requests))
    lock = threading.Lock()

    def one(index: int) -> None:
        supporter = Supporter(server, photos[0], index, results, time.monotonic() + 3600)
        rng = random.Random(index)
        while True:
            with lock:
                number = next(counter, None)
            if number is None:
                break
            photo = photos[number % len(photos)] if number % 10 == 0 else None
            formats = [rng.choice(FORMATS)] if number % 7 else FORMATS[:3]
            endpoint = "/api/post" if len(formats) > 1 else "/api/preview"
            fields = [("message", f"{rng.choice(MESSAGES)} {number}"), ("lang", rng.choice(["en", "be", "ar"])),
                      ("style", rng.choice(["card", "banner", "scrim", "polaroid"]))]
            fields += [("format", name) for name in formats]
            fields += [] if photo else [("flower", rng.choice(FLOWERS))]
            body, kind = multipart(fields, photo)
            supporter.call(endpoint, "POST", endpoint, body, kind)
        supporter.close()

    threads = [threading.Thread(target=one, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    time.sleep(2)  # let the last responses' buffers go
    steady = sampler.sample()
    peak = sampler.stop()
    errors = [status for _, _, status, _ in results if status != 200]
    return {"requests": len(results), "errors": len(errors), "error_kinds": sorted({str(e) for e in errors}),
            "steady_rss_mb": {str(pid): round(value) for pid, value in steady.items()},
            "peak_rss_mb": {str(pid): round(value) for pid, value in peak.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["load", "memory", "endpoints"])
    parser.add_argument("--server", choices=["gunicorn", "gunicorn-plain", "serve"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (gthread when > 1)")
    parser.add_argument("--baseline", metavar="CHECKOUT", help="also run the server from this checkout, alternating")
    parser.add_argument("--rounds", type=int, default=1, help="rounds (alternating with --baseline)")
    parser.add_argument("--levels", default="5,20,50")
    parser.add_argument("--journeys", type=int, default=2, help="measured journeys per supporter at each level")
    parser.add_argument("--warmup", type=int, default=1, help="journeys each supporter makes first, not measured: "
                        "the figures are of the steady state in which all supporters are at work (0: the whole "
                        "run, the stampede of everyone opening the page at once included)")
    parser.add_argument("--requests", type=int, default=1000, help="memory mode: mixed requests in all")
    parser.add_argument("--photos", type=int, default=4, help="distinct photos the supporters upload")
    parser.add_argument("--upload-mp", type=float, default=12, help="megapixels of each uploaded photo (12: a phone's "
                        "original; 2: what a page that downscales in the browser sends)")
    parser.add_argument("--max-seconds", type=float, default=300, help="the longest a level may run")
    parser.add_argument("--json", dest="as_json", action="store_true")
    parser.add_argument("--make-workers", type=int, default=0, help="the split layout: this many workers in a pool "
                        "of their own for makes (the proxy routes /api/post and /api/animate there)")
    parser.add_argument("--make-nice", type=int, default=10, help="the make pool's nice value (a lower CPU priority)")
    parser.add_argument("--setup", action="append", default=[], metavar="NAME:KEY=VALUE,...",
                        help="a setup to run in the alternating rounds instead of ours (and --baseline), e.g. "
                             "'split:make_workers=2' or 'base3:checkout=/work/wt/base,workers=3'; repeatable")
    args = parser.parse_args()
    photos = [phone_photo(args.upload_mp, seed) for seed in range(args.photos)]
    here = str(Path(__file__).resolve().parents[1])
    defaults = {"checkout": here, "workers": args.workers, "threads": args.threads, "make_workers": args.make_workers,
                "make_nice": args.make_nice, "heavy_bytes": 0}
    setups = {"ours": defaults, **({"baseline": {**defaults, "checkout": args.baseline}} if args.baseline else {})}
    if args.setup:
        setups = dict(parse_setup(text, defaults) for text in args.setup)
    for name, setup in setups.items():
        print(f"{name}: {setup}; the server imports {code_in_use(setup['checkout'])}", flush=True)
    if args.mode == "memory":
        with running_server(args.server, **next(iter(setups.values()))) as server:
            summary = memory(server, args.requests, photos)
            print(json.dumps(summary) if args.as_json else summary, flush=True)
        return
    runs: dict[str, list] = {name: [] for name in setups}
    for round_number in range(args.rounds):
        order = list(setups) if round_number % 2 == 0 else list(reversed(setups))
        for name in order:
            with running_server(args.server, **setups[name]) as server:
                if args.mode == "endpoints":
                    means = endpoint_cpu(server, args.journeys, photos)
                    runs[name].append(means)
                    print(f"{name}: CPU ms per request: " + ", ".join(f"{key} {value:.1f}" for key, value in means.items()),
                          flush=True)
                    continue
                Supporter(server, photos[0], 0, [], time.monotonic() + 600).journey()  # warm every worker a little
                for level in (int(value) for value in args.levels.split(",")):
                    summary = run_level(server, level, args.journeys, photos, args.max_seconds, args.warmup)
                    runs[name].append(summary)
                    print(f"{name}: ", end="")
                    print(json.dumps(summary), flush=True) if args.as_json else show(summary)
    if args.rounds > 1 or len(setups) > 1:
        (endpoint_table if args.mode == "endpoints" else load_table)(runs)


def parse_setup(text: str, defaults: dict) -> tuple[str, dict]:
    name, _, settings = text.partition(":")
    setup = dict(defaults)
    for item in filter(None, settings.split(",")):
        key, _, value = item.partition("=")
        if key not in setup:
            raise SystemExit(f"--setup {text}: '{key}' is not one of {', '.join(setup)}")
        setup[key] = value if key == "checkout" else int(value)
    return name, setup


def endpoint_table(runs: dict[str, list[dict[str, float]]]) -> None:
    names = list(runs)
    print(f"\nworkers' CPU ms per request, median of {len(runs[names[0]])} rounds")
    print(f"  {'endpoint':<15}" + "".join(f"{name:>10}" for name in names) + ("     ratio" if len(names) > 1 else ""))
    for endpoint in runs[names[0]][0]:
        medians = [statistics.median(run[endpoint] for run in runs[name]) for name in names]
        ratio = f"{medians[-1] / medians[0]:9.2f}x" if len(names) > 1 and medians[0] else ""
        print(f"  {endpoint:<15}" + "".join(f"{value:10.1f}" for value in medians) + ratio)


def load_table(runs: dict[str, list[dict]]) -> None:
    print("\nmedians over rounds: req/s | preview p50/p95 | make p95 | errors | peak RSS MB | CPU ms/request")
    for name, summaries in runs.items():
        for level in sorted({summary["supporters"] for summary in summaries}):
            at = [summary for summary in summaries if summary["supporters"] == level]

            def median(pick):
                values = [pick(summary) for summary in at]
                return statistics.median(values) if values else float("nan")

            def endpoint(summary, key, field):
                return summary["endpoints"].get(key, {}).get(field, float("nan"))

            print(f"  {name:<9}{level:>3} supporters: {median(lambda s: s['requests_per_second']):6.1f} | "
                  f"{median(lambda s: endpoint(s, 'preview', 'p50_ms')):4.0f}/"
                  f"{median(lambda s: endpoint(s, 'preview', 'p95_ms')):4.0f} | "
                  f"{median(lambda s: endpoint(s, 'make (3)', 'p95_ms')):5.0f} | "
                  f"{sum(summary['errors'] for summary in at):3d} | "
                  f"{max(max(summary['peak_rss_mb'].values(), default=0) for summary in at):4.0f} | "
                  f"{median(lambda s: s['server_cpu_ms_per_request']):5.1f}   ({len(at)} rounds)")


if __name__ == "__main__":
    main()
