"""Registry, presets, TRL-facing calling convention, failure semantics, pickling, README and the CLI. No network."""

import asyncio
import doctest
import inspect
import json
import logging
import pickle
import re
import subprocess
import sys

import pytest

import reward.extract
import reward.graders
from reward import COMPONENTS, Component, RewardArguments, build_rewards, load_preset, register, stats
from reward.facts import facts_of
from reward.lint import LintResult
from reward.registry import grade
from reward.render import RenderResult
from tests.conftest import ROOT, component, fenced

GOOD = fenced(component("24"))


class TestRegistry:
    def test_names_match_registry_keys(self):
        # TRL logs rewards/<__name__>/mean
        funcs, _ = build_rewards(RewardArguments(reward_funcs=list(COMPONENTS)))
        assert [f.__name__ for f in funcs] == list(COMPONENTS)

    def test_preset(self):
        funcs, weights = build_rewards("static")
        preset = load_preset("static")
        assert [f.__name__ for f in funcs] == list(preset.weights) and weights == list(preset.weights.values())

    def test_names_with_weights(self):
        funcs, weights = build_rewards(RewardArguments(reward_funcs=["compiles", "interactive"]), weights=[1, 2])
        assert [f.__name__ for f in funcs] == ["compiles", "interactive"] and weights == [1.0, 2.0]

    def test_unknown_name(self):
        with pytest.raises(ValueError, match="unknown reward component.*available"):
            build_rewards(RewardArguments(reward_funcs=["compiless"]))

    def test_unknown_preset(self):
        with pytest.raises(ValueError, match="unknown reward preset 'nope'.*static"):
            build_rewards("nope")

    def test_weight_count_mismatch(self):
        with pytest.raises(ValueError, match="2 reward_funcs but 1 reward_weights"):
            build_rewards(RewardArguments(reward_funcs=["parses", "compiles"]), weights=[1.0])

    def test_weights_with_a_preset_are_refused(self):
        # reward_weights would silently not match the preset's components
        with pytest.raises(ValueError, match="reward_weights given with a preset"):
            build_rewards("static", weights=[1.0] * 6)

    def test_pickle_roundtrip(self):
        # Async rollout workers pickle reward functions (static ones here; render ones below)
        funcs, _ = build_rewards("static", max_completion_length=128)
        for f in funcs:
            clone = pickle.loads(pickle.dumps(f))
            assert clone.__name__ == f.__name__ and clone([GOOD]) == f([GOOD])

    def test_pickle_render_preset(self):
        funcs, _ = build_rewards("default")
        clones = [pickle.loads(pickle.dumps(f)) for f in funcs]
        assert [c.__name__ for c in clones] == list(load_preset("default").weights)

    def test_adding_a_component_is_one_row(self):
        # A grader function and a row: usable from a preset or reward_funcs at once
        def shouts(f, options):
            return float(f.text.isupper()), "all caps"

        register("test_shouts", Component(shouts))
        try:
            funcs, _ = build_rewards(RewardArguments(reward_funcs=["test_shouts"]))
            assert funcs[0](["HEY", "hey"]) == [1.0, 0.0]
        finally:
            del COMPONENTS["test_shouts"]

    def test_render_gated_static_components_see_the_render(self):
        # With the browser tier in the run, interactive and ui_content are async and gated on a clean render
        funcs = dict(zip(load_preset("default").weights, build_rewards("default")[0], strict=True))
        assert inspect.iscoroutinefunction(funcs["interactive"].__call__)
        assert not inspect.iscoroutinefunction(funcs["parses"].__call__)
        assert not any(inspect.iscoroutinefunction(f.__call__) for f in build_rewards("static")[0])
        f = facts_of(GOOD)
        f.render = RenderResult(mounted=True, renders=False, errors=["boom"])
        assert grade("interactive", f) == (0.0, "gated: does not render cleanly")


class TestFailureSemantics:
    def test_grader_exception_is_none_counted_and_logged_once(self, caplog):
        # A grader bug must not enter the advantage as a 0: None ("not applicable"), counted, logged with a hash
        def broken(f, options):
            raise RuntimeError("bug")

        register("test_broken", Component(broken))
        stats.drain()
        try:
            func = build_rewards(RewardArguments(reward_funcs=["test_broken"]))[0][0]
            with caplog.at_level(logging.ERROR, logger="reward"):
                assert func(["same text", "same text", "other"]) == [None, None, None]
        finally:
            del COMPONENTS["test_broken"]
        assert stats.drain() == {"grader_errors": 3}
        logged = [r.getMessage() for r in caplog.records]
        assert len(logged) == 2 and all(
            re.search(r"test_broken raised on completion sha1:[0-9a-f]{12}", m) for m in logged
        )

    def test_a_bug_while_gathering_facts_scores_none_not_a_crash(self, monkeypatch):
        # The analysis itself raises on one completion: that completion scores None in every component, the batch
        # is scored, and each None is counted
        import reward.facts

        real = reward.facts.analyze_cached
        monkeypatch.setattr(reward.facts, "analyze_cached", lambda code: real(code) if "boom" not in code else 1 / 0)
        stats.drain()
        funcs, _ = build_rewards("static")
        out = [func([GOOD, fenced("const boom = 1;")]) for func in funcs]
        assert all(v[0] is not None for v in out) and all(v[1] is None for v in out)
        assert stats.drain() == {"grader_errors": len(funcs)}

    def test_no_model_specific_token_ids_in_the_package(self):
        # The reward works with any tokenizer: ids come from the caller
        sources = "\n".join(p.read_text() for p in (ROOT / "reward").rglob("*.py"))
        assert not re.search(r"\b1516\d\d\b", sources)

    def test_without_eos_ids_length_is_unknown_not_truncated(self):
        # Another tokenizer's ids (EOS = 2) with no eos ids given: nothing is marked truncated
        funcs, _ = build_rewards("static")
        complete = next(f for f in funcs if f.__name__ == "complete")
        assert complete([GOOD], completion_ids=[[7, 8, 2]]) == [1.0]

    def test_eos_from_ids_wins_over_the_text(self):
        # The ids say the model stopped: a syntax error at the end is a mistake, not a cut-off
        text = fenced(component("24") + "\nexport const version = ")
        funcs, _ = build_rewards(RewardArguments(reward_funcs=["complete"]), eos_token_ids=(2,))
        assert funcs[0]([text], completion_ids=[[5, 2]]) == [1.0]
        assert funcs[0]([text], completion_ids=[[5, 6]]) == [0.0]  # hit the limit
        assert build_rewards(RewardArguments(reward_funcs=["complete"]))[0][0]([text]) == [0.0]  # text decides


class TestTRLConvention:
    def test_conversational_completions_and_kwargs(self):
        # TRL passes [{"role": "assistant", "content": ...}] plus every dataset column and trainer extras
        f = build_rewards(RewardArguments(reward_funcs=["compiles"]))[0][0]
        out = f(
            prompts=[[{"role": "user", "content": "x"}]] * 2,
            completions=[[{"role": "assistant", "content": GOOD}], [{"role": "assistant", "content": "no"}]],
            completion_ids=[[1, 2, 3], [3]],
            reference=[GOOD, GOOD],
            trainer_state=object(),
            log_metric=lambda *a: None,
        )
        assert out == [1.0, 0.0]

    def test_never_raises_on_garbage(self):
        # Bad model output of every shape scores, it never raises (async render rewards are awaited, as TRL does)
        garbage = [None, 42, "", "\x00\x01", "<think>", "```", "<|im_end|>", [{"role": "assistant", "content": None}]]
        for func in build_rewards(RewardArguments(reward_funcs=list(COMPONENTS)))[0]:
            out = func(garbage)
            if inspect.iscoroutine(out):
                out = asyncio.run(out)
            assert len(out) == 8 and all(isinstance(v, float) for v in out), func.__name__


class TestDocs:
    def test_grader_examples_run(self):
        # Every grader's docstring has an example on a tiny input; they must hold
        globs = {"facts_of": facts_of, "RenderResult": RenderResult, "LintResult": LintResult}
        for module in (reward.graders, reward.extract):
            result = doctest.testmod(module, extraglobs=globs, optionflags=doctest.ELLIPSIS)
            assert result.failed == 0, module.__name__
        graders_with_examples = {
            c.grader.__name__ for c in COMPONENTS.values() if c.grader.__doc__ and ">>>" in c.grader.__doc__
        }
        assert graders_with_examples == {c.grader.__name__ for c in COMPONENTS.values()}

    def test_readme_component_table_matches_the_registry(self):
        # README's table: | `name` | needs | gated on | range | meaning |, one row per component, same values
        readme = (ROOT / "README.md").read_text()
        rows = re.findall(r"^\| `(\w+)` \| (\w+) \| ([^|]+) \| ([^|]+) \|", readme, re.MULTILINE)
        table = {name: (needs, gate.strip(), rng.strip()) for name, needs, gate, rng in rows}
        expected = {
            name: (c.needs.value, c.gate.value, "[{:g}, {:g}]".format(*c.range)) for name, c in COMPONENTS.items()
        }
        assert table == expected


class TestCLI:
    def run(self, stdin: str, *args) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "reward", *args], input=stdin, capture_output=True, text=True, cwd=ROOT
        )

    def test_scores_in_order_with_ids(self):
        lines = [{"id": "good", "completion": GOOD}, {"id": 7, "completion": ""}]
        proc = self.run("\n".join(json.dumps(x) for x in lines), "score", "--preset", "static", "--explain")
        assert proc.returncode == 0, proc.stderr
        out = [json.loads(x) for x in proc.stdout.splitlines()]
        assert [o["id"] for o in out] == ["good", 7]
        assert out[0]["total"] > out[1]["total"] == 0.0
        assert set(out[0]["components"]) == set(load_preset("static").weights) and "explain" in out[0]

    def test_eos_ids_option_reads_completion_ids(self):
        # Same answer: stopped (ends with the given EOS id) vs cut off (does not)
        lines = [{"completion": GOOD, "completion_ids": [5, 9]}, {"completion": GOOD, "completion_ids": [5, 6]}]
        args = ("score", "--preset", "static", "--eos_token_ids", "9", "--max_completion_length", "100")
        proc = self.run("\n".join(json.dumps(x) for x in lines), *args)
        assert proc.returncode == 0, proc.stderr
        stopped, cut = (json.loads(x)["components"]["complete"] for x in proc.stdout.splitlines())
        assert (stopped, cut) == (1.0, 0.0)

    def test_malformed_line_names_the_line(self):
        proc = self.run(json.dumps({"completion": GOOD}) + "\n{oops\n", "score", "--preset", "static")
        assert proc.returncode == 2 and "line 2" in proc.stderr

    def test_presets_config_shows_the_recipe_values(self, tmp_path):
        recipe = tmp_path / "r.yaml"
        recipe.write_text(
            (ROOT / "recipes/tiny-cpu.yaml").read_text() + "\nui_content_saturation: 40\nrender_budget_ms: 1500\n"
        )
        proc = self.run("", "presets", "--config", str(recipe))
        assert proc.returncode == 0, proc.stderr
        assert re.search(r"^ui_content_saturation: 40 .*\[recipe\]", proc.stdout, re.MULTILINE)
        assert re.search(r"^render_budget_ms: 1500\b", proc.stdout, re.MULTILINE)
        assert re.search(r"^render_pages: 2\b", proc.stdout, re.MULTILINE)  # tiny-cpu.yaml's own value
        assert re.search(r"^  interaction_effective: 2.0$", proc.stdout, re.MULTILINE)  # the default preset

    def test_presets_config_typo_names_the_key(self, tmp_path):
        recipe = tmp_path / "r.yaml"
        recipe.write_text("reward_preset: static\nui_content_saturaton: 40\n")
        proc = self.run("", "presets", "--config", str(recipe))
        assert (
            proc.returncode == 2 and "ui_content_saturaton" in proc.stderr and "ui_content_saturation" in proc.stderr
        )
