"""LoRA -> vLLM weight sync: streamed one decoder layer at a time, exact, on CPU and GPU vLLM.

Why a subclass of TRL's `VLLMGeneration` (three narrow overrides; genui_grpo/trainer.py checks at import that TRL
still has them):
- `_iter_named_params`: with PEFT under ZeRO-3, TRL gathers the *whole* model before merging LoRA (61 GB per GPU for
  Qwen3-30B-A3B in bf16: an OOM on 80 GB cards). We gather one decoder layer at a time, add its LoRA delta out of
  place (W + BA as a new tensor: the base weights are never modified, so no merge/unmerge round-off accumulates),
  yield its tensors and release it. Peak extra memory is one layer plus a few tensors (`MemoryMeter`).
- `sync_weights` (colocate): TRL calls `model.load_weights` one tensor at a time. vLLM post-processes expert weights
  after loading for its MoE kernel (the CPU kernel pre-packs them, FlashInfer's TRTLLM kernel on Blackwell permutes
  them), and a per-tensor `load_weights` never re-runs that step: on CPU it crashes (`'Parameter' object has no
  attribute 'weight_loader'`), on SM100 the MoE silently computes garbage. We use vLLM's own layer-wise reload on
  every platform (`model_runner.reload_weights(weights_iterator=..., is_checkpoint_format=True)`: each layer is
  loaded in checkpoint format, then its `process_weights_after_loading` re-runs, which redoes the TRTLLM permutation),
  then finish what that reload skips on an update (`finish_moe_reload`), then reset the prefix cache. Server mode
  needs none of this here: vLLM's NCCL weight-transfer engine runs the same layer-wise reload on the server.
- `_init_vllm`: TRL passes no dtype to vLLM, which then runs bf16 ("auto") even when the policy is float32 (a 0.03
  logprob gap, IS ratio ~0.8 on CPU). We pass the recipe's dtype and `enforce_eager`.
"""

import functools
import inspect
import logging
import re
import weakref
from collections.abc import Callable, Iterator
from contextlib import nullcontext

import torch
from torch import nn

logger = logging.getLogger(__name__)

LAYER_INDEX = re.compile(r"^(.*?\.layers\.\d+)\.")


def vllm_name(name: str) -> str | None:
    """The checkpoint name vLLM expects for a (possibly PEFT-wrapped) parameter; None for LoRA's own weights."""
    if ".lora_" in name or "original_module" in name:
        return None
    name = name.removeprefix("base_model.model.").replace(".base_layer", "")
    name = name.replace("modules_to_save.default.", "").replace("_checkpoint_wrapped_module.", "")
    return name


def _tuner_layers(model: nn.Module) -> list[nn.Module]:
    try:
        from peft.tuners.tuners_utils import BaseTunerLayer
    except ImportError:
        return []
    return [m for m in model.modules() if isinstance(m, BaseTunerLayer)]


def _base_param(layer: nn.Module) -> nn.Parameter:
    """The parameter a LoRA layer adapts: the wrapped 3-D expert tensor (ParamWrapper) or a Linear's weight."""
    if hasattr(layer, "get_param") and getattr(layer, "parameter_name", None):
        return layer.get_param()
    return layer.get_base_layer().weight


def lora_sources(layers: list[nn.Module]) -> dict[int, list[tuple[nn.Module, str]]]:
    """For each adapted base parameter (keyed by id), the (LoRA layer, adapter) pairs whose deltas add to it."""
    sources: dict[int, list[tuple[nn.Module, str]]] = {}
    for layer in layers:
        if getattr(layer, "disable_adapters", False):
            continue
        for adapter in layer.active_adapters:
            if adapter in getattr(layer, "lora_A", {}):
                sources.setdefault(id(_base_param(layer)), []).append((layer, adapter))
    return sources


def merged(param: nn.Parameter, sources: list[tuple[nn.Module, str]], meter: "MemoryMeter") -> torch.Tensor:
    """W + sum of LoRA deltas, as a new tensor (out of place: the base weight is never modified). PEFT's
    `get_delta_weight` is what `merge_and_unload` adds, so the result is bit-identical to a merged checkpoint."""
    out = param.data.clone()
    meter.track(out)
    for layer, adapter in sources:
        # PEFT builds the delta as an einsum (B x A) and then scales it: two tensors of the parameter's size are alive
        # at the peak inside get_delta_weight, one (the delta) once it returns. One delta at a time.
        delta = layer.get_delta_weight(adapter)
        size = delta.numel() * delta.element_size()
        meter.add(2 * size)
        meter.add(-size)
        out.add_(delta.to(out.dtype))
        meter.add(-size)
        del delta
    return out


def weight_groups(model: nn.Module) -> list[list[tuple[str, nn.Parameter]]]:
    """Parameters grouped for streaming: one group per decoder layer, and each other parameter (embeddings, final
    norm, lm_head) on its own. Every LoRA weight lands in the group of the base weight it adapts."""
    groups: dict[str, list[tuple[str, nn.Parameter]]] = {}
    for name, param in model.named_parameters():
        match = LAYER_INDEX.match(name)
        groups.setdefault(match.group(1) if match else name, []).append((name, param))
    return list(groups.values())


class MemoryMeter:
    """Counts the bytes that streaming keeps alive at once: the gathered group, the merged tensor being built with
    PEFT's two delta temporaries, and merged tensors the consumer has not released yet (tracked with weakrefs).
    `peak` is the high-water mark; with a consumer that copies each tensor before asking for the next (vLLM does), it
    stays within the largest group plus three of its largest tensor (benchmarks/plan_check.py measures it)."""

    def __init__(self):
        self.alive = 0
        self.peak = 0

    def add(self, n: int) -> None:
        self.alive += n
        self.peak = max(self.peak, self.alive)

    def track(self, tensor: torch.Tensor) -> None:
        n = tensor.numel() * tensor.element_size()
        self.add(n)
        weakref.finalize(tensor, self.add, -n)


def _bytes(params) -> int:
    return sum(p.numel() * p.element_size() for p in params)


def iter_streamed_weights(
    model: nn.Module,
    gather: Callable[[list[nn.Parameter]], object] | None = None,
    meter: MemoryMeter | None = None,
) -> Iterator[tuple[str, torch.Tensor]]:
    """Yield (vLLM name, merged tensor) one group at a time. `gather(params)` is a context manager that materialises
    sharded parameters (DeepSpeed ZeRO-3's GatheredParameters); every rank must iterate, since gathering is collective.
    """
    sharded = gather is not None  # only a real gather (ZeRO-3) materialises the group as extra memory
    gather = gather or (lambda params: nullcontext())
    meter = meter if meter is not None else MemoryMeter()
    # Which LoRA layers add to which base parameter: parameter identities are stable, so this is done once per sync
    # (reading the layers' structure needs no gathered data; their deltas are computed inside each group's gather).
    sources = lora_sources(_tuner_layers(model))
    for group in weight_groups(model):
        params = [p for _, p in group]
        group_bytes = _bytes(params) if sharded else 0
        with gather(params):
            meter.add(group_bytes)
            for name, param in group:
                target = vllm_name(name)
                if target is None:
                    continue
                yield target, merged(param, sources[id(param)], meter) if id(param) in sources else param.data
            meter.add(-group_bytes)


def finish_moe_reload(model: nn.Module) -> int:
    """Complete a layer-wise reload of unquantized fused-MoE layers. On a weight *update* vLLM 0.31's
    `UnquantizedFusedMoEMethod` re-converts the weights to the kernel's format (the TRTLLM permutation on Blackwell)
    but skips the experts kernel's own `process_weights_after_loading`, which it runs on the first load only. That
    step is a no-op for the GPU kernels of bf16 weights (Triton, TRTLLM) and the pre-packing for the CPU kernel; run it
    again, as the first load did. Quantized MoE layers are refused: their post-processing is not idempotent.
    Returns the layers finished."""
    from vllm.model_executor.layers.fused_moe import FusedMoEMethodBase
    from vllm.model_executor.layers.fused_moe.unquantized_fused_moe_method import UnquantizedFusedMoEMethod

    count = 0
    for module in model.modules():
        method = getattr(module, "quant_method", None)
        if not isinstance(method, FusedMoEMethodBase):
            continue
        if not isinstance(method, UnquantizedFusedMoEMethod) or method.moe_kernel is None:
            raise RuntimeError(
                f"{type(method).__name__} on {type(module).__name__}: the streamed weight sync only supports "
                "unquantized MoE in vLLM; serve the policy in bf16/fp32 (no vLLM quantization) to train it"
            )
        method.moe_kernel.fused_experts.process_weights_after_loading(module)
        count += 1
    return count


def check_reload_api(runner) -> None:
    """vLLM's layer-wise reload is what makes an in-place update correct for post-processed (MoE) weights; refuse
    to sync into a vLLM whose model runner lacks it, rather than fall back to a per-tensor load that computes garbage
    on some kernels. (vLLM 0.31's model runner V2, the default on CUDA, forwards `*args, **kwargs` to V1's.)"""
    from vllm.v1.worker.gpu_model_runner import GPUModelRunner

    def named(fn) -> tuple[set[str], bool]:
        params = inspect.signature(fn).parameters.values() if callable(fn) else ()
        names = {p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)} - {"self"}
        return names, any(p.kind == p.VAR_KEYWORD for p in params)

    names, forwards = named(getattr(runner, "reload_weights", None))
    if not names and forwards:
        names, _ = named(GPUModelRunner.reload_weights)
    if not {"weights_iterator", "is_checkpoint_format"} <= names:
        raise RuntimeError(
            f"{getattr(runner, '__name__', type(runner).__name__)}.reload_weights(weights_iterator=..., is_checkpoint_format=...) is missing in "
            "this vLLM: the colocated weight sync needs it. Install the vLLM this project pins (vllm==0.31.0)."
        )


def make_vllm_generation_class():
    """Built lazily: importing TRL's vLLM module needs vLLM installed."""
    from trl.generation.vllm_generation import VLLMGeneration, empty_cache

    class StreamedVLLMGeneration(VLLMGeneration):
        def __init__(self, *args, dtype: str | None = None, enforce_eager: bool = False, **kwargs):
            self.vllm_dtype = dtype
            self.vllm_enforce_eager = enforce_eager
            self.last_sync_peak_bytes = 0
            self.on_sync: Callable[[int], None] | None = None  # receives each sync's peak bytes (a metric)
            super().__init__(*args, **kwargs)
            if self.mode == "colocate":
                check_reload_api(self._model_runner())

        def _model_runner(self):
            return self.llm.llm_engine.model_executor.driver_worker.model_runner

        def _init_vllm(self):
            import trl.generation.vllm_generation as vg

            original = vg.LLM
            extra = {"enforce_eager": self.vllm_enforce_eager}
            if self.vllm_dtype:
                extra["dtype"] = self.vllm_dtype
            vg.LLM = functools.partial(original, **extra)
            try:
                super()._init_vllm()
            finally:
                vg.LLM = original

        def _iter_named_params(self):
            if self._dist.is_fsdp:  # FSDP has its own traversal in TRL; streaming here targets DeepSpeed ZeRO-3
                yield from super()._iter_named_params()
                return
            meter = MemoryMeter()
            gather = self._dist.gather_params if self._dist.is_zero3 else None
            yield from iter_streamed_weights(self.model, gather, meter)
            self.last_sync_peak_bytes = meter.peak

        def sync_weights(self):
            if self.mode != "colocate":
                super().sync_weights()
            else:
                if self.enable_sleep_mode:
                    empty_cache()
                    self.llm.wake_up(tags=["weights"])
                    self._llm_weights_sleeping = False
                runner = self._model_runner()
                runner.reload_weights(weights_iterator=self._iter_named_params(), is_checkpoint_format=True)
                finish_moe_reload(runner.get_model())
                self.llm.reset_prefix_cache()
            if self.on_sync is not None:
                self.on_sync(self.last_sync_peak_bytes)

    return StreamedVLLMGeneration
