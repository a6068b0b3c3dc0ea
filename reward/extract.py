"""Find the answer's code in a completion, the way a person reading the answer would.

1. Special tokens are ignored: `<|im_end|>`, `<|endoftext|>`, `<|eot_id|>`, `<|end|>` and any other `<|...|>` token
   anywhere; tag-like ones that could also be JSX (`</s>`, `<s>`, `<eos>`, `<end_of_turn>`, …, and the tokenizer's own
   tag-like tokens) only where a decoder leaves them: at the start or end of the text and on a fence line.
2. The answer is the text after the last `</think>`; a `<think>` that never closes means the model never answered.
3. Code is a fenced block (``` or ~~~, any info string: `tsx`, `tsx file="App.tsx"`, `jsx title=…`, `App.tsx`) in a
   JS/TS language or unlabelled, or bare code when there are no fences. Blocks in other languages (bash, css, json)
   are prose. With several code blocks, the component is the one with a default export (else the one that defines a
   component); usage snippets and shell lines around it are prose.

Problems have names: `no_code`, `empty_code_block`, `unclosed_think`, `unclosed_fence` (cut off inside the only code),
`multiple_components` (two blocks compete to be the component), `multiple_code_blocks` (several, none a component),
`local_import` (a multi-file answer: the component imports a file the other blocks define).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from reward.tsx import analyze_cached

CODE_LANGS = {
    "", "tsx", "jsx", "ts", "js", "typescript", "javascript", "react", "typescriptreact", "javascriptreact", "mjs",
}  # fmt: skip
CODE_EXTENSIONS = (".tsx", ".jsx", ".ts", ".js")
# An opening or closing fence line: the marker and the info string (CommonMark: no backtick in a backtick info).
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})([^\n]*)$", re.MULTILINE)
# Bare code must look like a module: an import, an export or a top-level declaration at the start of a line.
BARE_CODE = re.compile(r"^[ \t]*(import\s|export\s|const\s|let\s|function\s|interface\s|type\s|class\s)", re.MULTILINE)
LOCAL_IMPORT = re.compile(r"""^\s*import\b[^'"`;]*?['"](\.{1,2}/|@/|~/|src/)""", re.MULTILINE)

# Tokens that cannot be code: removed wherever they are.
ANYWHERE = r"<\|[^<>|\s]{1,64}\|>|<｜[^<>｜\s]{1,64}｜>"
# Tag-like tokens that could also be JSX (`<s>` is strikethrough): removed only where a decoder leaves them.
AT_EDGES = r"</?s>|<eos>|<bos>|<pad>|<unk>|<eot>|<end_of_turn>|<start_of_turn>|\[/?INST\]"
TAG_LIKE = re.compile(r"^(</?[A-Za-z][\w.-]*>|\[/?\w+\])$")
KEEP = {"<think>", "</think>"}  # special tokens on some tokenizers, but they mean something here


@dataclass(frozen=True)
class Extraction:
    code: str | None
    problem: str | None = None  # None when code was found cleanly
    blocks: int = 0  # code blocks seen
    cut_off: bool = False  # the text ends inside a fence or a think block (truncation, unless the ids say otherwise)

    @property
    def ok(self) -> bool:
        return self.code is not None and self.problem is None


EDGE_LITERALS = (
    "</s>",
    "<s>",
    "<eos>",
    "<bos>",
    "<pad>",
    "<unk>",
    "<eot>",
    "<end_of_turn>",
    "<start_of_turn>",
    "INST]",
)


@lru_cache(maxsize=16)
def _cleaners(special_tokens: tuple[str, ...]):
    extra = [t for t in special_tokens if t and t not in KEEP and not re.fullmatch(ANYWHERE, t)]
    anywhere = "|".join([ANYWHERE] + [re.escape(t) for t in extra if not TAG_LIKE.match(t)])
    edge = f"{anywhere}|{AT_EDGES}" + "".join(f"|{re.escape(t)}" for t in extra if TAG_LIKE.match(t))
    # Substrings that must be present for a pass to have anything to do (str.find is much cheaper than a regex).
    anywhere_hints = ("<|", "<｜", *(t for t in extra if not TAG_LIKE.match(t)))
    edge_hints = (*anywhere_hints, *EDGE_LITERALS, *(t for t in extra if TAG_LIKE.match(t)))
    return (
        anywhere_hints,
        edge_hints,
        re.compile(anywhere),
        re.compile(rf"(?:\s*(?:{edge}))+"),  # at the start (matched there only)
        re.compile(rf"(?:{edge})$"),  # at the end (searched in the last characters only)
        # on a fence line: before the marker, or after the marker and its info string
        re.compile(
            rf"^(?:{edge})+(?=[ \t]*(?:`{{3}}|~{{3}}))|(?<=`{{3}}|~{{3}})([^\n`]*?)(?:(?:{edge})[ \t]*)+$", re.M
        ),
    )


def clean(text: str, special_tokens: tuple[str, ...] = ()) -> tuple[str, bool]:
    """The text without special tokens, and whether it ended with one (an end of turn: the model stopped).

    >>> clean("```tsx\\nx\\n```<|im_end|>")
    ('```tsx\\nx\\n```', True)
    >>> clean("<p><s>old</s> new</p>")
    ('<p><s>old</s> new</p>', False)
    """
    anywhere_hints, edge_hints, anywhere, at_start, at_end, on_fence = _cleaners(tuple(special_tokens))
    ended = False
    while True:  # trailing tokens (an EOS, then padding), one at a time from the end
        stripped = text.rstrip()
        m = at_end.search(stripped, max(0, len(stripped) - 80))
        if m is None:
            break
        text, ended = stripped[: m.start()], True
    start = at_start.match(text)
    if start:
        text = text[start.end() :]
    if any(h in text for h in edge_hints):
        text = on_fence.sub(lambda m: m.group(1) or "", text)
    if any(h in text for h in anywhere_hints):
        text = anywhere.sub("", text)
    return text, ended


def strip_think(text: str) -> str | None:
    """The answer after the reasoning; None when a think block never closes."""
    if "</think>" in text:
        return text.rsplit("</think>", 1)[1]
    if "<think>" in text:
        return None
    return text


def _language(info: str) -> str:
    """`tsx file="App.tsx"` -> tsx; `tsx:src/App.tsx` -> tsx; `App.tsx` -> tsx; `{.jsx}` -> jsx."""
    head = re.split(r"[\s:,{}]+", info.strip().strip("{}").lstrip("."), maxsplit=1)[0].lower()
    if head.endswith(CODE_EXTENSIONS):
        return head.rsplit(".", 1)[1]
    return head


def _blocks(answer: str) -> tuple[list[tuple[str, str]], tuple[str, str] | None]:
    """Closed fenced blocks as (language, body), and the block still open at the end of the text (or None)."""
    fences = list(FENCE.finditer(answer))
    blocks: list[tuple[str, str]] = []
    i = 0
    while i < len(fences):
        opening = fences[i]
        marker, info = opening.group(1), opening.group(2)
        if marker[0] == "`" and "`" in info:  # not a fence: inline code at the start of a line
            i += 1
            continue
        closing = next(
            (
                j
                for j in range(i + 1, len(fences))
                if fences[j].group(1)[0] == marker[0]
                and len(fences[j].group(1)) >= len(marker)
                and not fences[j].group(2).strip()
            ),
            None,
        )
        if closing is None:
            return blocks, (_language(info), answer[opening.end() :].strip("\n"))
        blocks.append((_language(info), answer[opening.end() : fences[closing].start()].strip("\n")))
        i = closing + 1
    return blocks, None


def _pick(codes: list[str]) -> tuple[str | None, str | None]:
    """The one block that is the component, or the problem."""
    if len(codes) == 1:
        return codes[0], None
    facts = [analyze_cached(c) for c in codes]
    for qualifies in (lambda t: t.default_export, lambda t: t.defines_component):
        chosen = [c for c, t in zip(codes, facts, strict=True) if qualifies(t)]
        if len(chosen) > 1:
            return None, "multiple_components"
        if chosen:
            if LOCAL_IMPORT.search(chosen[0]):
                return None, "local_import"
            return chosen[0], None
    return None, "multiple_code_blocks"


def extract_code(text: str, special_tokens: tuple[str, ...] = (), ended: bool | None = None) -> Extraction:
    """The answer's code. `ended`: whether the model stopped by itself (from the ids; None: unknown, the text decides).

    >>> extract_code("Here it is:\\n```tsx file=\\"App.tsx\\"\\nexport default () => <p/>;\\n```<|im_end|>").code
    'export default () => <p/>;'
    """
    text, ended_by_text = clean(text, tuple(special_tokens))
    ended = ended if ended is not None else (True if ended_by_text else None)
    answer = strip_think(text)
    if answer is None:
        return Extraction(None, "unclosed_think", cut_off=not ended)
    blocks, open_block = _blocks(answer)
    if open_block is not None and ended:  # the model stopped without closing its fence: the block ends there
        blocks, open_block = [*blocks, open_block], None
    # The same block twice (a model that repeats its answer) is one answer.
    codes = list(dict.fromkeys(body for lang, body in blocks if lang in CODE_LANGS))
    cut_off = open_block is not None
    if cut_off and open_block[0] in CODE_LANGS and not any(analyze_cached(c).default_export for c in codes):
        return Extraction(None, "unclosed_fence", len(codes) + 1, cut_off=True)  # cut off inside the component
    if not codes:
        if cut_off:
            return Extraction(None, "unclosed_fence", cut_off=True)
        if blocks:  # only blocks in other languages (e.g. ```bash npm install```)
            return Extraction(None, "no_code")
        bare = BARE_CODE.search(answer)
        if bare:  # no fences: the code starts at the first line that starts a module statement
            return Extraction(answer[bare.start() :].strip("\n"))
        return Extraction(None, "no_code")
    code, problem = _pick(codes)
    if code is not None and not code.strip():
        return Extraction(None, "empty_code_block", len(codes), cut_off)
    return Extraction(code, problem, len(codes), cut_off)
