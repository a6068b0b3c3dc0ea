"""The reward section of a recipe: every knob settable from the recipe, defined once, flowing into the reward
functions; presets as YAML files. No network, no browser."""

import dataclasses
from types import SimpleNamespace

import pytest
import yaml
from trl import GRPOTrainer, TrlParser

from genui_grpo.config import RECIPE
from genui_grpo.trainer import GenUIGRPOTrainer
from reward import RewardArguments, build_rewards, load_preset, preset_names, score, stats
from reward.config import KNOBS, from_recipe
from reward.graders import GraderOptions
from reward.render import RenderOptions
from tests.conftest import ROOT, component, fenced

GOOD = fenced(component("24"))


def parse(*argv):
    return TrlParser(RECIPE).parse_args_and_config(["--config", str(ROOT / "recipes/tiny-cpu.yaml"), *argv])


class TestKnobs:
    def test_every_grader_and_render_option_is_a_recipe_field(self):
        # Generated from the two dataclasses: a field added to either is a recipe key without touching the config
        fields = {f.name for f in dataclasses.fields(RewardArguments)}
        assert {f.name for f in dataclasses.fields(GraderOptions)} <= fields
        assert {f"render_{f.name}" for f in dataclasses.fields(RenderOptions)} <= fields

    def test_defaults_are_the_dataclasses_own(self):
        # One default per knob: RewardArguments holds no number of its own
        args = RewardArguments()
        assert args.grader_options() == GraderOptions() and args.render_options() == RenderOptions()

    def test_recipe_and_cli_set_any_knob(self):
        # tiny-cpu.yaml sets render_pages: 2; the command line sets a grader knob and a render knob
        _, reward, _, _ = parse("--interactive_wired_weight", "0.5", "--render_max_interactions", "5")
        assert reward.grader_options().interactive_wired_weight == 0.5
        assert reward.render_options() == dataclasses.replace(RenderOptions(), pages=2, max_interactions=5)

    def test_the_knob_reaches_the_reward_functions(self):
        # ui_content: one <button>... in COUNTER-like pages; saturation 25 vs 5 changes the score 5x
        funcs, _ = build_rewards(RewardArguments(reward_funcs=["ui_content"], ui_content_saturation=100))
        wide = funcs[0]([GOOD])[0]
        funcs, _ = build_rewards(RewardArguments(reward_funcs=["ui_content"], ui_content_saturation=4))
        assert funcs[0]([GOOD])[0] == 1.0 > wide

    def test_bad_values_fail_at_parse_time(self):
        with pytest.raises(ValueError, match="ui_content_saturation must be >= 1"):
            RewardArguments(ui_content_saturation=0)
        with pytest.raises(ValueError, match="render_pages=0: render settings must be >= 0"):
            parse("--render_pages", "0")


class TestPresets:
    def test_builtin_presets_are_yaml_files(self):
        assert {"static", "default", "seed"} <= set(preset_names())
        assert all((ROOT / "reward/presets" / f"{name}.yaml").is_file() for name in preset_names())

    def test_a_users_preset_file_with_weights_and_knobs(self, tmp_path):
        mine = tmp_path / "mine.yaml"
        mine.write_text("weights: {compiles: 2, ui_content: 1}\nui_content_saturation: 5\n")
        args = RewardArguments(reward_preset=str(mine))
        funcs, weights = build_rewards(args)
        assert [f.__name__ for f in funcs] == ["compiles", "ui_content"] and weights == [2.0, 1.0]
        assert funcs[1].options.ui_content_saturation == 5

    def test_the_recipe_wins_over_the_preset_and_the_preset_over_the_default(self, tmp_path):
        mine = tmp_path / "mine.yaml"
        mine.write_text("weights: {parses: 1}\nui_content_saturation: 5\noverlong_buffer: 0.5\n")
        args = RewardArguments(reward_preset=str(mine), overlong_buffer=0.3)
        options = args.grader_options()
        assert (options.ui_content_saturation, options.overlong_buffer) == (5, 0.3)
        assert options.interactive_wired_weight == GraderOptions().interactive_wired_weight

    def test_unknown_key_in_a_preset_names_it(self, tmp_path):
        bad = tmp_path / "bad.yaml"
        bad.write_text("weights: {parses: 1}\nui_content_saturaton: 5\n")
        with pytest.raises(ValueError, match="unknown key 'ui_content_saturaton'.*ui_content_saturation"):
            RewardArguments(reward_preset=str(bad))

    def test_printed_preset_loads_back_to_the_same_values(self, tmp_path):
        # `python -m reward presets --config RECIPE > mine.yaml` gives a preset with every value in effect
        args = RewardArguments(reward_preset="default", interactive_dead_penalty=0.2, render_budget_ms=1500)
        saved = tmp_path / "saved.yaml"
        saved.write_text(args.to_yaml())
        again = RewardArguments(reward_preset=str(saved))
        assert again.weights() == args.weights()
        assert again.grader_options() == args.grader_options() and again.render_options() == args.render_options()
        assert set(yaml.safe_load(saved.read_text())) == {"weights", *KNOBS}

    def test_with_preset_keeps_the_recipes_knobs(self):
        # evaluate.py scores `default` and `seed` with the recipe's knobs
        args = RewardArguments(reward_preset="static", render_budget_ms=1234, ui_content_saturation=7)
        other = args.with_preset("default")
        assert other.weights() == load_preset("default").weights
        assert other.render_options().budget_ms == 1234 and other.grader_options().ui_content_saturation == 7

    def test_from_recipe_reads_the_reward_section_without_the_trainer(self):
        args, weights, max_length = from_recipe(ROOT / "recipes/tiny-cpu.yaml")
        assert args.reward_preset == "default" and args.render_options().pages == 2
        assert weights is None and max_length == 24

    def test_score_takes_a_recipe_section(self):
        args = RewardArguments(reward_funcs=["compiles", "interactive"])
        row = score([GOOD], preset=args, weights=[1.0, 10.0])[0]
        assert row["total"] == pytest.approx(row["components"]["compiles"] + 10 * row["components"]["interactive"])


def test_trainer_logs_reward_counters(monkeypatch):
    # GenUIGRPOTrainer.log adds reward.stats counters as reward/<event> (always grader_errors), then drains them
    captured = {}
    monkeypatch.setattr(GRPOTrainer, "log", lambda self, logs, start_time=None: captured.update(logs))
    trainer = GenUIGRPOTrainer.__new__(GenUIGRPOTrainer)  # only what log() reads: no model needed
    trainer.accelerator = SimpleNamespace(num_processes=1)
    stats.drain()
    stats.count("grader_errors", 2)
    stats.count("render_infra_failures")
    trainer.log({"loss": 1.0})
    assert captured == {"loss": 1.0, "reward/grader_errors": 2, "reward/render_infra_failures": 1}
    captured.clear()
    trainer.log({"loss": 0.5})
    assert captured == {"loss": 0.5, "reward/grader_errors": 0}
