"""Model loading arguments and the LoRA configuration for Qwen3-MoE.

LoRA goes on the attention projections and, optionally, on the fused MoE experts through PEFT's `target_parameters`
(transformers 5 stores each layer's experts as 3-D parameters, not nn.Linear modules). The router (`mlp.gate`) is
never a target: adapting it shifts which experts fire for every token, which destabilises MoE RL, and `all-linear`
would include it.
"""

import logging

import torch
from peft import LoraConfig
from trl import ModelConfig

logger = logging.getLogger(__name__)

ATTENTION_MODULES = ["q_proj", "k_proj", "v_proj", "o_proj"]
EXPERT_PARAMETERS = ["mlp.experts.gate_up_proj", "mlp.experts.down_proj"]
ROUTER_NAMES = {"gate", "mlp.gate", "router"}


def resolve_dtype(model_args: ModelConfig) -> str:
    """bf16 on GPU, float32 on CPU, unless the recipe names a dtype."""
    if model_args.dtype not in (None, "auto"):
        return model_args.dtype
    return "bfloat16" if torch.cuda.is_available() else "float32"


def router_logits_off(path: str, revision: str | None = None) -> dict:
    """from_pretrained kwargs that load an MoE checkpoint with `output_router_logits` off, if its config has it on.

    TRL's SFTTrainer turns it on for its load-balancing loss and saves it so (the demo's warm start, any SFT-then-GRPO
    flow). Loaded that way, every forward computes that loss, generation included, and Qwen3-MoE cannot with a KV
    cache (the attention mask covers the whole sequence, the router logits only the new token): generate() fails.
    GRPOTrainer asks for router logits per forward when it adds the loss, so nothing is lost by loading them off."""
    from transformers import AutoConfig

    config = AutoConfig.from_pretrained(path, revision=revision).get_text_config()
    return {"output_router_logits": False} if getattr(config, "output_router_logits", False) else {}


def model_init_kwargs(model_args: ModelConfig, training_args) -> dict:
    """Keyword arguments GRPOTrainer passes to from_pretrained when given a model id."""
    kwargs = {
        **router_logits_off(model_args.model_name_or_path, model_args.model_revision),
        **(training_args.model_init_kwargs or {}),
    }
    kwargs.setdefault("dtype", resolve_dtype(model_args))
    kwargs.setdefault("revision", model_args.model_revision)
    if model_args.attn_implementation is not None:
        kwargs.setdefault("attn_implementation", model_args.attn_implementation)
    if model_args.load_in_4bit or model_args.load_in_8bit:
        from trl import get_kbit_device_map, get_quantization_config

        kwargs["quantization_config"] = get_quantization_config(model_args)
        kwargs["device_map"] = get_kbit_device_map()
    return kwargs


def lora_config(model_args: ModelConfig, experts: bool = True) -> LoraConfig | None:
    """LoRA on attention (+ fused experts). Refuses targets that would reach the router."""
    if not model_args.use_peft:
        return None
    modules = model_args.lora_target_modules or ATTENTION_MODULES
    if isinstance(modules, str):
        modules = [modules]
    bad = [m for m in modules if m == "all-linear" or m in ROUTER_NAMES]
    if bad:
        raise ValueError(
            f"lora_target_modules {bad} would put LoRA on the MoE router (mlp.gate), which destabilises training; "
            f"list the projections instead, e.g. {ATTENTION_MODULES}"
        )
    parameters = list(model_args.lora_target_parameters or (EXPERT_PARAMETERS if experts else []))
    dropout = model_args.lora_dropout
    if parameters and dropout:
        # PEFT's ParamWrapper (target_parameters) does not support dropout.
        logger.warning("lora_dropout=%s is not supported with target_parameters; using 0.0", dropout)
        dropout = 0.0
    return LoraConfig(
        r=model_args.lora_r,
        lora_alpha=model_args.lora_alpha,
        lora_dropout=dropout,
        target_modules=list(modules),
        target_parameters=parameters or None,
        modules_to_save=model_args.lora_modules_to_save,
        task_type=model_args.lora_task_type,
        use_rslora=model_args.use_rslora,
        use_dora=model_args.use_dora,
        bias="none",
    )
