"""Memory over a long campaign: peak RSS of the batch's main process and of its largest worker, by row count.

Each size runs `run_batch` in a fresh process (--jobs 2 by default) on the bench campaign (bundled flowers,
all languages and messages, one format), and reports the peak resident set sizes the kernel recorded.
Flat means a 10,000-row campaign needs no more memory per worker than a 1,000-row one.

    python bench/bench_memory.py [--rows 1000 10000] [--jobs 2] [--format instagram-portrait]
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
import json, resource, sys, time
from pathlib import Path
from generator.batch import run_batch
from generator.campaign import plan_campaign
campaign, out, jobs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
start = time.perf_counter()
plan = plan_campaign(campaign)
result = run_batch(plan, out, str(campaign), jobs=jobs, force=True)
print(json.dumps({"posts": len(result.records), "failed": len(result.failures),
                  "seconds": time.perf_counter() - start,
                  "main_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "worker_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
'''


def main() -> None:
    from bench_batch import write_campaign

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--format", default="instagram-portrait")
    options = parser.parse_args()
    here = str(Path(__file__).resolve().parents[1])
    print(f"{'rows':>7}{'posts/s':>9}{'main peak':>11}{'worker peak':>13}   (--jobs {options.jobs}, {options.format})")
    for rows in options.rows:
        with tempfile.TemporaryDirectory() as work:
            campaign = Path(work) / "campaign.csv"
            write_campaign(campaign, rows, options.format)
            started = time.perf_counter()
            output = subprocess.run([sys.executable, "-c", RUN, str(campaign), str(Path(work) / "out"),
                                     str(options.jobs)], check=True, capture_output=True, text=True, cwd=here)
            figures = json.loads(output.stdout.strip().splitlines()[-1])
            assert figures["posts"] == rows and not figures["failed"], figures
        print(f"{rows:>7}{rows / figures['seconds']:>9.1f}{figures['main_kb'] / 1024:>9.0f}MB"
              f"{figures['worker_kb'] / 1024:>11.0f}MB   ({time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
