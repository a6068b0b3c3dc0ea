"""slurm/train.slurm without a cluster: syntax, usage, the N+1 wiring (dry run), the recipe read with the project's
parser (and TRL's batch check at the job's world size), the per-node training command as accelerate's own launcher
turns it into a torchrun launch, and the stop path (USR1 before the time limit, TERM on preemption -> stop file ->
the trainer checkpoints -> requeue) with stand-in srun/scontrol. The real trainer's side of the stop file is tested
in tests/test_trainer.py (test_stop_file_saves_and_stops_then_resumes). No network."""

import os
import shlex
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "slurm" / "train.slurm"
RECIPE = "recipes/qwen3-30b-a3b/multinode.yaml"


MASTER_PORT = "29517"  # accelerate checks that the rendezvous port is free on machine rank 0


@pytest.fixture
def fake_slurm(tmp_path):
    """srun runs its command here (dropping its own flags); scontrol knows the nodes in $FAKE_NODES and logs requeues.
    The venv is the test's own, marked as set up by `make setup-gpu`."""
    return stand_ins(tmp_path)


@pytest.fixture(scope="module")
def three_node_dry_run(tmp_path_factory):
    """The default layout (2 training nodes + 1 vLLM node), dry run once for the module: reading the recipe with
    the project's parser imports TRL, seconds per call."""
    tmp = tmp_path_factory.mktemp("slurm")
    env, _ = stand_ins(tmp)
    return dry_run({**env, "MASTER_PORT": MASTER_PORT}, "--output_dir", str(tmp / "run")), tmp


def stand_ins(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "srun").write_text('#!/bin/bash\nwhile [[ "$1" == --* ]]; do shift; done\nexec "$@"\n')
    (bin_dir / "scontrol").write_text(
        '#!/bin/bash\nif [[ "$1 $2" == "show hostnames" ]]; then printf "%s\\n" $FAKE_NODES; '
        f'else echo "$@" >> {tmp_path}/scontrol.log; fi\n'
    )
    for f in bin_dir.iterdir():
        f.chmod(0o755)
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text(f'#!/bin/bash\nexec {sys.executable} "$@"\n')  # a symlink loses the venv
    (venv / "bin" / "python").chmod(0o755)
    (venv / "bin" / "accelerate").symlink_to(ROOT / ".venv" / "bin" / "accelerate")
    (venv / ".installed-gpu").touch()
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "SLURM_JOB_NODELIST": "gpu-[a-c]",
           "FAKE_NODES": "gpu-a gpu-b gpu-c", "SLURM_JOB_ID": "42", "SLURM_SUBMIT_DIR": str(ROOT),
           "VENV": str(venv)}  # fmt: skip
    return env, tmp_path


def dry_run(env, *args) -> dict[str, str]:
    proc = subprocess.run(["bash", str(SCRIPT), RECIPE, *args], env={**env, "GENUI_SLURM_DRY_RUN": "1"},
                          capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return {k: v.strip() for k, _, v in (line.partition(":") for line in proc.stdout.splitlines()) if v} | {
        "stdout": proc.stdout
    }


def test_syntax_and_help():
    subprocess.run(["bash", "-n", str(SCRIPT)], check=True)
    out = subprocess.run(["bash", str(SCRIPT), "--help"], capture_output=True, text=True, check=True).stdout
    assert out.startswith("usage: sbatch") and "SAVE_AND_STOP" in out and "make setup-gpu" in out


def test_wiring_dry_run(three_node_dry_run):
    out, tmp = three_node_dry_run
    # Last node serves vLLM (dev mode and weight transfer come with genui_grpo.vllm_server); trainers wait for it
    assert "--nodelist=gpu-c" in out["SERVER"] and "genui_grpo.vllm_server serve" in out["SERVER_CMD"]
    assert "--host 0.0.0.0" in out["SERVER_CMD"] and "wait --url http://gpu-c:8000" in out["WAIT"]
    assert "--world_size 16" in out["SERVER_CMD"]  # the server reads the recipe as the 16 trainers do
    # Every task first exports its node's own address for the NCCL / vLLM rendezvous
    assert "source slurm/node_env.sh; exec" in out["SERVER"] and "source slurm/node_env.sh; exec" in out["TRAIN"]
    # The first two nodes train: 2 machines x 8 GPUs, the recipe's output_dir override reached train.py
    assert "--nodelist=gpu-a,gpu-b" in out["TRAIN"] and f"--output_dir {tmp / 'run'}" in out["TRAIN_CMD"]
    assert "(16 ranks, generation batch 32)" in out["stdout"]


def test_every_node_exports_a_routable_address():
    out = subprocess.run(["bash", "-c", "source slurm/node_env.sh; echo $VLLM_HOST_IP"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    parts = out.split(".")
    assert len(parts) == 4 and all(p.isdigit() for p in parts) and parts[0] != "127" and out != "0.0.0.0", out


@pytest.mark.parametrize("machine_rank", ["0", "1"])
def test_accelerate_launches_torchrun_on_every_node(three_node_dry_run, monkeypatch, machine_rank):
    """The exact per-node line the script runs, through accelerate's own launcher functions: one torchrun agent per
    node joining a c10d rendezvous on the first training node (not a pdsh launch that drops the machine rank)."""
    import accelerate.commands.launch as accelerate_launch
    import torch.distributed.run as distrib_run

    argv = shlex.split(
        three_node_dry_run[0]["TRAIN_CMD"].replace("$SLURM_PROCID", machine_rank)
    )  # what bash -c expands on that node
    assert argv[0].endswith("accelerate") and argv[1] == "launch"
    # `accelerate launch` itself, stopped where it would start processes: torchrun in-process, or an external launcher
    launched = {}
    monkeypatch.setattr(distrib_run, "run", lambda torchrun_args: launched.update(torchrun=torchrun_args))
    monkeypatch.setattr(accelerate_launch.subprocess, "Popen", lambda cmd, **kw: launched.update(external=cmd))
    monkeypatch.setattr(accelerate_launch, "check_cuda_p2p_ib_support", lambda: True)  # an nvidia-smi query
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("OMP_NUM_THREADS", "1")  # torchrun's config sets it in this process otherwise
    accelerate_launch.launch_command(accelerate_launch.launch_command_parser().parse_args(argv[2:]))
    assert "external" not in launched, f"accelerate would exec {launched['external']} (DeepSpeed's pdsh launcher)"
    torchrun = launched["torchrun"]
    config, _, script_args = distrib_run.config_from_args(torchrun)
    assert (config.min_nodes, config.max_nodes, config.nproc_per_node) == (2, 2, 8)
    assert config.rdzv_backend == "c10d" and config.rdzv_endpoint == f"gpu-a:{MASTER_PORT}"
    assert int(torchrun.node_rank) == int(machine_rank)  # c10d then orders the agents itself
    assert "train.py" in script_args and script_args[script_args.index("--vllm_server_host") + 1] == "gpu-c"


def test_three_training_nodes_derive_the_generation_batch(fake_slurm):
    # 4 nodes = 3 training nodes x 8 GPUs = 24 ranks: TRL derives one optimizer step's worth (1 x 24 x 2 = 48)
    env, _ = fake_slurm
    out = dry_run({**env, "FAKE_NODES": "gpu-a gpu-b gpu-c gpu-d"})
    assert "(24 ranks, generation batch 48)" in out["stdout"] and "--num_processes 24" in out["TRAIN_CMD"]


def test_a_fixed_generation_batch_that_does_not_fit_is_refused_with_the_fix(fake_slurm, tmp_path):
    env, _ = fake_slurm
    proc = subprocess.run(["bash", str(SCRIPT), RECIPE, "--generation_batch_size", "32"],
                          env={**env, "FAKE_NODES": "gpu-a gpu-b gpu-c gpu-d"}, capture_output=True, text=True)  # fmt: skip
    assert proc.returncode != 0 and not (tmp_path / "scontrol.log").exists()
    assert "on 24 training ranks" in proc.stderr and "Fix: remove generation_batch_size" in proc.stderr
    assert "--generation_batch_size 48" in proc.stderr


@pytest.mark.parametrize("override", [["--generation_batch_size", "32"], ["--generation_batch_size=32"]])
def test_the_fix_counts_the_overrides_as_the_parser_does(override):
    # In process (no job): the numbers in the fix are the ones TRL refused, however the override was written
    from genui_grpo.launch import read_recipe

    with pytest.raises(SystemExit, match=r"on 24 training ranks.*--generation_batch_size 48 \(a multiple of both 24"):
        read_recipe(str(ROOT / RECIPE), 24, ["--num_generations", "4", *override])


def test_refuses_colocate_recipe(fake_slurm):
    env, _ = fake_slurm
    proc = subprocess.run(
        ["bash", str(SCRIPT), "recipes/qwen3-30b-a3b/8xA100.yaml"], env=env, capture_output=True, text=True
    )
    assert proc.returncode != 0 and "not a server-mode recipe" in proc.stderr


def test_refuses_a_venv_without_the_gpu_stack(fake_slurm):
    env, tmp = fake_slurm
    (tmp / "venv" / ".installed-gpu").unlink()
    proc = subprocess.run(["bash", str(SCRIPT), RECIPE], env=env, capture_output=True, text=True)
    assert proc.returncode != 0 and "make setup-gpu" in proc.stderr


FAKE_TRAINER = """
import pathlib, sys, time
out, honour_stop = pathlib.Path(sys.argv[1]), sys.argv[2] == "1"
(out / "started").touch()
for step in range(1, 600):
    time.sleep(0.1)
    if honour_stop and (out / "SAVE_AND_STOP").exists():
        (out / f"checkpoint-{step}").mkdir()
        sys.exit(0)
sys.exit(1)
"""


def run_until_signal(env, tmp, sig, honour_stop=True, grace="60"):
    run = tmp / "run"
    (tmp / "trainer.py").write_text(FAKE_TRAINER)
    env = {
        **env,
        "GENUI_SLURM_SERVER_CMD": "sleep 600",  # stands in for the vLLM server
        "GENUI_SLURM_WAIT_CMD": "true",  # health wait is tested in tests/test_vllm_server.py
        "GENUI_SLURM_TRAIN_CMD": f"{sys.executable} {tmp / 'trainer.py'} {run} {int(honour_stop)}",
        # the recipe read (python -m genui_grpo.launch, seconds of imports) is tested by the dry runs above
        "GENUI_SLURM_RECIPE_FIELDS": f"OUTPUT_DIR={run} VLLM_MODE=server VLLM_SERVER_PORT=8000 GENERATION_BATCH_SIZE=32",
        "STOP_GRACE": grace,
    }
    proc = subprocess.Popen(["bash", str(SCRIPT), RECIPE, "--output_dir", str(run)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)  # fmt: skip
    deadline = time.time() + 60
    while not (run / "started").exists():
        assert time.time() < deadline and proc.poll() is None, (
            proc.stdout.read() if proc.poll() is not None else "slow start"
        )
        time.sleep(0.1)
    proc.send_signal(sig)
    out, _ = proc.communicate(timeout=60)
    return proc.returncode, out, run


@pytest.mark.parametrize("sig", [signal.SIGUSR1, signal.SIGTERM], ids=["USR1-time-limit", "TERM-preemption"])
def test_signal_checkpoints_and_requeues(fake_slurm, sig):
    env, tmp = fake_slurm
    code, out, run = run_until_signal(env, tmp, sig)
    assert code == 0, out
    assert (run / "SAVE_AND_STOP").exists() and list(run.glob("checkpoint-*")), out
    assert (tmp / "scontrol.log").read_text().split() == ["requeue", "42"]


def test_requeues_before_the_time_limit_even_if_the_step_is_too_long(fake_slurm):
    # Trainers that do not reach a step boundary within STOP_GRACE: requeue anyway (a TIMEOUT is never requeued)
    env, tmp = fake_slurm
    code, out, run = run_until_signal(env, tmp, signal.SIGUSR1, honour_stop=False, grace="1")
    assert code == 0 and "requeueing now" in out, out
    assert not list(run.glob("checkpoint-*"))
    assert (tmp / "scontrol.log").read_text().split() == ["requeue", "42"]
