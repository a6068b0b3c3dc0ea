"""The red-team table: a preset's total per red-team case (tests/redteam_cases.py) and per real dataset row.

    python benchmarks/redteam_table.py [--preset default|FILE.yaml] [--json out.json] [--alone]

Cases are scored in one batch in the interleaved order of the test suite (each non-honest case followed by an
honest one, `name#after-other`);
--alone scores each case in a batch of its own. Prints class, case, total and why the render components scored so.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reward import score  # noqa: E402
from tests.redteam_cases import CASES, interleaved  # noqa: E402

RENDER = ("renders", "runtime_clean", "interaction_effective")


def fenced(code: str) -> str:
    return f"```tsx\n{code.strip()}\n```"


def dataset_rows() -> dict[str, str]:
    path = ROOT.parent / "shared" / "data" / "react-code-instructions.first5.jsonl"
    if not path.exists():
        return {}
    rows = [json.loads(line)["messages"][2]["content"] for line in path.read_text().splitlines()]
    return {f"dataset_row{i}": text for i, text in enumerate(rows)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", help="also write {case: total} here")
    parser.add_argument("--alone", action="store_true", help="score every case in a batch of its own")
    parser.add_argument("--preset", default="default", help="preset name or YAML file, e.g. one `reward tune` wrote")
    args = parser.parse_args()
    batch = interleaved() if not args.alone else [(n, code) for n, (_, code) in CASES.items()]
    texts = {name: fenced(code) for name, code in batch} | dataset_rows()
    classes = {name: CASES[name.split("#")[0]][0] for name, _ in batch} | {n: "dataset" for n in dataset_rows()}
    names = list(texts)
    if args.alone:
        rows = [score([texts[n]], preset=args.preset, explain=True)[0] for n in names]
    else:
        rows = score([texts[n] for n in names], preset=args.preset, explain=True)
    out = {}
    for name, row in zip(names, rows, strict=True):
        out[name] = row["total"]
        why = "; ".join(f"{k}={row['components'].get(k)} ({row['explain'].get(k, '')[:60]})" for k in RENDER)
        print(f"{classes[name]:<12} {name:<30} {row['total']:>6.2f}   {why}")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
