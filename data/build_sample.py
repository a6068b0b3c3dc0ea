"""Regenerate data/sample.jsonl from data/components/*.tsx and data/system_prompt.md.

    python data/build_sample.py

Each component's first line is `// request: <the user's request>`; the rest is the reference answer. Rows have the exact
shape of cfahlgren1/react-code-instructions: {"messages": [system, user, assistant]}. Like the real dataset, some
answers wrap the code block in a sentence of prose.
"""

import json
from pathlib import Path

HERE = Path(__file__).parent
PREFIX = "// request:"
LEADS = [
    "",
    "Here is a complete `App.tsx` for your request.\n\n",
    "",
    "Below is a single-file implementation using React and TailwindCSS.\n\n",
]
TAILS = ["", "", "\n\nEverything lives in one file and uses mock data, so it runs as is.", ""]


def rows() -> list[dict]:
    system = (HERE / "system_prompt.md").read_text().strip()
    out = []
    for i, path in enumerate(sorted((HERE / "components").glob("*.tsx"))):
        first, _, code = path.read_text().partition("\n")
        if not first.startswith(PREFIX):
            raise ValueError(f"{path}: first line must be '{PREFIX} <the user request>'")
        answer = f"{LEADS[i % len(LEADS)]}```tsx\n{code.strip()}\n```{TAILS[i % len(TAILS)]}"
        out.append(
            {
                "messages": [
                    {"role": "system", "content": system},
                    {"role": "user", "content": first[len(PREFIX) :].strip()},
                    {"role": "assistant", "content": answer},
                ]
            }
        )
    return out


if __name__ == "__main__":
    target = HERE / "sample.jsonl"
    with target.open("w") as f:
        for row in rows():
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {target}")
