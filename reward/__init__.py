"""Rewards for React/TypeScript UI completions: parsed (tree-sitter), compiled (esbuild), analysed for wired-up
interactivity, and rendered and clicked in headless Chromium. Torch-free.

    from reward import build_rewards, score
    funcs, weights = build_rewards("default")            # for trl.GRPOTrainer(reward_funcs=..., reward_weights=...)
    score(["```tsx\\n...\\n```"], preset="static")        # totals and components, as `python -m reward score` prints
"""

from reward.registry import PRESETS, REGISTRY, RewardFunction, build_rewards, register
from reward.scoring import score

__all__ = ["PRESETS", "REGISTRY", "RewardFunction", "build_rewards", "register", "score"]
