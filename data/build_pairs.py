"""Build the labelled comparisons we provide, data/pairs/{train,heldout}.jsonl, from data/components/*.tsx. They are
generated (about 2 s, deterministic), not tracked: data/pairs/ is ignored.

    python data/build_pairs.py            # (re)write the files
    python data/build_pairs.py --check    # exit 1 if the files there differ from what this script builds

Every label is true by construction. Each reference component answers its `// request:` line; a mutation with a known
effect on quality turns it into a worse answer to the same request: a handler no longer updates state, a handler sets
the value the state already has, the state it shows is hidden, list keys are dropped, a tag is broken, the answer is
cut off, it imports a package that is not there, it has no default export, its UI is replaced by a placeholder, it
crashes while rendering, it is prose without code, or it is the answer to a different request. Mutations edit the
tree-sitter syntax tree, and each one is checked to have applied: the mutant differs, the property it is meant to have
holds on the mutant's own tree (e.g. no handler reaches a state setter any more), and esbuild compiles it or not, as
the mutation says. A mutation that does not apply to a component (no keys to drop, no buttons) makes no row.

What is labelled, and only that:
- pairs: the original is better than each of its mutants (same prompt);
- graded groups: chains original > M1 > M2(M1) > ..., each step adding one more harm to the answer before it, so every
  order within a chain is certain.
Not labelled, because it is not certain: two different mutants of one component against each other (is a dead button
worse than a hidden counter?), and answers to different prompts (is a static page better than a cut-off interactive
one?). Answers are wrapped like real model answers (prose, an empty think block, several fence languages).

Held out, by component: every answer built from a HELDOUT component (and its swap partner, also held out) is in
heldout.jsonl only, so no held-out component's code is ever seen when fitting.
"""

import argparse
import json
import re
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run as a script from anywhere: `python data/build_pairs.py`

from reward.compiler import compile_many  # noqa: E402
from reward.tsx import parse, unwrap, walk  # noqa: E402

PREFIX = "// request:"
OUT = HERE / "pairs"
# Every 4th component (sorted), a static one among them: held out of fitting, used only to report agreement.
HELDOUT = ("03", "07", "11", "15", "19", "23")

EVENT_PROP = re.compile(r"^on[A-Z]\w*$")
FUNCTIONS = {"arrow_function", "function_expression", "function_declaration", "function"}
STATE_HOOKS = {"useState", "useReducer"}


class MutationError(AssertionError):
    """A mutation claimed to apply but its intended property does not hold: a bug in this script, never data."""


@dataclass(frozen=True)
class Component:
    key: str  # "04-todo"
    prompt: str
    code: str


@dataclass(frozen=True)
class Mutant:
    name: str  # "drop_state_update:one"
    code: str | None  # None: an answer without code
    compiles: bool | None  # what esbuild must say about `code` (None: not checked, e.g. no code)
    closed: bool = True  # False: the answer stops inside its code block (cut off by the length limit)
    note: str = ""
    prose: str = ""  # the whole answer when it has no code


# --- syntax tree helpers --------------------------------------------------------------------------------------------
class Tree:
    """The parsed file, with the lookups the mutations need."""

    def __init__(self, code: str):
        self.code, self.src = code, code.encode()
        self.root = parse(code).root_node
        self.nodes = list(walk(self.root))
        self.setters: dict[str, tuple[str, str]] = {}  # setter -> (state, hook)
        self.functions: dict[str, object] = {}  # local name -> function node
        for decl in self.of("variable_declarator"):
            name, value = decl.child_by_field_name("name"), unwrap(decl.child_by_field_name("value"))
            if name is None or value is None:
                continue
            if name.type == "array_pattern" and value.type == "call_expression":
                hook = value.child_by_field_name("function").text.decode().split(".")[-1]
                ids = [c.text.decode() for c in name.named_children if c.type == "identifier"]
                if hook in STATE_HOOKS and len(ids) == 2:
                    self.setters[ids[1]] = (ids[0], hook)
            elif name.type == "identifier" and value.type in FUNCTIONS:
                self.functions[name.text.decode()] = value
        for fn in self.of("function_declaration"):
            self.functions[fn.child_by_field_name("name").text.decode()] = fn

    def of(self, *types: str) -> list:
        return [n for n in self.nodes if n.type in types]

    def event_attrs(self) -> list:
        """JSX event props with an expression value (`onClick={...}`), in source order."""
        return [
            a
            for a in self.of("jsx_attribute")
            if len(a.named_children) == 2
            and EVENT_PROP.match(a.named_children[0].text.decode())
            and a.named_children[1].type == "jsx_expression"
        ]

    def handler(self, attr):
        """The code an event prop runs: the inline expression, or the local function / setter an identifier names."""
        expr = unwrap(attr.named_children[1].named_children[0]) if attr.named_children[1].named_children else None
        if expr is not None and expr.type == "identifier":
            return self.functions.get(expr.text.decode(), expr)
        return expr

    def setter_calls(self, node, seen: set | None = None) -> list:
        """Calls of a state setter reachable from `node`, directly or through the local functions it calls."""
        seen = set() if seen is None else seen
        out = []
        for n in walk(node):
            if n.type != "call_expression":
                continue
            fn = n.child_by_field_name("function")
            name = fn.text.decode() if fn.type == "identifier" else None
            if name in self.setters:
                out.append(n)
            elif name in self.functions and name not in seen:
                seen.add(name)
                out += self.setter_calls(self.functions[name], seen)
        return out

    def default_component(self):
        """The body (statement_block) of the default-exported function component: `export default function App`, or
        `export default App` naming a local function (`const App: React.FC = () => { ... }`)."""
        for stmt in self.of("export_statement"):
            if not any(c.type == "default" for c in stmt.children):
                continue
            target = unwrap(stmt.child_by_field_name("declaration") or stmt.child_by_field_name("value"))
            if target is not None and target.type == "identifier":
                target = self.functions.get(target.text.decode())
            body = target.child_by_field_name("body") if target is not None and target.type in FUNCTIONS else None
            return body if body is not None and body.type == "statement_block" else None
        return None

    def root_return(self):
        """The default component's last top-level `return` statement (its UI), if any."""
        body = self.default_component()
        returns = [s for s in body.named_children if s.type == "return_statement"] if body is not None else []
        return returns[-1] if returns and returns[-1].named_children else None


def jsx_count(node) -> int:
    return sum(n.type in ("jsx_element", "jsx_self_closing_element") for n in walk(node))


def edit(src: bytes, edits: list[tuple[int, int, str]]) -> str:
    """Apply byte-range replacements (non-overlapping) and return the new text."""
    out, end = src, None
    for start, stop, text in sorted(set(edits), reverse=True):
        if end is not None and stop > end:
            raise MutationError(f"overlapping edits at bytes {start}-{stop}")
        out, end = out[:start] + text.encode() + out[stop:], start
    return out.decode()


def require(ok: bool, what: str) -> None:
    if not ok:
        raise MutationError(what)


def _remove_call(src: bytes, call) -> tuple[int, int, str]:
    """Edit that removes a setter call: its statement in a block (with the blank it leaves), the statement elsewhere
    (`if (x) setY();` -> `if (x) {}` stays valid), an arrow's body (`() => {}`), or the call inside a larger
    expression (`void 0`)."""
    parent = call.parent
    while parent is not None and parent.type in ("parenthesized_expression", "await_expression"):
        parent = parent.parent
    if parent is not None and parent.type == "expression_statement":
        if parent.parent is not None and parent.parent.type == "statement_block":
            start = parent.start_byte
            while start > 0 and src[start - 1 : start] in (b" ", b"\t"):
                start -= 1
            if start > 0 and src[start - 1 : start] == b"\n":  # alone on its line: remove the line
                start -= 1
            return start, parent.end_byte, ""
        return parent.start_byte, parent.end_byte, "{}"
    if parent is not None and parent.type == "arrow_function" and parent.child_by_field_name("body") == call:
        return call.start_byte, call.end_byte, "{}"
    return call.start_byte, call.end_byte, "void 0"


def _handlers_with(t: Tree, calls: Callable) -> list[tuple[object, list]]:
    """(event attribute, its handler's matching setter calls or [setter identifier]) for handlers that change state."""
    out = []
    for attr in t.event_attrs():
        target = t.handler(attr)
        if target is None:
            continue
        direct = target.type == "identifier" and target.text.decode() in t.setters  # onChange={setName}
        if found := calls([target] if direct else t.setter_calls(target)):
            out.append((attr, found))
    return out


# --- mutations: Component code -> Mutant, or None when it does not apply ------------------------------------------
def _rewrite_handlers(
    code: str, scope: str, select: Callable, direct: Callable, rewrite: Callable
) -> tuple[str, int, int] | None:
    """Rewrite the state updates of the first handler (scope "one") or of every handler ("all") that changes state.
    `select(tree, calls)` picks a handler's setter calls that count ([] = the handler does not qualify); `direct(tree,
    setter)` replaces a setter passed as the handler (`onChange={setName}`); `rewrite(tree, call)` gives the edit of
    one call. Returns (mutant, handlers rewritten, qualifying handlers left), checked on the mutant's own tree."""
    t = Tree(code)
    targets = _handlers_with(t, lambda calls: select(t, calls))
    if not targets:
        return None
    chosen = targets[:1] if scope == "one" else targets
    edits = set()
    for attr, calls in chosen:
        if calls[0].type == "identifier":  # the handler is the setter itself
            value = attr.named_children[1]
            edits.add((value.start_byte, value.end_byte, direct(t, calls[0].text.decode())))
        else:
            edits |= {rewrite(t, c) for c in calls}
    mutant = edit(t.src, list(edits))
    m = Tree(mutant)
    still = len(_handlers_with(m, lambda calls: select(m, calls)))
    # A handler function shared by several props (`onClick={digit}` on every key) changes them all.
    require(still == 0 if scope == "all" else still < len(targets), f"{still} handler(s) still change state")
    return mutant, len(chosen), still


def drop_state_update(code: str, scope: str) -> Mutant | None:
    """Remove the state updates of one handler (the first, in source order), or of every handler."""
    done = _rewrite_handlers(
        code, scope, lambda t, calls: calls, lambda t, setter: "{() => {}}", lambda t, c: _remove_call(t.src, c)
    )
    if done is None:
        return None
    return Mutant(f"drop_state_update:{scope}", done[0], True, note=f"{done[1]} handler(s) no longer update state")


def _setter(t: Tree, node) -> tuple[str, str]:
    """(state, hook) of a setter call, or of a setter passed as a handler."""
    return t.setters[(node if node.type == "identifier" else node.child_by_field_name("function")).text.decode()]


def _changes_state(t: Tree, calls: list) -> list:
    """A handler's useState setter calls whose argument is not already the state ([] if it also dispatches: a
    reducer action cannot be made "the same value")."""
    if any(_setter(t, c)[1] != "useState" for c in calls):
        return []
    return [
        c
        for c in calls
        if c.type == "identifier" or c.child_by_field_name("arguments").text.decode() != f"({_setter(t, c)[0]})"
    ]


def same_value(code: str, scope: str) -> Mutant | None:
    """Make handlers set the value the state already has (`setCount(count + 1)` -> `setCount(count)`)."""
    done = _rewrite_handlers(
        code,
        scope,
        _changes_state,
        lambda t, setter: f"{{() => {setter}({t.setters[setter][0]})}}",
        lambda t, c: (c.child_by_field_name("arguments").start_byte, c.child_by_field_name("arguments").end_byte, f"({_setter(t, c)[0]})"),
    )  # fmt: skip
    if done is None:
        return None
    return Mutant(f"same_value:{scope}", done[0], True, note=f"{done[1]} handler(s) set the value state already has")


def hide_state(code: str) -> Mutant | None:
    """Remove what the page shows of its most-shown state (and values computed from it); the state still updates."""
    t = Tree(code)
    values = {}
    for decl in t.of("variable_declarator"):
        name, value = decl.child_by_field_name("name"), unwrap(decl.child_by_field_name("value"))
        if name is not None and name.type == "identifier" and value is not None and value.type not in FUNCTIONS:
            values[name.text.decode()] = {n.text.decode() for n in walk(value) if n.type == "identifier"}

    def shown(names: set[str]) -> list:
        """JSX children (not attributes) that read any of `names`, outermost only."""
        found = [
            e
            for e in t.of("jsx_expression")
            if e.parent is not None
            and e.parent.type == "jsx_element"
            and {n.text.decode() for n in walk(e) if n.type == "identifier"} & names
        ]
        return [e for e in found if not any(o is not e and o.start_byte <= e.start_byte < o.end_byte for o in found)]

    best: tuple[int, str, set[str]] | None = None
    for state, _ in t.setters.values():
        names = {state}
        while grown := {v for v, reads in values.items() if reads & names} - names:
            names |= grown
        count = len(shown(names))
        if count and (best is None or count > best[0]):
            best = (count, state, names)
    if best is None:
        return None
    _, state, names = best
    mutant = edit(t.src, [(e.start_byte, e.end_byte, "") for e in shown(names)])
    m = Tree(mutant)
    require(not [e for e in m.of("jsx_expression") if e.parent.type == "jsx_element" and {n.text.decode() for n in walk(e) if n.type == "identifier"} & names], f"{state} is still shown")  # fmt: skip
    require(state in {s for s, _ in m.setters.values()}, f"{state} is no longer declared")
    return Mutant("hide_state", mutant, True, note=f"the page no longer shows {state} ({best[0]} place(s))")


def drop_keys(code: str) -> Mutant | None:
    """Remove every `key` prop (React then warns, and list state can attach to the wrong row)."""
    t = Tree(code)
    keys = [a for a in t.of("jsx_attribute") if a.named_children and a.named_children[0].text == b"key"]
    if not keys:
        return None
    edits = []
    for a in keys:
        start = a.start_byte
        while start > 0 and t.src[start - 1 : start] in (b" ", b"\n"):
            start -= 1
        edits.append((start, a.end_byte, ""))
    mutant = edit(t.src, edits)
    require(not [a for a in Tree(mutant).of("jsx_attribute") if a.named_children[0].text == b"key"], "keys remain")
    return Mutant("drop_keys", mutant, True, note=f"{len(keys)} key prop(s) removed")


def _tag_name(tag) -> str | None:
    """`div` for <div ...> or </div>; None for a fragment <>."""
    name = tag.child_by_field_name("name") if tag is not None else None
    return name.text.decode() if name is not None else None


def _intrinsic_elements(t: Tree) -> list:
    """Elements like <div>...</div> (lower-case, with a closing tag), in source order."""
    return [
        e
        for e in t.of("jsx_element")
        if re.fullmatch(r"[a-z][a-z0-9]*", _tag_name(e.child_by_field_name("close_tag")) or "")
    ]


def break_tag(code: str, how: str) -> Mutant | None:
    """`mismatch`: a closing tag names another element (tree-sitter accepts it, esbuild does not); `unclosed`: a
    closing tag is missing."""
    t = Tree(code)
    elements = _intrinsic_elements(t)
    if not elements:
        return None
    el = elements[len(elements) // 2] if how == "mismatch" else elements[len(elements) // 3]
    close = el.child_by_field_name("close_tag")
    name = close.child_by_field_name("name")
    if how == "mismatch":
        other = "section" if name.text != b"section" else "div"
        mutant = edit(t.src, [(name.start_byte, name.end_byte, other)])
        note = f"</{name.text.decode()}> closed as </{other}>"
    else:
        mutant = edit(t.src, [(close.start_byte, close.end_byte, "")])
        note = f"</{name.text.decode()}> removed"
    return Mutant(f"break_tag:{how}", mutant, False, note=note)


def truncate(code: str, fraction: float) -> Mutant | None:
    """The answer stops at `fraction` of the code, inside its code block (no closing fence, no prose after)."""
    cut = int(len(code.rstrip()) * fraction)
    mutant = code[:cut].rstrip(" ")
    if not mutant.strip():
        return None
    require(0 < len(mutant) < len(code.rstrip()), "the cut is not inside the code")
    return Mutant(f"truncate:{int(fraction * 100)}", mutant, False, closed=False, note=f"cut at {cut} of {len(code)} characters")  # fmt: skip


def _react_import_end(t: Tree) -> int:
    imports = t.of("import_statement")
    return imports[-1].end_byte if imports else 0


def foreign_import(code: str, package: str) -> Mutant | None:
    """Use a package the single-file app cannot import: a lucide-react icon in the page, or a shadcn/ui `Button` in
    place of the first <button>."""
    t = Tree(code)
    at = _react_import_end(t)
    if package == "lucide-react":
        ret = t.root_return()
        root = unwrap(ret.named_children[0]) if ret is not None else None
        if root is None or root.type != "jsx_element":
            return None
        opening = root.child_by_field_name("open_tag")
        edits = [
            (at, at, "\nimport { Sparkles } from 'lucide-react';"),
            (opening.end_byte, opening.end_byte, '\n      <Sparkles className="h-5 w-5" />'),
        ]
    else:
        buttons = [e for e in t.of("jsx_element") if _tag_name(e.child_by_field_name("open_tag")) == "button"]
        if not buttons:
            return None
        b = buttons[0]
        open_name = b.child_by_field_name("open_tag").child_by_field_name("name")
        close_name = b.child_by_field_name("close_tag").child_by_field_name("name")
        edits = [
            (at, at, "\nimport { Button } from '@/components/ui/button';"),
            (open_name.start_byte, open_name.end_byte, "Button"),
            (close_name.start_byte, close_name.end_byte, "Button"),
        ]
    mutant = edit(t.src, edits)
    require(package in mutant and package not in code, f"{package} not imported")
    return Mutant(f"foreign_import:{package.split('/')[-1]}", mutant, False, note=f"imports {package}")


def no_default_export(code: str) -> Mutant | None:
    """`export default function App` becomes `function App`: nothing for the page to mount."""
    t = Tree(code)
    for stmt in t.of("export_statement"):
        decl = stmt.child_by_field_name("declaration")
        if any(c.type == "default" for c in stmt.children):
            edits = [(stmt.start_byte, decl.start_byte, "")] if decl is not None else [(stmt.start_byte, stmt.end_byte, "")]  # fmt: skip
            mutant = edit(t.src, edits)
            require(not [s for s in Tree(mutant).of("export_statement") if any(c.type == "default" for c in s.children)], "still a default export")  # fmt: skip
            return Mutant("no_default_export", mutant, True, note="the default export is gone")
    return None


PLACEHOLDERS = {
    "coming_soon": '<div className="p-8 text-center text-gray-500">{/* TODO: build the UI */}Coming soon...</div>',
    "elided": "<div>\n      {/* ... the rest of the UI goes here ... */}\n    </div>",
}


def placeholder(code: str, kind: str) -> Mutant | None:
    """The component's returned UI is replaced by a placeholder (the logic above it is kept)."""
    t = Tree(code)
    ret = t.root_return()
    if ret is None or jsx_count(ret) <= 1:  # no UI to replace, or it is already one element
        return None
    value = ret.named_children[0]
    mutant = edit(t.src, [(value.start_byte, value.end_byte, f"(\n    {PLACEHOLDERS[kind]}\n  )")])
    require(jsx_count(Tree(mutant).root_return()) <= 1 < jsx_count(ret), "the UI was not replaced")
    return Mutant(f"placeholder:{kind}", mutant, True, note=f"returned UI replaced by a placeholder ({kind})")


def runtime_crash(code: str) -> Mutant | None:
    """The component reads a property of something that does not exist on its first line: it throws on mount."""
    t = Tree(code)
    body = t.default_component()
    if body is None:
        return None
    line = "\n  const theme = (window as any).__APP_CONFIG__.theme;"
    mutant = edit(t.src, [(body.start_byte + 1, body.start_byte + 1, line)])
    first = Tree(mutant).default_component().named_children[0]
    require(first.text.decode() == line.strip(), "the crashing line is not the component's first statement")
    return Mutant("runtime_crash", mutant, True, note="reads window.__APP_CONFIG__.theme (undefined) on mount")


def prose_only(code: str) -> Mutant:
    """An answer that describes the component (naming its own state) instead of writing it."""
    t = Tree(code)
    states = sorted({state for state, _ in t.setters.values()})
    constants = [d.child_by_field_name("name").text.decode() for s in t.root.named_children if s.type == "lexical_declaration" for d in s.named_children if d.type == "variable_declarator"]  # fmt: skip
    how = (
        f"keeps {', '.join(f'`{s}`' for s in states)} in React state, updates it from the event handlers"
        if states
        else f"renders its content from constant data ({', '.join(f'`{c}`' for c in constants) or 'inline'})"
    )
    prose = (
        f"To build this I would write a single `App` component that {how} and styles everything with Tailwind "
        "utility classes. Let me know if you would like the full code!"
    )
    return Mutant("prose_only", None, None, note="describes the component, no code", prose=prose)


def mutations(code: str) -> list[Mutant]:
    """Every mutation of one component, in a fixed order (None: does not apply)."""
    made = [
        drop_state_update(code, "one"),
        drop_state_update(code, "all"),
        same_value(code, "one"),
        same_value(code, "all"),
        hide_state(code),
        drop_keys(code),
        break_tag(code, "mismatch"),
        break_tag(code, "unclosed"),
        truncate(code, 0.4),
        truncate(code, 0.75),
        truncate(code, 0.95),
        foreign_import(code, "lucide-react"),
        foreign_import(code, "@/components/ui/button"),
        no_default_export(code),
        placeholder(code, "coming_soon"),
        placeholder(code, "elided"),
        runtime_crash(code),
        prose_only(code),
    ]
    return [m for m in made if m is not None]


# Chains: each step applies one more harm to the previous answer, so original > step 1 > step 2 > ... is certain.
# A step that does not apply is skipped; a chain needs three answers. Each chain ends at the first answer that no
# longer renders anything: two answers that both show nothing are not ordered.
CHAINS = {
    "dead_handlers": [
        drop_keys,
        lambda c: drop_state_update(c, "one"),
        lambda c: drop_state_update(c, "all"),
        lambda c: break_tag(c, "mismatch"),
    ],  # fmt: skip
    "no_op_handlers": [lambda c: same_value(c, "one"), lambda c: same_value(c, "all"), lambda c: truncate(c, 0.75)],
    "static_decay": [drop_keys, lambda c: placeholder(c, "coming_soon")],
}


# Tiers: one group per component of the original (rank 1), mutants with one defect that still render and mostly work
# (rank 2, no order among them), and mutants that show nothing at all (rank 3, no order among them). Like a real GRPO
# group, it mixes working, defective and broken answers, and the components disagree across tiers (an unkeyed list
# costs `interactive` credit that a build failure, gated to 0, does not lose), so the weights decide the order.
TIERS = {
    2: ("drop_keys", "drop_state_update:one", "same_value:one"),
    3: ("break_tag:mismatch", "truncate:75", "foreign_import:lucide-react", "no_default_export", "runtime_crash", "prose_only"),
}  # fmt: skip


def chain(code: str, steps: list[Callable]) -> list[Mutant]:
    out, current = [], code
    for step in steps:
        m = step(current)
        if m is None:
            continue
        out.append(Mutant(m.name, m.code, m.compiles, m.closed, m.note))
        if m.code is None or not m.closed or m.compiles is False:
            break
        current = m.code
    return out


# --- answers --------------------------------------------------------------------------------------------------------
LEADS = [
    "",
    "Here's a complete `App.tsx` for this.\n\n",
    "<think>\n\n</think>\n\nSure! Below is a single-file React component styled with Tailwind CSS.\n\n",
    "I'll build this as one self-contained component with mock data.\n\n",
    "<think>\n\n</think>\n\n",
]
FENCES = ["tsx", "tsx", "jsx", "typescript", "tsx"]
TAILS = [
    "",
    "\n\nEverything is in one file and uses mock data, so it runs as is.",
    "\n\n**How it works:** the state lives in React hooks and every control updates it immediately.",
    "",
    "\n\nDrop this into any React + Tailwind project as `App.tsx`.",
]


def answer(m: Mutant | None, code: str | None, style_key: str) -> str:
    """A model-like answer around `code`: prose, an optional empty think block, a fence of some language."""
    k = zlib.crc32(style_key.encode())
    lead, fence, tail = LEADS[k % len(LEADS)], FENCES[(k // 7) % len(FENCES)], TAILS[(k // 49) % len(TAILS)]
    if code is None:
        return lead + m.prose
    if m is not None and not m.closed:
        return f"{lead}```{fence}\n{code}"
    return f"{lead}```{fence}\n{code.strip()}\n```{tail}"


# --- the set --------------------------------------------------------------------------------------------------------
def components() -> list[Component]:
    out = []
    for path in sorted((HERE / "components").glob("*.tsx")):
        first, _, code = path.read_text().partition("\n")
        if not first.startswith(PREFIX):
            raise ValueError(f"{path}: first line must be '{PREFIX} <the user request>'")
        out.append(Component(path.stem, first[len(PREFIX) :].strip(), code.strip() + "\n"))
    return out


def verify_compiles(mutants: list[tuple[str, Mutant]]) -> None:
    """esbuild must agree with what each mutation says about compiling (one batch for all of them)."""
    todo = [(where, m) for where, m in mutants if m.compiles is not None]
    results = compile_many([m.code for _, m in todo])
    wrong = [
        f"{where} {m.name}: expected it to {'' if m.compiles else 'not '}compile"
        + (f" ({r.errors[:1]})" if r.errors else "")  # fmt: skip
        for (where, m), r in zip(todo, results, strict=True)
        if r.ok != m.compiles
    ]
    if wrong:
        raise MutationError("mutations that did not do what they claim:\n  " + "\n  ".join(wrong))


def build() -> tuple[list[dict], list[dict]]:
    """(train rows, held-out rows), deterministic."""
    comps = components()
    held = {c.key for c in comps if c.key[:2] in HELDOUT}
    if len(held) != len(HELDOUT):
        raise ValueError(f"HELDOUT names {HELDOUT} but only {sorted(held)} exist")
    made: list[tuple[str, Mutant]] = []
    rows: list[dict] = []
    for c in comps:
        base = {"group": c.key, "prompt": c.prompt}
        mutants = mutations(c.code)
        for m in mutants:
            made.append((c.key, m))
            rid = f"{c.key}/{m.name}"
            rows.append(
                {"id": rid, **base, "label": m.name.split(":")[0], "better": answer(None, c.code, rid),
                 "worse": answer(m, m.code, rid), "note": m.note}
            )  # fmt: skip
        for name, steps in CHAINS.items():
            members = chain(c.code, steps)
            if len(members) < 2:
                continue
            made += [(f"{c.key} chain {name}", m) for m in members]
            rid = f"{c.key}/chain:{name}"
            answers = [{"completion": answer(None, c.code, f"{rid}/0"), "rank": 1, "label": "original"}]
            answers += [
                {
                    "completion": answer(m, m.code, f"{rid}/{k}"),
                    "rank": k + 1,
                    "label": m.name.split(":")[0],
                    "note": m.note,
                }  # fmt: skip
                for k, m in enumerate(members, start=1)
            ]
            rows.append({"id": rid, **base, "label": f"chain:{name}", "answers": answers})
        by_name = {m.name: m for m in mutants}
        rid = f"{c.key}/tiers"
        answers = [{"completion": answer(None, c.code, f"{rid}/original"), "rank": 1, "label": "original"}]
        answers += [
            {"completion": answer(m, m.code, f"{rid}/{m.name}"), "rank": rank, "label": m.name.split(":")[0]}
            for rank, names in TIERS.items()
            for m in (by_name[n] for n in names if n in by_name)
        ]
        rows.append({"id": rid, **base, "label": "tiers", "answers": answers})
    # Swap: the answer to another request, within the same split so no held-out code reaches training.
    for split in (sorted(c.key for c in comps if c.key not in held), sorted(held)):
        by_key = {c.key: c for c in comps}
        for i, key in enumerate(split):
            c, other = by_key[key], by_key[split[(i + 1) % len(split)]]
            rid = f"{key}/swap_prompt"
            rows.append(
                {"id": rid, "group": key, "prompt": c.prompt, "label": "swap_prompt", "better": answer(None, c.code, rid),
                 "worse": answer(None, other.code, rid + "/other"), "note": f"answers: {other.prompt}"}
            )  # fmt: skip
    verify_compiles(made)
    rows.sort(key=lambda r: r["id"])
    return [r for r in rows if r["group"] not in held], [r for r in rows if r["group"] in held]


def render(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail if the files there are not what this builds")
    args = parser.parse_args(argv)
    train, heldout = build()
    files = {OUT / "train.jsonl": render(train), OUT / "heldout.jsonl": render(heldout)}
    if args.check:
        stale = [str(p) for p, text in files.items() if not p.exists() or p.read_text() != text]
        if stale:
            print(f"out of date: {stale}; run `python data/build_pairs.py`", file=sys.stderr)
            return 1
        return 0
    OUT.mkdir(exist_ok=True)
    for path, text in files.items():
        path.write_text(text)
    for name, rows in (("train", train), ("heldout", heldout)):
        pairs = sum("better" in r for r in rows)
        groups = [r for r in rows if "answers" in r]
        ranks = [[a["rank"] for a in g["answers"]] for g in groups]
        comparisons = pairs + sum(a < b for r in ranks for a in r for b in r)
        print(f"{name}: {pairs} pairs + {len(groups)} graded groups = {comparisons} comparisons, "
              f"{len({r['group'] for r in rows})} components")  # fmt: skip
    print(f"wrote {', '.join(str(p.relative_to(HERE.parent)) for p in files)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
