"""evaluate.py end to end on the tiny model (base vs a LoRA adapter), the report's structure, and the report itself
rendered in headless Chromium. CPU only, no network."""

import json
import re
import subprocess

import pytest
import torch
from peft import get_peft_model
from transformers import AutoModelForCausalLM
from trl import GRPOConfig, ModelConfig, TrlParser

import evaluate
from genui_grpo.config import EvalArguments, ScriptArguments
from genui_grpo.modeling import lora_config
from reward import RewardArguments
from reward.render import find_chromium
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def adapter(tiny_model_dir, tmp_path_factory):
    """A LoRA adapter with non-zero B (so 'tuned' differs from 'base') saved like train.py saves one."""
    out = tmp_path_factory.mktemp("adapter")
    model = get_peft_model(
        AutoModelForCausalLM.from_pretrained(tiny_model_dir),
        lora_config(ModelConfig(use_peft=True, lora_r=4, lora_alpha=8, lora_dropout=0.0)),
    )
    torch.manual_seed(0)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.2)
    model.save_pretrained(out)
    return out


def run_eval(tiny_model_dir, adapter, out, *extra):
    args = TrlParser((ScriptArguments, RewardArguments, EvalArguments, GRPOConfig, ModelConfig)).parse_args_and_config(
        ["--config", str(ROOT / "recipes/tiny-cpu.yaml"), "--model_name_or_path", str(tiny_model_dir),
         "--eval_adapter", str(adapter), "--eval_output_dir", str(out), "--eval_k", "2", "--eval_max_tokens", "16",
         "--eval_max_prompts", "2", *extra]
    )  # fmt: skip
    return evaluate.main(*args)


@pytest.fixture(scope="module")
def hf_eval(tiny_model_dir, adapter, tmp_path_factory):
    out = tmp_path_factory.mktemp("eval")
    return run_eval(tiny_model_dir, adapter, out, "--eval_backend", "hf"), out


def test_results_json(hf_eval):
    results, out = hf_eval
    saved = json.loads((out / "results.json").read_text())
    assert saved["settings"]["n_prompts"] == 5 and saved["settings"]["n_showcase"] == 3
    assert set(saved["metrics"]) == {"base", "tuned"}
    # 5 prompts x k=2 per model, each scored with the recipe's rewards and both presets
    assert saved["metrics"]["base"]["n_samples"] == 10
    assert all(set(s["scores"]) == {"recipe", "default", "seed"} for s in saved["samples"])
    # tiny-cpu.yaml's rewards are the default preset with its knobs: the recipe's scores are the default's
    # (the default's rows also carry why each component scored what it did, for the report)
    assert all(
        s["scores"]["recipe"][k] == s["scores"]["default"][k]
        for s in saved["samples"]
        for k in ("total", "components")
    )
    # Identical settings: the same prompts and k for both models
    by_model = {
        m: sorted((s["prompt_id"], s["sample"]) for s in saved["samples"] if s["model"] == m)
        for m in ("base", "tuned")
    }
    assert by_model["base"] == by_model["tuned"]
    assert "default_total" in saved["delta"] and "recipe_total" in saved["delta"]


def test_report_structure(hf_eval):
    _, out = hf_eval
    page = (out / "report.html").read_text()
    assert page.count("<section class=prompt") == 5
    assert "Renders cleanly" in page and "Δ tuned − base" in page
    # Every held-out prompt shows the dataset's reference, rendered: real screenshots are embedded
    assert page.count("<h4>dataset reference</h4>") == 2 and len(re.findall(r"data:image/png;base64,", page)) >= 2
    assert page.count("<details>") >= 5 * 4
    assert "[showcase] Ride booking" in page


def test_report_renders_in_chromium(hf_eval, tmp_path):
    # People look at this page: open it in headless Chromium and check the screenshot is a real, non-blank image
    _, out = hf_eval
    shot = tmp_path / "report.png"
    subprocess.run(
        [find_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,2000",
         f"--screenshot={shot}", f"file://{out / 'report.html'}"],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000


def test_missing_adapter_is_a_clear_error(tiny_model_dir, tmp_path):
    with pytest.raises(FileNotFoundError, match="adapter_config.json missing"):
        run_eval(tiny_model_dir, tmp_path / "nope", tmp_path / "out")


def test_vllm_server_backend(tiny_model_dir, adapter, tmp_path):
    # The tuned adapter is merged and served by a real vLLM server on loopback (CPU build), like on a GPU box
    results = run_eval(
        tiny_model_dir,
        adapter,
        tmp_path,
        "--eval_backend",
        "vllm-server",
        "--eval_max_prompts",
        "1",
        "--eval_showcase",
        "",
    )
    assert results["settings"]["backend"] == "vllm-server"
    assert (
        results["metrics"]["tuned"]["n_samples"] == 2 and len(list((tmp_path / "merged").glob("*/config.json"))) == 1
    )
    assert all(s["n_tokens"] > 0 for s in results["samples"])


def test_merged_checkpoint_follows_the_adapter(tiny_model_dir, adapter, tmp_path):
    # After more training the adapter file changes: the merged checkpoint must be rebuilt, never served stale
    import shutil

    from genui_grpo.generation import merge_adapter

    local = tmp_path / "adapter"
    shutil.copytree(adapter, local)
    first = merge_adapter(str(tiny_model_dir), str(local), tmp_path / "merged", "float32")
    assert merge_adapter(str(tiny_model_dir), str(local), tmp_path / "merged", "float32") == first
    weights = local / "adapter_model.safetensors"
    weights.write_bytes(weights.read_bytes())  # same content, new mtime: treated as a new adapter
    assert merge_adapter(str(tiny_model_dir), str(local), tmp_path / "merged", "float32") != first


def test_a_checkpoint_saved_with_router_logits_on_still_generates(tiny_model_dir, tmp_path):
    # TRL's SFTTrainer saves MoE configs with output_router_logits on (the demo's warm start). Loaded as saved, every
    # forward computes the load-balancing loss and cached generation fails; evaluate.py and train.py load it off.
    from genui_grpo.generation import SamplingSettings, generate_hf, prompt_ids
    from genui_grpo.modeling import router_logits_off
    from genui_grpo.tiny import build_tokenizer

    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir, dtype=torch.float32)
    model.config.output_router_logits = True
    model.save_pretrained(tmp_path)
    tokenizer = build_tokenizer()
    tokenizer.save_pretrained(tmp_path)
    assert router_logits_off(str(tmp_path)) == {"output_router_logits": False}
    assert router_logits_off(str(tiny_model_dir)) == {}  # saved off: nothing to change
    prompt = prompt_ids(tokenizer, [[{"role": "user", "content": "Hi"}]], {"enable_thinking": False})
    # The failure it prevents, as loaded (a batch of 2: with one sequence the shapes happen to broadcast)
    with pytest.raises(RuntimeError, match="must match the size"):
        AutoModelForCausalLM.from_pretrained(tmp_path).generate(torch.tensor(prompt * 2), max_new_tokens=3)
    settings = SamplingSettings(k=2, temperature=1.0, top_p=1.0, top_k=0, max_tokens=3, seed=0)
    (samples,) = generate_hf(str(tmp_path), None, tokenizer, prompt, settings, "float32")
    assert len(samples) == 2 and all(s.n_tokens >= 1 for s in samples)


def test_top_k_reaches_generation(tiny_model_dir):
    # eval_top_k is passed to generate(), as 0 (off) rather than None (which would fall back to the checkpoint's
    # generation_config): with top_k 1, temperature 1 samples the most likely token at every step, so every sample of
    # a prompt is the same; with it off, the random tiny model's near-uniform 151k-token distribution never repeats
    from genui_grpo.generation import SamplingSettings, generate_hf, prompt_ids
    from genui_grpo.tiny import build_tokenizer

    tokenizer = build_tokenizer()
    prompt = prompt_ids(tokenizer, [[{"role": "user", "content": "Hi"}]], {"enable_thinking": False})

    def texts(top_k):
        settings = SamplingSettings(k=4, temperature=1.0, top_p=1.0, top_k=top_k, max_tokens=6, seed=0)
        (samples,) = generate_hf(str(tiny_model_dir), None, tokenizer, prompt, settings, "float32")
        return [s.text for s in samples]

    assert len(set(texts(1))) == 1
    assert len(set(texts(0))) == 4
