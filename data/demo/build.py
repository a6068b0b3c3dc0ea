"""Regenerate the demo's data from data/demo/components/<name>/{working,static,unwired}.tsx.

    python data/demo/build.py

Every request has three hand-written answers: `working` (interactive, wired up; its first line is
`// request: <the user's request>`), `static` (shows the content, no controls) and `unwired` (state and controls, but
the handlers are missing, empty or never set the state the page shows). Two broken answers are derived from them by
rule, so they stay in step when a component changes: `truncated` (stops after 60% of its lines) and `unclosed` (its
last closing tag removed).

Writes
- prompts.jsonl: one row per request, {"messages": [user, assistant]} with the working answer as reference, in the
  dataset's shape. No system prompt: on CPU every prompt token costs a projection onto Qwen's 151,936-token
  vocabulary in every training step, and a small model learns the task from the answers anyway. The recipes split
  the rows into held-in and held-out prompts (eval_size, split_seed).
- answers.jsonl: every answer of every request, {"request", "kind", "completion"}; the warm start (SFT) trains on the
  answers of held-in requests only.
"""

import json
import re
from pathlib import Path

HERE = Path(__file__).parent
PREFIX = "// request:"
WRITTEN = ("working", "static", "unwired")
CLOSING_TAG = re.compile(r"</[A-Za-z][\w.]*>")


def fence(code: str, closed: bool = True) -> str:
    return f"```tsx\n{code.strip()}\n" + ("```" if closed else "")


def truncated(code: str) -> str:
    """The first 60% of the lines, as when a model stops mid-file."""
    lines = code.strip().splitlines()
    return "\n".join(lines[: max(2, int(len(lines) * 0.6))])


def unclosed(code: str) -> str:
    """The last closing tag removed (and its line, when nothing else was on it)."""
    last = list(CLOSING_TAG.finditer(code))[-1]
    before, after = code[: last.start()], code[last.end() :]
    if not before.rsplit("\n", 1)[-1].strip() and not after.split("\n", 1)[0].strip():
        before, after = before.rsplit("\n", 1)[0], after
    return before + after


def components() -> list[tuple[str, dict[str, str]]]:
    """[(request, {kind: code})] in name order."""
    out = []
    for folder in sorted(p for p in (HERE / "components").iterdir() if p.is_dir()):
        first, _, working = (folder / "working.tsx").read_text().partition("\n")
        if not first.startswith(PREFIX):
            raise ValueError(f"{folder}/working.tsx: first line must be '{PREFIX} <the user request>'")
        codes = {"working": working, **{k: (folder / f"{k}.tsx").read_text() for k in WRITTEN[1:]}}
        out.append((first[len(PREFIX) :].strip(), codes))
    return out


def answers(request: str, codes: dict[str, str], index: int) -> list[dict]:
    """The three written answers and the two derived broken ones (derived from alternating sources for variety)."""
    rows = [{"request": request, "kind": kind, "completion": fence(codes[kind])} for kind in WRITTEN]
    cut_from, unclose_from = ("working", "static") if index % 2 == 0 else ("unwired", "working")
    rows.append({"request": request, "kind": "truncated", "completion": fence(truncated(codes[cut_from]), False)})
    rows.append({"request": request, "kind": "unclosed", "completion": fence(unclosed(codes[unclose_from]))})
    return rows


def render() -> dict[str, str]:
    """File name -> the text build writes (tests/test_demo.py checks the committed files are current)."""
    prompts, all_answers = [], []
    for i, (request, codes) in enumerate(components()):
        messages = [{"role": "user", "content": request}, {"role": "assistant", "content": fence(codes["working"])}]
        prompts.append({"messages": messages})
        all_answers += answers(request, codes, i)
    return {
        name: "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        for name, rows in (("prompts.jsonl", prompts), ("answers.jsonl", all_answers))
    }


def main() -> None:
    for name, text in render().items():
        (HERE / name).write_text(text)
        print(f"wrote {HERE / name} ({text.count(chr(10))} rows)")


if __name__ == "__main__":
    main()
