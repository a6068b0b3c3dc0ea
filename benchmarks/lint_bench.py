"""Lint throughput: completions per second through the `lint` reward's Node worker, per lint-thread count.

    python benchmarks/lint_bench.py [--n 300] [--threads 1,2,4] [--compiler-rules]

Completions are the realistic answers reward_bench.py uses (our reference components and the real dataset rows in
../shared/data), each copy with a unique comment so no cache answers for it. For each thread count a fresh process
(and so a fresh Node worker) lints them all at once, as a training step does. Printed per row: wall-clock rate, and
CPU time of the Node worker per completion, which is what the rate would be on idle cores (the wall rate depends on
what else the machine runs: see the load printed at the top). `--compiler-rules` also measures a config with
eslint-plugin-react-hooks' React-Compiler rules, which the default config leaves out.
"""

import argparse
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from reward_bench import corpus, unique

ROOT = Path(__file__).resolve().parent.parent
COMPILER_CONFIG = """import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
export default [js.configs.recommended, ...tseslint.configs.recommended, reactHooks.configs.flat['recommended-latest'],
  { rules: { 'no-undef': 'off' } }];
"""


def node_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime, all threads


def run(threads: int, n: int, config: str | None) -> tuple[float, float, int]:
    """(completions/s wall, CPU ms per completion, problems found) in this (fresh) process."""
    from reward.extract import extract_code
    from reward.lint import LintOptions, lint_many
    from reward.node import worker

    options = LintOptions(config=config, threads=threads)
    codes = [c for c in (extract_code(t).code for t in unique(corpus(), n, f"t{threads}")) if c]
    lint_many([f"// warm {i}\n{codes[i]}" for i in range(threads * 4)], options)  # load ESLint in every thread
    pid = worker()._proc.pid
    cpu, start = node_cpu_seconds(pid), time.perf_counter()
    results = lint_many(codes, options, timeout=600)
    wall, cpu = time.perf_counter() - start, node_cpu_seconds(pid) - cpu
    assert all(r is not None for r in results), "ESLint failed on a completion"
    return len(codes) / wall, 1000 * cpu / len(codes), sum(r.errors + r.warnings for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--threads", default="1,2,4")
    parser.add_argument("--compiler-rules", action="store_true")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; {args.n} completions per row")
    print(f"{'config':<16} {'threads':>7} {'wall /s':>9} {'CPU ms each':>12} {'/s per core':>12} {'problems':>9}")
    rows = [("default", int(t), None) for t in args.threads.split(",")]
    tmp = None
    if args.compiler_rules:
        tmp = tempfile.TemporaryDirectory(dir=ROOT / "benchmarks")  # inside the repo: the config's imports resolve
        (Path(tmp.name) / "eslint.config.mjs").write_text(COMPILER_CONFIG)
        rows.append(("+compiler rules", 1, str(Path(tmp.name) / "eslint.config.mjs")))
    for name, threads, config in rows:
        n = args.n if config is None else max(20, args.n // 10)
        with ProcessPoolExecutor(1) as pool:  # a fresh Node worker per row
            rate, cpu_ms, problems = pool.submit(run, threads, n, config).result()
        print(f"{name:<16} {threads:>7} {rate:>9.1f} {cpu_ms:>12.1f} {1000 / cpu_ms:>12.1f} {problems:>9}")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
