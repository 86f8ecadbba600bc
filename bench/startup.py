"""Start-up: how long one `solidarity make` takes in a fresh process, against the bare interpreter.

Runs each command alternately, so both see the same machine load, and reports medians and ratios:

    python bench/startup.py [--rounds 15] [--baseline CHECKOUT]

--baseline runs the same `make` from another checkout (a worktree of main, say) in the same rounds.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "python -c pass (floor)": [sys.executable, "-c", "pass"],
    "import PIL.Image (floor)": [sys.executable, "-c", "import PIL.Image"],
    # Every command's own floor: the command line's library and the imaging library, imported and nothing done.
    "import click, PIL.Image (floor)": [sys.executable, "-c", "import click, PIL.Image"],
    "solidarity --version": [sys.executable, "-m", "generator", "--version"],
    "solidarity make (bundled flower)": [sys.executable, "-m", "generator", "make", "-q", "--force", "-o", "{out}"],
}


# As on a supporter's machine: Python caches compiled modules. (This workplace sets PYTHONDONTWRITEBYTECODE,
# which would make every run recompile the package and measure the compiler instead of the tool.)
ENVIRONMENT = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], cwd: str | None = None) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run: CPU time barely moves when other work shares
    the machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=ENVIRONMENT, cwd=cwd)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--baseline", metavar="CHECKOUT")
    options = parser.parse_args()
    here = str(Path(__file__).resolve().parents[1])
    with tempfile.TemporaryDirectory() as out:
        commands = {name: ([part.format(out=out) for part in cmd], here) for name, cmd in COMMANDS.items()}
        if options.baseline:
            commands["baseline make"] = (commands["solidarity make (bundled flower)"][0], options.baseline)
        for command, cwd in commands.values():  # warm the file cache and .pyc files once
            timed(command, cwd)
        samples: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for round_number in range(options.rounds):
            order = list(commands.items())
            for name, (command, cwd) in order if round_number % 2 == 0 else reversed(order):
                wall, used = timed(command, cwd)
                samples[name].append(wall)
                cpu[name].append(used)
    floor = statistics.median(samples["python -c pass (floor)"])
    print(f"{'command':<36}{'median':>10}{'p90':>10}{'x floor':>10}{'cpu median':>12}")
    for name, values in samples.items():
        median = statistics.median(values)
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"{name:<36}{median * 1000:>8.0f}ms{p90 * 1000:>8.0f}ms{median / floor:>10.1f}"
              f"{statistics.median(cpu[name]) * 1000:>10.0f}ms")
    make = statistics.median(samples["solidarity make (bundled flower)"])
    pil = statistics.median(samples["import PIL.Image (floor)"])
    print(f"make above the import PIL.Image floor: {(make - pil) * 1000:.0f} ms")
    libraries = statistics.median(samples["import click, PIL.Image (floor)"])
    print(f"make above the import click, PIL.Image floor: {(make - libraries) * 1000:.0f} ms")
    if options.baseline:
        print(f"make vs baseline make: {statistics.median(samples['baseline make']) / make:.2f}x faster (wall), "
              f"{statistics.median(cpu['baseline make']) / statistics.median(cpu['solidarity make (bundled flower)']):.2f}x (cpu)")


if __name__ == "__main__":
    main()
