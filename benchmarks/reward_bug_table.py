"""Scores of issue 12's failing inputs (tests/reward_cases.py) under the static and default presets.

    python benchmarks/reward_bug_table.py [--presets static,default] [--json OUT]      # this checkout's reward/
    cd /work/main && python /path/to/benchmarks/reward_bug_table.py --json before.json  # another checkout's reward/
    python benchmarks/reward_bug_table.py --compare before.json after.json              # side by side

Scores go through the calling convention TRL uses (build_rewards, then each function called with the batch and the
completion ids), which is the same on every version of the package, so "before" and "after" are comparable. The
`reward` package is imported from the current directory; the cases always come from this file's checkout.
"""

import argparse
import asyncio
import inspect
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def load_cases():
    sys.path.insert(0, str(HERE / "tests"))
    import reward_cases

    sys.path.pop(0)
    return reward_cases.CASES


def components(preset: str, case) -> dict[str, float]:
    from reward import build_rewards

    params = {"eos_token_ids": case.eos} if case.eos else {}
    funcs, weights = build_rewards(preset, **params)
    ids = [list(case.ids)] if case.ids else None
    out = {}
    for func, weight in zip(funcs, weights, strict=True):
        value = func([case.text], completion_ids=ids)
        value = asyncio.run(value) if inspect.iscoroutine(value) else value
        out[func.__name__] = (weight, value[0])
    return out


def analysis(case) -> str:
    """The static analysis behind the scores: wired/dead handlers, live states, conditionals, keyed/unkeyed lists."""
    from reward.extract import extract_code
    from reward.tsx import analyze

    e = extract_code(case.text)
    if not e.ok:
        return f"no code ({e.problem})"
    t = analyze(e.code)
    return (
        f"wired {t.wired_handlers}, dead {t.dead_handlers}, live {len(t.live_states)}, "
        f"cond {t.conditional_renders}, keyed {t.keyed_lists}/unkeyed {t.unkeyed_lists}"
    )


def measure(presets: list[str]) -> dict:
    sys.path.insert(0, os.getcwd())  # the checkout being measured
    table = {}
    for name, case in load_cases().items():
        row = {"analysis": analysis(case)}
        for preset in presets:
            parts = components(preset, case)
            row[preset] = round(sum(w * (v or 0.0) for w, v in parts.values()), 2)
            if "interactive" in parts:
                row[f"{preset}:interactive"] = round(parts["interactive"][1] or 0.0, 3)
        table[name] = row
    return table


def print_table(before: dict, after: dict | None = None) -> None:
    cases = load_cases()
    cols = list(next(iter(before.values())))
    head = " | ".join(f"{c} before | {c} after" if after else c for c in cols)
    print(f"| case | like | {head} |")
    print("|---|---|" + "---|" * (len(cols) * (2 if after else 1)))
    for name, row in before.items():
        cells = " | ".join(f"{row[c]} | {after[name][c]}" if after else str(row[c]) for c in cols)
        print(f"| {name} | {cases[name].like or ''} | {cells} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--presets", default="static,default")
    parser.add_argument("--json", help="also write the table here")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        before, after = (json.loads(Path(p).read_text()) for p in args.compare)
        print_table(before, after)
        return
    table = measure(args.presets.split(","))
    if args.json:
        Path(args.json).write_text(json.dumps(table, indent=1))
    print_table(table)


if __name__ == "__main__":
    main()
