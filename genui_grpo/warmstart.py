"""The demo's warm start: a small Qwen3-MoE fine-tuned with TRL's SFTTrainer on short components written for it.

    python -m genui_grpo.warmstart --config recipes/demo-sft.yaml

GRPO learns only where a group's samples differ in reward; a random model writes no code, so every sample scores the
same and nothing is learned. This stage gives `make demo` a policy whose samples vary: it trains a fresh model of the
`demo` size (genui_grpo/tiny.py, real Qwen3 tokenizer) on data/demo/answers.jsonl, a deliberate mix of working,
static, unwired, truncated and unclosed answers (data/demo/build.py), for held-in requests only (the first
`sft_requests` of them). The held-out requests come from the same split train.py and evaluate.py use (dataset_name,
eval_size, split_seed), so the demo's evaluation prompts are never seen, by SFT or by GRPO.

The result is cached in output_dir and rebuilt only when an input changes: the data files, the recipe's settings
(those that change the weights), the model size, this module's and tiny.py's code, and the library versions. Their
hash is stored in <output_dir>/warmstart.json.
"""

import hashlib
import json
import logging
import shutil
import sys
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from datasets import Dataset
from trl import SFTConfig, SFTTrainer, TrlParser

from genui_grpo import tiny
from genui_grpo.config import ScriptArguments
from genui_grpo.data import prepare_from_recipe

logger = logging.getLogger(__name__)

STAMP = "warmstart.json"
# Qwen3 answers directly with thinking off; train.py and evaluate.py render prompts the same way, and
# recipes/demo-grpo.yaml names the same kwargs (the demo checks that they agree).
CHAT_TEMPLATE_KWARGS = {"enable_thinking": False}
# SFTConfig fields that do not change the weights: changing them must not throw the cached warm start away.
NOT_IN_KEY = {
    "output_dir", "run_name", "report_to", "logging_steps", "logging_first_step", "logging_strategy", "save_strategy",
    "save_steps", "save_total_limit", "disable_tqdm", "log_level", "log_level_replica", "project", "push_to_hub",
    "hub_token", "hub_model_id", "hub_strategy", "hub_private_repo", "hub_always_push", "hub_revision",
    "dataloader_num_workers",
}  # fmt: skip


@dataclass
class WarmStartArguments:
    answers: str = field(
        default="data/demo/answers.jsonl",
        metadata={"help": "JSONL of {request, kind, completion}: every answer of every request (data/demo/build.py)."},
    )
    model_size: str = field(
        default="demo", metadata={"help": f"Size of the fresh Qwen3-MoE to fine-tune: one of {sorted(tiny.SIZES)}."}
    )
    sft_requests: int | None = field(
        default=None,
        metadata={
            "help": "Train on the answers of the first N held-in requests only (None: all of them). On CPU every token "
            "costs a projection onto Qwen's 151,936-token vocabulary, so a small model memorises a few requests' "
            "answers within the demo's minutes but not all of them. GRPO still trains on every held-in prompt."
        },
    )
    working_copies: int = field(
        default=1,
        metadata={
            "help": "Rows per working answer (every other kind: one). A small model reproduces short broken answers "
            "more easily than the longer working ones; more copies keep working answers among the warm start's "
            "samples, so GRPO has something to reinforce."
        },
    )
    rebuild: bool = field(default=False, metadata={"help": "Train again even when the cached warm start is current."})

    def __post_init__(self):
        if self.sft_requests is not None and self.sft_requests < 1:
            raise ValueError(f"sft_requests must be >= 1 (or unset for all held-in requests), got {self.sft_requests}")
        if self.working_copies < 1:
            raise ValueError(f"working_copies must be >= 1, got {self.working_copies}")
        if self.model_size not in tiny.SIZES:
            raise ValueError(f"model_size {self.model_size!r} is not one of {sorted(tiny.SIZES)} (genui_grpo/tiny.py)")


def split_requests(script_args: ScriptArguments, tokenizer) -> tuple[list[dict], list[str]]:
    """(held-in prompts as chat messages, held-out user requests), from the split GRPO and evaluation use."""
    splits, _ = prepare_from_recipe(script_args, tokenizer, CHAT_TEMPLATE_KWARGS)
    return list(splits["train"]["prompt"]), [p[-1]["content"] for p in splits["eval"]["prompt"]]


def sft_dataset(prompts: list[list[dict]], answers: list[dict], tokenizer, working_copies: int) -> Dataset:
    """Prompt-completion rows: the prompt rendered exactly as GRPO renders it (chat template, generation prompt,
    thinking off), the completion one written answer (a working one `working_copies` times); SFTTrainer appends EOS
    and trains on the completion only."""
    by_request: dict[str, list[dict]] = {}
    for a in answers:
        by_request.setdefault(a["request"], []).append(a)
    rows = []
    for messages in prompts:
        request = messages[-1]["content"]
        if request not in by_request:
            raise ValueError(f"no answers for the request {request!r}: rebuild them with `python data/demo/build.py`")
        text = tokenizer.apply_chat_template(
            messages, tokenize=False, add_generation_prompt=True, **CHAT_TEMPLATE_KWARGS
        )
        rows += [
            {"prompt": text, "completion": a["completion"], "kind": a["kind"]}
            for a in by_request[request]
            for _ in range(working_copies if a["kind"] == "working" else 1)
        ]
    return Dataset.from_list(rows)


def cache_key(script_args: ScriptArguments, ws_args: WarmStartArguments, sft_args: SFTConfig) -> tuple[str, dict]:
    """Hash of everything the warm start's weights depend on, and the inputs it was computed from."""
    settings = {k: v for k, v in sft_args.to_dict().items() if k not in NOT_IN_KEY}
    inputs = {
        "data": {
            path: hashlib.sha256(Path(path).read_bytes()).hexdigest()
            for path in (script_args.dataset_name, ws_args.answers)
        },
        "split": {k: getattr(script_args, k) for k in ("eval_size", "split_seed", "max_prompt_tokens")},
        "sft_requests": ws_args.sft_requests,
        "working_copies": ws_args.working_copies,
        "system_prompt": [script_args.system_prompt, script_args.system_prompt_append],
        "model": {"size": ws_args.model_size, **tiny.SIZES[ws_args.model_size]},
        "sft": settings,
        "code": {
            name: hashlib.sha256(Path(module.__file__).read_bytes()).hexdigest()
            for name, module in (("warmstart", sys.modules[__name__]), ("tiny", tiny))
        },
        "versions": {lib: version(lib) for lib in ("torch", "transformers", "trl", "datasets")},
    }
    blob = json.dumps(inputs, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16], inputs


def cached(output_dir: str | Path, key: str) -> dict | None:
    stamp = Path(output_dir) / STAMP
    if not stamp.exists():
        return None
    record = json.loads(stamp.read_text())
    return record if record.get("key") == key else None


def main(script_args: ScriptArguments, ws_args: WarmStartArguments, sft_args: SFTConfig) -> dict:
    """Fine-tune (or reuse) the warm start; returns its warmstart.json record."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s", stream=sys.stdout)
    started = time.time()
    out = Path(sft_args.output_dir)
    key, inputs = cache_key(script_args, ws_args, sft_args)
    if not ws_args.rebuild and (record := cached(out, key)):
        logger.info("warm start %s is current (key %s): reusing it", out, key)
        return record

    tokenizer = tiny.build_tokenizer()
    prompts, held_out = split_requests(script_args, tokenizer)
    prompts = prompts[: ws_args.sft_requests]
    answers = [json.loads(line) for line in Path(ws_args.answers).read_text().splitlines() if line.strip()]
    train = sft_dataset(prompts, answers, tokenizer, ws_args.working_copies)
    logger.info(
        "warm start: %d answers for %d held-in requests (%d held out)", len(train), len(prompts), len(held_out)
    )

    if out.exists():  # a stale warm start (its inputs changed): never mix old and new files
        shutil.rmtree(out)
    model = tiny.build_model(seed=sft_args.seed, size=ws_args.model_size)
    trainer = SFTTrainer(model=model, args=sft_args, train_dataset=train, processing_class=tokenizer)
    result = trainer.train()
    trainer.save_model(str(out))
    tokenizer.save_pretrained(out)

    record = {
        "key": key,
        "inputs": inputs,
        "trained_on": [p[-1]["content"] for p in prompts],  # held-in requests whose answers SFT saw
        "held_out": held_out,
        "answers_by_kind": {k: train["kind"].count(k) for k in sorted(set(train["kind"]))},
        "train_metrics": result.metrics,
        "log_history": trainer.state.log_history,
        "wall_time_s": round(time.time() - started, 1),
    }
    (out / STAMP).write_text(json.dumps(record, indent=1, default=str))  # written last: a killed run leaves no stamp
    logger.info("wrote the warm start to %s (%.0f s)", out, record["wall_time_s"])
    return record


def parse(args: list[str] | None = None) -> tuple[ScriptArguments, WarmStartArguments, SFTConfig]:
    return TrlParser((ScriptArguments, WarmStartArguments, SFTConfig)).parse_args_and_config(args)


if __name__ == "__main__":
    main(*parse())
