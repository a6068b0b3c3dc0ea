"""Dataset preparation at the real dataset's size: time and peak memory of rank 0 preparing it and of a second rank
getting it, two CPU processes under `accelerate launch`, each running what train.py runs
(`prepare_from_recipe` inside `PartialState.main_process_first()`).

    python benchmarks/data_bench.py                          # 74,400 rows, the size of the real dataset
    python benchmarks/data_bench.py --rows 20000
    python benchmarks/data_bench.py --src /tmp/main-checkout # measure another version of genui_grpo (before/after)

Rows have the real shape: the five rows of ../shared/data/react-code-instructions.first5.jsonl (the same 4.9 kB
system prompt on every row, 4-13 kB answers) repeated with varied user messages; the tokenizer is the real Qwen3 one
(the tiny model's). The first launch finds nothing prepared; each rerun (--runs) has the same inputs.
Peak RSS is the rank's own high-water mark (imports and tokenizer included); "with workers" is the peak of the rank's
and its `datasets.map` worker processes' memory together (PSS, sampled every 50 ms).
"""

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
FIRST5 = ROOT.parent / "shared" / "data" / "react-code-instructions.first5.jsonl"
TINY = ROOT / ".cache" / "tiny-qwen3-moe"
ASKS = ["", " Make it dark-themed.", " Use a responsive grid.", "\n\nAdd a search box that filters the list.",
        " with pagination and sorting", " (mobile first, accessible)", " Include a settings modal."]  # fmt: skip


def build_rows(n: int, path: Path) -> None:
    """n rows of the real shape: the five real rows in turn, each user message varied."""
    source = [json.loads(line) for line in FIRST5.read_text().splitlines()]
    rng = random.Random(0)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w") as f:
        for i in range(n):
            messages = [dict(m) for m in source[i % len(source)]["messages"]]
            messages[1]["content"] = f"{messages[1]['content']}{rng.choice(ASKS)} (request {i})"
            f.write(json.dumps({"messages": messages}) + "\n")
    tmp.rename(path)


class PeakPss(threading.Thread):
    """Peak memory of this process and its children (the map workers) together, sampled. PSS, not RSS: forked workers
    share the parent's pages, which a sum of RSS would count once per process."""

    def __init__(self):
        super().__init__(daemon=True)
        self.proc, self.peak = psutil.Process(), 0
        self.start()

    def run(self):
        while True:
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_full_info().pss for p in procs))
            except psutil.NoSuchProcess:  # a worker exited while being read
                pass
            time.sleep(0.05)


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the map workers): what the work costs on an idle machine,
    whatever share of the cores other processes leave it."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def worker(args) -> None:
    """One rank: what train.py's dataset section does, timed."""
    sys.path.insert(0, str(args.src))
    import inspect

    import torch
    from accelerate import PartialState
    from transformers import AutoTokenizer

    from genui_grpo import data
    from genui_grpo.config import ScriptArguments

    sampler = PeakPss()
    # cpu=True: accelerate only sets up gloo for CPU processes when asked (a plain PartialState() reports 1 process)
    state = PartialState(cpu=not torch.cuda.is_available())
    tokenizer = AutoTokenizer.from_pretrained(TINY)
    script_args = ScriptArguments(dataset_name=str(args.rows_file))  # the recipe defaults for every data setting
    # The version under test may predate the prepared-dataset cache (no output_dir argument)
    takes_dir = "output_dir" in inspect.signature(data.prepare_from_recipe).parameters
    extra = {"output_dir": str(args.output_dir)} if takes_dir else {}
    with state.main_process_first():
        started, cpu_before = time.perf_counter(), cpu_seconds()
        splits, report = data.prepare_from_recipe(script_args, tokenizer, {"enable_thinking": False}, **extra)
        splits["train"][len(splits["train"]) - 1]  # a row the trainer would read
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_before
    state.wait_for_everyone()
    result = {
        "rank": state.process_index,
        "seconds": round(seconds, 2),
        "cpu_s": round(cpu, 1),
        "reused": getattr(report, "reused", False),
        "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2),
        "peak_with_workers_gb": round(sampler.peak / 2**30, 2),
        "train": len(splits["train"]),
        "eval": len(splits["eval"]),
    }
    print("BENCH " + json.dumps(result), flush=True)


def launch(args, processes: int) -> list[dict]:
    cmd = [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes", str(processes),
           "--num_machines", "1", "--mixed_precision", "no", "--dynamo_backend", "no",
           __file__, "--worker", "--rows_file", str(args.rows_file), "--output_dir", str(args.output_dir),
           "--src", str(args.src)]  # fmt: skip
    if processes == 1:
        cmd = [sys.executable, __file__, *cmd[cmd.index(__file__) + 1 :]]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    started = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"benchmark launch failed:\n{out.stdout[-3000:]}\n{out.stderr[-12000:]}")
    rows = [json.loads(line[6:]) for line in out.stdout.splitlines() if line.startswith("BENCH ")]
    for r in rows:
        r["launch_s"] = round(time.perf_counter() - started, 1)
    return sorted(rows, key=lambda r: r["rank"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=74_400)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--runs", type=int, default=2, help="launches: the first, then reruns with the same inputs")
    parser.add_argument("--work_dir", type=Path, default=ROOT / ".cache" / "data-bench")
    parser.add_argument("--src", type=Path, default=ROOT, help="checkout whose genui_grpo is measured")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rows_file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--output_dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)

    sys.path.insert(0, str(ROOT))
    from genui_grpo.tiny import build

    build(TINY)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    args.rows_file = args.work_dir / f"rows-{args.rows}.jsonl"
    if not args.rows_file.exists():
        build_rows(args.rows, args.rows_file)
    args.output_dir = args.work_dir / "run"
    shutil.rmtree(args.output_dir, ignore_errors=True)
    size_mb = args.rows_file.stat().st_size / 2**20
    print(f"{args.rows} rows ({size_mb:.0f} MB JSONL), {args.processes} process(es), genui_grpo from {args.src}")
    print(f"load average {os.getloadavg()[0]:.1f}, {len(os.sched_getaffinity(0))} cores")
    header = f"{'run':<7}{'rank':>5}{'seconds':>9}{'CPU s':>7}{'reused':>8}{'peak RSS GB':>13}{'with workers GB':>17}"
    print(header + f"{'train':>8}{'eval':>6}{'launch s':>10}\n" + "-" * (len(header) + 24))
    for run in ["first"] + ["rerun"] * (args.runs - 1):
        for r in launch(args, args.processes):
            print(f"{run:<7}{r['rank']:>5}{r['seconds']:>9.2f}{r['cpu_s']:>7.1f}{r['reused']!s:>8}{r['peak_rss_gb']:>13.2f}"
                  f"{r['peak_with_workers_gb']:>17.2f}{r['train']:>8}{r['eval']:>6}{r['launch_s']:>10.1f}")  # fmt: skip
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
