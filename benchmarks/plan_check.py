"""Check the memory plan against a measurement: the tiny model trained on CPU, peak resident memory sampled.

    python benchmarks/plan_check.py [--steps 3]

Compares the plan's training-time terms (LoRA + optimizer, activations, logits; weights are loaded before the
baseline) with the growth of the process's resident memory over its value when training starts. CPU caveat: without
Triton, TRL scores every position (prompt included) against the vocabulary, where the GPU path scores completion
tokens only; the plan is run for the CPU path too (`--logit_positions all`), so both are printed.
"""

import argparse
import os
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


class Sampler:
    def __init__(self):
        self.proc, self.peak, self.baseline, self.running = psutil.Process(), 0, 0, True
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        while self.running:
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(0.01)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=3)
    args = parser.parse_args()
    from transformers import AutoTokenizer, TrainerCallback
    from trl import TrlParser

    import train
    from genui_grpo.config import RECIPE
    from genui_grpo.data import prepare_from_recipe
    from genui_grpo.plan import GIB, load_model_config, plan
    from genui_grpo.tiny import build

    argv = ["--config", str(ROOT / "recipes/tiny-cpu.yaml"), "--model_name_or_path", str(ROOT / ".cache/tiny-qwen3-moe"),
            "--output_dir", str(ROOT / ".cache/plan-check"), "--max_steps", str(args.steps), "--save_strategy", "no",
            "--reward_preset", "static", "--snapshot_steps", "0"]  # fmt: skip
    script, _, training, model = TrlParser(RECIPE).parse_args_and_config(argv)
    build(model.model_name_or_path)
    tok = AutoTokenizer.from_pretrained(model.model_name_or_path)
    splits, _ = prepare_from_recipe(script, tok, {"enable_thinking": False})
    longest = max(len(tok.apply_chat_template(p, tokenize=True, add_generation_prompt=True, return_dict=True)["input_ids"])
                  for p in splits["train"]["prompt"])  # fmt: skip
    script.max_prompt_tokens = longest  # plan the real sequence length, not the 16k filter

    sampler = Sampler()

    class Baseline(TrainerCallback):
        def on_train_begin(self, *a, **k):
            sampler.baseline = sampler.proc.memory_info().rss
            sampler.peak = sampler.baseline

    import genui_grpo.snapshots as snapshots_module

    original = snapshots_module.SnapshotCallback
    snapshots_module.SnapshotCallback = lambda *a, **k: Baseline()  # the plan check needs no snapshots
    train.SnapshotCallback = snapshots_module.SnapshotCallback
    try:
        train.main(*TrlParser(RECIPE).parse_args_and_config(argv))
    finally:
        snapshots_module.SnapshotCallback = original
    sampler.running = False
    measured = sampler.peak - sampler.baseline

    p = plan(
        load_model_config(model.model_name_or_path), script, training, model, gpus=1, gpu_mem_gib=24, zero_stage=0
    )
    terms = {t.name: t.bytes for t in p["terms"]}
    train_terms = ["LoRA params + grads + Adam (fp32)", "activations", "completion logits"]
    planned = sum(terms[n] for n in train_terms)
    batch = training.per_device_train_batch_size
    all_logits = batch * (longest + training.max_completion_length) * 151936 * 4
    planned_cpu = planned - terms["completion logits"] + all_logits
    # The CPU fallback materialises the logits' gradient too (same size); the GPU kernel tiles both passes
    planned_cpu_grad = planned_cpu + all_logits
    print(
        f"tiny model, {args.steps} GRPO steps, batch {batch}, longest prompt {longest} + {training.max_completion_length} tokens"
    )
    for n in train_terms:
        print(f"  plan: {n:<36} {terms[n] / 2**20:8.1f} MiB")
    print(f"  plan, GPU path (completion logits)   {planned / 2**20:8.1f} MiB")
    print(f"  plan, CPU path (logits at every position, fp32) {planned_cpu / 2**20:8.1f} MiB")
    print(f"  plan, CPU path + logit gradient                 {planned_cpu_grad / 2**20:8.1f} MiB")
    print(
        f"  measured: peak RSS growth during training {measured / 2**20:8.1f} MiB (baseline {sampler.baseline / GIB:.2f} GiB)"
    )


if __name__ == "__main__":
    main()
