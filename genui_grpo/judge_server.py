"""Serve a recipe's judge model: a vLLM OpenAI-compatible server for the `judge` reward and `python -m reward
checklists`, built from the recipe's `judge_*` settings with the same command builder as the training server.

    python -m genui_grpo.judge_server --config RECIPE [--dry_run] [--host 0.0.0.0]    # make judge-serve RECIPE=...

The server listens on the port of `judge_base_url`. It runs with compact JSON under guided decoding
(`disable_any_whitespace`): JSON lets a model pad an answer with whitespace until it hits max_tokens, and compact
answers are fewer tokens.
"""

import argparse
import json
import shlex
import subprocess
import sys
from urllib.parse import urlparse

from genui_grpo.vllm_server import server_command
from reward.judge_client import JudgeOptions, load_recipe
from reward.views import WIDTHS

STRUCTURED_OUTPUTS = {"backend": "xgrammar", "disable_any_whitespace": True}


def judge_server_command(options: JudgeOptions, host: str | None = None, python: str = sys.executable) -> list[str]:
    url = urlparse(options.base_url)
    if host is None:  # a judge for other nodes must listen beyond loopback
        host = "127.0.0.1" if url.hostname in ("127.0.0.1", "localhost", "::1") else "0.0.0.0"
    cmd = server_command(
        options.model,
        host=host,
        port=url.port or (443 if url.scheme == "https" else 80),
        dtype=options.serve_dtype,
        tensor_parallel_size=options.serve_tensor_parallel_size,
        max_model_len=options.serve_max_model_len,
        gpu_memory_utilization=options.serve_gpu_memory_utilization,
        for_training=False,
        python=python,
    )
    cmd += ["--structured-outputs-config", json.dumps(STRUCTURED_OUTPUTS)]
    if options.mode == "image":  # one screenshot per width per request; vLLM sizes its encoder cache for this many
        cmd += ["--limit-mm-per-prompt", json.dumps({"image": len(WIDTHS)})]
    return cmd + shlex.split(options.serve_args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True, help="recipe with judge_* settings (defaults otherwise)")
    parser.add_argument("--host", default=None, help="listen address (default: from judge_base_url)")
    parser.add_argument("--dry_run", action="store_true", help="print the command instead of running it")
    args = parser.parse_args(argv)
    cmd = judge_server_command(JudgeOptions.from_recipe(load_recipe(args.config)), host=args.host)
    print(shlex.join(cmd), flush=True)
    if args.dry_run:
        return 0
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
