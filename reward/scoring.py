"""Score completions outside training: the total and the components, optionally with why each scored what it did."""

from reward.facts import attach_renders
from reward.registry import build_rewards


def score(
    completions: list,
    references: list | None = None,
    preset: str = "default",
    explain: bool = False,
    n_tokens: list[int] | None = None,
    hit_eos: list[bool] | None = None,
    **params,
) -> list[dict]:
    """One dict per completion: {"total", "components"} (+ "explain"). total = sum of weight x component.
    `n_tokens` / `hit_eos` tell the length and truncation rewards what the generator knows (else: from the text)."""
    funcs, weights = build_rewards(preset, **params)
    rows = [{"total": 0.0, "components": {}} for _ in completions]
    # One gather serves every component: parse and compile each completion once.
    probe = next((f for f in funcs if f.needs_compile), funcs[0])
    facts = probe.gather(completions, references)
    for i, f in enumerate(facts):
        f.n_tokens = n_tokens[i] if n_tokens else f.n_tokens
        f.hit_eos = hit_eos[i] if hit_eos else f.hit_eos
    if any(f.needs_render for f in funcs):
        attach_renders(facts, probe.render_options)
    for func, weight in zip(funcs, weights, strict=True):
        for row, f in zip(rows, facts, strict=True):
            if func.needs_render and f.render_requested and f.render is None:
                value, why = 0.0, "render machinery failed (not the completion's fault)"
            else:
                value, why = func.safe_grade(f)
            row["components"][func.name] = round(value, 4)
            row["total"] += weight * value
            if explain:
                row.setdefault("explain", {})[func.name] = why
    for row in rows:
        row["total"] = round(row["total"], 4)
    return rows
