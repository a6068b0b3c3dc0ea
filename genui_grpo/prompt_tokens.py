"""Prompt lengths in tokens, exactly as `apply_chat_template(..., tokenize=True)` counts them, for many rows at once.

Every row of cfahlgren1/react-code-instructions carries the same ~4.9 kB system prompt, so tokenising each templated
prompt whole spends most of the time on the same text. `PromptTokens` renders every prompt with the chat template
(cheap), tokenises the templated text that precedes the user's message once per distinct system prompt, and then
only each row's own tail. The two are joined at an added token (such as `<|im_start|>`), which makes the sum exact
for a fast (🤗 tokenizers) tokenizer:

- the tokenizer first cuts the text at added tokens, then normalises, pre-tokenises and merges every piece between
  them on its own, so no merge reaches across an added token;
- the row's tail is tokenised with that added token in front of it, so the piece after it sits where it sits in the
  whole prompt (pre-tokenizers that treat a text's first piece specially, e.g. Metaspace's prepend_scheme "first",
  see no first piece in either);
- the anchor is matched on the raw text (not `normalized`) and cannot reach into the tail (not `rstrip` or
  `single_word`), and no added token that starts before the anchor could match across the cut (none has a proper
  prefix that ends the shared text and is longer than the anchor);
- every row's rendered prompt must start with the shared text, otherwise that row is tokenised whole.

Whatever breaks a condition (a slow tokenizer, a template that does not print the user's text verbatim, a shared text
without an added token) falls back to whole prompts; the first rows each instance sees are also tokenised whole and
compared, and a mismatch switches the shortcut off for good.
"""

import logging
from dataclasses import dataclass

logger = logging.getLogger(__name__)

# Private-use code points: never in real user text, printed verbatim by any template that prints the content.
SENTINEL = "\ue000genui-user-message\ue000"
# Distinct system prompts that get a shared prefix; rows beyond that (every row its own system prompt) are tokenised
# whole, which is what sharing would cost them anyway.
MAX_PREFIXES = 64
CHECKED_ROWS = 4


@dataclass(frozen=True)
class SharedPrefix:
    text: str  # the templated text before the user's message, cut right after `anchor`
    anchor: str  # the added token `text` ends with; each row's tail is tokenised with it in front
    tokens: int  # tokens of `text` before the anchor


class PromptTokens:
    """Callable: a batch of conversational prompts -> their lengths in tokens with the chat template applied.

    Args:
        tokenizer: the policy's tokenizer (with its chat template).
        template_kwargs: extra chat-template variables, e.g. {"enable_thinking": False}.
    """

    def __init__(self, tokenizer, template_kwargs: dict | None = None):
        self.tokenizer = tokenizer
        self.template_kwargs = {"add_generation_prompt": True, **(template_kwargs or {})}
        self.shortcut = tokenizer.is_fast
        self.prefixes: dict[str | None, SharedPrefix | None] = {}
        self.checked = False

    def __call__(self, prompts: list[list[dict]]) -> list[int]:
        if not prompts:
            return []
        texts = self.tokenizer.apply_chat_template(prompts, tokenize=False, **self.template_kwargs)
        counts = self.count(prompts, texts) if self.shortcut else self.whole(texts)
        if self.shortcut and not self.checked:
            self.checked = True
            if self.whole(texts[:CHECKED_ROWS]) != counts[:CHECKED_ROWS]:
                logger.warning("shared-prefix token counts differ from whole prompts: tokenising whole prompts")
                self.shortcut = False
                counts = self.whole(texts)
        return counts

    def whole(self, texts: list[str]) -> list[int]:
        ids = self.tokenizer(texts, add_special_tokens=False, return_attention_mask=False)["input_ids"]
        return [len(i) for i in ids]

    def count(self, prompts: list[list[dict]], texts: list[str]) -> list[int]:
        pieces, offsets = [], []
        for prompt, text in zip(prompts, texts, strict=True):
            prefix = self.prefix(prompt[0]["content"] if prompt[0]["role"] == "system" else None)
            if prefix is not None and text.startswith(prefix.text):
                pieces.append(prefix.anchor + text[len(prefix.text) :])
                offsets.append(prefix.tokens)
            else:
                pieces.append(text)
                offsets.append(0)
        return [n + tail for n, tail in zip(offsets, self.whole(pieces), strict=True)]

    def prefix(self, system: str | None) -> SharedPrefix | None:
        if system not in self.prefixes:
            if len(self.prefixes) >= MAX_PREFIXES:
                return None
            self.prefixes[system] = find_prefix(self.tokenizer, system, self.template_kwargs)
        return self.prefixes[system]


def find_prefix(tokenizer, system: str | None, template_kwargs: dict) -> SharedPrefix | None:
    """The shared templated text for prompts with this system message, or None where the cut would not be exact."""
    probe = [{"role": "system", "content": system}] if system is not None else []
    probe.append({"role": "user", "content": SENTINEL})
    text = tokenizer.apply_chat_template(probe, tokenize=False, **template_kwargs)
    if text.count(SENTINEL) != 1:
        return None
    head = text[: text.index(SENTINEL)]
    added = tokenizer.added_tokens_decoder
    enc = tokenizer(head, add_special_tokens=False, return_offsets_mapping=True)
    ids, spans = enc["input_ids"], enc["offset_mapping"]
    # The last added token written out in the text (an unknown character also maps to an added token, <unk>)
    written = [i for i, t in enumerate(ids) if t in added and head[slice(*spans[i])] == added[t].content]
    if not written:
        return None
    last = written[-1]
    anchor, end = added[ids[last]], spans[last][1]
    if anchor.normalized or anchor.rstrip or anchor.single_word:
        return None
    shared, n = head[:end], len(anchor.content)
    # An added token that starts before the anchor and ends in a row's tail would replace it (one starting at the
    # anchor is seen in the tail, which begins with the anchor)
    if any(shared.endswith(a.content[:k]) for a in added.values() for k in range(n + 1, len(a.content))):
        return None
    if tokenizer(shared, add_special_tokens=False)["input_ids"] != ids[: last + 1]:
        return None
    return SharedPrefix(shared, anchor.content, last)
