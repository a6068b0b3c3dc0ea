"""The preflight memory plan: arithmetic that matches real models, and `make plan`'s verdicts. No network."""

import subprocess
import sys

import pytest
from peft import get_peft_model
from transformers import AutoModelForCausalLM
from trl import ModelConfig

from genui_grpo.launch import read_recipe
from genui_grpo.modeling import lora_config
from genui_grpo.plan import ModelShape, check_recipe, load_model_config, plan
from tests.conftest import ROOT

RECIPE = "recipes/qwen3-30b-a3b/8xA100.yaml"


def parse(recipe, *extra, gpus: int = 8):
    """(script, training, model) as train.py sees them on `gpus` ranks (TRL derives the generation batch from the
    world size)."""
    script, _, training, model = read_recipe(str(ROOT / recipe), gpus, list(extra))
    return script, training, model


class TestArithmetic:
    def test_counts_match_the_real_tiny_model_exactly(self, tiny_model_dir):
        # Total parameters and PEFT's trainable LoRA parameters (attention + fused experts), counted for real
        shape = ModelShape.from_config(load_model_config(str(tiny_model_dir)))
        model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
        assert shape.total_params == sum(p.numel() for p in model.parameters())
        peft = get_peft_model(
            model, lora_config(ModelConfig(use_peft=True, lora_r=8, lora_alpha=16, lora_dropout=0.0))
        )
        assert shape.lora_params(8, experts=True) == sum(p.numel() for p in peft.parameters() if p.requires_grad)

    def test_qwen3_30b_a3b_shipped_config(self):
        # Works offline: the published config ships with the repo; 30.5B parameters, 3.3B active
        shape = ModelShape.from_config(load_model_config("Qwen/Qwen3-30B-A3B"))
        assert shape.total_params / 1e9 == pytest.approx(30.53, abs=0.01)
        assert shape.lora_params(32, experts=True) / 1e9 == pytest.approx(1.29, abs=0.01)

    def test_unknown_model_is_not_guessed(self):
        assert load_model_config("someone/unknown-model") is None

    def test_sleep_mode_lowers_the_peak(self):
        config = load_model_config("Qwen/Qwen3-30B-A3B")
        awake = plan(config, *parse(RECIPE, "--vllm_enable_sleep_mode", "false"), gpus=8, gpu_mem_gib=80)
        asleep = plan(config, *parse(RECIPE), gpus=8, gpu_mem_gib=80)
        assert asleep["total"] < awake["total"]
        assert awake["phases"]["training step"] > asleep["phases"]["training step"]

    def test_more_gpus_shard_more(self):
        script, training, model = parse("recipes/qwen3-30b-a3b/multinode.yaml")
        config = load_model_config("Qwen/Qwen3-30B-A3B")
        p8, p16 = (plan(config, script, training, model, gpus=g, gpu_mem_gib=80) for g in (8, 16))
        weights = lambda p: next(t.bytes for t in p["terms"] if t.name.startswith("policy weights"))  # noqa: E731
        assert weights(p8) == pytest.approx(2 * weights(p16))

    def test_fused_expert_lora_materialises_w_plus_ba_and_its_gradient(self):
        # PEFT's target_parameters builds W + BA for the whole expert stack in the forward, and its gradient in the
        # backward: one layer at a time under checkpointing, every layer's W + BA kept without
        config = load_model_config("Qwen/Qwen3-30B-A3B")
        shape = ModelShape.from_config(config)
        term = "LoRA on fused experts: W + BA (+ grad)"

        def terms(*extra):
            return {t.name: t.bytes for t in plan(config, *parse(RECIPE, *extra), gpus=8, gpu_mem_gib=80)["terms"]}

        assert terms()[term] == 2 * shape.expert_params * 2  # W + BA and its gradient, bf16
        assert terms("--gradient_checkpointing", "false")[term] == (shape.layers + 1) * shape.expert_params * 2
        assert term not in terms("--lora_experts", "false")
        # The streamed sync's worst layer also holds PEFT's delta temporaries for the expert stacks
        assert terms()["weight sync (streamed)"] > terms("--lora_experts", "false")["weight sync (streamed)"]

    def test_lm_head_is_trls_chunked_kernel_not_full_logits(self):
        # TRL 1.16 never materialises the [tokens, vocab] logits: one tile at a time + the hidden-state gradient
        from trl.kernels.chunked_logprob import TOKEN_CHUNK_SIZE

        config = load_model_config("Qwen/Qwen3-30B-A3B")
        p = plan(config, *parse(RECIPE), gpus=8, gpu_mem_gib=80)
        head = next(t.bytes for t in p["terms"] if t.name.startswith("LM head"))
        full_logits = 16384 * 151936 * 2
        assert TOKEN_CHUNK_SIZE * 151936 * 2 > head > TOKEN_CHUNK_SIZE * 2048 * 2 and head < full_logits / 8

    def test_training_without_checkpointing_is_refused_naming_the_knob(self):
        # Every layer's activations and materialised experts: far beyond 80 GB, and the message says what to turn
        table, problem = check_recipe(*parse(RECIPE, "--gradient_checkpointing", "false"), gpus=8, gpu_mem_gib=80)
        assert problem.startswith("does not fit") and "gradient_checkpointing: true" in problem

    def test_generation_batch_follows_the_world_size(self):
        # multinode.yaml leaves generation_batch_size to TRL: one optimizer step's worth on 16 or 24 ranks
        for gpus, seqs in ((16, 32), (24, 48)):
            _, training, _ = parse("recipes/qwen3-30b-a3b/multinode.yaml", gpus=gpus)
            assert training.generation_batch_size == seqs

    def test_check_recipe_reports_the_knob(self):
        table, problem = check_recipe(*parse(RECIPE), gpus=8, gpu_mem_gib=24)
        assert "peak" in table and problem.startswith("does not fit") and "Biggest term" in problem


class TestMakePlan:
    def run(self, *args):
        return subprocess.run([sys.executable, "-m", "genui_grpo.plan", "--config", RECIPE, *args], cwd=ROOT,
                              capture_output=True, text=True)  # fmt: skip

    def test_8x80gb_fits(self):
        proc = self.run("--gpus", "8", "--gpu_mem_gib", "80")
        assert proc.returncode == 0, proc.stderr
        assert "policy weights (shard)" in proc.stdout and "vLLM reserved" in proc.stdout and "fits" in proc.stdout

    def test_24gb_fails_with_a_useful_message(self):
        proc = self.run("--gpus", "8", "--gpu_mem_gib", "24")
        assert proc.returncode == 1
        assert "does not fit" in proc.stderr and "GiB per GPU of 24 GiB" in proc.stderr and "lower" in proc.stderr

    def test_makefile_target(self):
        proc = subprocess.run(
            ["make", "-s", "plan", f"RECIPE={RECIPE}", "GPU_MEM_GIB=24"], cwd=ROOT, capture_output=True, text=True
        )
        assert proc.returncode != 0 and "does not fit" in proc.stderr
