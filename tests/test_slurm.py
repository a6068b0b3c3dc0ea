"""slurm/train.slurm without a cluster: syntax, usage, the N+1 wiring (dry run), and the preemption path (USR1 ->
stop file -> the trainer checkpoints -> requeue) with stand-in srun/scontrol. The real trainer's side of the stop file
is tested in tests/test_trainer.py (test_stop_file_saves_and_stops_then_resumes). No network."""

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "slurm" / "train.slurm"
RECIPE = "recipes/qwen3-30b-a3b/multinode.yaml"


@pytest.fixture
def fake_slurm(tmp_path):
    """srun runs its command here (dropping its own flags); scontrol knows 3 nodes and logs requeues."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "srun").write_text('#!/bin/bash\nwhile [[ "$1" == --* ]]; do shift; done\nexec "$@"\n')
    (bin_dir / "scontrol").write_text(
        f'#!/bin/bash\nif [[ "$1 $2" == "show hostnames" ]]; then printf "gpu-a\\ngpu-b\\ngpu-c\\n"; '
        f'else echo "$@" >> {tmp_path}/scontrol.log; fi\n'
    )
    for f in bin_dir.iterdir():
        f.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "SLURM_JOB_NODELIST": "gpu-[a-c]", "SLURM_JOB_ID": "42",
           "SLURM_SUBMIT_DIR": str(ROOT)}  # fmt: skip
    return env, tmp_path


def test_syntax_and_help():
    subprocess.run(["bash", "-n", str(SCRIPT)], check=True)
    out = subprocess.run(["bash", str(SCRIPT), "--help"], capture_output=True, text=True, check=True).stdout
    assert out.startswith("usage: sbatch") and "SAVE_AND_STOP" in out


def test_wiring_dry_run(fake_slurm):
    env, tmp = fake_slurm
    out = subprocess.run(
        ["bash", str(SCRIPT), RECIPE, "--output_dir", str(tmp / "run")], env={**env, "GENUI_SLURM_DRY_RUN": "1"},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    server = next(line for line in out.splitlines() if line.startswith("SERVER:"))
    wait = next(line for line in out.splitlines() if line.startswith("WAIT:"))
    train = next(line for line in out.splitlines() if line.startswith("TRAIN:"))
    # Last node serves vLLM; the trainers wait for its health endpoint
    assert "--nodelist=gpu-c" in server and "genui_grpo.vllm_server serve" in server and "--host 0.0.0.0" in server
    assert "wait --url http://gpu-c:8000" in wait
    # The first two nodes train: 2 machines x 8 GPUs, rank from SLURM_PROCID, c10d rendezvous on the first node
    for piece in ("--nodelist=gpu-a,gpu-b", "--num_machines 2", "--num_processes 16", "--machine_rank $SLURM_PROCID",
                  "--main_process_ip gpu-a", "--rdzv_backend c10d", "--vllm_server_host gpu-c", f"--output_dir {tmp / 'run'}"):  # fmt: skip
        assert piece in train, piece


def test_refuses_colocate_recipe(fake_slurm):
    env, _ = fake_slurm
    proc = subprocess.run(
        ["bash", str(SCRIPT), "recipes/qwen3-30b-a3b/8xA100.yaml"], env=env, capture_output=True, text=True
    )
    assert proc.returncode != 0 and "not a server-mode recipe" in proc.stderr


FAKE_TRAINER = """
import pathlib, sys, time
out = pathlib.Path(sys.argv[1])
(out / "started").touch()
for step in range(1, 600):
    time.sleep(0.1)
    if (out / "SAVE_AND_STOP").exists():
        (out / f"checkpoint-{step}").mkdir()
        sys.exit(0)
sys.exit(1)
"""


def test_usr1_checkpoints_and_requeues(fake_slurm):
    env, tmp = fake_slurm
    run = tmp / "run"
    (tmp / "trainer.py").write_text(FAKE_TRAINER)
    env = {
        **env,
        "GENUI_SLURM_SERVER_CMD": "sleep 600",  # stands in for the vLLM server
        "GENUI_SLURM_WAIT_CMD": "true",  # health wait is tested in tests/test_vllm_server.py
        "GENUI_SLURM_TRAIN_CMD": f"{sys.executable} {tmp / 'trainer.py'} {run}",
    }
    proc = subprocess.Popen(["bash", str(SCRIPT), RECIPE, "--output_dir", str(run)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)  # fmt: skip
    deadline = time.time() + 30
    while not (run / "started").exists():
        assert time.time() < deadline and proc.poll() is None, (
            proc.stdout.read() if proc.poll() is not None else "slow start"
        )
        time.sleep(0.1)
    proc.send_signal(signal.SIGUSR1)  # SLURM's warning before preemption / time limit
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert (run / "SAVE_AND_STOP").exists() and list(run.glob("checkpoint-*")), out
    assert (tmp / "scontrol.log").read_text().split() == ["requeue", "42"]
