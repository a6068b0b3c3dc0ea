"""Run under `accelerate launch --config_file accelerate_configs/cpu_zero3.yaml` (2 processes, CPU): the tiny
Qwen3-MoE with LoRA on attention and the fused experts, under DeepSpeed ZeRO-3 configured by deepspeed/zero3_cpu.json
(the file under test), with gradient checkpointing as GenUIGRPOTrainer sets it for PEFT + ZeRO-3. Checks that:
- every expert tensor and every LoRA weight is really partitioned (ZeRO-3 keeps parameters below
  `stage3_param_persistence_threshold` replicated: with DeepSpeed's default that is all of the tiny model's but the
  embeddings and lm_head, and a test that "shards" nothing proves nothing);
- the LoRA gradients of loss + router aux loss match a single process computing both ranks' batches;
- the router aux loss reaches the LoRA weights with the trainer's checkpointing, and would not with reentrant
  checkpointing (what TRL forces for PEFT + ZeRO-3).
Prints `RESULT {json}` on rank 0. Used by tests/test_zero3.py; no vLLM, no network.
"""

import copy
import json
from pathlib import Path

import torch
import torch.distributed as dist
import torch.nn.functional as F
from peft import get_peft_model
from trl import ModelConfig

import deepspeed
from genui_grpo.modeling import lora_config
from genui_grpo.tiny import build_model
from genui_grpo.trainer import gradient_checkpointing_kwargs

ROOT = Path(__file__).resolve().parent.parent
AUX_COEF = 1.0  # weight the aux loss fully, so its share of the gradients is not lost in float round-off
PROBE = "base_model.model.model.layers.0.self_attn.q_proj.lora_A.default.weight"


def loss_of(model, ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    out = model(input_ids=ids, output_router_logits=True)
    nll = F.cross_entropy(out.logits[:, :-1].flatten(0, 1).float(), ids[:, 1:].flatten())
    return nll + AUX_COEF * out.aux_loss, out.aux_loss


def lora_grads(model) -> dict[str, torch.Tensor]:
    return {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad and p.grad is not None}


def checkpointed(model, kwargs: dict | None):
    model.gradient_checkpointing_enable(gradient_checkpointing_kwargs=kwargs)
    model.enable_input_require_grads()
    model.train()
    return model


def aux_grad_norm(model, ids: torch.Tensor, use_reentrant: bool) -> float:
    """Norm of d(aux loss)/d(layer-0 q_proj LoRA A) in one process, with the given checkpointing."""
    model = checkpointed(copy.deepcopy(model), {"use_reentrant": use_reentrant})
    model.zero_grad(set_to_none=True)
    _, aux = loss_of(model, ids)
    if not aux.requires_grad:  # reentrant: the router logits were recomputed without autograd
        return 0.0
    aux.backward()
    grad = dict(model.named_parameters())[PROBE].grad
    return 0.0 if grad is None else grad.norm().item()


def main():
    # Join the launcher's process group (accelerate's PartialState reports 1 process on a CPU DeepSpeed launch).
    deepspeed.init_distributed(dist_backend="gloo")
    world, rank = dist.get_world_size(), dist.get_rank()
    model = build_model(seed=0)  # same weights on every rank before ZeRO partitions them
    model = get_peft_model(model, lora_config(ModelConfig(use_peft=True, lora_r=4, lora_alpha=8, lora_dropout=0.0)))
    torch.manual_seed(1)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:  # B starts at zero, which would zero every gradient of A
                p.normal_(0, 0.1)
    ids = torch.randint(0, 2000, (world, 24), generator=torch.Generator().manual_seed(2))
    reference = copy.deepcopy(model)

    # What GenUIGRPOTrainer trains with for PEFT + ZeRO-3 + gradient checkpointing (TRL forces reentrant there)
    kwargs = gradient_checkpointing_kwargs({"use_reentrant": True}, forced_by_trl=True, aux_loss=True)

    config = json.loads((ROOT / "deepspeed" / "zero3_cpu.json").read_text())
    config.update(train_batch_size=world, train_micro_batch_size_per_gpu=1, gradient_accumulation_steps=1,
                  gradient_clipping=0.0, optimizer={"type": "Adam", "params": {"lr": 1e-3, "torch_adam": True}})  # fmt: skip
    engine, *_ = deepspeed.initialize(
        model=model, model_parameters=[p for p in model.parameters() if p.requires_grad], config=config
    )
    module = checkpointed(engine.module, kwargs)
    params = dict(module.named_parameters())
    must_shard = [n for n, p in params.items() if "experts" in n or "lora_" in n]
    replicated = sorted(n for n in must_shard if params[n].ds_tensor.numel() >= params[n].ds_numel)

    loss, _ = loss_of(module, ids[rank : rank + 1])
    engine.backward(loss)
    sharded_grads = {  # collective: every rank asks for every LoRA gradient, in the same order
        n: deepspeed.utils.safe_get_full_grad(p).clone() for n, p in params.items() if p.requires_grad
    }

    # Single process, same weights, both ranks' batches: ZeRO-3 averages the ranks' gradients
    single = checkpointed(reference, kwargs)
    for r in range(world):
        (loss_of(single, ids[r : r + 1])[0] / world).backward()
    expected = lora_grads(single)
    worst = max((sharded_grads[n] - g).abs().max().item() for n, g in expected.items())
    scale = max(g.abs().max().item() for g in expected.values())

    if rank == 0:
        print("RESULT " + json.dumps({
            "world_size": world, "use_reentrant": kwargs.get("use_reentrant"), "n_must_shard": len(must_shard),
            "n_expert_tensors": sum("experts" in n for n in must_shard), "replicated": replicated,
            "n_lora_grads": len(expected), "grad_names_equal": sorted(expected) == sorted(sharded_grads),
            "max_grad_diff": worst, "grad_scale": scale,
            "aux_grad_non_reentrant": aux_grad_norm(reference, ids[:1], use_reentrant=False),
            "aux_grad_reentrant": aux_grad_norm(reference, ids[:1], use_reentrant=True),
        }))  # fmt: skip


if __name__ == "__main__":
    main()
