"""Extraction of the answer's code from answers as models write them: prose, think blocks, special tokens, fences with
attributes, usage snippets and shell blocks. No network, no browser."""

import json

import pytest

from reward import score
from reward.extract import clean, extract_code
from tests.conftest import ROOT, component

CODE = "export default function App() {\n  return <div>hi</div>;\n}"
COUNTER = component("24").strip()
SHARED = ROOT.parent / "shared" / "data" / "react-code-instructions.first5.jsonl"


def real_answers() -> list[str]:
    """The assistant answers of the five real dataset rows (CI has ../shared beside the clone)."""
    return [json.loads(line)["messages"][2]["content"] for line in SHARED.read_text().splitlines()]


class TestBasics:
    def test_single_fenced_block_with_prose(self):
        # Prose around one block is how the dataset's own answers look
        e = extract_code(f"Here you go:\n\n```tsx\n{CODE}\n```\n\nEnjoy!")
        assert e.ok and e.code == CODE

    def test_bare_code(self):
        # No fences, but the text is a module
        e = extract_code(CODE)
        assert e.ok and e.code == CODE

    def test_bare_code_after_a_line_of_prose(self):
        # No fences: the code starts at the first line that starts a module statement
        e = extract_code(f"Here is the file:\n{CODE}")
        assert e.ok and e.code == CODE

    def test_prose_only(self):
        # No code at all
        assert extract_code("You could build this with React state and a list.").problem == "no_code"

    def test_empty(self):
        assert extract_code("").problem == "no_code"

    def test_unclosed_fence(self):
        # Cut off mid-block: truncation
        e = extract_code(f"```tsx\n{CODE[:20]}")
        assert e.problem == "unclosed_fence" and e.cut_off

    def test_unclosed_fence_but_the_model_stopped(self):
        # The ids say EOS: the model ended its answer without closing the fence; the block runs to the end
        e = extract_code(f"```tsx\n{CODE}\n", ended=True)
        assert e.ok and e.code == CODE and not e.cut_off

    def test_think_block_stripped(self):
        # Reasoning first, answer after </think>
        e = extract_code(f"<think>plan: a div\n```tsx\nconst draft = 1;\n```</think>\n```tsx\n{CODE}\n```")
        assert e.ok and e.code == CODE

    def test_unclosed_think_means_no_answer(self):
        # Code inside a think block that never closes is not an answer
        assert extract_code(f"<think>draft:\n```tsx\n{CODE}\n```").problem == "unclosed_think"

    def test_other_languages_only(self):
        assert extract_code("```python\nprint(1)\n```").problem == "no_code"


class TestSpecialTokens:
    @pytest.mark.parametrize(
        "tail",
        [
            "<|im_end|>",  # Qwen, on the closing fence's line
            "<|im_end|><|endoftext|><|endoftext|>",  # ... then padding
            "<|eot_id|>",  # Llama 3
            "<|end|>",  # Phi
            "</s>",  # Llama 2 / Mistral
            "<end_of_turn>",  # Gemma
            "<｜end▁of▁sentence｜>",  # DeepSeek
            "\n<|im_end|>\n",  # on its own line
        ],
    )
    def test_end_of_turn_after_the_closing_fence(self, tail):
        e = extract_code(f"Here it is:\n```tsx\n{CODE}\n```{tail}")
        assert e.ok and e.code == CODE

    def test_tokens_before_and_around_the_answer(self):
        # A decoder that keeps special tokens: the prompt's end, BOS, the header of the assistant turn
        text = f"<s><|start_header_id|>assistant<|end_header_id|>\n\n```tsx\n{CODE}\n```<|eot_id|>"
        assert extract_code(text).code == CODE

    def test_token_inside_the_code(self):
        # <|...|> tokens are never code, wherever a decoder leaves one
        assert extract_code(f"```tsx\n{CODE}<|endoftext|>\n```").code == CODE

    def test_strikethrough_jsx_is_not_a_token(self):
        # <s>…</s> is a JSX element inside the code; only a </s> at the very end is the EOS
        code = "export default function App() {\n  return <p><s>$20</s> $15</p>;\n}"
        assert extract_code(f"```tsx\n{code}\n```</s>").code == code
        assert clean("<p><s>old</s></p>")[0] == "<p><s>old</s></p>"

    def test_the_tokenizers_own_special_tokens(self):
        # A tokenizer with its own tag-like end marker: removed at the edges, kept inside the code
        e = extract_code(f"```tsx\n{CODE}\n```<END>", special_tokens=("<END>", "<think>"))
        assert e.code == CODE
        assert extract_code("<think>x</think>\n" + f"```tsx\n{CODE}\n```", special_tokens=("<think>",)).ok

    def test_trailing_token_means_the_model_stopped(self):
        # An unclosed fence followed by an end-of-turn token: the model ended its turn there, not cut off
        e = extract_code(f"```tsx\n{CODE}\n<|im_end|>")
        assert e.ok and e.code == CODE and not e.cut_off

    def test_ids_win_over_a_trailing_token(self):
        # The ids say the length limit was hit: the open fence is a truncation whatever the text ends with
        assert extract_code(f"```tsx\n{CODE}\n<|im_end|>", ended=False).problem == "unclosed_fence"


class TestFences:
    @pytest.mark.parametrize(
        "info",
        ['tsx file="App.tsx"', "tsx title='App.tsx'", "tsx:src/App.tsx", "App.tsx", "jsx {2-4}", "TSX", "typescript"],
    )
    def test_info_strings_with_attributes(self, info):
        e = extract_code(f"```{info}\n{CODE}\n```")
        assert e.ok and e.code == CODE

    def test_tildes_and_long_fences(self):
        # A 4-backtick fence may contain a 3-backtick line (a Markdown string inside the component)
        code = "const md = `\n```js\nx\n```\n`;\n" + CODE
        assert extract_code(f"````tsx\n{code}\n````").code == code
        assert extract_code(f"~~~tsx\n{CODE}\n~~~").code == CODE

    def test_indented_fence_in_a_list(self):
        e = extract_code(f"1. Create App.tsx:\n   ```tsx\n{CODE}\n   ```\n2. Run it.")
        assert e.ok and "export default function App()" in e.code


class TestSeveralBlocks:
    def test_usage_snippet_after_the_component(self):
        # A short tsx snippet showing how to use the component is prose
        text = f"```tsx\n{CODE}\n```\n\nUse it:\n\n```tsx\nimport App from './App';\n\n<App />\n```"
        e = extract_code(text)
        assert e.ok and e.code == CODE and e.blocks == 2

    def test_usage_snippet_before_and_shell_blocks(self):
        text = (
            f"Install:\n```bash\nnpm i\n```\nRender `<App />`:\n```jsx\n<App />\n```\nThe file:\n```tsx\n{CODE}\n```"
        )
        assert extract_code(text).code == CODE

    def test_css_block_beside_the_component(self):
        assert extract_code(f"```css\n.a {{ color: red }}\n```\n```tsx\n{CODE}\n```").code == CODE

    def test_component_without_default_export_beside_a_snippet(self):
        # No block has a default export: the one that defines a component is the answer
        comp = "function App() {\n  return <main>hi</main>;\n}"
        assert extract_code(f"```tsx\n{comp}\n```\n```tsx\n<App />\n```").code == comp

    def test_the_same_component_twice(self):
        # A model that repeats its answer: one component, not two competing ones
        assert extract_code(f"```tsx\n{CODE}\n```\nAgain, the full file:\n```tsx\n{CODE}\n```").code == CODE

    def test_two_competing_components(self):
        # Two complete alternatives: which one is the answer is not ours to guess
        text = f"Option A:\n```tsx\n{CODE}\n```\nOption B:\n```tsx\n{COUNTER}\n```"
        assert extract_code(text).problem == "multiple_components"

    def test_multi_file_answer_with_local_imports(self):
        # App imports the Header the next block defines: it cannot run as the single App.tsx asked for
        app = "import Header from './components/Header';\n" + CODE
        text = f"App.tsx:\n```tsx\n{app}\n```\nHeader.tsx:\n```tsx\nexport const Header = () => <h1>Hi</h1>;\n```"
        assert extract_code(text).problem == "local_import"

    def test_helper_snippet_beside_a_self_contained_component(self):
        # A second block that the component does not import is an aside, not a second file it needs
        text = f"```tsx\n{CODE}\n```\nand a variant of the header:\n```tsx\nexport const Header = () => <h1/>;\n```"
        assert extract_code(text).code == CODE

    def test_several_snippets_and_no_component(self):
        assert extract_code("```ts\nconst a = 1;\n```\n```ts\nconst b = 2;\n```").problem == "multiple_code_blocks"

    def test_cut_off_after_the_component(self):
        # The component is complete; the text was cut inside a later shell block: code found, but cut off
        e = extract_code(f"```tsx\n{CODE}\n```\nRun:\n```bash\nnpm ru")
        assert e.ok and e.code == CODE and e.cut_off


# Answers written for these tests in the shapes real models produce.
ANSWERS = {
    "prose_code_explanation_and_shell": (
        "Sure! Below is a complete `App.tsx` for a counter with a configurable step.\n\n"
        f"```tsx\n{COUNTER}\n```\n\n### How it works\n\n- `count` and `step` live in state.\n- The buttons update it.\n\n"
        "To try it locally:\n\n```bash\nnpm create vite@latest counter -- --template react-ts\nnpm run dev\n```\n"
    ),
    "think_then_answer_with_eos": (
        "<think>\nThe user wants a counter. I'll keep count and step in useState and add three buttons.\n"
        f"Maybe:\n```tsx\nconst [count, setCount] = useState(0);\n```\n</think>\n\n```tsx\n{COUNTER}\n```<|im_end|>"
    ),
    "attributes_and_usage": (
        f'Here is the component:\n\n```tsx title="src/App.tsx" showLineNumbers\n{COUNTER}\n```\n\n'
        "Mount it in `main.tsx`:\n\n```tsx\nimport { createRoot } from 'react-dom/client';\nimport App from './App';\n\n"
        "createRoot(document.getElementById('root')!).render(<App />);\n```\n<|im_end|>"
    ),
    "llama_header_and_eot": (
        f"<|start_header_id|>assistant<|end_header_id|>\n\n```jsx\n{COUNTER}\n```\nThat's it!<|eot_id|>"
    ),
}


@pytest.mark.parametrize("name", list(ANSWERS))
def test_real_looking_answers_extract_the_component(name):
    e = extract_code(ANSWERS[name])
    assert e.ok and e.code == COUNTER, e.problem


def test_real_looking_answers_score_like_the_bare_component():
    # Whatever surrounds it, the same component scores the same
    plain = score([f"```tsx\n{COUNTER}\n```"], preset="static")[0]["total"]
    assert [r["total"] for r in score(list(ANSWERS.values()), preset="static")] == [plain] * len(ANSWERS)


@pytest.mark.parametrize("marker", ["<|im_end|>", "<|im_end|><|endoftext|>", "</s>", "<|eot_id|>"])
def test_real_dataset_answers_score_the_same_with_an_end_of_turn_token(marker):
    # The five real rows: an end-of-turn token right after the closing fence (or at the very end) changes nothing
    answers = real_answers()
    closing = [a.rfind("\n```") + 4 for a in answers]  # just after the last closing fence
    with_marker = [a[:i] + marker + a[i:] for a, i in zip(answers, closing, strict=True)]
    with_marker += [a + marker for a in answers]
    answers = answers * 2
    assert [r["total"] for r in score(with_marker, preset="static")] == [
        r["total"] for r in score(answers, preset="static")
    ]
    assert all(extract_code(a).ok for a in with_marker)
