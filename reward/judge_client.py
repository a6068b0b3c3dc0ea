"""Settings of the judge model and the one call every judge request goes through.

The judge is any OpenAI-compatible chat endpoint, typically a vLLM server started with `make judge-serve RECIPE=...`.
Every request forces its answer into a JSON schema with `response_format: {"type": "json_schema", ...}` (OpenAI's
structured outputs; vLLM turns it into guided decoding), so a reply always parses; it is still validated against the
same schema here, and anything else (timeout, refused connection, HTTP error, refusal, cut-off or invalid reply) comes
back as a failure with its reason, never as an exception or a score.

In a recipe every field of `JudgeOptions` is `judge_<field>` (e.g. `judge_base_url`, `judge_mode`).
"""

import json
import logging
import os
from dataclasses import dataclass, field, fields, make_dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

RECIPE_PREFIX = "judge_"
MODES = ("image", "text")


@dataclass(frozen=True)
class JudgeOptions:
    base_url: str = field(
        default="http://127.0.0.1:8001/v1",
        metadata={"help": "OpenAI-compatible endpoint of the judge (`make judge-serve RECIPE=...` starts one)."},
    )
    model: str = field(
        default="Qwen/Qwen3-VL-30B-A3B-Instruct",
        metadata={"help": "Model the endpoint serves: a vision-language model for mode=image, any chat LLM for text."},
    )
    mode: str = field(
        default="image",
        metadata={
            "help": "image: the judge sees screenshots at phone and desktop width; text: the visible text and the "
            "accessibility tree. Both modes also get the prompt, its checklist and the code."
        },
    )
    api_key_env: str = field(
        default="JUDGE_API_KEY",
        metadata={"help": "Environment variable holding the endpoint's API key (a local vLLM server needs none)."},
    )
    concurrency: int = field(
        default=16, metadata={"help": "Judge requests in flight per process (vLLM batches them on the server)."}
    )
    timeout_s: float = field(default=120.0, metadata={"help": "Seconds before one judge request counts as failed."})
    retries: int = field(
        default=1, metadata={"help": "Retries of a request after a connection error, 429 or 5xx (with back-off)."}
    )
    temperature: float = field(
        default=0.0,
        metadata={"help": "Sampling temperature of the judge: 0 makes checklists and verdicts reproducible."},
    )
    checklists: str = field(
        default=".cache/judge/checklists.jsonl",
        metadata={
            "help": "Checklist cache: append-only JSON lines keyed by a hash of the user message, the judge model "
            "and the instructions' version (`python -m reward checklists --config RECIPE` fills it)."
        },
    )
    verdict_cache: str | None = field(
        default=None,
        metadata={"help": "Optional JSON-lines file that also keeps verdicts across runs (default: memory only)."},
    )
    min_items: int = field(default=4, metadata={"help": "Fewest requirements in a checklist."})
    max_items: int = field(default=10, metadata={"help": "Most requirements in a checklist."})
    item_chars: int = field(default=160, metadata={"help": "Longest checklist item, in characters."})
    evidence_chars: int = field(
        default=120,
        metadata={
            "help": "Per item, the judge first writes up to this many characters of evidence, then met / not met "
            "(0: verdicts only, fewer tokens)."
        },
    )
    max_prompt_chars: int = field(
        default=8000, metadata={"help": "The user message is cut to this many characters in judge requests."}
    )
    max_code_chars: int = field(
        default=24000, metadata={"help": "The code (comments removed) is cut to this many characters."}
    )
    max_text_chars: int = field(
        default=6000, metadata={"help": "Text mode: visible text and accessibility tree are each cut to this length."}
    )
    extra_body: str = field(
        default='{"chat_template_kwargs": {"enable_thinking": false}}',
        metadata={
            "help": "JSON merged into every request body (vLLM-specific keys by default; '{}' for other endpoints)."
        },
    )
    serve_tensor_parallel_size: int = field(default=1, metadata={"help": "make judge-serve: GPUs for the judge."})
    serve_max_model_len: int = field(
        default=32768, metadata={"help": "make judge-serve: context length (prompt + screenshots + code + answer)."}
    )
    serve_gpu_memory_utilization: float = field(
        default=0.9, metadata={"help": "make judge-serve: share of each GPU's memory vLLM may take."}
    )
    serve_dtype: str | None = field(default=None, metadata={"help": "make judge-serve: dtype (default: the model's)."})
    serve_args: str = field(
        default="",
        metadata={
            "help": "make judge-serve: further vLLM flags, e.g. '--mm-processor-kwargs {\"max_pixels\": 1003520}'."
        },
    )

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"judge_mode must be one of {MODES}, got {self.mode!r}")
        if not 1 <= self.min_items <= self.max_items:
            raise ValueError(
                f"judge_min_items ({self.min_items}) must be >= 1 and <= judge_max_items ({self.max_items})"
            )
        if min(self.concurrency, self.item_chars, self.timeout_s) <= 0 or self.evidence_chars < 0:
            raise ValueError("judge_concurrency, judge_item_chars and judge_timeout_s must be positive")
        try:
            body = json.loads(self.extra_body or "{}")
        except json.JSONDecodeError as err:
            raise ValueError(f"judge_extra_body is not JSON ({err.msg}): {self.extra_body!r}") from err
        if not isinstance(body, dict):
            raise ValueError(f"judge_extra_body must be a JSON object, got {self.extra_body!r}")

    @classmethod
    def from_recipe(cls, config: dict) -> "JudgeOptions":
        """The `judge_<field>` keys of a recipe (a parsed YAML mapping); other keys are ignored."""
        names = {f.name for f in fields(cls)}
        picked = {k[len(RECIPE_PREFIX) :]: v for k, v in config.items() if k.startswith(RECIPE_PREFIX)}
        unknown = sorted(set(picked) - names)
        if unknown:
            raise ValueError(
                f"unknown judge setting(s) {[RECIPE_PREFIX + k for k in unknown]}; "
                f"known: {sorted(RECIPE_PREFIX + n for n in names)}"
            )
        return cls(**picked)

    @property
    def body(self) -> dict:
        return json.loads(self.extra_body or "{}")

    def api_key(self) -> str:
        # The client needs some key; vLLM without --api-key accepts any.
        return os.environ.get(self.api_key_env) or "EMPTY"


# The recipe's view of JudgeOptions: the same fields, defaults and help as `judge_<field>`, for `TrlParser`.
JudgeArguments = make_dataclass(
    "JudgeArguments",
    [(RECIPE_PREFIX + f.name, f.type, field(default=f.default, metadata=f.metadata)) for f in fields(JudgeOptions)],
    namespace={"options": lambda self: JudgeOptions.from_recipe(vars(self))},
)


def load_recipe(path: str | Path) -> dict:
    import yaml

    config = yaml.safe_load(Path(path).read_text())
    if not isinstance(config, dict):
        raise ValueError(f"recipe {path} must be a YAML mapping")
    return config


@dataclass
class Reply:
    """A judge answer: the validated JSON object, or None and why not."""

    data: dict | None
    failure: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def unreachable(self) -> bool:
        """The server could not be reached at all (refused, reset): later requests of the batch would fail too."""
        return self.failure.startswith("connection")


def client(options: JudgeOptions):
    """An async OpenAI client for one batch (the event loop may differ between batches, e.g. asyncio.run per CLI
    call, and an httpx pool must not outlive its loop): use as `async with client(options) as c:`."""
    from openai import AsyncOpenAI

    return AsyncOpenAI(
        base_url=options.base_url,
        api_key=options.api_key(),
        timeout=options.timeout_s,
        max_retries=options.retries,
    )


async def structured_call(
    api, options: JudgeOptions, messages: list, schema: dict, name: str, max_tokens: int
) -> Reply:
    """One chat request whose answer must match `schema`. Never raises for what the server or model does."""
    import jsonschema
    import openai

    try:
        response = await api.chat.completions.create(
            model=options.model,
            messages=messages,
            max_tokens=max_tokens,
            temperature=options.temperature,
            response_format={"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": True}},
            extra_body=options.body or None,
        )
    except openai.APITimeoutError:
        return Reply(None, f"timeout after {options.timeout_s:g} s")
    except openai.APIConnectionError as err:
        return Reply(None, f"connection: {err.__cause__ or err}")
    except openai.APIStatusError as err:
        return Reply(None, f"HTTP {err.status_code}: {str(err.message)[:200]}")
    except Exception as err:  # a body that is not a chat completion (a proxy's HTML page, ...): the server's doing
        return Reply(None, f"bad response: {type(err).__name__}: {str(err)[:200]}")
    usage = response.usage
    tokens = {"prompt_tokens": usage.prompt_tokens, "completion_tokens": usage.completion_tokens} if usage else {}
    if not response.choices:
        return Reply(None, "no choices in the response", **tokens)
    choice = response.choices[0]
    if getattr(choice.message, "refusal", None):
        return Reply(None, f"refusal: {choice.message.refusal[:200]}", **tokens)
    if choice.finish_reason != "stop":
        return Reply(None, f"answer cut off (finish_reason {choice.finish_reason})", **tokens)
    try:
        # strict=False: xgrammar lets a raw tab or newline into a JSON string, which strict parsing rejects.
        data = json.loads(choice.message.content or "", strict=False)
        jsonschema.validate(data, schema)
    except json.JSONDecodeError as err:
        return Reply(None, f"unparseable answer ({err.msg})", **tokens)
    except jsonschema.ValidationError as err:
        return Reply(None, f"answer does not match the schema: {err.message[:200]}", **tokens)
    return Reply(data, **tokens)
