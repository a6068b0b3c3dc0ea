"""What code in a React file can do when it runs: which state a handler can change, and whether anything runs at all.

A call changes state only if it can run (not in a constant branch never taken, not after a `return`) and sets a new
value (not `setCount(count)`, `setCount(c => c)`, `[...items]`, a reducer that returns its state). Handlers are
followed through local functions, `this.method`, hook and context members, callbacks they pass (`setTimeout`,
`startTransition`) and functions they return (`onClick={select(id)}`).
"""

from dataclasses import dataclass, field

import tree_sitter as ts

from reward.react import Bindings, State
from reward.syntax import FUNCTIONS, constant_truth, first_param, literal, name_of, unwrap, walk

# Calls that change nothing on the page (with every console.* method).
NO_OP_CALLS = {b"preventDefault", b"stopPropagation", b"persist", b"alert"}

# Copies that hold the same value: setCount(Number(count)), setItems(items.slice()).
IDENTITY_CALLS = {b"Number", b"String", b"Boolean", b"structuredClone", b"Array.from", b"slice", b"concat", b"valueOf"}


@dataclass
class Effect:
    """What running some code can do to state."""

    changes: set = field(default_factory=set)  # States it changes
    unknown: bool = False  # it does something else (calls a prop, fetches, mutates): not provably dead

    def __ior__(self, other: "Effect") -> "Effect":
        self.changes |= other.changes
        self.unknown |= other.unknown
        return self


class ReactFile(Bindings):
    """A file's bindings plus what its code can do; states know whether anything can change them (`mutable`)."""

    def __init__(self, root: ts.Node):
        super().__init__(root)
        self._effects: dict[int, Effect] = {}
        self._identity: dict[int, bool] = {}  # id(State) -> its reducer returns its state unchanged
        self._mark_mutable()

    def _same_value(self, state: State, arg: ts.Node | None, param: bytes | None = None) -> bool:
        """Does setting `state` to `arg` leave it as it is? (`count`, `c => c`, `[...items]`, `Number(count)`)"""
        arg = unwrap(arg)
        if arg is None:  # setX() sets undefined: the same only if it started undefined
            return state.init is None or literal(state.init) == "undefined"
        if arg.type in FUNCTIONS:  # an updater: same value if it returns its argument (or the state) unchanged
            returned = self._returned(arg)
            return returned is not None and self._same_value(state, returned, first_param(arg))
        names = {state.name, param} - {None}
        if self.resolve(name_of(arg)) in names or name_of(arg) in names:
            return True
        if arg.type == "unary_expression" and arg.child_by_field_name("operator").type in ("+",):
            return self._same_value(state, arg.child_by_field_name("argument"), param)
        if arg.type == "unary_expression" and arg.child_by_field_name("operator").type == "!":
            inner = unwrap(arg.child_by_field_name("argument"))
            if (
                inner is not None
                and inner.type == "unary_expression"
                and inner.child_by_field_name("operator").type == "!"
            ):
                return self._same_value(state, inner.child_by_field_name("argument"), param)
        if arg.type == "binary_expression":
            op = arg.child_by_field_name("operator").type
            left, right = arg.child_by_field_name("left"), arg.child_by_field_name("right")
            neutral = {"+": 0.0, "-": 0.0, "*": 1.0, "/": 1.0}
            if op in ("+", "-", "*", "/") and literal(right) == neutral[op]:
                return self._same_value(state, left, param)
        if arg.type in ("array", "object") and len(arg.named_children) == 1:
            only = arg.named_children[0]
            if only.type == "spread_element":
                return self._same_value(state, only.named_children[0] if only.named_children else None, param)
        if arg.type == "call_expression":
            fn = unwrap(arg.child_by_field_name("function"))
            fname = name_of(fn) or b""
            args = arg.child_by_field_name("arguments")
            args = [a for a in args.named_children if a.type != "comment"] if args is not None else []
            if fname in IDENTITY_CALLS and len(args) == 1:
                return self._same_value(state, args[0], param)
            if fn is not None and fn.type == "member_expression" and not args:
                prop = name_of(fn.child_by_field_name("property"))
                if prop in IDENTITY_CALLS:  # items.slice(), items.concat()
                    return self._same_value(state, fn.child_by_field_name("object"), param)
        return False

    def _set_effect(self, states: list[State], call: ts.Node) -> Effect:
        """A call of a setter / dispatch of `states`: which of them it can change."""
        args = call.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        effect = Effect()
        for state in states:
            if state.kind == "pending":  # isPending moves while the transition or action runs
                if self._runs_something(first):
                    effect.changes.add(state)
                continue
            if state.kind == "reduce":
                if not self._reducer_is_identity(state):
                    effect.changes.add(state)
                continue
            if self._same_value(state, first):
                continue
            constant = literal(first)
            if constant is not None and constant == literal(state.init) and not state.mutable:
                continue  # a constant equal to the initial value, and nothing else moves it
            effect.changes.add(state)
        if (
            first is not None
            and unwrap(first) is not None
            and unwrap(first).type in FUNCTIONS
            and any(s.kind == "pending" for s in states)
        ):
            effect |= self.effect(unwrap(first))  # startTransition(() => …) runs its callback
        return effect

    def _runs_something(self, node: ts.Node | None) -> bool:
        fn = self._function_node(node)
        if fn is None:
            return node is not None
        e = self.effect(fn)
        return bool(e.changes) or e.unknown

    def _reducer_is_identity(self, state: State) -> bool:
        """A reducer whose every return gives back its state argument changes nothing."""
        if id(state) not in self._identity:
            self._identity[id(state)] = self._returns_its_state(state.reducer)
        return self._identity[id(state)]

    def _returns_its_state(self, fn: ts.Node | None) -> bool:
        if fn is None:
            return False
        p = first_param(fn)
        body = fn.child_by_field_name("body")
        if body is not None and body.type != "statement_block":
            return self._same_value(State(p or b"", "set"), body, p)
        returns = [n for n in walk(body) if n.type == "return_statement"] if body is not None else []
        return bool(returns) and all(
            r.named_children and self._same_value(State(p or b"", "set"), r.named_children[0], p) for r in returns
        )

    def _class_set_effect(self, call: ts.Node) -> Effect:
        """this.setState(...): the keys it sets to something new."""
        args = call.child_by_field_name("arguments")
        first = unwrap(args.named_children[0]) if args is not None and args.named_children else None
        by_key = {s.name: s for s in self.class_states}
        effect = Effect()
        obj, param = first, None
        if first is not None and first.type in FUNCTIONS:
            param, obj = first_param(first), unwrap(self._returned(first))
        if obj is None or obj.type != "object":
            if obj is not None and (name_of(obj) in (param, b"this.state")):
                return effect  # returns the state as it is
            effect.changes |= set(self.class_states)
            return effect
        for key, value in self._object_entries(obj).items():
            state = by_key.get(key)
            if state is None:
                continue
            same_names = {b"this.state." + key} | ({param + b"." + key} if param else set())
            if name_of(unwrap(value)) in same_names or self._same_value(State(b"this.state." + key, "set"), value):
                continue
            effect.changes.add(state)
        return effect

    def effect(self, fn: ts.Node, depth: int = 0) -> Effect:
        """What calling a function can do: the states it can change, and whether it does anything else."""
        key = fn.id
        if key in self._effects:
            return self._effects[key]
        self._effects[key] = Effect()  # recursion guard: a cycle adds nothing
        body = fn.child_by_field_name("body") if fn.type in FUNCTIONS else fn
        result = self._run(body, depth) if body is not None else Effect()
        self._effects[key] = result
        return result

    def _run(self, node: ts.Node, depth: int) -> Effect:
        """Effects of the code in `node` that can run: constant branches pruned, nothing after a return."""
        node = unwrap(node) or node
        t = node.type
        effect = Effect()
        if depth > 12:
            effect.unknown = True
            return effect
        if t == "statement_block" or t == "program" or t == "switch_body" or t == "switch_case":
            for stmt in node.named_children:
                effect |= self._run(stmt, depth)
                if stmt.type in ("return_statement", "throw_statement", "break_statement", "continue_statement"):
                    break  # what follows never runs
                if stmt.type == "if_statement" and self._always_leaves(stmt):
                    break
            return effect
        if t == "if_statement":
            cond = node.child_by_field_name("condition")
            truth = constant_truth(cond, self.consts)
            effect |= self._run(cond, depth)
            conseq, alt = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
            if truth is not False and conseq is not None:
                effect |= self._run(conseq, depth)
            if truth is not True and alt is not None:
                effect |= self._run(alt, depth)
            return effect
        if t == "ternary_expression":
            cond = node.child_by_field_name("condition")
            truth = constant_truth(cond, self.consts)
            effect |= self._run(cond, depth)
            for branch, skip in (("consequence", False), ("alternative", True)):
                if truth is not skip:
                    part = node.child_by_field_name(branch)
                    if part is not None:
                        effect |= self._run(part, depth)
            return effect
        if t == "binary_expression" and node.child_by_field_name("operator").type in ("&&", "||", "??"):
            op = node.child_by_field_name("operator").type
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            effect |= self._run(left, depth)
            truth = constant_truth(left, self.consts)
            if not ((op == "&&" and truth is False) or (op == "||" and truth is True)):
                effect |= self._run(right, depth)
            return effect
        if t in FUNCTIONS:
            return effect  # defining a function runs nothing; calls to it are followed where they happen
        if t == "call_expression":
            return self._call(node, depth)
        if t == "new_expression":
            effect.unknown = True
        if t in ("assignment_expression", "augmented_assignment_expression", "update_expression"):
            effect.unknown = True  # ref.current = …, window.x = …, i++: not state, but not nothing
        for child in node.named_children:
            effect |= self._run(child, depth)
        return effect

    def _always_leaves(self, stmt: ts.Node) -> bool:
        """`if (true) return;`: an if whose taken branch always returns."""
        truth = constant_truth(stmt.child_by_field_name("condition"), self.consts)
        branch = stmt.child_by_field_name("consequence" if truth else "alternative") if truth is not None else None
        if branch is None:
            return False
        if branch.type == "else_clause":
            branch = branch.named_children[0] if branch.named_children else None
        if branch is None:
            return False
        last = branch.named_children[-1] if branch.type == "statement_block" and branch.named_children else branch
        return last.type in ("return_statement", "throw_statement")

    def _call(self, call: ts.Node, depth: int) -> Effect:
        fn = unwrap(call.child_by_field_name("function"))
        args = call.child_by_field_name("arguments")
        effect = Effect()
        name = name_of(fn)
        target = self.resolve(name)
        if target not in self.setters and fn is not None and fn.type == "member_expression":
            target = self._member(fn) or target  # ctx.setCount(…) through a context or hook object
        if target in self.setters:
            return self._set_effect(self.setters[target], call)
        if name == b"this.setState":
            return self._class_set_effect(call)
        callee = self._callee(fn, name, target)
        if callee is not None:
            effect |= self.effect(callee, depth + 1)
        elif name is not None and (name.startswith(b"console.") or name.rsplit(b".", 1)[-1] in NO_OP_CALLS):
            pass
        elif (
            fn is not None
            and fn.type == "member_expression"
            and name_of(fn.child_by_field_name("property")) == b"bind"
        ):
            inner = self._callee(fn.child_by_field_name("object"), name_of(fn.child_by_field_name("object")), None)
            if inner is not None:
                effect |= self.effect(inner, depth + 1)
        else:
            effect.unknown = True  # a prop callback, fetch, storage, anything we cannot see into
            if fn is not None:
                effect |= self._run(fn, depth)  # arguments of a curried call, a.b().c()
        for arg in args.named_children if args is not None else []:
            inner = unwrap(arg)
            if inner is not None and inner.type in FUNCTIONS:  # a callback it is handed runs (setTimeout, then)
                effect |= self.effect(inner, depth + 1)
            elif inner is not None:
                effect |= self._run(inner, depth)
        return effect

    def _callee(self, fn: ts.Node | None, name: bytes | None, target: bytes | None) -> ts.Node | None:
        """The local function a call runs: a name, `this.method`, `obj.member` of a hook or context result."""
        if fn is None:
            return None
        if fn.type in FUNCTIONS:
            return fn  # (() => …)()
        if target in self.functions:
            return self.functions[target]
        if name in self.functions:
            return self.functions[name]
        if fn.type == "member_expression":
            obj = self.resolve(name_of(fn.child_by_field_name("object")))
            prop = name_of(fn.child_by_field_name("property"))
            element = self.members.get(obj, {}).get(prop)
            if element is not None:
                inner = self._function_node(element)
                if inner is not None:
                    return inner
                target = self.resolve(name_of(element))
                if target in self.functions:
                    return self.functions[target]
        if fn.type == "call_expression":  # select(id)(): the function select returns
            inner = self._callee(
                unwrap(fn.child_by_field_name("function")), name_of(fn.child_by_field_name("function")), None
            )
            returned = self._function_node(self._returned(inner)) if inner is not None else None
            return returned
        return None

    def _mark_mutable(self):
        """A state is mutable when some reachable call anywhere can move it away from where it is, or when its setter
        is handed on (a prop, an argument: `<Input onChange={setName}>`, `load().then(setItems)`) to be called.
        Setter calls are found from where the setters' names occur, not by looking at every call in the file."""
        calls: list[tuple[ts.Node, list[State] | None]] = []  # (call, the states it sets; None: this.setState)
        watched = {n for n in set(self.id_names) if self.resolve(n) in self.setters or self.resolve(n) in self.members}
        for node, name in zip(self.id_nodes, self.id_names, strict=True):
            if name not in watched:
                continue
            target, parent = self.resolve(name), node.parent
            if parent is None:
                continue
            if target in self.setters:
                fn = parent.child_by_field_name("function") if parent.type == "call_expression" else None
                if fn is not None and fn.id == node.id:
                    calls.append((parent, self.setters[target]))
                elif parent.type == "jsx_expression" or (parent.type == "arguments" and self._reachable(parent)):
                    for state in self.setters[target]:
                        if state.kind != "reduce" or not self._reducer_is_identity(state):
                            state.mutable = True
            elif target in self.members and parent.type == "member_expression":  # ctx.setCount(…)
                member, call = self._member(parent), parent.parent
                if member in self.setters and call is not None and call.type == "call_expression":
                    calls.append((call, self.setters[member]))
        if self.class_states:
            calls += [
                (c, None) for c in self.of("call") if c.child_by_field_name("function").text.endswith(b".setState")
            ]
        calls = [(call, states) for call, states in calls if self._reachable(call)]
        for _ in range(2):  # twice: a reset to the initial value changes something once another set moves it
            for call, states in calls:
                effect = self._set_effect(states, call) if states is not None else self._class_set_effect(call)
                for state in effect.changes:
                    state.mutable = True
            self._effects.clear()

    def _reachable(self, node: ts.Node) -> bool:
        """Not inside a branch a constant condition never takes, nor after a return in its block."""
        child, parent = node, node.parent
        while parent is not None and parent.type not in FUNCTIONS:
            if parent.type in ("if_statement", "ternary_expression"):
                cond, conseq = parent.child_by_field_name("condition"), parent.child_by_field_name("consequence")
                truth = constant_truth(cond, self.consts)
                if cond is not None and child.id != cond.id and truth is not None:
                    if truth != (conseq is not None and conseq.id == child.id):
                        return False
            elif parent.type == "binary_expression":
                right, op = parent.child_by_field_name("right"), parent.child_by_field_name("operator").type
                if right is not None and right.id == child.id and op in ("&&", "||"):
                    if constant_truth(parent.child_by_field_name("left"), self.consts) is (op == "||"):
                        return False
            elif parent.type == "statement_block":
                for stmt in parent.named_children:
                    if stmt.id == child.id:
                        break
                    if stmt.type in ("return_statement", "throw_statement") or (
                        stmt.type == "if_statement" and self._always_leaves(stmt)
                    ):
                        return False
            child, parent = parent, parent.parent
        return True

    def handler_target(self, attr: ts.Node) -> ts.Node | list | None:
        """The code an event prop runs: an inline function, a local function, a member of a hook result,
        `this.method`, or a setter passed directly (returned as [states])."""
        value = attr.named_children[1]
        expr = unwrap(value.named_children[0]) if value.named_children else None
        if expr is None:
            return None
        if expr.type in FUNCTIONS:
            return expr
        if expr.type == "call_expression":
            fn = unwrap(expr.child_by_field_name("function"))
            if (
                fn is not None
                and fn.type == "member_expression"
                and name_of(fn.child_by_field_name("property")) == b"bind"
            ):
                expr = unwrap(fn.child_by_field_name("object"))
            else:
                returned = self._callee(expr, None, None)  # onClick={select(id)}: select returns the handler
                return returned if returned is not None else expr
        name = name_of(expr)
        target = self.resolve(name)
        if target not in self.setters and expr.type == "member_expression":
            target = self._member(expr) or target
        if target in self.setters:
            return self.setters[target]
        return self._callee(expr, name, target)

    def handler_effect(self, target) -> Effect:
        if isinstance(target, list):  # onChange={setName}: sets what the event carries
            return Effect(changes={s for s in target if s.kind != "reduce" or not self._reducer_is_identity(s)})
        if target.type in FUNCTIONS:
            return self.effect(target)
        return self._run(target, 0)
