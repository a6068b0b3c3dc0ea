"""Reward throughput: completions per second for each preset, single process and with a process pool.

    python benchmarks/reward_bench.py [--n 400] [--presets static,seed] [--workers 2]

Completions are realistic 2-13 kB answers: the shipped reference components, plus the real dataset rows in
../shared/data when present. Each copy gets a unique comment, so no cache can answer for it: every completion is
parsed, analysed and compiled for real.
"""

import argparse
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def corpus() -> list[str]:
    texts = [
        json.loads(line)["messages"][2]["content"] for line in (ROOT / "data/sample.jsonl").read_text().splitlines()
    ]
    shared = ROOT.parent / "shared" / "data" / "react-code-instructions.first5.jsonl"
    if shared.exists():
        texts += [json.loads(line)["messages"][2]["content"] for line in shared.read_text().splitlines()]
    return texts


def unique(texts: list[str], n: int, salt: str) -> list[str]:
    # A comment inside the code block changes the code (and so every cache key) but not the score.
    out = []
    for i in range(n):
        t = texts[i % len(texts)]
        out.append(t.replace("```tsx\n", f"```tsx\n// {salt}-{i}\n", 1) if "```tsx\n" in t else f"// {salt}-{i}\n{t}")
    return out


def score_chunk(args) -> int:
    preset, chunk = args
    from reward import score

    score(chunk, preset=preset)
    return len(chunk)


def bench(preset: str, n: int, workers: int, batch: int = 16) -> tuple[float, float]:
    from reward import score

    texts = corpus()
    score(unique(texts, 4, "warm"), preset=preset)  # start the worker(s) outside the timing
    items = unique(texts, n, f"single-{preset}")
    start = time.perf_counter()
    for i in range(0, n, batch):
        score(items[i : i + batch], preset=preset)
    single = n / (time.perf_counter() - start)

    items = unique(texts, n, f"pool-{preset}")
    chunks = [(preset, items[i : i + batch]) for i in range(0, n, batch)]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(score_chunk, [(preset, unique(texts, 4, f"warm{w}")) for w in range(workers)]))
        start = time.perf_counter()
        done = sum(pool.map(score_chunk, chunks))
        pooled = done / (time.perf_counter() - start)
    return single, pooled


def bench_render(n: int, workers: int, pages: int) -> float:
    """Render-tier throughput alone (compile + mount + interactions in Chromium) for one pool configuration."""
    from reward.render import RenderOptions, render_many

    options = RenderOptions(workers=workers, pages=pages)
    codes = [t.split("```tsx\n", 1)[-1].split("\n```", 1)[0] for t in corpus()]
    render_many([f"// warm {i}\n{c}" for i, c in enumerate(codes[: workers * pages])], options)  # launch browsers
    items = [f"// {workers}x{pages}-{i}\n{codes[i % len(codes)]}" for i in range(n)]
    start = time.perf_counter()
    results = render_many(items, options)
    rate = n / (time.perf_counter() - start)
    assert all(r is not None for r in results), "render pool failed"
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=400, help="completions per measurement")
    parser.add_argument("--presets", default="static,seed,default", help="comma-separated presets")
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--render", default="1x1,1x2,1x4,2x2", help="render pools to measure: WORKERSxPAGES,...")
    args = parser.parse_args()
    sizes = [len(t) for t in corpus()]
    print(
        f"corpus: {len(sizes)} answers, {min(sizes) / 1e3:.1f}-{max(sizes) / 1e3:.1f} kB (mean {sum(sizes) / len(sizes) / 1e3:.1f} kB)"
    )
    print(f"{'preset':<10} {'1 process':>12} {f'pool x{args.workers}':>12}   (completions/s)")
    for preset in args.presets.split(","):
        single, pooled = bench(preset, args.n, args.workers)
        print(f"{preset:<10} {single:>12.0f} {pooled:>12.0f}")
    if args.render:
        print(f"\n{'render pool':<22} {'completions/s':>14}   (Chromium: compile + mount + interactions)")
        for spec in args.render.split(","):
            w, p = (int(x) for x in spec.split("x"))
            print(f"{f'{w} browser(s) x {p} page(s)':<22} {bench_render(args.n // 2, w, p):>14.1f}")


if __name__ == "__main__":
    main()
