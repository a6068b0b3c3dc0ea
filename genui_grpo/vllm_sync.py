"""LoRA -> vLLM weight sync: streamed one decoder layer at a time, exact, on CPU and GPU vLLM.

Why a subclass of TRL's `VLLMGeneration` (three narrow overrides):
- `_iter_named_params`: with PEFT under ZeRO-3, TRL gathers the *whole* model before merging LoRA (61 GB per GPU for
  Qwen3-30B-A3B in bf16: an OOM on 80 GB cards). We gather one decoder layer at a time, add its LoRA delta out of
  place (W + BA as a new tensor: the base weights are never modified, so no merge/unmerge round-off accumulates),
  yield its tensors and release it. Peak extra memory is one layer.
- `sync_weights` (colocate): CPU vLLM repacks weights after loading, so TRL's per-tensor `load_weights` crashes
  (`'Parameter' object has no attribute 'weight_loader'`). There we use vLLM's own `reload_weights` and then re-run
  the fused-MoE kernel's repack on every expert layer (without it the MoE silently computes garbage), then reset the
  prefix cache. On GPU, TRL's own per-tensor loading is kept, fed by the streamed iterator.
- `_init_vllm`: TRL passes no dtype to vLLM, which then runs bf16 ("auto") even when the policy is float32 (a 0.03
  logprob gap, IS ratio ~0.8 on CPU). We pass the recipe's dtype and `enforce_eager`.
"""

import functools
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
    """W + sum of LoRA deltas, as a new tensor (out of place: the base weight is never modified)."""
    out = param.data.clone()
    meter.track(out)
    for layer, adapter in sources:
        delta = layer.get_delta_weight(adapter)  # one delta alive at a time
        size = delta.numel() * delta.element_size()
        meter.add(size)
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
    """Counts the bytes that streaming keeps alive at once: the gathered group, the one LoRA delta being added, and
    merged tensors the consumer has not released yet (tracked with weakrefs). `peak` is the high-water mark; with a
    consumer that copies each tensor before asking for the next (vLLM does), it stays within the largest group plus
    two of its tensors."""

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


def repack_fused_moe(model: nn.Module) -> int:
    """Re-run each fused-MoE layer's kernel-specific weight processing after a reload (CPU vLLM pre-packs expert
    weights for its kernel; reloaded checkpoint-format weights must be packed again). Returns the layers repacked."""
    from vllm.model_executor.layers.fused_moe import FusedMoEMethodBase

    count = 0
    for module in model.modules():
        method = getattr(module, "quant_method", None)
        if isinstance(method, FusedMoEMethodBase):
            kernel = getattr(getattr(getattr(method, "moe_kernel", None), "impl", None), "fused_experts", None)
            (kernel or method).process_weights_after_loading(module)
            count += 1
    return count


def make_vllm_generation_class():
    """Built lazily: importing TRL's vLLM module needs vLLM installed."""
    from trl.generation.vllm_generation import VLLMGeneration, empty_cache

    class StreamedVLLMGeneration(VLLMGeneration):
        def __init__(self, *args, dtype: str | None = None, enforce_eager: bool = False, **kwargs):
            self.vllm_dtype = dtype
            self.vllm_enforce_eager = enforce_eager
            self.last_sync_peak_bytes = 0
            super().__init__(*args, **kwargs)

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
                return super().sync_weights()
            if self.enable_sleep_mode:
                empty_cache()
                self.llm.wake_up(tags=["weights"])
                self._llm_weights_sleeping = False
            runner = self.llm.llm_engine.model_executor.driver_worker.model_runner
            if type(runner).__name__.startswith("CPU"):
                runner.reload_weights(weights_iterator=self._iter_named_params(), is_checkpoint_format=True)
                repack_fused_moe(runner.model)
            else:
                for name, tensor in self._iter_named_params():
                    runner.model.load_weights([(name, tensor)])
            self.llm.reset_prefix_cache()

    return StreamedVLLMGeneration
