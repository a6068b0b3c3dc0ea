"""Preflight memory plan: will this recipe fit on these GPUs? A per-GPU table, before anything is downloaded.

    python -m genui_grpo.plan --config recipes/qwen3-30b-a3b/8xA100.yaml [--gpus 8] [--gpu_mem_gib 80]

Every term is simple, documented arithmetic on the model config (shipped for known models in
genui_grpo/model_configs/, so this works offline), the ZeRO stage, LoRA rank/targets, sequence lengths, batch sizes,
gradient checkpointing and the vLLM layout; benchmarks/plan_check.py checks its terms against measured peaks. It errs on the side of caution,
and it exits non-zero naming the biggest term and the knob that shrinks it when the total does not fit.
"""

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

GIB = 1024**3
CONFIGS = Path(__file__).parent / "model_configs"
DTYPE_BYTES = {"bfloat16": 2, "float16": 2, "float32": 4}
CUDA_CONTEXT_GIB = 2.5  # CUDA context, NCCL buffers and allocator fragmentation, per GPU


@dataclass
class Term:
    name: str
    bytes: float
    knob: str
    note: str = ""


@dataclass
class ModelShape:
    hidden: int
    layers: int
    heads: int
    kv_heads: int
    head_dim: int
    experts: int
    active_experts: int
    expert_ffn: int
    dense_ffn: int
    vocab: int
    tied: bool

    @classmethod
    def from_config(cls, c: dict) -> "ModelShape":
        return cls(
            hidden=c["hidden_size"], layers=c["num_hidden_layers"], heads=c["num_attention_heads"],
            kv_heads=c.get("num_key_value_heads", c["num_attention_heads"]),
            head_dim=c.get("head_dim") or c["hidden_size"] // c["num_attention_heads"], experts=c.get("num_experts", c.get("num_local_experts", 0)),
            active_experts=c.get("num_experts_per_tok", 0), expert_ffn=c.get("moe_intermediate_size", 0),
            dense_ffn=c.get("intermediate_size", 0), vocab=c["vocab_size"], tied=c.get("tie_word_embeddings", False),
        )  # fmt: skip

    @property
    def attention_params(self) -> int:
        h, q, kv = self.hidden, self.heads * self.head_dim, self.kv_heads * self.head_dim
        return h * q + 2 * h * kv + q * h

    @property
    def expert_params(self) -> int:
        """All experts of one layer: gate_up (hidden -> 2 x ffn) and down (ffn -> hidden)."""
        if self.experts:
            return self.experts * 3 * self.hidden * self.expert_ffn
        return 3 * self.hidden * self.dense_ffn

    @property
    def layer_params(self) -> int:
        # + router, the two RMSNorms, and Qwen3's per-head q_norm / k_norm
        return (
            self.attention_params
            + self.expert_params
            + self.hidden * self.experts
            + 2 * self.hidden
            + 2 * self.head_dim
        )

    @property
    def total_params(self) -> int:
        return self.layers * self.layer_params + self.vocab * self.hidden * (1 if self.tied else 2) + self.hidden

    def lora_params(self, rank: int, experts: bool) -> int:
        h, q, kv = self.hidden, self.heads * self.head_dim, self.kv_heads * self.head_dim
        attention = rank * ((h + q) + 2 * (h + kv) + (q + h))
        # PEFT target_parameters on fused [E, out, in] tensors: A is (r*E, in), B is (out, r*E)
        fused = (
            rank * self.experts * ((h + 2 * self.expert_ffn) + (self.expert_ffn + h))
            if experts and self.experts
            else 0
        )
        return self.layers * (attention + fused)


def lm_head_bytes(tokens: int, hidden: int, vocab: int, b: int) -> float:
    """TRL 1.16's GRPO scores tokens with a fused, chunked LM head (trl/kernels/chunked_logprob.py): the logits are
    never materialised, only one [token chunk x vocab chunk] tile at a time (forward, then again in the backward),
    seven fp32 statistics per token, and the fp32 gradient of the hidden states. On GPU (Triton) only the completion
    tokens are scored; without Triton (CPU) every position is."""
    from trl.kernels.chunked_logprob import TOKEN_CHUNK_SIZE
    from trl.trainer.utils import _CHUNKED_LOGPROB_CHUNK_SIZE

    tile = min(tokens, TOKEN_CHUNK_SIZE) * min(vocab, _CHUNKED_LOGPROB_CHUNK_SIZE) * b
    return tile + tokens * (7 * 4 + hidden * 4)


def load_model_config(name_or_path: str) -> dict | None:
    """config.json of a local model, or the shipped copy for a known hub model; None when unknown (no download)."""
    local = Path(name_or_path) / "config.json"
    if local.exists():
        return json.loads(local.read_text())
    shipped = CONFIGS / (name_or_path.replace("/", "--") + ".json")
    return json.loads(shipped.read_text()) if shipped.exists() else None


def plan(model_config: dict, script, training, model_args, gpus: int, gpu_mem_gib: float, zero_stage: int = 3) -> dict:
    """Per-GPU memory terms (bytes) for training GPUs, and a separate check for vLLM server GPUs."""
    m = ModelShape.from_config(model_config)
    dtype = model_args.dtype if model_args.dtype not in (None, "auto") else "bfloat16"
    b = DTYPE_BYTES.get(dtype, 2)
    shard = gpus if zero_stage == 3 else 1
    seq = script.max_prompt_tokens + training.max_completion_length
    micro = training.per_device_train_batch_size
    total = m.total_params
    quantized = model_args.load_in_4bit
    # bitsandbytes quantizes nn.Linear only: fused 3-D expert tensors stay in the compute dtype
    linear = m.layers * m.attention_params + (0 if m.experts else m.layers * m.expert_params)
    weights = (linear * 0.5 + (total - linear) * b) if quantized else total * b
    lora = m.lora_params(model_args.lora_r, script.lora_experts) if model_args.use_peft else total
    layer_bytes = m.layer_params * b

    terms = [
        Term("policy weights (shard)", weights / shard, "more GPUs (ZeRO-3 shards weights over all ranks)",
             f"{total / 1e9:.1f}B params x {b} B" + (" (4-bit linear, experts unquantized)" if quantized else "") + f" / {shard}"),
        Term("LoRA params + grads + Adam (fp32)", lora * 16 / (gpus if zero_stage >= 1 else 1),
             "lower lora_r, or lora_experts: false, or deepspeed/zero3_offload.json",
             f"{lora / 1e9:.2f}B trainable x 16 B / {gpus if zero_stage >= 1 else 1}"),
    ]  # fmt: skip
    if zero_stage == 3:
        terms.append(Term("ZeRO-3 gather buffers", 2 * layer_bytes, "lower stage3_prefetch_bucket_size / max_live_parameters",
                          "largest layer x 2 (prefetch)"))  # fmt: skip
    tokens = micro * seq
    fused_lora = bool(model_args.use_peft and script.lora_experts and m.experts)
    # Per layer and token, what a layer keeps for its backward (and what its backward adds at the peak), counted on
    # CPU by benchmarks/plan_check.py: attention, norms and residuals (~16 h), the router's logits and probabilities
    # (2 E), and the experts through transformers' grouped_mm: each token's hidden state gathered for its k experts,
    # their outputs and weighted outputs (3 k h: the MoE dispatch copies), gate_up outputs and the activation (4 k I).
    dispatch = tokens * 3 * m.active_experts * m.hidden * b
    per_layer_work = tokens * (16 * m.hidden + 2 * m.experts + 4 * m.active_experts * m.expert_ffn) * b + dispatch
    if training.gradient_checkpointing:
        act = m.layers * tokens * m.hidden * b + per_layer_work
        act_note = (
            f"checkpointed inputs of {m.layers} layers + one layer recomputed, {tokens} tokens, incl. MoE dispatch"
        )
    else:
        act = m.layers * per_layer_work
        act_note = f"all {m.layers} layers kept, {tokens} tokens, incl. MoE dispatch"
    act_knob = ("" if training.gradient_checkpointing else "gradient_checkpointing: true, or ") + (
        "lower per_device_train_batch_size or max_completion_length"
    )
    terms.append(Term("activations", act, act_knob, act_note))
    if fused_lora:
        # PEFT's target_parameters on the fused experts computes W + BA as a whole new expert stack (baddbmm) in every
        # forward, keeps it for the backward, and the backward builds its gradient, same size: one layer at a time
        # with checkpointing, every layer's W + BA kept without.
        kept = 1 if training.gradient_checkpointing else m.layers
        terms.append(Term("LoRA on fused experts: W + BA (+ grad)", (kept + 1) * m.expert_params * b,
                          "gradient_checkpointing: true, or lora_experts: false",
                          f"{kept} layer(s) of materialised experts + 1 gradient, {m.expert_params / 1e6:.0f}M params each"))  # fmt: skip
    scored = micro * training.max_completion_length
    terms.append(Term("LM head (TRL's chunked log-probs)", lm_head_bytes(scored, m.hidden, m.vocab, b),
                      "lower max_completion_length or per_device_train_batch_size",
                      f"{scored} completion tokens: one logits tile + the fp32 hidden-state gradient"))  # fmt: skip
    # Streamed sync (genui_grpo/vllm_sync.py), the worst group: a decoder layer costs its ZeRO-3 gather and the merged
    # copies of its adapted tensors (vLLM's layer-wise reload buffers a layer's weights until it is complete), plus
    # either PEFT's two delta temporaries while a tensor is merged (get_delta_weight: the einsum, then its scaled
    # copy) or, once the layer is complete, its new weights that vLLM materialises (its TP shard) before copying them
    # into the kernel's storage (benchmarks/plan_check.py measures the peak). The embeddings and
    # lm_head are yielded as they are (no LoRA): their gather plus vLLM's new copy. A server-mode trainer packs the
    # tensors into NCCL broadcast buffers instead (2 x 1 GiB, vLLM's default).
    largest_adapted = (2 * m.expert_params // 3 if fused_lora else m.hidden * m.heads * m.head_dim) * b
    adapted_layer = ((m.expert_params if fused_lora else 0) + m.attention_params) * b
    zero3 = zero_stage == 3
    embedding = m.vocab * m.hidden * b
    if training.use_vllm and training.vllm_mode == "server":
        sync = max(zero3 * layer_bytes + 3 * largest_adapted, zero3 * embedding) + 2 * GIB
        sync_note = "one layer gathered + merged tensor + 2 delta temporaries + NCCL buffers"
    else:
        tp = training.vllm_tensor_parallel_size if training.use_vllm else 1
        layer_sync = zero3 * layer_bytes + adapted_layer + max(2 * largest_adapted, layer_bytes / tp)
        sync = max(layer_sync, zero3 * embedding + embedding / tp)
        sync_note = (
            "one layer gathered + its merged tensors (buffered by vLLM) + 2 delta temporaries + vLLM's new layer"
        )
    terms.append(Term("weight sync (streamed)", sync, "-", sync_note))  # fmt: skip

    vllm_server = None
    capacity = gpu_mem_gib * GIB
    if training.use_vllm:
        tp = training.vllm_tensor_parallel_size
        kv_per_token = 2 * m.layers * max(1, m.kv_heads // tp) * m.head_dim * b
        seqs = training.generation_batch_size or micro * gpus * training.gradient_accumulation_steps
        engines = max(1, gpus // tp) if training.vllm_mode == "colocate" else 1
        kv_wanted = kv_per_token * seq * seqs / engines
        vllm_weights = total * b / tp
        if training.vllm_mode == "colocate":
            # vLLM reserves gpu_memory_utilization x capacity up front (weights + KV pool); a pool smaller than the
            # batch wants means fewer sequences in flight (slower), not an OOM.
            reserved = training.vllm_gpu_memory_utilization * capacity
            in_flight = min(1.0, max(0.0, reserved - vllm_weights) / kv_wanted) if kv_wanted else 1.0
            terms.append(Term("vLLM reserved (colocated)", reserved, "lower vllm_gpu_memory_utilization, or vllm_mode: server",
                              f"{training.vllm_gpu_memory_utilization:.2f} x capacity: weights {vllm_weights / GIB:.1f} GiB "
                              f"(TP {tp}) + KV pool; {in_flight:.0%} of {seqs} sequences x {seq} tokens in flight"))  # fmt: skip
        else:
            need = vllm_weights + kv_per_token * seq * seqs + CUDA_CONTEXT_GIB * GIB
            vllm_server = {"gib_per_gpu": need / GIB, "fits": need <= training.vllm_gpu_memory_utilization * capacity,
                           "tp": tp}  # fmt: skip
    terms.append(Term("CUDA context / NCCL / fragmentation", CUDA_CONTEXT_GIB * GIB, "-"))

    # Peak = the worst phase. Persistent terms are always there; the trainer's transients, generation and the sync
    # take turns. Without sleep mode vLLM's reservation is there in every phase.
    by_name = {t.name: t.bytes for t in terms}
    persistent = sum(by_name.get(n, 0) for n in ("policy weights (shard)", "LoRA params + grads + Adam (fp32)",
                                                  "CUDA context / NCCL / fragmentation"))  # fmt: skip
    train = sum(by_name.get(n, 0) for n in ("ZeRO-3 gather buffers", "activations",
                                            "LoRA on fused experts: W + BA (+ grad)", "LM head (TRL's chunked log-probs)"))  # fmt: skip
    vllm = by_name.get("vLLM reserved (colocated)", 0)
    sleeping = training.use_vllm and training.vllm_mode == "colocate" and training.vllm_enable_sleep_mode
    phases = {
        "training step": persistent + train + (0 if sleeping else vllm),
        "generation": persistent + vllm,
        "weight sync": persistent + vllm + by_name["weight sync (streamed)"],
    }
    used = max(phases.values())
    biggest = max((t for t in terms if t.knob != "-"), key=lambda t: t.bytes)
    return {"terms": terms, "phases": phases, "total": used, "capacity": capacity, "fits": used <= capacity,
            "biggest": biggest, "vllm_server": vllm_server, "gpus": gpus, "sleep_mode": sleeping}  # fmt: skip


def format_plan(p: dict, recipe: str) -> str:
    lines = [f"Memory plan per training GPU for {recipe} ({p['gpus']} GPUs x {p['capacity'] / GIB:.0f} GiB)", ""]
    width = max(len(t.name) for t in p["terms"])
    for t in p["terms"]:
        lines.append(f"  {t.name:<{width}}  {t.bytes / GIB:8.2f} GiB   {t.note}")
    lines.append("")
    for phase, value in p["phases"].items():
        lines.append(f"  {'phase: ' + phase:<{width}}  {value / GIB:8.2f} GiB")
    sleep = " (vLLM asleep while the trainer steps)" if p["sleep_mode"] else ""
    lines.append(f"  {'peak':<{width}}  {p['total'] / GIB:8.2f} GiB   of {p['capacity'] / GIB:.0f} GiB{sleep}")
    if p["vllm_server"]:
        s = p["vllm_server"]
        lines.append(
            f"  vLLM server GPUs (TP {s['tp']}): {s['gib_per_gpu']:.1f} GiB each -> {'fits' if s['fits'] else 'DOES NOT FIT'}"
        )
    return "\n".join(lines)


def verdict(p: dict) -> str | None:
    """None when it fits, else a message naming the biggest term and the knob to turn."""
    problems = []
    if not p["fits"]:
        b = p["biggest"]
        problems.append(
            f"does not fit: needs {p['total'] / GIB:.1f} GiB per GPU of {p['capacity'] / GIB:.0f} GiB. "
            f"Biggest term: {b.name} ({b.bytes / GIB:.1f} GiB): {b.knob}."
        )
    if p["vllm_server"] and not p["vllm_server"]["fits"]:
        problems.append("the vLLM server's weights + KV cache do not fit its GPUs: raise vllm_tensor_parallel_size")
    return " ".join(problems) or None


def check_recipe(
    script, training, model_args, gpus: int, gpu_mem_gib: float, zero_stage: int = 3
) -> tuple[str, str | None] | None:
    """Plan a parsed recipe; None when the model config is unknown offline (nothing to check without a download)."""
    config = load_model_config(model_args.model_name_or_path)
    if config is None:
        return None
    p = plan(config, script, training, model_args, gpus, gpu_mem_gib, zero_stage)
    return format_plan(p, model_args.model_name_or_path), verdict(p)


def main(argv: list[str] | None = None) -> int:
    from genui_grpo.launch import read_recipe

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True, help="recipe YAML")
    parser.add_argument("--gpus", type=int, default=8, help="training GPUs in total (all nodes)")
    parser.add_argument("--gpu_mem_gib", type=float, default=80)
    parser.add_argument("--zero_stage", type=int, default=3)
    args, overrides = parser.parse_known_args(argv)
    # Parsed as train.py will see it on `gpus` ranks (TRL derives the generation batch from the world size), on any
    # machine: bf16 is not refused for lack of a local GPU.
    script, _, training, model = read_recipe(args.config, args.gpus, overrides)
    result = check_recipe(script, training, model, args.gpus, args.gpu_mem_gib, args.zero_stage)
    if result is None:
        print(f"no offline config for {model.model_name_or_path}: add its config.json to {CONFIGS}", file=sys.stderr)
        return 2
    table, problem = result
    print(table)
    if problem:
        print(f"\nerror: {problem}", file=sys.stderr)
        return 1
    print("\nfits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
