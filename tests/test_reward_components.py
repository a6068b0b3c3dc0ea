"""One class per reward component, with hand-written completions and exact expected scores. No network."""

import pytest

from reward import graders
from reward.facts import facts_of
from reward.registry import grade
from tests.conftest import component, fenced


def facts(text, reference=None, ids=None, eos=(2,), **kwargs):
    return facts_of(text, reference, ids, eos, **kwargs)


COUNTER = """
import React, { useState } from 'react';
export default function App() {
  const [count, setCount] = useState(0);
  return <button onClick={() => setCount(count + 1)}>Clicked {count} times</button>;
}
"""


class TestParses:
    def test_clean(self):
        # Valid TSX
        assert graders.parses(facts(fenced(COUNTER)))[0] == 1.0

    def test_missing_brace_is_an_error(self):
        # tree-sitter reports a MISSING node, not an ERROR node: has_error must catch it
        score, _ = graders.parses(facts(fenced("export default function App() { return <div/>;")))
        assert score < 1.0

    def test_partial_credit_for_partly_valid_file(self):
        # Two statements, the second broken: 0.5 x (1/2)
        score, _ = graders.parses(facts("const a = 1;\nconst b = ;"))
        assert score == pytest.approx(0.25)

    def test_no_code(self):
        assert graders.parses(facts("just words"))[0] == 0.0


class TestCompiles:
    def test_compiles(self):
        assert graders.compiles(facts(fenced(COUNTER)))[0] == 1.0

    def test_mismatched_tag(self):
        # tree-sitter accepts <td>...</th>; esbuild does not
        f = facts(fenced("export default function App() { return <table><tr><td>x</th></tr></table>; }"))
        assert f.tsx.parse_ok
        score, why = graders.compiles(f)
        assert score == 0.0 and "does not match" in why

    def test_import_outside_allowlist(self):
        # The prompt forbids other libraries; they do not exist at render time
        score, why = graders.compiles(facts(fenced("import { motion } from 'framer-motion';\n" + COUNTER)))
        assert score == 0.0 and "framer-motion" in why

    def test_unused_disallowed_import_still_fails(self):
        # An import that is never used is still an import of a missing package
        assert graders.compiles(facts(fenced("import firebase from 'firebase/app';\n" + COUNTER)))[0] == 0.0

    def test_relative_import(self):
        # A single-file answer has no ./Header
        score, why = graders.compiles(facts(fenced("import Header from './Header';\n" + COUNTER)))
        assert score == 0.0 and "single file" in why

    def test_react_subpaths_allowed(self):
        code = "import { createRoot } from 'react-dom/client';\n" + COUNTER
        assert graders.compiles(facts(fenced(code)))[0] == 1.0


class TestComplete:
    def test_complete(self):
        assert graders.complete(facts(fenced(COUNTER)))[0] == 1.0

    def test_truncated_by_ids(self):
        # The trainer says generation hit the length limit (last id is not EOS)
        assert graders.complete(facts(fenced(COUNTER), ids=[5, 6, 7], eos=(2,)))[0] == 0.0

    def test_ended_with_eos(self):
        assert graders.complete(facts(fenced(COUNTER), ids=[5, 6, 2], eos=(2,)))[0] == 1.0

    def test_truncated_by_text(self):
        # Cut off inside the fence
        assert graders.complete(facts("```tsx\n" + COUNTER[:120]))[0] == 0.0

    def test_no_default_export(self):
        assert graders.complete(facts(fenced("function App() { return <div/>; }")))[0] == 0.0

    def test_default_export_without_jsx(self):
        # Exports a function, but it renders nothing
        assert graders.complete(facts(fenced("export default function App() { return 42; }")))[0] == 0.5

    def test_default_export_by_name(self):
        code = "const App = () => <main>hi</main>;\nexport default App;"
        assert graders.complete(facts(fenced(code)))[0] == 1.0


class TestInteractive:
    def test_counter(self):
        # 1 wired handler (0.4/3), 1 live state (0.2/2); nothing else
        score, _ = graders.interactive(facts(fenced(COUNTER)))
        assert score == pytest.approx(0.4 / 3 + 0.1)

    def test_handler_through_local_function(self):
        code = COUNTER.replace("onClick={() => setCount(count + 1)}", "onClick={increment}").replace(
            "return", "const increment = () => setCount(count + 1);\n  return"
        )
        assert facts(fenced(code)).tsx.wired_handlers == 1

    def test_dead_handlers_penalised(self):
        # Empty and console-only handlers earn nothing and cost 0.15 each
        code = """export default function App() {
  const save = () => {};
  return <div><button onClick={save}>Save</button><button onClick={() => console.log('x')}>Log</button></div>;
}"""
        f = facts(fenced(code))
        assert f.tsx.dead_handlers == 2
        assert graders.interactive(f)[0] == pytest.approx(-0.3)

    def test_unused_hooks_penalised(self):
        # Declared state never read, and an effect that does nothing
        code = """import { useState, useEffect } from 'react';
export default function App() {
  const [a, setA] = useState(0);
  useEffect(() => {}, []);
  return <div>static</div>;
}"""
        f = facts(fenced(code))
        assert sorted(f.tsx.unused_hooks) == ["a", "useEffect"]
        assert graders.interactive(f)[0] == pytest.approx(-0.3)

    def test_names_in_comments_and_strings_earn_nothing(self):
        code = """// useState onClick onChange setCount .map(
export default function App() { return <p>{"useState onClick"}</p>; }"""
        assert graders.interactive(facts(fenced(code)))[0] == 0.0

    def test_setter_of_unrendered_state_is_not_wired(self):
        # Clicking changes state nobody sees
        code = """import { useState } from 'react';
export default function App() {
  const [x, setX] = useState(0);
  return <button onClick={() => setX(1)}>Go</button>;
}"""
        f = facts(fenced(code))
        assert f.tsx.wired_handlers == 0 and graders.interactive(f)[0] < 0

    def test_controlled_input_and_conditional(self):
        f = facts(fenced(component("07-signup")))
        assert f.tsx.controlled_inputs == 3 and f.tsx.conditional_renders > 0

    def test_gated_on_compile(self):
        # Same interactive code, but a disallowed import: no interactivity credit at all
        f = facts(fenced("import x from 'lodash';\n" + COUNTER))
        assert f.tsx.wired_handlers == 1
        assert grade("interactive", f) == (0.0, "gated: does not parse and compile")

    def test_keyed_and_unkeyed_lists(self):
        code = """export default function App() {
  const items = ['a', 'b'];
  return <ul>{items.map((i) => <li>{i}</li>)}</ul>;
}"""
        f = facts(fenced(code))
        assert (f.tsx.keyed_lists, f.tsx.unkeyed_lists) == (0, 1)
        assert graders.interactive(f)[0] == pytest.approx(-0.05)

    @pytest.mark.parametrize("name", ["01", "04", "17", "22"])
    def test_reference_components_score_high(self, name):
        # Many wired handlers, several live states, inputs, conditionals, keyed lists (the calculator, which shows
        # only one of its four states, is in test_reward_interactive.py)
        assert graders.interactive(facts(fenced(component(name))))[0] >= 0.7


class TestUIContent:
    def test_saturates(self):
        assert graders.ui_content(facts(fenced(component("01"))))[0] == 1.0

    def test_counts_elements(self):
        # One <button>: 1/25
        assert graders.ui_content(facts(fenced(COUNTER)))[0] == pytest.approx(0.04)

    def test_gated(self):
        assert grade("ui_content", facts(fenced("export default () => <div><td>x</th></div>;")))[0] == 0.0


class TestOverlong:
    def test_within_budget(self):
        f = facts(fenced(COUNTER), ids=list(range(100)), max_tokens=200)
        assert graders.overlong(f)[0] == 0.0

    def test_soft_zone(self):
        # max 200, buffer 40: 180 tokens is halfway into the buffer
        f = facts(fenced(COUNTER), ids=list(range(180)), max_tokens=200)
        assert graders.overlong(f)[0] == pytest.approx(-0.5)

    def test_at_limit(self):
        f = facts(fenced(COUNTER), ids=list(range(200)), max_tokens=200)
        assert graders.overlong(f)[0] == -1.0

    def test_relative_to_reference(self):
        # 2.5x the reference's length: halfway between 2x (0) and 3x (-1)
        f = facts("x" * 250, reference="y" * 100)
        assert graders.overlong(f)[0] == pytest.approx(-0.5)
