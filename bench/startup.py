"""Start-up: how long one `solidarity make` takes in a fresh process, against the bare interpreter.

Runs each command alternately, so both see the same machine load, and reports medians and ratios:

    python bench/startup.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

COMMANDS = {
    "python -c pass (floor)": [sys.executable, "-c", "pass"],
    "solidarity --version": [sys.executable, "-m", "generator", "--version"],
    "solidarity make (bundled flower)": [sys.executable, "-m", "generator", "make", "-q", "--force", "-o", "{out}"],
}


# As on a supporter's machine: Python caches compiled modules. (This workplace sets PYTHONDONTWRITEBYTECODE,
# which would make every run recompile the package and measure the compiler instead of the tool.)
ENVIRONMENT = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=ENVIRONMENT)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as out:
        commands = {name: [part.format(out=out) for part in cmd] for name, cmd in COMMANDS.items()}
        for command in commands.values():  # warm the file cache and .pyc files once
            timed(command)
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(rounds):
            for name, command in commands.items():
                samples[name].append(timed(command))
    floor = statistics.median(samples["python -c pass (floor)"])
    print(f"{'command':<36}{'median':>10}{'p90':>10}{'x floor':>10}")
    for name, values in samples.items():
        median = statistics.median(values)
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"{name:<36}{median * 1000:>8.0f}ms{p90 * 1000:>8.0f}ms{median / floor:>10.1f}")


if __name__ == "__main__":
    main()
