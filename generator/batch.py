"""Running a validated campaign: worker processes, resumable content-addressed outputs, a manifest."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from generator.campaign import Plan, PlannedPost, Problem
from generator.errors import ExportError, PhotoError, SolidarityError
from generator.export import PostFiles, atomic_write, check_folder, existing_post, prepare_folder, write_post
from generator.posts import layer_key, layers_shared, render_post

MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"
ERRORS_CSV = "errors.csv"


@dataclass(frozen=True)
class PostRecord:
    row: int | str
    row_id: str
    format: str
    name: str
    status: str  # written, kept
    image: str
    caption_file: str
    alt_file: str
    sha256: str
    bytes: int
    caption: str
    alt_text: str
    video: str = ""  # NAME.mp4 when the row asked for an animated post


@dataclass
class BatchResult:
    records: list[PostRecord] = field(default_factory=list)
    failures: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    stopped_early: bool = False

    @property
    def written(self) -> int:
        return sum(record.status == "written" for record in self.records)

    @property
    def kept(self) -> int:
        return sum(record.status == "kept" for record in self.records)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def run_batch(plan: Plan, folder: Path, campaign_label: str, jobs: int | None = None, force: bool = False,
              fail_fast: bool = False, progress: Callable[[int], None] | None = None) -> BatchResult:
    """Render every planned post (in `jobs` processes), skipping those already written; never raises
    for a single post: its failure is recorded and the rest go on (unless fail_fast)."""
    folder = Path(folder)
    check_folder(folder)
    prepare_folder(folder)
    remove_leftovers(folder)
    start = time.perf_counter()
    result = BatchResult(failures=[])
    ordered = sorted(plan.posts, key=_cache_friendly_order)
    outcomes: dict[int, PostRecord | Problem] = {}
    jobs = jobs or default_jobs()
    chunk_size = max(4, min(32, len(ordered) // (jobs * 4)))
    shared = layers_shared([post.spec for post in _still_to_make(ordered, folder, force)])
    for index, outcome in _outcomes(_chunks(ordered, chunk_size, shared), folder, force, jobs, campaign_label):
        outcomes[index] = outcome
        if progress:
            progress(1)
        if fail_fast and isinstance(outcome, Problem):
            result.stopped_early = True
            break
    for index, post in enumerate(ordered):
        outcome = outcomes.get(index)
        if isinstance(outcome, PostRecord):
            result.records.append(outcome)
        elif isinstance(outcome, Problem):
            result.failures.append(outcome)
    result.records.sort(key=lambda record: (_row_key(record.row), record.format))
    result.seconds = time.perf_counter() - start
    return result


def remove_leftovers(folder: Path) -> None:
    """Temporary files of a run that was killed mid-write: never a post, safe to clear before a rerun."""
    for leftover in folder.glob(".*.part"):
        leftover.unlink(missing_ok=True)


def _still_to_make(posts: list[PlannedPost], folder: Path, force: bool) -> list[PlannedPost]:
    """The posts whose files an earlier run has not written, by name (each worker checks they are whole): only
    these read a frosted layer this time. One listing of the folder, however many rows."""
    try:
        present = set() if force else set(os.listdir(folder))
    except OSError:  # a folder that can be written but not listed: the workers still find what is kept
        present = set()
    if not present:
        return posts
    return [post for post in posts if not present.issuperset(PostFiles.names(post.spec))]


def _cache_friendly_order(post: PlannedPost):
    """Posts that share a background run together, so each worker decodes each flower once per size."""
    spec = post.spec
    return (spec.flower.digest, spec.format.size, _row_key(post.row), spec.format.name)


def _chunks(ordered: list[PlannedPost], size: int, shared: set[tuple]) -> list[list[tuple[int, PlannedPost, bool]]]:
    """Runs of up to `size` posts sharing a background: one worker renders a run, decoding the flower once.
    Big enough that a flower's posts mostly stay with one worker, small enough to balance the end of a run.
    Each post says whether its frosted layer is made whole, to be kept: only if another post reads it too
    (a campaign of one photo a row makes each photo's layer for the part its post reads)."""
    chunks: list[list[tuple[int, PlannedPost, bool]]] = []
    for index, post in enumerate(ordered):
        key = _background_key(post)
        entry = (index, post, post.spec.animate or layer_key(post.spec) in shared)
        if chunks and len(chunks[-1]) < size and _background_key(chunks[-1][-1][1]) == key:
            chunks[-1].append(entry)
        else:
            chunks.append([entry])
    return chunks


def _background_key(post: PlannedPost):
    return (post.spec.flower.digest, post.spec.format.size)


def _row_key(row) -> tuple:
    return (0, row, "") if isinstance(row, int) else (1, 0, str(row))


def _outcomes(chunks, folder: Path, force: bool, jobs: int, label: str):
    if jobs <= 1:
        for chunk in chunks:
            yield from render_chunk(chunk, folder, force, label)
        return
    in_flight_limit = jobs * 3  # a bounded window keeps memory flat however many rows there are
    pending: set[Future] = set()
    iterator = iter(chunks)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_worker_context(), initializer=_start_worker,
                             initargs=(os.getcwd(), dict(os.environ))) as pool:
        try:
            while True:
                while len(pending) < in_flight_limit:
                    chunk = next(iterator, None)
                    if chunk is None:
                        break
                    pending.add(pool.submit(render_chunk, chunk, folder, force, label))
                if not pending:
                    return
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield from future.result()
        finally:
            for future in pending:
                future.cancel()


WORKER_MODULES = ["generator.batch", "generator.posts", "generator.compose", "generator.warm"]


def start_workers_early(jobs: int | None) -> None:
    """Start the server the workers are forked from now, before the campaign is read and validated: its
    interpreter and imports then run on another core while this process checks the rows."""
    if (jobs or default_jobs()) <= 1 or _worker_context() is None:  # _worker_context sets what it preloads
        return
    from multiprocessing import forkserver

    # Born ignoring Ctrl-C: the server only ignores it once its imports are done, and a Ctrl-C while the
    # rows are checked would print its traceback. Each worker takes the usual handler back (_start_worker).
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, handler)


def _worker_context():
    """Workers forked from a fresh server process, not from this one: a forked worker would carry (and count in
    its resident memory) the whole plan of a long campaign, so its memory would grow with the row count."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return None  # the platform's default (spawn on macOS and Windows) starts fresh too
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_MODULES)  # imported once in the server, inherited by every worker
    return context


def _start_worker(folder: str, environment: dict[str, str]) -> None:
    """The server that forks the workers was started by an earlier batch, perhaps elsewhere: a worker starts
    in this batch's folder and environment, as a forked one would."""
    os.chdir(folder)
    os.environ.clear()
    os.environ.update(environment)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # whatever the server was started with


def render_chunk(chunk, folder: Path, force: bool, label: str) -> list[tuple[int, PostRecord | Problem]]:
    return [(index, render_one(post, folder, force, label, whole_layer)) for index, post, whole_layer in chunk]


def render_one(post: PlannedPost, folder: Path, force: bool, label: str,
               whole_layer: bool = True) -> PostRecord | Problem:
    """One post, in a worker: render, encode and write it, or report why not. Never raises for input.
    `whole_layer`: as render_post's."""
    spec = post.spec
    try:
        written = None if force else existing_post(spec, folder)
        if written is None:
            written = write_post(spec, render_post(spec, whole_layer).image_bytes, folder)
        video = _animation(spec, folder, force)
    except SolidarityError as error:
        column = "flower" if isinstance(error, PhotoError) else "-" if isinstance(error, ExportError) else "message"
        text = str(error) if str(error).startswith(spec.format.name) else f"{spec.format.name}: {error}"
        return Problem(label, post.row, column, text)
    except OSError as error:
        return Problem(label, post.row, "-", f"{spec.format.name}: could not write the post ({error.strerror or error})")
    except Exception as error:  # noqa: BLE001 - one odd input must not sink a campaign of hundreds
        return Problem(label, post.row, "-", f"{spec.format.name}: unexpected {type(error).__name__}: {error}; "
                                             f"please report it with this row")
    return PostRecord(post.row, post.row_id, spec.format.name, spec.name, written.status,
                      written.files.image.name, written.files.caption.name, written.files.alt.name,
                      written.sha256, written.byte_count, spec.caption, spec.alt_text, video)


def _animation(spec, folder: Path, force: bool) -> str:
    """The post's MP4, when its row asked for one (rendered in this worker: the batch is parallel already)."""
    if not spec.animate:
        return ""
    from generator.motion import write_animation

    return write_animation(spec, folder, force, processes=1).path.name


# --- the manifest -------------------------------------------------------------------------------------------

def write_manifest(folder: Path, result: BatchResult, problems: Iterable[Problem]) -> list[Path]:
    """manifest.json, manifest.csv and errors.csv, each written atomically, in row order."""
    errors = [*problems, *result.failures]
    posts = [record.__dict__ for record in result.records]
    manifest = {"posts": posts, "errors": [_problem_dict(problem) for problem in errors],
                "summary": {"posts": len(posts), "written": result.written, "kept": result.kept,
                            "failed": len(errors)}}
    atomic_write(folder / MANIFEST_JSON, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    atomic_write(folder / MANIFEST_CSV, _csv_bytes(list(PostRecord.__dataclass_fields__), posts))
    atomic_write(folder / ERRORS_CSV, _csv_bytes(["file", "row", "column", "message"],
                                                 [_problem_dict(problem) for problem in errors]))
    return [folder / MANIFEST_JSON, folder / MANIFEST_CSV, folder / ERRORS_CSV]


def _problem_dict(problem: Problem) -> dict:
    return {"file": problem.file, "row": problem.row, "column": problem.column, "message": problem.message}


def _csv_bytes(columns: list[str], rows: list[dict]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")  # with a BOM, so Excel reads it as UTF-8
