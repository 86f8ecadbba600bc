"""The page's fit check (every ticked platform, measured, not drawn) against one preview, side by side.

As the supporter types, the page asks /api/check for every ticked platform and /api/preview for the one
shown. Each round sends both, with a new message, for the same three platforms (the check) and the first
of them (the preview), alternating which goes first so both see the same machine and the same warm caches.

    python bench/bench_check.py [--rounds 30]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from generator.web import create_app

FORMATS = ["instagram-square", "x", "instagram-story"]


def measure(rounds: int) -> dict[str, list[float]]:
    client = create_app().test_client()
    samples: dict[str, list[float]] = {"check, 3 platforms": [], "preview, 1 platform": []}
    words = "we stand with the medics of Belarus thank you for your courage and care".split()
    rng = random.Random(7)

    def timed(path: str, formats: list[str], message: str) -> float:
        start = time.perf_counter()
        response = client.post(path, data={"message": message, "format": formats, "flower": "cornflower"})
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.get_data(as_text=True)
        return elapsed

    timed("/api/preview", FORMATS[:1], "warm up")
    for round_number in range(rounds):
        message = " ".join(rng.choice(words) for _ in range(12)).capitalize() + f" {round_number}."
        pair = [("check, 3 platforms", "/api/check", FORMATS), ("preview, 1 platform", "/api/preview", FORMATS[:1])]
        for name, path, formats in pair if round_number % 2 else pair[::-1]:
            samples[name].append(timed(path, formats, message))
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    samples = measure(parser.parse_args().rounds)
    check, preview = (statistics.median(values) for values in samples.values())
    for name, values in samples.items():
        print(f"{name:>20}: median {statistics.median(values) * 1000:6.1f} ms over {len(values)} rounds")
    print(f"{'ratio':>20}: the check takes {check / preview:.2f}x the time of one preview")


if __name__ == "__main__":
    main()
