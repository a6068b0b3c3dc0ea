"""What slurm/train.slurm needs to know about a recipe before it starts anything, read with the project's own parser
(`TrlParser(RECIPE)`: the same YAML + CLI overrides train.py sees):

    python -m genui_grpo.launch --config RECIPE --world_size 24 [RECIPE OVERRIDES...]

Prints shell assignments (OUTPUT_DIR, VLLM_MODE, VLLM_SERVER_PORT, VLLM_GROUP_PORT, GENERATION_BATCH_SIZE) for `eval`.
GRPOConfig checks the batch arithmetic against the world size when it is built; on a login node or in the batch
shell there is no process group yet, so the job's world size is given explicitly and TRL's own check runs against it.
A recipe TRL would refuse on that many ranks (e.g. a fixed generation_batch_size of 32 on 3 nodes x 8 GPUs = 24
ranks) exits 1 here with the fix, before any node is allocated to training.

`check_process_group` is the same question asked from inside a launched job (train.py): did accelerate set up as
many processes as the launcher started?
"""

import argparse
import dataclasses
import math
import shlex
import sys
from contextlib import contextmanager


@contextmanager
def world_size_of(config_cls, n: int):
    """Make `config_cls(...).world_size` report `n` while the recipe is parsed (TRL reads it in __post_init__)."""
    config_cls.world_size = property(lambda self: n)
    try:
        yield
    finally:
        del config_cls.world_size


def check_process_group(state, use_cpu: bool) -> None:
    """Refuse a launch whose processes accelerate did not join into one group. Measured with 2 CPU processes
    (torchrun, or accelerate_configs/cpu_zero3.yaml) and a recipe without `use_cpu: true`: accelerate sets up gloo
    for CPU processes only when asked, so `PartialState` reports 1 process and index 0 on *every* rank. Each rank would
    then take `main_process_first` as rank 0 (preparing and publishing the dataset concurrently), and TRL would size
    the batches for a world of 1: every process trains alone."""
    from accelerate.utils import get_int_from_env

    # What the launcher started: the variables accelerate itself reads (torchrun, DeepSpeed, MPI)
    launched = get_int_from_env(["WORLD_SIZE", "PMI_SIZE", "OMPI_COMM_WORLD_SIZE", "MV2_COMM_WORLD_SIZE"], 1)
    if state.num_processes == launched:
        return
    import torch

    fix = (
        "no GPU is visible, and accelerate joins CPU processes into one gloo group only with use_cpu: add "
        "`use_cpu: true` to the recipe or `--use_cpu true` to the command"
        if not use_cpu and not torch.cuda.is_available()
        else "check that every process sees its accelerator and that the launcher's WORLD_SIZE is the job's"
    )
    raise SystemExit(
        f"{launched} processes were launched, but accelerate set this one up as {state.num_processes} of "
        f"{state.num_processes} ({state.distributed_type}): each would prepare the data and train alone. Fix: {fix}."
    )


def batch_fix(recipe: dict, world_size: int) -> str:
    """How to make the generation batch fit `world_size` ranks, worded for a recipe author."""
    per_device, accumulation = recipe["per_device_train_batch_size"], recipe["gradient_accumulation_steps"]
    generations, fixed = recipe["num_generations"], recipe["generation_batch_size"]
    step = per_device * world_size  # completions per micro-step across all ranks
    if fixed is not None:
        unit = math.lcm(step, generations)
        suggestion = unit * max(1, -(-fixed // unit))
        return (
            f"remove generation_batch_size from the recipe: TRL then generates one optimizer step's worth, "
            f"per_device_train_batch_size x world size x gradient_accumulation_steps = {per_device} x {world_size} x "
            f"{accumulation} = {step * accumulation} completions; or set --generation_batch_size {suggestion} (a "
            f"multiple of both {step} and num_generations={generations})"
        )
    need = generations // math.gcd(step, generations)
    return (
        f"per_device_train_batch_size x world size x gradient_accumulation_steps = {step * accumulation} completions "
        f"is not a whole number of groups of num_generations={generations}: set --gradient_accumulation_steps to a "
        f"multiple of {need}, or change the number of nodes"
    )


def read_recipe(config: str, world_size: int, overrides: list[str]):
    """The recipe's sections (`genui_grpo.config.RECIPE`: script, reward, training, model) as train.py will see them
    on `world_size` ranks; SystemExit naming the fix when TRL refuses the batch arithmetic there."""
    import yaml
    from trl import GRPOConfig, TrlParser

    from genui_grpo.config import RECIPE

    # Parsed on a login node or the batch shell: no GPU may be visible there, and none is needed to read fields.
    argv = ["--config", config, "--bf16", "false", "--use_cpu", "true", *overrides]
    try:
        with world_size_of(GRPOConfig, world_size):
            return TrlParser(RECIPE).parse_args_and_config(argv)
    except ValueError as err:
        if "generation_batch_size" not in str(err):
            raise
        # The four integers the fix is about, as the author wrote them (TRL's defaults, the YAML, then the CLI)
        names = (
            "per_device_train_batch_size",
            "gradient_accumulation_steps",
            "num_generations",
            "generation_batch_size",
        )
        recipe = {f.name: f.default for f in dataclasses.fields(GRPOConfig) if f.name in names}
        recipe.update({k: v for k, v in (yaml.safe_load(open(config)) or {}).items() if k in names})
        words = [w for arg in overrides for w in (arg.split("=", 1) if arg.startswith("--") else [arg])]
        for i, arg in enumerate(words[:-1]):  # --name value and --name=value, as argparse takes them
            if arg.startswith("--") and arg[2:] in names:
                recipe[arg[2:]] = int(words[i + 1])
        raise SystemExit(
            f"{config} on {world_size} training ranks: {err} Fix: {batch_fix(recipe, world_size)}."
        ) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True, help="recipe YAML")
    parser.add_argument("--world_size", type=int, required=True, help="training ranks in total (all nodes)")
    args, overrides = parser.parse_known_args(argv)
    _, _, training, _ = read_recipe(args.config, args.world_size, overrides)
    fields = {
        "OUTPUT_DIR": training.output_dir,
        "VLLM_MODE": training.vllm_mode if training.use_vllm else "none",
        "VLLM_SERVER_PORT": training.vllm_server_port,
        "VLLM_GROUP_PORT": training.vllm_group_port,
        "GENERATION_BATCH_SIZE": training.generation_batch_size,
    }
    print("\n".join(f"{key}={shlex.quote(str(value))}" for key, value in fields.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
