"""Find the answer's code in a completion.

The answer is the text after the last `</think>` (an unclosed `<think>` means the model never answered), and its code
is exactly one fenced ```tsx/jsx/ts/js (or unlabelled) block, with any prose around it, or bare code with no fences.
Everything else is a problem with a name: no code, an unclosed fence (usually truncation), several code blocks (a
multi-file answer, which cannot run as the single App.tsx the prompt asks for), an unclosed think block.
"""

import re
from dataclasses import dataclass

CODE_LANGS = {"", "tsx", "jsx", "ts", "js", "typescript", "javascript", "react", "ts react", "typescriptreact"}
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*([\w+\- ]*?)[ \t]*$", re.MULTILINE)
# Bare code must look like a module: an import, an export or a top-level declaration at the start of a line.
BARE_CODE = re.compile(r"^\s*(import\s|export\s|const\s|let\s|function\s|interface\s|type\s|class\s)", re.MULTILINE)


@dataclass(frozen=True)
class Extraction:
    code: str | None
    problem: str | None = None  # None when code was found cleanly
    blocks: int = 0  # code blocks seen

    @property
    def ok(self) -> bool:
        return self.code is not None and self.problem is None


def strip_think(text: str) -> str | None:
    """The answer after the reasoning; None when a think block never closes."""
    if "</think>" in text:
        return text.rsplit("</think>", 1)[1]
    if "<think>" in text:
        return None
    return text


def extract_code(text: str) -> Extraction:
    answer = strip_think(text)
    if answer is None:
        return Extraction(None, "unclosed_think")
    fences = list(FENCE.finditer(answer))
    blocks: list[tuple[str, str]] = []
    i = 0
    while i < len(fences):
        opening = fences[i]
        marker, lang = opening.group(1), opening.group(2).strip().lower()
        closing = next(
            (j for j in range(i + 1, len(fences)) if fences[j].group(1)[0] == marker[0] and not fences[j].group(2)),
            None,
        )
        if closing is None:
            return Extraction(None, "unclosed_fence", len(blocks) + 1)
        blocks.append((lang, answer[opening.end() : fences[closing].start()].strip("\n")))
        i = closing + 1
    code_blocks = [body for lang, body in blocks if lang in CODE_LANGS]
    if len(code_blocks) > 1:
        return Extraction(None, "multiple_code_blocks", len(code_blocks))
    if len(code_blocks) == 1:
        code = code_blocks[0]
        return Extraction(code, None if code.strip() else "empty_code_block", 1)
    if blocks:  # only non-code blocks (e.g. ```bash npm install```)
        return Extraction(None, "no_code", 0)
    if BARE_CODE.search(answer):
        return Extraction(answer.strip("\n"), None, 0)
    return Extraction(None, "no_code", 0)
