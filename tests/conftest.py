"""Shared fixtures. Nothing here touches a network: the tiny model is built offline and the data is shipped."""

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample.jsonl"
COMPONENTS = ROOT / "data" / "components"


def component(name: str) -> str:
    """A reference component without its `// request:` line."""
    path = next(COMPONENTS.glob(f"{name}*.tsx"))
    return path.read_text().split("\n", 1)[1]


def fenced(code: str, lead: str = "", tail: str = "") -> str:
    return f"{lead}```tsx\n{code.strip()}\n```{tail}"


def build_pairs_module():
    """data/build_pairs.py as a module (it is a script, not part of a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_pairs", ROOT / "data" / "build_pairs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def pairs_dir() -> Path:
    """The labelled comparisons data/build_pairs.py generates (deterministic, ~2 s; not tracked: data/pairs/ is
    ignored), written once a session unless the files there already are what it builds."""
    bp = build_pairs_module()
    if bp.main(["--check"]) != 0:
        assert bp.main([]) == 0
    return bp.OUT


@pytest.fixture(scope="session")
def sample_rows() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text().splitlines()]


@pytest.fixture(scope="session")
def tiny_model_dir() -> Path:
    """The tiny random Qwen3-MoE, built once into the ignored cache and reused across test sessions."""
    from genui_grpo.tiny import build

    return build(ROOT / ".cache" / "tiny-qwen3-moe")


@pytest.fixture(scope="session")
def judge_server(tmp_path_factory):
    """One judge endpoint for the whole session, shared by every test that needs a real OpenAI-compatible server (the
    judge's and the dataset builder's): `python -m genui_grpo.judge_server --config RECIPE` (= make judge-serve) on the
    tiny random vision-language model (genui_grpo/tiny_vlm.py), vLLM on CPU, in its own process group. Random weights
    still answer valid JSON under guided decoding. About a minute to start on 2 cores. A test that kills it must run
    after every other user (tests/test_judge_vllm.py's last test does: its module sorts after the others)."""
    import signal
    import socket
    import subprocess
    import sys
    from types import SimpleNamespace

    import yaml

    from genui_grpo.tiny_vlm import build as build_tiny_vlm
    from genui_grpo.vllm_server import wait_for_health
    from reward.config import from_recipe

    work = tmp_path_factory.mktemp("judge")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    recipe = work / "recipe.yaml"
    recipe.write_text(yaml.safe_dump({
        "dataset_name": str(SAMPLE),
        "judge_base_url": f"http://127.0.0.1:{port}/v1",
        "judge_model": str(build_tiny_vlm(ROOT / ".cache" / "tiny-vlm")),
        "judge_checklists": str(work / "checklists.jsonl"),
        # small checklists and no evidence: random weights write every string to its maximum length
        "judge_min_items": 2, "judge_max_items": 4, "judge_item_chars": 40, "judge_evidence_chars": 0,
        "judge_timeout_s": 120, "judge_retries": 0, "judge_concurrency": 4,
        # CPU: float32, no graphs; the tiny VLM's image processor is local "remote code" (see genui_grpo/tiny_vlm.py)
        "judge_serve_dtype": "float32", "judge_serve_max_model_len": 4096,
        "judge_serve_args": "--enforce-eager --trust-remote-code",
    }))  # fmt: skip
    log = open(work / "server.log", "w")  # noqa: SIM115 (closed at teardown)
    # vLLM on CPU reserves its KV cache from RAM: 1 GiB is plenty here and leaves room for others on the machine
    env = {**os.environ, "VLLM_CPU_KVCACHE_SPACE": "1", "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "genui_grpo.judge_server", "--config", str(recipe)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for_health(f"http://127.0.0.1:{port}", timeout=900, proc=proc)
    except Exception:
        os.killpg(proc.pid, signal.SIGKILL)
        raise RuntimeError((work / "server.log").read_text()[-3000:]) from None
    yield SimpleNamespace(options=from_recipe(recipe)[0].judge_options(), recipe=recipe, proc=proc, work=work)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    log.close()
