"""TSX syntax trees (tree-sitter) and the facts the static rewards read from them.

Everything here works on the syntax tree, never on raw text, so identifiers in comments or strings count for nothing.
Interactivity is credited only where it is wired up: a JSX event prop (`onClick`, `onChange`, …) whose handler, directly
or through local functions it calls, calls a state setter (`useState`) or `dispatch` (`useReducer`) of state that the
rendered output reads.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import tree_sitter as ts
import tree_sitter_typescript as tst

from reward.cache import LRU

EVENT_PROP = re.compile(rb"^on[A-Z]\w*$")
STATE_HOOKS = {b"useState", b"useReducer"}
FORM_TAGS = {b"input", b"textarea", b"select"}
NO_OP_CALLS = {b"console", b"preventDefault", b"stopPropagation", b"alert"}
JSX = {"jsx_element", "jsx_self_closing_element", "jsx_fragment"}
# Calls whose result is (a wrapped version of) the function they are given.
FUNCTION_WRAPPERS = {b"useCallback", b"React.useCallback", b"memo", b"React.memo", b"forwardRef", b"React.forwardRef"}
FUNCTIONS = {"arrow_function", "function_expression", "function_declaration", "function", "generator_function"}


@lru_cache(maxsize=1)
def parser() -> ts.Parser:
    return ts.Parser(ts.Language(tst.language_tsx()))


def parse(code: str) -> ts.Tree:
    return parser().parse(code.encode("utf-8"))


def walk(node: ts.Node) -> Iterator[ts.Node]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def identifiers(node: ts.Node) -> set[bytes]:
    return {n.text for n in walk(node) if n.type in ("identifier", "shorthand_property_identifier")}


def unwrap(node: ts.Node | None) -> ts.Node | None:
    """Strip parentheses, `as` casts and non-null assertions."""
    while node is not None and node.type in ("parenthesized_expression", "as_expression", "non_null_expression"):
        node = node.named_children[0] if node.named_children else None
    return node


@dataclass
class TsxFacts:
    """What the static rewards need to know about one file. Counts, names and a human explanation."""

    parse_ok: bool = False
    parse_fraction: float = 0.0  # share of top-level statements that parse without an error
    last_statement_error: bool = False  # the file's last statement does not parse: typical of a cut-off answer
    default_export: bool = False  # a default export that is a function or class component
    defines_component: bool = False  # some top-level function or class returns JSX
    returns_jsx: bool = False
    jsx_elements: int = 0
    imports: list[str] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    live_states: list[str] = field(default_factory=list)  # read in the render and set somewhere
    unused_hooks: list[str] = field(default_factory=list)
    wired_handlers: int = 0  # JSX event props whose handler sets rendered state
    dead_handlers: int = 0  # JSX event props whose handler does nothing
    controlled_inputs: int = 0
    conditional_renders: int = 0
    keyed_lists: int = 0
    unkeyed_lists: int = 0


class _Analyzer:
    def __init__(self, root: ts.Node):
        self.root = root
        self.nodes_by_type: dict[str, list[ts.Node]] = {}
        for n in walk(root):
            self.nodes_by_type.setdefault(n.type, []).append(n)
        self.functions: dict[bytes, ts.Node] = {}  # local name -> function node
        self.values: dict[bytes, ts.Node] = {}  # local name -> initializer of a plain variable
        self.setters: dict[bytes, bytes] = {}  # setter/dispatch -> state name
        self.state_decls: list[tuple[bytes, bytes | None, ts.Node]] = []
        self._collect_declarations()

    def of_type(self, *types: str) -> list[ts.Node]:
        return [n for t in types for n in self.nodes_by_type.get(t, [])]

    def _collect_declarations(self):
        for decl in self.of_type("variable_declarator"):
            name, value = decl.child_by_field_name("name"), unwrap(decl.child_by_field_name("value"))
            if name is None or value is None:
                continue
            if name.type == "array_pattern" and value.type == "call_expression":
                fn = value.child_by_field_name("function")
                hook = fn.child_by_field_name("property") if fn is not None and fn.type == "member_expression" else fn
                if hook is not None and hook.text in STATE_HOOKS:
                    parts = [c for c in name.named_children if c.type == "identifier"]
                    if parts:
                        setter = parts[1].text if len(parts) > 1 else None
                        self.state_decls.append((parts[0].text, setter, decl))
                        if setter:
                            self.setters[setter] = parts[0].text
                    continue
            if name.type != "identifier":
                continue
            inner = self._function_in(value)
            if inner is not None:
                self.functions[name.text] = inner
            else:
                self.values[name.text] = value
        for fn in self.of_type("function_declaration"):
            name = fn.child_by_field_name("name")
            if name is not None:
                self.functions[name.text] = fn

    @staticmethod
    def _function_in(value: ts.Node) -> ts.Node | None:
        """The function a value is or wraps: `() => …`, `useCallback(() => …, [])`, `memo(function …)`."""
        value = unwrap(value)
        if value is None:
            return None
        if value.type in FUNCTIONS:
            return value
        fn = value.child_by_field_name("function") if value.type == "call_expression" else None
        if fn is not None and fn.text in FUNCTION_WRAPPERS:
            args = value.child_by_field_name("arguments")
            for arg in args.named_children if args is not None else []:
                if unwrap(arg) is not None and unwrap(arg).type in FUNCTIONS:
                    return unwrap(arg)
        return None

    # --- what a handler does ---------------------------------------------------------------------------------
    def _calls(self, node: ts.Node) -> list[bytes]:
        names = []
        for call in walk(node):
            if call.type == "call_expression":
                fn = call.child_by_field_name("function")
                if fn is not None and fn.type == "identifier":
                    names.append(fn.text)
        return names

    def sets_state(self, node: ts.Node, visible: set[bytes], depth: int = 0, seen: set | None = None) -> bool:
        """Does running `node` call a setter of visible state, directly or via local functions (bounded depth)?"""
        seen = seen if seen is not None else set()
        for name in self._calls(node):
            if name in self.setters and self.setters[name] in visible:
                return True
            if name in self.functions and name not in seen and depth < 4:
                seen.add(name)
                if self.sets_state(self.functions[name], visible, depth + 1, seen):
                    return True
        return False

    def handler_target(self, value: ts.Node) -> ts.Node | None:
        """The code an event prop runs: the inline function, or the local function an identifier names."""
        expr = unwrap(value.named_children[0]) if value.type == "jsx_expression" and value.named_children else None
        if expr is None:
            return None
        if expr.type == "identifier":
            if expr.text in self.setters:  # onChange={setName}
                return expr
            return self.functions.get(expr.text)
        return expr

    def is_dead(self, target: ts.Node) -> bool:
        """A handler that does nothing: an empty body, or only console calls / preventDefault."""
        if target.type not in FUNCTIONS:
            return False
        body = target.child_by_field_name("body")
        if body is None:
            return False
        statements = body.named_children if body.type == "statement_block" else [body]
        statements = [s for s in statements if s.type != "comment"]
        for s in statements:
            call = unwrap(s.named_children[0]) if s.type == "expression_statement" and s.named_children else unwrap(s)
            if call is None or call.type != "call_expression":
                return False
            fn = call.child_by_field_name("function")
            head = fn
            while head is not None and head.type == "member_expression":
                prop = head.child_by_field_name("property")
                if prop is not None and prop.text in NO_OP_CALLS:
                    break
                head = head.child_by_field_name("object")
            names = {fn.text} | ({prop.text} if fn.type == "member_expression" and prop is not None else set())
            if not (names & NO_OP_CALLS or (head is not None and head.text in NO_OP_CALLS)):
                return False
        return True

    # --- what the render reads ----------------------------------------------------------------------------
    def rendered_names(self) -> set[bytes]:
        """Names read by JSX, closed over local variables and functions that JSX uses."""
        names: set[bytes] = set()
        for expr in self.of_type("jsx_expression"):
            names |= identifiers(expr)
        # Early returns of JSX guarded by a condition (`if (done) return <Success/>`) also read their condition.
        for stmt in self.of_type("if_statement"):
            if any(n.type in JSX for n in walk(stmt.child_by_field_name("consequence") or stmt)):
                names |= identifiers(stmt.child_by_field_name("condition") or stmt)
        for _ in range(6):
            grown = set(names)
            for name in names:
                if name in self.values:
                    grown |= identifiers(self.values[name])
                elif name in self.functions and name not in self.setters:
                    grown |= identifiers(self.functions[name])
            if grown == names:
                break
            names = grown
        return names

    def derived_from(self, states: set[bytes]) -> set[bytes]:
        """State names plus local values computed from them."""
        out = set(states)
        for _ in range(6):
            grown = out | {n for n, v in self.values.items() if identifiers(v) & out}
            if grown == out:
                break
            out = grown
        return out


def _returns_jsx(node: ts.Node) -> bool:
    for n in walk(node):
        if n.type == "return_statement" and n.named_children and unwrap(n.named_children[0]) is not None:
            expr = unwrap(n.named_children[0])
            if expr.type in JSX or (expr.type == "ternary_expression" and any(c.type in JSX for c in walk(expr))):
                return True
        if n.type == "arrow_function":
            body = unwrap(n.child_by_field_name("body"))
            if body is not None and body.type in JSX:
                return True
    return False


def _default_export(a: _Analyzer) -> ts.Node | None:
    """The node of the default-exported component, if any."""
    for stmt in a.of_type("export_statement"):
        if not any(c.type == "default" for c in stmt.children):
            clause = next((c for c in stmt.named_children if c.type == "export_clause"), None)
            for spec in clause.named_children if clause is not None else []:
                alias = spec.child_by_field_name("alias")
                if alias is not None and alias.text == b"default":
                    name = spec.child_by_field_name("name")
                    return a.functions.get(name.text) if name is not None else None
            continue
        target = unwrap(stmt.child_by_field_name("declaration") or stmt.child_by_field_name("value"))
        if target is None:
            return None
        if target.type == "call_expression":  # export default memo(App)
            args = target.child_by_field_name("arguments")
            target = unwrap(args.named_children[0]) if args is not None and args.named_children else None
        if target is not None and target.type == "identifier":
            if target.text in a.functions:
                return a.functions[target.text]
            classes = [c for c in a.of_type("class_declaration") if c.child_by_field_name("name").text == target.text]
            return classes[0] if classes else None
        if target is not None and (target.type in FUNCTIONS or target.type in ("class_declaration", "class")):
            return target
        return None
    return None


def _callback_key(callback: ts.Node) -> bool | None:
    """For a `.map` callback: True if its returned JSX has a key, False if not, None if it returns no JSX."""
    body = unwrap(callback.child_by_field_name("body"))
    if body is None:
        return None
    if body.type == "statement_block":
        returns = [
            unwrap(r.named_children[0])
            for r in body.named_children
            if r.type == "return_statement" and r.named_children
        ]
        body = returns[-1] if returns else None
    if body is None or body.type not in JSX:
        return None
    tag = body.child_by_field_name("open_tag") if body.type == "jsx_element" else body
    if tag is None:  # fragment shorthand <>…</> cannot carry a key
        return False
    return any(
        attr.type == "jsx_attribute" and attr.named_children and attr.named_children[0].text == b"key"
        for attr in tag.named_children
    )


_cache = LRU(4096)


def analyze_cached(code: str) -> TsxFacts:
    """analyze(), memoised per process by code (extraction, every grader and every reward function share it)."""
    facts = _cache.get(code)
    if facts is None:
        facts = analyze(code)
        _cache.put(code, facts)
    return facts


def analyze(code: str) -> TsxFacts:
    tree = parse(code)
    root = tree.root_node
    facts = TsxFacts()
    top = [c for c in root.named_children if c.type != "comment"]
    facts.parse_ok = not root.has_error and bool(top)
    facts.parse_fraction = (sum(not c.has_error for c in top) / len(top)) if top else 0.0
    facts.last_statement_error = bool(top) and top[-1].has_error
    a = _Analyzer(root)
    facts.jsx_elements = len(a.of_type("jsx_element", "jsx_self_closing_element"))
    facts.imports = [
        s.text.decode(errors="replace").strip("'\"`")
        for imp in a.of_type("import_statement")
        for s in [imp.child_by_field_name("source")]
        if s is not None
    ]
    component = _default_export(a)
    facts.default_export = component is not None
    facts.returns_jsx = component is not None and _returns_jsx(component)
    facts.defines_component = facts.returns_jsx or any(
        _returns_jsx(n) for n in root.named_children if n.type not in ("import_statement", "comment")
    )

    # State, and which of it the user can see.
    rendered = a.rendered_names()
    all_ids: dict[bytes, int] = {}
    for n in a.of_type("identifier", "shorthand_property_identifier"):
        all_ids[n.text] = all_ids.get(n.text, 0) + 1
    visible = {s for s, _, _ in a.state_decls if s in rendered}
    facts.states = [s.decode() for s, _, _ in a.state_decls]
    for state, setter, _ in a.state_decls:
        state_used = all_ids.get(state, 0) > 1  # more than its own declaration
        setter_used = setter is not None and all_ids.get(setter, 0) > 1
        if not state_used:  # never read: setting it changes nothing anyone can see
            facts.unused_hooks.append(state.decode())
        elif state in rendered and setter_used:
            facts.live_states.append(state.decode())
    for call in a.of_type("call_expression"):  # useEffect(() => {}) does nothing
        fn = call.child_by_field_name("function")
        if fn is not None and fn.text in (b"useEffect", b"useLayoutEffect", b"React.useEffect"):
            args = call.child_by_field_name("arguments")
            first = unwrap(args.named_children[0]) if args is not None and args.named_children else None
            body = first.child_by_field_name("body") if first is not None and first.type in FUNCTIONS else None
            if body is not None and body.type == "statement_block" and not body.named_children:
                facts.unused_hooks.append(fn.text.decode())

    # Event props: wired (sets visible state), dead (does nothing), or neither (e.g. calls a prop callback).
    effective_props: set[int] = set()
    for attr in a.of_type("jsx_attribute"):
        if len(attr.named_children) < 2 or not EVENT_PROP.match(attr.named_children[0].text):
            continue
        target = a.handler_target(attr.named_children[1])
        if target is None:
            continue
        if target.type == "identifier":  # a setter passed directly
            wired = a.setters.get(target.text) in visible
        else:
            wired = a.sets_state(target, visible)
        if wired:
            facts.wired_handlers += 1
            effective_props.add(attr.id)
        elif a.is_dead(target):
            facts.dead_handlers += 1

    # Controlled form inputs: value/checked read from state and an onChange that sets it.
    # Only state that can change makes an input "controlled" or a condition interactive.
    derived = a.derived_from({s.encode() for s in facts.live_states})
    for tag in a.of_type("jsx_opening_element", "jsx_self_closing_element"):
        name = tag.child_by_field_name("name")
        if name is None or name.text not in FORM_TAGS:
            continue
        attrs = {
            c.named_children[0].text: c for c in tag.named_children if c.type == "jsx_attribute" and c.named_children
        }
        bound = [attrs[k] for k in (b"value", b"checked") if k in attrs]
        if bound and any(identifiers(b) & derived for b in bound) and b"onChange" in attrs:
            if attrs[b"onChange"].id in effective_props:
                facts.controlled_inputs += 1

    # Conditional rendering that depends on state.
    for expr in a.of_type("jsx_expression", "if_statement"):
        for n in walk(expr):
            cond = None
            if n.type == "ternary_expression":
                cond = n.child_by_field_name("condition")
            elif n.type == "binary_expression" and n.child_by_field_name("operator").text in (b"&&", b"||", b"??"):
                cond = n.child_by_field_name("left")
            elif n.type == "if_statement" and n is expr:
                conseq = n.child_by_field_name("consequence")
                if conseq is not None and any(c.type in JSX for c in walk(conseq)):
                    cond = n.child_by_field_name("condition")
            if cond is not None and identifiers(cond) & derived:
                facts.conditional_renders += 1

    # Lists rendered from data, with or without keys.
    for expr in a.of_type("jsx_expression"):
        for n in walk(expr):
            if n.type != "call_expression":
                continue
            fn = n.child_by_field_name("function")
            prop = fn.child_by_field_name("property") if fn is not None and fn.type == "member_expression" else None
            args = n.child_by_field_name("arguments")
            if prop is None or prop.text != b"map" or args is None or not args.named_children:
                continue
            callback = unwrap(args.named_children[0])
            keyed = _callback_key(callback) if callback is not None and callback.type in FUNCTIONS else None
            if keyed is True:
                facts.keyed_lists += 1
            elif keyed is False:
                facts.unkeyed_lists += 1
    return facts
