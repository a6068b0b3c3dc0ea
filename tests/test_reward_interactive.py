"""Interactivity the way React works: every way of holding state earns what plain useState earns, and every handler
that cannot change what the page shows earns nothing. The same counter UI throughout, so scores compare directly.
No network; the last tests render in headless Chromium (the default preset)."""

import pytest

from reward import score
from reward.facts import facts_of
from reward.graders import interactive
from reward.tsx import analyze
from tests.reward_cases import CASES

UI = """
  return (
    <div className="p-8">
      <p className="text-5xl">{COUNT}</p>
      <button onClick={DEC}>-</button>
      <button onClick={INC}>+</button>
    </div>
  );"""
USE_STATE = "import { useState } from 'react';"
STATE = "  const [count, setCount] = useState(0);"


def counter(
    setup=STATE, count="count", dec="() => setCount(count - 1)", inc="() => setCount(count + 1)", pre=USE_STATE
):
    ui = UI.replace("COUNT", count).replace("DEC", dec).replace("INC", inc)
    return f"{pre}\nexport default function App() {{\n{setup}\n{ui}\n}}"


# Two wired buttons and one live state: 0.4 x 2/3 + 0.2 x 1/2
PLAIN_SCORE = 0.4 * 2 / 3 + 0.2 / 2

HONEST = {
    "plain": counter(),
    # React.useState, destructured from React, renamed on import, an escaped identifier (esbuild decodes it)
    "namespaced": counter("  const [count, setCount] = React.useState(0);", pre="import React from 'react';"),
    "destructured": counter("  const { useState } = React;\n" + STATE, pre="import React from 'react';"),
    "import_alias": counter(
        STATE.replace("useState", "useLocal"), pre="import { useState as useLocal } from 'react';"
    ),
    "escaped": counter("  const [count, \\u0073etCount] = useState(0);"),
    # useReducer with the reducer defined after the component
    "reducer": counter(
        "  const [count, dispatch] = useReducer(reducer, 0);",
        dec="() => dispatch('dec')",
        inc="() => dispatch('inc')",
        pre="import { useReducer } from 'react';",
    )
    + "\nfunction reducer(s: number, a: string) { return a === 'inc' ? s + 1 : s - 1; }",
    # Custom hooks: returning the setter, returning an object of callbacks from a hook that uses another hook
    "hook_tuple": counter(
        "  const [count, setCount] = useCount();",
        pre=USE_STATE + "\nfunction useCount() { const [v, setV] = useState(0); return [v, setV] as const; }",
    ),
    "hook_object": counter(
        "  const { n, bump, drop } = useCounter();",
        count="n",
        dec="drop",
        inc="bump",
        pre="import { useState, useCallback } from 'react';\n"
        "function useNumber() { const [v, setV] = useState(0); return [v, setV] as const; }\n"
        "function useCounter() { const [n, setN] = useNumber(); const bump = useCallback(() => setN((x) => x + 1), []);"
        " const drop = () => setN(n - 1); return { n, bump, drop }; }",
    ),
    "hook_member_access": counter(
        "  const c = useCounter();",
        count="c.value",
        dec="c.dec",
        inc="() => c.inc()",
        pre=USE_STATE + "\nfunction useCounter() { const [value, setValue] = useState(0);"
        " return { value, inc: () => setValue(value + 1), dec: () => setValue(value - 1) }; }",
    ),
    # A class component: this.state, this.setState with an object and an updater, a bound method and an arrow field
    "class": """import React from 'react';
export default class App extends React.Component {
  constructor(props) { super(props); this.state = { count: 0 }; this.inc = this.inc.bind(this); }
  inc() { this.setState({ count: this.state.count + 1 }); }
  dec = () => { this.setState((prev) => ({ count: prev.count - 1 })); };
  render() {
    return <div className="p-8"><p className="text-5xl">{this.state.count}</p><button onClick={this.dec}>-</button><button onClick={this.inc}>+</button></div>;
  }
}""",
    # useOptimistic, and a context provider whose value (through useMemo) carries the state and its setter
    "optimistic": counter(
        STATE + "\n  const [shown, add] = useOptimistic(count, (c: number, d: number) => c + d);",
        count="shown",
        dec="() => add(-1)",
        inc="() => add(1)",
        pre="import { useState, useOptimistic } from 'react';",
    ),
    "context": """import { createContext, useContext, useMemo, useState } from 'react';
const Ctx = createContext(null as any);
function Controls() {
  const ctx = useContext(Ctx);
  return <div><button onClick={() => ctx.setCount((c: number) => c - 1)}>-</button><button onClick={ctx.inc}>+</button></div>;
}
function Display() { const { count } = useContext(Ctx); return <p className="text-5xl">{count}</p>; }
export default function App() {
  const [count, setCount] = useState(0);
  const value = useMemo(() => ({ count, setCount, inc: () => setCount(count + 1) }), [count]);
  return <Ctx.Provider value={value}><div className="p-8"><Display /><Controls /></div></Ctx.Provider>;
}""",
    # Handlers reached through useCallback + setTimeout, a curried handler, a reset next to an increment
    "callback_timeout": counter(
        STATE + "\n  const inc = useCallback(() => setTimeout(() => setCount((c) => c + 1), 10), []);",
        inc="inc",
        pre="import { useState, useCallback } from 'react';",
    ),
    "curried": counter(
        STATE + "\n  const add = (d: number) => () => setCount(count + d);", dec="add(-1)", inc="add(1)"
    ),
    "reset": counter(dec="() => setCount(0)"),
}

FAKE = {
    # The same value: the page cannot change
    "same_value": counter(dec="() => setCount(count)", inc="() => setCount((c) => c)"),
    "copies": counter(dec="() => setCount(Number(count))", inc="() => setCount(count + 0)"),
    "array_copies": counter(
        STATE.replace("(0)", "([1])"),
        count="count.length",
        dec="() => setCount([...count])",
        inc="() => setCount(count.slice())",
    ),  # fmt: skip
    "class_same": """import React from 'react';
export default class App extends React.Component {
  state = { count: 0 };
  inc = () => this.setState({ count: this.state.count });
  dec = () => this.setState((s) => s);
  render() {
    return <div className="p-8"><p className="text-5xl">{this.state.count}</p><button onClick={this.dec}>-</button><button onClick={this.inc}>+</button></div>;
  }
}""",
    "identity_reducer": counter(
        "  const [count, dispatch] = useReducer((s: number) => s, 0);",
        dec="() => dispatch('dec')",
        inc="() => dispatch('inc')",
        pre="import { useReducer } from 'react';",
    ),
    # Only ever set to the initial value
    "reset_only": counter(dec="() => setCount(0)", inc="() => setCount(0)"),
    # Calls that never run: constant branches, a const flag, after a return
    "dead_branch": counter(
        dec="() => { if (false) setCount(count - 1); }", inc="() => { if (1 > 2) { setCount(count + 1); } }"
    ),
    "const_flag": counter(
        dec="() => { DEBUG && setCount(count - 1); }",
        inc="() => { if (DEBUG) setCount(count + 1); }",
        pre=USE_STATE + "\nconst DEBUG = false;",
    ),  # fmt: skip
    "after_return": counter(
        dec="() => { return; setCount(count - 1); }", inc="() => { if (true) return; setCount(count + 1); }"
    ),
    # A transition that runs nothing
    "empty_transition": counter(
        "  const [isPending, startTransition] = useTransition();",
        count="isPending ? 'busy' : 'idle'",
        dec="() => startTransition(() => {})",
        inc="() => startTransition(() => { console.log('x'); })",
        pre="import { useTransition } from 'react';",
    ),
}


@pytest.mark.parametrize("name", list(HONEST))
def test_honest_state_is_credited_like_plain_use_state(name):
    f = facts_of(f"```tsx\n{HONEST[name]}\n```")
    assert f.builds, f.compiled
    assert (f.tsx.wired_handlers, f.tsx.dead_handlers, len(f.tsx.live_states)) == (2, 0, 1), f.tsx
    assert interactive(f)[0] == pytest.approx(PLAIN_SCORE)


@pytest.mark.parametrize("name", list(FAKE))
def test_handlers_that_change_nothing_earn_nothing(name):
    # Both handlers do nothing the page could show: no wired handler, both penalised, below an honest static page
    f = facts_of(f"```tsx\n{FAKE[name]}\n```")
    assert f.builds, f.compiled
    assert (f.tsx.wired_handlers, f.tsx.dead_handlers, f.tsx.live_states) == (0, 2, []), f.tsx
    assert (
        interactive(f)[0]
        < interactive(facts_of(f"```tsx\n{counter('  const count = 0;', dec='undefined', inc='undefined')}\n```"))[0]
    )


def test_a_function_defined_but_never_called_does_nothing():
    # The setter sits in a function the handler defines and never calls
    f = facts_of(f"```tsx\n{counter(dec='() => { const go = () => setCount(count - 1); }')}\n```")
    assert (f.tsx.wired_handlers, f.tsx.dead_handlers) == (1, 1)


def test_in_place_mutation_then_same_reference_is_not_wired():
    # items.push(x); setItems(items): React sees the same array and does not re-render
    code = counter(
        STATE.replace("(0)", "([1])"), count="count.length", dec="() => { count.push(1); setCount(count); }"
    )
    f = facts_of(f"```tsx\n{code}\n```")
    assert f.tsx.wired_handlers == 1  # only "+"; "-" is neither wired nor dead (the push is a side effect)
    assert f.tsx.dead_handlers == 0


def test_class_component_with_a_render_method_and_a_controlled_input():
    # this.renderList() is part of the render; the input's value comes from this.state and its onChange sets it
    code = """import React from 'react';
export default class App extends React.Component {
  state = { items: ['a'], text: '' };
  add = () => this.setState({ items: [...this.state.items, this.state.text], text: '' });
  renderList() { return <ul>{this.state.items.map((i) => <li key={i}>{i}</li>)}</ul>; }
  render() {
    return (
      <div>
        {this.renderList()}
        <input value={this.state.text} onChange={(e) => this.setState({ text: e.target.value })} />
        <button onClick={this.add}>Add</button>
      </div>
    );
  }
}"""
    t = analyze(code)
    assert (t.wired_handlers, sorted(t.live_states), t.controlled_inputs, t.keyed_lists) == (
        2,
        ["items", "text"],
        1,
        1,
    )


def test_form_action_state():
    # useActionState: the form's action dispatches; the list and the pending flag both change
    t = analyze(CASES["use_action_state"].text.split("```tsx\n")[1].split("```")[0])
    assert (t.wired_handlers, sorted(t.live_states)) == (1, ["emails", "isPending"])


def test_state_read_only_by_handlers_is_not_shown():
    # The calculator shows `display`; `stored`, `op` and `fresh` are read only by its handlers
    f = facts_of("```tsx\n" + open("data/components/12-calculator.tsx").read().split("\n", 1)[1] + "```")
    assert f.tsx.live_states == ["display"] and f.tsx.wired_handlers == 10


class TestCountedOnce:
    def test_nested_maps(self):
        # An outer keyed map around one unkeyed inner map: one keyed list and one unkeyed list
        t = analyze(CASES["nested_lists"].text.split("```tsx\n")[1].split("```")[0])
        assert (t.keyed_lists, t.unkeyed_lists) == (1, 1)

    def test_nested_conditionals(self):
        # step > 0 && <div>{step === 1 ? … : …}{step === 2 && …}</div>: three conditionals, however nested
        t = analyze(CASES["three_conditionals"].text.split("```tsx\n")[1].split("```")[0])
        assert t.conditional_renders == 3

    def test_map_outside_jsx_and_conditions_in_handlers(self):
        # A list built before the return counts once; a condition inside a handler is not conditional rendering
        code = counter(
            STATE + "\n  const rows = [1, 2].map((i) => <li key={i}>{i}</li>);",
            count="<ul>{rows}</ul>",
            inc="() => { if (count > 3 && count < 9) setCount(count + 1); }",
        )
        t = analyze(code)
        assert (t.keyed_lists, t.unkeyed_lists, t.conditional_renders) == (1, 0, 0)


@pytest.fixture(scope="module", params=["static", "default"])
def case_scores(request):
    rows = score([c.text for c in CASES.values()], preset=request.param)
    return {name: row for name, row in zip(CASES, rows, strict=True)}


def test_fakes_score_no_higher_than_honest_static(case_scores):
    # Issue 12: same-value and unreachable setters score no higher than honest static, in both presets
    for name in ("same_value_setters", "unreachable_setters"):
        assert case_scores[name]["total"] <= case_scores["honest_static"]["total"], name


def test_unusual_honest_state_is_credited_like_use_state(case_scores):
    # Custom hooks, class components, useReducer, useActionState: interactive credit comparable to plain useState
    # (before: 0 to 0.1 against 0.37). Their pages differ a little (the FAQ toggle renders conditionally, the form
    # shows its pending state: one more live state), hence a band rather than equality.
    plain = case_scores["honest_usestate"]["components"]["interactive"]
    for name in ("custom_hook_object", "custom_hook_tuple", "class_component", "react_use_reducer", "use_action_state",
                 "escaped_setter"):  # fmt: skip
        assert plain - 0.05 <= case_scores[name]["components"]["interactive"] <= plain + 0.1, name


def test_wrapping_does_not_change_the_score(case_scores):
    # End-of-turn tokens, fence attributes, a usage snippet, another tokenizer's ids: the honest component's score
    honest = case_scores["honest_usestate"]["total"]
    for name, case in CASES.items():
        if case.like == "honest_usestate" and name.endswith(("fence", "padding", "attributes", "after")):
            assert case_scores[name]["total"] == honest, name
