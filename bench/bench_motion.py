"""Animated posts: the whole clip against the bare encode of the same frames, side by side in one run.

Each round runs two fresh processes, in alternating order so both meet the same machine:
- clip:   animate_post() for an 8-s 1080x1920 story (frames rendered in worker processes, streamed to
          the encoder): wall time and peak memory (the process and its largest worker);
- encode: the same frames rendered beforehand (untimed), then only encoded with the same encoder.
The ratio clip / encode says what making the frames adds on top of what any encode must cost.

    python bench/bench_motion.py [--rounds 3] [--flower grow:cornflower:3] [--format instagram-story]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time


def one(kind: str, flower: str, format_name: str, processes: int) -> dict:
    from generator.motion import animate_post
    from generator.motion.encode import Mp4Encoder
    from generator.motion.frames import FrameMaker
    from generator.motion.render import frame_planes
    from generator.motion.timeline import Timeline
    from generator.spec import PostRequest, plan_posts

    spec = plan_posts(PostRequest(flower=flower, formats=(format_name,)))[0]
    if kind == "clip":
        start = time.perf_counter()
        data = animate_post(spec, processes=processes)
        seconds = time.perf_counter() - start
    else:
        timeline = Timeline()
        frames = list(frame_planes(FrameMaker(spec, timeline), processes))
        start = time.perf_counter()
        encoder = Mp4Encoder(spec.format.size, timeline.fps)
        for planes in frames:
            encoder.add(planes)
        data = encoder.finish()
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "bytes": len(data),
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def measure(kind: str, args) -> dict:
    out = subprocess.run([sys.executable, __file__, "--one", kind, "--flower", args.flower, "--format", args.format,
                          "--processes", str(args.processes)], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--flower", default="grow:cornflower:3")
    parser.add_argument("--format", default="instagram-story")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--one", choices=("clip", "encode"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.flower, args.format, args.processes)))
        return
    results: dict[str, list[dict]] = {"clip": [], "encode": []}
    for round_ in range(args.rounds):
        for kind in ("clip", "encode") if round_ % 2 == 0 else ("encode", "clip"):
            results[kind].append(measure(kind, args))
    clip = statistics.median(r["seconds"] for r in results["clip"])
    encode = statistics.median(r["seconds"] for r in results["encode"])
    ratios = [c["seconds"] / e["seconds"] for c, e in zip(results["clip"], results["encode"])]
    print(f"{args.flower}, {args.format}, 8 s at 30 fps, {args.rounds} rounds, {args.processes} frame workers")
    for label, kind, median in (("whole clip: ", "clip", clip), ("bare encode:", "encode", encode)):
        rounds = ", ".join(f"{r['seconds']:.1f}" for r in results[kind])
        print(f"  {label}      median {median:.1f} s  (rounds: {rounds})")
    print(f"  clip / encode:    median {statistics.median(ratios):.2f}  (per round: "
          f"{', '.join(f'{r:.2f}' for r in ratios)})")
    print(f"  peak memory:      clip process {max(r['rss_mb'] for r in results['clip']):.0f} MB, "
          f"largest worker {max(r['worker_rss_mb'] for r in results['clip']):.0f} MB")
    print(f"  file size:        {results['clip'][0]['bytes'] / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
