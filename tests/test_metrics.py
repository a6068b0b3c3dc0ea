"""Evaluation metrics on hand-made scored samples, with exact expected rates. No network."""

import pytest

from genui_grpo.metrics import compare, intervals_apart, mean_ci, model_metrics, wilson


def sample(
    prompt="p1",
    extracted=True,
    parses=1.0,
    compiles=1.0,
    renders=1.0,
    effective=0.5,
    total=8.0,
    seed=17.0,
    eos=True,
    n=100,
):
    return {
        "model": "base", "prompt_id": prompt, "sample": 0, "text": "", "n_tokens": n, "hit_eos": eos, "extracted": extracted,
        "scores": {
            "default": {"total": total, "components": {"parses": parses, "compiles": compiles, "renders": renders, "interaction_effective": effective}},
            "seed": {"total": seed, "components": {"seed": seed}},
        },
    }  # fmt: skip


SAMPLES = [
    sample(),  # all good
    sample(prompt="p2", effective=-0.5, total=6.0, n=200),  # renders, buttons do nothing
    sample(prompt="p2", compiles=0.0, renders=0.0, effective=0.0, total=2.0, seed=20.0),  # parses, does not compile
    sample(
        prompt="p3",
        extracted=False,
        parses=0.0,
        compiles=0.0,
        renders=0.0,
        effective=0.0,
        total=0.0,
        seed=16.0,
        eos=False,
    ),
]


class TestModelMetrics:
    def test_rates(self):
        m = model_metrics(SAMPLES)
        assert (m["n_samples"], m["n_prompts"]) == (4, 3)
        assert m["code_extracted"]["value"] == 0.75 and m["code_extracted"]["count"] == 3
        assert m["parses"]["value"] == 0.75
        assert m["compiles"]["value"] == 0.5
        assert m["renders_cleanly"]["value"] == 0.5
        # Only the first sample's clicks changed anything
        assert m["interaction_effective"]["value"] == 0.25
        assert m["truncated"]["value"] == 0.25

    def test_means(self):
        m = model_metrics(SAMPLES)
        assert m["default_total"]["value"] == pytest.approx(4.0)
        assert m["seed_total"]["value"] == pytest.approx(17.5)
        assert m["default/compiles"]["value"] == pytest.approx(0.5)
        assert m["length_tokens"]["value"] == pytest.approx(125.0)

    def test_a_none_component_is_left_out_of_its_mean(self):
        # accessible/layout are None where the checks' machinery failed: not applicable, like TRL's nansum
        rows = [sample(), sample(prompt="p2")]
        rows[0]["scores"]["default"]["components"]["accessible"] = 0.4
        rows[1]["scores"]["default"]["components"]["accessible"] = None
        m = model_metrics(rows)
        assert m["default/accessible"]["value"] == pytest.approx(0.4) and m["default/accessible"]["n"] == 1

    def test_compare(self):
        tuned = [
            dict(
                s,
                scores={
                    **s["scores"],
                    "default": {**s["scores"]["default"], "total": s["scores"]["default"]["total"] + 1},
                },
            )
            for s in SAMPLES
        ]
        d = compare({"base": model_metrics(SAMPLES), "tuned": model_metrics(tuned)})
        assert d["default_total"] == pytest.approx(1.0) and d["compiles"] == 0.0


class TestIntervals:
    def test_wilson_known_value(self):
        # 5/10 at 95%: [0.2366, 0.7634]
        lo, hi = wilson(5, 10)
        assert lo == pytest.approx(0.2366, abs=1e-4) and hi == pytest.approx(0.7634, abs=1e-4)

    def test_wilson_extremes_stay_in_range(self):
        assert wilson(0, 14)[0] == 0.0 and 0.2 < wilson(0, 14)[1] < 0.25
        assert wilson(14, 14)[1] == 1.0

    def test_mean_ci(self):
        r = mean_ci([1.0, 2.0, 3.0])
        assert r["value"] == 2.0 and r["ci"][0] == pytest.approx(2 - 1.96 * 1 / 3**0.5, abs=1e-3)
        assert mean_ci([])["value"] is None


def test_intervals_apart_reads_the_wilson_intervals():
    def rate(k, n):
        lo, hi = wilson(k, n)
        return {"value": k / n, "ci": [lo, hi]}

    # 20% -> 60% of 128 samples: Wilson intervals [14%, 28%] and [51%, 68%] are apart, in either order
    assert intervals_apart(rate(26, 128), rate(77, 128)) and intervals_apart(rate(77, 128), rate(26, 128))
    # The same rise on 10 samples each is within the noise: [6%, 51%] vs [31%, 83%] overlap
    assert not intervals_apart(rate(2, 10), rate(6, 10))
    # Identical rates, and a missing value, are never "apart"
    assert not intervals_apart(rate(5, 10), rate(5, 10))
    assert not intervals_apart({"value": None, "ci": [None, None]}, rate(5, 10))
