"""Where each millisecond of a post goes: a batch run in this process with a stopwatch on every stage.

Each stage's time is its own (exclusive): a stage called inside another is not counted twice. A post's picture
is made in line here, not on a thread beside its text as in a real run, so that each stage is timed alone.
The stages:

  validate   reading the campaign file, building and checking every PostSpec (check_fits included)
  decode     opening the flower and reading its pixels: a bundled JPEG (draft-decoded where its pixels are
             first read), a photo, or growing one
  background cropping and resizing it to the post, and the frosted blur (both cached per flower and size)
  layout     fitting the message: wrapping, sizes, boxes (pure geometry)
  surface    the card, band, scrim, frame or flag painted on the picture, and the copy the text is drawn on
  contrast   the search for the lowest surface opacity giving AA contrast, and the final check
  text       rasterizing the message, the rule and the tag line (and the shadow)
  encode     JPEG / PNG / WebP encoding, including any retries to meet a file-size cap
  write      the caption, alt text and image written atomically
  other      everything else: the batch's bookkeeping, names, digests

    python bench/stages.py [--posts 300] [--format instagram-portrait]
    python bench/stages.py --baseline CHECKOUT [--rounds 4]

--baseline runs the same measurement on another checkout (a worktree of main, say) in alternating fresh
processes (A B B A ...) and prints both tables' medians side by side, with CPU time per post: on a machine
shared with others, CPU time is the steadier measure.

--library runs the campaign once more with a profile hook and adds, for each stage, the CPU time spent inside
library calls: Pillow's C calls (its imaging core, FreeType and Raqm, libjpeg), hashlib, and the calls that
create, write and rename the files. Their sum is what would be left if our own Python cost nothing, for the
calls we make today (fewer or smaller calls can still take it lower). It is a run of its own: the hook slows
the Python down and charges about a microsecond to each call it brackets, so a stage's library part may read
a little over the stage's time from the run without the hook.

bench_batch.py --stages runs the same and prints the table after the whole-command timings.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, os.environ.get("STAGES_CHECKOUT") or str(Path(__file__).resolve().parents[1]))

STAGES = ("validate", "decode", "background", "layout", "surface", "contrast", "text", "encode", "write", "other")


class Stopwatch:
    """Exclusive time per stage: entering a stage pauses the one it was called from."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._stack: list[list] = []  # [stage, start, time spent in nested stages]

    @contextlib.contextmanager
    def stage(self, name: str):
        self._stack.append([name, time.perf_counter(), 0.0])
        try:
            yield
        finally:
            stage, start, nested = self._stack.pop()
            elapsed = time.perf_counter() - start
            self.seconds[stage] += elapsed - nested
            if self._stack:
                self._stack[-1][2] += elapsed

    def wrap(self, name: str, function):
        @functools.wraps(function)
        def timed(*args, **kwargs):
            with self.stage(name):
                return function(*args, **kwargs)
        return timed


@contextlib.contextmanager
def instrumented(watch: Stopwatch):
    """The library's stage functions wrapped for the duration, then put back."""
    import generator.batch as batch
    import generator.campaign as campaign
    import generator.compose as compose
    import generator.export as export
    import generator.flowers as flowers
    import generator.posts as posts
    from PIL import ImageFile

    try:
        import generator.pictures as pictures
    except ImportError:  # a checkout from before it
        pictures = None
    targets = [(campaign, "plan_campaign", "validate"), (flowers, "_source_image", "decode"),
               (pictures, "source_image", "decode"), (pictures, "_blurred", "background"),
               (pictures, "_blurred_part", "background"), (pictures, "_frosted_whole", "background"),
               (pictures, "_frosted_part", "background"),
               (flowers, "_compose_background", "background"), (compose, "_blurred", "background"),
               (compose, "_blurred_part", "background"),
               (compose, "plan_layout", "layout"), (compose, "render", "surface"), (compose, "_base", "surface"),
               (compose, "_opacity_for_contrast", "contrast"), (compose, "worst_contrast", "contrast"),
               (compose, "_draw_text", "text"), (compose, "_draw_shadow", "text"), (posts, "encode", "encode"),
               (export, "write_post", "write"), (batch, "write_post", "write"),
               (ImageFile.ImageFile, "load", "decode")]
    targets = [target for target in targets if hasattr(target[0], target[1])]  # what this checkout has
    saved = [(module, name, getattr(module, name)) for module, name, _ in targets]
    painters = dict(compose._PAINTERS)
    try:
        for module, name, stage in targets:
            setattr(module, name, watch.wrap(stage, getattr(module, name)))
        if pictures is not None:  # each stage timed on its own: the picture is made in line, not beside the text
            saved.append((pictures, "Meanwhile", pictures.Meanwhile))
            pictures.Meanwhile = lambda function, *args: pictures.Done(function(*args))
        for key, painter in painters.items():
            compose._PAINTERS[key] = watch.wrap("surface", painter)
        yield batch
    finally:
        for module, name, function in saved:
            setattr(module, name, function)
        compose._PAINTERS.update(painters)


_LIBRARY_TYPES = ("ImagingCore.", "ImagingEncoder.", "ImagingDecoder.", "ImagingDraw.", "Font.", "HASH.",
                  "BufferedWriter.", "FileIO.")
_LIBRARY_MODULES = ("PIL._imaging", "PIL._imagingft", "PIL._imagingmath", "_hashlib")
_FILE_CALLS = {"posix": {"open", "write", "close", "replace", "rename", "fsync", "fdatasync", "unlink"},
               "io": {"open"}, "_io": {"open"}}  # not stat or fspath: how often those run is our code's choice


def is_library_call(function) -> bool:
    """A C function of Pillow or hashlib, or a call that makes, writes or renames a file: not our Python, not
    a builtin like len."""
    module = getattr(function, "__module__", None)
    return (module in _LIBRARY_MODULES or getattr(function, "__name__", "") in _FILE_CALLS.get(module, ())
            or getattr(function, "__qualname__", "").startswith(_LIBRARY_TYPES))


class LibraryClock:
    """Time inside library calls, charged to the stage the Stopwatch is in. Only the outermost call counts: a
    library call that calls back into Python and from there into a library is counted once. Each thread it
    is installed in keeps its own count of the calls it is inside (the picture's thread in a real run), and
    counts the CPU time of its own thread: a call waiting for the interpreter or for a core costs none."""

    def __init__(self, watch: Stopwatch) -> None:
        self.watch = watch
        self.seconds: dict[str, float] = defaultdict(float)
        self._thread = threading.local()
        self._adding = threading.Lock()

    def __call__(self, frame, event: str, function) -> None:
        if event == "c_call" and is_library_call(function):
            depth = getattr(self._thread, "depth", 0)
            if depth == 0:
                self._thread.start = time.thread_time()
            self._thread.depth = depth + 1
        elif event in ("c_return", "c_exception") and getattr(self._thread, "depth", 0) and is_library_call(function):
            self._thread.depth -= 1
            if self._thread.depth == 0:
                stack = self.watch._stack
                with self._adding:
                    self.seconds[stack[-1][0] if stack else "other"] += time.thread_time() - self._thread.start

    def install(self) -> None:
        """In this thread and every thread started after it."""
        threading.setprofile(self)
        sys.setprofile(self)

    @contextlib.contextmanager
    def running(self):
        self.install()
        try:
            yield
        finally:
            threading.setprofile(None)
            sys.setprofile(None)


def measure(campaign: Path, folder: Path, library: bool = False) -> tuple[dict[str, float], int]:
    """Milliseconds per post for each stage, over one in-process run of the campaign (--jobs 1)."""
    import generator.campaign as campaign_module
    import generator.compose as compose
    import generator.flowers as flowers

    flowers._cached_background.cache_clear()  # as a fresh worker starts: every flower decoded once per size
    frosted_layers = getattr(compose, "_cached_frosted", None)  # where this checkout keeps them
    if frosted_layers is None:
        from generator.pictures import _cached_frosted as frosted_layers
    frosted_layers.cache_clear()
    with contextlib.suppress(ImportError):  # the JPEG rows learned from earlier posts (where this checkout has them)
        from generator.jpeg_rows import _learned

        _learned.cache_clear()
    import generator.typeset as typeset

    for kept in ("_run_mask", "_emoji_sprite"):  # glyphs kept by this checkout (if it keeps any)
        if hasattr(typeset, kept):
            getattr(typeset, kept).cache_clear()
    watch = Stopwatch()
    clock = LibraryClock(watch)
    with instrumented(watch) as batch, (clock.running() if library else contextlib.nullcontext()):
        start, cpu_start = time.perf_counter(), time.process_time()
        plan = campaign_module.plan_campaign(campaign)
        result = batch.run_batch(plan, folder, str(campaign), jobs=1, force=True)
        total = time.perf_counter() - start
        watch.seconds["cpu"] = time.process_time() - cpu_start
    assert not result.failures, result.failures[:3]
    posts = len(result.records)
    cpu = watch.seconds.pop("cpu")
    accounted = sum(watch.seconds.values())
    watch.seconds["other"] += total - accounted
    per_post = {stage: watch.seconds.get(stage, 0.0) * 1000 / posts for stage in STAGES}
    per_post["cpu"] = cpu * 1000 / posts
    if library:
        return {stage: clock.seconds.get(stage, 0.0) * 1000 / posts for stage in STAGES}, posts
    return per_post, posts


def report(per_post: dict[str, float], posts: int, library: dict[str, float] | None = None) -> None:
    total = sum(per_post[stage] for stage in STAGES)
    print(f"per-stage time, {posts} posts in this process (--jobs 1), exclusive ms per post"
          + ("; then the CPU inside library calls, from a run of its own" if library else ""))
    for stage in STAGES:
        inside = f"  {library[stage]:7.2f} ms in library calls" if library else ""
        print(f"  {stage:<11}{per_post[stage]:7.2f} ms  {per_post[stage] / total:6.1%}{inside}")
    render = sum(per_post[s] for s in ("decode", "background", "layout", "surface", "contrast", "text"))
    print(f"  {'total':<11}{total:7.2f} ms   = {1000 / total:.0f} posts/s on one core "
          f"({per_post['cpu']:.2f} CPU-ms a post)")
    print(f"  render (decode..text) {render:.2f} ms vs encode {per_post['encode']:.2f} ms: "
          f"{render / per_post['encode']:.2f}x")
    if library:
        inside = sum(library.values())
        print(f"  in library calls {inside:.2f} ms a post ({inside / total:.0%}): were our Python free, these calls "
              f"would still allow at most {2000 / inside:.0f} posts/s on 2 cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--format", default="instagram-portrait")
    parser.add_argument("--baseline", metavar="CHECKOUT")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--library", action="store_true",
                        help="also time the CPU each stage spends inside library calls (a run of its own)")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.baseline:
        side_by_side(options)
        return
    from bench_batch import write_campaign

    with tempfile.TemporaryDirectory() as work:
        campaign = Path(work) / "campaign.csv"
        write_campaign(campaign, options.posts, options.format)
        measure(campaign, Path(work) / "warm")  # imports, fonts, .pyc: what a long run amortises
        figures = measure(campaign, Path(work) / "out")
        library = measure(campaign, Path(work) / "library", library=True)[0] if options.library else None
    if options.json:
        print(json.dumps(figures[0]))
    else:
        report(*figures, library=library)


def side_by_side(options) -> None:
    checkouts = {"baseline": options.baseline, "ours": str(Path(__file__).resolve().parents[1])}
    runs: dict[str, list[dict]] = {name: [] for name in checkouts}
    for round_number in range(options.rounds):
        order = list(checkouts.items())
        for name, checkout in order if round_number % 2 == 0 else reversed(order):
            command = [sys.executable, __file__, "--json", "--posts", str(options.posts), "--format", options.format]
            output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=checkout,
                                    env={**os.environ, "STAGES_CHECKOUT": checkout})
            runs[name].append(json.loads(output.stdout.strip().splitlines()[-1]))
    medians = {name: {key: statistics.median(run[key] for run in values) for key in (*STAGES, "cpu")}
               for name, values in runs.items()}
    print(f"{options.posts} posts, {options.format}, --jobs 1 in process, median of {options.rounds} "
          f"alternating runs; exclusive ms per post")
    print(f"  {'stage':<11}{'baseline':>10}{'ours':>10}{'ratio':>8}")
    for key in (*STAGES, "cpu"):
        base, ours = medians["baseline"][key], medians["ours"][key]
        print(f"  {key:<11}{base:10.2f}{ours:10.2f}{base / ours if ours else float('inf'):8.2f}x")


if __name__ == "__main__":
    main()
