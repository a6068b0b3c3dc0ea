"""Run under `accelerate launch --config_file accelerate_configs/cpu_zero3.yaml` (2 processes, ZeRO-3, CPU):
the streamed per-layer sync must yield exactly the tensors of a full gather + PEFT merge, while keeping at most about
one layer alive. Prints `RESULT {json}` on rank 0. Used by tests/test_vllm_sync_zero3.py; no vLLM needed.
"""

import json

import torch
import torch.distributed as dist
from peft import get_peft_model
from transformers import Qwen3MoeConfig, Qwen3MoeForCausalLM
from trl import ModelConfig

import deepspeed
from genui_grpo.modeling import lora_config
from genui_grpo.vllm_sync import MemoryMeter, iter_streamed_weights, vllm_name, weight_groups

ZERO3 = {
    "train_batch_size": 2,
    "train_micro_batch_size_per_gpu": 1,
    "zero_optimization": {"stage": 3, "stage3_param_persistence_threshold": 0},
    "optimizer": {"type": "Adam", "params": {"lr": 1e-3, "torch_adam": True}},
}


def main():
    # Join the launcher's process group. (accelerate's PartialState reports 1 process on a CPU DeepSpeed launch, so
    # ranks are read from torch.distributed.)
    deepspeed.init_distributed(dist_backend="gloo")
    world, rank = dist.get_world_size(), dist.get_rank()
    torch.manual_seed(0)  # same weights on both ranks before ZeRO partitions them
    # Small vocab and 4 layers: each decoder layer is a few % of the model, so "one layer" is clearly less than all
    config = Qwen3MoeConfig(
        vocab_size=512, hidden_size=64, intermediate_size=128, moe_intermediate_size=64, num_hidden_layers=4,
        num_attention_heads=4, num_key_value_heads=2, head_dim=32, num_experts=16, num_experts_per_tok=2,
        tie_word_embeddings=False,
    )  # fmt: skip
    model = Qwen3MoeForCausalLM(config)
    model = get_peft_model(model, lora_config(ModelConfig(use_peft=True, lora_r=4, lora_alpha=8, lora_dropout=0.0)))
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.1)
    groups = weight_groups(model)
    group_bytes = [sum(p.numel() * p.element_size() for _, p in g) for g in groups]
    largest_tensor = max(p.numel() * p.element_size() for g in groups for _, p in g)
    total_bytes = sum(group_bytes)
    engine, *_ = deepspeed.initialize(
        model=model, model_parameters=[p for p in model.parameters() if p.requires_grad], config=ZERO3
    )
    module = engine.module
    # Under ZeRO-3 each rank holds a 1/world shard of every large parameter
    sharded = all(p.ds_tensor.numel() < p.ds_numel for p in module.parameters() if p.ds_numel >= 2 * world * 64)

    meter = MemoryMeter()
    streamed = {n: t.clone() for n, t in iter_streamed_weights(module, deepspeed.zero.GatheredParameters, meter)}

    # Reference: what TRL does, gather everything at once and merge the adapter in place
    with deepspeed.zero.GatheredParameters(list(module.parameters())):
        module.merge_adapter()
        full = {vllm_name(n): p.data.clone() for n, p in module.named_parameters() if vllm_name(n)}
        module.unmerge_adapter()

    mismatched = sorted(
        n for n in full if n not in streamed or not torch.allclose(streamed[n], full[n], atol=1e-6, rtol=0)
    )
    if rank == 0:
        print("RESULT " + json.dumps({
            "world_size": world, "sharded": sharded, "names_equal": sorted(full) == sorted(streamed),
            "mismatched": mismatched, "n_tensors": len(full), "peak_bytes": meter.peak,
            "largest_group_bytes": max(group_bytes), "largest_tensor_bytes": largest_tensor, "total_bytes": total_bytes,
        }))  # fmt: skip


if __name__ == "__main__":
    main()
