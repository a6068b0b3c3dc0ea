"""train.py under a multi-process launch: accelerate must join the launched processes into one group before
`main_process_first` (dataset preparation) and TRL's batch sizing can mean anything. A 2-process CPU launch whose
recipe lacks `use_cpu: true` gets a PartialState of 1 process on every rank (measured: torchrun and
accelerate_configs/cpu_zero3.yaml alike); train.py refuses it, naming the fix. The working 2-process launch is
tests/test_zero3.py's. No network."""

import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from genui_grpo.launch import check_process_group
from tests.conftest import ROOT


def test_a_state_of_fewer_processes_than_launched_is_refused(monkeypatch):
    monkeypatch.setenv("WORLD_SIZE", "2")
    alone = SimpleNamespace(num_processes=1, distributed_type="NO")
    with pytest.raises(SystemExit, match=r"2 processes were launched.*1 of 1.*--use_cpu true"):
        check_process_group(alone, use_cpu=False)
    check_process_group(SimpleNamespace(num_processes=2, distributed_type="MULTI_CPU"), use_cpu=True)
    monkeypatch.delenv("WORLD_SIZE")
    check_process_group(alone, use_cpu=False)  # a plain `python train.py`: one process, nothing to join


@pytest.mark.slow
def test_two_cpu_processes_without_use_cpu_stop_before_the_data(tmp_path):
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", "train.py",
           "--config", "recipes/tiny-cpu.yaml", "--use_cpu", "false", "--output_dir", str(tmp_path)]  # fmt: skip
    env = {**os.environ, "OMP_NUM_THREADS": "1", "CUDA_VISIBLE_DEVICES": ""}
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out[-3000:]
    assert "2 processes were launched, but accelerate set this one up as 1 of 1" in out, out[-3000:]
    assert "--use_cpu true" in out
    assert not any(tmp_path.iterdir())  # stopped before the tiny model or the dataset was built
