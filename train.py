"""GRPO training of an LLM that writes complete, interactive React/TypeScript components.

    accelerate launch --config_file accelerate_configs/cpu.yaml train.py --config recipes/tiny-cpu.yaml
    accelerate launch --config_file accelerate_configs/zero3.yaml train.py --config recipes/qwen3-30b-a3b/8xA100.yaml

Every setting comes from the recipe (one flat YAML parsed into ScriptArguments, RewardArguments, GRPOConfig and
ModelConfig); any field can be overridden on the command line, e.g. `--learning_rate 5e-6 --max_steps 50`.
"""

import json
import logging
import os
import sys
import time
from pathlib import Path

import datasets
import torch
import transformers
from accelerate import PartialState
from transformers import AutoTokenizer, set_seed
from transformers.trainer_utils import get_last_checkpoint
from trl import GRPOConfig, ModelConfig, TrlParser

from genui_grpo.callbacks import SaveAndStopCallback
from genui_grpo.config import RECIPE, ScriptArguments
from genui_grpo.data import prepare_from_recipe
from genui_grpo.launch import check_process_group
from genui_grpo.modeling import lora_config, model_init_kwargs, resolve_dtype
from genui_grpo.plan import check_recipe
from genui_grpo.snapshots import SnapshotCallback
from genui_grpo.trainer import GenUIGRPOTrainer
from reward import RewardArguments, build_rewards

logger = logging.getLogger(__name__)


def main(
    script_args: ScriptArguments, reward_args: RewardArguments, training_args: GRPOConfig, model_args: ModelConfig
) -> GenUIGRPOTrainer:
    started = time.time()
    state = PartialState()  # as GRPOConfig set it up when the recipe was parsed (use_cpu, DeepSpeed, backend)
    check_process_group(state, training_args.use_cpu)

    ##########################
    # Seed and logging
    ##########################
    set_seed(training_args.seed)
    logging.basicConfig(
        format="%(asctime)s - %(levelname)s - %(name)s - %(message)s",
        datefmt="%Y-%m-%d %H:%M:%S",
        handlers=[logging.StreamHandler(sys.stdout)],
    )
    log_level = training_args.get_process_log_level()
    for lib_logger in (logger, logging.getLogger("genui_grpo"), logging.getLogger("reward")):
        lib_logger.setLevel(log_level)
    datasets.utils.logging.set_verbosity(log_level)
    transformers.utils.logging.set_verbosity(log_level)
    logger.info("Model %s | output %s", model_args.model_name_or_path, training_args.output_dir)

    ##########################
    # Preflight: will it fit? (before any download; the same arithmetic as `make plan`)
    ##########################
    if script_args.preflight and torch.cuda.is_available():
        gpu_gib = torch.cuda.get_device_properties(0).total_memory / 1024**3
        checked = check_recipe(script_args, training_args, model_args, state.num_processes, gpu_gib)
        if checked is None:
            logger.info("Preflight: no offline config for %s; memory plan skipped", model_args.model_name_or_path)
        else:
            table, problem = checked
            logger.info("Preflight\n%s", table)
            if problem:
                raise SystemExit(f"Preflight: {problem} (set preflight: false to try anyway)")

    ##########################
    # Checkpoint detection
    ##########################
    # Resume automatically from the last checkpoint in output_dir unless the recipe or CLI names one.
    checkpoint = training_args.resume_from_checkpoint
    if checkpoint is None and os.path.isdir(training_args.output_dir):
        checkpoint = get_last_checkpoint(training_args.output_dir)
    if checkpoint is not None:
        logger.info("Resuming from %s", checkpoint)

    ##########################
    # Tokenizer (and the tiny embedded model, when the recipe asks for it)
    ##########################
    if script_args.build_tiny_model:
        from genui_grpo.tiny import build

        with state.main_process_first():
            build(model_args.model_name_or_path)
    tokenizer = AutoTokenizer.from_pretrained(model_args.model_name_or_path, revision=model_args.model_revision)
    # Qwen3 thinks before answering unless told not to; thinking tokens would eat the completion budget.
    if training_args.chat_template_kwargs is None:
        training_args.chat_template_kwargs = {"enable_thinking": False}

    ##########################
    # Dataset
    ##########################
    # Rank 0 prepares the splits and publishes them as Arrow under output_dir; the other ranks memory-map them.
    with state.main_process_first():
        splits, report = prepare_from_recipe(
            script_args, tokenizer, training_args.chat_template_kwargs, training_args.output_dir
        )
    logger.info("Data: %s", report.as_dict())

    ##########################
    # Model (+ LoRA)
    ##########################
    training_args.model_init_kwargs = model_init_kwargs(model_args, training_args)
    peft_config = lora_config(model_args, experts=script_args.lora_experts)

    ##########################
    # Rewards
    ##########################
    # The tokenizer's EOS ids say whether a completion stopped by itself; its special tokens are ignored in the text.
    reward_funcs, reward_weights = build_rewards(
        reward_args,
        weights=training_args.reward_weights,
        max_completion_length=training_args.max_completion_length,
        eos_token_ids=tuple({tokenizer.eos_token_id, tokenizer.pad_token_id} - {None}),
        special_tokens=tuple(tokenizer.all_special_tokens),
    )
    training_args.reward_weights = reward_weights
    logger.info("Rewards: %s", dict(zip([f.__name__ for f in reward_funcs], reward_weights, strict=True)))

    ##########################
    # Trainer
    ##########################
    snapshots = SnapshotCallback(
        script_args.snapshot_steps,
        reward_args.render_options(),
        reward_args.allowed_imports(),
        reward_args.packages_path(),
    )
    trainer = GenUIGRPOTrainer(
        model=model_args.model_name_or_path,
        reward_funcs=reward_funcs,
        args=training_args,
        train_dataset=splits["train"],
        eval_dataset=splits["eval"] if training_args.eval_strategy != "no" else None,
        processing_class=tokenizer,
        peft_config=peft_config,
        callbacks=[SaveAndStopCallback(), snapshots],
        vllm_dtype=script_args.vllm_dtype or resolve_dtype(model_args),
        vllm_enforce_eager=script_args.vllm_enforce_eager or training_args.use_cpu,
    )

    snapshots.trainer = trainer

    ##########################
    # Train
    ##########################
    result = trainer.train(resume_from_checkpoint=checkpoint)
    trainer.log_metrics("train", result.metrics)
    trainer.save_metrics("train", result.metrics)
    trainer.save_state()

    ##########################
    # Save adapter and summary
    ##########################
    trainer.save_model(training_args.output_dir)
    summary = {
        "model": model_args.model_name_or_path,
        "output_dir": training_args.output_dir,
        "resumed_from": checkpoint,
        "global_step": trainer.state.global_step,
        "world_size": trainer.accelerator.num_processes,
        "train_metrics": result.metrics,
        "last_log": trainer.state.log_history[-2] if len(trainer.state.log_history) > 1 else None,
        "data": report.as_dict(),
        "rewards": dict(zip([f.__name__ for f in reward_funcs], reward_weights, strict=True)),
        "wall_time_s": round(time.time() - started, 1),
    }
    if trainer.accelerator.is_main_process:
        Path(training_args.output_dir, script_args.run_summary).write_text(json.dumps(summary, indent=2, default=str))
        logger.info("Saved adapter and %s to %s", script_args.run_summary, training_args.output_dir)
    return trainer


if __name__ == "__main__":
    main(*TrlParser(RECIPE).parse_args_and_config())
