"""The reward must rank completions the way a compiler, a browser and a user would: every gamed or broken completion
scores below every honest one, and fake interactivity never beats an honest static component. No network."""

import pytest

from reward import score
from tests.conftest import component, fenced
from tests.reward_cases import SAME_VALUE, UNREACHABLE

INTERACTIVE = ["01", "02", "03", "04", "07", "12", "17", "24"]
STATIC = ["18", "19"]

GAMED = {
    # Nothing at all
    "empty": "",
    # Describes a component instead of writing one
    "prose_only": "To build this, keep the todos in useState, map over them with keys and wire onClick to toggle.",
    # Every keyword the seed reward looks for, in a fenced block that is not a program
    "keyword_stuffing": fenced(
        "useState useReducer useContext useEffect useLayoutEffect onClick onChange onSubmit onFocus onBlur "
        "onKeyDown .map( .filter( useRef useMemo useCallback React.memo && ? : return { } [ ] ( )"
    ),
    # Hooks named but unused: a stub that looks interactive to a keyword counter
    "unused_hooks_stub": fenced(
        """import React, { useState, useEffect, useReducer } from 'react';
export default function App() {
  const [count, setCount] = useState(0);
  const [items, setItems] = useState<string[]>([]);
  useEffect(() => {}, []);
  return <div className="p-4">Hello</div>;
}"""
    ),
    # Handlers listed in a comment, none wired
    "handlers_in_comment": fenced(
        """// onClick onChange onSubmit useState setCount items.map(
export default function App() {
  return <div><h1>Counter</h1><button>Add</button></div>;
}"""
    ),
    # Handlers wired to functions that do nothing
    "dead_handlers": fenced(
        """import React from 'react';
export default function App() {
  const handleSave = () => {};
  const handleLoad = () => { console.log('load'); };
  return (
    <div className="p-8">
      <h1 className="text-2xl">Editor</h1>
      <input onChange={() => {}} placeholder="Title" />
      <button onClick={handleSave}>Save</button>
      <button onClick={handleLoad}>Load</button>
    </div>
  );
}"""
    ),
    # Cut off in the middle of JSX (unclosed fence)
    "truncated_mid_jsx": "```tsx\n" + component("04")[: len(component("04")) // 2],
    # Parses (tree-sitter is lenient) but does not compile
    "mismatched_tag": fenced(component("14").replace('<td className="px-3 py-2">{e.name}</td>', "<td>{e.name}</th>")),
    # Libraries that are not installed in a single-file app
    "disallowed_imports": fenced(
        "import { BrowserRouter } from 'react-router-dom';\nimport firebase from 'firebase/app';\n" + component("04")
    ),
    # Two files that import each other
    "two_files": fenced("import Header from './Header';\n" + component("04"))
    + "\n\nHeader.tsx:\n"
    + fenced("import App from './App';\nexport default function Header() { return <h1>Tasks</h1>; }"),
    # Buttons whose setters set the same value (setCount(count), setCount(c => c))
    "same_value_handlers": fenced(SAME_VALUE),
    # Setters behind if (false) and after a return
    "unreachable_handlers": fenced(UNREACHABLE),
    # Thinks and never answers
    "unclosed_think": "<think>\nThe user wants a todo app. I will write:\n" + fenced(component("04")),
}


@pytest.fixture(scope="module", params=["static", "default"])
def totals(request):
    honest = {f"interactive_{n}": fenced(component(n)) for n in INTERACTIVE}
    honest |= {f"static_{n}": fenced(component(n), lead="Here is the page.\n\n") for n in STATIC}
    names = list(honest) + list(GAMED)
    rows = score([honest.get(n) or GAMED[n] for n in names], preset=request.param)
    return {n: r["total"] for n, r in zip(names, rows, strict=True)}, set(honest)


def test_every_gamed_case_below_every_honest_one(totals):
    scores, honest = totals
    worst_honest = min(scores[n] for n in honest)
    offenders = {n: scores[n] for n in GAMED if scores[n] >= worst_honest}
    assert not offenders, f"gamed cases at or above the worst honest one ({worst_honest}): {offenders}"


def test_fake_interactivity_below_honest_static(totals):
    scores, _ = totals
    fakes = (
        "unused_hooks_stub",
        "handlers_in_comment",
        "dead_handlers",
        "same_value_handlers",
        "unreachable_handlers",
    )
    best_fake = max(scores[n] for n in fakes)
    assert best_fake < min(scores[f"static_{n}"] for n in STATIC)


def test_honest_interactive_above_honest_static(totals):
    scores, _ = totals
    assert min(scores[f"interactive_{n}"] for n in INTERACTIVE) > max(scores[f"static_{n}"] for n in STATIC)


def test_empty_is_the_floor(totals):
    scores, _ = totals
    assert scores["empty"] == min(scores.values())


def test_seed_reward_is_gameable_and_ours_is_not():
    # The regression row: the seed reward puts keyword stuffing (19.9) above real components whose text has an odd
    # quote count (an apostrophe in "What's cooking?", a 14" screen); ours puts them far apart the right way round.
    texts = [GAMED["keyword_stuffing"], fenced(component("23")), fenced(component("08"))]
    seed = [r["total"] for r in score(texts, preset="seed")]
    assert seed == [pytest.approx(19.9), pytest.approx(16.05), pytest.approx(16.6)]
    ours = [r["total"] for r in score(texts, preset="static")]
    assert ours[0] == 0.0 and min(ours[1:]) > 6.0
