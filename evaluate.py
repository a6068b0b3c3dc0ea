"""Evaluate the base model and the tuned LoRA adapter on held-out prompts, under identical settings and seeds.

    python evaluate.py --config recipes/tiny-cpu.yaml                 # make eval-smoke
    python evaluate.py --config recipes/qwen3-30b-a3b/8xA100.yaml     # make eval RECIPE=...

Prompts: the recipe's held-out split (the same rows train.py held out and never trained on) plus a small fixed
showcase set (data/showcase.jsonl). Each model generates k samples per prompt (vLLM on GPU, HF generate otherwise);
every sample is scored with the recipe's own reward functions and weights (`recipe`: e.g. the lint and allowed
packages of a codebase recipe) and with the `default` and `seed` presets, all with the recipe's reward knobs (render
budget, grader settings, allowed packages) and the tokenizer's special tokens, and by the judge model when the
recipe's rewards include `judge` (its checklist per prompt, met / not met per item, from the server at
judge_base_url). Writes <output_dir>/eval/results.json and a self-contained report.html (screenshots of the best and
a random sample per prompt and model).
"""

import json
import logging
import sys
import time
from dataclasses import asdict
from pathlib import Path

import torch
from transformers import AutoTokenizer
from trl import GRPOConfig, ModelConfig, TrlParser

from genui_grpo.config import RECIPE, EvalArguments, ScriptArguments
from genui_grpo.curves import load_run_log
from genui_grpo.data import prepare_from_recipe, resolve_system_prompt
from genui_grpo.generation import (
    SamplingSettings,
    choose_backend,
    generate_hf,
    generate_server,
    generate_vllm,
    merge_adapter,
    prompt_ids,
    random_pick,
)
from genui_grpo.metrics import compare, model_metrics
from genui_grpo.modeling import resolve_dtype
from genui_grpo.report import build_report
from reward import RewardArguments, score
from reward.compiler import DEFAULT_ALLOWED
from reward.extract import extract_code
from reward.judge import JudgeOptions, judge_completions
from reward.render import render_many

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent
PRESETS = ("recipe", "default", "seed")  # "recipe": the reward section as it is, the others with its knobs
# evaluate.py's sections: the recipe's (genui_grpo.config.RECIPE) with EvalArguments after the reward section.
EVAL_RECIPE = (*RECIPE[:2], EvalArguments, *RECIPE[2:])


def load_prompts(script_args, eval_args, tokenizer, chat_kwargs, output_dir: str) -> list[dict]:
    # The splits train.py prepared under the run's output_dir (prepared here if that run never happened)
    splits, _ = prepare_from_recipe(script_args, tokenizer, chat_kwargs, output_dir)
    held = splits["eval"].select(range(min(eval_args.eval_max_prompts, len(splits["eval"]))))
    prompts = [
        {"id": f"heldout-{i}", "title": row["prompt"][-1]["content"][:160], "messages": row["prompt"],
         "reference": row["reference"], "showcase": False}
        for i, row in enumerate(held)
    ]  # fmt: skip
    if eval_args.eval_showcase:
        system = (
            resolve_system_prompt(script_args.system_prompt) or (ROOT / "data/system_prompt.md").read_text().strip()
        )
        if script_args.system_prompt_append:
            system = f"{system}\n\n{script_args.system_prompt_append}"
        for line in Path(eval_args.eval_showcase).read_text().splitlines():
            row = json.loads(line)
            messages = [{"role": "system", "content": system}, {"role": "user", "content": row["user"]}]
            prompts.append(
                {"id": row["id"], "title": row["title"], "messages": messages, "reference": None, "showcase": True}
            )
    return prompts


def judge_samples(
    samples: list[dict],
    prompts: list[dict],
    options: JudgeOptions,
    render_options,
    allowed=DEFAULT_ALLOWED,
    packages_dir=None,
) -> None:
    """Add each sample's judge outcome: {"score" (None: not judged), "why", "items": [{"text", "met", "evidence"}]}."""
    conversation = {p["id"]: p["messages"] for p in prompts}
    outcomes = judge_completions(
        [s["text"] for s in samples],
        [conversation[s["prompt_id"]] for s in samples],
        options,
        render_options,
        allowed,
        packages_dir,
    )
    for sample, outcome in zip(samples, outcomes, strict=True):
        sample["judge"] = {
            "score": outcome.score,
            "why": outcome.why,
            **(outcome.verdict.as_dict() if outcome.verdict else {}),
        }


def main(
    script_args: ScriptArguments,
    reward_args: RewardArguments,
    eval_args: EvalArguments,
    training_args: GRPOConfig,
    model_args: ModelConfig,
) -> dict:
    started = time.time()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stdout)
    out_dir = Path(eval_args.eval_output_dir or Path(training_args.output_dir) / "eval")
    out_dir.mkdir(parents=True, exist_ok=True)

    ##########################
    # Prompts and settings (identical for both models)
    ##########################
    base = model_args.model_name_or_path
    tokenizer = AutoTokenizer.from_pretrained(base)
    chat_kwargs = training_args.chat_template_kwargs or {"enable_thinking": False}
    prompts = load_prompts(script_args, eval_args, tokenizer, chat_kwargs, training_args.output_dir)
    settings = SamplingSettings(
        k=eval_args.eval_k,
        temperature=eval_args.eval_temperature,
        top_p=eval_args.eval_top_p,
        top_k=eval_args.eval_top_k,
        max_tokens=eval_args.eval_max_tokens or training_args.max_completion_length,
        seed=eval_args.eval_seed,
    )
    adapter = eval_args.eval_adapter or training_args.output_dir
    if adapter == "none" or not (Path(adapter) / "adapter_config.json").exists():
        if eval_args.eval_adapter not in (None, "none"):
            raise FileNotFoundError(f"no LoRA adapter at {adapter} (adapter_config.json missing): train first")
        logger.warning("no adapter at %s: evaluating the base model only", adapter)
        adapter = None
    models = {"base": None, **({"tuned": adapter} if adapter else {})}
    backend = choose_backend(eval_args.eval_backend)
    dtype = resolve_dtype(model_args)
    ids = prompt_ids(tokenizer, [p["messages"] for p in prompts], chat_kwargs)
    logger.info("%d prompts x k=%d x %d model(s), backend %s", len(prompts), settings.k, len(models), backend)

    ##########################
    # Generate
    ##########################
    generations = {}
    for name, adapter_path in models.items():
        if backend == "hf":
            generations[name] = generate_hf(base, adapter_path, tokenizer, ids, settings, dtype)
            continue
        path = base if adapter_path is None else merge_adapter(base, adapter_path, out_dir / "merged", dtype)
        on_cpu = not torch.cuda.is_available()
        # On CPU vLLM's "gpu_memory_utilization" is the share of system RAM it reserves: keep it small there
        memory = 0.2 if on_cpu else training_args.vllm_gpu_memory_utilization
        max_len = max(len(i) for i in ids) + settings.max_tokens
        if backend == "vllm":
            generations[name] = generate_vllm(
                path,
                tokenizer,
                ids,
                settings,
                dtype,
                enforce_eager=on_cpu,
                gpu_memory_utilization=memory,
                max_model_len=max_len,
            )
        else:
            from genui_grpo.vllm_server import ManagedServer, server_command

            url = "http://127.0.0.1:8765"
            cmd = server_command(
                str(path),
                port=8765,
                dtype=dtype,
                enforce_eager=on_cpu,
                gpu_memory_utilization=memory,
                max_model_len=max_len,
            )
            with ManagedServer(cmd, url, log_path=str(out_dir / f"vllm-server-{name}.log")):
                generations[name] = generate_server(url, str(path), tokenizer, ids, settings)

    ##########################
    # Score every sample with each preset
    ##########################
    render_options = reward_args.render_options()
    special_tokens = tuple(tokenizer.all_special_tokens)
    samples = []
    for name, per_prompt in generations.items():
        flat = [(pi, si, s) for pi, group in enumerate(per_prompt) for si, s in enumerate(group)]
        scored = {
            preset: score(
                [s.text for _, _, s in flat],
                [prompts[pi]["reference"] for pi, _, _ in flat],
                preset=reward_args if preset == "recipe" else reward_args.with_preset(preset),
                weights=training_args.reward_weights if preset == "recipe" else None,
                n_tokens=[s.n_tokens for _, _, s in flat],
                hit_eos=[s.hit_eos for _, _, s in flat],
                max_completion_length=settings.max_tokens,
                special_tokens=special_tokens,
                explain=preset == "default",  # the report shows the accessibility and layout findings
            )
            for preset in PRESETS
        }
        for j, (pi, si, s) in enumerate(flat):
            samples.append({
                "model": name, "prompt_id": prompts[pi]["id"], "sample": si, "text": s.text, "n_tokens": s.n_tokens,
                "hit_eos": s.hit_eos, "extracted": extract_code(s.text, special_tokens, s.hit_eos).ok,
                "scores": {preset: scored[preset][j] for preset in PRESETS},
            })  # fmt: skip
    if "judge" in reward_args.weights(training_args.reward_weights):
        judge_samples(
            samples, prompts, reward_args.judge_options(), render_options, reward_args.allowed_imports(),
            reward_args.packages_path(),
        )  # fmt: skip
    metrics = {name: model_metrics([s for s in samples if s["model"] == name]) for name in models}

    ##########################
    # Pick what the report shows and screenshot it
    ##########################
    references = [p for p in prompts if p["reference"]]
    ref_scores = score([p["reference"] for p in references], preset=reward_args.with_preset("default"))
    shown: dict[str, list[tuple[str, dict]]] = {}
    for index, p in enumerate(prompts):
        for name in models:
            group = [s for s in samples if s["model"] == name and s["prompt_id"] == p["id"]]
            best = max(group, key=lambda s: s["scores"]["default"]["total"])
            rest = [s for s in group if s is not best]
            shown.setdefault(p["id"], []).append((f"{name} · best of {len(group)}", best))
            if rest:
                shown[p["id"]].append((f"{name} · random sample", random_pick(rest, settings.seed + index)))
    for p, sc in zip(references, ref_scores, strict=True):
        ref = {"text": p["reference"], "n_tokens": len(tokenizer(p["reference"]).input_ids), "hit_eos": True,
               "scores": {"default": sc}}  # fmt: skip
        shown[p["id"]].append(("dataset reference", ref))
    to_shoot = [
        s for cards in shown.values() for _, s in cards if s["scores"]["default"]["components"].get("renders") == 1.0
    ]
    pictures = render_many(
        [extract_code(s["text"], special_tokens, s["hit_eos"]).code for s in to_shoot],
        render_options,
        screenshot=True,
        allowed=reward_args.allowed_imports(),
        packages_dir=reward_args.packages_path(),
    )
    screenshots = {id(s): (r.screenshot if r else None) for s, r in zip(to_shoot, pictures, strict=True)}

    ##########################
    # Write results.json and report.html (with the tuned run's training curves, from its own trainer_state.json)
    ##########################
    training_log = load_run_log(adapter or training_args.output_dir)
    results = {
        "settings": {
            "base": base, "adapter": adapter, "backend": backend, **asdict(settings), "dtype": dtype,
            "n_prompts": len(prompts), "n_showcase": sum(p["showcase"] for p in prompts),
            "training_log": str(training_log.source) if training_log.source else None,
        },
        "metrics": metrics,
        "delta": compare(metrics),
        "wall_time_s": round(time.time() - started, 1),
        "samples": samples,
    }  # fmt: skip
    (out_dir / "results.json").write_text(json.dumps(results, indent=1))
    (out_dir / "report.html").write_text(build_report(results, prompts, shown, screenshots, training_log))
    for name, m in metrics.items():
        logger.info(
            "%-5s default %.2f | seed %.2f | compiles %.0f%% | renders %.0f%% | truncated %.0f%%", name,
            m["default_total"]["value"], m["seed_total"]["value"], 100 * m["compiles"]["value"],
            100 * m["renders_cleanly"]["value"], 100 * m["truncated"]["value"],
        )  # fmt: skip
    logger.info("wrote %s and %s (%.0f s)", out_dir / "results.json", out_dir / "report.html", results["wall_time_s"])
    return results


if __name__ == "__main__":
    main(*TrlParser(EVAL_RECIPE).parse_args_and_config())
