"""Dataset loading, validation, mapping to GRPO prompts and the held-out split, prepared once and shared.

Rows have the shape of cfahlgren1/react-code-instructions: {"messages": [system, user, assistant]}. Each valid row
becomes a conversational `prompt` (system + user) and a `reference` (the assistant's answer), which the rewards
receive as a keyword argument.

The first process to ask prepares: one batched `datasets.map` (over the cores when the data is large) validates,
maps and measures every row, where a local JSONL file is read as raw line spans so that a malformed line is reported
by its row index instead of failing an Arrow load, and hub or Parquet data is mapped from the Arrow it already is.
Overlong prompts are dropped, the rest shuffled and split, and the splits published as Arrow (genui_grpo/prepared.py);
every other rank, a rerun with the same inputs, and evaluate.py load them memory-mapped instead of preparing again.
"""

import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
from datasets import Dataset, DatasetDict, Features, List, Value, load_dataset
from datasets import config as datasets_config

from genui_grpo import prepared
from genui_grpo.prompt_tokens import PromptTokens

logger = logging.getLogger(__name__)

LOCAL_FORMATS = {".jsonl": "json", ".json": "json", ".parquet": "parquet"}
EXPECTED_SHAPE = "expected messages = [system, user, assistant] with string contents"
# Below this many rows, worker processes cost more than they save
PARALLEL_MIN_ROWS = 5000
MAX_WORKERS = 8
BATCH_ROWS = 500
ROW_FEATURES = Features(
    {
        "prompt": List({"role": Value("string"), "content": Value("string")}),
        "reference": Value("string"),
        "prompt_tokens": Value("int32"),
        "problem": Value("string"),  # why the row is malformed; null when it is usable
        "blank": Value("bool"),  # an empty JSONL line: skipped, and not a row
    }
)


class DataError(ValueError):
    """A dataset that cannot be used, with the row and the fix in its message."""


def row_problem(row) -> str | None:
    """Why a raw row is malformed, or None when it is usable."""
    if not isinstance(row, dict):
        return f"not an object; {EXPECTED_SHAPE}"
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


@dataclass(frozen=True)
class PrepareSettings:
    """Everything besides the rows and the tokenizer that decides the prepared splits; all of it keys the cache."""

    max_prompt_tokens: int
    eval_size: float
    split_seed: int
    strict: bool
    system_prompt: str | None  # the text, already read from a file where the recipe names one
    system_prompt_append: str | None
    max_train_samples: int | None
    chat_template_kwargs: dict = field(default_factory=dict)

    @classmethod
    def from_recipe(cls, script_args, chat_template_kwargs: dict | None) -> "PrepareSettings":
        return cls(
            max_prompt_tokens=script_args.max_prompt_tokens,
            eval_size=script_args.eval_size,
            split_seed=script_args.split_seed,
            strict=script_args.strict_data,
            system_prompt=resolve_system_prompt(script_args.system_prompt),
            system_prompt_append=script_args.system_prompt_append,
            max_train_samples=script_args.max_train_samples,
            chat_template_kwargs=dict(chat_template_kwargs or {}),
        )


@dataclass
class DataReport:
    total: int
    malformed: dict[int, str]
    too_long: int
    train: int
    eval: int
    prepared: str = ""  # the directory the splits are memory-mapped from
    reused: bool = False  # loaded from there rather than prepared by this process

    def as_dict(self) -> dict:
        return {
            "rows": self.total,
            "malformed": len(self.malformed),
            "malformed_rows": dict(list(self.malformed.items())[:20]),
            "dropped_too_long": self.too_long,
            "train": self.train,
            "eval": self.eval,
            "prepared": self.prepared,
            "reused": self.reused,
        }


##########################
# Reading rows: each source becomes a small Arrow dataset plus a decoder that turns one batch of it into raw rows
##########################


class Invalid:
    """A row that could not even be decoded (bad JSON or UTF-8)."""

    def __init__(self, problem: str):
        self.problem = problem


BLANK = object()  # an empty JSONL line


class JsonlLines:
    """Decode a batch of line spans of a JSONL file. Lines are read from the file by each worker, never all at once."""

    def __init__(self, path: Path):
        self.path = path

    def __call__(self, batch: dict, indices: list[int]) -> list:
        starts, ends = batch["start"], batch["end"]
        with open(self.path, "rb") as f:
            f.seek(starts[0])
            block = f.read(ends[-1] - starts[0])
        rows = []
        for start, end, i in zip(starts, ends, indices, strict=True):
            raw = block[start - starts[0] : end - starts[0]]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                rows.append(Invalid(f"line {i + 1} is not valid UTF-8"))
                continue
            if not line.strip():
                rows.append(BLANK)
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as err:
                rows.append(Invalid(f"line {i + 1} is not valid JSON ({err.msg})"))
        return rows


def line_spans(path: Path) -> Dataset:
    """[start, end) byte offsets of every line (without its newline), found with numpy 16 MB at a time."""
    newlines, offset = [], 0
    with open(path, "rb") as f:
        while block := f.read(1 << 24):
            newlines.append(np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == ord("\n")) + offset)
            offset += len(block)
    ends = np.concatenate([*newlines, np.array([], dtype=np.int64)])
    if offset and (not len(ends) or ends[-1] != offset - 1):
        ends = np.append(ends, offset)  # a last line without a newline
    starts = np.concatenate([[0], ends[:-1] + 1]) if len(ends) else ends
    return Dataset.from_dict({"start": starts.astype(np.int64), "end": ends.astype(np.int64)})


def arrow_messages(batch: dict, indices: list[int]) -> list:
    return [{"messages": m} for m in batch["messages"]]


class JsonList:
    """A .json file is one JSON document: it is parsed whole, as it has to be."""

    def __init__(self, rows: list):
        self.rows = rows

    def __call__(self, batch: dict, indices: list[int]) -> list:
        return [self.rows[i] for i in indices]


def open_source(name_or_path: str, split: str, config: str | None) -> tuple[dict, Dataset | None]:
    """(identity for the cache key, the dataset when it must be loaded to be identified: hub datasets, directories).

    A local file is identified by its bytes, and read only when it has to be prepared."""
    path = Path(name_or_path)
    if path.suffix in LOCAL_FORMATS:
        if not path.exists():
            raise DataError(f"dataset file {path} does not exist")
        return {"file": path.suffix, "xxh3": prepared.file_digest(path)}, None
    if path.exists() and not path.is_dir():
        raise DataError(f"{path}: unsupported dataset file; use one of {sorted(LOCAL_FORMATS)}")
    # A hub id or a local dataset directory (a downloaded snapshot): Arrow either way. Its fingerprint hashes the
    # builder configuration: the resolved revision of a hub dataset, the files' modification times of a directory.
    raw = load_dataset(name_or_path, config, split=split)
    return {"hub": name_or_path, "config": config, "split": split, "fingerprint": raw._fingerprint}, raw


def rows_to_map(name_or_path: str, raw: Dataset | None) -> tuple[Dataset, object, bool]:
    """(the dataset to map over, its batch decoder, whether worker processes may share the work)."""
    path = Path(name_or_path)
    if raw is None and path.suffix == ".jsonl":
        return line_spans(path), JsonlLines(path), True
    if raw is None and path.suffix == ".json":
        data = json.loads(path.read_text())
        if not isinstance(data, list):
            raise DataError(f"{path}: expected a JSON list of rows, got {type(data).__name__}")
        return Dataset.from_dict({"i": np.arange(len(data))}), JsonList(data), False
    if raw is None:
        raw = load_dataset(LOCAL_FORMATS[path.suffix], data_files=str(path), split="train")
    if "messages" not in raw.column_names:
        raise DataError(f"{name_or_path} has no 'messages' column (columns: {raw.column_names}); {EXPECTED_SHAPE}")
    return raw.select_columns(["messages"]), arrow_messages, True


class MapRows:
    """One batch of raw rows -> ROW_FEATURES columns: validated, mapped to {prompt, reference} and measured."""

    def __init__(self, decode, tokenizer, settings: PrepareSettings):
        self.decode = decode
        self.settings = settings
        self.measure = PromptTokens(tokenizer, settings.chat_template_kwargs)

    def __call__(self, batch: dict, indices: list[int]) -> dict:
        out = {name: [] for name in ROW_FEATURES}
        for row in self.decode(batch, indices):
            problem = row.problem if isinstance(row, Invalid) else None if row is BLANK else row_problem(row)
            usable = problem is None and row is not BLANK
            mapped = to_prompt(row, self.settings.system_prompt, self.settings.system_prompt_append) if usable else {}
            out["prompt"].append(mapped.get("prompt", []))
            out["reference"].append(mapped.get("reference", ""))
            out["problem"].append(problem)
            out["blank"].append(row is BLANK)
        usable = [p for p in out["prompt"] if p]
        lengths = iter(self.measure(usable))
        out["prompt_tokens"] = [next(lengths) if p else -1 for p in out["prompt"]]
        return out


##########################
# Preparing: map, report, filter, split, publish
##########################


def workers(n_rows: int, parallel: bool) -> int | None:
    if not parallel or n_rows < PARALLEL_MIN_ROWS:
        return None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    n = min(cores, MAX_WORKERS)
    return n if n > 1 else None  # datasets starts a pool even for num_proc=1


def build(
    name_or_path: str, raw: Dataset | None, tokenizer, settings: PrepareSettings, out: Path, work: Path
) -> DataReport:
    """Prepare the splits into the (staging) directory `out`, with intermediate files in `work`."""
    source, decode, parallel = rows_to_map(name_or_path, raw)
    rows = source.map(
        MapRows(decode, tokenizer, settings),
        batched=True,
        batch_size=BATCH_ROWS,
        with_indices=True,
        remove_columns=source.column_names,
        features=ROW_FEATURES,
        num_proc=workers(len(source), parallel),
        cache_file_name=str(work / "rows.arrow"),
        new_fingerprint=prepared.digest(out.name)[:32],  # no hashing of the tokenizer: nothing is reused here
        desc="Validating and measuring rows",
    )
    blank = rows.data.column("blank").to_numpy()
    problem = rows.data.column("problem")
    tokens = rows.data.column("prompt_tokens").to_numpy()

    # Row numbers count rows, not blank lines, as before
    row_index = np.cumsum(~blank) - 1
    bad = np.flatnonzero(pc.is_valid(problem).to_numpy(zero_copy_only=False))
    malformed = {int(row_index[i]): p for i, p in zip(bad, problem.take(bad).to_pylist(), strict=True)}
    if malformed and settings.strict:
        first, why = next(iter(malformed.items()))
        raise DataError(f"row {first}: {why} (set strict_data: false to drop malformed rows instead)")
    if malformed:
        logger.warning("dropping %d malformed row(s), e.g. row %d: %s", len(malformed), *next(iter(malformed.items())))
    total = int((~blank).sum())
    valid = tokens >= 0
    if not valid.any():
        raise DataError(f"no valid rows among {total}; {EXPECTED_SHAPE}")
    # Length is measured with the chat template applied, as the model will see the prompt
    short = valid & (tokens <= settings.max_prompt_tokens)
    too_long = int(valid.sum() - short.sum())
    if too_long:
        logger.info("dropped %d prompt(s) longer than max_prompt_tokens=%d", too_long, settings.max_prompt_tokens)
    if not short.any():
        raise DataError(f"no usable rows left (malformed: {len(malformed)}, too long: {too_long})")

    # The same shuffle of the same kept rows as always: numpy's default_rng(split_seed) permutation
    ds = rows.select_columns(["prompt", "reference"]).select(np.flatnonzero(short))
    ds = ds.shuffle(seed=settings.split_seed, keep_in_memory=True)
    n_eval = int(round(settings.eval_size * len(ds))) if settings.eval_size < 1 else int(settings.eval_size)
    n_eval = min(n_eval, len(ds) - 1)
    splits = DatasetDict(eval=ds.select(range(n_eval)), train=ds.select(range(n_eval, len(ds))))
    if settings.max_train_samples is not None:
        splits["train"] = splits["train"].select(range(min(settings.max_train_samples, len(splits["train"]))))
    # An empty split (eval_size: 0) would be saved as zero shards, which load_from_disk cannot read back
    splits.save_to_disk(str(out), num_shards={name: 1 for name, split in splits.items() if len(split) == 0})
    return DataReport(total, malformed, too_long, len(splits["train"]), len(splits["eval"]))


def prepare_dataset(
    name_or_path: str,
    tokenizer,
    settings: PrepareSettings,
    cache_dir: str | Path,
    split: str = "train",
    config: str | None = None,
) -> tuple[DatasetDict, DataReport]:
    """The {train, eval} splits and their report: loaded from `cache_dir` when this exact preparation was published
    there (by another rank, an earlier run, or train.py for evaluate.py), else prepared and published."""
    source, raw = open_source(name_or_path, split, config)
    key = prepared.cache_key(source, tokenizer, asdict(settings))
    final = prepared.entry_dir(Path(cache_dir), Path(name_or_path).name, key)
    found = prepared.load(final)
    reused = found is not None
    if not reused:
        rank = os.environ.get("RANK", "0")
        if rank != "0":
            logger.warning(
                "rank %s: no prepared dataset at %s, preparing it here; if rank 0 prepared it already, that "
                "directory is not on a filesystem shared by every node: set dataset_cache_dir to one that is",
                rank,
                final,
            )
        logger.info("Preparing %s into %s", name_or_path, final)
        staging = prepared.staging_dir(final)
        # Beside the staging directory, not in it: a file still open there cannot be deleted on NFS
        work = staging.with_name(f"{staging.name}.work")
        try:
            report = build(name_or_path, raw, tokenizer, settings, staging, work)
            prepared.write_json(staging / prepared.REPORT, asdict(report))
            prepared.write_json(staging / prepared.KEY, key)
            prepared.publish(staging, final)
        finally:
            prepared.remove(work)
            prepared.remove(staging)  # already gone once published
        found = prepared.load(final)
    splits, saved = found
    saved["malformed"] = {int(i): why for i, why in saved["malformed"].items()}  # JSON object keys are strings
    report = DataReport(**{**saved, "prepared": str(final), "reused": reused})
    if reused:
        logger.info("Loaded the prepared dataset from %s", final)
    return splits, report


def default_cache_dir(script_args, output_dir: str | None) -> Path:
    """The recipe's dataset_cache_dir, else beside the run (<output_dir>/_prepared_data: on the filesystem every node
    of a multi-node run shares, where evaluate.py looks, and skipped by Trainer.push_to_hub's "_*" ignore pattern),
    else the datasets cache."""
    if script_args.dataset_cache_dir:
        return Path(script_args.dataset_cache_dir)
    if output_dir:
        return Path(output_dir) / "_prepared_data"
    return Path(datasets_config.HF_DATASETS_CACHE) / "genui_grpo_prepared"


def prepare_from_recipe(
    script_args, tokenizer, chat_template_kwargs: dict | None, output_dir: str | None = None
) -> tuple[DatasetDict, DataReport]:
    """The recipe's dataset, validated, filtered and split. train.py and evaluate.py both call this with the run's
    output_dir, so evaluation loads exactly the held-out rows training never did."""
    return prepare_dataset(
        script_args.dataset_name,
        tokenizer,
        PrepareSettings.from_recipe(script_args, chat_template_kwargs),
        default_cache_dir(script_args, output_dir),
        split=script_args.dataset_train_split,
        config=script_args.dataset_config,
    )
