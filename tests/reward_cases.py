"""The failing inputs of issue 12, one per bug, shared by the tests and `benchmarks/reward_bug_table.py` (which prints
their scores before and after the fix). Each case names the bug and, where the fix is "score like X", the honest
counterpart it is compared with. Written for this project; nothing copied from a dataset."""

from dataclasses import dataclass

COUNTER_USESTATE = """import React, { useState } from 'react';

export default function App() {
  const [count, setCount] = useState(0);
  return (
    <div className="flex flex-col items-center gap-4 p-8">
      <h1 className="text-2xl font-bold">Counter</h1>
      <p className="text-5xl">{count}</p>
      <div className="flex gap-2">
        <button onClick={() => setCount(count - 1)} className="rounded bg-gray-200 px-4 py-2">-</button>
        <button onClick={() => setCount(count + 1)} className="rounded bg-blue-600 px-4 py-2 text-white">+</button>
      </div>
    </div>
  );
}"""

# The same page with no state at all: the "honest static" bar that fake interactivity must not clear.
COUNTER_STATIC = """import React from 'react';

export default function App() {
  const count = 0;
  return (
    <div className="flex flex-col items-center gap-4 p-8">
      <h1 className="text-2xl font-bold">Counter</h1>
      <p className="text-5xl">{count}</p>
      <div className="flex gap-2">
        <span className="rounded bg-gray-200 px-4 py-2">-</span>
        <span className="rounded bg-blue-600 px-4 py-2 text-white">+</span>
      </div>
    </div>
  );
}"""

SAME_VALUE = COUNTER_USESTATE.replace("setCount(count - 1)", "setCount(count)").replace(
    "setCount(count + 1)", "setCount((c) => c)"
)
UNREACHABLE = COUNTER_USESTATE.replace(
    "onClick={() => setCount(count - 1)}", "onClick={() => { if (false) setCount(count - 1); }}"
).replace("onClick={() => setCount(count + 1)}", "onClick={() => { return; setCount(count + 1); }}")
ESCAPED_SETTER = COUNTER_USESTATE.replace("setCount(count + 1)", "\\u0073etCount(count + 1)").replace(
    "setCount(count - 1)", "\\u0073etCount(count - 1)"
)

CUSTOM_HOOK = """import React, { useState } from 'react';

function useCounter(initial: number) {
  const [value, setValue] = useState(initial);
  const increment = () => setValue((v) => v + 1);
  const decrement = () => setValue((v) => v - 1);
  return { value, increment, decrement };
}

export default function App() {
  const counter = useCounter(0);
  return (
    <div className="flex flex-col items-center gap-4 p-8">
      <h1 className="text-2xl font-bold">Counter</h1>
      <p className="text-5xl">{counter.value}</p>
      <div className="flex gap-2">
        <button onClick={counter.decrement} className="rounded bg-gray-200 px-4 py-2">-</button>
        <button onClick={counter.increment} className="rounded bg-blue-600 px-4 py-2 text-white">+</button>
      </div>
    </div>
  );
}"""

TOGGLE_HOOK = """import { useState } from 'react';

const useToggle = (initial = false): [boolean, () => void] => {
  const [on, setOn] = useState(initial);
  return [on, () => setOn((o) => !o)];
};

export default function App() {
  const [open, toggle] = useToggle();
  return (
    <div className="p-8">
      <h1 className="text-2xl font-bold">FAQ</h1>
      <button onClick={toggle} className="mt-4 rounded bg-blue-600 px-4 py-2 text-white">
        {open ? 'Hide answer' : 'Show answer'}
      </button>
      {open && <p className="mt-2 text-gray-600">Orders ship within two days.</p>}
    </div>
  );
}"""

CLASS_COMPONENT = """import React, { Component } from 'react';

export default class App extends Component<{}, { count: number }> {
  state = { count: 0 };

  increment = () => this.setState((s) => ({ count: s.count + 1 }));

  decrement() {
    this.setState({ count: this.state.count - 1 });
  }

  render() {
    const { count } = this.state;
    return (
      <div className="flex flex-col items-center gap-4 p-8">
        <h1 className="text-2xl font-bold">Counter</h1>
        <p className="text-5xl">{count}</p>
        <div className="flex gap-2">
          <button onClick={() => this.decrement()} className="rounded bg-gray-200 px-4 py-2">-</button>
          <button onClick={this.increment} className="rounded bg-blue-600 px-4 py-2 text-white">+</button>
        </div>
      </div>
    );
  }
}"""

REDUCER = """import React from 'react';

type Action = { type: 'inc' } | { type: 'dec' };
function reducer(state: { count: number }, action: Action) {
  switch (action.type) {
    case 'inc':
      return { count: state.count + 1 };
    case 'dec':
      return { count: state.count - 1 };
  }
}

export default function App() {
  const [state, dispatch] = React.useReducer(reducer, { count: 0 });
  return (
    <div className="flex flex-col items-center gap-4 p-8">
      <h1 className="text-2xl font-bold">Counter</h1>
      <p className="text-5xl">{state.count}</p>
      <div className="flex gap-2">
        <button onClick={() => dispatch({ type: 'dec' })} className="rounded bg-gray-200 px-4 py-2">-</button>
        <button onClick={() => dispatch({ type: 'inc' })} className="rounded bg-blue-600 px-4 py-2 text-white">+</button>
      </div>
    </div>
  );
}"""

ACTION_STATE = """import { useActionState } from 'react';

async function subscribe(previous: string[], formData: FormData) {
  const email = String(formData.get('email') || '');
  return email ? [...previous, email] : previous;
}

export default function App() {
  const [emails, formAction, isPending] = useActionState(subscribe, []);
  return (
    <div className="mx-auto max-w-md p-8">
      <h1 className="text-2xl font-bold">Newsletter</h1>
      <form action={formAction} className="mt-4 flex gap-2">
        <input name="email" type="email" className="flex-1 rounded border px-3 py-2" />
        <button disabled={isPending} className="rounded bg-blue-600 px-4 py-2 text-white">Subscribe</button>
      </form>
      <ul className="mt-4">
        {emails.map((e) => <li key={e}>{e}</li>)}
      </ul>
    </div>
  );
}"""

CONTEXT_PROVIDER = """import React, { createContext, useContext, useState } from 'react';

const CartContext = createContext({ items: 0, add: () => {} });

function AddButton() {
  const { add } = useContext(CartContext);
  return <button onClick={add} className="rounded bg-blue-600 px-4 py-2 text-white">Add to cart</button>;
}

function Badge() {
  const cart = useContext(CartContext);
  return <span className="rounded-full bg-red-500 px-2 text-white">{cart.items}</span>;
}

export default function App() {
  const [items, setItems] = useState(0);
  return (
    <CartContext.Provider value={{ items, add: () => setItems(items + 1) }}>
      <div className="flex items-center gap-4 p-8">
        <h1 className="text-2xl font-bold">Shop</h1>
        <Badge />
        <AddButton />
      </div>
    </CartContext.Provider>
  );
}"""

NESTED_LISTS = """const GROUPS = [{ name: 'Fruit', items: ['Apple', 'Pear'] }, { name: 'Veg', items: ['Leek'] }];

export default function App() {
  return (
    <div className="p-8">
      {GROUPS.map((g) => (
        <section key={g.name}>
          <h2 className="font-bold">{g.name}</h2>
          <ul>{g.items.map((i) => <li>{i}</li>)}</ul>
        </section>
      ))}
    </div>
  );
}"""

THREE_CONDITIONALS = """import { useState } from 'react';

export default function App() {
  const [step, setStep] = useState(0);
  return (
    <div className="p-8">
      <button onClick={() => setStep((step + 1) % 3)}>Next</button>
      {step > 0 && (
        <div>
          {step === 1 ? <p>Two</p> : <p>Three</p>}
          {step === 2 && <p>Last step</p>}
        </div>
      )}
    </div>
  );
}"""


def fenced(code: str, lang: str = "tsx", lead: str = "", tail: str = "") -> str:
    return f"{lead}```{lang}\n{code.strip()}\n```{tail}"


PROSE = "Here is a counter component for your App.tsx file.\n\n"
EXPLAIN = "\n\nThe count is kept in state and each button updates it."
USAGE = "\n\nUse it in your entry file:\n\n```tsx\nimport App from './App';\n\n<App />\n```\n"


@dataclass(frozen=True)
class Case:
    bug: str  # what went wrong before the fix
    text: str
    like: str | None = None  # the honest case it should score like (or "static": no higher than honest static)
    ids: tuple[int, ...] | None = None  # completion ids, for the length/EOS cases
    eos: tuple[int, ...] | None = None  # eos ids the caller passes


CASES: dict[str, Case] = {
    # Reference rows: honest interactive and honest static versions of the same page
    "honest_usestate": Case("reference: plain useState", fenced(COUNTER_USESTATE, lead=PROSE, tail=EXPLAIN)),
    "honest_static": Case("reference: no state", fenced(COUNTER_STATIC, lead=PROSE, tail=EXPLAIN)),
    # --- extraction --------------------------------------------------------------------------------------------
    "im_end_after_fence": Case(
        "closing fence followed by <|im_end|> on the same line: unclosed_fence, every component 0",
        fenced(COUNTER_USESTATE, lead=PROSE) + "<|im_end|>",
        like="honest_usestate",
    ),
    "mistral_eos_after_fence": Case(
        "Mistral's <s> before the answer and </s> right after the closing fence",
        "<s>" + fenced(COUNTER_USESTATE, lead=PROSE) + "</s>",
        like="honest_usestate",
    ),
    "llama_eot_and_padding": Case(
        "Llama's <|eot_id|> after the closing fence, then <|endoftext|> padding",
        fenced(COUNTER_USESTATE, lead=PROSE) + "<|eot_id|>" + "<|endoftext|>" * 3,
        like="honest_usestate",
    ),
    "fence_with_attributes": Case(
        '```tsx file="App.tsx": the info string is not a bare language, so no code is found',
        fenced(COUNTER_USESTATE, lang='tsx file="App.tsx"', lead=PROSE, tail=EXPLAIN),
        like="honest_usestate",
    ),
    "usage_snippet_after": Case(
        "a short ```tsx usage snippet after the component: multiple_code_blocks, 0",
        fenced(COUNTER_USESTATE, lead=PROSE) + USAGE,
        like="honest_usestate",
    ),
    # --- interactivity -----------------------------------------------------------------------------------------
    "same_value_setters": Case(
        "setCount(count) and setCount(c => c) change nothing but earn full interactive credit",
        fenced(SAME_VALUE, lead=PROSE, tail=EXPLAIN),
        like="static",
    ),
    "unreachable_setters": Case(
        "setters behind if (false) and after return earn full interactive credit",
        fenced(UNREACHABLE, lead=PROSE, tail=EXPLAIN),
        like="static",
    ),
    "escaped_setter": Case(
        "\\u0073etCount is setCount to esbuild but another name to tree-sitter",
        fenced(ESCAPED_SETTER, lead=PROSE, tail=EXPLAIN),
        like="honest_usestate",
    ),
    "custom_hook_object": Case(
        "state behind a custom hook returning an object earns almost nothing",
        fenced(CUSTOM_HOOK, lead=PROSE, tail=EXPLAIN),
        like="honest_usestate",
    ),
    "custom_hook_tuple": Case(
        "useToggle returning [on, toggle] earns almost nothing", fenced(TOGGLE_HOOK), like="honest_usestate"
    ),
    "class_component": Case(
        "this.state / this.setState earns almost nothing", fenced(CLASS_COMPONENT), like="honest_usestate"
    ),
    "react_use_reducer": Case(
        "React.useReducer with a state object read as state.count", fenced(REDUCER), like="honest_usestate"
    ),
    "use_action_state": Case("useActionState + <form action> earns 0", fenced(ACTION_STATE), like="honest_usestate"),
    "context_provider": Case(
        "state shared through a context provider, set and read in children", fenced(CONTEXT_PROVIDER)
    ),
    "nested_lists": Case(
        "an outer keyed map around an unkeyed inner map counts 2 unkeyed lists", fenced(NESTED_LISTS)
    ),
    "three_conditionals": Case("three nested conditionals are counted 5 times", fenced(THREE_CONDITIONALS)),
    # --- failure semantics -------------------------------------------------------------------------------------
    "other_tokenizer_eos": Case(
        "ids end with another tokenizer's EOS (2) and no eos ids are given: Qwen's defaults mark it truncated",
        fenced(COUNTER_USESTATE, lead=PROSE, tail=EXPLAIN),
        like="honest_usestate",
        ids=(101, 102, 103, 2),
    ),
    "eos_ids_beat_text": Case(
        "ids say the model stopped (EOS), but the text heuristic calls the last statement cut off",
        fenced(COUNTER_USESTATE + "\nexport const version = ", lead=PROSE),
        ids=(101, 102, 103, 2),
        eos=(2,),
    ),
}
