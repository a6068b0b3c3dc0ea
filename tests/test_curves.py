"""Training curves (genui_grpo/curves.py) drawn from the log of a real GRPO run, in the report and standalone, and
trackio logging that stays on this machine. CPU only, no network: the run's sockets refuse any non-loopback address."""

import json
import math
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from genui_grpo import curves
from genui_grpo.report import build_report
from reward import load_preset
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

PROJECT, RUN = "genui-grpo-test", "two-steps"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def run(tiny_model_dir, tmp_path_factory):
    """2 GRPO steps of the tiny model with the default reward, logging to trackio, with the internet refused."""
    out = tmp_path_factory.mktemp("curves-run")
    connections = out / "connections.log"
    env = {
        **os.environ,
        "TRACKIO_DIR": str(out / "trackio"),
        "HF_HOME": str(out / "hf"),  # no cached token: nothing that could reach a hub is configured
        "PYTHONUNBUFFERED": "1",
    }
    cmd = [sys.executable, "-m", "tests._offline_run", str(connections), "train.py",
           "--config", "recipes/tiny-cpu.yaml", "--model_name_or_path", str(tiny_model_dir), "--output_dir", str(out),
           "--max_steps", "2", "--save_steps", "1", "--max_completion_length", "16", "--snapshot_steps", "0",
           "--report_to", "trackio", "--project", PROJECT, "--run_name", RUN]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    return out, env, proc.stdout + proc.stderr


def test_trackio_writes_locally_and_never_reaches_out(run):
    out, env, log = run
    attempts = (out / "connections.log").read_text() if (out / "connections.log").exists() else ""
    assert attempts == "", f"the run tried to reach the network: {attempts}"
    assert str(out / "trackio") in log  # trackio says where it logs
    # Read the run back with trackio's own CLI, as a user would
    cli = [str(ROOT / ".venv/bin/trackio") if (ROOT / ".venv/bin/trackio").exists() else "trackio"]
    got = subprocess.run(
        [*cli, "get", "metric", "--project", PROJECT, "--run", RUN, "--metric", "train/reward", "--json"],
        env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    values = json.loads(got.stdout)
    steps = sorted(v["step"] for v in values["values"])
    assert steps == [1, 2], values
    logged = {e["step"]: e["reward"] for e in curves.load_run_log(out).history if "reward" in e}
    assert {v["step"]: v["value"] for v in values["values"]} == pytest.approx(logged)


def test_panels_from_the_real_log(run):
    out, _, _ = run
    log = curves.load_run_log(out)
    history = log.history
    assert log.source == out / "trainer_state.json"
    # Every component the run rewarded gets a chart, in the order and with the weights of the run's reward functions
    # (trainer_state.json sorts its keys: the order comes from train.py's run summary)
    default = dict(load_preset("default").weights)
    assert log.weights == default and curves.components(history, log.weights) == list(default)
    assert curves.components(history) == sorted(default)
    panels = {p.title: p for p in curves.panels(history, log.weights)}
    expected = ["Reward (weighted total)", *[f"{n} (mean, weight {w:g})" for n, w in default.items()],
                "Completion length (tokens)", "Clipped ratio", "Groups with zero reward spread"]  # fmt: skip
    assert list(panels) == expected
    # Each point is the logged value at its step
    entries = [e for e in history if "reward" in e]
    assert panels["Reward (weighted total)"].line == [(e["step"], e["reward"]) for e in entries]
    assert panels["compiles (mean, weight 2)"].line == [(e["step"], e["rewards/compiles/mean"]) for e in entries]
    assert panels["Clipped ratio"].line == [(e["step"], e["completions/clipped_ratio"]) for e in entries]
    length = panels["Completion length (tokens)"]
    assert [lo <= v <= hi for (_, v), (_, lo, hi) in zip(length.line, length.band, strict=True)] == [True, True]


def test_svg_is_well_formed_and_places_the_points(run):
    out, _, _ = run
    for panel in curves.panels(curves.load_run_log(out).history):
        svg = ET.fromstring(curves.svg_chart(panel))
        circles = svg.findall(f"{SVG}circle")
        assert [c.find(f"{SVG}title").text for c in circles] == [f"step {s:g}: {v:.4g}" for s, v in panel.line]
        # Later steps sit further right; a higher value sits higher (smaller y), equal values at the same height
        xs, ys = [float(c.get("cx")) for c in circles], [float(c.get("cy")) for c in circles]
        assert xs == sorted(xs) and xs[0] < xs[-1]
        (_, v1), (_, v2) = panel.line
        assert (ys[0] > ys[1]) == (v1 < v2) and (ys[0] == ys[1]) == (v1 == v2)
        assert all(curves.TOP <= y <= curves.HEIGHT - curves.BOTTOM for y in ys)


def test_report_and_standalone_page_show_the_curves(run, tmp_path):
    out, _, _ = run
    log = curves.load_run_log(out)
    n_charts = len(curves.panels(log.history))
    results = {
        "settings": {"base": "base", "adapter": str(out), "n_prompts": 0, "n_showcase": 0, "k": 1, "temperature": 1.0,
                     "top_p": 1.0, "max_tokens": 16, "backend": "hf"},
        "metrics": {}, "wall_time_s": 0.0,
    }  # fmt: skip
    page = build_report(results, [], {}, {}, log)
    assert "<h2>Training curves</h2>" in page and page.count("<svg") == n_charts
    assert str(log.source) in page and "compiles (mean, weight 2)" in page
    # Without a log the section says so instead of drawing empty charts
    assert "No GRPO training log found" in build_report(results, [], {}, {}) and "<svg" not in build_report(
        results, [], {}, {}
    )
    # The standalone page of `python -m genui_grpo.curves`
    curves.main([str(out), "--out", str(tmp_path / "curves.html")])
    assert (tmp_path / "curves.html").read_text().count("<svg") == n_charts


def test_a_run_without_final_state_reads_its_last_checkpoint(run, tmp_path):
    # A run still going (or stopped) has no trainer_state.json at its top yet: its newest checkpoint's is used
    out, _, _ = run
    for checkpoint in ("checkpoint-1", "checkpoint-2"):
        shutil.copytree(out / checkpoint, tmp_path / checkpoint)
    log = curves.load_run_log(tmp_path)
    assert log.source == tmp_path / "checkpoint-2" / "trainer_state.json"
    assert [e["step"] for e in log.history if "reward" in e] == [1, 2] and log.weights is None
    assert curves.load_run_log(tmp_path / "nothing-here").source is None


@pytest.mark.parametrize(
    "lo, hi",
    [(0.0, 1.0), (-0.5, 0.25), (3.2, 3.2), (0.0013, 0.0029), (120.0, 4000.0)],
)
def test_nice_ticks_cover_the_range_with_round_steps(lo, hi):
    ticks = curves.nice_ticks(lo, hi)
    assert ticks[0] <= lo and ticks[-1] >= hi and 2 <= len(ticks) <= 12
    steps = {round(b - a, 12) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1
    (step,) = steps
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 6) in (1.0, 2.0, 5.0, 10.0)
