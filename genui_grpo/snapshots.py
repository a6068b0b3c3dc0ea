"""Training-time insight: every N steps, the best and the worst completion of the latest step, rendered to PNG.

Writes <output_dir>/snapshots/step-000050-best.png (+ .json with the completion, prompt, total and per-reward scores)
and the same for -worst. A completion that does not build or render gets its JSON only. Reads the completions TRL
keeps for logging (`trainer._logs`, filled every step whatever `log_completions` says); read-only.
"""

import json
import logging
from pathlib import Path

from transformers import TrainerCallback

from reward.compiler import DEFAULT_ALLOWED
from reward.extract import extract_code
from reward.facts import completion_text
from reward.render import RenderOptions, render_many

logger = logging.getLogger(__name__)


def pick_best_worst(
    completions: list, rewards: dict[str, list[float]], weights: list[float]
) -> tuple[int, int, list[float]]:
    names = list(rewards)
    totals = [
        sum(
            w * (rewards[n][i] if rewards[n][i] == rewards[n][i] else 0.0) for n, w in zip(names, weights, strict=True)
        )
        for i in range(len(completions))
    ]  # NaN (a reward that did not apply) counts as 0
    best = max(range(len(totals)), key=totals.__getitem__)
    worst = min(range(len(totals)), key=totals.__getitem__)
    return best, worst, totals


class SnapshotCallback(TrainerCallback):
    def __init__(
        self,
        every_n_steps: int = 50,
        render_options: RenderOptions | None = None,
        allowed_imports: tuple[str, ...] = DEFAULT_ALLOWED,
        packages_dir: str | None = None,
    ):
        self.every = every_n_steps
        # The reward's options (train.py passes the recipe's): screenshots go to the same workers, no extra browser.
        self.render_options = render_options or RenderOptions()
        self.packages = {
            "allowed": tuple(allowed_imports),
            "packages_dir": packages_dir,
        }  # what completions may import
        self.trainer = None  # set by train.py after the trainer exists

    def on_step_end(self, args, state, control, **kwargs):
        if (
            self.every <= 0
            or state.global_step % self.every
            or not state.is_world_process_zero
            or self.trainer is None
        ):
            return
        try:
            self.snapshot(Path(args.output_dir) / "snapshots", state.global_step)
        except Exception:  # insight must never stop training
            logger.exception("snapshot at step %d failed", state.global_step)

    def snapshot(self, folder: Path, step: int) -> list[Path]:
        logs = self.trainer._logs
        completions, prompts = list(logs["completion"]), list(logs["prompt"])
        rewards = {name: list(values) for name, values in logs["rewards"].items()}
        if not completions or not rewards:
            return []
        weights = self.trainer.reward_weights.tolist()
        best, worst, totals = pick_best_worst(completions, rewards, weights)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for tag, i in (("best", best), ("worst", worst)):
            text = completion_text(completions[i])
            stem = folder / f"step-{step:06d}-{tag}"
            record = {"step": step, "total": totals[i], "rewards": {n: v[i] for n, v in rewards.items()},
                      "prompt": prompts[i], "completion": text}  # fmt: skip
            stem.with_suffix(".json").write_text(json.dumps(record, indent=1, default=str))
            written.append(stem.with_suffix(".json"))
            extraction = extract_code(text)
            if extraction.ok:
                (result,) = render_many([extraction.code], self.render_options, screenshot=True, **self.packages)
                if result is not None and result.screenshot:
                    stem.with_suffix(".png").write_bytes(result.screenshot)
                    written.append(stem.with_suffix(".png"))
        return written
