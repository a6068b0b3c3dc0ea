"""GRPOTrainer with the streamed, exact LoRA -> vLLM weight sync (genui_grpo/vllm_sync.py) and the reward's event
counters in the logs.

Why a subclass: TRL builds its `VLLMGeneration` inside `GRPOTrainer.__init__` with no hook to choose the class, and
passes no vLLM dtype. The constructor swaps our `VLLMGeneration` subclass in for the duration of `super().__init__()`.
`log` (which transformers documents as the method to override to inject custom behaviour) adds the reward's counters
(`reward.stats`: graders that raised, render failures that were not the completion's fault), summed over processes, as
`reward/<event>` to every log; TRL's GRPOTrainer.log passes extra keys through to every reporter. Training,
generation and the loss are TRL's, untouched.
"""

import functools

from accelerate.utils import gather_object
from trl import GRPOTrainer

from reward import stats

# Always logged, so a run that never hits one shows a 0 rather than no curve at all.
ALWAYS_LOGGED = ("grader_errors",)


class GenUIGRPOTrainer(GRPOTrainer):
    def __init__(self, *args, vllm_dtype: str | None = None, vllm_enforce_eager: bool = False, **kwargs):
        training_args = kwargs.get("args")
        if training_args is None or not training_args.use_vllm:
            super().__init__(*args, **kwargs)
            return
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
