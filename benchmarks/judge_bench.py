"""What the judge costs: seconds and tokens per checklist and per judged completion, and per 1,000 completions.

    python benchmarks/judge_bench.py --tiny [--n 24]            # CPU stand-in: serves the tiny random VLM itself
    python benchmarks/judge_bench.py --config RECIPE [--n 256]  # the recipe's judge server, already running

Completions are the shipped sample data's reference components (they render cleanly, so every one is judged), each
against its own prompt; checklists and verdicts start from empty caches. Per mode (image, text) it prints the checklist
cost (paid once per prompt), the screenshot cost (image mode, phase 1: one width), the verdict throughput at the
configured concurrency, and tokens per request, which is what the GPU arithmetic in the README scales.
"""

import argparse
import asyncio
import dataclasses
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from genui_grpo.judge_server import judge_server_command
from genui_grpo.vllm_server import wait_for_health
from reward import stats
from reward.checklists import precompute, user_message
from reward.config import from_recipe
from reward.facts import attach_renders, gather
from reward.judge import JudgeOptions, judge_facts, judge_for
from reward.render import RenderOptions
from reward.views import render_views

ROOT = Path(__file__).resolve().parent.parent


def tiny_server(work: Path) -> tuple[JudgeOptions, subprocess.Popen]:
    from genui_grpo.tiny_vlm import build

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    options = JudgeOptions(
        base_url=f"http://127.0.0.1:{port}/v1", model=str(build(ROOT / ".cache" / "tiny-vlm")), timeout_s=600,
        serve_dtype="float32", serve_max_model_len=8192, serve_args="--enforce-eager --trust-remote-code",
    )  # fmt: skip
    env = {**os.environ, "VLLM_CPU_KVCACHE_SPACE": "1", "HF_HUB_OFFLINE": "1"}
    log = open(work / "server.log", "w")  # noqa: SIM115 (lives as long as the server)
    proc = subprocess.Popen(
        judge_server_command(options), stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
    )
    print(f"tiny judge server: ready after {wait_for_health(options.base_url[:-3], timeout=1200, proc=proc):.0f} s")
    return options, proc


def per_request(counts: dict) -> str:
    n = max(1, counts.get("judge_requests", 0))
    return f"{counts.get('judge_prompt_tokens', 0) / n:.0f} prompt + {counts.get('judge_completion_tokens', 0) / n:.0f} completion tokens/request"


def bench(options: JudgeOptions, rows: list[dict], n: int, render: RenderOptions) -> dict:
    rows = [rows[i % len(rows)] for i in range(n)]
    prompts = [r["messages"][:-1] for r in rows]
    facts = attach_renders(gather([r["messages"][-1]["content"] for r in rows]), render)
    clean = sum(f.render is not None and f.render.clean for f in facts)
    out = {"completions": n, "clean_renders": clean}

    stats.drain()
    start = time.perf_counter()
    summary = asyncio.run(precompute([user_message(p) for p in prompts], options, progress=False))
    out["checklist_s"] = (time.perf_counter() - start) / max(1, summary.get("written", 0))
    print(f"  checklists: {summary}, {out['checklist_s']:.2f} s each, {per_request(stats.drain())}")

    if options.mode == "image":
        start = time.perf_counter()
        asyncio.run(render_views([f.code for f in facts], render))
        out["screenshot_s"] = (time.perf_counter() - start) / n
        print(f"  screenshots (phase 1, one width): {out['screenshot_s']:.3f} s per completion")

    start = time.perf_counter()
    outcomes = asyncio.run(judge_facts(facts, prompts, options, render))
    wall = time.perf_counter() - start
    counts = stats.drain()
    out["judged"] = sum(o.verdict is not None for o in outcomes)
    out["judge_s_per_1000"] = 1000 * wall / n
    print(
        f"  verdicts: {out['judged']}/{n} judged in {wall:.1f} s at concurrency {options.concurrency} "
        f"({n / wall:.2f} completions/s; {per_request(counts)}; failures {counts.get('judge_failures', 0)})"
    )
    print(f"  => {out['judge_s_per_1000'] / 60:.1f} min per 1,000 completions (checklists excluded: once per prompt)")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tiny", action="store_true", help="serve the tiny random VLM on CPU for the run")
    parser.add_argument("--config", help="a recipe whose judge server is running")
    parser.add_argument("--n", type=int, default=24, help="completions per mode")
    parser.add_argument("--modes", default="image,text")
    args = parser.parse_args()
    if not (args.tiny or args.config):
        parser.error("give --tiny or --config RECIPE")
    rows = [json.loads(line) for line in (ROOT / "data" / "sample.jsonl").read_text().splitlines()]
    render = RenderOptions(workers=1, pages=4)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        proc = None
        if args.tiny:
            options, proc = tiny_server(work)
        else:
            options = from_recipe(args.config)[0].judge_options()
        try:
            for mode in args.modes.split(","):
                o = dataclasses.replace(options, mode=mode, checklists=str(work / f"checklists-{mode}.jsonl"))
                judge_for(o)  # a fresh cache per mode
                print(
                    f"{mode} mode ({o.model}, evidence {o.evidence_chars} chars, items {o.min_items}-{o.max_items}):"
                )
                bench(o, rows, args.n, render)
        finally:
            if proc is not None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(60)


if __name__ == "__main__":
    main()
