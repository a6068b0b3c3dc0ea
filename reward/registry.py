"""The reward components, one row each, and the TRL-facing functions built from them.

To add a component: write a grader in reward/graders.py (Facts, GraderOptions -> (score, why), with a docstring and
an example), and add its row to COMPONENTS. Presets (reward/presets/*.yaml) then weight it by name.
The row says what the grader reads (`needs`: browser components are async and share one render per completion) and
what must hold before it pays (`gate`, applied here, so graders do not repeat it).
"""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from reward import graders, stats
from reward.compiler import DEFAULT_ALLOWED
from reward.errors import reward_bug
from reward.facts import Facts, attach_lints_async, attach_renders_async, gather
from reward.graders import DEFAULTS, GraderOptions
from reward.judge import judge_facts
from reward.judge_client import JudgeOptions
from reward.lint import LintOptions, check_lint
from reward.render import RenderOptions, check_browser

Grader = Callable[[Facts, GraderOptions], graders.Graded]


class Needs(Enum):
    """What a component reads, in increasing cost. Each level includes the ones before it."""

    TEXT = "text"  # the completion's text (and ids)
    SYNTAX = "syntax"  # the extracted code's tree-sitter facts
    ESBUILD = "esbuild"  # ... and whether esbuild compiles it
    ESLINT = "eslint"  # ... and what ESLint says of it (async, in the Node worker's lint threads)
    BROWSER = "browser"  # ... and what headless Chromium saw (async; needs the render tier). Not ESLint's output.
    JUDGE = "judge"  # ... and a judge model's verdict on it against the prompt (async; needs a judge server)


class Gate(Enum):
    """What must hold before a component pays anything (else it scores 0, with the reason)."""

    NONE = "-"
    BUILDS = "parses + compiles"
    BUILDS_RENDERS = "parses + compiles; renders cleanly if the browser tier is on"
    CLEAN_RENDER = "renders cleanly"

    def closed(self, f: Facts) -> str | None:
        """Why the gate is closed for this completion, or None when it is open."""
        if self is Gate.NONE:
            return None
        if not f.builds:
            return "gated: does not parse and compile"
        if self is Gate.BUILDS_RENDERS and f.render is not None and not f.render.clean:
            return "gated: does not render cleanly"
        if self is Gate.CLEAN_RENDER and (f.render is None or not f.render.clean):
            return "gated: does not render cleanly"
        return None


@dataclass(frozen=True)
class Component:
    grader: Grader
    needs: Needs = Needs.TEXT
    gate: Gate = Gate.NONE
    range: tuple[float, float] = (0.0, 1.0)  # with the default knobs
    checks: bool = False  # reads the render's accessibility/layout checks (RenderResult.checks)

    @property
    def compiles(self) -> bool:
        """Needs esbuild's verdict: to grade, or to check its gate."""
        return self.needs in (Needs.ESBUILD, Needs.ESLINT, Needs.BROWSER, Needs.JUDGE) or self.gate is not Gate.NONE

    @property
    def renders(self) -> bool:
        """Reads what the browser saw."""
        return self.needs in (Needs.BROWSER, Needs.JUDGE)


INF = float("inf")
S, E, L, B, T, J = Needs.SYNTAX, Needs.ESBUILD, Needs.ESLINT, Needs.BROWSER, Needs.TEXT, Needs.JUDGE
# fmt: off
COMPONENTS: dict[str, Component] = {
    # name                  grader                                    needs gated on               range
    "parses":                 Component(graders.parses,                 S, Gate.NONE,            (0.0, 1.0)),
    "compiles":               Component(graders.compiles,               E, Gate.NONE,            (0.0, 1.0)),
    "complete":               Component(graders.complete,               S, Gate.NONE,            (0.0, 1.0)),
    "interactive":            Component(graders.interactive,            E, Gate.BUILDS_RENDERS,  (-0.5, 1.0)),
    "ui_content":             Component(graders.ui_content,             E, Gate.BUILDS_RENDERS,  (0.0, 1.0)),
    "overlong":               Component(graders.overlong,               T, Gate.NONE,            (-1.0, 0.0)),
    "renders":                Component(graders.renders,                B, Gate.BUILDS,          (0.0, 1.0)),
    "runtime_clean":          Component(graders.runtime_clean,          B, Gate.CLEAN_RENDER,    (0.0, 1.0)),
    "interaction_effective":  Component(graders.interaction_effective,  B, Gate.CLEAN_RENDER,    (-0.5, 1.0)),
    "live_updates":           Component(graders.live_updates,           B, Gate.CLEAN_RENDER,    (0.0, 1.0)),
    "lint":                   Component(graders.lint,                   L, Gate.BUILDS,          (0.0, 1.0)),
    "accessible":             Component(graders.accessible,             B, Gate.CLEAN_RENDER,    (0.0, 1.0), True),
    "layout":                 Component(graders.layout,                 B, Gate.CLEAN_RENDER,    (0.0, 1.0), True),
    "judge":                  Component(graders.judge,                  J, Gate.CLEAN_RENDER,    (0.0, 1.0)),
    "seed":                   Component(graders.seed,                   T, Gate.NONE,            (-INF, 22.3)),
}
# fmt: on


def register(name: str, component: Component) -> Component:
    """Add a component (e.g. a project's own reward) under `name`, usable in presets and `reward_funcs`."""
    COMPONENTS[name] = component
    return component


def grade(
    name: str, f: Facts, options: GraderOptions = DEFAULTS, component: Component | None = None
) -> tuple[float | None, str]:
    """Component `name` (COMPONENTS[name] unless given) on one completion: the gate, then the grader.
    A bug in the reward's own code (a grader that raises, facts that could not be gathered) scores None, TRL's "not
    applicable", kept out of the advantage; it is counted as `grader_errors` and logged once (reward/errors.py)."""
    component = component or COMPONENTS[name]
    if f.error is not None:  # gathering its facts failed (logged there): nothing can be scored
        stats.count("grader_errors")
        return None, f.error
    if reason := component.gate.closed(f):
        return 0.0, reason
    try:
        return component.grader(f, options)
    except Exception as err:
        return None, reward_bug(name, f.text, err)


class RewardFunction:
    """One component as TRL calls it: a picklable callable (TRL's async rollout workers pickle reward functions) named
    after the component, so TRL logs `rewards/<name>/mean`. One float (or None) per completion; never raises because
    of what the model wrote. All functions of a batch share the per-process caches: parse and compile once each."""

    def __init__(
        self,
        name: str,
        component: Component,
        options: GraderOptions = DEFAULTS,
        render_options: RenderOptions | None = None,
        max_completion_length: int | None = None,
        eos_token_ids: tuple[int, ...] = (),
        special_tokens: tuple[str, ...] = (),
        allowed_imports: tuple[str, ...] = DEFAULT_ALLOWED,
        packages_dir: str | None = None,
        lint_options: LintOptions | None = None,
    ):
        self.__name__ = self.name = name
        self.component = component
        self.options = options
        self.render_options = render_options or RenderOptions()
        self.max_completion_length = max_completion_length
        self.eos_token_ids = tuple(i for i in eos_token_ids if i is not None)
        self.special_tokens = tuple(special_tokens)
        self.allowed_imports = tuple(allowed_imports)
        self.packages_dir = packages_dir
        self.lint_options = lint_options or LintOptions()

    def gather(self, completions, reference=None, completion_ids=None) -> list[Facts]:
        return gather(
            completions,
            reference,
            completion_ids,
            eos_token_ids=self.eos_token_ids,
            compile=self.component.compiles,
            allowed_imports=self.allowed_imports,
            packages_dir=self.packages_dir,
            special_tokens=self.special_tokens,
            max_tokens=self.max_completion_length,
        )

    def grade(self, f: Facts) -> tuple[float | None, str]:
        return grade(self.name, f, self.options, self.component)

    def __call__(self, completions, reference=None, completion_ids=None, **kwargs) -> list[float | None]:
        return [self.grade(f)[0] for f in self.gather(completions, reference, completion_ids)]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


class BrowserRewardFunction(RewardFunction):
    """Async (TRL runs async reward functions concurrently), for components that read the render: all of them share
    one render per completion through the pool's in-flight requests. A completion whose render failed for
    infrastructure reasons (not because of its code) scores None."""

    async def __call__(self, completions, reference=None, completion_ids=None, **kwargs) -> list[float | None]:
        facts = await attach_renders_async(
            self.gather(completions, reference, completion_ids),
            self.render_options,
            self.allowed_imports,
            self.packages_dir,
        )
        return [None if f.render_requested and f.render is None else self.grade(f)[0] for f in facts]


class LintRewardFunction(RewardFunction):
    """Async, like the browser tier, so TRL lints while the browser renders. A completion ESLint itself failed on (a
    rule that crashed: not the completion's fault) scores None."""

    async def __call__(self, completions, reference=None, completion_ids=None, **kwargs) -> list[float | None]:
        facts = await attach_lints_async(self.gather(completions, reference, completion_ids), self.lint_options)
        return [None if f.lint_requested and f.lint is None else self.grade(f)[0] for f in facts]


class JudgeRewardFunction(BrowserRewardFunction):
    """The judge (reward/judge.py): a model checks the rendered completion against its prompt's checklist. Reads
    TRL's `prompts`; needs a judge server (`make judge-serve`, settings `judge_*` in the recipe). None when the judge
    could not answer, and then for the prompt's other completions in the batch too (a failure never ranks them)."""

    def __init__(self, *args, judge_options: JudgeOptions | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.judge_options = judge_options or JudgeOptions()

    async def __call__(self, completions, reference=None, completion_ids=None, prompts=None, **kwargs):
        facts = await attach_renders_async(
            self.gather(completions, reference, completion_ids),
            self.render_options,
            self.allowed_imports,
            self.packages_dir,
        )
        await judge_facts(
            facts, prompts, self.judge_options, self.render_options, True, self.allowed_imports, self.packages_dir
        )
        return [self.grade(f)[0] for f in facts]

    def grade(self, f: Facts) -> tuple[float | None, str]:
        if f.judge_failure is not None:  # the judge (or the render machinery) could not answer: not applicable
            return None, f.judge_failure
        return super().grade(f)


def build_rewards(
    config="default",
    weights: list[float] | None = None,
    max_completion_length: int | None = None,
    eos_token_ids: tuple[int, ...] = (),
    special_tokens: tuple[str, ...] = (),
) -> tuple[list[RewardFunction], list[float]]:
    """Reward functions and weights for `trl.GRPOTrainer(reward_funcs=..., reward_weights=...)`.

    `config`: a RewardArguments (the recipe's reward section), or a preset name / YAML path. `weights`: GRPOConfig's
    reward_weights, used with `reward_funcs`. The rest is what the trainer knows: the length limit, the tokenizer's
    EOS ids and special tokens (without EOS ids, whether a completion stopped is judged from its text). What may be
    imported (allowed_packages, packages_dir) and how ESLint runs (lint_*) are the reward section's.
    """
    from reward.config import RewardArguments

    args = config if isinstance(config, RewardArguments) else RewardArguments(reward_preset=config)
    chosen = args.weights(weights)
    unknown = [n for n in chosen if n not in COMPONENTS]
    if unknown:
        raise ValueError(f"unknown reward component(s) {unknown}; available: {sorted(COMPONENTS)}")
    browser = any(COMPONENTS[n].renders for n in chosen)
    if browser:
        check_browser()  # fail now, with the fix, not by scoring every completion 0
    lint_options = args.lint_options()
    if any(COMPONENTS[n].needs is Needs.ESLINT for n in chosen):
        check_lint(lint_options)  # a missing config or ESLint package fails now, not at the first step
    allowed, packages_dir = args.allowed_imports(), args.packages_path()
    render_options = args.render_options()
    # The checks cost a few ms per render: run them when some component reads them (and always if one does)
    render_options = dataclasses.replace(render_options, checks=any(COMPONENTS[n].checks for n in chosen))
    funcs = []
    for name in chosen:
        component = COMPONENTS[name]
        # Render-gated static components see the render when the browser tier is in the same run.
        uses_render = component.renders or (browser and component.gate is Gate.BUILDS_RENDERS)
        cls = BrowserRewardFunction if uses_render else RewardFunction
        cls = LintRewardFunction if component.needs is Needs.ESLINT else cls
        extra = {}
        if component.needs is Needs.JUDGE:
            cls, extra = JudgeRewardFunction, {"judge_options": args.judge_options()}
        funcs.append(
            cls(name, component, args.grader_options(), render_options, max_completion_length,
                tuple(eos_token_ids or ()), tuple(special_tokens or ()), allowed, packages_dir, lint_options, **extra)
        )  # fmt: skip
    return funcs, list(chosen.values())
