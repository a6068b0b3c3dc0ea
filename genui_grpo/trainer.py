"""GRPOTrainer with the streamed, exact LoRA -> vLLM weight sync (genui_grpo/vllm_sync.py), the MoE router aux loss
kept alive under ZeRO-3, and metrics TRL does not log (the reward's event counters, the vLLM sync's peak memory, the
importance-sampling capped share).

Why a subclass, and what it touches (everything else, training, generation and the loss, is TRL's):
- `__init__`: TRL builds its `VLLMGeneration` inside `GRPOTrainer.__init__` with no hook to choose the class, and
  passes no vLLM dtype; our subclass is swapped in for the duration of `super().__init__()`. Afterwards, TRL's
  forced reentrant checkpointing for PEFT + ZeRO-3 is undone where DeepSpeed no longer needs it (see
  `gradient_checkpointing_kwargs`), and the sync's peak memory is routed into the logged metrics.
- `_generate_and_score_completions`: calls TRL's, then logs the share of tokens (or completions) whose vLLM
  importance-sampling weight the chosen mode masked or truncated (`sampling/importance_sampling_ratio/capped_fraction`).
- `log` (which transformers documents as the method to override to inject custom behaviour) adds the reward's
  counters (`reward.stats`: graders that raised, render failures that were not the completion's fault), summed over
  processes, as `reward/<event>` to every log; TRL's GRPOTrainer.log passes extra keys through to every reporter.
Every TRL method and hook this relies on is checked when this module is imported (`check_trl_hooks`): if TRL renames
one, training would otherwise silently fall back to TRL's whole-model gather or lose the metric.
"""

import functools
import logging

import torch
from accelerate.utils import gather_object
from trl import GRPOTrainer

from reward import stats

logger = logging.getLogger(__name__)

# Always logged, so a run that never hits one shows a 0 rather than no curve at all.
ALWAYS_LOGGED = ("grader_errors",)

CAPPED_FRACTION = "sampling/importance_sampling_ratio/capped_fraction"
SYNC_PEAK = "vllm/sync_peak_gib"


def check_trl_hooks() -> None:
    """Fail at import, naming the fix, if a TRL method or hook that this project overrides or patches is gone."""
    import trl
    import trl.generation.vllm_generation as vg
    import trl.trainer.grpo_trainer as grpo_module

    def code_names(fn) -> set[str]:
        return set(fn.__code__.co_names)

    problems = []
    if not hasattr(grpo_module, "VLLMGeneration"):
        problems.append("trl.trainer.grpo_trainer no longer imports VLLMGeneration (the class we swap in)")
    for name in ("_init_vllm", "_iter_named_params", "sync_weights"):
        if not callable(getattr(vg.VLLMGeneration, name, None)):
            problems.append(f"VLLMGeneration.{name} is gone")
    if "_iter_named_params" not in code_names(getattr(vg.VLLMGeneration, "sync_weights", lambda: None)):
        problems.append("VLLMGeneration.sync_weights no longer reads _iter_named_params (server-mode streaming)")
    if "LLM" not in code_names(getattr(vg.VLLMGeneration, "_init_vllm", lambda: None)):
        problems.append("VLLMGeneration._init_vllm no longer builds vLLM through the module's LLM")
    if not callable(getattr(GRPOTrainer, "_generate_and_score_completions", None)):
        problems.append("GRPOTrainer._generate_and_score_completions is gone")
    if "aux_loss_enabled" not in code_names(GRPOTrainer.__init__):
        problems.append("GRPOTrainer.__init__ no longer sets aux_loss_enabled")
    if problems:
        raise ImportError(
            f"genui_grpo relies on TRL internals that trl {trl.__version__} does not have: {'; '.join(problems)}. "
            "Install the TRL this project pins (pip install 'trl==1.16.*') or update genui_grpo/vllm_sync.py and "
            "genui_grpo/trainer.py for this TRL."
        )


check_trl_hooks()


def deepspeed_recomputes_frozen_params() -> bool:
    """Whether DeepSpeed keeps frozen parameters gathered during an activation-checkpoint recompute
    (deepspeedai/DeepSpeed#8148, in 0.19.8), which is what non-reentrant checkpointing needs under ZeRO-3."""
    try:
        from deepspeed.runtime.zero import partitioned_param_coordinator
    except ImportError:
        return False
    return hasattr(partitioned_param_coordinator, "update_recompute_parameters")


def gradient_checkpointing_kwargs(kwargs: dict | None, forced_by_trl: bool, aux_loss: bool) -> dict | None:
    """The checkpointing kwargs to train with.

    TRL 1.16 forces `use_reentrant=True` for PEFT + ZeRO-3 + gradient checkpointing (`forced_by_trl`): an interim
    workaround for DeepSpeed partitioning frozen parameters during a non-reentrant recompute (CheckpointError, shape
    [0]). Reentrant checkpointing recomputes the forward without autograd, so the router logits that the MoE aux loss
    is computed from are detached: `router_aux_loss_coef` would change the logged loss and nothing else. With a
    DeepSpeed that has the fix, non-reentrant checkpointing is restored (transformers' default). Without it, a recipe
    that asks for the aux loss is refused rather than silently trained without it.
    """
    if not forced_by_trl:
        return kwargs
    if deepspeed_recomputes_frozen_params():
        return {**(kwargs or {}), "use_reentrant": False}
    if aux_loss:
        raise RuntimeError(
            "router_aux_loss_coef would have no effect: with PEFT + DeepSpeed ZeRO-3 + gradient checkpointing, this "
            "DeepSpeed needs reentrant checkpointing, which detaches the router logits the aux loss is computed from. "
            "Install deepspeed>=0.19.8 (pip install -e '.[gpu]'), or set router_aux_loss_coef: 0.0 to train without "
            "the aux loss, or gradient_checkpointing: false."
        )
    return kwargs


def capped_counts(
    ratio: torch.Tensor, completion_mask: torch.Tensor, mode: str, clip_min: float | None, clip_max: float | None
) -> tuple[torch.Tensor, torch.Tensor]:
    """(capped, total): how many importance-sampling weights TRL's `mode` masked (set to 0) or truncated (clamped to
    a bound), out of how many. Token modes count completion tokens; sequence modes ((B, 1) ratios) count completions.
    """
    if ratio.shape[-1] == 1:  # sequence_*: one ratio per completion
        ratio, mask = ratio[:, 0], completion_mask.sum(-1) > 0
    else:
        mask = completion_mask.bool()
    if mode.endswith("_mask"):
        capped = ratio == 0
    else:
        capped = torch.zeros_like(ratio, dtype=torch.bool)
        for bound in (clip_min, clip_max):
            if bound is not None:
                capped |= ratio == bound
    return (capped & mask).sum(), mask.sum()


class GenUIGRPOTrainer(GRPOTrainer):
    def __init__(self, *args, vllm_dtype: str | None = None, vllm_enforce_eager: bool = False, **kwargs):
        training_args = kwargs.get("args")
        requested = dict(getattr(training_args, "gradient_checkpointing_kwargs", None) or {})
        if getattr(training_args, "use_vllm", False):
            import trl.trainer.grpo_trainer as grpo_module

            from genui_grpo.vllm_sync import make_vllm_generation_class

            original = grpo_module.VLLMGeneration
            grpo_module.VLLMGeneration = functools.partial(
                make_vllm_generation_class(), dtype=vllm_dtype, enforce_eager=vllm_enforce_eager
            )
            try:
                super().__init__(*args, **kwargs)
            finally:
                grpo_module.VLLMGeneration = original
            self.vllm_generation.on_sync = self._log_sync_peak
        else:
            super().__init__(*args, **kwargs)

        forced = (self.args.gradient_checkpointing_kwargs or {}).get("use_reentrant") and not requested.get(
            "use_reentrant"
        )
        self.args.gradient_checkpointing_kwargs = gradient_checkpointing_kwargs(
            self.args.gradient_checkpointing_kwargs, bool(forced), self.aux_loss_enabled
        )
        if forced:
            logger.info("gradient checkpointing kwargs: %s", self.args.gradient_checkpointing_kwargs)

    def _log_sync_peak(self, peak_bytes: int) -> None:
        mode = "train" if self.model.training else "eval"
        self._metrics[mode][SYNC_PEAK].append(peak_bytes / 1024**3)

    def _generate_and_score_completions(self, inputs):
        output = super()._generate_and_score_completions(inputs)
        ratio = output.get("importance_sampling_ratio")
        if ratio is not None:
            capped, total = capped_counts(
                ratio, output["completion_mask"], self.vllm_importance_sampling_mode,
                self.vllm_importance_sampling_clip_min, self.vllm_importance_sampling_clip_max,
            )  # fmt: skip
            counts = self.accelerator.gather(torch.stack([capped, total]).float().reshape(1, 2)).sum(0)
            mode = "train" if self.model.training else "eval"
            self._metrics[mode][CAPPED_FRACTION].append((counts[0] / counts[1].clamp(min=1)).item())
        return output

    def log(self, logs: dict[str, float], start_time: float | None = None) -> None:
        counts = dict.fromkeys(ALWAYS_LOGGED, 0) | stats.drain()
        if self.accelerator.num_processes > 1:
            # Every process scores its own completions. Trainer calls log() on every process at the same points
            # (after the collective that averages the loss), so this gather cannot leave a process waiting.
            totals: dict[str, int] = {}
            for per_process in gather_object([counts]):
                for event, n in per_process.items():
                    totals[event] = totals.get(event, 0) + n
            counts = totals
        logs.update({f"reward/{event}": n for event, n in counts.items()})
        super().log(logs, start_time)
