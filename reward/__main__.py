"""Score completions from the command line.

    python -m reward score [--preset default] [--explain] [FILE]    # JSON lines in (FILE or stdin), JSON lines out
    python -m reward presets                                         # list presets and their weights
    python -m reward tune --pairs FILE [--preset default] [--out F]  # fit weights to labelled comparisons

Each input line is {"completion": str, "reference"?: str, "id"?: any}; each output line, in input order, is
{"id", "total", "components"} (+ "explain" with --explain). total = sum over components of weight x score.
"""

import argparse
import json
import sys

from reward.node import ToolchainError
from reward.registry import PRESETS


class InputError(ValueError):
    pass


def read_rows(lines) -> list[dict]:
    rows = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"line {n}: not valid JSON ({err.msg})") from err
        if not isinstance(row, dict) or not isinstance(row.get("completion"), str):
            raise InputError(
                f'line {n}: expected an object with a string "completion" (and optional "reference", "id")'
            )
        if "reference" in row and row["reference"] is not None and not isinstance(row["reference"], str):
            raise InputError(f'line {n}: "reference" must be a string')
        rows.append(row)
    return rows


def cmd_score(args) -> int:
    from reward.scoring import score

    stream = open(args.file) if args.file and args.file != "-" else sys.stdin
    try:
        rows = read_rows(stream)
    finally:
        if stream is not sys.stdin:
            stream.close()
    results = score(
        [r["completion"] for r in rows], [r.get("reference") for r in rows], preset=args.preset, explain=args.explain
    )
    for row, result in zip(rows, results, strict=True):
        print(json.dumps({"id": row.get("id"), **result}, ensure_ascii=False))
    return 0


def cmd_presets(args) -> int:
    for name, weights in PRESETS.items():
        print(f"{name}: " + ", ".join(f"{k}={v:g}" for k, v in weights.items()))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m reward", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("score", help="score JSON-lines completions")
    p.add_argument("file", nargs="?", help="JSON-lines file (default: stdin)")
    p.add_argument("--preset", default="default", choices=sorted(PRESETS))
    p.add_argument("--explain", action="store_true", help="say why each component scored what it did")
    p.set_defaults(func=cmd_score)
    sub.add_parser("presets", help="list presets").set_defaults(func=cmd_presets)
    from reward.tune import add_parser as add_tune_parser  # issue 13: `tune` owns its arguments and its errors

    add_tune_parser(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (InputError, ToolchainError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
