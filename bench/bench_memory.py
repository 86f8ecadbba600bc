"""Memory over a long campaign: peak RSS of the batch's main process and of its largest worker, by row count.

Each size runs `run_batch` in a fresh process (--jobs 2 by default) on the bench campaign (bundled flowers,
all languages and messages, one format), and reports the peak resident set sizes the kernel recorded.
Flat means a 10,000-row campaign needs no more memory per worker than a 1,000-row one.

    python bench/bench_memory.py [--rows 1000 10000] [--jobs 2] [--format instagram-portrait] [--baseline CHECKOUT]

A worker's peak is its VmHWM, read from /proc while it runs (workers forked by a fork server are not the
batch's own children, so getrusage(RUSAGE_CHILDREN) would not see them). --baseline runs the same sizes
from another checkout, alternately with this one.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

RUN = r'''
import json, os, resource, sys, threading, time
from pathlib import Path
from generator.batch import run_batch
from generator.campaign import plan_campaign


def descendants(root):
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parents[int(entry)] = int(stat.read().rpartition(")")[2].split()[1])
            except OSError:
                pass
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def peak_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
    except (OSError, StopIteration):
        return 0


peaks, done = {}, threading.Event()
def watch():
    while not done.wait(0.1):
        for pid in descendants(os.getpid()):
            peaks[pid] = max(peaks.get(pid, 0), peak_kb(pid))
watcher = threading.Thread(target=watch, daemon=True)
watcher.start()
campaign, out, jobs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
start = time.perf_counter()
plan = plan_campaign(campaign)
result = run_batch(plan, out, str(campaign), jobs=jobs, force=True)
seconds = time.perf_counter() - start
done.set()
watcher.join()
print(json.dumps({"posts": len(result.records), "failed": len(result.failures), "seconds": seconds,
                  "main_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "worker_kb": max([*peaks.values(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss])}))
'''


def measure(checkout: str, rows: int, jobs: int, format_name: str) -> dict:
    from bench_batch import write_campaign

    with tempfile.TemporaryDirectory() as work:
        campaign = Path(work) / "campaign.csv"
        write_campaign(campaign, rows, format_name)
        output = subprocess.run([sys.executable, "-c", RUN, str(campaign), str(Path(work) / "out"), str(jobs)],
                                check=True, capture_output=True, text=True, cwd=checkout)
        figures = json.loads(output.stdout.strip().splitlines()[-1])
        assert figures["posts"] == rows and not figures["failed"], figures
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--format", default="instagram-portrait")
    parser.add_argument("--baseline", metavar="CHECKOUT")
    options = parser.parse_args()
    here = str(Path(__file__).resolve().parents[1])
    checkouts = {"ours": here, **({"baseline": options.baseline} if options.baseline else {})}
    print(f"{'':>9}{'rows':>7}{'posts/s':>9}{'main peak':>11}{'worker peak':>13}   (--jobs {options.jobs}, "
          f"{options.format})")
    for number, rows in enumerate(options.rows):
        order = list(checkouts.items()) if number % 2 == 0 else list(reversed(checkouts.items()))
        for name, checkout in order:
            started = time.perf_counter()
            figures = measure(checkout, rows, options.jobs, options.format)
            print(f"{name:>9}{rows:>7}{rows / figures['seconds']:>9.1f}{figures['main_kb'] / 1024:>9.0f}MB"
                  f"{figures['worker_kb'] / 1024:>11.0f}MB   ({time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
