"""Registry, presets, TRL-facing calling convention, pickling and the CLI. No network."""

import asyncio
import inspect
import json
import pickle
import subprocess
import sys

import pytest

from reward import PRESETS, REGISTRY, build_rewards
from tests.conftest import ROOT, component, fenced

GOOD = fenced(component("24"))


class TestRegistry:
    def test_names_match_registry_keys(self):
        # TRL logs rewards/<__name__>/mean
        for name, cls in REGISTRY.items():
            assert cls().__name__ == name

    def test_preset(self):
        funcs, weights = build_rewards("static")
        assert [f.__name__ for f in funcs] == list(PRESETS["static"])
        assert weights == list(PRESETS["static"].values())

    def test_names_with_weights(self):
        funcs, weights = build_rewards(None, names=["compiles", "interactive"], weights=[1, 2])
        assert [f.__name__ for f in funcs] == ["compiles", "interactive"] and weights == [1.0, 2.0]

    def test_unknown_name(self):
        with pytest.raises(ValueError, match="unknown reward function.*available"):
            build_rewards(None, names=["compiless"])

    def test_unknown_preset(self):
        with pytest.raises(ValueError, match="unknown reward preset"):
            build_rewards("nope")

    def test_weight_count_mismatch(self):
        with pytest.raises(ValueError, match="2 reward_funcs but 1 reward_weights"):
            build_rewards(None, names=["parses", "compiles"], weights=[1.0])

    def test_pickle_roundtrip(self):
        # Async rollout workers pickle reward functions (static ones here; render ones below)
        funcs, _ = build_rewards("static", max_completion_length=128)
        for f in funcs:
            clone = pickle.loads(pickle.dumps(f))
            assert clone.__name__ == f.__name__ and clone([GOOD]) == f([GOOD])

    def test_pickle_render_preset(self):
        funcs, _ = build_rewards("default")
        clones = [pickle.loads(pickle.dumps(f)) for f in funcs]
        assert [c.__name__ for c in clones] == list(PRESETS["default"])


class TestTRLConvention:
    def test_conversational_completions_and_kwargs(self):
        # TRL passes [{"role": "assistant", "content": ...}] plus every dataset column and trainer extras
        f = REGISTRY["compiles"]()
        out = f(
            prompts=[[{"role": "user", "content": "x"}]] * 2,
            completions=[[{"role": "assistant", "content": GOOD}], [{"role": "assistant", "content": "no"}]],
            completion_ids=[[1, 2, 151645], [3]],
            reference=[GOOD, GOOD],
            trainer_state=object(),
            log_metric=lambda *a: None,
        )
        assert out == [1.0, 0.0]

    def test_never_raises_on_garbage(self):
        # Bad model output of every shape scores, it never raises (async render rewards are awaited, as TRL does)
        garbage = [None, 42, "", "\x00\x01", "<think>", "```", [{"role": "assistant", "content": None}]]
        for name, cls in REGISTRY.items():
            out = cls()(garbage)
            if inspect.iscoroutine(out):
                out = asyncio.run(out)
            assert len(out) == 7 and all(isinstance(v, float) for v in out), name


class TestCLI:
    def run(self, stdin: str, *args) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "reward", "score", *args], input=stdin, capture_output=True, text=True, cwd=ROOT
        )

    def test_scores_in_order_with_ids(self):
        lines = [{"id": "good", "completion": GOOD}, {"id": 7, "completion": ""}]
        proc = self.run("\n".join(json.dumps(x) for x in lines), "--preset", "static", "--explain")
        assert proc.returncode == 0, proc.stderr
        out = [json.loads(x) for x in proc.stdout.splitlines()]
        assert [o["id"] for o in out] == ["good", 7]
        assert out[0]["total"] > out[1]["total"] == 0.0
        assert set(out[0]["components"]) == set(PRESETS["static"]) and "explain" in out[0]

    def test_malformed_line_names_the_line(self):
        proc = self.run(json.dumps({"completion": GOOD}) + "\n{oops\n", "--preset", "static")
        assert proc.returncode == 2 and "line 2" in proc.stderr
