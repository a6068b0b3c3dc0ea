"""DeepSpeed ZeRO-3 with 2 real processes on CPU via `accelerate launch`: the distributed path of a GPU run."""

import json
import os
import subprocess

import pytest
from safetensors.torch import load_file

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_zero3_two_processes_train_and_save_full_adapter(tiny_model_dir, tmp_path):
    env = {**os.environ, "TORCH_EXTENSIONS_DIR": str(ROOT / ".cache" / "torch_extensions"), "PYTHONUNBUFFERED": "1"}
    cmd = [
        str(ROOT / ".venv/bin/accelerate") if (ROOT / ".venv/bin/accelerate").exists() else "accelerate", "launch",
        "--config_file", "accelerate_configs/cpu_zero3.yaml",
        "train.py", "--config", "recipes/tiny-cpu.yaml",
        "--model_name_or_path", str(tiny_model_dir), "--output_dir", str(tmp_path),
        # 2 steps x (2 processes x 4 completions) x 16 tokens keeps this under a minute on 2 cores
        "--max_steps", "2", "--max_completion_length", "16",
    ]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    summary = json.loads((tmp_path / "run_summary.json").read_text())
    assert summary["world_size"] == 2 and summary["global_step"] == 2
    # Under ZeRO-3 each rank holds a shard; the saved adapter must be gathered to full shapes
    adapter = load_file(tmp_path / "adapter_model.safetensors")
    q_a = adapter["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"]
    assert tuple(q_a.shape) == (8, 64)
    assert any(v.abs().sum() > 0 for k, v in adapter.items() if "lora_B" in k)
