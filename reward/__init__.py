"""Rewards for React/TypeScript UI completions: parsed (tree-sitter), compiled (esbuild), analysed for wired-up
interactivity, and rendered and clicked in headless Chromium. Torch-free.

    from reward import RewardArguments, build_rewards, score
    funcs, weights = build_rewards("default")             # for trl.GRPOTrainer(reward_funcs=..., reward_weights=...)
    funcs, weights = build_rewards(RewardArguments(reward_preset="static", ui_content_saturation=30))
    score(["```tsx\\n...\\n```"], preset="static")         # totals and components, as `python -m reward score` prints

Components: reward/registry.py (one row each). Knobs: GraderOptions (reward/graders.py) and RenderOptions
(reward/render.py), set from a recipe through RewardArguments (reward/config.py). Presets: reward/presets/*.yaml.
"""

from reward.config import RewardArguments, load_preset, preset_names
from reward.graders import GraderOptions
from reward.registry import COMPONENTS, Component, Gate, Needs, RewardFunction, build_rewards, register
from reward.scoring import score

__all__ = [
    "COMPONENTS", "Component", "Gate", "GraderOptions", "Needs", "RewardArguments", "RewardFunction", "build_rewards",
    "load_preset", "preset_names", "register", "score",
]  # fmt: skip
