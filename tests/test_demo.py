"""The demo (`make demo`): its data, the warm start's split and cache, the recipes' agreement, and every stage run end
to end at reduced size (a few SFT and GRPO steps, a small evaluation) so none of it can rot. CPU only, no network."""

import importlib.util
import json
import re
import shutil
from collections import Counter, defaultdict

import pytest

import demo
from genui_grpo import metrics, tiny, warmstart
from reward import score
from tests.conftest import ROOT

DEMO_DATA = ROOT / "data" / "demo"
KINDS = ("working", "static", "unwired", "truncated", "unclosed")
NATIVE_CONTROL = re.compile(r"<(input|textarea|select)\b")


def load_build():
    spec = importlib.util.spec_from_file_location("demo_build", DEMO_DATA / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def answers() -> list[dict]:
    return [json.loads(line) for line in (DEMO_DATA / "answers.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def recipes():
    return demo.parse_recipes([], [], [])


def test_built_files_are_current():
    # prompts.jsonl and answers.jsonl are generated from data/demo/components: regenerate after editing a component
    for name, text in load_build().render().items():
        assert (DEMO_DATA / name).read_text() == text, f"data/demo/{name} is stale: run python data/demo/build.py"


def test_broken_answers_are_derived_as_documented():
    build = load_build()
    code = "export default function App() {\n  return (\n    <div>\n      <p>Hi</p>\n    </div>\n  );\n}\n"
    assert build.unclosed(code) == "export default function App() {\n  return (\n    <div>\n      <p>Hi</p>\n  );\n}\n"
    assert build.truncated(code) == "export default function App() {\n  return (\n    <div>\n      <p>Hi</p>"


@pytest.mark.slow
def test_answers_score_as_their_kind(answers):
    # The demo only shows something if the reward tells the kinds apart the way the data claims (default preset,
    # Chromium included): working > static > unwired > broken
    results = score([a["completion"] for a in answers], preset="default")
    by_kind, native = defaultdict(list), []
    for a, r in zip(answers, results, strict=True):
        by_kind[a["kind"]].append(r)
        if a["kind"] == "unwired" and NATIVE_CONTROL.search(a["completion"]):
            native.append(r)
    assert sorted(by_kind) == sorted(KINDS) and all(len(v) == 24 for v in by_kind.values())
    c = lambda r, name: r["components"][name]  # noqa: E731
    assert all(c(r, "compiles") == 1 and c(r, "renders") == 1 and c(r, "interaction_effective") > 0
               for r in by_kind["working"])  # fmt: skip
    assert all(c(r, "renders") == 1 and c(r, "interaction_effective") == 0 for r in by_kind["static"])
    # Unwired: the syntax tree shows no handler that changes rendered state, unlike every working answer's
    assert (
        max(c(r, "interactive") for r in by_kind["unwired"])
        <= 0
        < min(c(r, "interactive") for r in by_kind["working"])
    )
    # In the browser, controls without handlers do nothing, except native form controls: typing into an input or
    # ticking a checkbox changes the page by itself, and the render grader counts that (reward/js/harness.js)
    not_rendered = [(a["request"], r["components"]) for a, r in zip(answers, results, strict=True)
                    if a["kind"] == "unwired" and c(r, "renders") != 1]  # fmt: skip
    assert not not_rendered and 0 < len(native) < 24, not_rendered
    assert all(c(r, "interaction_effective") < 0 for r in by_kind["unwired"] if not any(r is n for n in native))
    assert all(c(r, "compiles") == 0 for r in by_kind["truncated"] + by_kind["unclosed"])
    mean = {k: sum(r["total"] for r in v) / len(v) for k, v in by_kind.items()}
    assert mean["working"] > mean["static"] > mean["unwired"] > max(mean["truncated"], mean["unclosed"])


def test_warm_start_trains_on_held_in_requests_only(recipes, answers):
    (script_args, ws_args, _), _, _ = recipes
    tokenizer = tiny.build_tokenizer()
    prompts, held_out = warmstart.split_requests(script_args, tokenizer)
    held_in = [p[-1]["content"] for p in prompts]
    assert len(held_out) == script_args.eval_size == 8 and len(held_in) == 16 and not set(held_in) & set(held_out)
    prompts = prompts[: ws_args.sft_requests]
    rows = warmstart.sft_dataset(prompts, answers, tokenizer, ws_args.working_copies)
    # Every kind of answer of each request, the working one working_copies times (the recipe sets 2)
    expected = {k: len(prompts) * (ws_args.working_copies if k == "working" else 1) for k in KINDS}
    assert ws_args.working_copies == 2 and Counter(rows["kind"]) == expected
    # The prompt is rendered exactly as GRPO and evaluate.py render it (chat template, thinking off)
    first = tokenizer.apply_chat_template(
        prompts[0], tokenize=False, add_generation_prompt=True, enable_thinking=False
    )
    assert rows[0]["prompt"] == first and first.endswith("<think>\n\n</think>\n\n")
    assert not any(h in row["prompt"] for row in rows for h in held_out)


def test_cache_key_follows_the_inputs(recipes, tmp_path, monkeypatch):
    (script_args, ws_args, sft_args), _, _ = recipes
    key, inputs = warmstart.cache_key(script_args, ws_args, sft_args)
    assert inputs["model"]["hidden_size"] == tiny.SIZES["demo"]["hidden_size"]
    # Settings that do not change the weights keep the cache
    for field, value in (("output_dir", str(tmp_path)), ("logging_steps", 1), ("report_to", ["trackio"])):
        monkeypatch.setattr(sft_args, field, value)
        assert warmstart.cache_key(script_args, ws_args, sft_args)[0] == key, field
    # A setting, the data, the model size or the code changes it
    monkeypatch.setattr(sft_args, "learning_rate", sft_args.learning_rate * 2)
    assert warmstart.cache_key(script_args, ws_args, sft_args)[0] != key
    monkeypatch.undo()
    edited = tmp_path / "answers.jsonl"
    edited.write_text((DEMO_DATA / "answers.jsonl").read_text().replace("Add", "Add it", 1))
    monkeypatch.setattr(ws_args, "answers", str(edited))
    assert warmstart.cache_key(script_args, ws_args, sft_args)[0] != key
    monkeypatch.undo()
    monkeypatch.setattr(ws_args, "working_copies", ws_args.working_copies + 1)
    assert warmstart.cache_key(script_args, ws_args, sft_args)[0] != key
    monkeypatch.undo()
    monkeypatch.setattr(ws_args, "model_size", "tiny")
    assert warmstart.cache_key(script_args, ws_args, sft_args)[0] != key
    monkeypatch.undo()
    code = tmp_path / "tiny.py"
    code.write_text(open(tiny.__file__).read() + "\n# edited\n")
    monkeypatch.setattr(tiny, "__file__", str(code))
    assert warmstart.cache_key(script_args, ws_args, sft_args)[0] != key


def test_recipes_agree_and_a_mismatch_is_refused(recipes):
    sft, grpo, _ = recipes
    demo.check_consistent(sft, grpo)
    sft[0].eval_size = 4  # the warm start would train on prompts GRPO's evaluation holds out
    with pytest.raises(SystemExit, match="eval_size: 4 in the warm start vs 8 in GRPO"):
        demo.check_consistent(sft, grpo)


@pytest.mark.slow
def test_demo_end_to_end_at_reduced_size(tmp_path):
    # Every stage of `make demo` for real, shrunk: 3 SFT steps, 2 GRPO steps, 2 held-out prompts x k=2
    warm, run = tmp_path / "warmstart", tmp_path / "run"
    sft_args = ["--output_dir", str(warm), "--max_steps", "3", "--per_device_train_batch_size", "2"]
    grpo_args = ["--model_name_or_path", str(warm), "--output_dir", str(run), "--max_steps", "2",
                 "--num_generations", "2", "--per_device_train_batch_size", "2", "--max_completion_length", "24",
                 "--snapshot_steps", "0"]  # fmt: skip
    eval_args = ["--eval_k", "2", "--eval_max_prompts", "2", "--eval_max_tokens", "24"]
    summary = demo.main(sft_args, grpo_args, eval_args)

    assert [t["stage"] for t in summary["timings"]] == ["warm start", "GRPO", "evaluate"]
    assert all(t["wall_s"] > 0 and t["cpu_s"] > 0 for t in summary["timings"])
    assert summary["n_samples_per_model"] == 4
    for row in summary["rates"]:
        for side in ("before", "after"):
            lo, hi = row[side]["ci"]
            assert 0 <= lo <= row[side]["value"] <= hi <= 1 and row[side]["n"] == 4
        assert row["verdict"].endswith(("apart", "overlap"))
    saved = json.loads((run / "demo_summary.json").read_text())
    assert saved["report"] == str(run / "eval" / "report.html") and saved["rates"] == summary["rates"]
    # The printed rates are the evaluation's own counts over its own samples, not figures from anywhere else
    results = json.loads((run / "eval" / "results.json").read_text())
    for row in summary["rates"]:
        for side, model in (("before", "base"), ("after", "tuned")):
            assert row[side] == results["metrics"][model][row["rate"]]
            got = [s for s in results["samples"] if s["model"] == model]
            assert row[side]["count"] == sum(metrics.RATES[row["rate"]](s) for s in got) and len(got) == 4

    # The warm start: a stamp with its key, the held-out requests it never saw
    stamp = json.loads((warm / warmstart.STAMP).read_text())
    assert stamp["key"] == summary["warm_start_key"] and not set(stamp["trained_on"]) & set(stamp["held_out"])
    n = len(stamp["trained_on"])
    assert stamp["answers_by_kind"] == {k: n * (2 if k == "working" else 1) for k in sorted(KINDS)}
    # The report shows the GRPO run's curves: reward, each default component, length, clipped ratio
    page = (run / "eval" / "report.html").read_text()
    assert "<h2>Training curves</h2>" in page and "No GRPO training log" not in page
    assert "interaction_effective (mean, weight 2)" in page and "Clipped ratio" in page
    # ... drawn from the GRPO run's own trainer_state.json: a point per logged step, at the logged value
    assert results["settings"]["training_log"] == str(run / "trainer_state.json")
    logged = json.loads((run / "trainer_state.json").read_text())["log_history"]
    rewards = [(e["step"], e["reward"]) for e in logged if "reward" in e]
    assert [step for step, _ in rewards] == [1, 2]
    assert all(f"<title>step {step:g}: {value:.4g}</title>" in page for step, value in rewards)
    assert results["settings"]["base"] == str(warm) and results["settings"]["adapter"] == str(run)

    # A second run reuses the cached warm start (its weights untouched) and starts GRPO afresh
    weights = warm / "model.safetensors"
    mtime = weights.stat().st_mtime_ns
    again = warmstart.main(*warmstart.parse(["--config", str(demo.SFT_RECIPE), *sft_args]))
    assert again["key"] == stamp["key"] and weights.stat().st_mtime_ns == mtime
    shutil.rmtree(run / "eval")


def test_evaluation_samples_as_grpo_was_trained(recipes):
    # The held-out rates describe the policy as GRPO samples it: the evaluation takes the GRPO recipe's temperature,
    # top_p and top_k (Qwen3's non-thinking settings), for the warm start and the tuned adapter alike
    _, (_, _, grpo, _), (_, _, evaluation, _, _) = recipes
    assert (grpo.temperature, grpo.top_k) == (0.7, 20)
    assert (evaluation.eval_temperature, evaluation.eval_top_p, evaluation.eval_top_k) == (
        grpo.temperature, grpo.top_p, grpo.top_k)  # fmt: skip
    # A flag given for the evaluation still wins, and one given for GRPO reaches both
    *_, (_, _, evaluation, _, _) = demo.parse_recipes([], ["--top_k", "0"], ["--eval_temperature", "1.0"])
    assert (evaluation.eval_temperature, evaluation.eval_top_k) == (1.0, 0)
