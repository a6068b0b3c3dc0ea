"""The tiny embedded model and the real Qwen3 tokenizer, built offline."""

import pytest
from transformers import AutoModelForCausalLM, AutoTokenizer

from genui_grpo.tiny import QWEN3_SPECIAL_TOKENS


@pytest.fixture(scope="module")
def tokenizer(tiny_model_dir):
    return AutoTokenizer.from_pretrained(tiny_model_dir)


class TestTokenizer:
    def test_real_qwen_ids(self, tokenizer):
        # The ids Qwen2/2.5/3 give this string
        assert tokenizer("Hello, world!").input_ids == [9707, 11, 1879, 0]

    def test_special_token_ids(self, tokenizer):
        expected = {
            "<|endoftext|>": 151643,
            "<|im_start|>": 151644,
            "<|im_end|>": 151645,
            "<think>": 151667,
            "</think>": 151668,
        }
        assert {t: tokenizer.convert_tokens_to_ids(t) for t in expected} == expected
        assert len(QWEN3_SPECIAL_TOKENS) == 26 and tokenizer.eos_token == "<|im_end|>"

    def test_thinking_off(self, tokenizer):
        # Qwen3's template with enable_thinking=False pre-fills an empty think block
        text = tokenizer.apply_chat_template(
            [{"role": "user", "content": "hi"}], tokenize=False, add_generation_prompt=True, enable_thinking=False
        )
        assert text == "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n"

    def test_thinking_on_by_default(self, tokenizer):
        text = tokenizer.apply_chat_template(
            [{"role": "user", "content": "hi"}], tokenize=False, add_generation_prompt=True
        )
        assert text.endswith("<|im_start|>assistant\n")


def test_model_architecture(tiny_model_dir):
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    names = dict(model.named_parameters())
    assert type(model).__name__ == "Qwen3MoeForCausalLM"
    # Fused experts (3-D) and a router, as in Qwen3-30B-A3B under transformers 5
    assert names["model.layers.0.mlp.experts.gate_up_proj"].dim() == 3
    assert "model.layers.0.mlp.gate.weight" in names
    # vLLM's CPU attention needs head_dim >= 32
    assert model.config.head_dim >= 32 and model.config.vocab_size >= 151669
