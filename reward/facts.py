"""Everything the graders know about one completion, gathered once per batch and shared by all of them."""

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from reward.compiler import DEFAULT_ALLOWED, CompileResult, compile_many
from reward.errors import reward_bug
from reward.extract import Extraction, extract_code
from reward.lint import LintOptions, LintResult, lint_many, lint_many_async
from reward.render import RenderOptions, RenderResult, render_compiled, render_compiled_async
from reward.tsx import TsxFacts, analyze_cached


@dataclass
class Facts:
    text: str
    reference: str | None
    extraction: Extraction
    tsx: TsxFacts | None = None
    compiled: CompileResult | None = None
    n_tokens: int | None = None  # completion length in tokens, when the trainer gives ids
    max_tokens: int | None = None  # the generation's max_completion_length, when known
    hit_eos: bool | None = None  # ended with an EOS token (None when ids or EOS ids are unknown)
    render: "RenderResult | None" = None  # set when a render reward is in use and the code builds
    render_requested: bool = False  # a render was asked for (so a missing result means the machinery failed)
    lint: "LintResult | None" = None  # set when the lint reward is in use and the code builds
    lint_requested: bool = False  # linting was asked for (so a missing result means ESLint itself failed)
    error: str | None = None  # the reward's own code failed on this completion: every component scores None

    @property
    def code(self) -> str | None:
        return self.extraction.code if self.extraction.ok else None

    @property
    def truncated(self) -> bool:
        """Cut off by the length limit. The ids know (EOS or not); only without them does the text decide."""
        if self.hit_eos is not None:
            return not self.hit_eos
        if self.extraction.cut_off:
            return True
        # A file whose last statement does not parse was most likely cut off.
        return self.tsx is not None and not self.tsx.parse_ok and self.tsx.last_statement_error

    @property
    def builds(self) -> bool:
        """Parses and compiles: the gate for every reward that credits behaviour."""
        return bool(self.tsx and self.tsx.parse_ok and self.compiled and self.compiled.ok)


def completion_text(completion) -> str:
    """TRL passes conversational completions as [{"role": "assistant", "content": ...}], or plain strings."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, list):
        return "".join(
            m.get("content") or "" if isinstance(m, dict) and isinstance(m.get("content"), str) else ""
            for m in completion
        )
    if isinstance(completion, dict) and isinstance(completion.get("content"), str):
        return completion["content"]
    return ""


def gather(
    completions: list,
    references: list | None = None,
    completion_ids: list | None = None,
    eos_token_ids: tuple[int, ...] = (),
    compile: bool = True,
    allowed_imports: tuple[str, ...] = DEFAULT_ALLOWED,
    packages_dir: str | None = None,
    special_tokens: tuple[str, ...] = (),
    max_tokens: int | None = None,
    n_tokens: list[int | None] | None = None,
    hit_eos: list[bool | None] | None = None,
) -> list[Facts]:
    """Facts for a batch. `eos_token_ids` are the tokenizer's (none: whether a completion stopped is unknown, and the
    text decides); `special_tokens` are its special tokens' texts, ignored wherever they appear in the answer.
    `allowed_imports` (react, react-dom and the recipe's allowed packages) resolve from `packages_dir` (a node_modules
    folder; None: the reward's own).
    A generator that kept lengths and stop reasons but not ids passes them as `n_tokens` / `hit_eos`."""
    texts = [completion_text(c) for c in completions]
    references = references or [None] * len(texts)
    out = []
    for i, text in enumerate(texts):
        length = n_tokens[i] if n_tokens else None
        stopped = hit_eos[i] if hit_eos else None
        if completion_ids is not None and i < len(completion_ids) and completion_ids[i] is not None:
            ids = list(completion_ids[i])
            length = len(ids)
            if eos_token_ids:
                stopped = bool(ids) and ids[-1] in eos_token_ids
        try:
            extraction, error = extract_code(text, special_tokens, ended=stopped), None
        except Exception as err:  # a bug here must cost this completion's score, not the training step
            extraction, error = Extraction(None, "reward_bug"), reward_bug("extraction", text, err, count=False)
        facts = Facts(
            text=text,
            reference=references[i] if isinstance(references[i], str) else None,
            extraction=extraction,
            n_tokens=length,
            max_tokens=max_tokens,
            hit_eos=stopped,
            error=error,
        )
        out.append(facts)
    codes = list(dict.fromkeys(f.code for f in out if f.code is not None))
    # esbuild (in the Node worker) compiles the batch while this thread parses and analyses it.
    compiled = _background().submit(compile_many, codes, allowed_imports, packages_dir) if compile and codes else None
    for f in out:
        if f.code is not None:
            try:
                f.tsx = analyze_cached(f.code)
            except Exception as err:
                f.error = reward_bug("analysis", f.text, err, count=False)
    if compiled is not None:
        results = dict(zip(codes, compiled.result(), strict=True))
        for f in out:  # code that does not parse fails every gate anyway: it stays "not compiled"
            if f.tsx is not None and f.tsx.parse_ok:
                f.compiled = results[f.code]
    return out


_executor: tuple[int, ThreadPoolExecutor] | None = None


def _background() -> ThreadPoolExecutor:
    """This process's helper thread (a forked child gets its own: its parent's thread does not exist there)."""
    global _executor
    if _executor is None or _executor[0] != os.getpid():
        _executor = (os.getpid(), ThreadPoolExecutor(1, thread_name_prefix="reward-compile"))
    return _executor[1]


def facts_of(text: str, reference: str | None = None, ids: list[int] | None = None, eos=(), **kwargs) -> Facts:
    """The Facts of one completion (examples and tests): `facts_of(text, ids=[...], eos=[2], max_tokens=100)`."""
    return gather([text], [reference], [ids] if ids is not None else None, tuple(eos), **kwargs)[0]


def _renderable(facts: list[Facts]) -> list[Facts]:
    # Only what parses and compiles goes to the browser; the rest already fails every gate.
    return [f for f in facts if f.builds]


def attach_renders(
    facts: list[Facts],
    options: RenderOptions | None = None,
    allowed_imports: tuple[str, ...] = DEFAULT_ALLOWED,
    packages_dir: str | None = None,
) -> list[Facts]:
    """Render what builds; `allowed_imports` / `packages_dir`: as gathered (the page loads the allowed packages)."""
    todo = _renderable(facts)
    js = [f.compiled.js for f in todo]
    for f, result in zip(
        todo, render_compiled(js, options, allowed=allowed_imports, packages_dir=packages_dir), strict=True
    ):
        f.render, f.render_requested = result, True
    return facts


async def attach_renders_async(
    facts: list[Facts],
    options: RenderOptions | None = None,
    allowed_imports: tuple[str, ...] = DEFAULT_ALLOWED,
    packages_dir: str | None = None,
) -> list[Facts]:
    todo = _renderable(facts)
    rendered = await render_compiled_async([f.compiled.js for f in todo], options, allowed_imports, packages_dir)
    for f, result in zip(todo, rendered, strict=True):
        f.render, f.render_requested = result, True
    return facts


def attach_lints(facts: list[Facts], options: LintOptions | None = None) -> list[Facts]:
    todo = _renderable(facts)  # linting code that does not build is moot: the lint gate is closed
    for f, result in zip(todo, lint_many([f.code for f in todo], options), strict=True):
        f.lint, f.lint_requested = result, True
    return facts


async def attach_lints_async(facts: list[Facts], options: LintOptions | None = None) -> list[Facts]:
    todo = _renderable(facts)
    for f, result in zip(todo, await lint_many_async([f.code for f in todo], options), strict=True):
        f.lint, f.lint_requested = result, True
    return facts
