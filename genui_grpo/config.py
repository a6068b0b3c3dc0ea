"""Script arguments: everything a recipe sets that is not a reward, `GRPOConfig` or `ModelConfig` field.

A recipe is one flat YAML file parsed by `trl.TrlParser(RECIPE)` into (ScriptArguments, RewardArguments, GRPOConfig,
ModelConfig); CLI flags override it. The reward section (preset, components, every grader and render knob) is
`reward.RewardArguments`. Checks that can fail before any model or data is loaded live in `__post_init__`.
"""

from dataclasses import dataclass, field

import trl

from genui_grpo.codebase import DEFAULT_STYLING
from reward import RewardArguments

DEFAULT_DATASET = "cfahlgren1/react-code-instructions"


@dataclass
class ScriptArguments(trl.ScriptArguments):
    dataset_name: str | None = field(
        default=DEFAULT_DATASET,
        metadata={
            "help": "Hub dataset id, a local dataset directory, or a local .jsonl/.json/.parquet file with rows "
            "{'messages': [system, user, assistant]}."
        },
    )
    system_prompt: str | None = field(
        default=None, metadata={"help": "Replace every row's system prompt with this text (or a path to a text file)."}
    )
    styling: str = field(
        default=DEFAULT_STYLING,
        metadata={"help": "How components are styled, as the system prompt of a built dataset states it "
                  "(`python -m genui_grpo.codebase build --config RECIPE`)."},
    )  # fmt: skip
    system_prompt_append: str | None = field(
        default=None, metadata={"help": "Text appended (after a blank line) to every row's system prompt."}
    )
    max_prompt_tokens: int = field(
        default=16000,
        metadata={"help": "Drop prompts longer than this many tokens, measured with the chat template applied."},
    )
    eval_size: float = field(
        default=0.05,
        metadata={"help": "Held-out evaluation split: a fraction (< 1) or a number of rows (>= 1). Never trained on."},
    )
    max_train_samples: int | None = field(default=None, metadata={"help": "Keep at most this many training rows."})
    split_seed: int = field(default=42, metadata={"help": "Seed of the deterministic shuffle and held-out split."})
    strict_data: bool = field(
        default=False,
        metadata={"help": "Stop at the first malformed row instead of dropping malformed rows and reporting them."},
    )
    dataset_cache_dir: str | None = field(
        default=None,
        metadata={
            "help": "Where the prepared dataset (Arrow, memory-mapped by every rank and by evaluate.py) is kept; "
            "default: <output_dir>/_prepared_data. Must be on a filesystem every node shares."
        },
    )
    snapshot_steps: int = field(
        default=50,
        metadata={
            "help": "Every N steps, render the step's best and worst completion to <output_dir>/snapshots (0: off)."
        },
    )
    vllm_dtype: str | None = field(
        default=None,
        metadata={
            "help": "dtype vLLM runs in (TRL passes none, and vLLM then picks bf16); default: the policy's dtype."
        },
    )
    vllm_enforce_eager: bool = field(
        default=False, metadata={"help": "Disable CUDA graphs / compilation in vLLM (always on for CPU runs)."}
    )
    lora_experts: bool = field(
        default=True,
        metadata={"help": "Also put LoRA on the fused MoE experts (mlp.experts.gate_up_proj / down_proj)."},
    )
    build_tiny_model: bool = field(
        default=False,
        metadata={
            "help": "Build the tiny random Qwen3-MoE at model_name_or_path first if it is not there (CPU smoke)."
        },
    )
    preflight: bool = field(
        default=True,
        metadata={
            "help": "Check the memory plan (genui_grpo/plan.py) against the GPUs at start-up, before any download."
        },
    )
    run_summary: str = field(
        default="run_summary.json", metadata={"help": "File name, inside output_dir, of the run summary."}
    )

    def __post_init__(self):
        if self.dataset_name is None:
            raise ValueError("dataset_name is required: a hub dataset id or a local .jsonl/.json/.parquet path")
        if self.max_prompt_tokens <= 0:
            raise ValueError(f"max_prompt_tokens must be positive, got {self.max_prompt_tokens}")
        if self.eval_size < 0:
            raise ValueError(f"eval_size must be >= 0 (a fraction < 1 or a row count), got {self.eval_size}")


@dataclass
class EvalArguments:
    """Evaluation settings (evaluate.py): the same for the base model and the tuned adapter."""

    eval_k: int = field(default=4, metadata={"help": "Samples per prompt and model."})
    eval_temperature: float = field(default=0.7, metadata={"help": "Sampling temperature (both models)."})
    eval_top_p: float = field(default=0.95, metadata={"help": "Nucleus sampling top_p (both models)."})
    eval_top_k: int = field(default=0, metadata={"help": "Sample from the k most likely tokens only; 0: off."})
    eval_max_tokens: int | None = field(
        default=None, metadata={"help": "Max new tokens; default: max_completion_length."}
    )
    eval_max_prompts: int = field(
        default=32, metadata={"help": "Held-out prompts to evaluate (plus the showcase set)."}
    )
    eval_showcase: str | None = field(
        default="data/showcase.jsonl",
        metadata={"help": "JSONL of fixed showcase prompts ({id, title, user}); '' for none."},
    )
    eval_backend: str = field(
        default="auto",
        metadata={"help": "auto (vLLM on GPU, else HF), hf, vllm (offline LLM) or vllm-server (loopback)."},
    )
    eval_adapter: str | None = field(
        default=None,
        metadata={"help": "LoRA adapter to evaluate; default: the recipe's output_dir. 'none': base only."},
    )
    eval_output_dir: str | None = field(default=None, metadata={"help": "Where to write; default: <output_dir>/eval."})
    eval_seed: int = field(default=1234, metadata={"help": "Sampling seed, identical for both models."})

    def __post_init__(self):
        if self.eval_k < 1 or self.eval_max_prompts < 0:
            raise ValueError("eval_k must be >= 1 and eval_max_prompts >= 0")
        if self.eval_backend not in ("auto", "hf", "vllm", "vllm-server"):
            raise ValueError(f"eval_backend must be auto, hf, vllm or vllm-server; got {self.eval_backend!r}")


# The sections of a recipe, in the order TrlParser returns them: `TrlParser(RECIPE).parse_args_and_config()`.
RECIPE = (ScriptArguments, RewardArguments, trl.GRPOConfig, trl.ModelConfig)
