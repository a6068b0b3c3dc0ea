"""The CPU recipe for training on your own components, end to end: build a dataset from our components and the
example folder, then train the tiny model 2 steps on it through train.py with the recipe's rewards (the default
components plus `lint` with Acme's ESLint config, react-feather and clsx importable: the `codebase` preset). CPU only, no network."""

import json

import pytest
from trl import TrlParser

import train
from genui_grpo.codebase import main as build_main
from genui_grpo.config import RECIPE as SECTIONS
from reward import load_preset
from tests.conftest import COMPONENTS, ROOT

pytestmark = pytest.mark.slow

RECIPE = ROOT / "recipes" / "tiny-cpu-codebase.yaml"


def test_build_then_train_two_steps(tiny_model_dir, tmp_path):
    data = tmp_path / "mine.jsonl"
    example = ROOT / "data" / "codebase_example" / "src"
    assert build_main(["build", str(COMPONENTS), str(example), "--out", str(data), "--config", str(RECIPE)]) == 0
    rows = len(data.read_text().splitlines())

    script, reward, training, model = TrlParser(SECTIONS).parse_args_and_config(
        [
            "--config", str(RECIPE),
            "--model_name_or_path", str(tiny_model_dir),
            "--dataset_name", str(data),
            "--output_dir", str(tmp_path / "run"),
            "--max_steps", "2",
            "--save_strategy", "no",
            "--max_completion_length", "16",  # keep steps short: 4 completions x 16 tokens
        ]
    )  # fmt: skip
    assert reward.lint_config.endswith("eslint.config.mjs") and reward.allowed_packages == ["react-feather", "clsx"]
    trainer = train.main(script, reward, training, model)

    summary = json.loads((tmp_path / "run" / "run_summary.json").read_text())
    assert summary["global_step"] == 2 and (tmp_path / "run" / "adapter_model.safetensors").exists()
    assert summary["data"]["train"] == rows - 4  # eval_size: 4
    assert summary["rewards"] == dict(load_preset("codebase").weights) and summary["rewards"]["lint"] == 1.0
    assert "rewards/lint/mean" in summary["last_log"]
    # The reward functions carry the recipe's settings, not the defaults
    lint = next(f for f in trainer.reward_funcs if f.__name__ == "lint")
    assert lint.lint_options.filename == "src/App.tsx" and "react-feather" in lint.allowed_imports
    assert all(f.allowed_imports == lint.allowed_imports for f in trainer.reward_funcs)
