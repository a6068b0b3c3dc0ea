"""TRL-facing reward functions, the registry that names them, and presets.

Each reward function is a picklable callable class (TRL's async rollout workers pickle them) whose `__name__` is its
registry name, so TRL logs `rewards/<name>/mean` and `rewards/<name>/std`. Calling one with a batch returns one float
per completion and never raises because of what the model wrote. The components of a batch share one `gather` (parse
and compile once per completion per process, via caches), so listing six components costs about one.
"""

import logging

from reward import graders
from reward.compiler import DEFAULT_ALLOWED
from reward.facts import Facts, attach_renders_async, gather
from reward.judge import JudgeOptions, judge_facts
from reward.render import RenderOptions, check_browser
from reward.seed import seed_reward

logger = logging.getLogger(__name__)

# Qwen3's <|im_end|> and <|endoftext|>; train.py passes the tokenizer's own ids.
DEFAULT_EOS = (151645, 151643)


class RewardFunction:
    """Base class: subclasses set `name` and a pure `grader` (reward/graders.py), or override `grade(facts)`."""

    name = "reward"
    needs_compile = True
    needs_render = False  # scores what the browser saw (async; see RenderReward)
    render_gated = False  # pays only for a clean render when the render tier is in use

    def __init__(
        self,
        max_completion_length: int | None = None,
        eos_token_ids: tuple[int, ...] = DEFAULT_EOS,
        allowed_imports: tuple[str, ...] = DEFAULT_ALLOWED,
        render_options: RenderOptions | None = None,
        judge_options: JudgeOptions | None = None,
    ):
        self.__name__ = self.name
        self.max_completion_length = max_completion_length
        self.eos_token_ids = tuple(i for i in eos_token_ids if i is not None)
        self.allowed_imports = tuple(allowed_imports)
        self.render_options = render_options or RenderOptions()
        self.judge_options = judge_options or JudgeOptions()

    grader = None  # a pure grader from reward/graders.py: Facts -> (score, why)

    def grade(self, facts: Facts) -> graders.Graded:
        if self.grader is None:
            raise NotImplementedError(f"{type(self).__name__} sets no grader")
        return type(self).grader(facts)

    def gather(self, completions, reference=None, completion_ids=None) -> list[Facts]:
        return gather(
            completions,
            reference,
            completion_ids,
            eos_token_ids=self.eos_token_ids,
            compile=self.needs_compile,
            allowed_imports=self.allowed_imports,
        )

    def __call__(self, completions, reference=None, completion_ids=None, **kwargs) -> list[float | None]:
        facts = self.gather(completions, reference, completion_ids)
        return [self.safe_grade(f)[0] for f in facts]

    def safe_grade(self, facts: Facts) -> graders.Graded:
        try:
            return self.grade(facts)
        except Exception as err:  # a grader bug must not kill a training step; it is logged and scored 0
            logger.exception("reward %s failed on a completion", self.name)
            return 0.0, f"grader error: {err!r}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Parses(RewardFunction):
    name = "parses"
    needs_compile = False
    grader = graders.parses


class Compiles(RewardFunction):
    name = "compiles"
    grader = graders.compiles


class Complete(RewardFunction):
    name = "complete"
    needs_compile = False
    grader = graders.complete


class Interactive(RewardFunction):
    name = "interactive"
    render_gated = True
    grader = graders.interactive


class UIContent(RewardFunction):
    name = "ui_content"
    render_gated = True
    grader = graders.ui_content


class Overlong(RewardFunction):
    name = "overlong"
    needs_compile = False

    def grade(self, facts):
        return graders.overlong(facts, self.max_completion_length)


class Seed(RewardFunction):
    """The original research's reward on raw text (regression baseline; see reward/seed.py)."""

    name = "seed"
    needs_compile = False

    def grade(self, facts):
        total, parts = seed_reward(facts.text, facts.reference)
        return total, ", ".join(f"{k} {v:+.2f}" for k, v in parts.items())


class RenderReward(RewardFunction):
    """Async: TRL runs async reward functions concurrently (asyncio.gather), and all of them share one render per
    completion through the pool's in-flight requests. A completion whose render failed for infrastructure reasons
    (not because of its code) scores None, which TRL treats as "not applicable"."""

    needs_render = True

    async def __call__(self, completions, reference=None, completion_ids=None, **kwargs) -> list[float | None]:
        facts = await attach_renders_async(self.gather(completions, reference, completion_ids), self.render_options)
        return [None if f.render_requested and f.render is None else self.safe_grade(f)[0] for f in facts]


class Renders(RenderReward):
    name = "renders"
    grader = graders.renders


class RuntimeClean(RenderReward):
    name = "runtime_clean"
    grader = graders.runtime_clean


class InteractionEffective(RenderReward):
    name = "interaction_effective"
    grader = graders.interaction_effective


class Judge(RenderReward):
    """A judge model's share of the prompt's checklist met (reward/judge.py); needs TRL's `prompts` and a judge
    server (`make judge-serve`). None when the judge could not answer, which voids it for the prompt's batch-mates."""

    name = "judge"

    async def __call__(self, completions, reference=None, completion_ids=None, prompts=None, **kwargs):
        facts = await attach_renders_async(self.gather(completions, reference, completion_ids), self.render_options)
        outcomes = await judge_facts(facts, prompts, self.judge_options, self.render_options, void_groups=True)
        return [o.score for o in outcomes]

    def grade(self, facts):
        raise TypeError(
            "the judge reward needs the prompts: call it (async) with prompts=..., or use judge_completions"
        )


class RenderGated(RenderReward):
    """Adapter: a static reward that must see the render (to gate on it) when the render tier is in the same run."""

    def __init__(self, inner: RewardFunction):
        super().__init__(inner.max_completion_length, inner.eos_token_ids, inner.allowed_imports, inner.render_options)
        self.inner = inner
        self.name = self.__name__ = inner.name

    def grade(self, facts):
        return self.inner.grade(facts)

    def __repr__(self) -> str:
        return f"RenderGated({self.inner!r})"


REGISTRY: dict[str, type[RewardFunction]] = {
    cls.name: cls
    for cls in (
        Parses,
        Compiles,
        Complete,
        Interactive,
        UIContent,
        Overlong,
        Renders,
        RuntimeClean,
        InteractionEffective,
        Judge,
        Seed,
    )
}

STATIC = {"parses": 1.0, "compiles": 2.0, "complete": 1.0, "interactive": 3.0, "ui_content": 1.0, "overlong": 1.0}
PRESETS: dict[str, dict[str, float]] = {
    # Everything that needs no browser.
    "static": STATIC,
    # The best combination: the static tier plus the browser, with interactivity credit gated on a clean render.
    "default": {
        "parses": 1.0,
        "compiles": 2.0,
        "complete": 1.0,
        "interactive": 2.0,
        "ui_content": 1.0,
        "overlong": 1.0,
        "renders": 2.0,
        "runtime_clean": 1.0,
        "interaction_effective": 2.0,
    },  # fmt: skip
    # The original research's reward, for comparison only.
    "seed": {"seed": 1.0},
}
# default + a judge model checking the prompt's checklist on the rendered page (needs a judge server: make judge-serve).
PRESETS["judge"] = {**PRESETS["default"], "judge": 3.0}


def register(cls: type[RewardFunction]) -> type[RewardFunction]:
    REGISTRY[cls.name] = cls
    return cls


def build_rewards(
    preset: str | None = "default",
    names: list[str] | None = None,
    weights: list[float] | None = None,
    **params,
) -> tuple[list[RewardFunction], list[float]]:
    """Reward functions and weights, from a preset or from names (+ weights). Errors name the fix."""
    if names:
        unknown = [n for n in names if n not in REGISTRY]
        if unknown:
            raise ValueError(f"unknown reward function(s) {unknown}; available: {sorted(REGISTRY)}")
        weights = list(weights) if weights else [1.0] * len(names)
        if len(weights) != len(names):
            raise ValueError(f"{len(names)} reward_funcs but {len(weights)} reward_weights; give one weight each")
    else:
        if preset not in PRESETS:
            raise ValueError(f"unknown reward preset {preset!r}; available: {sorted(PRESETS)}")
        if weights:
            raise ValueError("reward_weights given with a preset; list reward_funcs too, or drop reward_weights")
        names, weights = list(PRESETS[preset]), list(PRESETS[preset].values())
    funcs = [REGISTRY[n](**params) for n in names]
    if any(f.needs_render for f in funcs):
        check_browser()  # fail now, with the fix, not by scoring every completion 0
        funcs = [RenderGated(f) if f.render_gated and not f.needs_render else f for f in funcs]
    return funcs, [float(w) for w in weights]
