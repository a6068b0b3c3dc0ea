"""DeepSpeed ZeRO-3 with 2 real processes on CPU via `accelerate launch`: the distributed path of a GPU run, with
parameters really partitioned (deepspeed/zero3_cpu.json sets stage3_param_persistence_threshold to 0)."""

import json
import os
import subprocess

import pytest
from safetensors.torch import load_file

from tests.conftest import ROOT

pytestmark = pytest.mark.slow
ACCELERATE = str(ROOT / ".venv/bin/accelerate") if (ROOT / ".venv/bin/accelerate").exists() else "accelerate"
ENV = {**os.environ, "TORCH_EXTENSIONS_DIR": str(ROOT / ".cache" / "torch_extensions"), "PYTHONUNBUFFERED": "1"}


def test_zero3_two_processes_train_and_save_full_adapter(tiny_model_dir, tmp_path):
    cmd = [
        ACCELERATE, "launch", "--config_file", "accelerate_configs/cpu_zero3.yaml",
        "train.py", "--config", "recipes/tiny-cpu.yaml",
        "--model_name_or_path", str(tiny_model_dir), "--output_dir", str(tmp_path),
        # 2 steps x (2 processes x 4 completions) x 16 tokens keeps this under a minute on 2 cores
        "--max_steps", "2", "--max_completion_length", "16",
        # As on GPUs: PEFT + ZeRO-3 + gradient checkpointing, where TRL forces reentrant checkpointing and the
        # trainer restores non-reentrant so the router aux loss has gradients (no CheckpointError either)
        "--gradient_checkpointing", "true", "--log_level", "info",
    ]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    summary = json.loads((tmp_path / "run_summary.json").read_text())
    assert summary["world_size"] == 2 and summary["global_step"] == 2
    assert "'use_reentrant': False" in proc.stdout + proc.stderr
    assert "aux_loss" in summary["last_log"]  # TRL computes the aux loss (router_aux_loss_coef in the recipe)
    # Under ZeRO-3 each rank holds a shard; the saved adapter must be gathered to full shapes
    adapter = load_file(tmp_path / "adapter_model.safetensors")
    q_a = adapter["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"]
    assert tuple(q_a.shape) == (8, 64)
    assert any(v.abs().sum() > 0 for k, v in adapter.items() if "lora_B" in k)


def test_experts_are_partitioned_and_lora_gradients_match_one_process():
    cmd = [ACCELERATE, "launch", "--config_file", "accelerate_configs/cpu_zero3.yaml", "tests/_zero3_grad_check.py"]
    proc = subprocess.run(cmd, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=600)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert proc.returncode == 0 and lines, (proc.stdout + proc.stderr)[-4000:]
    r = json.loads(lines[-1][len("RESULT ") :])
    assert r["world_size"] == 2 and r["use_reentrant"] is False
    # Every expert tensor (base and LoRA: 2 layers x 2 fused tensors x (base, A, B)) and every LoRA weight is sharded
    assert r["n_expert_tensors"] == 12 and r["n_must_shard"] > r["n_expert_tensors"] and r["replicated"] == []
    # LoRA gradients of loss + router aux loss under ZeRO-3 equal one process doing both ranks' batches
    assert r["grad_names_equal"] and r["n_lora_grads"] == 24
    assert r["max_grad_diff"] < 1e-6 * max(1.0, r["grad_scale"]), r
    # The aux loss reaches the LoRA weights with the trainer's checkpointing; reentrant checkpointing detaches it
    assert r["aux_grad_non_reentrant"] > 1e-3 and r["aux_grad_reentrant"] == 0.0
