"""Dataset loading, validation and mapping to GRPO prompts.

Rows have the shape of cfahlgren1/react-code-instructions: {"messages": [system, user, assistant]}. Each valid row
becomes a conversational `prompt` (system + user) and a `reference` (the assistant's answer), which the rewards
receive as a keyword argument.
"""

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from datasets import Dataset, DatasetDict, load_dataset

logger = logging.getLogger(__name__)

LOCAL_FORMATS = {".jsonl": "json", ".json": "json", ".parquet": "parquet"}
EXPECTED_SHAPE = "expected messages = [system, user, assistant] with string contents"


class DataError(ValueError):
    """A dataset that cannot be used, with the row and the fix in its message."""


def row_problem(row) -> str | None:
    """Why a raw row is malformed, or None when it is usable."""
    if not isinstance(row, dict):
        return f"not an object; {EXPECTED_SHAPE}"
    if "__invalid__" in row:
        return row["__invalid__"]
    messages = row.get("messages")
    if not isinstance(messages, list) or not messages:
        return f"no 'messages' list; {EXPECTED_SHAPE}"
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or "role" not in m or "content" not in m:
            return f"message {i} is not a {{role, content}} object; {EXPECTED_SHAPE}"
        if not isinstance(m["content"], str):
            return (
                f"message {i} ({m['role']}) has non-string content ({type(m['content']).__name__}); {EXPECTED_SHAPE}"
            )
    roles = [m["role"] for m in messages]
    if "user" not in roles:
        return f"no user message (roles: {roles}); {EXPECTED_SHAPE}"
    if roles not in (["system", "user", "assistant"], ["user", "assistant"], ["system", "user"], ["user"]):
        return f"unexpected roles {roles}; {EXPECTED_SHAPE}"
    if not next(m["content"] for m in messages if m["role"] == "user").strip():
        return "empty user message"
    return None


@dataclass
class DataReport:
    total: int
    malformed: dict[int, str]
    too_long: int
    train: int
    eval: int

    def as_dict(self) -> dict:
        return {
            "rows": self.total,
            "malformed": len(self.malformed),
            "malformed_rows": dict(list(self.malformed.items())[:20]),
            "dropped_too_long": self.too_long,
            "train": self.train,
            "eval": self.eval,
        }


def load_raw(name_or_path: str, split: str = "train") -> Dataset | list[dict]:
    """A hub dataset id, or a local file whose suffix picks the format.

    Local JSON/JSONL is read with Python's json, not Arrow: one row of the wrong shape would otherwise fail the whole
    load with an Arrow type error instead of being reported (or dropped) as row N.
    """
    path = Path(name_or_path)
    if path.suffix in LOCAL_FORMATS:
        if not path.exists():
            raise DataError(f"dataset file {path} does not exist")
        if path.suffix == ".jsonl":
            rows = []
            for i, line in enumerate(path.read_text().splitlines()):
                if not line.strip():
                    continue
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as err:
                    rows.append({"__invalid__": f"line {i + 1} is not valid JSON ({err.msg})"})
            return rows
        if path.suffix == ".json":
            data = json.loads(path.read_text())
            if not isinstance(data, list):
                raise DataError(f"{path}: expected a JSON list of rows, got {type(data).__name__}")
            return data
        return load_dataset(LOCAL_FORMATS[path.suffix], data_files=str(path), split="train")
    if path.exists():
        raise DataError(f"{path}: unsupported dataset file; use one of {sorted(LOCAL_FORMATS)}")
    return load_dataset(name_or_path, split=split)


def resolve_system_prompt(text: str | None) -> str | None:
    if text and len(text) < 4096 and Path(text).is_file():
        return Path(text).read_text().strip()
    return text


def to_prompt(row: dict, system_prompt: str | None = None, system_prompt_append: str | None = None) -> dict:
    """Map a valid raw row to {prompt, reference}."""
    messages = row["messages"]
    system = next((m["content"] for m in messages if m["role"] == "system"), "")
    user = next(m["content"] for m in messages if m["role"] == "user")
    reference = next((m["content"] for m in messages if m["role"] == "assistant"), "")
    if system_prompt is not None:
        system = system_prompt
    if system_prompt_append:
        system = f"{system}\n\n{system_prompt_append}" if system else system_prompt_append
    prompt = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": user}]
    return {"prompt": prompt, "reference": reference}


def prepare_dataset(
    raw: Dataset | list[dict],
    tokenizer,
    *,
    max_prompt_tokens: int = 16000,
    eval_size: float = 0.05,
    seed: int = 42,
    strict: bool = False,
    system_prompt: str | None = None,
    system_prompt_append: str | None = None,
    max_train_samples: int | None = None,
    chat_template_kwargs: dict | None = None,
) -> tuple[DatasetDict, DataReport]:
    """Validate, map, length-filter, shuffle and split. Returns ({train, eval}, report)."""
    malformed: dict[int, str] = {}
    for i, row in enumerate(raw):
        problem = row_problem(row)
        if problem is not None:
            if strict:
                raise DataError(f"row {i}: {problem} (set strict_data: false to drop malformed rows instead)")
            malformed[i] = problem
    if malformed:
        first = next(iter(malformed.items()))
        logger.warning("dropping %d malformed row(s), e.g. row %d: %s", len(malformed), *first)
    system_prompt = resolve_system_prompt(system_prompt)
    mapped = [to_prompt(row, system_prompt, system_prompt_append) for i, row in enumerate(raw) if i not in malformed]
    if not mapped:
        raise DataError(f"no valid rows among {len(raw)}; {EXPECTED_SHAPE}")
    ds = Dataset.from_list(mapped)

    # Length is measured with the chat template applied, as the model will see the prompt.
    template_kwargs = {"add_generation_prompt": True, **(chat_template_kwargs or {})}

    def prompt_tokens(batch):
        return {
            "prompt_tokens": [
                len(tokenizer.apply_chat_template(p, tokenize=True, return_dict=True, **template_kwargs)["input_ids"])
                for p in batch["prompt"]
            ]
        }

    ds = ds.map(prompt_tokens, batched=True)
    before = len(ds)
    ds = ds.filter(lambda n: n <= max_prompt_tokens, input_columns="prompt_tokens").remove_columns("prompt_tokens")
    too_long = before - len(ds)
    if too_long:
        logger.info("dropped %d prompt(s) longer than max_prompt_tokens=%d", too_long, max_prompt_tokens)
    if len(ds) == 0:
        raise DataError(f"no usable rows left (malformed: {len(malformed)}, too long: {too_long})")

    ds = ds.shuffle(seed=seed)
    n_eval = int(round(eval_size * len(ds))) if eval_size < 1 else int(eval_size)
    n_eval = min(n_eval, len(ds) - 1)
    splits = DatasetDict(eval=ds.select(range(n_eval)), train=ds.select(range(n_eval, len(ds))))
    if max_train_samples is not None:
        splits["train"] = splits["train"].select(range(min(max_train_samples, len(splits["train"]))))
    report = DataReport(len(raw), malformed, too_long, len(splits["train"]), len(splits["eval"]))
    return splits, report


def prepare_from_recipe(script_args, tokenizer, chat_template_kwargs: dict | None) -> tuple[DatasetDict, DataReport]:
    """The recipe's dataset, validated, filtered and split. train.py and evaluate.py both call this, so evaluation
    sees exactly the held-out rows training never did."""
    return prepare_dataset(
        load_raw(script_args.dataset_name, script_args.dataset_train_split),
        tokenizer,
        max_prompt_tokens=script_args.max_prompt_tokens,
        eval_size=script_args.eval_size,
        seed=script_args.split_seed,
        strict=script_args.strict_data,
        system_prompt=script_args.system_prompt,
        system_prompt_append=script_args.system_prompt_append,
        max_train_samples=script_args.max_train_samples,
        chat_template_kwargs=chat_template_kwargs,
    )
