"""Score completions and show presets from the command line.

    python -m reward score [FILE] [--preset NAME|FILE.yaml | --config RECIPE] [--explain]
                           [--eos_token_ids ID,ID] [--special_tokens '<|im_end|>' ...] [--max_completion_length N]
    python -m reward presets                       # the presets and their weights
    python -m reward presets NAME|FILE.yaml         # one preset as a YAML file, with every knob value in effect
    python -m reward presets --config RECIPE        # the recipe's reward section: its preset with its knobs applied
    python -m reward tune --pairs FILE [--preset NAME|FILE.yaml] [--out tuned.yaml]  # fit weights to labelled pairs

Each input line is {"completion": str, "reference"?: str, "id"?: any, "completion_ids"?: [int], "n_tokens"?: int,
"hit_eos"?: bool}; each output line, in input order, is {"id", "total", "components"} (+ "explain"). total = sum over
components of weight x score. Length and truncation come from "completion_ids" (with --eos_token_ids) or from
"n_tokens" / "hit_eos"; without them length is unknown and truncation is judged from the text.
"""

import argparse
import json
import sys

from reward.config import RewardArguments, from_recipe, load_preset, preset_names
from reward.node import ToolchainError


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
        ids = row.get("completion_ids")
        if ids is not None and not (isinstance(ids, list) and all(isinstance(i, int) for i in ids)):
            raise InputError(f'line {n}: "completion_ids" must be a list of integers')
        rows.append(row)
    return rows


def _reward_section(args) -> tuple[RewardArguments, list[float] | None, int | None]:
    if args.config:
        if args.preset:
            raise InputError("give --preset or --config, not both (the recipe names its preset)")
        return from_recipe(args.config)
    return RewardArguments(reward_preset=args.preset or "default"), None, None


def cmd_score(args) -> int:
    from reward.scoring import score

    section, weights, max_length = _reward_section(args)
    stream = open(args.file) if args.file and args.file != "-" else sys.stdin
    try:
        rows = read_rows(stream)
    finally:
        if stream is not sys.stdin:
            stream.close()
    results = score(
        [r["completion"] for r in rows],
        [r.get("reference") for r in rows],
        preset=section,
        weights=weights,  # the recipe's reward_weights, with its reward_funcs
        explain=args.explain,
        completion_ids=[r.get("completion_ids") for r in rows] if any("completion_ids" in r for r in rows) else None,
        n_tokens=[r.get("n_tokens") for r in rows] if any("n_tokens" in r for r in rows) else None,
        hit_eos=[r.get("hit_eos") for r in rows] if any("hit_eos" in r for r in rows) else None,
        max_completion_length=args.max_completion_length or max_length,
        eos_token_ids=tuple(args.eos_token_ids),
        special_tokens=tuple(args.special_tokens),
    )
    for row, result in zip(rows, results, strict=True):
        print(json.dumps({"id": row.get("id"), **result}, ensure_ascii=False))
    return 0


def cmd_presets(args) -> int:
    if args.config or args.preset:
        if args.config and args.preset:
            raise InputError("give a preset or --config, not both (the recipe names its preset)")
        section, weights, _ = from_recipe(args.config) if args.config else (RewardArguments(args.preset), None, None)
        print(section.to_yaml(weights), end="")
        return 0
    for name in preset_names():
        preset = load_preset(name)
        print(f"{name}: " + ", ".join(f"{k}={v:g}" for k, v in preset.weights.items()))
        print(f"    {preset.description}")
    print("\n`python -m reward presets NAME` prints one with every knob; save it to a .yaml file to make your own.")
    return 0


def _ints(text: str) -> list[int]:
    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError as err:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated token ids (the tokenizer's eos ids); got {text!r}"
        ) from err


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m reward", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("score", help="score JSON-lines completions")
    p.add_argument("file", nargs="?", help="JSON-lines file (default: stdin)")
    p.add_argument("--preset", default=None, help="preset name or YAML file (default: default)")
    p.add_argument("--config", help="a recipe: score with its reward section (preset, knobs, reward_funcs)")
    p.add_argument("--explain", action="store_true", help="say why each component scored what it did")
    p.add_argument("--eos_token_ids", type=_ints, default=[], help="the tokenizer's EOS ids, read with completion_ids")
    p.add_argument("--special_tokens", nargs="*", default=[], help="the tokenizer's special tokens, ignored in text")
    p.add_argument("--max_completion_length", type=int, default=None, help="generation limit, for `overlong`")
    p.set_defaults(func=cmd_score)
    p = sub.add_parser("presets", help="list presets, or print one with every knob value in effect")
    p.add_argument("preset", nargs="?", help="preset name or YAML file")
    p.add_argument("--config", help="a recipe: print its reward section as a preset")
    p.set_defaults(func=cmd_presets)
    from reward.tune import add_parser as add_tune_parser  # `tune` owns its arguments and its errors

    add_tune_parser(sub)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (InputError, ToolchainError, FileNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
