"""Evaluation metrics per model, with 95% confidence intervals, from scored samples.

A scored sample is a dict: {"model", "prompt_id", "sample", "text", "n_tokens", "hit_eos", "extracted",
"scores": {preset: {"total": float, "components": {name: float}}}}. Rates use the Wilson score interval (sound at 0%
and 100% and for small n); means use the normal approximation.
"""

import math

Z95 = 1.959963984540054

# Rate name -> (preset, predicate on a sample). A component missing from the preset counts as not met.
RATES = {
    "code_extracted": lambda s: bool(s["extracted"]),
    "parses": lambda s: s["scores"]["default"]["components"].get("parses") == 1.0,
    "compiles": lambda s: s["scores"]["default"]["components"].get("compiles") == 1.0,
    "renders_cleanly": lambda s: s["scores"]["default"]["components"].get("renders") == 1.0,
    "interaction_effective": lambda s: s["scores"]["default"]["components"].get("interaction_effective", 0.0) > 0,
    "truncated": lambda s: not s["hit_eos"],
}


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    if n == 0:
        return 0.0, 0.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    # Exact at the ends (the formula gives 1e-17 instead of 0 through round-off)
    return (0.0 if k == 0 else max(0.0, centre - half)), (1.0 if k == n else min(1.0, centre + half))


def mean_ci(values: list[float], z: float = Z95) -> dict:
    n = len(values)
    if n == 0:
        return {"value": None, "ci": [None, None], "n": 0}
    mean = sum(values) / n
    if n == 1:
        return {"value": mean, "ci": [mean, mean], "n": 1}
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = z * sd / math.sqrt(n)
    return {"value": mean, "ci": [mean - half, mean + half], "n": n}


def rate(k: int, n: int) -> dict:
    lo, hi = wilson(k, n)
    return {"value": k / n if n else 0.0, "ci": [lo, hi], "count": k, "n": n}


def judge_metrics(judged: list[dict]) -> dict:
    """From samples' judge outcomes ({"score", "items"}): the judge score (gated 0 for samples that do not render
    cleanly), the score over the samples it judged, the share of checklist items met (items of one sample are not
    independent: the interval is optimistic) and how often the judge answered at all."""
    scores = [j["score"] for j in judged if j["score"] is not None]
    items = [item["met"] for j in judged for item in j.get("items", [])]
    return {
        "judge_score": mean_ci(scores),
        "judge_score_rendered": mean_ci([j["score"] for j in judged if j.get("items")]),
        "checklist_items_met": rate(sum(items), len(items)),
        "judge_answered": rate(len(scores), len(judged)),
    }


def model_metrics(samples: list[dict]) -> dict:
    n = len(samples)
    out: dict = {"n_samples": n, "n_prompts": len({s["prompt_id"] for s in samples})}
    for name, pred in RATES.items():
        out[name] = rate(sum(1 for s in samples if pred(s)), n)
    presets = sorted({p for s in samples for p in s["scores"]})
    for preset in presets:
        scored = [s["scores"][preset] for s in samples if preset in s["scores"]]
        out[f"{preset}_total"] = mean_ci([r["total"] for r in scored])
        for component in sorted({c for r in scored for c in r["components"]}):
            out[f"{preset}/{component}"] = mean_ci(
                # None: not applicable (the machinery, not the sample), as TRL leaves it out
                [r["components"][component] for r in scored if r["components"].get(component) is not None]
            )
    out["length_tokens"] = mean_ci([float(s["n_tokens"]) for s in samples])
    if judged := [s["judge"] for s in samples if "judge" in s]:
        out.update(judge_metrics(judged))
    return out


def intervals_apart(a: dict, b: dict) -> bool:
    """Whether two metrics' 95% intervals do not overlap: a conservative reading of "the difference is real" (two
    intervals can overlap a little while the difference is still significant, never the other way round)."""
    if a.get("value") is None or b.get("value") is None:
        return False
    return a["ci"][0] > b["ci"][1] or b["ci"][0] > a["ci"][1]


def compare(metrics: dict[str, dict]) -> dict:
    """Per metric: tuned - base (only where both have a value)."""
    if not {"base", "tuned"} <= set(metrics):
        return {}
    base, tuned = metrics["base"], metrics["tuned"]
    return {
        k: tuned[k]["value"] - base[k]["value"]
        for k in base
        if isinstance(base[k], dict)
        and k in tuned
        and base[k].get("value") is not None
        and tuned[k].get("value") is not None
    }
