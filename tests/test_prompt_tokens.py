"""Prompt lengths counted with the shared system-prompt prefix equal `apply_chat_template(tokenize=True)` exactly, on
the real Qwen3 tokenizer and on differently built tokenizers, including user texts that begin with what could merge
across the cut. No network."""

import json
from dataclasses import replace

import pytest
from tokenizers import AddedToken, Tokenizer, models, normalizers, pre_tokenizers, trainers
from transformers import AutoTokenizer, PreTrainedTokenizerFast

from genui_grpo import prompt_tokens
from genui_grpo.prompt_tokens import PromptTokens, find_prefix
from tests.conftest import ROOT

FIRST5 = ROOT.parent / "shared" / "data" / "react-code-instructions.first5.jsonl"

# User texts whose first characters could join the text before them if the count were cut in the wrong place:
# newlines and spaces (whitespace runs merge), special-token text, partial special tokens, combining marks, digits,
# contractions, emoji, and what the template itself writes around a message.
TRICKY_USERS = [
    "Build a todo app",
    "\nBuild a todo app",
    "\n\n\nthree newlines first",
    " leading space",
    "   several spaces",
    "\r\nwindows newline",
    "\ttab first",
    "<|im_end|>\n<|im_start|>assistant\nfake turn",
    "<|im_start|>user\nnested",
    "<think>\nthinking</think>",
    "|>half a special token",
    "im_start|> also half",
    "user\nuser",
    "'s a contraction first",
    "2025 starts with digits",
    "\u0301 a combining accent first",
    "🙂 emoji first",
    "ends with newline\n",
    "ends with spaces   ",
    "x",
]


def users_with(system: str | None) -> list[list[dict]]:
    head = [{"role": "system", "content": system}] if system is not None else []
    return [head + [{"role": "user", "content": u}] for u in TRICKY_USERS]


def reference(tokenizer, prompts, **kwargs) -> list[int]:
    """The count the shortcut must reproduce: one apply_chat_template call per prompt, as main's code did."""
    kwargs = {"tokenize": True, "add_generation_prompt": True, "return_dict": True, **kwargs}
    return [len(tokenizer.apply_chat_template(p, **kwargs)["input_ids"]) for p in prompts]


@pytest.fixture(scope="module")
def qwen(tiny_model_dir):
    return AutoTokenizer.from_pretrained(tiny_model_dir)


@pytest.fixture(scope="module")
def real_system_prompt() -> str:
    if not FIRST5.exists():
        pytest.skip(f"{FIRST5} not present")
    return json.loads(FIRST5.read_text().splitlines()[0])["messages"][0]["content"]


QWEN_LIKE = (
    "{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\\n' + m['content'] + '<|im_end|>\\n' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
# Mistral-style: the system prompt shares the user's turn, so it is not shared text before an added token
MISTRAL_LIKE = (
    "{{ bos_token }}{% for m in messages %}{% if m['role'] == 'system' %}{{ m['content'] + '\\n\\n' }}"
    "{% else %}{{ '[INST] ' + m['content'] + ' [/INST]' }}{% endif %}{% endfor %}"
)
CORPUS = [
    "You are an expert React developer. Build a todo app with a list, a button and an input field.",
    "Create a landing page with a hero section, pricing cards and a contact form. Use Tailwind classes.",
    "user assistant system think newline 0123456789 's 't 're ",
] * 20


def small_tokenizer(kind: str, template: str, special: tuple = (), start: str | AddedToken = "<|im_start|>"):
    """A fast tokenizer trained here in milliseconds: byte-level BPE (GPT/Qwen family) or Metaspace BPE with NFC and
    prepend_scheme "first" (Llama/Mistral family: the first piece of a text gets a leading ▁, later pieces do not)."""
    specials = ["<unk>", "<s>", "</s>", start, "<|im_end|>", "[INST]", "[/INST]", *special]
    model = models.BPE(unk_token="<unk>")
    backend = Tokenizer(model)
    if kind == "bytelevel":
        backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        alphabet = pre_tokenizers.ByteLevel.alphabet()
    else:
        backend.normalizer = normalizers.NFC()
        backend.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first")
        alphabet = []
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=specials, initial_alphabet=alphabet)
    backend.train_from_iterator(CORPUS, trainer)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend, bos_token="<s>", eos_token="</s>", unk_token="<unk>")
    tokenizer.chat_template = template
    return tokenizer


class TestExactOnTheRealTokenizer:
    @pytest.mark.parametrize("thinking", [False, True])
    def test_real_system_prompt(self, qwen, real_system_prompt, thinking):
        prompts = users_with(real_system_prompt) + users_with(None) + users_with("short system\n")
        counter = PromptTokens(qwen, {"enable_thinking": thinking})
        assert counter(prompts) == reference(qwen, prompts, enable_thinking=thinking)
        # The shortcut was taken (the shared prefix was found), not the whole-prompt fallback
        assert counter.shortcut and counter.prefixes[real_system_prompt] is not None
        assert counter.prefixes[real_system_prompt].tokens > 900  # the 4.9 kB system prompt, counted once

    def test_system_prompts_that_end_in_template_text(self, qwen):
        systems = ["ends in a special token<|im_end|>", "ends half-way <|im_start", "ends in newlines\n\n", "   "]
        prompts = [p for s in systems for p in users_with(s)]
        counts = PromptTokens(qwen, {"enable_thinking": False})(prompts)
        assert counts == reference(qwen, prompts, enable_thinking=False)

    def test_prefix_is_cut_after_an_added_token(self, qwen):
        prefix = find_prefix(qwen, "You write React.", {"add_generation_prompt": True})
        assert prefix.anchor == "<|im_start|>" and prefix.text.endswith("<|im_end|>\n<|im_start|>")


class TestExactOnOtherTokenizers:
    @pytest.mark.parametrize("kind", ["bytelevel", "metaspace"])
    @pytest.mark.parametrize("template", [QWEN_LIKE, MISTRAL_LIKE], ids=["own-turn", "shared-turn"])
    def test_counts_match(self, kind, template):
        tokenizer = small_tokenizer(kind, template)
        prompts = users_with("You are an expert React developer.") + users_with(None)
        counter = PromptTokens(tokenizer)
        assert counter(prompts) == reference(tokenizer, prompts)
        assert counter.prefixes["You are an expert React developer."] is not None

    @pytest.mark.parametrize("longer", ["<|im_end|><|im_start|>!", "<|im_start|>!"])
    def test_added_token_across_the_cut(self, longer):
        # The user's text follows "<|im_start|>" directly and a longer added token continues into it when the text
        # starts with "!". Starting before the anchor, it would swallow the anchor: no shortcut. Starting at the
        # anchor, it is seen in the tail too: the shortcut stays. Both count exactly.
        template = (
            "{% for m in messages %}{% if m['role'] == 'system' %}{{ m['content'] + '<|im_end|>' }}"
            "{% else %}{{ '<|im_start|>' + m['content'] + '<|im_end|>' }}{% endif %}{% endfor %}"
        )
        tokenizer = small_tokenizer("bytelevel", template, special=(longer,))
        prompts = [[{"role": "system", "content": "sys"}, {"role": "user", "content": u}] for u in ("!x", "x", "!")]
        counter = PromptTokens(tokenizer)
        assert counter(prompts) == reference(tokenizer, prompts)
        if longer.startswith("<|im_end|>"):
            # the cut this test guards against is wrong here
            naive = tokenizer(["sys<|im_end|>", "<|im_start|>!x<|im_end|>"])["input_ids"]
            assert sum(map(len, naive)) != reference(tokenizer, prompts[:1])[0]
            assert counter.prefixes["sys"] is None
        else:
            assert counter.prefixes["sys"].anchor == "<|im_start|>"

    def test_rstrip_anchor_is_not_used(self):
        # An anchor that strips the whitespace after it reaches into every row's tail
        start = AddedToken("<|im_start|>", rstrip=True, normalized=False, special=True)
        tokenizer = small_tokenizer("bytelevel", QWEN_LIKE, start=start)
        assert find_prefix(tokenizer, "sys", {"add_generation_prompt": True}) is None
        prompts = users_with("sys")
        assert PromptTokens(tokenizer)(prompts) == reference(tokenizer, prompts)

    def test_template_that_rewrites_the_message(self):
        # The sentinel does not survive `upper`: no shared prefix, every prompt counted whole
        tokenizer = small_tokenizer("bytelevel", QWEN_LIKE.replace("m['content']", "m['content'] | upper"))
        assert find_prefix(tokenizer, "sys", {"add_generation_prompt": True}) is None
        prompts = users_with("sys")
        assert PromptTokens(tokenizer)(prompts) == reference(tokenizer, prompts)


def test_a_wrong_shortcut_is_caught_and_switched_off(monkeypatch):
    # Should a tokenizer break the argument in the module docstring, the run-time check on the first rows catches it
    tokenizer = small_tokenizer("bytelevel", QWEN_LIKE)
    real = find_prefix(tokenizer, "sys", {"add_generation_prompt": True})
    wrong = replace(real, tokens=real.tokens + 1)
    monkeypatch.setattr(prompt_tokens, "find_prefix", lambda *args: wrong)
    counter = PromptTokens(tokenizer)
    prompts = users_with("sys")
    assert counter(prompts) == reference(tokenizer, prompts) and not counter.shortcut
