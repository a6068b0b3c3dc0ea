"""Score completions outside training: the total and the components, optionally with why each scored what it did."""

import asyncio

from reward.facts import Facts, attach_lints, attach_renders, gather
from reward.graders import GraderOptions
from reward.judge import judge_facts
from reward.registry import (
    BrowserRewardFunction,
    JudgeRewardFunction,
    LintRewardFunction,
    RewardFunction,
    build_rewards,
    grade,
)


def score(
    completions: list,
    references: list | None = None,
    preset="default",
    explain: bool = False,
    n_tokens: list[int | None] | None = None,
    hit_eos: list[bool | None] | None = None,
    completion_ids: list | None = None,
    prompts: list | None = None,
    **context,
) -> list[dict]:
    """One dict per completion: {"total", "components"} (+ "explain"). total = sum of weight x component over the
    components that apply (a None component, as TRL's nansum, adds nothing).

    `preset`: a preset name or YAML path, or a RewardArguments (a recipe's reward section). What the generator knows
    goes in as `completion_ids` (with `eos_token_ids=` the tokenizer's), or directly as `n_tokens` / `hit_eos`;
    without either, length is unknown and truncation is judged from the text. `prompts` (text or chat messages): what
    the `judge` component judges against. `context`: build_rewards' arguments
    (weights, max_completion_length, eos_token_ids, special_tokens)."""
    funcs, weights = build_rewards(preset, **context)
    facts = gather_facts(funcs, completions, references, completion_ids, n_tokens, hit_eos, prompts)
    rows = [{"total": 0.0, "components": {}} for _ in facts]
    for func, weight in zip(funcs, weights, strict=True):
        for row, f in zip(rows, facts, strict=True):
            value, why = grade_facts(func, f)
            row["components"][func.name] = None if value is None else round(value, 4)
            row["total"] += 0.0 if value is None else weight * value
            if explain:
                row.setdefault("explain", {})[func.name] = why
    for row in rows:
        row["total"] = round(row["total"], 4)
    return rows


def gather_facts(
    funcs: list[RewardFunction],
    completions: list,
    references: list | None = None,
    completion_ids: list | None = None,
    n_tokens: list[int | None] | None = None,
    hit_eos: list[bool | None] | None = None,
    prompts: list | None = None,
) -> list[Facts]:
    """What `funcs` (from build_rewards) read of each completion, gathered once for all of them: parse and compile
    each completion once, render it once when any of them reads the browser, lint it once when one reads ESLint.
    `score` and `tune` both use it."""
    probe = funcs[0]
    facts = gather(
        completions,
        references,
        completion_ids,
        eos_token_ids=probe.eos_token_ids,
        compile=any(f.component.compiles for f in funcs),
        allowed_imports=probe.allowed_imports,
        packages_dir=probe.packages_dir,
        special_tokens=probe.special_tokens,
        max_tokens=probe.max_completion_length,
        n_tokens=n_tokens,
        hit_eos=hit_eos,
    )
    if any(isinstance(f, BrowserRewardFunction) for f in funcs):
        attach_renders(facts, probe.render_options, probe.allowed_imports, probe.packages_dir)
    if any(isinstance(f, LintRewardFunction) for f in funcs):
        attach_lints(facts, probe.lint_options)
    for func in funcs:
        if isinstance(func, JudgeRewardFunction):  # no group voiding: nothing is ranked here
            asyncio.run(
                judge_facts(
                    facts, prompts, func.judge_options, func.render_options, False, probe.allowed_imports,
                    probe.packages_dir,
                )
            )  # fmt: skip
    return facts


def grade_facts(func: RewardFunction, f: Facts, options: GraderOptions | None = None) -> tuple[float | None, str]:
    """`func`'s score of one completion as training gives it, with `func`'s grader knobs or `options` (tune re-grades
    cached facts at other knob values): None where the render machinery failed, not the completion."""
    if isinstance(func, BrowserRewardFunction) and f.render_requested and f.render is None:
        return None, "render machinery failed (not the completion's fault)"
    if isinstance(func, LintRewardFunction) and f.lint_requested and f.lint is None:
        return None, "ESLint failed on it (not the completion's fault)"
    if options is None:
        return func.grade(f)
    return grade(func.name, f, options, func.component)
