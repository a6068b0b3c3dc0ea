"""GPU slice benchmark: the real Qwen3-30B-A3B architecture with fewer layers (real dimensions, random weights), bf16,
LoRA r=32 on attention + the fused experts. Measures GRPO training steps through train.py (tokens/s, MFU, peak
memory, next to the memory plan's training-step peak for this run) and the streamed weight sync's peak memory against
materialising every merged tensor at once (and the plan's sync term). The plan is taken at this run's longest prompt
(`plan_prompt_tokens`), not the recipe's max_prompt_tokens bound, and its training-step phase includes its 2.5 GiB
allowance for the CUDA context and fragmentation, which torch.cuda.max_memory_allocated does not count.

    python benchmarks/gpu_slice_bench.py [--layers 2] [--completion_tokens 512] [--steps 4]
    python benchmarks/gpu_slice_bench.py --device cpu --experts 16 --layers 1 --completion_tokens 16 --steps 2  # sanity

Needs no network and no vLLM (HF generation): it runs on the lent GPU machine with torch, transformers, accelerate,
peft and the trl/deepspeed wheels carried along. The reward is a trivial in-process one (no Node/Chromium there).
"""

import argparse
import dataclasses
import json
import os
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # train.py lives at the repository root
PEAK_TFLOPS = {"H100": 989.0, "H200": 989.0, "A100": 312.0}  # dense bf16


def build_slice(out: Path, layers: int, experts: int | None, device: str) -> dict:
    from transformers import Qwen3MoeConfig, Qwen3MoeForCausalLM

    from genui_grpo.plan import load_model_config
    from genui_grpo.tiny import build_tokenizer

    cfg = load_model_config("Qwen/Qwen3-30B-A3B")
    cfg = {k: v for k, v in cfg.items() if k not in ("architectures", "model_type", "torch_dtype")}
    cfg["num_hidden_layers"] = layers
    cfg["max_window_layers"] = layers
    if experts:
        cfg["num_experts"] = experts
        cfg["num_experts_per_tok"] = min(8, experts)
    config = Qwen3MoeConfig(**cfg)
    with torch.device(device):
        model = Qwen3MoeForCausalLM(config).to(torch.bfloat16 if device == "cuda" else torch.float32)
    model.save_pretrained(out)
    build_tokenizer().save_pretrained(out)
    # Active = parameters a token's matmuls touch: all but the input embeddings and the unused experts
    active = sum(p.numel() for n, p in model.named_parameters() if "experts" not in n and "embed_tokens" not in n)
    expert = sum(p.numel() for n, p in model.named_parameters() if "experts" in n)
    active += expert * config.num_experts_per_tok // config.num_local_experts
    return {"total": sum(p.numel() for p in model.parameters()), "active": active}


def measure_sync(model_dir: Path, device: str) -> dict:
    from peft import get_peft_model
    from transformers import AutoModelForCausalLM
    from trl import ModelConfig

    from genui_grpo.modeling import lora_config
    from genui_grpo.vllm_sync import MemoryMeter, iter_streamed_weights, lora_sources, merged

    dtype = torch.bfloat16 if device == "cuda" else torch.float32
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=dtype).to(device)
    model = get_peft_model(model, lora_config(ModelConfig(use_peft=True, lora_r=32, lora_alpha=64, lora_dropout=0.0)))
    cuda = device == "cuda"
    base = torch.cuda.memory_allocated() if cuda else 0
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    meter = MemoryMeter()
    start = time.perf_counter()
    for _name, tensor in iter_streamed_weights(model, None, meter):
        del tensor  # a consumer (vLLM) copies each tensor and drops it
    stream_s = time.perf_counter() - start
    stream_peak = (torch.cuda.max_memory_allocated() - base) if cuda else meter.peak
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    from peft.tuners.tuners_utils import BaseTunerLayer

    sources = lora_sources([m for m in model.modules() if isinstance(m, BaseTunerLayer)])
    start = time.perf_counter()
    everything = [merged(p, sources[id(p)], MemoryMeter()) for p in model.parameters() if id(p) in sources]  # at once
    full_s = time.perf_counter() - start
    full_peak = (
        (torch.cuda.max_memory_allocated() - base) if cuda else sum(t.numel() * t.element_size() for t in everything)
    )
    return {
        "stream_peak_gib": stream_peak / 2**30,
        "stream_s": stream_s,
        "full_peak_gib": full_peak / 2**30,
        "full_s": full_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--experts", type=int, default=None, help="override 128 (CPU sanity runs only)")
    parser.add_argument("--completion_tokens", type=int, default=512)
    parser.add_argument("--generations", type=int, default=4)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--work_dir", default=str(ROOT / ".cache" / "gpu-slice"))
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    work = Path(args.work_dir)
    model_dir = work / f"qwen3-30b-a3b-{args.layers}l"
    counts = build_slice(model_dir, args.layers, args.experts, args.device)

    from trl import TrlParser

    import train
    from genui_grpo.config import RECIPE
    from reward import Component, register

    register("bench_length", Component(lambda facts, options: (len(facts.text) / 1000, "length")))

    cpu = args.device == "cpu"
    argv = [
        "--config", str(ROOT / "recipes/qwen3-30b-a3b/8xA100.yaml"), "--model_name_or_path", str(model_dir),
        "--output_dir", str(work / "run"), "--reward_funcs", "bench_length", "--use_vllm", "false",
        "--max_steps", str(args.steps), "--save_strategy", "no", "--num_generations", str(args.generations),
        "--generation_batch_size", str(args.generations), "--per_device_train_batch_size", str(args.generations),
        "--gradient_accumulation_steps", "1", "--max_completion_length", str(args.completion_tokens),
        "--dataset_name", str(ROOT / "data/sample.jsonl"), "--eval_size", "0", "--preflight", "false",
        "--bf16", str(not cpu).lower(), "--use_cpu", str(cpu).lower(), "--dtype", "float32" if cpu else "bfloat16",
        "--attn_implementation", "sdpa", "--log_completions", "false", "--snapshot_steps", "0",
    ]  # fmt: skip
    if cpu:
        argv += ["--gradient_checkpointing", "false"]
    if args.device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    script_args, reward_args, training_args, model_args = TrlParser(RECIPE).parse_args_and_config(argv)
    trainer = train.main(script_args, reward_args, training_args, model_args)
    logs = [h for h in trainer.state.log_history if "step_time" in h]
    steady = logs[1:] or logs  # the first step includes warm-up
    step_s = sum(h["step_time"] for h in steady) / len(steady)
    tokens = (
        (logs[-1]["num_tokens"] - logs[0]["num_tokens"]) / max(1, len(logs) - 1)
        if len(logs) > 1
        else logs[0]["num_tokens"]
    )
    tokens_per_s = tokens / step_s
    name = torch.cuda.get_device_name() if args.device == "cuda" else "cpu"
    peak_tflops = next((v for k, v in PEAK_TFLOPS.items() if k in name), None)
    # 6 x active params per token (forward + backward); generation's forward passes are counted inside the step too
    mfu = 6 * counts["active"] * tokens_per_s / (peak_tflops * 1e12) if peak_tflops else None
    peak_mem = torch.cuda.max_memory_allocated() / 2**30 if args.device == "cuda" else None
    # The plan bounds the prompt by max_prompt_tokens (16000 in the recipe); this run's prompts are the sample's, and
    # TRL pads a batch to its longest: plan at the longest prompt the run can see, counted as the data filter counts
    from genui_grpo.prompt_tokens import PromptTokens

    longest_prompt = max(PromptTokens(trainer.processing_class, training_args.chat_template_kwargs)(
        list(trainer.train_dataset["prompt"])))  # fmt: skip
    del trainer
    sync = measure_sync(model_dir, args.device)
    # The memory plan for this very run (one process, no ZeRO, no vLLM), to read against the measured peaks
    from genui_grpo.plan import GIB, load_model_config, plan

    capacity = torch.cuda.get_device_properties(0).total_memory / GIB if args.device == "cuda" else 64
    as_run = dataclasses.replace(script_args, max_prompt_tokens=longest_prompt)
    p = plan(load_model_config(str(model_dir)), as_run, training_args, model_args, 1, capacity, zero_stage=0)
    planned = {
        "plan_prompt_tokens": longest_prompt,
        "plan_train_step_gib": p["phases"]["training step"] / GIB,
        "plan_sync_gib": next(t.bytes for t in p["terms"] if t.name.startswith("weight sync")) / GIB,
    }
    result = {
        "device": name, "layers": args.layers, "params_total": counts["total"], "params_active": counts["active"],
        "step_s": round(step_s, 3), "tokens_per_step": tokens, "tokens_per_s": round(tokens_per_s, 1),
        "mfu": None if mfu is None else round(mfu, 4), "peak_mem_gib": None if peak_mem is None else round(peak_mem, 2),
        **{k: round(v, 3) for k, v in sync.items()}, **{k: round(v, 2) for k, v in planned.items()},
    }  # fmt: skip
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
