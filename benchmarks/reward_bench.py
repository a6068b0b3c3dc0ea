"""Reward throughput: completions per second for each preset, single process and with a process pool, and the render
pool alone, per pool size and per isolation step.

    python benchmarks/reward_bench.py [--n 400] [--presets static,seed] [--workers 2] [--render 1x8,2x4]
                                      [--steps]  # render cost of each isolation step (none, flags, namespace, sandbox)
                                      [--phases] # CPU per render phase and process (1 browser x 1 page)

The render figures include CPU milliseconds per completion summed over this process and every process it started
(Node, Chromium and its renderers): unlike completions/s, that figure barely moves with the machine's other load.

Completions are realistic 2-13 kB answers: the shipped reference components, plus the real dataset rows in
../shared/data when present. Each copy gets a unique comment, so no cache can answer for it: every completion is
parsed, analysed and compiled for real.
"""

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's reward package, whatever is installed


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


def tree_cpu_ms() -> float:
    """CPU time of this process and all its descendants (live ones, plus the children they have reaped)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, stack = 0, [os.getpid()]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
            total += sum(int(x) for x in stat[stat.rindex(")") + 2 :].split()[11:15])
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    stack += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total * 1000 / tick


def compiled_copies(n: int, tag: str) -> list[str]:
    """n compiled copies of the corpus' components. A unique statement (not a comment: comments do not survive
    compilation) makes every render a real one."""
    from reward.compiler import compile_many

    codes = [t.split("```tsx\n", 1)[-1].split("\n```", 1)[0] for t in corpus()]
    items = [f"(globalThis as any).benchCopy = '{tag}-{i}';\n{codes[i % len(codes)]}" for i in range(n)]
    return [c.js for c in compile_many(items) if c.ok]


def bench_render(n: int, workers: int, pages: int, **isolation) -> tuple[float, float]:
    """Render tier alone (mount + interactions in Chromium; compiled beforehand, as in training) for one pool:
    completions/s and CPU ms per completion."""
    from reward.render import RenderOptions, render_compiled

    options = RenderOptions(workers=workers, pages=pages, **isolation)
    tag = f"{workers}x{pages}-" + "-".join(f"{k}={v}" for k, v in sorted(isolation.items()))
    js = compiled_copies(n + workers * pages, tag)
    render_compiled(js[: workers * pages], options)  # launch browsers and open every page outside the timing
    js = js[workers * pages :]
    cpu, start = tree_cpu_ms(), time.perf_counter()
    results = render_compiled(js, options)
    rate = len(js) / (time.perf_counter() - start)
    assert all(r is not None for r in results), "render pool failed"
    return rate, (tree_cpu_ms() - cpu) / len(js)


def bench_phases(n: int, **overrides) -> None:
    """CPU ms per completion for each phase of a render and each process (Node, Chromium's browser, renderer, ...),
    one page rendering at a time so that phases never overlap (reward/js/profile.mjs)."""
    from reward.render import RenderOptions, pool, render_compiled

    os.environ["GENUI_RENDER_PROFILE"] = "1"  # read by the Node worker this pool starts
    try:
        options = RenderOptions(workers=1, pages=1, **overrides)
        render_compiled(compiled_copies(n, "phases"), options)
        report = pool(options).workers[0].submit("profile").result()["pools"]["main"]
    finally:
        del os.environ["GENUI_RENDER_PROFILE"]
    if report is None:
        raise SystemExit("--phases: a 1x1 render pool was started before profiling was on; leave 1x1 out of --render")
    jobs, rows = report["jobs"], report["phases"]
    print(f"\n{'render phase (1 x 1)':<24} {'CPU ms each':>12}   by process ({jobs} completions)")
    total = 0.0
    for phase, row in sorted(rows.items(), key=lambda kv: -sum(kv[1].values())):
        ms = sum(row.values()) / jobs
        total += ms
        parts = sorted(((k, v / jobs) for k, v in row.items() if v / jobs >= 0.5), key=lambda kv: -kv[1])
        print(f"{phase:<24} {ms:>12.1f}   " + " ".join(f"{k}={v:.1f}" for k, v in parts))
    print(f"{'total':<24} {total:>12.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=400, help="completions per measurement")
    parser.add_argument("--presets", default="static,seed,default", help="comma-separated presets")
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--render", default="1x8,1x16,2x8", help="render pools to measure: WORKERSxPAGES,...")
    parser.add_argument("--steps", action="store_true", help="also measure each isolation step (1x8)")
    parser.add_argument("--phases", action="store_true", help="also profile CPU per render phase (1x1)")
    args = parser.parse_args()
    sizes = [len(t) for t in corpus()]
    print(
        f"corpus: {len(sizes)} answers, {min(sizes) / 1e3:.1f}-{max(sizes) / 1e3:.1f} kB (mean {sum(sizes) / len(sizes) / 1e3:.1f} kB)"
    )
    print(f"{'preset':<10} {'1 process':>12} {f'pool x{args.workers}':>12}   (completions/s)")
    for preset in filter(None, args.presets.split(",")):
        single, pooled = bench(preset, args.n, args.workers)
        print(f"{preset:<10} {single:>12.0f} {pooled:>12.0f}")
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if args.render:
        print(f"{'render pool (isolation on)':<28} {'completions/s':>14} {'CPU ms each':>12}")
        for spec in args.render.split(","):
            w, p = (int(x) for x in spec.split("x"))
            rate, cpu = bench_render(args.n // 2, w, p)
            print(f"{f'{w} browser(s) x {p} page(s)':<28} {rate:>14.1f} {cpu:>12.1f}")
    if args.steps:
        print(f"\n{'isolation step (1 x 8)':<28} {'completions/s':>14} {'CPU ms each':>12}")
        steps = {
            "none, --no-sandbox": {"isolation": "none", "sandbox": False},
            "+ dead-proxy flags": {"isolation": "flags", "sandbox": False},
            "namespace (no flags)": {"isolation": "namespace", "sandbox": False},
            "namespace + sandbox": {"isolation": "namespace", "sandbox": True},
        }
        for label, iso in steps.items():
            rate, cpu = bench_render(args.n // 2, 1, 8, **iso)
            print(f"{label:<28} {rate:>14.1f} {cpu:>12.1f}")
    if args.phases:
        bench_phases(args.n // 4)


if __name__ == "__main__":
    main()
