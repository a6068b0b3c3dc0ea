"""Training-time snapshots of the best and worst completion of a step. Real Chromium, no network."""

from collections import deque

import torch

from genui_grpo.snapshots import SnapshotCallback, pick_best_worst
from tests.conftest import component, fenced


def test_pick_best_worst_weighted_and_nan_safe():
    rewards = {"compiles": [1.0, 0.0, 1.0], "interactive": [0.5, float("nan"), 1.0]}
    best, worst, totals = pick_best_worst(["a", "b", "c"], rewards, [2.0, 3.0])
    assert (best, worst) == (2, 1) and totals == [3.5, 0.0, 5.0]


class FakeTrainer:
    reward_weights = torch.tensor([1.0])

    def __init__(self, completions, scores):
        self._logs = {
            "prompt": deque([[{"role": "user", "content": "x"}]] * len(completions)),
            "completion": deque([[{"role": "assistant", "content": c}] for c in completions]),
            "rewards": {"compiles": deque(scores)},
        }


def test_snapshot_writes_png_for_best_and_json_for_both(tmp_path):
    callback = SnapshotCallback(every_n_steps=1)
    callback.trainer = FakeTrainer([fenced(component("24")), "no code at all"], [1.0, 0.0])
    written = callback.snapshot(tmp_path, step=7)
    names = sorted(p.name for p in written)
    assert names == ["step-000007-best.json", "step-000007-best.png", "step-000007-worst.json"]
    assert (tmp_path / "step-000007-best.png").read_bytes()[:4] == b"\x89PNG"
