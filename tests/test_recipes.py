"""Recipes parse into (ScriptArguments, GRPOConfig, ModelConfig); LoRA never reaches the router. No network."""

from pathlib import Path

import pytest
from trl import ModelConfig, TrlParser

from genui_grpo.config import RECIPE
from genui_grpo.launch import read_recipe
from genui_grpo.modeling import EXPERT_PARAMETERS, lora_config
from tests.conftest import ROOT

RECIPES = sorted((ROOT / "recipes").rglob("*.yaml"))
# The demo's warm start is an SFT recipe (python -m genui_grpo.warmstart), not a GRPO one: tests/test_demo.py parses it
GRPO_RECIPES = [r for r in RECIPES if "genui_grpo.warmstart" not in r.read_text().splitlines()[0]]


def parse(recipe: Path, *overrides: str):
    return TrlParser(RECIPE).parse_args_and_config(["--config", str(recipe), *overrides])


@pytest.mark.parametrize("recipe", GRPO_RECIPES, ids=lambda p: str(p.relative_to(ROOT)))
def test_recipe_parses_and_first_line_is_its_command(recipe):
    if "cpu" in recipe.name:
        script, reward, training, model = parse(recipe)
    else:  # as on one node of 8 GPUs: TRL checks the batch against the world size (and bf16 needs CUDA to parse)
        script, reward, training, model = read_recipe(str(recipe), 8, [])
    first = recipe.read_text().splitlines()[0]
    assert first.startswith("# ") and str(recipe.relative_to(ROOT)) in first
    assert "train.py" in first or "sbatch" in first
    assert training.reward_weights is None or reward.reward_funcs
    assert lora_config(model, script.lora_experts) is not None


def test_cli_overrides_yaml():
    script, _, training, _ = parse(ROOT / "recipes/tiny-cpu.yaml", "--learning_rate", "5e-6", "--max_steps", "3")
    assert training.learning_rate == 5e-6 and training.max_steps == 3
    assert script.dataset_name == "data/sample.jsonl"


def test_tiny_recipe_is_cpu_float32():
    _, _, training, model = parse(ROOT / "recipes/tiny-cpu.yaml")
    assert training.bf16 is False and model.dtype == "float32"


def test_unknown_recipe_key_is_an_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "recipes/tiny-cpu.yaml").read_text() + "\nlearning_rat: 1.0\n")
    with pytest.raises(ValueError, match="learning_rat"):
        parse(bad)


class TestLora:
    def test_default_targets(self):
        cfg = lora_config(ModelConfig(use_peft=True, lora_dropout=0.05), experts=True)
        assert set(cfg.target_modules) == {"q_proj", "k_proj", "v_proj", "o_proj"}
        assert list(cfg.target_parameters) == EXPERT_PARAMETERS
        # target_parameters does not support dropout
        assert cfg.lora_dropout == 0.0

    @pytest.mark.parametrize("targets", [["all-linear"], ["q_proj", "gate"]])
    def test_router_refused(self, targets):
        with pytest.raises(ValueError, match="router"):
            lora_config(ModelConfig(use_peft=True, lora_target_modules=targets))

    def test_attention_only(self):
        assert lora_config(ModelConfig(use_peft=True), experts=False).target_parameters is None
