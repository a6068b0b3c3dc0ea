"""Lint as a reward: ESLint on each completion, in the Node worker's lint threads (reward/js/lint.mjs), cached by code.

The rules come from an ESLint flat config: ours (reward/js/eslint.config.mjs: ESLint + typescript-eslint recommended,
React's rules of hooks and exhaustive deps as errors) or the team's own (`lint_config` in the recipe). Comments that
switch rules off (`// eslint-disable`) are ignored: the model cannot silence the linter.

Facts carry the result (`attach_lints_async` in reward/facts.py, an async tier beside the browser's); the `lint`
grader (reward/graders.py) scores it as a density, problems per 100 lines of code, mapped to [0, 1]:

    lines   = min(lines holding a token, tokens / 5)
    density = 100 x (errors + lint_warning_weight x warnings) / max(lines, lint_min_lines)
    lint    = max(0, 1 - density / lint_zero_at)

Why this mapping:
- Per 100 lines, not a count: a count would pay for writing less code (fighting `ui_content`), and a 400-line page
  with two problems is cleaner than a 40-line one with two. Lines are lines that hold a token, so padding an answer
  with blank lines or comments does not dilute its problems, and at most one per 5 tokens, so breaking the code
  into one token per line does not either (our components have 7.8-14.5 tokens per line, the real answers 6.4-9.6:
  honest formatting is never capped).
- `lint_min_lines` (20) keeps a 5-line answer's single problem from counting as 20 per 100 lines; short answers are judged
  as if they were 20 lines long.
- Linear, not a step: GRPO compares completions of one prompt, so each problem removed must raise the score (one
  error in a 100-line answer: 0.9; five: 0.5 with the defaults). `lint_zero_at` (10 per 100 lines) is where the score
  bottoms out. Measured with the default config: 23 of our 24 sample components (data/components) lint clean and the
  stopwatch has one missing effect dependency (2.8 per 100 lines: 0.72); the five real dataset answers in
  ../shared/data lint at 0, 0, 1.0, 1.6 and 3.0 per 100 lines (unused imports and variables, case declarations,
  missing effect dependencies). 10 is reached only by code that breaks a rule every ten lines.
- Warnings weigh half an error: in a team config, warnings are what the team tolerates but would rather not see.
- Gated: 0 unless the completion parses and compiles (like `interactive`): a file that does not build is not "clean".
  ESLint's own parse failure of code that esbuild compiled also scores 0, with the parser's message as the reason.
"""

import asyncio
import logging
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from reward import stats
from reward.cache import LRU
from reward.node import ToolchainError, check_node_toolchain, worker

logger = logging.getLogger(__name__)

DEFAULT_CONFIG = Path(__file__).resolve().parent / "js" / "eslint.config.mjs"
LINT_PACKAGES = ("eslint", "typescript-eslint", "eslint-plugin-react-hooks", "@eslint/js")
MIN_TOKENS_PER_LINE = 5  # a line of code holds at least this many tokens (see the module docstring)


class LintConfigError(ToolchainError):
    """The ESLint config cannot be used (missing file, syntax error, plugin not installed): a setup problem."""


@dataclass(frozen=True)
class LintOptions:
    """How ESLint runs (a recipe sets each as `lint_<name>`); how its result is scored is GraderOptions' `lint_*`."""

    config: str | None = field(
        default=None,
        metadata={
            "help": "The team's ESLint flat config (eslint.config.mjs); null: ours (reward/js/eslint.config.mjs)."
        },
    )
    filename: str = field(
        default="App.tsx",
        metadata={"help": "Path, relative to lint_config's folder, a completion is linted as (must match `files`)."},
    )
    threads: int = field(default=2, metadata={"help": "ESLint threads in each training process's Node worker."})

    def __post_init__(self):
        if self.threads < 1:
            raise ValueError(f"lint_threads must be >= 1, got {self.threads}")
        if not self.filename or Path(self.filename).is_absolute() or ".." in Path(self.filename).parts:
            raise ValueError(
                f"lint_filename must be a relative path inside lint_config's folder, got {self.filename!r}"
            )

    @property
    def config_path(self) -> Path:
        path = Path(self.config).expanduser().resolve() if self.config else DEFAULT_CONFIG
        if not path.is_file():
            raise LintConfigError(f"lint_config {path} does not exist: point lint_config at your eslint.config.mjs")
        return path


@dataclass(frozen=True)
class LintResult:
    errors: int = 0
    warnings: int = 0
    lines: int = 0  # lines that hold code
    tokens: int = 0
    parse_error: str | None = None  # ESLint's parser could not read the file
    messages: tuple[dict, ...] = field(default_factory=tuple)  # the first 20: {rule, severity, line, message}


def check_lint(options: LintOptions) -> None:
    """Fail now, with the fix, when linting cannot work: a missing config file or ESLint package."""
    _ = options.config_path
    check_node_toolchain(LINT_PACKAGES)


_cache = LRU(4096)


def _key(code: str, options: LintOptions) -> tuple:
    return (code, str(options.config_path), options.filename)


def _submit(codes: list[str], options: LintOptions) -> dict[tuple, Future]:
    """One lint request per distinct code not in the cache, answered concurrently by the worker's threads."""
    check_lint(options)
    config = str(options.config_path)
    futures = {}
    for code in codes:
        key = _key(code, options)
        if key not in _cache and key not in futures:
            futures[key] = worker().submit(
                "lint", code=code, config=config, filename=options.filename, threads=options.threads
            )
    return futures


def _store(key: tuple, msg: dict) -> LintResult | None:
    if "fatal" in msg:
        raise ToolchainError(f"lint worker failed: {msg['fatal']}")
    if msg.get("config_error"):
        raise LintConfigError(f"ESLint config unusable: {msg['config_error']}")
    if msg.get("lint_error"):  # a rule crashed on this code: not the completion's fault, so not scored
        logger.warning("ESLint failed on a completion: %s", msg["lint_error"])
        stats.count("lint_infra_failures")
        return None
    result = LintResult(
        errors=int(msg["errors"]),
        warnings=int(msg["warnings"]),
        lines=int(msg["lines"] or 0),
        tokens=int(msg["tokens"] or 0),
        parse_error=msg.get("parse_error"),
        messages=tuple(msg.get("messages", ())),
    )
    _cache.put(key, result)
    return result


def lint_many(codes: list[str], options: LintOptions | None = None, timeout: float = 120) -> list[LintResult | None]:
    """Lint every code (concurrently); None where ESLint itself failed on it. Raises LintConfigError for a bad config."""
    options = options or LintOptions()
    done = {key: _store(key, fut.result(timeout=timeout)) for key, fut in _submit(codes, options).items()}
    return [done[k] if k in done else _cache.get(k) for k in (_key(c, options) for c in codes)]


async def lint_many_async(codes: list[str], options: LintOptions | None = None) -> list[LintResult | None]:
    """lint_many without blocking the event loop, so TRL runs it beside the other async rewards (the browser)."""
    options = options or LintOptions()
    futures = _submit(codes, options)
    replies = await asyncio.gather(*(asyncio.wrap_future(f) for f in futures.values()))
    done = {key: _store(key, msg) for key, msg in zip(futures, replies, strict=True)}
    return [done[k] if k in done else _cache.get(k) for k in (_key(c, options) for c in codes)]
