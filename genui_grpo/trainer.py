"""GRPOTrainer with the streamed, exact LoRA -> vLLM weight sync (genui_grpo/vllm_sync.py).

Why a subclass: TRL builds its `VLLMGeneration` inside `GRPOTrainer.__init__` with no hook to choose the class, and
passes no vLLM dtype. The only override is the constructor, which swaps our `VLLMGeneration` subclass in for the
duration of `super().__init__()`; training, generation and the loss are TRL's, untouched.
"""

import functools

from trl import GRPOTrainer


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
