"""The 300-post campaign benchmark: our batch at --jobs 1 and 2, a naive Pillow script, and the JPEG floor.

All four run in this one invocation, round after round, so they share the machine's load:

  * ours, jobs 1 / jobs 2 - `solidarity batch` in a fresh process, bundled flowers, 1080x1350 JPEG;
  * naive               - a per-image script: open, resize, load the font, draw, save, every time;
  * encode floors       - a bare loop encoding the same final images (decoded beforehand, outside the
                          timing) with libjpeg-turbo: at our quality with Pillow's defaults (q90, 4:2:0),
                          and at our exact settings (q90, 4:4:4, standard tables, a restart after every
                          row of blocks), the whole image: a post on a picture others share encodes less.

--stages then runs the campaign once more in this process and prints where each millisecond goes
(bench/stages.py). --library runs it twice more at --jobs 2 with every worker timing its stages, cold caches
and all, and then also the CPU it spends inside Pillow, hashlib and file calls in each (bench/worker_clock.py):
what the calls made today need even if our own Python cost nothing, set beside the rounds' CPU.

Prints posts per second (medians over the rounds) and the ratios the batch issue asks about:

    python bench/bench_batch.py [--posts 300] [--rounds 3] [--stages]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NAIVE_SCRIPT = r'''
import csv, sys, textwrap
from pathlib import Path
from PIL import Image, ImageDraw, ImageFont, ImageOps
import fontpkg_noto_sans
from generator.flowers import bundled
campaign, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(exist_ok=True)
font_path = str(next(fontpkg_noto_sans.ROOT.glob("files/NotoSans[[]*.ttf")))
for number, row in enumerate(csv.DictReader(open(campaign, encoding="utf-8"))):
    image = Image.open(bundled()[row["flower"]].path).convert("RGB")
    image = ImageOps.fit(image, (1080, 1350), Image.Resampling.LANCZOS)
    font = ImageFont.truetype(font_path, 56)
    font.set_variation_by_name("Bold")
    draw = ImageDraw.Draw(image)
    draw.rectangle((54, 900, 1026, 1270), fill=(18, 22, 34))
    text = "\n".join(textwrap.wrap(row["message"], 30)) + "\n@amnesty #StandWithBelarus"
    draw.multiline_text((540, 1085), text, font=font, fill="white", anchor="mm", align="center")
    image.save(out / f"{number}.jpg", quality=90)
'''


def write_campaign(path: Path, posts: int, format_name: str = "instagram-portrait") -> None:
    from generator.flowers import bundled
    from generator.messages import languages

    flowers = sorted(bundled())
    messages = [(code, template.id) for code, language in sorted(languages().items()) if code != "ar"
                for template in language.messages.values()]
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["flower", "lang", "template", "var.name", "formats"])
        for number in range(posts):
            code, template = messages[number % len(messages)]
            writer.writerow([flowers[number % len(flowers)], code, template, f"Supporter {number}",
                             format_name])
    _write_naive_rows(path)


def _write_naive_rows(path: Path) -> None:
    """The same posts for the naive script: the messages already rendered, one per row."""
    from generator.messages import find_template

    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    with open(path.with_suffix(".naive.csv"), "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["flower", "message"])
        for row in rows:
            text = find_template(row["template"], row["lang"]).render({"name": row["var.name"]})
            writer.writerow([row["flower"], text.replace("\n", " ")])


LAST_CPU = [0.0]  # the CPU seconds the last timed command and its workers used


def timed(command: list[str], cwd: str | None = None) -> float:
    """Wall seconds; the CPU seconds of the command and all its workers go to CPU_SECONDS. On a machine
    shared with others, CPU time is the steadier measure of the work done (wall time includes waiting)."""
    LAST_CPU[0] = 0.0
    _become_subreaper()
    before = _children_cpu()
    start = time.perf_counter()
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    wall = time.perf_counter() - start
    _reap_orphans()
    LAST_CPU[0] = _children_cpu() - before
    return wall


def _become_subreaper() -> None:
    """Workers forked by a fork server are its children, not the batch's: when the batch ends, the orphaned
    server comes to this process, which waits for it, so its workers' CPU is counted too (Linux only)."""
    import ctypes

    try:
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (AttributeError, OSError):
        pass


def _reap_orphans() -> None:
    import os

    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def decoded_posts(folder: Path) -> list:
    from PIL import Image

    images = []
    for path in sorted(folder.glob("*.jpg")):
        with Image.open(path) as image:
            clean = image.convert("RGB")
        clean.info.clear()  # as the batch hands the encoder a clean image: no copy to strip metadata
        images.append(clean)
    return images


def encode_floor(images: list, exact: bool) -> float:
    import io

    from generator import jpeg_rows

    start = time.perf_counter()
    for image in images:
        if exact:  # the whole image, as a post's first encode on a picture no post has shown yet
            jpeg_rows.encode(image, 90)
        else:
            image.save(io.BytesIO(), "JPEG", quality=90)
    return time.perf_counter() - start


def write_floor(folder: Path, posts: list[tuple[bytes, bytes, bytes]]) -> float:
    """Each post's three files written as the batch writes them (atomically, beside each other), nothing else."""
    from generator.export import atomic_write

    folder.mkdir(exist_ok=True)
    start = time.perf_counter()
    for number, (caption, alt, image) in enumerate(posts):
        for suffix, data in ((".caption.txt", caption), (".alt.txt", alt), (".jpg", image)):
            atomic_write(folder / f"{number}{suffix}", data, durable=False)
    return time.perf_counter() - start


def written_posts(folder: Path) -> list[tuple[bytes, bytes, bytes]]:
    return [(path.with_suffix(".caption.txt").read_bytes(), path.with_suffix(".alt.txt").read_bytes(),
             path.read_bytes()) for path in sorted(folder.glob("*.jpg"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stages", action="store_true", help="also print the per-stage breakdown")
    parser.add_argument("--baseline", metavar="CHECKOUT",
                        help="another checkout (e.g. a worktree of main) to run side by side, round by round")
    parser.add_argument("--quick", action="store_true", help="only ours (and the baseline) at --jobs 2")
    parser.add_argument("--library", action="store_true",
                        help="also run --jobs 2 with each worker timing its stages and its library calls")
    options = parser.parse_args()
    seconds: dict[str, list[float]] = {"ours --jobs 1": [], "ours --jobs 2": [], "naive script": [],
                                       "floor q90 4:2:0": [], "floor exact": [], "floor write": []}
    images = None
    if options.baseline:
        seconds = {"baseline --jobs 2": [], **seconds}
    if options.quick:
        seconds = {name: values for name, values in seconds.items() if "--jobs 2" in name}
    with tempfile.TemporaryDirectory() as work:
        work_path = Path(work)
        campaign = work_path / "campaign.csv"
        write_campaign(campaign, options.posts)
        batch = [sys.executable, "-m", "generator", "batch", str(campaign), "--force", "-q"]
        here = str(Path(__file__).resolve().parents[1])
        runs = {
            "baseline --jobs 2": lambda: timed([*batch, "-j", "2", "-o", str(work_path / "base")], options.baseline),
            "ours --jobs 1": lambda: timed([*batch, "-j", "1", "-o", str(work_path / "one")], here),
            "ours --jobs 2": lambda: timed([*batch, "-j", "2", "-o", str(work_path / "two")], here),
            "naive script": lambda: timed([sys.executable, "-c", NAIVE_SCRIPT, str(campaign.with_suffix(".naive.csv")),
                                           str(work_path / "naive")], here),
            "floor q90 4:2:0": lambda: encode_floor(decoded(), exact=False),
            "floor exact": lambda: encode_floor(decoded(), exact=True),
            "floor write": lambda: write_floor(work_path / "written", written_posts(work_path / "two")),
        }

        def decoded():
            nonlocal images
            images = images or decoded_posts(work_path / "two")
            return images

        cpu: dict[str, list[float]] = {name: [] for name in seconds}
        for round_number in range(options.rounds):
            names = list(seconds) if round_number % 2 == 0 else list(reversed(seconds))  # A B, then B A
            for name in names:
                cpu_before = time.process_time()
                LAST_CPU[0] = 0.0
                seconds[name].append(runs[name]())
                cpu[name].append(LAST_CPU[0] or time.process_time() - cpu_before)
            print(f"round {round_number + 1}: " + ", ".join(f"{k} {v[-1]:.1f}s" for k, v in seconds.items()),
                  file=sys.stderr)
        made = len(list((work_path / "two").glob("*.jpg")))
    assert made == options.posts, f"expected {options.posts} posts, found {made}"
    rate = {name: options.posts / statistics.median(values) for name, values in seconds.items()}
    print(f"{options.posts} posts, 1080x1350 JPEG, median of {options.rounds} rounds")
    for name, value in rate.items():
        cpu_ms = statistics.median(cpu[name]) * 1000 / options.posts
        print(f"  {name:<18}{value:8.1f} posts/s   (median {statistics.median(seconds[name]):.1f} s;"
              f" {cpu_ms:5.1f} CPU-ms a post)")
    if options.baseline:
        ratio = statistics.median(cpu["baseline --jobs 2"]) / statistics.median(cpu["ours --jobs 2"])
        print(f"  CPU per post, baseline / ours (jobs 2): {ratio:.2f}x")
    if options.baseline:
        print(f"  jobs 2 vs baseline jobs 2:   {rate['ours --jobs 2'] / rate['baseline --jobs 2']:.2f}x")
    if not options.quick:
        print(f"  jobs 2 vs naive script:      {rate['ours --jobs 2'] / rate['naive script']:.2f}x  (aim >= 10x)")
        print(f"  jobs 1 vs naive script:      {rate['ours --jobs 1'] / rate['naive script']:.2f}x")
        print(f"  jobs 2 vs jobs 1:            {rate['ours --jobs 2'] / rate['ours --jobs 1']:.2f}x  (aim >= 1.7x)")
        print(f"  jobs 1 time vs exact floor:  {rate['floor exact'] / rate['ours --jobs 1']:.2f}x  (aim <= 2.5x)")
        print(f"  exact floor vs q90 4:2:0:    {rate['floor q90 4:2:0'] / rate['floor exact']:.2f}x  "
              f"(what 4:4:4 costs)")
        exact_ms = statistics.median(cpu["floor exact"]) * 1000 / options.posts
        write_ms = statistics.median(cpu["floor write"]) * 1000 / options.posts
        print(f"  150 posts/s on 2 cores leaves {2000 / 150:.1f} CPU-ms a post; the exact encode alone takes "
              f"{exact_ms:.1f} and writing the three files {write_ms:.1f}, leaving "
              f"{2000 / 150 - exact_ms - write_ms:.1f} for validating and rendering")
    if options.stages:
        import stages

        with tempfile.TemporaryDirectory() as work:
            campaign = Path(work) / "campaign.csv"
            write_campaign(campaign, options.posts)
            stages.measure(campaign, Path(work) / "warm")
            stages.report(*stages.measure(campaign, Path(work) / "out"))
    if options.library:
        rounds = cpu.get("ours --jobs 2")
        library_in_workers(options.posts, statistics.median(rounds) * 1000 / options.posts if rounds else None)


def library_in_workers(posts: int, cpu_ms: float | None) -> None:
    """The campaign twice more at --jobs 2 in this process, each worker timing its stages, then also the CPU
    of its library calls in each (a run of its own: the hook slows the Python down). What a real batch's
    workers spend where, cold caches and all, and what no change to our own Python takes away, for the calls
    made today. `cpu_ms`: the rounds' CPU a post (the whole command, without any clock)."""
    import os

    here = str(Path(__file__).resolve().parent)  # the fork server imports worker_clock from here: it is
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))  # not sys.path
    timed_run, hooked_run = _clocked_workers(posts, library=False), _clocked_workers(posts, library=True)
    import stages

    print(f"{posts} posts at --jobs 2, in the workers, ms a post: each stage's time by the worker's clock (with"
          f" the picture made in line, not beside the text), and its CPU inside library calls (a run of its own)")
    print(f"  {'stage':<11}{'time':>8}{'library':>9}")
    for stage in (stage for stage in stages.STAGES if stage not in ("validate", "other")):  # not in workers
        print(f"  {stage:<11}{timed_run['stages'].get(stage, 0.0):8.2f}{hooked_run['library'].get(stage, 0.0):9.2f}")
    elapsed, library = sum(timed_run["stages"].values()), sum(hooked_run["library"].values())
    beside = f"; the whole command took {cpu_ms:.2f} CPU-ms a post in the rounds above" if cpu_ms else ""
    print(f"  {'workers':<11}{elapsed:8.2f}{library:9.2f}   (workers' CPU {timed_run['cpu']:.2f}{beside})")
    print(f"  and validating the rows first, in the batch's own process: {timed_run['validate']:.2f} CPU-ms a post")
    print(f"  the library calls alone allow at most {2000 / library:.0f} posts/s on 2 cores "
          f"(aim 150: {2000 / 150:.1f} CPU-ms a post for everything)")


def _clocked_workers(posts: int, library: bool) -> dict:
    """One --jobs 2 run with bench/worker_clock.py in the fork server: its two workers' stage times, library
    times and CPU, summed, in ms a post."""
    import json
    import os

    import generator.batch as batch
    from generator.campaign import plan_campaign

    if "worker_clock" not in batch.WORKER_MODULES:
        batch.WORKER_MODULES.append("worker_clock")
    with tempfile.TemporaryDirectory() as work:
        campaign, report = Path(work) / "campaign.csv", Path(work) / "workers.jsonl"
        write_campaign(campaign, posts)
        os.environ["WORKER_CLOCK_REPORT"] = str(report)
        try:
            if library:
                os.environ["WORKER_CLOCK_LIBRARY"] = "1"
            batch.start_workers_early(2)
            started = time.process_time()
            plan = plan_campaign(campaign)
            validate = time.process_time() - started
            result = batch.run_batch(plan, Path(work) / "out", str(campaign), jobs=2, force=True)
        finally:
            os.environ.pop("WORKER_CLOCK_LIBRARY", None)
        assert report.exists(), "no worker reported: bench/worker_clock.py did not load in the fork server"
        workers = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert not result.failures and len(workers) == 2, (result.failures[:3], workers)
    summed: dict = {"cpu": sum(worker["cpu"] for worker in workers) * 1000 / posts, "validate": validate * 1000 / posts}
    for table in ("stages", "library"):
        summed[table] = {stage: sum(worker[table].get(stage, 0.0) for worker in workers) * 1000 / posts
                         for stage in {name for worker in workers for name in worker[table]}}
    return summed


if __name__ == "__main__":
    main()
