"""Extraction of the answer's code. No network, no browser."""

from reward.extract import extract_code

CODE = "export default function App() {\n  return <div>hi</div>;\n}"


class TestExtract:
    def test_single_fenced_block_with_prose(self):
        # Prose around one block is how the dataset's own answers look
        e = extract_code(f"Here you go:\n\n```tsx\n{CODE}\n```\n\nEnjoy!")
        assert e.ok and e.code == CODE

    def test_bare_code(self):
        # No fences, but the text is a module
        e = extract_code(CODE)
        assert e.ok and e.code == CODE

    def test_prose_only(self):
        # No code at all
        assert extract_code("You could build this with React state and a list.").problem == "no_code"

    def test_empty(self):
        assert extract_code("").problem == "no_code"

    def test_unclosed_fence(self):
        # Cut off mid-block: truncation
        assert extract_code(f"```tsx\n{CODE[:20]}").problem == "unclosed_fence"

    def test_multiple_code_blocks(self):
        # Two files: cannot be the single App.tsx asked for
        text = f"```tsx\n{CODE}\n```\nand Header.tsx:\n```tsx\nexport const Header = () => <h1/>;\n```"
        assert extract_code(text).problem == "multiple_code_blocks"

    def test_non_code_block_is_ignored(self):
        # A shell block next to the component is fine
        e = extract_code(f"```bash\nnpm start\n```\n```tsx\n{CODE}\n```")
        assert e.ok and e.code == CODE

    def test_think_block_stripped(self):
        # Reasoning first, answer after </think>
        e = extract_code(f"<think>plan: a div</think>\n```tsx\n{CODE}\n```")
        assert e.ok and e.code == CODE

    def test_unclosed_think_means_no_answer(self):
        # Code inside a think block that never closes is not an answer
        assert extract_code(f"<think>draft:\n```tsx\n{CODE}\n```").problem == "unclosed_think"

    def test_other_languages_only(self):
        assert extract_code("```python\nprint(1)\n```").problem == "no_code"
