"""Who holds React state in a file, what can change it, and what the render reads.

State comes from `useState`, `useReducer`, `useActionState`, `useOptimistic`, `useTransition` (plain,
`React.`-namespaced, renamed on import or destructured from `React`) and from class components' `this.state`. Names
are followed to what they stand for: a custom hook's return (`const [open, toggle] = useToggle()`,
`counter.value`), a context provider's value (`const { add } = useContext(Cart)`), local values and functions.
"""

import re
from dataclasses import dataclass

import tree_sitter as ts

from reward.syntax import FUNCTIONS, Spans, SyntaxIndex, decode, literal, name_of, unwrap

# JSX props whose value runs on an event: onClick, onChange, …, and a form's (or button's) action.
EVENT_PROP = re.compile(rb"^(on[A-Z]\w*|action|formAction)$")
# hook -> (positions in its result that are state, positions that change it)
STATE_HOOKS = {
    b"useState": ((0,), (1,)),
    b"useReducer": ((0,), (1,)),
    b"useActionState": ((0, 2), (1,)),  # [state, formAction, isPending]
    b"useOptimistic": ((0,), (1,)),
    b"useTransition": ((0,), (1,)),  # [isPending, startTransition]
}

CONTEXT_HOOKS = {b"useContext", b"use"}

# Calls whose result is (a wrapped version of) the function they are given.
FUNCTION_WRAPPERS = {b"useCallback", b"memo", b"forwardRef", b"useEffectEvent"}

EFFECT_HOOKS = {b"useEffect", b"useLayoutEffect", b"useInsertionEffect"}


@dataclass(eq=False)
class State:
    """One piece of React state: the names that read it, and how it changes."""

    name: bytes
    kind: str  # "set" (a setter: same-value sets change nothing), "reduce" (dispatch through a reducer), "pending"
    init: ts.Node | None = None
    reducer: ts.Node | None = None  # the reducer / action function, when the file defines it
    mutable: bool = False  # some reachable call changes it


class Bindings(SyntaxIndex):
    """What each name in a file stands for: state, setters, functions, values, hook and context results."""

    def __init__(self, root: ts.Node):
        super().__init__(root)
        self.react_alias: dict[bytes, bytes] = {}  # local name -> React export it stands for
        self.react_namespaces = {b"React"}
        self.functions: dict[bytes, ts.Node] = {}  # local name (or this.name) -> function node
        self.values: dict[bytes, ts.Node] = {}  # local name -> initializer of a plain variable
        self.consts: dict[bytes, ts.Node] = {}  # const name -> literal initializer (for constant conditions)
        self.aliases: dict[bytes, bytes] = {}  # local name -> the name it stands for (hook results, context)
        self.members: dict[bytes, dict[bytes, ts.Node]] = {}  # object name -> {key: element} (hook / context)
        self.states: dict[bytes, State] = {}  # state name -> State
        self.setters: dict[bytes, list[State]] = {}  # setter name -> the states it changes
        self.class_states: list[State] = []  # this.state keys of class components
        self.providers: dict[bytes, ts.Node] = {}  # context name -> the value its provider passes
        self.handler_ranges: list[tuple[int, int]] = []  # event handlers' code: it runs on events, not in render
        self._collect_react_names()
        self._collect_declarations()
        self._collect_classes()
        self._collect_providers()
        self._bind_hook_results()
        self._collect_handler_ranges()

    def in_handler(self, pos: int) -> bool:
        return self.handler_spans.contains(pos)

    def resolve(self, name: bytes | None) -> bytes | None:
        """Follow aliases (hook results, context values) to the name they stand for."""
        seen = set()
        while name in self.aliases and name not in seen:
            seen.add(name)
            name = self.aliases[name]
        return name

    def hook(self, call: ts.Node) -> bytes | None:
        """The React export a call's function stands for: useState, React.useState, an alias, a destructured one."""
        fn = unwrap(call.child_by_field_name("function"))
        if fn is None:
            return None
        if fn.type == "identifier":
            name = decode(fn.text)
            return self.react_alias.get(name, name)
        if fn.type == "member_expression":
            obj = fn.child_by_field_name("object")
            if obj is not None and obj.type == "identifier" and decode(obj.text) in self.react_namespaces:
                return name_of(fn.child_by_field_name("property"))
        return None

    def _collect_react_names(self):
        for imp in self.of("import"):
            source = imp.child_by_field_name("source")
            if source is None or source.text.strip(b"'\"`") != b"react":
                continue
            clause = next((c for c in imp.named_children if c.type == "import_clause"), None)
            for part in clause.named_children if clause is not None else []:
                if part.type == "identifier":  # import React from 'react'
                    self.react_namespaces.add(decode(part.text))
                elif part.type == "namespace_import" and part.named_children:  # import * as R from 'react'
                    self.react_namespaces.add(decode(part.named_children[0].text))
                elif part.type == "named_imports":  # import { useState as useLocal } from 'react'
                    for spec in part.named_children:
                        name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                        if alias is not None and name is not None:
                            self.react_alias[decode(alias.text)] = decode(name.text)

    def _collect_declarations(self):
        for fn in self.of("fn"):
            name = fn.child_by_field_name("name")
            if name is not None:
                self.functions[decode(name.text)] = fn
        hooks = []
        for decl in self.of("decl"):
            name, value = decl.child_by_field_name("name"), unwrap(decl.child_by_field_name("value"))
            if name is None or value is None:
                continue
            if name.type == "object_pattern" and value.type == "identifier":
                if decode(value.text) in self.react_namespaces:  # const { useState } = React
                    for key, local in self._pattern_keys(name):
                        self.react_alias[local] = key
                    continue
            if value.type == "call_expression" and name.type == "array_pattern":
                hooks.append((name, value))  # after every function is known: the reducer may come later
                continue
            if name.type != "identifier":
                continue
            local = decode(name.text)
            inner = self._function_in(value)
            if inner is not None:
                self.functions[local] = inner
            else:
                self.values[local] = value
                kind = decl.parent.children[0].type if decl.parent is not None and decl.parent.children else ""
                if kind == "const" and literal(value) is not None:
                    self.consts[local] = value
        for pattern, call in hooks:
            self._state_hook(pattern, call)

    def _state_hook(self, pattern: ts.Node, call: ts.Node) -> None:
        hook = self.hook(call)
        if hook not in STATE_HOOKS:
            return
        parts = [c for c in pattern.named_children if c.type in ("identifier", "assignment_pattern")]
        names = [name_of(p.child_by_field_name("left") if p.type == "assignment_pattern" else p) for p in parts]
        args = call.child_by_field_name("arguments")
        args = [unwrap(a) for a in args.named_children] if args is not None else []
        state_at, setter_at = STATE_HOOKS[hook]
        created = []
        for i in state_at:
            if i < len(names) and names[i] is not None:
                state = State(names[i], "set", init=args[0] if args else None)
                if hook in (b"useReducer", b"useActionState"):  # (reducer, initial state)
                    state.kind, state.reducer = "reduce", self._function_node(args[0] if args else None)
                    state.init = args[1] if len(args) > 1 else None
                elif hook == b"useOptimistic" and len(args) > 1:  # (state, update function)
                    state.kind, state.reducer = "reduce", self._function_node(args[1])
                if hook == b"useTransition" or i == 2:  # isPending
                    state.kind = "pending"
                self.states[state.name] = state
                created.append(state)
        for i in setter_at:
            if i < len(names) and names[i] is not None:
                self.setters[names[i]] = created

    @staticmethod
    def _pattern_keys(pattern: ts.Node) -> list[tuple[bytes, bytes]]:
        """(key, local name) for each entry of an object pattern: `{ a, b: c }` -> [(a, a), (b, c)]."""
        out = []
        for c in pattern.named_children:
            if c.type == "shorthand_property_identifier_pattern":
                out.append((decode(c.text), decode(c.text)))
            elif c.type == "pair_pattern":
                key, value = c.child_by_field_name("key"), c.child_by_field_name("value")
                if value is not None and value.type == "assignment_pattern":
                    value = value.child_by_field_name("left")
                if name_of(key) is not None and name_of(value) is not None:
                    out.append((name_of(key), name_of(value)))
            elif c.type == "object_assignment_pattern":
                left = c.child_by_field_name("left")
                if name_of(left) is not None:
                    out.append((name_of(left), name_of(left)))
        return out

    def _function_in(self, value: ts.Node | None) -> ts.Node | None:
        """The function a value is or wraps: `() => …`, `useCallback(() => …, [])`, `memo(function …)`."""
        value = unwrap(value)
        if value is None:
            return None
        if value.type in FUNCTIONS:
            return value
        if value.type == "call_expression":
            fn = unwrap(value.child_by_field_name("function"))
            callee = self.hook(value)
            if callee in FUNCTION_WRAPPERS or (fn is not None and name_of(fn) in FUNCTION_WRAPPERS):
                args = value.child_by_field_name("arguments")
                for arg in args.named_children if args is not None else []:
                    inner = self._function_node(arg)
                    if inner is not None:
                        return inner
        return None

    def _function_node(self, node: ts.Node | None) -> ts.Node | None:
        """A function literal, or the local function a name refers to."""
        node = unwrap(node)
        if node is None:
            return None
        if node.type in FUNCTIONS:
            return node
        name = self.resolve(name_of(node))
        return self.functions.get(name) if name is not None else self._function_in(node)

    def _collect_classes(self):
        """Class components: methods and arrow fields as functions (`this.name`), `this.state` keys as state."""
        for cls in self.of("class"):
            body = cls.child_by_field_name("body")
            if body is None:
                continue
            keys: dict[bytes, ts.Node] = {}
            for member in body.named_children:
                name = name_of(member.child_by_field_name("name"))
                if name is None:
                    continue
                if member.type == "method_definition":
                    self.functions[b"this." + name] = member
                elif member.type == "public_field_definition":
                    value = unwrap(member.child_by_field_name("value"))
                    if name == b"state" and value is not None and value.type == "object":
                        keys |= self._object_entries(value)
                    elif self._function_in(value) is not None:
                        self.functions[b"this." + name] = self._function_in(value)
            for assign in self.of("assign"):  # this.state = { ... } in the constructor
                if body.start_byte <= assign.start_byte < body.end_byte:
                    left, right = assign.child_by_field_name("left"), unwrap(assign.child_by_field_name("right"))
                    if name_of(left) == b"this.state" and right is not None and right.type == "object":
                        keys |= self._object_entries(right)
            for key, init in keys.items():
                state = State(key, "class", init=init)
                self.states.setdefault(key, state)
                self.class_states.append(state)

    @staticmethod
    def _object_entries(obj: ts.Node) -> dict[bytes, ts.Node]:
        out = {}
        for c in obj.named_children:
            if c.type == "pair":
                key = name_of(c.child_by_field_name("key")) or c.child_by_field_name("key").text.strip(b"'\"")
                out[key] = c.child_by_field_name("value")
            elif c.type == "shorthand_property_identifier":
                out[decode(c.text)] = c
            elif c.type == "method_definition":
                out[name_of(c.child_by_field_name("name")) or b"?"] = c
        return out

    def _collect_providers(self):
        """<Ctx.Provider value={…}> and React 19's <Ctx value={…}>: what consumers of Ctx get."""
        for tag in self.of("open"):
            if b"value" not in tag.text:  # (a self-closing tag's text is the whole element: still cheap)
                continue
            name = name_of(tag.child_by_field_name("name"))
            if name is None:
                continue
            for attr in tag.named_children:
                if (
                    attr.type == "jsx_attribute"
                    and len(attr.named_children) > 1
                    and attr.named_children[0].text == b"value"
                ):
                    value = attr.named_children[1]
                    if value.type == "jsx_expression" and value.named_children:
                        self.providers[name.removesuffix(b".Provider")] = unwrap(value.named_children[0])

    def _shape(self, node: ts.Node | None, depth: int = 0) -> ts.Node | None:
        """An array or object literal a value reduces to: through names, `useMemo(() => ({…}))`, hook returns."""
        node = unwrap(node)
        if node is None or depth > 4:
            return node
        if node.type in ("array", "object"):
            return node
        if node.type == "identifier":
            name = decode(node.text)
            if name in self.values:
                return self._shape(self.values[name], depth + 1)
            return node
        if node.type == "call_expression":
            hook = self.hook(node)
            if hook == b"useMemo":
                args = node.child_by_field_name("arguments")
                fn = self._function_node(args.named_children[0]) if args is not None and args.named_children else None
                return self._shape(self._returned(fn), depth + 1) if fn is not None else node
            if hook in CONTEXT_HOOKS:
                args = node.child_by_field_name("arguments")
                ctx = name_of(args.named_children[0]) if args is not None and args.named_children else None
                return self._shape(self.providers.get(ctx), depth + 1) if ctx in self.providers else None
            callee = name_of(node.child_by_field_name("function")) or b""
            if re.match(rb"use[A-Z0-9]", callee) and callee in self.functions:  # a custom hook defined here
                return self._shape(self._returned(self.functions[callee]), depth + 1)
        return node

    @staticmethod
    def _returned(fn: ts.Node | None) -> ts.Node | None:
        """What a function returns: its expression body, or its last top-level `return`."""
        if fn is None:
            return None
        body = fn.child_by_field_name("body")
        if body is None or body.type != "statement_block":
            return body
        returns = [s for s in body.named_children if s.type == "return_statement" and s.named_children]
        return returns[-1].named_children[0] if returns else None

    def _bind(self, local: bytes, element: ts.Node | None):
        """`local` stands for `element` (a name, a function, or an expression it is computed from)."""
        element = unwrap(element)
        if element is None:
            return
        if element.type in ("identifier", "shorthand_property_identifier"):
            target = decode(element.text)
            if target != local:
                self.aliases[local] = target
            return
        fn = self._function_in(element)
        if fn is not None:
            self.functions[local] = fn
        elif element.type == "object":
            self.members[local] = self._object_entries(element)
        else:
            self.values[local] = element

    def _bind_hook_results(self):
        """const [open, toggle] = useToggle(); const { add } = useContext(Cart); const counter = useCounter()."""
        for decl in self.of("decl"):
            pattern, value = decl.child_by_field_name("name"), unwrap(decl.child_by_field_name("value"))
            if (
                pattern is None
                or value is None
                or value.type not in ("call_expression", "identifier", "member_expression")
            ):
                continue
            if value.type == "call_expression" and self.hook(value) in STATE_HOOKS:
                continue
            if name_of(value) == b"this.state":  # const { count } = this.state: the keys are the state's names
                continue
            shape = self._shape(value)
            if shape is None or shape is value or shape.type not in ("array", "object", "identifier"):
                continue
            if pattern.type == "array_pattern" and shape.type == "array":
                for p, element in zip(pattern.named_children, shape.named_children, strict=False):
                    if name_of(p) is not None:
                        self._bind(name_of(p), element)
            elif pattern.type == "object_pattern" and shape.type == "object":
                entries = self._object_entries(shape)
                for key, local in self._pattern_keys(pattern):
                    if key in entries:
                        self._bind(local, entries[key])
            elif pattern.type == "identifier":
                self._bind(decode(pattern.text), shape)

    def _collect_handler_ranges(self):
        """Where event handlers' code sits: it runs on events, so what it reads is not what the render shows."""
        self.handlers: list[ts.Node] = []
        for attr in self.of("attr"):
            children = attr.named_children
            if len(children) > 1 and EVENT_PROP.match(children[0].text) and children[1].type == "jsx_expression":
                self.handlers.append(attr)
                self.handler_ranges.append((children[1].start_byte, children[1].end_byte))
        self.handler_spans = Spans(self.handler_ranges)

    def _member(self, fn: ts.Node) -> bytes | None:
        """The name `obj.key` stands for when obj is a hook or context result: `counter.increment` -> increment."""
        obj = self.resolve(name_of(fn.child_by_field_name("object")))
        element = self.members.get(obj, {}).get(name_of(fn.child_by_field_name("property")))
        return self.resolve(name_of(unwrap(element))) if element is not None else None

    def rendered_names(self) -> set[bytes]:
        """Names the render reads (JSX expressions outside event handlers, early-return conditions, component tags),
        closed over local values, functions the render calls, hook and context results."""
        names: set[bytes] = set()
        for expr in self.of("jsx_expr"):
            names |= self.names_in(expr, outside=self.handler_spans)
        for tag in self.of("open"):
            name = name_of(tag.child_by_field_name("name"))
            if name is not None and name[:1].isupper():
                names.add(name.split(b".")[0])
        for stmt in self.of("if"):
            conseq = stmt.child_by_field_name("consequence")
            if conseq is not None and self.contains_jsx(conseq):
                names |= self.names_in(stmt.child_by_field_name("condition") or stmt)
        for ret in self.of("return"):
            if ret.named_children and self.contains_jsx(ret):
                names |= self.names_in(ret, outside=self.handler_spans)
        return self.expand(names, follow_functions=True)

    def expand(self, names: set[bytes], follow_functions: bool = False) -> set[bytes]:
        """Names plus what they stand for: aliases, object members, local values (and functions, for the render)."""
        out, todo = set(), list(names)
        while todo:
            name = todo.pop()
            if name in out:
                continue
            out.add(name)
            more: set[bytes] = set()
            if name in self.aliases:
                more.add(self.aliases[name])
            for element in self.members.get(name, {}).values():
                element = unwrap(element)
                if element is not None and element.type not in FUNCTIONS:
                    more |= self.names_in(element)
            if name in self.values:
                more |= self.names_in(self.values[name])
            elif follow_functions and name in self.functions and name not in self.setters:  # {renderList()}, <Row/>
                more |= self.names_in(self.functions[name], outside=self.handler_spans)
            todo.extend(more - out)
        return out

    def derived_from(self, states: set[bytes]) -> set[bytes]:
        """State names plus the names computed from them: aliases, local values, hook and context objects."""
        out = set(states)
        for _ in range(8):
            grown = out | {alias for alias in self.aliases if self.resolve(alias) in out}
            grown |= {name for name, value in self.values.items() if self.names_in(value) & out}
            grown |= {
                name for name, entries in self.members.items()
                if any(self.names_in(e) & out for e in entries.values() if e.type not in FUNCTIONS)
            }  # fmt: skip
            if grown == out:
                break
            out = grown
        return out
