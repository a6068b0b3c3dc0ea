"""GRPO on the tiny Qwen3-MoE through train.py: LoRA learns, the base stays frozen, checkpoints resume, and a
preemption signal saves a checkpoint that the next run resumes from. CPU only, no network."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import torch
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM
from trl import TrlParser

import train
from genui_grpo.callbacks import STOP_FILE
from genui_grpo.config import RECIPE
from reward import COMPONENTS, Component, register
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def distinct_chars(facts, options):
    """Test-only reward with spread inside every group, so advantages (and LoRA gradients) are non-zero."""
    return len(set(facts.text)) / 20, "distinct characters"


@pytest.fixture(scope="module", autouse=True)
def test_component():
    """Registered only while this module runs: the registry is global, and other tests document what it ships."""
    register("test_distinct_chars", Component(distinct_chars))
    yield
    COMPONENTS.pop("test_distinct_chars")


def args(tiny_model_dir, output_dir, *extra):
    return TrlParser(RECIPE).parse_args_and_config(
        [
            "--config", str(ROOT / "recipes/tiny-cpu.yaml"),
            "--model_name_or_path", str(tiny_model_dir),
            "--output_dir", str(output_dir),
            "--reward_funcs", "test_distinct_chars",
            # keep steps short: 4 completions x 16 tokens
            "--max_completion_length", "16",
            "--save_steps", "1",
            *extra,
        ]
    )  # fmt: skip


@pytest.fixture(scope="module")
def two_steps(tiny_model_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    trainer = train.main(*args(tiny_model_dir, out, "--max_steps", "2"))
    return trainer, out


def test_lora_trains_and_base_is_frozen(two_steps, tiny_model_dir):
    trainer, out = two_steps
    adapter = load_file(out / "adapter_model.safetensors")
    # LoRA B starts at zero: every B (attention and experts) must have moved
    b_tensors = {k: v for k, v in adapter.items() if "lora_B" in k}
    assert any("experts" in k for k in b_tensors) and any("q_proj" in k for k in b_tensors)
    assert all(v.abs().sum() > 0 for v in b_tensors.values()), [k for k, v in b_tensors.items() if v.abs().sum() == 0]
    # The router is never adapted
    assert not any("mlp.gate." in k for k in adapter)
    # Base weights are untouched
    base = AutoModelForCausalLM.from_pretrained(tiny_model_dir).state_dict()
    trained = {
        k.replace("base_model.model.", "").replace(".base_layer", ""): v for k, v in trainer.model.state_dict().items()
    }
    for name in (
        "model.layers.0.self_attn.q_proj.weight",
        "model.layers.1.mlp.experts.down_proj",
        "model.layers.0.mlp.gate.weight",
    ):
        assert torch.equal(trained[name], base[name]), name


def test_summary_and_checkpoints(two_steps):
    _, out = two_steps
    summary = json.loads((out / "run_summary.json").read_text())
    assert summary["global_step"] == 2 and summary["resumed_from"] is None
    assert summary["data"]["train"] == 20 and summary["rewards"] == {"test_distinct_chars": 1.0}
    assert (out / "checkpoint-2" / "adapter_model.safetensors").exists()
    assert "rewards/test_distinct_chars/mean" in summary["last_log"]
    assert summary["last_log"]["reward/grader_errors"] == 0  # the reward's own counters are logged too


def test_resume_continues_global_step(two_steps, tiny_model_dir):
    _, out = two_steps
    trainer = train.main(*args(tiny_model_dir, out, "--max_steps", "3"))
    assert trainer.state.global_step == 3
    summary = json.loads((out / "run_summary.json").read_text())
    assert summary["resumed_from"].endswith("checkpoint-2")


def test_stop_file_saves_and_stops_then_resumes(tiny_model_dir, tmp_path):
    # What slurm/train.slurm does on the preemption warning: touch <output_dir>/SAVE_AND_STOP
    (tmp_path / STOP_FILE).touch()
    trainer = train.main(*args(tiny_model_dir, tmp_path, "--max_steps", "5", "--save_steps", "100"))
    assert trainer.state.global_step == 1
    assert (tmp_path / "checkpoint-1").exists() and not (tmp_path / STOP_FILE).exists()
    trainer = train.main(*args(tiny_model_dir, tmp_path, "--max_steps", "2", "--save_steps", "100"))
    assert trainer.state.global_step == 2


def test_sigusr1_saves_checkpoint_and_exits(tiny_model_dir, tmp_path):
    # A real signal to a real training process, as SLURM sends it before preemption
    cmd = [sys.executable, "-u", "train.py",
        "--config", "recipes/tiny-cpu.yaml", "--model_name_or_path", str(tiny_model_dir),
        "--output_dir", str(tmp_path), "--max_steps", "200", "--save_steps", "1000", "--max_completion_length", "8",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    deadline = time.time() + 240
    log = []
    for line in proc.stdout:
        log.append(line)
        if "'loss'" in line or time.time() > deadline:  # training is under way
            break
    proc.send_signal(signal.SIGUSR1)
    rest, _ = proc.communicate(timeout=240)
    log.append(rest)
    assert proc.returncode == 0, "".join(log)[-3000:]
    checkpoints = sorted(tmp_path.glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
    assert checkpoints, "".join(log)[-3000:]
    step = int(checkpoints[-1].name.split("-")[1])
    assert 1 <= step < 200 and "SIGUSR1" in "".join(log)
