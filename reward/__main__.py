"""Score completions from the command line.

    python -m reward score [--preset default] [--explain] [FILE]    # JSON lines in (FILE or stdin), JSON lines out
    python -m reward presets                                         # list presets and their weights
    python -m reward checklists --config RECIPE [--limit N]          # judge checklists for the recipe's dataset

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

    if "judge" in PRESETS[args.preset]:
        raise InputError(
            "the judge needs each completion's prompt and a judge server; score it through training or evaluate.py"
        )

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


def recipe_user_messages(config: dict) -> list[str]:
    """The user message of every well-formed row of the recipe's dataset (hub id or local file), in order."""
    from genui_grpo.config import DEFAULT_DATASET
    from genui_grpo.data import load_raw, row_problem
    from reward.checklists import user_message

    return [
        user_message(row) for row in load_raw(config.get("dataset_name") or DEFAULT_DATASET) if not row_problem(row)
    ]


def cmd_checklists(args) -> int:
    import asyncio

    import yaml

    from reward.checklists import precompute
    from reward.judge_client import JudgeOptions, load_recipe

    config = load_recipe(args.config)
    if len(args.overrides) % 2:
        raise InputError(f"overrides come in pairs (--judge_base_url URL); got {args.overrides}")
    for flag, value in zip(args.overrides[::2], args.overrides[1::2], strict=True):
        config[flag.removeprefix("--")] = yaml.safe_load(value)
    try:
        options = JudgeOptions.from_recipe(config)
        texts = recipe_user_messages(config)[: args.limit]
        summary = asyncio.run(precompute(texts, options, progress=not args.quiet))
    except (ConnectionError, ValueError) as err:
        raise InputError(str(err)) from err
    print(json.dumps({"checklists": options.checklists, **summary}))
    return 1 if summary.get("failed") or summary.get("skipped (server down)") else 0


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
    p = sub.add_parser(
        "checklists", help="write the judge's checklist of every prompt of a recipe's dataset (resumes)"
    )
    p.add_argument("--config", required=True, help="the recipe: dataset_name and judge_* settings")
    p.add_argument("--limit", type=int, default=None, help="only the first N prompts")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_checklists)
    args, args.overrides = parser.parse_known_args(argv)
    if args.overrides and args.command != "checklists":
        parser.error(f"unrecognized arguments: {' '.join(args.overrides)}")
    try:
        return args.func(args)
    except (InputError, ToolchainError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
