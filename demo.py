"""`make demo`: show, on CPU in minutes, that GRPO with our reward moves a policy toward components that compile,
render cleanly and respond to clicks.

    python demo.py                                   # make demo
    python demo.py --grpo_args "--max_steps 60"      # any stage's recipe field can be overridden

Stages, each timed (wall and CPU time, with the machine's load); the budget is 15 minutes on 2 cores in all:
  1. warm start  python -m genui_grpo.warmstart --config recipes/demo-sft.yaml     SFT of a small Qwen3-MoE on
                 working, static, unwired, truncated and unclosed components (cached: rebuilt when its inputs change)
  2. GRPO        train.py --config recipes/demo-grpo.yaml                         the `default` reward, held-in prompts
  3. evaluate    evaluate.py --config recipes/demo-grpo.yaml + EVAL_ARGS          warm start vs tuned, held-out prompts
Then it prints the held-out rates before and after with their 95% intervals, whether the intervals are apart, and
where the report (with the training curves) is. The stages run in this process: one import of torch, one browser.
"""

import argparse
import json
import logging
import os
import resource
import shlex
import shutil
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path

import psutil
from trl import TrlParser

import evaluate
import train
from genui_grpo import warmstart
from genui_grpo.config import RECIPE
from genui_grpo.metrics import intervals_apart

logger = logging.getLogger("demo")
ROOT = Path(__file__).resolve().parent
SFT_RECIPE = ROOT / "recipes/demo-sft.yaml"
GRPO_RECIPE = ROOT / "recipes/demo-grpo.yaml"
BUDGET_S = 15 * 60
BUDGET_CORES = 2  # the budget is 15 minutes on 2 cores: on a shared machine CPU time is the figure that carries over
# The evaluation's settings, identical for the warm start and the tuned adapter (evaluate.py's flags).
EVAL_ARGS = [
    "--eval_k", "8",             # samples per held-out prompt and model: 8 prompts x 8 = 64 per model
    "--eval_max_prompts", "8",   # every held-out prompt
    "--eval_showcase", "",       # the showcase prompts ask for whole apps; the demo model writes small components
    "--eval_backend", "hf",
]  # fmt: skip
# ... and GRPO's own sampling (temperature, top_p, top_k of recipes/demo-grpo.yaml): the rates describe the policy as
# it was trained to sample, the warm start sampled the same way.
SAMPLING = {"eval_temperature": "temperature", "eval_top_p": "top_p", "eval_top_k": "top_k"}
# The rates the demo is judged on (genui_grpo/metrics.py), with the report's names.
RATES = {
    "compiles": "compiles",
    "renders_cleanly": "renders cleanly",
    "interaction_effective": "clicks change the page",
}
SPLIT_FIELDS = (
    "dataset_name",
    "eval_size",
    "split_seed",
    "max_prompt_tokens",
    "system_prompt",
    "system_prompt_append",
)


def cpu_seconds() -> float:
    """CPU time of this process and every descendant so far. getrusage counts the children already reaped; the render
    workers (Node + Chromium) live across stages and are only reaped at exit, so the live descendants' own time (and
    that of the children they reaped) is added from /proc through psutil (accelerate's dependency)."""
    own, reaped = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + reaped.ru_utime + reaped.ru_stime
    for child in psutil.Process().children(recursive=True):
        with suppress(psutil.Error):  # it may exit between the listing and the read
            t = child.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
    return total


@contextmanager
def stage(name: str, timings: list[dict]):
    """Time a stage: wall clock, CPU time of this process (and its finished children), load average at both ends."""
    logger.info("=== %s ===", name)
    wall, cpu, load = time.time(), cpu_seconds(), os.getloadavg()[0]
    record = {"stage": name}
    timings.append(record)
    yield record
    record.update(
        wall_s=round(time.time() - wall, 1),
        cpu_s=round(cpu_seconds() - cpu, 1),
        load_1min=[round(load, 2), round(os.getloadavg()[0], 2)],
    )
    logger.info("=== %s: %.0f s wall, %.0f s CPU ===", name, record["wall_s"], record["cpu_s"])


def parse_recipes(sft_args: list[str], grpo_args: list[str], eval_args: list[str]):
    sft = warmstart.parse(["--config", str(SFT_RECIPE), *sft_args])
    grpo = TrlParser(RECIPE).parse_args_and_config(["--config", str(GRPO_RECIPE), *grpo_args])
    sampling = [a for ours, theirs in SAMPLING.items() for a in (f"--{ours}", str(getattr(grpo[2], theirs) or 0))]
    evaluation = TrlParser(evaluate.EVAL_RECIPE).parse_args_and_config(
        ["--config", str(GRPO_RECIPE), *grpo_args, *EVAL_ARGS, *sampling, *eval_args]
    )
    return sft, grpo, evaluation


def check_consistent(sft, grpo) -> None:
    """The stages must agree on what is held out, which model GRPO starts from, and how prompts are rendered."""
    (sft_script, _, sft_config), (grpo_script, _, grpo_config, model_args) = sft, grpo
    problems = [
        f"{f}: {getattr(sft_script, f)!r} in the warm start vs {getattr(grpo_script, f)!r} in GRPO"
        for f in SPLIT_FIELDS
        if getattr(sft_script, f) != getattr(grpo_script, f)
    ]
    if Path(sft_config.output_dir).resolve() != Path(model_args.model_name_or_path).resolve():
        problems.append(
            f"GRPO starts from {model_args.model_name_or_path} but the warm start is written to {sft_config.output_dir}"
        )
    if grpo_config.chat_template_kwargs != warmstart.CHAT_TEMPLATE_KWARGS:
        problems.append(
            f"chat_template_kwargs {grpo_config.chat_template_kwargs} differ from the warm start's "
            f"{warmstart.CHAT_TEMPLATE_KWARGS}"
        )
    if problems:
        raise SystemExit(
            f"{SFT_RECIPE.name} and {GRPO_RECIPE.name} disagree (held-out prompts would leak or GRPO would start "
            "from the wrong model); make them match:\n  " + "\n  ".join(problems)
        )


def rate_rows(metrics: dict) -> list[dict]:
    """Per judged rate: before and after with 95% intervals, and whether the intervals are apart."""
    rows = []
    for key, label in RATES.items():
        before, after = metrics["base"][key], metrics["tuned"][key]
        apart = intervals_apart(before, after)
        direction = (
            "rise" if after["value"] > before["value"] else "fall" if after["value"] < before["value"] else "flat"
        )
        rows.append({"rate": key, "label": label, "before": before, "after": after,
                     "verdict": f"{direction}, intervals {'apart' if apart else 'overlap'}"})  # fmt: skip
    return rows


def summary_text(timings: list[dict], rows: list[dict], n: int, report: Path) -> str:
    total_wall = sum(t["wall_s"] for t in timings)
    lines = [f"{'stage':<12} {'wall':>8} {'CPU':>8}  load (1 min) start -> end", "-" * 60]
    for t in timings:
        note = f"  ({t['note']})" if t.get("note") else ""
        lines.append(
            f"{t['stage']:<12} {t['wall_s']:>7.0f}s {t['cpu_s']:>7.0f}s  {t['load_1min'][0]:.1f} -> {t['load_1min'][1]:.1f}"
            + note
        )
    total_cpu = sum(t["cpu_s"] for t in timings)
    wall_ok, cpu_ok = total_wall <= BUDGET_S, total_cpu <= BUDGET_S * BUDGET_CORES
    lines += [
        f"{'total':<12} {total_wall:>7.0f}s {total_cpu:>7.0f}s  wall {'within' if wall_ok else 'OVER'} "
        f"{BUDGET_S // 60} min; CPU {'within' if cpu_ok else 'OVER'} {BUDGET_S // 60} min x {BUDGET_CORES} cores",
        "",
    ]
    lines.append(f"held-out rates, {n} samples per model (95% Wilson intervals)")

    def fmt(m):
        return f"{m['value']:5.0%} [{m['ci'][0]:.0%}, {m['ci'][1]:.0%}]"

    for r in rows:
        lines.append(f"  {r['label']:<24} warm start {fmt(r['before'])}  ->  tuned {fmt(r['after'])}   {r['verdict']}")
    lines += ["", f"report: {report}"]
    return "\n".join(lines)


def main(sft_args: list[str] = (), grpo_args: list[str] = (), eval_args: list[str] = ()) -> dict:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s", stream=sys.stdout)
    sft, grpo, evaluation = parse_recipes(list(sft_args), list(grpo_args), list(eval_args))
    check_consistent(sft, grpo)
    out = Path(grpo[2].output_dir)
    timings: list[dict] = []

    with stage("warm start", timings) as record:
        before = warmstart.cached(sft[2].output_dir, warmstart.cache_key(*sft)[0])
        warm = warmstart.main(*sft)
        record["note"] = "cached" if before else f"trained {warm['train_metrics'].get('train_runtime', 0):.0f} s"

    with stage("GRPO", timings):
        if out.exists():  # a fresh run each time: train.py would otherwise resume from the last one's checkpoint
            shutil.rmtree(out)
        train.main(*grpo)

    with stage("evaluate", timings):
        results = evaluate.main(*evaluation)

    report = Path(evaluation[2].eval_output_dir or out / "eval") / "report.html"
    rows = rate_rows(results["metrics"])
    n = results["metrics"]["base"]["n_samples"]
    summary = {"timings": timings, "budget_s": BUDGET_S, "rates": rows, "n_samples_per_model": n,
               "report": str(report), "warm_start_key": warm["key"]}  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    (out / "demo_summary.json").write_text(json.dumps(summary, indent=1))
    print("\n" + summary_text(timings, rows, n, report), flush=True)
    return summary


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("sft", "grpo", "eval"):
        parser.add_argument(f"--{name}_args", default="", help=f"extra flags for the {name} stage, one string")
    args = parser.parse_args()
    main(shlex.split(args.sft_args), shlex.split(args.grpo_args), shlex.split(args.eval_args))
