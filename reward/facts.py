"""Everything the graders know about one completion, gathered once per batch and shared by all of them."""

from dataclasses import dataclass

from reward.cache import LRU
from reward.compiler import DEFAULT_ALLOWED, CompileResult, compile_many
from reward.extract import Extraction, extract_code
from reward.render import RenderOptions, RenderResult, render_compiled, render_compiled_async
from reward.tsx import TsxFacts, analyze

TRUNCATION_PROBLEMS = {"unclosed_fence", "unclosed_think"}


@dataclass
class Facts:
    text: str
    reference: str | None
    extraction: Extraction
    tsx: TsxFacts | None = None
    compiled: CompileResult | None = None
    n_tokens: int | None = None  # completion length in tokens, when the trainer gives ids
    hit_eos: bool | None = None  # ended with an EOS token (None when ids are unknown)
    render: "RenderResult | None" = None  # set when a render reward is in use and the code builds
    render_requested: bool = False  # a render was asked for (so a missing result means the machinery failed)

    @property
    def code(self) -> str | None:
        return self.extraction.code if self.extraction.ok else None

    @property
    def truncated(self) -> bool:
        if self.hit_eos is False:
            return True
        if self.extraction.problem in TRUNCATION_PROBLEMS:
            return True
        # Without ids: a file whose last statement does not parse was most likely cut off.
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


_tsx_cache = LRU(4096)


def _analyze_cached(code: str) -> TsxFacts:
    facts = _tsx_cache.get(code)
    if facts is None:
        facts = analyze(code)
        _tsx_cache.put(code, facts)
    return facts


def gather(
    completions: list,
    references: list | None = None,
    completion_ids: list | None = None,
    eos_token_ids: tuple[int, ...] = (),
    compile: bool = True,
    allowed_imports: tuple[str, ...] = DEFAULT_ALLOWED,
) -> list[Facts]:
    texts = [completion_text(c) for c in completions]
    references = references or [None] * len(texts)
    out = []
    for i, text in enumerate(texts):
        facts = Facts(
            text=text,
            reference=references[i] if isinstance(references[i], str) else None,
            extraction=extract_code(text),
        )
        if facts.code is not None:
            facts.tsx = _analyze_cached(facts.code)
        if completion_ids is not None and i < len(completion_ids) and completion_ids[i] is not None:
            ids = list(completion_ids[i])
            facts.n_tokens = len(ids)
            if eos_token_ids:
                facts.hit_eos = bool(ids) and ids[-1] in eos_token_ids
        out.append(facts)
    if compile:
        # Only code that parses is worth compiling; the rest fails the gate anyway.
        todo = [f for f in out if f.tsx is not None and f.tsx.parse_ok]
        for f, result in zip(todo, compile_many([f.code for f in todo], allowed_imports), strict=True):
            f.compiled = result
    return out


def _renderable(facts: list[Facts]) -> list[Facts]:
    # Only what parses and compiles goes to the browser; the rest already fails every gate.
    return [f for f in facts if f.builds]


def attach_renders(facts: list[Facts], options: RenderOptions | None = None) -> list[Facts]:
    todo = _renderable(facts)
    for f, result in zip(todo, render_compiled([f.compiled.js for f in todo], options), strict=True):
        f.render, f.render_requested = result, True
    return facts


async def attach_renders_async(facts: list[Facts], options: RenderOptions | None = None) -> list[Facts]:
    todo = _renderable(facts)
    for f, result in zip(todo, await render_compiled_async([f.compiled.js for f in todo], options), strict=True):
        f.render, f.render_requested = result, True
    return facts
